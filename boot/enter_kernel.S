/* SPDX-License-Identifier: MIT */
/*
 * enter_kernel(bi = %rdi, stack_top = %rsi, entry = %rdx): leave the firmware's stack for
 * skiff's own and call entry(bi). The stack top is page aligned, so %rsp is 16-byte aligned at
 * the call as the System V ABI requires. entry never returns.
 */
	.text
	.globl enter_kernel
	.type enter_kernel, @function
enter_kernel:
	movq %rsi, %rsp
	xorl %ebp, %ebp
	callq *%rdx
	ud2
	.size enter_kernel, . - enter_kernel

	.section .note.GNU-stack, "", @progbits
