/* SPDX-License-Identifier: MIT */
/*
 * int vmx_enter(uint64_t gpr[16], int launched)
 *
 * One VM entry and its exit (Intel SDM vol. 3C 27 "VM Entries", 28 "VM Exits", 31
 * "VMLAUNCH/VMRESUME"): save the host's callee-saved registers and RFLAGS on the stack, write
 * the stack pointer to the VMCS's HOST_RSP (6C14H), load the guest's general registers from
 * @gpr (struct vcpu_regs.gpr, indexed by encoding; RSP, RIP and RFLAGS are VMCS fields), and
 * VMLAUNCH (@launched 0) or VMRESUME. A VM exit lands at vmx_exit_point (HOST_RIP) with the
 * stack as it was written to HOST_RSP and RFLAGS = 2 (28.5.3): the guest's registers go back to
 * @gpr and the host's RFLAGS (its IF) come back with POPFQ. Returns 0 after a VM exit, 1 when
 * the instruction failed with VMfailInvalid (CF) and 2 with VMfailValid (ZF, error in 4400H).
 */
#include "vmm/guest_gprs.h"

#define VMCS_HOST_RSP 0x6c14 /* appendix B.4.4 */
#define FAIL_INVALID 1
#define FAIL_VALID   2

	.text
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	HOST_CALLEE_SAVED_PUSH
	pushfq
	pushq %rdi /* the gpr array, found again at the exit */

	movq $VMCS_HOST_RSP, %rax
	vmwrite %rsp, %rax
	jbe 2f /* CF or ZF: VMWRITE failed; VMLAUNCH would fail the same way */

	testl %esi, %esi /* the flags survive the MOVs below */
	movq GPR_RAX(%rdi), %rax
	GUEST_GPRS_LOAD %rdi
	movq GPR_RDI(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp 2f
1:	vmresume
	/* Only reached when the instruction failed: CF or ZF tells how. */
2:	movl $FAIL_INVALID, %eax
	jc 3f
	movl $FAIL_VALID, %eax
3:	popq %rdi
	jmp 4f

	.globl vmx_exit_point
vmx_exit_point:
	pushq %rdi
	movq 8(%rsp), %rdi
	movq %rax, GPR_RAX(%rdi)
	GUEST_GPRS_STORE %rdi
	popq GPR_RDI(%rdi)
	popq %rdi
	xorl %eax, %eax

4:	popfq
	HOST_CALLEE_SAVED_POP
	ret
	.size vmx_enter, . - vmx_enter

	.section .note.GNU-stack, "", @progbits
