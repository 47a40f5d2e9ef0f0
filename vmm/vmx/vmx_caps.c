// SPDX-License-Identifier: MIT
/* VMX capability rules: see vmx_caps.h. */
#include "vmm/vmx/vmx_caps.h"

#include <errno.h>
#include <stddef.h>

#include "vmm/vcpu_state.h"
#include "vmm/vmx/vmcs_fields.h"

#define LOW32	       0xffffffffull
#define ATTR_LOW_MASK  0x00ffu /* vcpu_state.h: descriptor bits 47:40 */
#define ATTR_HIGH_MASK 0x0f00u /* vcpu_state.h: descriptor bits 55:52 */
#define AR_HIGH_SHIFT  4       /* bits 11:8 of the attributes are bits 15:12 of the AR */

uint32_t vmx_ctls_msr(uint64_t basic, enum vmx_ctls which)
{
	bool true_ctls = basic & VMX_BASIC_TRUE_CTLS;

	switch (which) {
	case VMX_CTLS_PIN:
		return true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS;
	case VMX_CTLS_PROC:
		return true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS;
	case VMX_CTLS_EXIT:
		return true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS;
	case VMX_CTLS_ENTRY:
		return true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS;
	case VMX_CTLS_PROC2:
		return MSR_IA32_VMX_PROCBASED_CTLS2;
	}
	return 0;
}

int vmx_ctls_adjust(uint64_t cap, uint32_t required, uint32_t optional, uint32_t forbidden,
		    uint32_t *ctls, uint32_t *conflict)
{
	uint32_t allowed0 = (uint32_t)(cap & LOW32),
		 allowed1 = (uint32_t)(cap >> VMX_CTLS_ALLOWED1_SHIFT);

	*conflict = allowed0 & ~allowed1;
	if (*conflict)
		return -EINVAL;
	*conflict = (required & ~allowed1) | (forbidden & allowed0);
	if (*conflict)
		return -EOPNOTSUPP;
	*ctls = allowed0 | required | (optional & allowed1);
	return 0;
}

struct ctl_name {
	uint32_t bit;
	const char *name;
};

static const struct ctl_name pin_names[] = {
	{ PIN_EXTINT_EXITING, "external-interrupt exiting" },
	{ PIN_NMI_EXITING, "NMI exiting" },
	{ PIN_VIRTUAL_NMIS, "virtual NMIs" },
};

static const struct ctl_name proc_names[] = {
	{ PROC_INTR_WINDOW_EXITING, "interrupt-window exiting" },
	{ PROC_HLT_EXITING, "HLT exiting" },
	{ PROC_INVLPG_EXITING, "INVLPG exiting" },
	{ PROC_MWAIT_EXITING, "MWAIT exiting" },
	{ PROC_RDPMC_EXITING, "RDPMC exiting" },
	{ PROC_CR3_LOAD_EXITING, "CR3-load exiting" },
	{ PROC_CR3_STORE_EXITING, "CR3-store exiting" },
	{ PROC_CR8_LOAD_EXITING, "CR8-load exiting" },
	{ PROC_CR8_STORE_EXITING, "CR8-store exiting" },
	{ PROC_USE_TPR_SHADOW, "use TPR shadow" },
	{ PROC_MOV_DR_EXITING, "MOV-DR exiting" },
	{ PROC_UNCOND_IO_EXITING, "unconditional I/O exiting" },
	{ PROC_USE_IO_BITMAPS, "use I/O bitmaps" },
	{ PROC_USE_MSR_BITMAPS, "use MSR bitmaps" },
	{ PROC_MONITOR_EXITING, "MONITOR exiting" },
	{ PROC_SECONDARY_CTLS, "activate secondary controls" },
};

static const struct ctl_name proc2_names[] = {
	{ PROC2_ENABLE_EPT, "enable EPT" },
	{ PROC2_ENABLE_RDTSCP, "enable RDTSCP" },
	{ PROC2_ENABLE_VPID, "enable VPID" },
	{ PROC2_WBINVD_EXITING, "WBINVD exiting" },
	{ PROC2_UNRESTRICTED, "unrestricted guest" },
	{ PROC2_ENABLE_INVPCID, "enable INVPCID" },
	{ PROC2_EPT_VIOLATION_VE, "EPT-violation #VE" },
	{ PROC2_ENABLE_XSAVES, "enable XSAVES/XRSTORS" },
};

