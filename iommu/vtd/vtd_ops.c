// SPDX-License-Identifier: MIT
/*
 * The VT-d driver's ops table: each generic operation (iommu/iommu_driver.h) and the file of
 * iommu/vtd/ that carries it out, and the hardware information of a VT-d unit.
 */
#include "iommu/vtd/vtd_ops.h"

#include <errno.h>

#include "iommu/vtd/vtd_live_tables.h"
#include "iommu/vtd/vtd_context.h"
#include "iommu/vtd/vtd_domain.h"
#include "iommu/vtd/vtd_fault_event.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_ir_api.h"
#include "iommu/vtd/vtd_nested.h"

/* What a VT-d unit is, in the VT-d specification's words; the SPR17 decision of the bring-up
 * (vtd_iommu.c) answers the generic question whether a nesting parent may hold a read-only
 * leaf. */
static int hw_info(unsigned int unit, struct iommu_hw_info *out)
{
	const struct vtd_state *vs = vtd_state_of(unit);
	bool scalable;

	if (!vs)
		return -ENODEV;
	scalable = vs->unit.mode == VTD_MODE_SCALABLE;
	out->name = "vtd";
	out->domain_id_name = "DID";
	out->mode = scalable ? "scalable" : "legacy";
	out->stage = vs->format == VTD_PGT_FIRST_STAGE ? IOMMU_STAGE_FIRST : IOMMU_STAGE_SECOND;
	out->flags = (scalable && vs->unit.caps.nest ? IOMMU_HW_NESTING : 0) |
		     (vs->spr17 ? IOMMU_HW_NO_RO_UNDER_NESTING : 0);
	return 0;
}

/* A guest first stage asks for none of the optional first-stage requests (VTD_NESTED_FS_FLAGS). */
static int nested_attach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid,
			 uint64_t fs_root, unsigned int fs_levels)
{
	return vtd_nested_attach(parent, bdf, pasid, fs_root, fs_levels, 0);
}

const struct iommu_ops vtd_iommu_ops = {
	.domain_alloc = vtd_domain_alloc,
	.domain_free = vtd_domain_free,
	.attach_dev = vtd_attach_dev,
	.detach_dev = vtd_detach_dev,
	.map = vtd_map,
	.unmap = vtd_unmap,
	.translate = vtd_translate,
	.domain_hwid = vtd_domain_did,
	.set_nesting_parent = vtd_set_nesting_parent,
	.nested_attach = nested_attach,
	.nested_detach = vtd_nested_detach,
	.hw_info = hw_info,
	.irq_alloc = vtd_irq_alloc,
	.irq_target = vtd_irq_target,
	.irq_block = vtd_irq_block,
	.irq_message = vtd_irq_message,
	.irq_free = vtd_irq_free,
	.irq_count = vtd_irq_count,
	.fault_poll = vtd_fault_poll,
	.audit = vtd_live_audit,
};
