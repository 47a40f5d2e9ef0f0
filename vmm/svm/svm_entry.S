/* SPDX-License-Identifier: MIT */
/*
 * void svm_vmrun(uint64_t gpr[16], uint64_t vmcb_pa, uint64_t host_save_pa)
 *
 * One world switch (AMD APM vol. 2 15.5 "VMRUN", 15.5.2 "VMSAVE and VMLOAD"): with the global
 * interrupt flag clear (CLGI, 15.17), save the host's FS, GS, TR, LDTR and syscall MSRs with
 * VMSAVE to @host_save_pa, load the guest's with VMLOAD from the VMCB, load the guest's general
 * registers from @gpr (struct vcpu_regs.gpr, indexed by encoding; RAX and RSP come from the
 * VMCB), VMRUN, and on #VMEXIT store them back, VMSAVE the guest's, VMLOAD the host's and STGI.
 * VMRUN itself saves and restores the host's RSP, RAX, RFLAGS, CR0/3/4, EFER, GDTR, IDTR and
 * ES/CS/SS/DS in the VM_HSAVE_PA area; the callee-saved registers are kept on the stack here.
 * Interrupts that arrive while the guest runs exit it (INTR intercept) and are taken at STGI.
 */
#include "vmm/guest_gprs.h"

#define STACK_GPR 24 /* gpr pointer, above the guest RDI, VMCB and host-save slots */

	.text
	.globl svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	HOST_CALLEE_SAVED_PUSH
	pushq %rdi
	pushq %rdx
	pushq %rsi

	clgi
	movq %rdx, %rax
	vmsave
	movq %rsi, %rax
	vmload

	GUEST_GPRS_LOAD %rdi
	movq GPR_RDI(%rdi), %rdi

	vmrun

	/* RAX (the VMCB) and RSP are the host's again; the other registers hold the guest's. */
	pushq %rdi
	movq STACK_GPR(%rsp), %rdi
	GUEST_GPRS_STORE %rdi
	popq GPR_RDI(%rdi)

	vmsave
	popq %rax /* the VMCB */
	popq %rax /* the host save area */
	vmload
	stgi

	popq %rdi
	HOST_CALLEE_SAVED_POP
	ret
	.size svm_vmrun, . - svm_vmrun

	.section .note.GNU-stack, "", @progbits
