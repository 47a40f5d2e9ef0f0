/* SPDX-License-Identifier: MIT */
/*
 * The VMX bring-up guest (vmx_selftest.c): position-independent 32-bit code that skiff copies
 * to guest-physical VMX_TINY_LOAD and starts in protected mode with paging off (unrestricted
 * guest, EPT). Each instruction below exits once, in this order: OUT to the console port, CPUID
 * leaf 0, a load and a store at VMX_TINY_PROBE (no RAM there: EPT violations), VMCALL HC_EXIT
 * with the loaded value in EBX, then HLT.
 */
#include "vmm/hypercall.h"
#include "vmm/vmx/vmx_selftest.h"

	.section .rodata
	.code32
	.globl vmx_tiny_guest, vmx_tiny_guest_end
vmx_tiny_guest:
	movb $VMX_TINY_CHAR, %al
	outb %al, $HC_CONSOLE_PORT
	xorl %eax, %eax
	cpuid
	movl VMX_TINY_PROBE, %ebx
	movl $VMX_TINY_STORE, VMX_TINY_PROBE
	movl $HC_EXIT, %eax
	vmcall
	hlt
vmx_tiny_guest_end:
	.code64

	.section .note.GNU-stack, "", @progbits
