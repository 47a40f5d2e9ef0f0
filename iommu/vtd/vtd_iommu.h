/* SPDX-License-Identifier: MIT */
/* Bring-up of every VT-d unit skiff drives, fault polling, and the boot report's iommu view. */
#ifndef SKIFF_IOMMU_VTD_IOMMU_H
#define SKIFF_IOMMU_VTD_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

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

#include "iommu/vtd/vtd_fault.h"

#define VTD_FAULT_LOG_PER_SEC 10 /* fault lines a second per unit; the rest are counted */
#define VTD_FAULT_RING	      32 /* faults kept until someone takes them */

/* One fault record as read from unit @unit's fault recording registers. */
struct vtd_fault_event {
	unsigned int unit;
	struct vtd_fault fault;
};

/*
 * vtd_fault_take - read any pending fault records of every enabled unit (the fault event
 * interrupt does the same as they arrive: VT-d 7.3), then hand each fault read since the last
 * call to @seen (when not NULL) and forget it. Faults are logged when read (at most
 * VTD_FAULT_LOG_PER_SEC lines a second per unit, the rest counted), attributed to the domain
 * of their device, and their records cleared. Returns the number of faults handed out.
 */
unsigned int vtd_fault_take(void (*seen)(const struct vtd_fault_event *e, void *arg), void *arg);

/* The faults one vtd_fault_take_log() took: all counted, the first VTD_FAULT_LOG_MAX kept. */
#define VTD_FAULT_LOG_MAX 8
struct vtd_fault_log {
	unsigned int n;
	struct vtd_fault f[VTD_FAULT_LOG_MAX];
};

/* vtd_fault_take_log - vtd_fault_take() into @log, emptied first. Returns @log->n. */
unsigned int vtd_fault_take_log(struct vtd_fault_log *log);

/* vtd_fault_interrupts - fault event interrupts taken so far. */
uint64_t vtd_fault_interrupts(void);

/* vtd_state_enabled - whether skiff turned translation on for unit @unit (a DRHD index). */
bool vtd_state_enabled(unsigned int unit);

/* vtd_iommu_shutdown - every enabled unit off (translation, queue), as firmware hands it over. */
void vtd_iommu_shutdown(void);

#endif
