/* SPDX-License-Identifier: MIT */
/*
 * CPL 3 and back (user.c). user_enter(fn, rsp, rflags) saves the callee-saved registers, RFLAGS
 * and its stack pointer, then IRETQs to user_trampoline at CPL 3 (SDM vol. 3A 6.14.3: IRET to a less
 * privileged level loads SS:RSP from the frame); the trampoline calls fn and hands its result
 * back with INT USER_RETURN_VECTOR, whose DPL-3 gate enters user_return_entry at CPL 0 on the
 * TSS's RSP0 stack; that reloads the saved stack, registers and RFLAGS (the gate kept fn's AC,
 * for one) and returns fn's result from user_enter.
 */
#include "tests/guests/desc.h"

	.text
	.globl user_enter
user_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushfq
	movq %rsp, user_kernel_rsp(%rip)
	pushq $SEL_UDATA | SEL_RPL3
	pushq %rsi
	pushq %rdx
	pushq $SEL_UCODE64 | SEL_RPL3
	leaq user_trampoline(%rip), %rax
	pushq %rax
	iretq

user_trampoline:
	call *%rdi
	movq %rax, %rdi
	int $USER_RETURN_VECTOR
	ud2

	.globl user_return_entry
user_return_entry:
	movq user_kernel_rsp(%rip), %rsp
	movq %rdi, %rax
	movl $SEL_DATA, %ecx
	movl %ecx, %ds
	movl %ecx, %es
	movl %ecx, %ss
	popfq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.bss
	.balign 8
user_kernel_rsp:
	.skip 8

	.section .note.GNU-stack, "", @progbits
