/* SPDX-License-Identifier: MIT */
/* skiff's model of the machine: parsed ACPI tables, remapping units, PCI functions. */
#ifndef SKIFF_KERNEL_PLATFORM_H
#define SKIFF_KERNEL_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/acpi/dmar.h"
#include "kernel/acpi/madt.h"
#include "kernel/acpi/mcfg.h"

#define PROXIMITY_NONE UINT32_MAX

/* One remapping unit the DMAR lists; its DRHD (register base, segment, device scope) is
 * dmar->drhd[] of the same index, the unit index of iommu/iommu.h. */
struct platform_unit {
	bool usable;		   /* registers mapped and the unit identified (iommu_unit_probe) */
	uint32_t proximity_domain; /* from RHSA, or PROXIMITY_NONE */
};

struct platform_device_info {
	uint64_t rmrr_mask; /* RMRRs naming the device (bit per RMRR index) */
	bool ats_allowed;   /* an ATSR covers its root port */
	bool satc;	    /* a SATC lists it */
};

struct platform {
	struct dmar_table *dmar;  /* NULL when the firmware has no (usable) DMAR */
	struct madt_table *madt;  /* NULL when absent */
	struct mcfg_table *mcfg;  /* NULL when absent */
	struct pci_topology *pci; /* NULL without MCFG */
	struct platform_unit units[DMAR_MAX_DRHD];
	struct platform_device_info *device_info; /* one per pci->devices[] */
};

/*
 * platform_discover - parse DMAR, MADT and MCFG from @tables (logging every parser note once,
 * naming the table and offset), map each remapping unit's registers and have the IOMMU layer
 * identify it (iommu/iommu_boot.h, iommu_unit_probe()), enumerate
 * PCI through ECAM and attach every function to its unit, RMRRs, ATSR and SATC.
 * Returns 0, or -ENOMEM when the model cannot be allocated (missing tables are not errors:
 * the corresponding pointers stay NULL and the report says so).
 */
int platform_discover(const struct acpi_tables *tables, struct platform *p);

/* platform_report - the boot report's iommu and pci sections. */
void platform_report(const struct platform *p);

#endif
