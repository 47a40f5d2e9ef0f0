// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the RSDP -> XSDT/RSDT walk (acpi_tables_find). The input is "physical
 * memory" starting at FAKE_BASE: the RSDP sits at its start, and every pointer in it (RSDT,
 * XSDT, table entries) is resolved through map(), which vouches only for bytes of the input.
 * The walk must never read outside the input, and accepted tables must lie inside it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/acpi/acpi_tables.h"
#include "kernel/console.h"
#include "kernel/time.h"

#define FAKE_BASE 0x1000u

static const uint8_t *input;
static size_t input_size;

static const uint8_t *map(uint64_t pa, uint64_t len)
{
	if (pa < FAKE_BASE || len > input_size || pa - FAKE_BASE > input_size - len)
		return NULL;
	return input + (pa - FAKE_BASE);
}

/* The walker logs through kernel/log.c: its console and clock are no-ops here. */
void console_write(const char *s, size_t n)
{
	(void)s, (void)n;
}

uint64_t time_ns(void)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_tables out;
	int err;

	input = data;
	input_size = size;
	err = acpi_tables_find(FAKE_BASE, map, &out);
	if (err != 0 && err != -EINVAL)
		abort();
	if (out.count > ACPI_MAX_TABLES)
		abort();
	for (unsigned int i = 0; i < out.count; i++)
		if (!map(out.tables[i].address, out.tables[i].length))
			abort();
	return 0;
}
