// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_fault.h"

#include <errno.h>
#include <stdio.h>

#include "iommu/vtd/vtd_regs.h"

#define FR_CODES 256

/* Our wording of the fault reason tables (7.1.3); the comments give the spec's condition. */
static const char *const reason_names[FR_CODES] = {
	[VTD_FR_ROOT_NOT_PRESENT] = "root entry not present",
	[VTD_FR_CTX_NOT_PRESENT] = "context entry not present",
	[VTD_FR_CTX_INVALID] = "invalid context entry",
	[VTD_FR_ADDR_BEYOND_AW] = "address beyond the guest address width",
	[VTD_FR_NO_WRITE] = "write without write permission",
	[VTD_FR_NO_READ] = "read without read permission",
	[VTD_FR_SS_ACCESS] = "error reading a second-stage paging entry",
	[VTD_FR_ROOT_ACCESS] = "error reading the root entry",
	[VTD_FR_CTX_ACCESS] = "error reading the context entry",
	[VTD_FR_ROOT_RSVD] = "reserved bits set in the root entry",
	[VTD_FR_CTX_RSVD] = "reserved bits set in the context entry",
	[VTD_FR_SS_RSVD] = "reserved bits set in a second-stage paging entry",
	[VTD_FR_CTX_TT_BLOCKED] = "translation request blocked by the context entry's TT",
	[VTD_FR_INTR_ADDR] = "translated address in the interrupt range",
	[VTD_FR_IR_REQ_RSVD] = "reserved bits set in the interrupt request",
	[VTD_FR_IR_INDEX] = "interrupt index beyond the remapping table",
	[VTD_FR_IR_NOT_PRESENT] = "interrupt remapping entry not present",
	[VTD_FR_IR_TABLE_ACCESS] = "error reading the interrupt remapping table",
	[VTD_FR_IR_IRTE_RSVD] = "reserved bits set in the interrupt remapping entry",
	[VTD_FR_IR_COMPAT_BLOCKED] = "compatibility-format interrupt blocked",
	[VTD_FR_IR_SID_BLOCKED] = "interrupt blocked by source-id verification",
	[VTD_FR_SM_RTADDR_INVALID] = "invalid root table address",
	[VTD_FR_SM_TTM_PASID] = "request with PASID while RTADDR TTM is legacy",
	[VTD_FR_SM_TTM_PAGE_REQ] = "page request while RTADDR TTM is legacy",
	[VTD_FR_SM_ROOT_ACCESS] = "error reading the scalable-mode root entry",
	[VTD_FR_SM_ROOT_NOT_PRESENT] = "scalable-mode root entry not present",
	[VTD_FR_SM_ROOT_RSVD] = "reserved bits set in the scalable-mode root entry",
	[VTD_FR_SM_CTX_ACCESS] = "error reading the scalable-mode context entry",
	[VTD_FR_SM_CTX_NOT_PRESENT] = "scalable-mode context entry not present",
	[VTD_FR_SM_CTX_RSVD] = "reserved bits set in the scalable-mode context entry",
	[VTD_FR_SM_CTX_INVALID] = "invalid scalable-mode context entry",
	[VTD_FR_SM_CTX_DTE] = "translation request while the context entry's DTE is clear",
	[VTD_FR_SM_CTX_PASIDE] = "request with PASID while the context entry's PASIDE is clear",
	[VTD_FR_SM_CTX_PASID_RANGE] = "PASID beyond the context entry's PASID directory size",
	[VTD_FR_SM_CTX_PRE] = "page request while the context entry's PRE is clear",
	[VTD_FR_SM_CTX_RID_PASID] = "invalid RID_PASID in the context entry",
	[VTD_FR_SM_PDIR_ACCESS] = "error reading the PASID directory entry",
	[VTD_FR_SM_PDIR_NOT_PRESENT] = "PASID directory entry not present",
	[VTD_FR_SM_PDIR_RSVD] = "reserved bits set in the PASID directory entry",
	[VTD_FR_SM_PASID_ACCESS] = "error reading the PASID table entry",
	[VTD_FR_SM_PASID_NOT_PRESENT] = "PASID table entry not present",
	[VTD_FR_SM_PASID_RSVD] = "reserved bits set in the PASID table entry",
	[VTD_FR_SM_PASID_INVALID] = "invalid PASID table entry (e.g. unsupported PGTT)",
	[VTD_FR_SM_PASID_ERE] = "execute request while the PASID entry's ERE is clear",
	[VTD_FR_SM_PASID_SRE] = "supervisor request while the PASID entry's SRE is clear",
	[VTD_FR_SM_FS_ACCESS] = "error reading a first-stage paging entry",
	[VTD_FR_SM_FS_NOT_PRESENT] = "first-stage paging entry not present",
	[VTD_FR_SM_FS_RSVD] = "reserved bits set in a first-stage paging entry",
	[VTD_FR_SM_FSPTPTR] = "error reading the first-stage table root (FSPTPTR)",
	[VTD_FR_SM_NEST_FS_AW] = "nested: first-stage entry address beyond the address width",
	[VTD_FR_SM_NEST_FS_ROOT_READ] = "nested: first-stage table root not readable",
	[VTD_FR_SM_NEST_FS_READ] = "nested: first-stage paging entry not readable",
	[VTD_FR_SM_NEST_FS_WRITE] = "nested: first-stage paging entry not writable (A/D update)",
	[VTD_FR_SM_SS_ACCESS] = "error reading a second-stage paging entry",
	[VTD_FR_SM_SS_PERM] = "second-stage paging entry permission error",
	[VTD_FR_SM_SS_RSVD] = "reserved bits set in a second-stage paging entry",
	[VTD_FR_SM_SSPTPTR] = "invalid second-stage table root (SSPTPTR)",
	[VTD_FR_SM_SS_AD_NOSNOOP] = "second-stage A/D update needed in a no-snoop setup",
	[VTD_FR_SM_NON_CANONICAL] = "non-canonical first-stage input address",
	[VTD_FR_SM_USER_SUPERVISOR] = "user request to a supervisor-only first-stage page",
	[VTD_FR_SM_NO_EXEC] = "execute request without execute permission",
	[VTD_FR_SM_ADDR_BEYOND_MAX] = "input address beyond the unit's maximum",
	[VTD_FR_SM_SS_OUT_BEYOND_MAX] = "second-stage output address beyond the maximum",
	[VTD_FR_SM_NO_WRITE] = "write or AtomicOp without write permission",
	[VTD_FR_SM_NO_READ] = "read or AtomicOp without read permission",
	[VTD_FR_SM_INTR_ADDR] = "translated address in the interrupt range",
	[VTD_FR_SM_FS_AD_NOSNOOP] = "first-stage A/D update needed in a no-snoop setup",
	[VTD_FR_SM_FS_AD_FAILED] = "first-stage A/D bit update failed",
};

