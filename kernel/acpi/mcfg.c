// SPDX-License-Identifier: MIT
/*
 * The PCI Express memory-mapped configuration table (PCI Firmware spec 3.3, 4.1.2): the
 * 36-byte system description table header, 8 reserved bytes, then one 16-byte configuration
 * space base address allocation per ECAM window. Pure: no logging, no allocation.
 */
#include "kernel/acpi/mcfg.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "kernel/acpi/acpi_sdt.h"

#define MCFG_HEADER_LEN 44 /* SDT header and 8 reserved bytes (table 4-3) */

/* Configuration space base address allocation structure (table 4-4). */
#define ALLOC_OFF_BASE	    0
#define ALLOC_OFF_SEGMENT   8
#define ALLOC_OFF_START_BUS 10
#define ALLOC_OFF_END_BUS   11
#define ALLOC_LEN	    16

/* Each bus has 32 devices x 8 functions x 4 KiB of ECAM: 1 MiB. */
#define ECAM_BUS_SIZE (1ull << 20)

/* Returns whether the allocation at @off is usable; notes why not. */
static bool check_allocation(const struct mcfg_allocation *a, uint32_t off, struct mcfg_table *out)
{
	if (a->end_bus < a->start_bus) {
		acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
			  "end bus %u below start bus %u; allocation ignored", a->end_bus,
			  a->start_bus);
		return false;
	}
	if (a->base & (ECAM_BUS_SIZE - 1)) {
		acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
			  "base %#llx not 1 MiB aligned; allocation ignored",
			  (unsigned long long)a->base);
		return false;
	}
	return true;
}

static void parse_allocation(const uint8_t *s, uint32_t off, struct mcfg_table *out)
{
	struct mcfg_allocation a = {
		.base = acpi_get64(s + ALLOC_OFF_BASE),
		.segment = acpi_get16(s + ALLOC_OFF_SEGMENT),
		.start_bus = s[ALLOC_OFF_START_BUS],
		.end_bus = s[ALLOC_OFF_END_BUS],
	};

	if (!check_allocation(&a, off, out))
		return;
	if (out->nr_allocations == MCFG_MAX_ALLOCATIONS) {
		acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
			  "more than %u allocations; this one ignored", MCFG_MAX_ALLOCATIONS);
		return;
	}
	out->allocations[out->nr_allocations++] = a;
}

/* mcfg_parse - see mcfg.h; PCI Firmware spec 3.3, 4.1.2. */
int mcfg_parse(const uint8_t *buf, size_t avail, struct mcfg_table *out)
{
	uint32_t length, off;

	memset(out, 0, sizeof(*out));
	if (acpi_sdt_check(buf, avail, "MCFG", MCFG_HEADER_LEN, &out->notes, &length))
		return -EINVAL;
	for (off = MCFG_HEADER_LEN; length - off >= ALLOC_LEN; off += ALLOC_LEN)
		parse_allocation(buf + off, off, out);
	if (off < length)
		acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
			  "%u trailing bytes, shorter than an allocation; ignored", length - off);
	return 0;
}
