// SPDX-License-Identifier: MIT
/* The disk pattern's records (pattern.h). */
#include "tests/linux/init/pattern.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void pattern_fill(uint64_t offset, char *buf, size_t len)
{
	char record[PATTERN_RECORD_LEN + 1]; /* snprintf's NUL */
	size_t i;

	for (i = 0; i < len; i += PATTERN_RECORD_LEN) {
		snprintf(record, sizeof(record), "skiff:%09" PRIx64 "\n", offset + i);
		memcpy(buf + i, record, PATTERN_RECORD_LEN);
	}
}