static const char *const access_names[] = {
	[VTD_FAULT_WRITE] = "write",
	[VTD_FAULT_READ] = "read",
	[VTD_FAULT_PAGE_REQ] = "page request",
	[VTD_FAULT_ATOMIC] = "AtomicOp",
};

void vtd_fault_decode(uint64_t lo, uint64_t hi, struct vtd_fault *out)
{
	uint16_t sid = (uint16_t)(hi & VTD_FRCD_HI_SID_MASK);
	uint8_t reason = (uint8_t)((hi & VTD_FRCD_HI_FR_MASK) >> VTD_FRCD_HI_FR_SHIFT);
	bool intr = reason >= VTD_FR_IR_FIRST && reason <= VTD_FR_IR_LAST;
	bool pp = hi & VTD_FRCD_HI_PP;

	*out = (struct vtd_fault){
		.fault = hi & VTD_FRCD_HI_F,
		.sid = sid,
		.bus = VTD_SID_BUS(sid),
		.dev = VTD_SID_DEV(sid),
		.fn = VTD_SID_FN(sid),
		.reason = reason,
		.intr = intr,
		.addr = intr ? 0 : lo & VTD_FRCD_LO_FI_MASK,
		.irte_index = intr ? (uint16_t)(lo >> VTD_FRCD_LO_IRIDX_SHIFT) : 0,
		.access = (hi & VTD_FRCD_HI_T2 ? VTD_FAULT_PAGE_REQ : VTD_FAULT_WRITE) |
			  (hi & VTD_FRCD_HI_T1 ? VTD_FAULT_READ : VTD_FAULT_WRITE),
		.exe = hi & VTD_FRCD_HI_EXE,
		.priv = hi & VTD_FRCD_HI_PRIV,
		.pasid_present = pp,
		.pasid = pp ? (uint32_t)((hi & VTD_FRCD_HI_PV_MASK) >> VTD_FRCD_HI_PV_SHIFT) : 0,
		.at = (uint8_t)((hi & VTD_FRCD_HI_AT_MASK) >> VTD_FRCD_HI_AT_SHIFT),
	};
}

void vtd_fsts_decode(uint32_t fsts, struct vtd_fsts *out)
{
	*out = (struct vtd_fsts){
		.pfo = fsts & VTD_FSTS_PFO,
		.ppf = fsts & VTD_FSTS_PPF,
		.afo = fsts & VTD_FSTS_AFO,
		.apf = fsts & VTD_FSTS_APF,
		.iqe = fsts & VTD_FSTS_IQE,
		.ice = fsts & VTD_FSTS_ICE,
		.ite = fsts & VTD_FSTS_ITE,
		.fri = (uint8_t)VTD_FSTS_FRI(fsts),
	};
}

int vtd_frcd_offset(uint64_t cap, unsigned int index, uint32_t *offset)
{
	if (index > VTD_CAP_NFR(cap))
		return -EINVAL;
	*offset = (uint32_t)VTD_CAP_FRO(cap) * VTD_FRO_UNIT + index * VTD_FRCD_SIZE;
	return 0;
}

const char *vtd_fault_reason_name(uint8_t reason)
{
	return reason_names[reason];
}

const char *vtd_fault_reason_str(uint8_t reason, char *buf, size_t size)
{
	const char *name = vtd_fault_reason_name(reason);

	if (name)
		return name;
	snprintf(buf, size, "reserved (0x%02x)", reason);
	return buf;
}

int vtd_fault_describe(const struct vtd_fault *f, char *buf, size_t size)
{
	char reason[VTD_FAULT_REASON_BUF];
	const char *why = vtd_fault_reason_str(f->reason, reason, sizeof(reason));
	char pasid[24] = "";

	if (f->intr)
		return snprintf(buf, size, "%02x:%02x.%x interrupt index 0x%x reason 0x%02x (%s)",
				f->bus, f->dev, f->fn, f->irte_index, f->reason, why);
	if (f->pasid_present)
		snprintf(pasid, sizeof(pasid), " PASID 0x%x", f->pasid);
	return snprintf(buf, size, "%02x:%02x.%x %s%s%s addr 0x%llx%s reason 0x%02x (%s)", f->bus,
			f->dev, f->fn, access_names[f->access], f->exe ? " exec" : "",
			f->priv ? " priv" : "", (unsigned long long)f->addr, pasid, f->reason, why);
}
