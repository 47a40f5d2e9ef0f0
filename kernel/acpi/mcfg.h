/* SPDX-License-Identifier: MIT */
/* The PCI Express memory-mapped configuration table (PCI Firmware spec 3.3, 4.1.2). */
#ifndef SKIFF_KERNEL_ACPI_MCFG_H
#define SKIFF_KERNEL_ACPI_MCFG_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/acpi_notes.h"

#define MCFG_MAX_ALLOCATIONS 64

/* One ECAM window: config space of buses start_bus..end_bus of a segment at base. */
struct mcfg_allocation {
	uint64_t base; /* ECAM address of bus 0 of the segment (even if start_bus > 0) */
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

struct mcfg_table {
	uint16_t nr_allocations;
	struct mcfg_allocation allocations[MCFG_MAX_ALLOCATIONS];
	struct acpi_notes notes;
};

/*
 * mcfg_parse - parse the MCFG in @buf, @avail readable bytes.
 * An allocation with end_bus < start_bus, or a base not 1 MiB aligned, is noted and ignored; a
 * trailing partial allocation is noted. Returns 0 when parsed, -EINVAL when rejected (shorter
 * than 44 bytes, wrong signature, length field below 44 or above @avail).
 */
int mcfg_parse(const uint8_t *buf, size_t avail, struct mcfg_table *out);

#endif
