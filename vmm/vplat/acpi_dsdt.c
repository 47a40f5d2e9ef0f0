// SPDX-License-Identifier: MIT
/* The guest's DSDT: compiled AML, patched with the VM's values; see acpi_dsdt.h. */
#include "vmm/vplat/acpi_dsdt.h"

#include <string.h>

#include "vmm/vplat/acpi_layout.h"
#include "vmm/vplat/dsdt_aml.h" /* generated: dsdt_aml[], DSDT_AML_LEN, DSDT_AML_OFF_* */

#define BITS_PER_BYTE 8

/* Writes the low @width bytes of @v at @p, little-endian. */
static void put_le(uint8_t *p, uint64_t v, unsigned int width)
{
	for (unsigned int i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (BITS_PER_BYTE * i));
}

/*
 * Sets the address space descriptor at @desc (fields @width bytes wide) to the fixed range
 * [@min, @min + @len): _MIN, _MAX = _MIN + _LEN - 1 and _LEN, as MinFixed/MaxFixed with a
 * non-zero length demand (ACPI 6.5, 6.4.3.5, the valid combinations of _MIF, _MAF and _LEN).
 */
static void set_range(uint8_t *aml, uint32_t desc, unsigned int width, uint64_t min, uint64_t len)
{
	put_le(aml + desc + ACPI_ADDR_DESC_OFF_MIN(width), min, width);
	put_le(aml + desc + ACPI_ADDR_DESC_OFF_MAX(width), min + len - 1, width);
	put_le(aml + desc + ACPI_ADDR_DESC_OFF_LEN(width), len, width);
}

uint32_t acpi_dsdt_length(void)
{
	return DSDT_AML_LEN;
}

void acpi_dsdt_write(const struct acpi_guest_desc *d, uint8_t *out)
{
	uint64_t buses = (uint64_t)d->bus_end - d->bus_start + 1;
	uint64_t ecam = d->ecam_base + d->bus_start * ACPI_GUEST_ECAM_BUS_SIZE;

	memcpy(out, dsdt_aml, DSDT_AML_LEN);
	put_le(out + DSDT_AML_OFF_SEG, d->segment, ACPI_ADDR_WIDTH_QWORD);
	put_le(out + DSDT_AML_OFF_BBN, d->bus_start, ACPI_ADDR_WIDTH_QWORD);
	set_range(out, DSDT_AML_OFF_BUSN, ACPI_ADDR_WIDTH_WORD, d->bus_start, buses);
	set_range(out, DSDT_AML_OFF_MW32, ACPI_ADDR_WIDTH_DWORD, d->mmio32.base, d->mmio32.size);
	set_range(out, DSDT_AML_OFF_MW64, ACPI_ADDR_WIDTH_QWORD, d->mmio64.base, d->mmio64.size);
	set_range(out, DSDT_AML_OFF_ECAM, ACPI_ADDR_WIDTH_QWORD, ecam,
		  buses * ACPI_GUEST_ECAM_BUS_SIZE);
}
