/* SPDX-License-Identifier: MIT */
/*
 * Exception stubs for vectors 0-31 (trap.c), TRAP_STUB_SIZE bytes each: the vectors with an
 * error code (SDM vol. 3A table 6-1: 8, 10-14, 17, 21, 29, 30) have it pushed by the CPU, the
 * others push a zero; each then pushes its vector and joins trap_common, which saves the
 * caller-saved registers and RBX, calls trap_handle(frame) and returns by IRETQ.
 */
#define TRAP_STUB_SIZE 16
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
		      (v) == 29 || (v) == 30)

	.text
	.balign TRAP_STUB_SIZE
	.globl trap_stubs
trap_stubs:
	vector = 0
	.rept 32
	.balign TRAP_STUB_SIZE
	.if !HAS_ERROR(vector)
	pushq $0
	.endif
	pushq $vector
	jmp trap_common
	vector = vector + 1
	.endr

trap_common:
	/* frame: vector, error, RIP, CS, RFLAGS, RSP, SS (struct trap_frame) */
	pushq %rbx
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	leaq 80(%rsp), %rdi
	movq %rsp, %rbx
	andq $-16, %rsp
	call trap_handle
	movq %rbx, %rsp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	popq %rbx
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
