// SPDX-License-Identifier: MIT
/*
 * The test guest's exception handlers (vectors 0-31, trap_entry.S): an exception the guest
 * expects (trap_expect()) is recorded and the faulting instruction skipped; any other one ends
 * the guest with TEST_GUEST_FAIL_EXCEPTION after naming the vector, error code and RIP. A
 * hostile guest uses this to see what skiff made of an instruction: #UD, #GP or nothing.
 */
#include "tests/guests/guest.h"
#include "vmm/hypercall.h"
#include "vmm/test_guest_abi.h"

#define EXC_VECTORS 32

/* trap_entry.S: the stubs, TRAP_STUB_SIZE bytes apart from trap_stubs. */
extern const uint8_t trap_stubs[];
#define TRAP_STUB_SIZE 16

static volatile unsigned int skip_len;
static volatile int taken_vector = TRAP_NONE;
static volatile uint64_t taken_error;
volatile uint32_t trap_count;

void trap_init(void)
{
	for (unsigned int v = 0; v < EXC_VECTORS; v++)
		idt_set((uint8_t)v, (void (*)(void))(uintptr_t)(trap_stubs + v * TRAP_STUB_SIZE));
}

void trap_expect(unsigned int insn_len)
{
	taken_vector = TRAP_NONE;
	taken_error = 0;
	skip_len = insn_len;
}

int trap_taken(uint64_t *error)
{
	int v = taken_vector;

	if (error)
		*error = taken_error;
	skip_len = 0;
	taken_vector = TRAP_NONE;
	return v;
}

/* Called by trap_entry.S with the frame the CPU pushed (and a zero error code where it pushes
 * none); returns to the guest by IRETQ. */
void trap_handle(struct trap_frame *f)
{
	trap_count++;
	if (skip_len && taken_vector == TRAP_NONE) {
		taken_vector = (int)f->vector;
		taken_error = f->error;
		f->rip += skip_len;
		return;
	}
	put("trap: unexpected exception ");
	put_hex(f->vector);
	put(" error ");
	put_hex(f->error);
	put(" at RIP ");
	put_hex(f->rip);
	put("\n");
	hypercall(HC_EXIT, TEST_GUEST_FAIL_EXCEPTION);
	for (;;)
		__asm__ volatile("cli; hlt");
}
