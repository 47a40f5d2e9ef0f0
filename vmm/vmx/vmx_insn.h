/* SPDX-License-Identifier: MIT */
/*
 * The VMX instructions (Intel SDM vol. 3C chapter 31) as inline wrappers, and the VM entry of
 * vmx_entry.S. VMXON, VMCLEAR, VMPTRLD and VMWRITE fail with CF or ZF set (31.2 "Conventions"):
 * their wrappers return 0 or -EIO. INVEPT and INVVPID take a 128-bit descriptor (31.3). Kernel
 * only; used by the files of the VMX backend.
 */
#ifndef SKIFF_VMM_VMX_VMX_INSN_H
#define SKIFF_VMM_VMX_VMX_INSN_H

#include <errno.h>
#include <stdint.h>

#include "vmm/vmx/vmcs_fields.h"

/* vmx_status - 0, or -EIO when a VMX instruction set CF or ZF (@failed: SETNA's result). */
static inline int vmx_status(uint8_t failed)
{
	return failed ? -EIO : 0;
}

/* vmx_vmxon - enter VMX root operation with the VMXON region at physical @pa (31.3 "VMXON"). */
static inline int vmx_vmxon(uint64_t pa)
{
	uint8_t failed;

	__asm__ volatile("vmxon %1; setna %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	return vmx_status(failed);
}

/* vmx_vmclear - make the VMCS at physical @pa clear, inactive and not current (31.3). */
static inline int vmx_vmclear(uint64_t pa)
{
	uint8_t failed;

	__asm__ volatile("vmclear %1; setna %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	return vmx_status(failed);
}

/* vmx_vmptrld - make the VMCS at physical @pa the current VMCS (31.3 "VMPTRLD"). */
static inline int vmx_vmptrld(uint64_t pa)
{
	uint8_t failed;

	__asm__ volatile("vmptrld %1; setna %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	return vmx_status(failed);
}

/* vmx_vmread - field @field (appendix B encoding) of the current VMCS; 0 if the read fails. */
static inline uint64_t vmx_vmread(uint32_t field)
{
	uint64_t value = 0;

	__asm__ volatile("vmread %1, %0" : "+r"(value) : "r"((uint64_t)field) : "cc");
	return value;
}

/* vmx_vmwrite - write @value to field @field of the current VMCS (31.3 "VMWRITE"). */
static inline int vmx_vmwrite(uint32_t field, uint64_t value)
{
	uint8_t failed;

	__asm__ volatile("vmwrite %1, %2; setna %0"
			 : "=qm"(failed)
			 : "r"(value), "r"((uint64_t)field)
			 : "cc");
	return vmx_status(failed);
}

/* vmx_invept_all - all-context INVEPT: drop the EPT-derived translations of every EPTP. */
static inline void vmx_invept_all(void)
{
	const uint64_t desc[2] = { 0, 0 };

	__asm__ volatile("invept %0, %1"
			 :
			 : "m"(desc), "r"((uint64_t)INVEPT_ALL_CONTEXT)
			 : "cc", "memory");
}

/* vmx_invvpid_all - all-context INVVPID: drop the translations tagged with any VPID but 0. */
static inline void vmx_invvpid_all(void)
{
	const uint64_t desc[2] = { 0, 0 };

	__asm__ volatile("invvpid %0, %1"
			 :
			 : "m"(desc), "r"((uint64_t)INVVPID_ALL_CONTEXT)
			 : "cc", "memory");
}

/* vmx_entry.S: 0 after a VM exit, else VMLAUNCH / VMRESUME failed (31.2 "Conventions"). */
#define VMX_ENTER_FAIL_INVALID 1 /* VMfailInvalid (CF): no current VMCS */
#define VMX_ENTER_FAIL_VALID   2 /* VMfailValid (ZF): VM-instruction error in field 4400H */

/*
 * vmx_enter - one VM entry (VMLAUNCH when @launched is 0, else VMRESUME) with the guest's general
 * registers from @gpr (struct vcpu_regs.gpr), and its exit: the registers go back to @gpr.
 * Returns 0 after a VM exit or VMX_ENTER_FAIL_*.
 */
int vmx_enter(uint64_t *gpr, int launched);

/* Where a VM exit lands (the VMCS's HOST_RIP): inside vmx_enter(). */
extern const char vmx_exit_point[];

#endif
