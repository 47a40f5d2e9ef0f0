// SPDX-License-Identifier: MIT
/*
 * Attack "ac" (finding 2 of the hostile-guest review; CVE-2015-5307, XSA-156): an #AC whose own
 * delivery raises #AC again. With CR0.AM and RFLAGS.AC set, a data access at CPL 3 that is not
 * aligned raises #AC (SDM vol. 3A 6.15 "Interrupt 17"). In legacy protected mode an exception
 * handler may run at CPL 3 on the stack it interrupted (a gate to a DPL-3 code segment: no stack
 * switch, 6.12.1), and the frame is pushed where ESP points, aligned or not (64-bit mode aligns
 * RSP first, 6.14.2, so the attack leaves long mode): a misaligned push at CPL 3 raises #AC,
 * whose delivery pushes its frame at CPL 3 misaligned, which raises #AC ... before any
 * instruction boundary where a host interrupt could come: the physical CPU is lost. skiff
 * intercepts #AC and reflects each one: every round is an exit, and skiff stops the guest at
 * its exit budget; the judge (vmm/hostile.c) checks that the exits were #AC reflections.
 *
 * The guest first checks, in 64-bit mode at CPL 3, that the CPU raises #AC at all (QEMU's TCG
 * does not check alignment): where it does not, it says so and ends with
 * TEST_GUEST_ATTACK_NOT_HERE. Otherwise it builds a 32-bit IDT (#AC to the CPL-3 handler, the
 * other exceptions and its report vector to CPL 0) and a 32-bit TSS, and attack_ac32.S leaves
 * long mode (10.8.5.4) and runs the loop. Should the loop not happen, attack_ac32.S ends the
 * guest with one of the FAIL_AC_* bits.
 */
#include "tests/guests/desc.h"
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define EXC_AC		 17
#define EXC_VECTORS	 32
#define AC32_REPORT	 0x30 /* attack_ac32.S */
#define CR0_AM		 (1ull << 18)
#define LOAD_LEN	 3    /* movl 1(%rax), %eax */
#define GATE32_INTR	 0x8e /* P, DPL 0, 32-bit interrupt gate (SDM vol. 3A figure 6-2) */
#define GATE32_DPL_SHIFT 5
#define LOW16		 0xffffu
#define HIGH16_SHIFT	 16
#define TSS32_AVAIL	 0x9ull /* available 32-bit TSS (table 3-2) */
#define DESC_P		 (1ull << 47)
#define DESC_TYPE_SHIFT	 40
#define DESC_BASE_LOW	 0x00ffffffull
#define DESC_BASE_SHIFT	 16
#define DESC_BASE_HIGH8	 24
#define DESC_BASE_TOP	 56
#define BYTE_MASK	 0xffull
#define STACK_SIZE	 4096

struct __attribute__((packed)) gate32 {
	uint16_t off_low, sel;
	uint8_t zero, attr;
	uint16_t off_high;
};

/* The 32-bit TSS (figure 8-2): only the CPL-0 stack is used; no I/O bitmap. */
struct __attribute__((packed)) tss32 {
	uint32_t link, esp0, ss0;
	uint32_t unused[22];
	uint16_t trap, iomap;
};

struct __attribute__((packed)) dtr32 {
	uint16_t limit;
	uint32_t base;
};

/* attack_ac32.S and entry.S */
void ac32_enter(void) __attribute__((noreturn));
void ac32_user_handler(void);
void ac32_report(void);
void ac32_unexpected(void);
extern uint64_t gdt[GDT_ENTRIES];

/* What attack_ac32.S reads: its IDT, its stacks' tops. */
struct dtr32 ac32_idt_pointer;
uint32_t ac32_kernel_top, ac32_user_top;

static struct gate32 idt32[AC32_REPORT + 1] __attribute__((aligned(8)));
static struct tss32 tss32;
static uint8_t kernel_stack[STACK_SIZE] __attribute__((aligned(16)));
static uint8_t user_stack[STACK_SIZE] __attribute__((aligned(16)));

static void gate32(unsigned int vector, void (*handler)(void), uint16_t sel, unsigned int dpl)
{
	uint32_t off = (uint32_t)(uintptr_t)handler;

	idt32[vector] = (struct gate32){ .off_low = off & LOW16,
					 .sel = sel,
					 .attr = GATE32_INTR | dpl << GATE32_DPL_SHIFT,
					 .off_high = off >> HIGH16_SHIFT };
}

/* At CPL 3 with RFLAGS.AC: does a misaligned load raise #AC? */
static uint64_t misaligned_load(void)
{
	static volatile uint64_t word[2];
	uint32_t v;

	trap_expect(LOAD_LEN);
	__asm__ volatile("movl 1(%1), %0" : "=r"(v) : "a"(word) : "memory");
	return (uint64_t)trap_taken(NULL);
}

static uint32_t attack_ac(void)
{
	uint64_t cr0, base = (uintptr_t)&tss32;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_AM));
	if (user_run(misaligned_load, RFLAGS_AC) != EXC_AC) {
		put("ac: no #AC at CPL 3 with CR0.AM and RFLAGS.AC: this CPU does not check "
		    "alignment\n");
		return TEST_GUEST_ATTACK_NOT_HERE;
	}
	put("ac: #AC at CPL 3; leaving long mode for an #AC handler at CPL 3 on a misaligned "
	    "stack\n");
	for (unsigned int v = 0; v < EXC_VECTORS; v++)
		gate32(v, ac32_unexpected, SEL_CODE32, 0);
	gate32(EXC_AC, ac32_user_handler, SEL_UCODE32, 0);
	gate32(AC32_REPORT, ac32_report, SEL_CODE32, DPL_USER);
	ac32_idt_pointer = (struct dtr32){ sizeof(idt32) - 1, (uint32_t)(uintptr_t)idt32 };
	ac32_kernel_top = (uint32_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack));
	ac32_user_top = (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack));
	tss32.esp0 = ac32_kernel_top;
	tss32.ss0 = SEL_DATA;
	tss32.iomap = sizeof(tss32);
	gdt[SEL_TSS32 / GDT_ENTRY_SZ] = (sizeof(tss32) - 1) |
					(base & DESC_BASE_LOW) << DESC_BASE_SHIFT |
					TSS32_AVAIL << DESC_TYPE_SHIFT | DESC_P |
					((base >> DESC_BASE_HIGH8) & BYTE_MASK) << DESC_BASE_TOP;
	ac32_enter();
}

GUEST_ATTACK(ac, attack_ac);