static const struct ctl_name exit_names[] = {
	{ EXIT_SAVE_DEBUG_CTLS, "save debug controls" },
	{ EXIT_HOST_ADDR_SPACE, "host address-space size" },
	{ EXIT_ACK_INTR_ON_EXIT, "acknowledge interrupt on exit" },
	{ EXIT_SAVE_IA32_PAT, "save IA32_PAT" },
	{ EXIT_LOAD_IA32_PAT, "load IA32_PAT" },
	{ EXIT_SAVE_IA32_EFER, "save IA32_EFER" },
	{ EXIT_LOAD_IA32_EFER, "load IA32_EFER" },
};

static const struct ctl_name entry_names[] = {
	{ ENTRY_LOAD_DEBUG_CTLS, "load debug controls" },
	{ ENTRY_IA32E_MODE, "IA-32e mode guest" },
	{ ENTRY_LOAD_IA32_PAT, "load IA32_PAT" },
	{ ENTRY_LOAD_IA32_EFER, "load IA32_EFER" },
};

#define NAMES(a)                            \
	{                                   \
		a, sizeof(a) / sizeof(a[0]) \
	}

static const struct {
	const struct ctl_name *names;
	size_t n;
} ctl_names[] = {
	[VMX_CTLS_PIN] = NAMES(pin_names),     [VMX_CTLS_PROC] = NAMES(proc_names),
	[VMX_CTLS_EXIT] = NAMES(exit_names),   [VMX_CTLS_ENTRY] = NAMES(entry_names),
	[VMX_CTLS_PROC2] = NAMES(proc2_names),
};

const char *vmx_ctl_name(enum vmx_ctls which, uint32_t bit)
{
	if ((unsigned int)which >= sizeof(ctl_names) / sizeof(ctl_names[0]))
		return NULL;
	for (size_t i = 0; i < ctl_names[which].n; i++)
		if (ctl_names[which].names[i].bit == bit)
			return ctl_names[which].names[i].name;
	return NULL;
}

uint64_t vmx_cr_fixed(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value | fixed0) & fixed1;
}

bool vmx_cr_valid(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return vmx_cr_fixed(value, fixed0, fixed1) == value;
}

uint64_t vmx_guest_cr0_fixed0(uint64_t fixed0, bool unrestricted)
{
	return unrestricted ? fixed0 & ~(X86_CR0_PE | X86_CR0_PG) : fixed0;
}

int vmx_basic_check(uint64_t basic, uint32_t *revision, uint32_t *size)
{
	uint64_t memtype = (basic & VMX_BASIC_MEMTYPE_MASK) >> VMX_BASIC_MEMTYPE_SHIFT;

	*revision = (uint32_t)(basic & VMX_BASIC_REVISION_MASK);
	*size = (uint32_t)((basic & VMX_BASIC_SIZE_MASK) >> VMX_BASIC_SIZE_SHIFT);
	if (!*size || *size > VMX_REGION_MAX || memtype != VMX_BASIC_MEMTYPE_WB)
		return -EOPNOTSUPP;
	return 0;
}

int vmx_feature_control(uint64_t now, uint64_t *value)
{
	*value = now;
	if (!(now & FEATURE_CONTROL_LOCK)) {
		*value = now | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_NO_SMX;
		return 0;
	}
	return now & FEATURE_CONTROL_VMX_NO_SMX ? 0 : -EPERM;
}

uint32_t vmx_seg_ar(uint16_t attrib)
{
	if (!(attrib & VCPU_SEG_P))
		return VMX_AR_UNUSABLE;
	return (attrib & ATTR_LOW_MASK) | ((uint32_t)(attrib & ATTR_HIGH_MASK) << AR_HIGH_SHIFT);
}

uint16_t vmx_seg_attrib(uint32_t ar)
{
	if (ar & VMX_AR_UNUSABLE)
		return 0;
	return (uint16_t)((ar & VMX_AR_LOW_MASK) | ((ar & VMX_AR_HIGH_MASK) >> AR_HIGH_SHIFT));
}
