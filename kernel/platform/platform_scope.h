/* SPDX-License-Identifier: MIT */
/*
 * Which remapping unit, RMRRs, ATSR and SATC apply to each PCI function: the DMAR device
 * scopes (VT-d 8.3.1-8.3.3) resolved against the enumerated PCI topology. Pure functions.
 */
#ifndef SKIFF_KERNEL_PLATFORM_SCOPE_H
#define SKIFF_KERNEL_PLATFORM_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "kernel/acpi/dmar.h"

/*
 * scope_target - the function a PCI device scope names (VT-d 8.3.2): start at the scope's
 * start bus and follow each (device, function) pair but the last through the bridge's
 * secondary bus number. Returns its index in @t, or PCI_NO_INDEX when a step is missing or
 * is not a bridge.
 */
int scope_target(const struct pci_topology *t, uint16_t segment, const struct dmar_scope *s);

/* scope_covers - whether scope @s (endpoint: the device itself; sub-hierarchy: the bridge and
 * every function below it) of a structure for @segment covers device @dev of @t. */
bool scope_covers(const struct pci_topology *t, uint16_t segment, const struct dmar_scope *s,
		  int dev);

/*
 * unit_for_device - the DRHD that translates device @dev: the unit whose device scope covers
 * it, else the INCLUDE_PCI_ALL unit of its segment (VT-d 8.3). Returns the DRHD index or
 * PCI_NO_INDEX (the device's DMA is not remapped).
 */
int unit_for_device(const struct dmar_table *d, const struct pci_topology *t, int dev);

/* rmrr_mask_for_device - bit i set when RMRR i names device @dev (VT-d 8.4); RMRRs beyond 64
 * are not represented. */
uint64_t rmrr_mask_for_device(const struct dmar_table *d, const struct pci_topology *t, int dev);

/* ats_allowed - whether an ATSR covers the root port above @dev (or reports ALL_PORTS for its
 * segment) (VT-d 8.5). */
bool ats_allowed(const struct dmar_table *d, const struct pci_topology *t, int dev);

/* satc_lists - whether a SATC structure names @dev (VT-d 8.8). */
bool satc_lists(const struct dmar_table *d, const struct pci_topology *t, int dev);

#endif
