// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for dmar_parse(): any bytes, any length. The parser must never read outside
 * the buffer (ASan), hit undefined behaviour (UBSan) or loop; it returns 0 or -EINVAL, and when
 * it accepts a table every count stays within its array.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/acpi/dmar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dmar_table out;
	int err = dmar_parse(data, size, &out);

	if (err != 0 && err != -EINVAL)
		abort();
	if (out.notes.count > ACPI_NOTES_MAX)
		abort();
	if (out.nr_drhd > DMAR_MAX_DRHD || out.nr_rmrr > DMAR_MAX_RMRR ||
	    out.nr_atsr > DMAR_MAX_ATSR || out.nr_rhsa > DMAR_MAX_RHSA ||
	    out.nr_andd > DMAR_MAX_ANDD || out.nr_satc > DMAR_MAX_SATC ||
	    out.nr_sidp > DMAR_MAX_SIDP || out.nr_scopes > DMAR_MAX_SCOPES)
		abort();
	for (unsigned int i = 0; i < out.nr_drhd; i++)
		if (out.drhd[i].scopes.first + out.drhd[i].scopes.count > out.nr_scopes)
			abort();
	for (unsigned int i = 0; i < out.nr_scopes; i++)
		if (out.scopes[i].path_len == 0 || out.scopes[i].path_len > DMAR_MAX_PATH)
			abort();
	return 0;
}
