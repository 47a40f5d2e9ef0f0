// SPDX-License-Identifier: MIT
/*
 * The MSRs the VMX backend virtualises for vcpu_ops.arch_msr: EFER and the SYSENTER MSRs in the
 * VMCS guest-state area (Intel SDM vol. 3C 25.4.1), the switched MSRs (vmx_msr.h) in the guest's
 * MSR area. The contract is in vmx_internal.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/x86/x86.h"
#include "vmm/vcpu_efer.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_insn.h"
#include "vmm/vmx/vmx_internal.h"
#include "vmm/vmx/vmx_msr.h"

/*
 * The CR0 the guest sees: its read shadow in the bits the guest/host mask gives skiff, the
 * guest's CR0 in the others (SDM vol. 3C 25.6.6).
 */
static uint64_t guest_visible_cr0(void)
{
	uint64_t mask = vmx_vmread(VMCS_CR0_GUEST_HOST_MASK);

	return (vmx_vmread(VMCS_GUEST_CR0) & ~mask) | (vmx_vmread(VMCS_CR0_READ_SHADOW) & mask);
}

/*
 * EFER: the VMCS holds the guest's own (loaded at entry, saved at exit); LMA is the CPU's. The
 * write is checked against the CR0 the guest sees (vcpu_efer_write()).
 */
static int efer_msr(bool write, uint64_t *value)
{
	uint64_t efer = vmx_vmread(VMCS_GUEST_IA32_EFER), next;
	int err;

	if (!write) {
		*value = efer;
		return 0;
	}
	err = vcpu_efer_write(efer, *value, guest_visible_cr0(), &next);
	if (err)
		return err;
	vmx_vmcs_write(VMCS_GUEST_IA32_EFER, next);
	return vmx_vmcs_write_check("EFER");
}

/* The VMCS guest-state field of a SYSENTER MSR (25.4.1), 0 for another MSR. */
static uint32_t sysenter_field(uint32_t index)
{
	switch (index) {
	case MSR_IA32_SYSENTER_CS:
		return VMCS_GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP:
		return VMCS_GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP:
		return VMCS_GUEST_SYSENTER_EIP;
	default:
		return 0;
	}
}

/*
 * The MSRs the backend virtualises: EFER and the SYSENTER MSRs in the VMCS, the switched MSRs
 * (vmx_msr.h) in the guest's MSR area, which the next entry loads. A write WRMSR would refuse
 * (vmx_msr_valid()) is -EINVAL: the VM entry loading it would fail.
 */
int vmx_arch_msr(struct vcpu *v, uint32_t index, bool write, uint64_t *value)
{
	struct vmx_vcpu *x = v->backend;
	struct vmx_msr_entry *guest = ((struct vmx_msr_areas *)x->msrs_pa)->guest;
	uint32_t field = sysenter_field(index);
	int slot = vmx_msr_slot(index), err;

	if (index != MSR_EFER && !field && slot < 0)
		return -ENOENT;
	if (write && index != MSR_EFER && !vmx_msr_valid(index, *value, vmx_cpu.va_bits))
		return -EINVAL;
	if (slot >= 0) {
		if (write)
			guest[slot].value = *value;
		else
			*value = guest[slot].value;
		return 0;
	}
	err = vmx_vmcs_load(x);
	if (err)
		return err;
	if (index == MSR_EFER)
		return efer_msr(write, value);
	if (!write) {
		*value = vmx_vmread(field);
		return 0;
	}
	vmx_vmcs_write(field, *value);
	return vmx_vmcs_write_check("SYSENTER MSR");
}
