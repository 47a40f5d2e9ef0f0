/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit half of attack "ac" (attack_ac.c): from 64-bit mode through compatibility mode to
 * legacy protected mode with paging off (SDM vol. 3A 10.8.5.4: clear CR0.PG in compatibility
 * mode, then EFER.LME), the 32-bit IDT and TSS attack_ac.c built, CR0.AM, then IRET to CPL 3 with
 * RFLAGS.AC and ESP one byte off alignment, where a push raises #AC, and #AC's delivery on that
 * stack raises it again. If that push completes, or the CPL-3 #AC handler is reached (its frame
 * was pushed after all), or any other exception comes, the guest ends with HC_EXIT from CPL 0
 * (through the DPL-3 report gate) and a FAIL_AC_* verdict.
 */
#include "tests/guests/desc.h"

#define CR0_PG		 (1 << 31)
#define CR0_AM		 (1 << 18)
#define MSR_EFER	 0xc0000080
#define EFER_LME	 (1 << 8)
#define EFLAGS_AC	 (1 << 18)
#define EFLAGS_IOPL3	 0x3000
#define EFLAGS_FIXED	 0x2
#define MISALIGN	 1
#define AC32_REPORT	 0x30 /* attack_ac.c */
#define HC_EXIT		 1    /* vmm/hypercall.h */
#define FAIL_AC_PUSHED	 (1 << 24) /* TEST_GUEST_FAIL_ATTACK(0): the misaligned push completed */
#define FAIL_AC_HANDLED	 (1 << 25) /* TEST_GUEST_FAIL_ATTACK(1): the #AC handler ran */
#define FAIL_AC_OTHER	 (1 << 26) /* TEST_GUEST_FAIL_ATTACK(2): another exception */

	.text
	.code64
	.globl ac32_enter
ac32_enter:
	cli
	pushq $SEL_CODE32
	leaq compat(%rip), %rax
	pushq %rax
	lretq

	.code32
compat:
	movl %cr0, %eax
	andl $~CR0_PG, %eax
	movl %eax, %cr0
	movl $MSR_EFER, %ecx
	rdmsr
	andl $~EFER_LME, %eax
	wrmsr
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl ac32_kernel_top, %esp
	lidt ac32_idt_pointer
	movl $SEL_TSS32, %eax
	ltr %ax
	movl %cr0, %eax
	orl $CR0_AM, %eax
	movl %eax, %cr0
	movl ac32_user_top, %eax
	subl $MISALIGN, %eax
	pushl $SEL_UDATA | SEL_RPL3
	pushl %eax
	pushl $EFLAGS_AC | EFLAGS_IOPL3 | EFLAGS_FIXED
	pushl $SEL_UCODE32 | SEL_RPL3
	pushl $user
	iretl

user:
	pushl %eax
	movl $FAIL_AC_PUSHED, %ebx
	int $AC32_REPORT

	.globl ac32_user_handler
ac32_user_handler:
	movl $FAIL_AC_HANDLED, %ebx
	int $AC32_REPORT

	.globl ac32_unexpected
ac32_unexpected:
	movl $FAIL_AC_OTHER, %ebx

	/* CPL 0: the verdict in EBX. */
	.globl ac32_report
ac32_report:
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl $HC_EXIT, %eax
	cmpb $0, hc_vmcall
	jne 1f
	vmmcall
	jmp 2f
1:	vmcall
2:	hlt
	jmp 2b

	.section .note.GNU-stack, "", @progbits
