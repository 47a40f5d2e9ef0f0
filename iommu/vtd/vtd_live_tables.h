/* SPDX-License-Identifier: MIT */
/* The software walker and the audit run on the tables skiff programmed into a live unit. */
#ifndef SKIFF_IOMMU_VTD_LIVE_TABLES_H
#define SKIFF_IOMMU_VTD_LIVE_TABLES_H

#include <stdint.h>

#include "drivers/pci/pci.h"
#include "iommu/vtd/vtd_walk.h"

/*
 * vtd_live_predict - what unit @unit should do with a request without PASID from @bdf for @iova
 * with @access (VTD_WALK_R / W): vtd_walk() on the unit's live tables (VT-d 3.4-3.8).
 * Returns 0 with the translation in @out, -EFAULT with the predicted fault reason in @out,
 * -ENODEV when skiff does not drive @unit, -EINVAL for bad arguments.
 */
int vtd_live_predict(unsigned int unit, struct pci_bdf bdf, uint64_t iova, unsigned int access,
		     struct vtd_walk_result *out);

/*
 * vtd_live_audit - vtd_audit() of every enabled unit: reserved bits, pointers inside frames
 * skiff allocated, non-leaf R+W, every leaf exactly what its domain mapped (skiff's own copy
 * of the domain's tables), no sharing, no loops. Each violation is logged once.
 * Returns the number of violations (0: clean), or a negative errno when a unit could not be
 * audited.
 */
long vtd_live_audit(void);

#endif
