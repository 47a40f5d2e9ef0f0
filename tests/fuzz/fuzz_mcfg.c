// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for mcfg_parse(): any bytes, any length. The parser must never read outside
 * the buffer (ASan), hit undefined behaviour (UBSan) or loop; it returns 0 or -EINVAL, and when
 * it accepts a table every count stays within its array.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/acpi/mcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mcfg_table out;
	int err = mcfg_parse(data, size, &out);

	if (err != 0 && err != -EINVAL)
		abort();
	if (out.notes.count > ACPI_NOTES_MAX)
		abort();
	if (out.nr_allocations > MCFG_MAX_ALLOCATIONS)
		abort();
	for (unsigned int i = 0; i < out.nr_allocations; i++)
		if (out.allocations[i].end_bus < out.allocations[i].start_bus)
			abort();
	return 0;
}
