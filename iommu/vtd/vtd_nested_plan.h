/* SPDX-License-Identifier: MIT */
/*
 * The steps that make a NESTED PASID table entry (PGTT = 011b, VT-d 9.6) go live and go away
 * again on one unit, as a pure plan: which entry writes happen in which order and which
 * invalidation descriptors (iommu/vtd/vtd_inval.h) run between them. The kernel
 * (iommu/vtd/vtd_nested.c) carries a plan out step by step; host tests check it descriptor
 * by descriptor. Pure: no logging, no allocation.
 *
 * The order is Linux's drivers/iommu/intel/pasid.c (intel_pasid_setup_nested() with
 * pasid_flush_caches(); intel_pasid_tear_down_entry() with devtlb_invalidation_with_pasid()),
 * which follows VT-d 6.5.3 (guidance for invalidations) and 6.8 (write buffer flushing):
 *
 * Setup (the slot is not present; the entry was built whole with P = 0):
 *   WRITE_ENTRY, SET_P, then
 *   - CAP.CM = 1 (the unit may cache not-present entries, 6.1): PASID-cache invalidation,
 *     PASID-selective-within-domain (type 7, G = 01b, DID, PASID); PASID-based IOTLB
 *     invalidation, PASID-selective (type 6, G = 10b, DID, PASID); WAIT;
 *   - else CAP.RWBF = 1: FLUSH_WRITE_BUFFER (GCMD.WBF, 6.8);
 *   - else nothing: not-present to present needs no invalidation.
 *   A new entry needs no device-TLB invalidation: a device TLB holds nothing it never fetched.
 * Teardown (the slot is present):
 *   CLEAR_P; PASID-cache invalidation, PASID-selective-within-domain (type 7, G = 01b, the
 *   entry's DID and PASID); IOTLB invalidation, domain-selective (type 2, G = 10b, DID): the
 *   second-stage part of nested translations is not tagged by PASID, so a PASID-based IOTLB
 *   invalidation would leave it; when the device has a device TLB (ATS), a device-TLB
 *   invalidation of everything: without PASID (type 3) for RID_PASID, PASID-based (type 8)
 *   otherwise; WAIT; ZERO_ENTRY (the slot may be reused only now).
 */
#ifndef SKIFF_IOMMU_VTD_NESTED_PLAN_H
#define SKIFF_IOMMU_VTD_NESTED_PLAN_H

#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_inval.h"

/* One step of a plan. */
enum vtd_nested_op {
	VTD_NESTED_WRITE_ENTRY, /* copy the entry built with P = 0 into the slot, write it back */
	VTD_NESTED_SET_P,	/* set P with one 64-bit store (vtd_pasid_entry_set_present) */
	VTD_NESTED_CLEAR_P,	/* clear P with one 64-bit store, the rest of the entry kept */
	VTD_NESTED_INVALIDATE,	/* queue the step's descriptor */
	VTD_NESTED_WAIT,	/* invalidation wait: every descriptor queued before it is done */
	VTD_NESTED_FLUSH_WB,	/* write buffer flush, GCMD.WBF (CAP.RWBF, 6.8) */
	VTD_NESTED_ZERO_ENTRY,	/* zero all 512 bits of the slot, write it back */
};

struct vtd_nested_step {
	enum vtd_nested_op op;
	struct vtd_inv_desc desc; /* VTD_NESTED_INVALIDATE only; zero otherwise */
};

#define VTD_NESTED_PLAN_MAX 8 /* teardown, the longest: 1 + 3 descriptors + 1 + 1 */

struct vtd_nested_plan {
	unsigned int count;
	struct vtd_nested_step step[VTD_NESTED_PLAN_MAX];
};

/*
 * vtd_nested_plan_setup - the plan that makes a NESTED entry for @pasid (20 bits) tagged with
 * domain id @did live on the unit described by @caps (see the order above: CAP.CM, CAP.RWBF).
 * Returns 0, or -EINVAL (an encoder refused @did / @pasid; @out->count is 0).
 */
int vtd_nested_plan_setup(const struct vtd_caps *caps, uint16_t did, uint32_t pasid,
			  struct vtd_nested_plan *out);

/*
 * vtd_nested_plan_teardown - the plan that takes down the present entry of @pasid tagged with
 * @did on the unit described by @caps. @ats: the device's device-TLB target (requester id,
 * PFSID, MIP) when it has ATS enabled, NULL when it has no device TLB; @rid_pasid: the PASID the
 * unit gives requests without one (its device-TLB entries are invalidated without PASID).
 * Returns 0, or -EINVAL (an encoder refused an argument; @out->count is 0).
 */
int vtd_nested_plan_teardown(const struct vtd_caps *caps, uint16_t did, uint32_t pasid,
			     uint32_t rid_pasid, const struct vtd_devtlb_target *ats,
			     struct vtd_nested_plan *out);

#endif
