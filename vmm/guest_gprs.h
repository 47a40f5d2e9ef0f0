/* SPDX-License-Identifier: MIT */
/*
 * The guest GPR array (struct vcpu_regs.gpr[], vmm/vcpu_state.h: index = the x86 register
 * number, 8 bytes each) as the backends' entry code (svm/svm_entry.S, vmx/vmx_entry.S) reaches
 * it: byte offsets, and macros that load every GPR but RAX, RSP and RDI from it, and store them
 * back. RSP lives in the VMCB / VMCS; RAX and RDI are each backend's own business (RAX holds
 * the VMCB for VMRUN; RDI holds the array itself until the last load). vcpu.c checks these
 * offsets against the C layout.
 */
#ifndef SKIFF_VMM_GUEST_GPRS_H
#define SKIFF_VMM_GUEST_GPRS_H

#define GPR_RAX 0
#define GPR_RCX 8
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

#ifdef __ASSEMBLER__
/* Assembler macros: not C. */
/* clang-format off */
/* The host's callee-saved registers (System V AMD64 ABI) around a VM entry: push, then pop. */
.macro HOST_CALLEE_SAVED_PUSH
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro HOST_CALLEE_SAVED_POP
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
.endm

/* Load RCX, RDX, RBX, RBP, RSI, R8-R15 from the array at \base (a register, not one of them). */
.macro GUEST_GPRS_LOAD base
	movq GPR_RCX(\base), %rcx
	movq GPR_RDX(\base), %rdx
	movq GPR_RBX(\base), %rbx
	movq GPR_RBP(\base), %rbp
	movq GPR_RSI(\base), %rsi
	movq GPR_R8(\base), %r8
	movq GPR_R9(\base), %r9
	movq GPR_R10(\base), %r10
	movq GPR_R11(\base), %r11
	movq GPR_R12(\base), %r12
	movq GPR_R13(\base), %r13
	movq GPR_R14(\base), %r14
	movq GPR_R15(\base), %r15
.endm

/* Store the same registers into the array at \base. */
.macro GUEST_GPRS_STORE base
	movq %rcx, GPR_RCX(\base)
	movq %rdx, GPR_RDX(\base)
	movq %rbx, GPR_RBX(\base)
	movq %rbp, GPR_RBP(\base)
	movq %rsi, GPR_RSI(\base)
	movq %r8, GPR_R8(\base)
	movq %r9, GPR_R9(\base)
	movq %r10, GPR_R10(\base)
	movq %r11, GPR_R11(\base)
	movq %r12, GPR_R12(\base)
	movq %r13, GPR_R13(\base)
	movq %r14, GPR_R14(\base)
	movq %r15, GPR_R15(\base)
.endm
/* clang-format on */
#endif

#endif
