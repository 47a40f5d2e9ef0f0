/* SPDX-License-Identifier: MIT */
/*
 * Entry stubs for the 32 CPU exception vectors (Intel SDM vol. 3A, 6.15). Each stub is 16 bytes
 * long, so stub N sits at trap_stubs + 16 * N. A stub pushes a zero error code where the CPU
 * pushes none, then the vector, and joins trap_common, which saves the general registers as a
 * struct trap_frame (kernel/arch/x86/trap.h) and calls trap_handler. Exceptions are fatal in skiff today:
 * trap_handler never returns.
 *
 * Interrupt vectors 32-255 have 16-byte stubs too (irq_stubs + 16 * (vector - 32)): they push
 * the vector and join irq_common, which saves the registers the System V ABI lets a call
 * clobber (and %rbp, which it uses), calls irq_dispatch(vector) on a 16-byte aligned stack and
 * returns with iretq. The NMI (vector 2) is not fatal: its gate is nmi_stub, which returns the
 * same way through nmi_dispatch(); its IRET ends NMI blocking (SDM vol. 3A 6.7.1).
 */
#define TRAP_STUB_SIZE 16

	.macro TRAP_STUB vector, cpu_pushes_error
	.balign TRAP_STUB_SIZE
	.if \cpu_pushes_error == 0
	pushq $0
	.endif
	pushq $\vector
	jmp trap_common
	.endm

	.text
	.balign TRAP_STUB_SIZE
	.globl trap_stubs
trap_stubs:
	TRAP_STUB 0, 0
	TRAP_STUB 1, 0
	TRAP_STUB 2, 0
	TRAP_STUB 3, 0
	TRAP_STUB 4, 0
	TRAP_STUB 5, 0
	TRAP_STUB 6, 0
	TRAP_STUB 7, 0
	TRAP_STUB 8, 1
	TRAP_STUB 9, 0
	TRAP_STUB 10, 1
	TRAP_STUB 11, 1
	TRAP_STUB 12, 1
	TRAP_STUB 13, 1
	TRAP_STUB 14, 1
	TRAP_STUB 15, 0
	TRAP_STUB 16, 0
	TRAP_STUB 17, 1
	TRAP_STUB 18, 0
	TRAP_STUB 19, 0
	TRAP_STUB 20, 0
	TRAP_STUB 21, 1
	TRAP_STUB 22, 0
	TRAP_STUB 23, 0
	TRAP_STUB 24, 0
	TRAP_STUB 25, 0
	TRAP_STUB 26, 0
	TRAP_STUB 27, 0
	TRAP_STUB 28, 0
	TRAP_STUB 29, 1
	TRAP_STUB 30, 1
	TRAP_STUB 31, 0

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	callq trap_handler
	ud2

	.balign TRAP_STUB_SIZE
	.globl irq_stubs
irq_stubs:
	vector = 32
	.rept 256 - 32
	.balign TRAP_STUB_SIZE
	pushq $vector
	jmp irq_common
	vector = vector + 1
	.endr

/* Save the call-clobbered registers, call \fn(vector) on an aligned stack, restore, iretq. */
	.macro CALL_AND_IRET fn
	pushq %rbp
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	movq 80(%rsp), %rdi	/* the vector, pushed by the stub above the ten registers */
	movq %rsp, %rbp
	andq $-16, %rsp
	cld
	callq \fn
	movq %rbp, %rsp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	popq %rbp
	addq $8, %rsp
	iretq
	.endm

irq_common:
	CALL_AND_IRET irq_dispatch

	.balign TRAP_STUB_SIZE
	.globl nmi_stub
nmi_stub:
	pushq $2
	CALL_AND_IRET nmi_dispatch

	.section .note.GNU-stack, "", @progbits
