/* SPDX-License-Identifier: MIT */
/*
 * The MSRs a VM entry and a VM exit do not switch and skiff switches itself, through the VM-entry
 * MSR-load, VM-exit MSR-store and VM-exit MSR-load areas (Intel SDM vol. 3C 25.7.2, 25.8.2, 27.4
 * "Loading MSRs", 28.4 "Saving MSRs", 28.6 "Loading Host MSRs"): IA32_KERNEL_GS_BASE (SWAPGS),
 * IA32_STAR, IA32_LSTAR, IA32_CSTAR and IA32_FMASK (SYSCALL), the guest's while it runs and the
 * host's after every exit. And what a guest's WRMSR may write to them and to the SYSENTER MSRs,
 * which the VMCS holds (guest-state fields, 25.4.1): what WRMSR itself would refuse with #GP
 * (SDM vol. 2B "WRMSR", vol. 4 table 2-2), which is also what VM entry would fail on (27.3.1.1,
 * 27.4). Pure: runs on the host under tests (tests/unit/test_vmx_msr.c).
 */
#ifndef SKIFF_VMM_VMX_VMX_MSR_H
#define SKIFF_VMM_VMX_VMX_MSR_H

#include <stdbool.h>
#include <stdint.h>

/* One entry of an MSR area (25.7.2 table 25-15): 16-byte aligned, bits 63:32 reserved (0). */
struct vmx_msr_entry {
	uint32_t index;
	uint32_t reserved;
	uint64_t value;
};
_Static_assert(sizeof(struct vmx_msr_entry) == 16, "SDM 3C table 25-15");

#define VMX_SWITCHED_MSRS 5

/* vmx_msr_area_init - the VMX_SWITCHED_MSRS entries of @area: each switched MSR's index, value
 * 0 (the MSRs' value after reset; vol. 4 table 2-2). */
void vmx_msr_area_init(struct vmx_msr_entry *area);

/* vmx_msr_slot - the entry of MSR @index in an area vmx_msr_area_init() set up, or -ENOENT when
 * skiff does not switch it. */
int vmx_msr_slot(uint32_t index);

/*
 * vmx_msr_valid - may a WRMSR write @value to MSR @index (a switched MSR or IA32_SYSENTER_CS /
 * _ESP / _EIP) on a CPU with @va_bits-bit linear addresses (1-64; CPUID.80000008H:EAX[15:8])? The
 * addresses (KERNEL_GS_BASE, LSTAR, CSTAR, SYSENTER_ESP, SYSENTER_EIP) must be canonical; FMASK
 * and SYSENTER_CS have no bits 63:32 (reserved; the VMCS field of SYSENTER_CS is 32 bits). False
 * for any other MSR.
 */
bool vmx_msr_valid(uint32_t index, uint64_t value, unsigned int va_bits);

#endif
