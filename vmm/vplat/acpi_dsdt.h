/* SPDX-License-Identifier: MIT */
/*
 * The guest's DSDT: the AML iasl compiled from vmm/vplat/dsdt.asl (embedded by the build as
 * $(BUILD)/gen/vmm/vplat/dsdt_aml.h, see mk/vplat.mk), with the VM's values written into the
 * objects whose offsets iasl's offset table gave. Pure: no allocation, no logging.
 */
#ifndef SKIFF_VMM_VPLAT_ACPI_DSDT_H
#define SKIFF_VMM_VPLAT_ACPI_DSDT_H

#include <stdint.h>

#include "vmm/vplat/acpi_guest.h"

/* acpi_dsdt_length - the DSDT's length in bytes: that of the compiled AML. */
uint32_t acpi_dsdt_length(void);

/*
 * acpi_dsdt_write - write the DSDT for @desc into @out (acpi_dsdt_length() bytes): the compiled
 * AML with \_SB.PCI0._SEG = segment, _BBN = bus_start, and the _MIN, _MAX and _LEN of the _CRS
 * descriptors (ACPI 6.5, 6.4.3.5) set to the bus range, the two windows and, in \_SB.MRES, the
 * ECAM range of those buses. The header's checksum is still iasl's, wrong after the patching:
 * the caller sets it. @desc must have passed acpi_guest_build()'s checks.
 */
void acpi_dsdt_write(const struct acpi_guest_desc *desc, uint8_t *out);

#endif
