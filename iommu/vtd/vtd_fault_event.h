/* SPDX-License-Identifier: MIT */
/*
 * The fault-event path of the VT-d units skiff drives (VT-d 7.3): the fault event interrupt
 * (FECTL/FEDATA/FEADDR), reading and clearing the primary fault recording registers, the
 * rate-limited fault log, attribution to the domain of the faulting requester id (its fault
 * count and handler: iommu_report_fault()), and the ring of faults read but not yet taken.
 */
#ifndef SKIFF_IOMMU_VTD_FAULT_EVENT_H
#define SKIFF_IOMMU_VTD_FAULT_EVENT_H

#include <stdint.h>

#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_internal.h"

#define VTD_FAULT_LOG_PER_SEC 10 /* fault lines a second per unit; the rest are counted */
#define VTD_FAULT_RING	      32 /* faults kept until someone takes them */

/*
 * vtd_fault_event_setup - route @vs's fault events to skiff's fault vector on the boot CPU
 * (allocated on first use, shared by every unit) and unmask them (FECTL.IM clear). Without a
 * vector or an MSI for it the events stay masked, faults are found by polling, and one warning
 * says so.
 */
void vtd_fault_event_setup(struct vtd_state *vs);

/*
 * vtd_fault_poll - read unit @unit's pending fault records now (interrupts off meanwhile), as
 * the fault event interrupt does: the ops' fault_poll (iommu_fault_poll()). Nothing for a unit
 * skiff does not drive.
 */
void vtd_fault_poll(unsigned int unit);

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

#endif
