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
#define GPR_RCX 8 /* byte offsets of gpr[VCPU_RCX] ... (vmm/vcpu_state.h) */
#define GPR_RDX 16
#define GPR_RBX 24
#define GPR_RBP 40
#define GPR_RSI 48
#define GPR_RDI 56
#define GPR_R8	64
#define GPR_R9	72
#define GPR_R10 80
#define GPR_R11 88
#define GPR_R12 96
#define GPR_R13 104
#define GPR_R14 112
#define GPR_R15 120
#define STACK_GPR 24 /* gpr pointer, above the guest RDI, VMCB and host-save slots */

	.text
	.globl svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi
	pushq %rdx
	pushq %rsi

	clgi
	movq %rdx, %rax
	vmsave
	movq %rsi, %rax
	vmload

	movq GPR_RCX(%rdi), %rcx
	movq GPR_RDX(%rdi), %rdx
	movq GPR_RBX(%rdi), %rbx
	movq GPR_RBP(%rdi), %rbp
	movq GPR_RSI(%rdi), %rsi
	movq GPR_R8(%rdi), %r8
	movq GPR_R9(%rdi), %r9
	movq GPR_R10(%rdi), %r10
	movq GPR_R11(%rdi), %r11
	movq GPR_R12(%rdi), %r12
	movq GPR_R13(%rdi), %r13
	movq GPR_R14(%rdi), %r14
	movq GPR_R15(%rdi), %r15
	movq GPR_RDI(%rdi), %rdi

	vmrun

	/* RAX (the VMCB) and RSP are the host's again; the other registers hold the guest's. */
	pushq %rdi
	movq STACK_GPR(%rsp), %rdi
	movq %rcx, GPR_RCX(%rdi)
	movq %rdx, GPR_RDX(%rdi)
	movq %rbx, GPR_RBX(%rdi)
	movq %rbp, GPR_RBP(%rdi)
	movq %rsi, GPR_RSI(%rdi)
	movq %r8, GPR_R8(%rdi)
	movq %r9, GPR_R9(%rdi)
	movq %r10, GPR_R10(%rdi)
	movq %r11, GPR_R11(%rdi)
	movq %r12, GPR_R12(%rdi)
	movq %r13, GPR_R13(%rdi)
	movq %r14, GPR_R14(%rdi)
	movq %r15, GPR_R15(%rdi)
	popq GPR_RDI(%rdi)

	vmsave
	popq %rax /* the VMCB */
	popq %rax /* the host save area */
	vmload
	stgi

	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size svm_vmrun, . - svm_vmrun

	.section .note.GNU-stack, "", @progbits
