/* SPDX-License-Identifier: MIT */
/* The ACPI tables the firmware lists: RSDP -> XSDT (RSDT fallback) (ACPI 6.5, 5.2.5-5.2.8). */
#ifndef SKIFF_KERNEL_ACPI_TABLES_H
#define SKIFF_KERNEL_ACPI_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_TABLES 64
#define ACPI_SIG_SIZE	4

struct acpi_table_ref {
	char signature[ACPI_SIG_SIZE + 1];
	uint64_t address;
	uint32_t length;
	bool checksum_ok; /* a bad checksum is reported and the table is still listed */
};

struct acpi_tables {
	uint64_t rsdp;
	uint8_t revision; /* RSDP revision: 0 = ACPI 1.0 (RSDT), 2 = ACPI 2.0+ (XSDT) */
	char oem_id[7];
	uint64_t root; /* XSDT, or the RSDT when there is no XSDT */
	bool root_is_xsdt;
	unsigned int count;
	struct acpi_table_ref tables[ACPI_MAX_TABLES];
};

/* acpi_map_fn - where the bytes [pa, pa + len) can be read, or NULL when they cannot. */
typedef const uint8_t *(*acpi_map_fn)(uint64_t pa, uint64_t len);

/*
 * acpi_tables_find - validate the RSDP at @rsdp and list the tables of its XSDT (or RSDT).
 * Every structure is read through @map, which must first vouch for the whole range (the
 * header, then the length the header gives), and is checked against its own length. Returns 0 (problems with single tables are logged and those tables
 * skipped or flagged), -ENOENT when @rsdp is 0, -EINVAL when the RSDP or root table is unusable.
 */
int acpi_tables_find(uint64_t rsdp, acpi_map_fn map, struct acpi_tables *out);

#endif
