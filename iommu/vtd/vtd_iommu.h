/* SPDX-License-Identifier: MIT */
/* Bring-up of every VT-d unit skiff drives, and its shutdown. */
#ifndef SKIFF_IOMMU_VTD_IOMMU_H
#define SKIFF_IOMMU_VTD_IOMMU_H

#include "iommu/iommu_boot.h"
#include "kernel/platform/platform.h"

/*
 * vtd_iommu_init - bring up each remapping unit of @p: mode (scalable when ECAP.SMTS unless
 * @o->prefer_legacy), invalidation (queued unless the unit lacks it, or @o->prefer_registers in
 * legacy mode), root table, root table pointer, global invalidation (unless CAP.ESRTPS),
 * translation enable, fault events, interrupt remapping; each enabled unit is registered with
 * the generic layer (vtd_iommu_ops). From then on every device without a context entry is
 * blocked. A unit that fails any step is turned off again and left out, with one log line.
 * Then erratum SPR17 is decided for every enabled unit from @o->spr17, its ECAP.NEST and the
 * CPU (vtd_errata.h), one log line each (a warning when forced off).
 * Returns the number of units enabled.
 */
int vtd_iommu_init(const struct platform *p, const struct iommu_boot_options *o);

/* vtd_iommu_shutdown - every enabled unit off (translation, queue), as firmware hands it over,
 * and unregistered from the generic layer. */
void vtd_iommu_shutdown(void);

#endif
