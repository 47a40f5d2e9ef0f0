// SPDX-License-Identifier: MIT
/* VMCB encoders and the VMRUN consistency checks: see svm_vmcb.h. */
#include "vmm/svm/svm_vmcb.h"

#include <errno.h>
#include <stddef.h>

#include "kernel/arch/x86/x86.h"
#include "vmm/vcpu_state.h"

#define ATTR_LOW_MASK	0x00ffu
#define ATTR_HIGH_SHIFT 8
#define DESC_NIBBLE	0xfull
#define DESC_BYTE	0xffull

/* MSR permissions map ranges (15.11, table 15-11): 8192 MSRs each, 2 bits per MSR. */
#define MSRPM_RANGE_MSRS  0x2000u
#define MSRPM_RANGE_BYTES (MSRPM_RANGE_MSRS * 2 / 8)
#define MSR_RANGE0	  0x00000000u
#define MSR_RANGE1	  0xc0000000u
#define MSR_RANGE2	  0xc0010000u

/* The SYSENTER MSRs (SDM vol. 4 table 2-2; APM vol. 2 6.1.1). */
#define MSR_SYSENTER_CS	 0x174u
#define MSR_SYSENTER_ESP 0x175u
#define MSR_SYSENTER_EIP 0x176u

/* Consistency-check masks (15.5.1). */
#define CR0_CD (1ull << 30)
#define CR0_NW (1ull << 29)
#define HIGH32 0xffffffff00000000ull
/* EFER bits defined (APM vol. 2 3.1.7): SCE 0, LME 8, LMA 10, NXE 11, SVME 12, LMSLE 13,
 * FFXSR 14, TCE 15, MCOMMIT 17, INTWB 18, UAIE 20, AIBRSE 21; the others must be 0. */
#define EFER_DEFINED	0x036fd01ull
#define PAT_ENTRIES	8
#define PAT_ENTRY_BITS	8
#define PAT_TYPE_MASK	0xffull
#define PAT_TYPES	8
#define PAT_VALID_TYPES 0xf3u /* UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7 */

uint16_t svm_attr_from_desc(uint64_t desc)
{
	return (uint16_t)(((desc >> DESC_ATTR_LOW_SHIFT) & DESC_BYTE) |
			  (((desc >> DESC_ATTR_HIGH_SHIFT) & DESC_NIBBLE) << ATTR_HIGH_SHIFT));
}

uint64_t svm_attr_to_desc(uint16_t attrib)
{
	return ((uint64_t)(attrib & ATTR_LOW_MASK) << DESC_ATTR_LOW_SHIFT) |
	       ((uint64_t)((attrib >> ATTR_HIGH_SHIFT) & DESC_NIBBLE) << DESC_ATTR_HIGH_SHIFT);
}

void svm_vmcb_set_seg(void *vmcb, unsigned int seg, uint16_t selector, uint16_t attrib,
		      uint32_t limit, uint64_t base)
{
	svm_vmcb_wr16(vmcb, seg + VMCB_SEG_SELECTOR, selector);
	svm_vmcb_wr16(vmcb, seg + VMCB_SEG_ATTRIB, attrib & SVM_ATTR_MASK);
	svm_vmcb_wr32(vmcb, seg + VMCB_SEG_LIMIT, limit);
	svm_vmcb_wr64(vmcb, seg + VMCB_SEG_BASE, base);
}

int svm_msrpm_offset(uint32_t msr, unsigned int *byte, unsigned int *bit)
{
	static const uint32_t first[] = { MSR_RANGE0, MSR_RANGE1, MSR_RANGE2 };

	for (unsigned int i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		if (msr - first[i] < MSRPM_RANGE_MSRS) {
			unsigned int n = msr - first[i];

			*byte = i * MSRPM_RANGE_BYTES + n / 4;
			*bit = (n % 4) * 2;
			return 0;
		}
	}
	return -ERANGE;
}

/* The MSRs VMLOAD and VMSAVE switch and where the state save area keeps them (table B-2). */
static const struct {
	uint32_t msr;
	unsigned int off;
	bool address; /* a linear address: WRMSR requires it canonical */
} save_msrs[] = {
	{ MSR_STAR, VMCB_STAR, false },
	{ MSR_LSTAR, VMCB_LSTAR, true },
	{ MSR_CSTAR, VMCB_CSTAR, true },
	{ MSR_SFMASK, VMCB_SFMASK, false },
	{ MSR_KERNEL_GS_BASE, VMCB_KGS_BASE, true },
	{ MSR_SYSENTER_CS, VMCB_SYSENTER_CS, false },
	{ MSR_SYSENTER_ESP, VMCB_SYSENTER_ESP, true },
	{ MSR_SYSENTER_EIP, VMCB_SYSENTER_EIP, true },
};

