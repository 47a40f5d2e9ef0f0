/* Sources: kernel/acpi/mcfg.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c */
// SPDX-License-Identifier: MIT
/*
 * mcfg_parse (PCI Firmware spec 3.3, 4.1.2) on tables built here byte by byte. The parser always
 * reads from a heap copy of exactly the bytes it is given, so AddressSanitizer catches any read
 * past them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/acpi/mcfg.h"

#define TABLE_MAX	2048
#define HEADER_LEN	36
#define OFF_LENGTH	4
#define OFF_CHECKSUM	9
#define FIRST_ALLOC	44
#define ALLOC_LEN	16
#define ECAM_BASE	0xe0000000ull
#define ECAM_BASE_HIGH	0x3fff0000000ull
#define ECAM_BUS_WINDOW (1ull << 20)

struct builder {
	uint8_t b[TABLE_MAX];
	uint32_t len;
};

static struct mcfg_table table;

static void put(struct builder *t, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++)
		t->b[t->len++] = (uint8_t)(v >> (8 * i));
}

static void put_at(struct builder *t, uint32_t off, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++)
		t->b[off + i] = (uint8_t)(v >> (8 * i));
}

/* The 36-byte header (length and checksum filled by finish()) and 8 reserved bytes. */
static void start(struct builder *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "MCFG", 4);
	t->b[8] = 1; /* revision */
	memcpy(t->b + 10, "SKIFF ", 6);
	t->len = HEADER_LEN;
	put(t, 0, 8);
}

static void finish(struct builder *t)
{
	uint8_t sum = 0;

	put_at(t, OFF_LENGTH, t->len, 4);
	t->b[OFF_CHECKSUM] = 0;
	for (uint32_t i = 0; i < t->len; i++)
		sum += t->b[i];
	t->b[OFF_CHECKSUM] = (uint8_t)-sum;
}

static void alloc(struct builder *t, uint64_t base, uint16_t segment, uint8_t start_bus,
		  uint8_t end_bus)
{
	put(t, base, 8);
	put(t, segment, 2);
	put(t, start_bus, 1);
	put(t, end_bus, 1);
	put(t, 0, 4);
}

static int parse(const struct builder *t, size_t avail)
{
	uint8_t *copy = malloc(avail ? avail : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, t->b, avail);
	err = mcfg_parse(copy, avail, &table);
	free(copy);
	return err;
}

static void assert_note(unsigned int i, enum acpi_note_kind kind, uint32_t offset)
{
	assert_true(i < table.notes.count);
	assert_int_equal(table.notes.items[i].kind, kind);
	assert_int_equal(table.notes.items[i].offset, offset);
	assert_true(table.notes.items[i].text[0] != '\0');
}

static void assert_alloc(unsigned int i, uint64_t base, uint16_t segment, uint8_t start_bus,
			 uint8_t end_bus)
{
	assert_true(i < table.nr_allocations);
	assert_int_equal(table.allocations[i].base, base);
	assert_int_equal(table.allocations[i].segment, segment);
	assert_int_equal(table.allocations[i].start_bus, start_bus);
	assert_int_equal(table.allocations[i].end_bus, end_bus);
}

static void test_valid(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	alloc(&t, ECAM_BASE_HIGH, 1, 0x80, 0xfe); /* base is still bus 0's window */
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 0);
	assert_int_equal(table.nr_allocations, 2);
	assert_alloc(0, ECAM_BASE, 0, 0, 0xff);
	assert_alloc(1, ECAM_BASE_HIGH, 1, 0x80, 0xfe);
}

static void test_no_allocations(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 0);
	assert_int_equal(table.notes.count, 0);
}

/* A single-bus window (start == end) is valid. */
static void test_single_bus(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE + 5 * ECAM_BUS_WINDOW, 2, 5, 5);
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 0);
	assert_alloc(0, ECAM_BASE + 5 * ECAM_BUS_WINDOW, 2, 5, 5);
}

static void test_end_below_start(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0x10, 0x0f);
	alloc(&t, ECAM_BASE_HIGH, 1, 0, 0x3f);
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 1);
	assert_alloc(0, ECAM_BASE_HIGH, 1, 0, 0x3f);
	assert_int_equal(table.notes.count, 1);
	assert_note(0, ACPI_NOTE_ERROR, FIRST_ALLOC);
}

