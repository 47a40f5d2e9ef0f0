// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_nested_plan.h"

#include <errno.h>
#include <stdbool.h>

#include "iommu/vtd/vtd_regs.h"

static void add(struct vtd_nested_plan *p, enum vtd_nested_op op)
{
	p->step[p->count++] = (struct vtd_nested_step){ .op = op };
}

/* The next step, an invalidation: its descriptor is for the caller's encoder to fill. */
static struct vtd_inv_desc *add_desc(struct vtd_nested_plan *p)
{
	add(p, VTD_NESTED_INVALIDATE);
	return &p->step[p->count - 1].desc;
}

static int done(struct vtd_nested_plan *p, int err)
{
	if (err)
		*p = (struct vtd_nested_plan){ 0 };
	return err;
}

int vtd_nested_plan_setup(const struct vtd_caps *caps, uint16_t did, uint32_t pasid,
			  struct vtd_nested_plan *out)
{
	int err = 0;

	*out = (struct vtd_nested_plan){ 0 };
	add(out, VTD_NESTED_WRITE_ENTRY);
	add(out, VTD_NESTED_SET_P);
	if (caps->cm) {
		err = vtd_inval_pc(add_desc(out), VTD_PC_G_PASID, did, pasid);
		if (!err)
			err = vtd_inval_piotlb(add_desc(out), caps, VTD_PIOTLB_G_PASID, did, pasid,
					       0, 0, false);
		add(out, VTD_NESTED_WAIT);
	} else if (VTD_CAP_RWBF(caps->cap)) {
		add(out, VTD_NESTED_FLUSH_WB);
	}
	return done(out, err);
}

int vtd_nested_plan_teardown(const struct vtd_caps *caps, uint16_t did, uint32_t pasid,
			     uint32_t rid_pasid, const struct vtd_devtlb_target *ats,
			     struct vtd_nested_plan *out)
{
	int err;

	*out = (struct vtd_nested_plan){ 0 };
	add(out, VTD_NESTED_CLEAR_P);
	err = vtd_inval_pc(add_desc(out), VTD_PC_G_PASID, did, pasid);
	if (!err)
		err = vtd_inval_iotlb(add_desc(out), caps, VTD_IOTLB_G_DOMAIN, did, 0, 0, false);
	if (!err && ats)
		err = pasid == rid_pasid ?
			      vtd_inval_devtlb(add_desc(out), caps, ats, 0, VTD_INV_MAX_ORDER) :
			      vtd_inval_pdevtlb(add_desc(out), caps, ats, pasid, 0,
						VTD_INV_MAX_ORDER, false);
	add(out, VTD_NESTED_WAIT);
	add(out, VTD_NESTED_ZERO_ENTRY);
	return done(out, err);
}