static int save_msr(uint32_t msr)
{
	for (unsigned int i = 0; i < sizeof(save_msrs) / sizeof(save_msrs[0]); i++)
		if (save_msrs[i].msr == msr)
			return (int)i;
	return -ENOENT;
}

/* Bits 63 down to @va_bits - 1 all equal (SDM vol. 1 3.3.7.1). */
static bool canonical(uint64_t la, unsigned int va_bits)
{
	int64_t top = (int64_t)la >> (va_bits - 1);

	return top == 0 || top == -1;
}

int svm_vmcb_msr_read(const void *vmcb, uint32_t msr, uint64_t *value)
{
	int i = save_msr(msr);

	if (i < 0)
		return i;
	*value = svm_vmcb_rd64(vmcb, save_msrs[i].off);
	return 0;
}

int svm_vmcb_msr_write(void *vmcb, uint32_t msr, uint64_t value, unsigned int va_bits)
{
	int i = save_msr(msr);

	if (i < 0)
		return i;
	if (save_msrs[i].address && !canonical(value, va_bits))
		return -EINVAL;
	svm_vmcb_wr64(vmcb, save_msrs[i].off, value);
	return 0;
}

static bool pat_valid(uint64_t pat)
{
	for (unsigned int i = 0; i < PAT_ENTRIES; i++) {
		uint64_t type = (pat >> (i * PAT_ENTRY_BITS)) & PAT_TYPE_MASK;

		if (type >= PAT_TYPES || !(PAT_VALID_TYPES & (1u << type)))
			return false;
	}
	return true;
}

const char *svm_vmcb_check(const void *vmcb, unsigned int pa_bits)
{
	uint64_t efer = svm_vmcb_rd64(vmcb, VMCB_EFER), cr0 = svm_vmcb_rd64(vmcb, VMCB_CR0),
		 cr3 = svm_vmcb_rd64(vmcb, VMCB_CR3), cr4 = svm_vmcb_rd64(vmcb, VMCB_CR4);
	uint16_t cs = svm_vmcb_rd16(vmcb, VMCB_CS + VMCB_SEG_ATTRIB);
	uint64_t pa_limit = pa_bits >= 64 ? ~0ull : (1ull << pa_bits);
	bool lme_pg = (efer & X86_EFER_LME) && (cr0 & X86_CR0_PG);

	if (!(efer & SVM_EFER_SVME))
		return "EFER.SVME is 0";
	if (efer & ~EFER_DEFINED)
		return "EFER has a reserved bit set";
	if (!(cr0 & CR0_CD) && (cr0 & CR0_NW))
		return "CR0.NW is 1 with CR0.CD 0";
	if (cr0 & HIGH32)
		return "CR0 bits 63:32 are not 0";
	if (cr3 >= pa_limit && (efer & X86_EFER_LMA))
		return "CR3 has bits set at or above MAXPHYADDR";
	if (cr4 & HIGH32)
		return "CR4 bits 63:32 are not 0";
	if (svm_vmcb_rd64(vmcb, VMCB_DR6) & HIGH32)
		return "DR6 bits 63:32 are not 0";
	if (svm_vmcb_rd64(vmcb, VMCB_DR7) & HIGH32)
		return "DR7 bits 63:32 are not 0";
	if (lme_pg && !(cr4 & X86_CR4_PAE))
		return "EFER.LME and CR0.PG with CR4.PAE 0";
	if (lme_pg && !(cr0 & X86_CR0_PE))
		return "EFER.LME and CR0.PG with CR0.PE 0";
	if (lme_pg && (cr4 & X86_CR4_PAE) && (cs & SVM_ATTR_L) && (cs & SVM_ATTR_DB))
		return "long mode with CS.L and CS.D both 1";
	if (!(svm_vmcb_rd32(vmcb, VMCB_INTERCEPT_MISC2) & SVM_INTERCEPT2_VMRUN))
		return "the VMRUN intercept is 0";
	if (svm_vmcb_rd64(vmcb, VMCB_MSRPM_BASE_PA) + SVM_MSRPM_SIZE > pa_limit)
		return "MSRPM_BASE_PA reaches past MAXPHYADDR";
	if (svm_vmcb_rd64(vmcb, VMCB_IOPM_BASE_PA) + SVM_IOPM_SIZE > pa_limit)
		return "IOPM_BASE_PA reaches past MAXPHYADDR";
	if (!svm_vmcb_rd32(vmcb, VMCB_GUEST_ASID))
		return "guest ASID is 0";
	if ((svm_vmcb_rd64(vmcb, VMCB_NP_CONTROL) & SVM_NP_ENABLE) &&
	    !pat_valid(svm_vmcb_rd64(vmcb, VMCB_G_PAT)))
		return "G_PAT holds a reserved memory type (nested paging on)";
	return NULL;
}
