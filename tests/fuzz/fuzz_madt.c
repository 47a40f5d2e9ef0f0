// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for madt_parse(): any bytes, any length. The parser must never read outside
 * the buffer (ASan), hit undefined behaviour (UBSan) or loop; it returns 0 or -EINVAL, and when
 * it accepts a table every count stays within its array.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/acpi/madt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct madt_table out;
	int err = madt_parse(data, size, &out);

	if (err != 0 && err != -EINVAL)
		abort();
	if (out.notes.count > ACPI_NOTES_MAX)
		abort();
	if (out.nr_lapic > MADT_MAX_LAPIC || out.nr_x2apic > MADT_MAX_X2APIC ||
	    out.nr_ioapic > MADT_MAX_IOAPIC || out.nr_overrides > MADT_MAX_OVERRIDES ||
	    out.nr_lapic_nmi > MADT_MAX_NMI || out.nr_x2apic_nmi > MADT_MAX_NMI)
		abort();
	return 0;
}
