// SPDX-License-Identifier: MIT
/* The MSRs skiff switches around VMX guests: see vmx_msr.h. */
#include "vmm/vmx/vmx_msr.h"

#include <errno.h>

#include "kernel/arch/x86/x86.h"
#include "vmm/vmx/vmcs_fields.h"

#define HIGH32_MASK 0xffffffff00000000ull
#define REG_BITS    64

static const uint32_t switched[VMX_SWITCHED_MSRS] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
};

void vmx_msr_area_init(struct vmx_msr_entry *area)
{
	for (unsigned int i = 0; i < VMX_SWITCHED_MSRS; i++)
		area[i] = (struct vmx_msr_entry){ .index = switched[i] };
}

int vmx_msr_slot(uint32_t index)
{
	for (unsigned int i = 0; i < VMX_SWITCHED_MSRS; i++)
		if (switched[i] == index)
			return (int)i;
	return -ENOENT;
}

/* Bits 63:@va_bits-1 all equal (vol. 1 3.3.7.1 "Canonical Addressing"). */
static bool canonical(uint64_t value, unsigned int va_bits)
{
	unsigned int shift = REG_BITS - va_bits;

	return (uint64_t)((int64_t)(value << shift) >> shift) == value;
}

bool vmx_msr_valid(uint32_t index, uint64_t value, unsigned int va_bits)
{
	switch (index) {
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return canonical(value, va_bits);
	case MSR_SFMASK:
	case MSR_IA32_SYSENTER_CS:
		return !(value & HIGH32_MASK);
	case MSR_STAR:
		return true;
	default:
		return false;
	}
}
