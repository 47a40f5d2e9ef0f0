// SPDX-License-Identifier: MIT
/* ACPI tables for host tests: see acpi_table_builder.h. */
#include "tests/unit/acpi_table_builder.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SIG_LEN	   4u
#define OFF_REV	   8u
#define OFF_OEM_ID 10u
#define OEM_ID	   "SKIFF "
#define OEM_ID_LEN 6u
#define BYTE_BITS  8u

void acpi_tb_start(struct acpi_tb *t, const char *sig, uint8_t revision)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, sig, SIG_LEN);
	t->b[OFF_REV] = revision;
	memcpy(t->b + OFF_OEM_ID, OEM_ID, OEM_ID_LEN);
	t->len = ACPI_TB_HEADER_LEN;
}

void acpi_tb_put_at(struct acpi_tb *t, uint32_t off, uint64_t v, unsigned int size)
{
	assert_true(size <= sizeof(v) && off <= ACPI_TB_MAX && size <= ACPI_TB_MAX - off);
	for (unsigned int i = 0; i < size; i++)
		t->b[off + i] = (uint8_t)(v >> (BYTE_BITS * i));
}

void acpi_tb_put(struct acpi_tb *t, uint64_t v, unsigned int size)
{
	acpi_tb_put_at(t, t->len, v, size);
	t->len += size;
}

void acpi_tb_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (uint8_t)-sum;
}

void acpi_tb_finish(struct acpi_tb *t)
{
	acpi_tb_put_at(t, ACPI_TB_OFF_LENGTH, t->len, sizeof(uint32_t));
	acpi_tb_checksum(t->b, t->len, ACPI_TB_OFF_CHECKSUM);
}

uint8_t *acpi_tb_heap_copy(const uint8_t *p, size_t avail)
{
	uint8_t *copy = malloc(avail ? avail : 1);

	assert_non_null(copy);
	memcpy(copy, p, avail);
	return copy;
}

void acpi_tb_assert_note(const struct acpi_notes *notes, unsigned int i, enum acpi_note_kind kind,
			 uint32_t offset)
{
	assert_true(i < notes->count);
	assert_int_equal(notes->items[i].kind, kind);
	assert_int_equal(notes->items[i].offset, offset);
	assert_true(notes->items[i].text[0] != '\0');
}
