/* Sources: kernel/acpi/mcfg.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c */
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
#include "tests/unit/acpi_table_builder.h"

#define FIRST_ALLOC	44
#define ALLOC_LEN	16
#define ECAM_BASE	0xe0000000ull
#define ECAM_BASE_HIGH	0x3fff0000000ull
#define ECAM_BUS_WINDOW (1ull << 20)

static struct mcfg_table table;

/* The 36-byte header (length and checksum filled by acpi_tb_finish()) and 8 reserved bytes. */
static void start(struct acpi_tb *t)
{
	acpi_tb_start(t, "MCFG", 1);
	acpi_tb_put(t, 0, 8);
}

static void alloc(struct acpi_tb *t, uint64_t base, uint16_t segment, uint8_t start_bus,
		  uint8_t end_bus)
{
	acpi_tb_put(t, base, 8);
	acpi_tb_put(t, segment, 2);
	acpi_tb_put(t, start_bus, 1);
	acpi_tb_put(t, end_bus, 1);
	acpi_tb_put(t, 0, 4);
}

static int parse(const struct acpi_tb *t, size_t avail)
{
	uint8_t *copy = acpi_tb_heap_copy(t->b, avail);
	int err = mcfg_parse(copy, avail, &table);

	free(copy);
	return err;
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
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	alloc(&t, ECAM_BASE_HIGH, 1, 0x80, 0xfe); /* base is still bus 0's window */
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 0);
	assert_int_equal(table.nr_allocations, 2);
	assert_alloc(0, ECAM_BASE, 0, 0, 0xff);
	assert_alloc(1, ECAM_BASE_HIGH, 1, 0x80, 0xfe);
}

static void test_no_allocations(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 0);
	assert_int_equal(table.notes.count, 0);
}

/* A single-bus window (start == end) is valid. */
static void test_single_bus(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE + 5 * ECAM_BUS_WINDOW, 2, 5, 5);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 0);
	assert_alloc(0, ECAM_BASE + 5 * ECAM_BUS_WINDOW, 2, 5, 5);
}

static void test_end_below_start(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0x10, 0x0f);
	alloc(&t, ECAM_BASE_HIGH, 1, 0, 0x3f);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 1);
	assert_alloc(0, ECAM_BASE_HIGH, 1, 0, 0x3f);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_ALLOC);
}

static void test_unaligned_base(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE + ECAM_BUS_WINDOW / 2, 0, 0, 0xff);
	alloc(&t, ECAM_BASE + 0x1000, 0, 0, 0xff);
	alloc(&t, ECAM_BASE_HIGH, 1, 0, 0xff);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 1);
	assert_alloc(0, ECAM_BASE_HIGH, 1, 0, 0xff);
	assert_int_equal(table.notes.count, 2);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_ALLOC);
	acpi_tb_assert_note(&table.notes, 1, ACPI_NOTE_ERROR, FIRST_ALLOC + ALLOC_LEN);
}

static void test_trailing_partial_allocation(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	alloc(&t, ECAM_BASE_HIGH, 1, 0, 0xff);
	t.len -= 4; /* the table ends inside the second allocation */
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, 1);
	assert_alloc(0, ECAM_BASE, 0, 0, 0xff);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_ALLOC + ALLOC_LEN);
}

static void test_truncated(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, 20), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, 0);
	assert_int_equal(parse(&t, FIRST_ALLOC - 1), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, ACPI_TB_OFF_LENGTH);
	assert_int_equal(table.nr_allocations, 0);
}

static void test_length_beyond_buffer(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len - 1), -EINVAL);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, ACPI_TB_OFF_LENGTH);
	assert_int_equal(table.nr_allocations, 0);
}

static void test_length_below_minimum(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_finish(&t);
	acpi_tb_put_at(&t, ACPI_TB_OFF_LENGTH, ACPI_TB_HEADER_LEN, 4);
	assert_int_equal(parse(&t, t.len), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, ACPI_TB_OFF_LENGTH);
}

static void test_wrong_signature(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	acpi_tb_finish(&t);
	memcpy(t.b, "APIC", 4);
	assert_int_equal(parse(&t, t.len), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, 0);
	assert_int_equal(table.nr_allocations, 0);
}

static void test_bad_checksum_parsed(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	alloc(&t, ECAM_BASE, 0, 0, 0xff);
	acpi_tb_finish(&t);
	t.b[ACPI_TB_OFF_CHECKSUM]++;
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_WARN, ACPI_TB_OFF_CHECKSUM);
	assert_alloc(0, ECAM_BASE, 0, 0, 0xff);
}

static void test_capacity(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	for (unsigned int i = 0; i <= MCFG_MAX_ALLOCATIONS; i++)
		alloc(&t, ECAM_BASE_HIGH + i * 256 * ECAM_BUS_WINDOW, (uint16_t)i, 0, 0xff);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_allocations, MCFG_MAX_ALLOCATIONS);
	assert_alloc(MCFG_MAX_ALLOCATIONS - 1,
		     ECAM_BASE_HIGH + (MCFG_MAX_ALLOCATIONS - 1) * 256 * ECAM_BUS_WINDOW,
		     MCFG_MAX_ALLOCATIONS - 1, 0, 0xff);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR,
			    FIRST_ALLOC + ALLOC_LEN * MCFG_MAX_ALLOCATIONS);
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
