// SPDX-License-Identifier: MIT
/*
 * The test guest's user mode: a 64-bit TSS (SDM vol. 3A 8.7, figure 8-11) in the GDT slot
 * SEL_TSS64, whose RSP0 is the stack CPL-0 handlers run on when an interrupt or exception comes
 * from CPL 3 (6.14.4) and whose IST entries attacks may point at their own stacks (6.14.5); and
 * user_run(), which calls a function at CPL 3 on a stack of its own (user_entry.S).
 */
#include "tests/guests/desc.h"
#include "tests/guests/guest.h"

#define TSS_TYPE_AVAIL64 0x9ull /* available 64-bit TSS (SDM vol. 3A table 3-2) */
#define DESC_P		 (1ull << 47)
#define DESC_TYPE_SHIFT	 40
#define DESC_BASE_LOW	 0x00ffffffull /* base 23:0 in descriptor bits 39:16 */
#define DESC_BASE_SHIFT	 16
#define DESC_BASE_HIGH8	 24 /* base 31:24 in descriptor bits 63:56 */
#define DESC_BASE_TOP	 56
#define BYTE_MASK	 0xffull
#define HIGH32_SHIFT	 32
#define STACK_SIZE	 16384
#define TSS_IST_ENTRIES	 7

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3]; /* RSP0-RSP2 */
	uint64_t reserved1;
	uint64_t ist[TSS_IST_ENTRIES]; /* IST1-IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap; /* past the limit: no I/O permission bitmap */
};

/* entry.S, user_entry.S */
extern uint64_t gdt[GDT_ENTRIES];
uint64_t user_enter(uint64_t (*fn)(void), uint64_t rsp, uint64_t rflags);
void user_return_entry(void);

static struct tss64 tss;
static uint8_t kernel_stack[STACK_SIZE] __attribute__((aligned(16)));
static uint8_t user_stack[STACK_SIZE] __attribute__((aligned(16)));
static bool ready;

void user_init(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;

	if (ready)
		return;
	tss.rsp[0] = (uintptr_t)(kernel_stack + sizeof(kernel_stack));
	tss.iomap = sizeof(tss);
	gdt[SEL_TSS64 / GDT_ENTRY_SZ] = limit | (base & DESC_BASE_LOW) << DESC_BASE_SHIFT |
					TSS_TYPE_AVAIL64 << DESC_TYPE_SHIFT | DESC_P |
					((base >> DESC_BASE_HIGH8) & BYTE_MASK) << DESC_BASE_TOP;
	gdt[SEL_TSS64 / GDT_ENTRY_SZ + 1] = base >> HIGH32_SHIFT;
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS64) : "memory");
	idt_gate(USER_RETURN_VECTOR, user_return_entry, DPL_USER, 0);
	ready = true;
}

void user_set_ist(unsigned int n, uint64_t top)
{
	user_init();
	if (n >= 1 && n <= TSS_IST_ENTRIES)
		tss.ist[n - 1] = top;
}

uint64_t user_run(uint64_t (*fn)(void), uint64_t rflags)
{
	user_init();
	return user_enter(fn, (uintptr_t)(user_stack + sizeof(user_stack)),
			  rflags | USER_RFLAGS_FIXED);
}
