/* SPDX-License-Identifier: MIT */
/* Bring-up of every VT-d unit skiff drives, fault polling, and the boot report's iommu view. */
#ifndef SKIFF_IOMMU_VTD_IOMMU_H
#define SKIFF_IOMMU_VTD_IOMMU_H

#include <stdbool.h>

#include "kernel/platform/platform.h"

/*
 * vtd_iommu_init - bring up each remapping unit of @p: mode (scalable when ECAP.SMTS unless
 * @prefer_legacy), root table, queued invalidation, root table pointer, global invalidation
 * (unless CAP.ESRTPS), translation enable. From then on every device without a context entry
 * is blocked. A unit that fails any step is turned off again and left out, with one log line.
 * Returns the number of units enabled.
 */
int vtd_iommu_init(const struct platform *p, bool prefer_legacy);

/*
 * vtd_fault_poll - read and clear the fault recording registers of every enabled unit
 * (VT-d 7.3, 11.4.9.x): each fault is logged (unit, BDF, PASID, address, access, reason name;
 * at most VTD_FAULT_LOG_BURST lines per poll, the rest counted), attributed to the domain of
 * its device, and handed to @seen when not NULL. A primary fault overflow is logged and cleared.
 * Returns the number of fault records read.
 */
struct vtd_fault;
#define VTD_FAULT_LOG_BURST 8
unsigned int vtd_fault_poll(void (*seen)(unsigned int unit, const struct vtd_fault *f, void *arg),
			    void *arg);

/* vtd_state_enabled - whether skiff turned translation on for unit @unit (a DRHD index). */
bool vtd_state_enabled(unsigned int unit);

/* vtd_iommu_shutdown - every enabled unit off (translation, queue), as firmware hands it over. */
void vtd_iommu_shutdown(void);

#endif
