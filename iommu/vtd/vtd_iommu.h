/* SPDX-License-Identifier: MIT */
/* Bring-up of every VT-d unit skiff drives, and its shutdown. */
#ifndef SKIFF_IOMMU_VTD_IOMMU_H
#define SKIFF_IOMMU_VTD_IOMMU_H

#include <stdbool.h>

#include "kernel/platform/platform.h"

/*
 * vtd_iommu_init - bring up each remapping unit of @p: mode (scalable when ECAP.SMTS unless
 * @prefer_legacy), invalidation (queued unless the unit lacks it, or @prefer_registers in
 * legacy mode), root table, root table pointer, global invalidation
 * (unless CAP.ESRTPS), translation enable. From then on every device without a context entry
 * is blocked. A unit that fails any step is turned off again and left out, with one log line.
 * Returns the number of units enabled.
 */
int vtd_iommu_init(const struct platform *p, bool prefer_legacy, bool prefer_registers);

/* vtd_iommu_shutdown - every enabled unit off (translation, queue), as firmware hands it over. */
void vtd_iommu_shutdown(void);

#endif