static void test_unaligned_base(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE + ECAM_BUS_WINDOW / 2, 0, 0, 0xff);
	alloc(&t, ECAM_BASE + 0x1000, 0, 0, 0xff);
	alloc(&t, ECAM_BASE_HIGH, 1, 0, 0xff);
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 1);
	assert_alloc(0, ECAM_BASE_HIGH, 1, 0, 0xff);
	assert_int_equal(table.notes.count, 2);
	assert_note(0, ACPI_NOTE_ERROR, FIRST_ALLOC);
	assert_note(1, ACPI_NOTE_ERROR, FIRST_ALLOC + ALLOC_LEN);
}

static void test_trailing_partial_allocation(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	alloc(&t, ECAM_BASE_HIGH, 1, 0, 0xff);
	t.len -= 4; /* the table ends inside the second allocation */
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 1);
	assert_alloc(0, ECAM_BASE, 0, 0, 0xff);
	assert_int_equal(table.notes.count, 1);
	assert_note(0, ACPI_NOTE_ERROR, FIRST_ALLOC + ALLOC_LEN);
}

static void test_truncated(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	finish(&t);
	assert_int_equal(parse(&t, 20), -EINVAL);
	assert_note(0, ACPI_NOTE_ERROR, 0);
	assert_int_equal(parse(&t, FIRST_ALLOC - 1), -EINVAL);
	assert_note(0, ACPI_NOTE_ERROR, OFF_LENGTH);
	assert_int_equal(table.nr_allocations, 0);
}

static void test_length_beyond_buffer(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	finish(&t);
	assert_int_equal(parse(&t, t.len - 1), -EINVAL);
	assert_int_equal(table.notes.count, 1);
	assert_note(0, ACPI_NOTE_ERROR, OFF_LENGTH);
	assert_int_equal(table.nr_allocations, 0);
}

static void test_length_below_minimum(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	finish(&t);
	put_at(&t, OFF_LENGTH, HEADER_LEN, 4);
	assert_int_equal(parse(&t, t.len), -EINVAL);
	assert_note(0, ACPI_NOTE_ERROR, OFF_LENGTH);
}

static void test_wrong_signature(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	finish(&t);
	memcpy(t.b, "APIC", 4);
	assert_int_equal(parse(&t, t.len), -EINVAL);
	assert_note(0, ACPI_NOTE_ERROR, 0);
	assert_int_equal(table.nr_allocations, 0);
}

static void test_bad_checksum_parsed(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	finish(&t);
	t.b[OFF_CHECKSUM]++;
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 1);
	assert_note(0, ACPI_NOTE_WARN, OFF_CHECKSUM);
	assert_alloc(0, ECAM_BASE, 0, 0, 0xff);
}

static void test_capacity(void **state)
{
	struct builder t;

	(void)state;
	start(&t);
	for (unsigned int i = 0; i <= MCFG_MAX_ALLOCATIONS; i++)
		alloc(&t, ECAM_BASE_HIGH + i * 256 * ECAM_BUS_WINDOW, (uint16_t)i, 0, 0xff);
	finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, MCFG_MAX_ALLOCATIONS);
	assert_alloc(MCFG_MAX_ALLOCATIONS - 1,
		     ECAM_BASE_HIGH + (MCFG_MAX_ALLOCATIONS - 1) * 256 * ECAM_BUS_WINDOW,
		     MCFG_MAX_ALLOCATIONS - 1, 0, 0xff);
	assert_int_equal(table.notes.count, 1);
	assert_note(0, ACPI_NOTE_ERROR, FIRST_ALLOC + ALLOC_LEN * MCFG_MAX_ALLOCATIONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_no_allocations),
		cmocka_unit_test(test_single_bus),
		cmocka_unit_test(test_end_below_start),
		cmocka_unit_test(test_unaligned_base),
		cmocka_unit_test(test_trailing_partial_allocation),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_length_beyond_buffer),
		cmocka_unit_test(test_length_below_minimum),
		cmocka_unit_test(test_wrong_signature),
		cmocka_unit_test(test_bad_checksum_parsed),
		cmocka_unit_test(test_capacity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
