// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_inval.h"

#include <errno.h>

#include "iommu/vtd/vtd_regs.h"

/* Bits below @bits set; every bit for @bits >= 64. */
static uint64_t low_mask(unsigned int bits)
{
	return bits >= VTD_INV_ADDR_BITS ? ~0ull : (1ull << bits) - 1;
}

/* Whether @addr is aligned to 2^@order 4 KiB pages. */
static bool block_aligned(uint64_t addr, unsigned int order)
{
	return !(addr & low_mask(VTD_INV_PAGE_SHIFT + order));
}

/* Zeroes @d and returns -EINVAL: a refused descriptor is never half-built. */
static int refuse(struct vtd_inv_desc *d)
{
	*d = (struct vtd_inv_desc){ 0 };
	return -EINVAL;
}

static uint64_t gran_field(unsigned int gran)
{
	return (uint64_t)gran << VTD_INV_G_SHIFT;
}

static uint64_t did_field(uint16_t did)
{
	return (uint64_t)did << VTD_INV_DID_SHIFT;
}

static uint64_t pasid_field(uint32_t pasid)
{
	return (uint64_t)pasid << VTD_INV_PASID_SHIFT;
}

/* PFSID is split: bits 3:0 at lo 15:12, bits 15:4 at lo 63:52 (6.5.2.5, 6.5.2.6). */
static uint64_t pfsid_field(uint16_t pfsid)
{
	uint64_t low = pfsid & low_mask(VTD_INV_PFSID_LO_BITS);
	uint64_t high = pfsid >> VTD_INV_PFSID_LO_BITS;

	return low << VTD_INV_PFSID_LO_SHIFT | high << VTD_INV_PFSID_HI_SHIFT;
}

/* Page-selective address and mask (types 2 and 6): hi = ADDR | IH | AM. */
static bool page_args_ok(const struct vtd_caps *caps, uint64_t addr, unsigned int am)
{
	return am <= VTD_CAP_MAMV(caps->cap) && am <= VTD_INV_MAX_ORDER && block_aligned(addr, am);
}

static uint64_t page_hi(uint64_t addr, unsigned int am, bool ih)
{
	return (addr & VTD_INV_ADDR_MASK) | (ih ? VTD_INV_IH : 0) | (am & VTD_INV_AM_MASK);
}

/*
 * The device-TLB address field for 2^@order pages at @addr (PCIe ATS invalidate request
 * encoding): with S set, the lowest clear address bit at or above bit 12 gives the size:
 * bit 12+order-1 clear, bits 12+order-2..12 set. Returns false for bad arguments.
 */
static bool devtlb_hi(uint64_t addr, unsigned int order, uint64_t s_bit, uint64_t *hi)
{
	if (order > VTD_INV_MAX_ORDER || !block_aligned(addr, order))
		return false;
	if (!order) {
		*hi = addr;
		return true;
	}
	*hi = addr | low_mask(order - 1) << VTD_INV_PAGE_SHIFT | s_bit;
	return true;
}

static bool devtlb_target_ok(const struct vtd_caps *caps, const struct vtd_devtlb_target *t)
{
	/* Without ECAP.DIT the PFSID bits are reserved (Linux sets them only with DIT). */
	return t->mip <= VTD_INV_MIP_MAX && (!t->pfsid || VTD_ECAP_DIT(caps->ecap));
}

int vtd_inval_cc(struct vtd_inv_desc *d, unsigned int gran, uint16_t did, uint16_t sid,
		 unsigned int fm)
{
	switch (gran) {
	case VTD_CC_G_GLOBAL:
		if (did || sid || fm)
			return refuse(d);
		break;
	case VTD_CC_G_DOMAIN:
		if (sid || fm)
			return refuse(d);
		break;
	case VTD_CC_G_DEVICE:
		if (fm > VTD_INV_CC_FM_MAX)
			return refuse(d);
		break;
	default:
		return refuse(d);
	}
	d->lo = VTD_INV_TYPE_CC | gran_field(gran) | did_field(did) |
		(uint64_t)sid << VTD_INV_CC_SID_SHIFT | (uint64_t)fm << VTD_INV_CC_FM_SHIFT;
	d->hi = 0;
	return 0;
}

int vtd_inval_iotlb(struct vtd_inv_desc *d, const struct vtd_caps *caps, unsigned int gran,
		    uint16_t did, uint64_t addr, unsigned int am, bool ih)
{
	uint64_t drain = (VTD_CAP_DRD(caps->cap) ? VTD_INV_IOTLB_DR : 0) |
			 (VTD_CAP_DWD(caps->cap) ? VTD_INV_IOTLB_DW : 0);

	switch (gran) {
	case VTD_IOTLB_G_GLOBAL:
		if (did || addr || am || ih)
			return refuse(d);
		break;
	case VTD_IOTLB_G_DOMAIN:
		if (addr || am || ih)
			return refuse(d);
		break;
	case VTD_IOTLB_G_PAGE:
		if (!VTD_CAP_PSI(caps->cap) || !page_args_ok(caps, addr, am))
			return refuse(d);
		break;
	default:
		return refuse(d);
	}
	d->lo = VTD_INV_TYPE_IOTLB | gran_field(gran) | drain | did_field(did);
	d->hi = gran == VTD_IOTLB_G_PAGE ? page_hi(addr, am, ih) : 0;
	return 0;
}

int vtd_inval_devtlb(struct vtd_inv_desc *d, const struct vtd_caps *caps,
		     const struct vtd_devtlb_target *t, uint64_t addr, unsigned int order)
{
	uint64_t hi;

	if (!devtlb_target_ok(caps, t) || !devtlb_hi(addr, order, VTD_INV_DEVTLB_S, &hi))
		return refuse(d);
	d->lo = VTD_INV_TYPE_DEVTLB | pfsid_field(t->pfsid) |
		(uint64_t)t->mip << VTD_INV_DEVTLB_MIP_SHIFT |
		(uint64_t)t->sid << VTD_INV_DEVTLB_SID_SHIFT;
	d->hi = hi;
	return 0;
}

int vtd_inval_iec(struct vtd_inv_desc *d, const struct vtd_caps *caps, unsigned int gran,
		  uint16_t iidx, unsigned int im)
{
	switch (gran) {
	case VTD_IEC_G_GLOBAL:
		if (iidx || im)
			return refuse(d);
		d->lo = VTD_INV_TYPE_IEC;
		break;
	case VTD_IEC_G_INDEX:
		if (im > VTD_ECAP_MHMV(caps->ecap) || (iidx & low_mask(im)))
			return refuse(d);
		d->lo = VTD_INV_TYPE_IEC | VTD_INV_IEC_G_INDEX |
			(uint64_t)im << VTD_INV_IEC_IM_SHIFT |
			(uint64_t)iidx << VTD_INV_IEC_IIDX_SHIFT;
		break;
	default:
		return refuse(d);
	}
	d->hi = 0;
	return 0;
}

int vtd_inval_wait(struct vtd_inv_desc *d, const struct vtd_caps *caps, uint64_t flags,
		   uint32_t status_data, uint64_t status_addr)
{
	if (flags & ~VTD_INV_WAIT_FLAGS)
		return refuse(d);
	if ((flags & VTD_INV_WAIT_PD) && !VTD_ECAP_PDS(caps->ecap))
		return refuse(d);
	if (flags & VTD_INV_WAIT_SW) {
		if (status_addr & ~VTD_INV_WAIT_ADDR_MASK)
			return refuse(d);
	} else if (status_data || status_addr) {
		return refuse(d);
	}
	d->lo = VTD_INV_TYPE_WAIT | flags | (uint64_t)status_data << VTD_INV_WAIT_DATA_SHIFT;
	d->hi = status_addr;
	return 0;
}

int vtd_inval_piotlb(struct vtd_inv_desc *d, const struct vtd_caps *caps, unsigned int gran,
		     uint16_t did, uint32_t pasid, uint64_t addr, unsigned int am, bool ih)
{
	if (pasid > VTD_INV_PASID_MAX)
		return refuse(d);
	switch (gran) {
	case VTD_PIOTLB_G_PASID:
		if (addr || am || ih)
			return refuse(d);
		break;
	case VTD_PIOTLB_G_PAGE:
		if (!page_args_ok(caps, addr, am))
			return refuse(d);
		break;
	default:
		return refuse(d);
	}
	d->lo = VTD_INV_TYPE_PIOTLB | gran_field(gran) | did_field(did) | pasid_field(pasid);
	d->hi = gran == VTD_PIOTLB_G_PAGE ? page_hi(addr, am, ih) : 0;
	return 0;
}

int vtd_inval_pc(struct vtd_inv_desc *d, unsigned int gran, uint16_t did, uint32_t pasid)
{
	if (pasid > VTD_INV_PASID_MAX)
		return refuse(d);
	switch (gran) {
	case VTD_PC_G_DOMAIN:
		if (pasid)
			return refuse(d);
		break;
	case VTD_PC_G_PASID:
		break;
	case VTD_PC_G_GLOBAL:
		if (did || pasid)
			return refuse(d);
		break;
	default:
		return refuse(d);
	}
	d->lo = VTD_INV_TYPE_PC | gran_field(gran) | did_field(did) | pasid_field(pasid);
	d->hi = 0;
	return 0;
}

int vtd_inval_pdevtlb(struct vtd_inv_desc *d, const struct vtd_caps *caps,
		      const struct vtd_devtlb_target *t, uint32_t pasid, uint64_t addr,
		      unsigned int order, bool global)
{
	uint64_t hi;

	if (pasid > VTD_INV_PASID_MAX || !devtlb_target_ok(caps, t) ||
	    !devtlb_hi(addr, order, VTD_INV_PDEVTLB_S, &hi))
		return refuse(d);
	d->lo = VTD_INV_TYPE_PDEVTLB | (uint64_t)t->mip << VTD_INV_PDEVTLB_MIP_SHIFT |
		pfsid_field(t->pfsid) | (uint64_t)t->sid << VTD_INV_PDEVTLB_SID_SHIFT |
		pasid_field(pasid);
	d->hi = hi | (global ? VTD_INV_PDEVTLB_G : 0);
	return 0;
}

void vtd_inv_desc_widen(const struct vtd_inv_desc *d, struct vtd_inv_desc256 *out)
{
	*out = (struct vtd_inv_desc256){ .qw = { d->lo, d->hi, 0, 0 } };
}

/* Order of the smallest naturally aligned block of pages holding pages @first and @last. */
static unsigned int block_order(uint64_t first, uint64_t last)
{
	uint64_t diff = first ^ last;

	return diff ? (unsigned int)(VTD_INV_ADDR_BITS - __builtin_clzll(diff)) : 0;
}

static void plan_add(struct vtd_psi_plan *plan, uint64_t first_page, unsigned int order)
{
	uint64_t block = first_page & ~low_mask(order);

	plan->psi[plan->count].addr = block << VTD_INV_PAGE_SHIFT;
	plan->psi[plan->count].am = (uint8_t)order;
	plan->count++;
}

int vtd_inval_plan_range(uint64_t iova, uint64_t size, bool psi, unsigned int mamv,
			 struct vtd_psi_plan *plan)
{
	uint64_t first, last, boundary;
	unsigned int order, left, right;

	*plan = (struct vtd_psi_plan){ 0 };
	if (!size || iova + (size - 1) < iova)
		return -EINVAL;
	if (!psi)
		return 0;
	first = iova >> VTD_INV_PAGE_SHIFT;
	last = (iova + (size - 1)) >> VTD_INV_PAGE_SHIFT;
	order = block_order(first, last);
	if (order <= mamv) {
		plan_add(plan, first, order);
		return 0;
	}
	/* first and last differ in bit order-1: split where that bit turns on. */
	boundary = last & ~low_mask(order - 1);
	left = block_order(first, boundary - 1);
	right = block_order(boundary, last);
	if (left <= mamv && right <= mamv) {
		plan_add(plan, first, left);
		plan_add(plan, boundary, right);
	}
	return 0;
}
