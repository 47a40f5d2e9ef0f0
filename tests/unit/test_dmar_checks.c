/* Sources: kernel/acpi/dmar.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c */
// SPDX-License-Identifier: MIT
/*
 * dmar_parse()'s checks on what the structures say (VT-d 5.0, 8.3 to 8.7): RMRR ranges,
 * INCLUDE_PCI_ALL units, register bases and sizes, RHSA without a unit, ANDD names; its output
 * capacity and its notes. Tables are built with tests/unit/dmar_builder.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/dmar.h"
#include "tests/unit/dmar_builder.h"

/* ---- semantic checks ---- */

static void test_rmrr_overlap(void **state)
{
	struct tb t;
	uint32_t a, b, c, d, e;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	a = tb_rmrr_ep(&t, 0x7c000000, 0x7c0fffff);
	b = tb_rmrr_ep(&t, 0x7c100000, 0x7c1fffff); /* adjacent to a: no overlap */
	c = tb_rmrr_ep(&t, 0x7c0ff000, 0x7c100fff); /* last page of a, first of b */
	d = tb_rmrr_ep(&t, 0x7d000000, 0x7d001000); /* unaligned limit, */
	e = tb_rmrr_ep(&t, 0x7d001000, 0x7d001fff); /* so one byte is shared with e */
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 4);
	expect_note(ACPI_NOTE_WARN, d, "4 KiB aligned");
	expect_note(ACPI_NOTE_WARN, e, "overlaps the RMRR at 0x%x (0x7d000000-0x7d001000)", d);
	expect_note(ACPI_NOTE_WARN, c, "overlaps the RMRR at 0x%x (0x7c000000-0x7c0fffff)", a);
	expect_note(ACPI_NOTE_WARN, c, "overlaps the RMRR at 0x%x (0x7c100000-0x7c1fffff)", b);
	assert_int_equal(T->nr_rmrr, 5);
	assert_int_equal(T->rmrr[2].offset, c);
}

static void test_rmrr_limit_below_base(void **state)
{
	struct tb t;
	uint32_t bad, good;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	bad = tb_rmrr_ep(&t, 0x7d000000, 0x7cffffff);
	good = tb_rmrr_ep(&t, 0x7c000000, 0x7c000fff); /* one page: limit + 1 - base = 4 KiB */
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "limit 0x7cffffff below base 0x7d000000");
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->rmrr[0].offset, good);
	assert_int_equal(T->rmrr[0].scopes.count, 1);
	assert_int_equal(T->nr_scopes, 2); /* the ignored RMRR's scope is not stored */
}

static void test_rmrr_unaligned(void **state)
{
	struct tb t;
	uint32_t base_off, limit_off;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	base_off = tb_rmrr_ep(&t, 0x7c000800, 0x7c000fff);
	limit_off = tb_rmrr_ep(&t, 0x7d000000, 0x7d000ffe);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 2);
	expect_note(ACPI_NOTE_WARN, base_off, "4 KiB aligned");
	expect_note(ACPI_NOTE_WARN, limit_off, "4 KiB aligned");
	assert_int_equal(T->nr_rmrr, 2);
}

static void test_include_all_not_last(void **state)
{
	struct tb t;
	uint32_t all, later, other_seg;

	(void)state;
	tb_init(&t, 38, 0);
	all = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	later = tb_drhd_ep(&t, 0, 0, 0xfed90000);
	other_seg = tb_drhd_ep(&t, 0, 1, 0xfed92000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 1);
	expect_note(ACPI_NOTE_WARN, all, "not the last of segment 0 (DRHD at 0x%x follows)", later);
	assert_int_equal(T->nr_drhd, 3);
	assert_int_equal(T->drhd[2].offset, other_seg);

	/* A catch-all unit followed only by units of other segments is last in its segment. */
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, 0, 0, 0xfed90000);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 1, 0xfed92000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 0);
	assert_int_equal(T->nr_drhd, 3);
}

static void test_two_include_all_units(void **state)
{
	struct tb t;
	uint32_t first, second;

	(void)state;
	tb_init(&t, 38, 0);
	first = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	second = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, second, "second INCLUDE_PCI_ALL unit of segment 0");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].offset, first);
	assert_int_equal(T->nr_scopes, 1);
}

static void test_same_register_base(void **state)
{
	struct tb t;
	uint32_t first, second, third;

	(void)state;
	tb_init(&t, 38, 0);
	first = tb_drhd_ep(&t, 0, 0, 0xfed90000);
	second = tb_drhd_ep(&t, 0, 1, 0xfed90000); /* same base, other segment: same registers */
	third = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 1, 0, 0xfed8f000); /* 8 KiB: overlaps */
	tb_close(&t, third);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 2);
	expect_note(ACPI_NOTE_ERROR, second, "overlap those of the DRHD at 0x%x", first);
	expect_note(ACPI_NOTE_ERROR, third, "overlap those of the DRHD at 0x%x", first);
	assert_int_equal(T->nr_drhd, 2);
	assert_int_equal(T->drhd[1].base, 0xfed91000);
}

static void test_register_base_zero(void **state)
{
	struct tb t;
	uint32_t zero;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, 0, 0, 0xfed90000);
	zero = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, zero, "register base address is 0");
	assert_int_equal(T->nr_drhd, 1);
}

static void test_register_set_size(void **state)
{
	struct tb t;
	uint32_t reserved, unaligned, aligned;

	(void)state;
	tb_init(&t, 38, 0);
	reserved = tb_drhd(&t, 0, 0x14, 0, 0xfed80000); /* 16 pages, reserved bit 4 */
	tb_close(&t, reserved);
	unaligned = tb_drhd(&t, 0, 2, 0, 0xfed91000); /* 16 KiB at a 4 KiB boundary */
	tb_close(&t, unaligned);
	aligned = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 2, 0, 0xfed98000);
	tb_close(&t, aligned);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 2);
	expect_note(ACPI_NOTE_WARN, reserved + 5, "reserved bits");
	expect_note(ACPI_NOTE_WARN, unaligned + 8, "not aligned to its 16 KiB register set");
	assert_int_equal(T->nr_drhd, 3);
	assert_int_equal(T->drhd[0].size, 4);
	assert_int_equal(T->drhd[2].size, 2);
}

static void test_rhsa_without_unit(void **state)
{
	struct tb t;
	uint32_t orphan;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_rhsa(&t, 0xfed90000, 0);
	orphan = tb_rhsa(&t, 0xfed91000, 1);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 1);
	expect_note(ACPI_NOTE_WARN, orphan, "matches no DRHD");
	assert_int_equal(T->nr_rhsa, 2);
}

/* ---- ANDD names ---- */

/* The name runs to the end of the table without a NUL: nothing past it may be read. */
static void test_andd_name_unterminated(void **state)
{
	struct tb t;
	uint32_t mid, last;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	mid = tb_andd(&t, 1, "\\_SB.I2C0", 9); /* the next structure's type bytes hold NULs */
	tb_rhsa(&t, 0xfed90000, 0);
	last = tb_andd(&t, 2, "\\_SB.PCI0.I2C1", 14);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 2);
	expect_note(ACPI_NOTE_ERROR, mid, "no NUL");
	expect_note(ACPI_NOTE_ERROR, last, "no NUL");
	assert_int_equal(T->nr_andd, 0);
	assert_int_equal(T->nr_rhsa, 1);
}

static void test_andd_name_length(void **state)
{
	char name[DMAR_ANDD_NAME_MAX + 1];
	struct tb t;
	uint32_t fits, too_long, empty;

	(void)state;
	memset(name, 'A', sizeof(name));
	name[DMAR_ANDD_NAME_MAX] = '\0';
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	too_long = tb_andd(&t, 1, name, DMAR_ANDD_NAME_MAX + 1);
	name[DMAR_ANDD_NAME_MAX - 1] = '\0';
	fits = tb_andd(&t, 2, name, DMAR_ANDD_NAME_MAX);
	empty = tb_andd(&t, 3, "", 1);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, too_long, "64 characters");
	assert_int_equal(T->nr_andd, 2);
	assert_int_equal(T->andd[0].offset, fits);
	assert_int_equal(T->andd[0].device_number, 2);
	assert_int_equal(strlen(T->andd[0].name), DMAR_ANDD_NAME_MAX - 1);
	assert_int_equal(T->andd[1].offset, empty);
	assert_string_equal(T->andd[1].name, "");
}

/* ---- capacity ---- */

static void test_capacity_structures(void **state)
{
	struct tb t;
	uint32_t last_rmrr = 0, last_drhd = 0;

	(void)state;
	tb_init(&t, 38, 0);
	for (unsigned int i = 0; i <= DMAR_MAX_DRHD; i++)
		last_drhd = tb_drhd_ep(&t, 0, (uint16_t)i, 0xf0000000ull + 0x1000ull * i);
	for (unsigned int i = 0; i <= DMAR_MAX_RMRR; i++)
		last_rmrr =
			tb_rmrr_ep(&t, 0x10000000ull * (i + 1), 0x10000000ull * (i + 1) + 0xfff);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 2);
	expect_note(ACPI_NOTE_ERROR, last_drhd, "more than 64 DRHD");
	expect_note(ACPI_NOTE_ERROR, last_rmrr, "more than 64 RMRR");
	assert_int_equal(T->nr_drhd, DMAR_MAX_DRHD);
	assert_int_equal(T->nr_rmrr, DMAR_MAX_RMRR);
	assert_int_equal(T->drhd[DMAR_MAX_DRHD - 1].segment, DMAR_MAX_DRHD - 1);
	assert_int_equal(T->nr_scopes, DMAR_MAX_DRHD + DMAR_MAX_RMRR);
}

static void test_capacity_scopes(void **state)
{
	struct tb t;
	uint32_t drhd, first_excess = 0, rmrr;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	for (unsigned int i = 0; i < DMAR_MAX_SCOPES + 2; i++) {
		uint32_t at = tb_ep(&t, (uint8_t)(i / 32), (uint8_t)(i % 32), 0);

		if (i == DMAR_MAX_SCOPES)
			first_excess = at;
	}
	tb_close(&t, drhd);
	rmrr = tb_rmrr_ep(&t, 0x7c000000, 0x7cffffff);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 3);
	expect_note(ACPI_NOTE_ERROR, first_excess, "more than 1024 scopes");
	expect_note(ACPI_NOTE_ERROR, first_excess + 8, "more than 1024 scopes");
	expect_note(ACPI_NOTE_ERROR, rmrr + RMRR_FIXED_LEN, "more than 1024 scopes");
	assert_int_equal(T->nr_scopes, DMAR_MAX_SCOPES);
	assert_int_equal(T->drhd[0].scopes.count, DMAR_MAX_SCOPES);
	assert_int_equal(T->scopes[DMAR_MAX_SCOPES - 1].start_bus, (DMAR_MAX_SCOPES - 1) / 32);
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->rmrr[0].scopes.count, 0);
}

/* ---- notes ---- */

static void test_notes_overflow(void **state)
{
	const unsigned int extra = 8;
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	for (unsigned int i = 0; i < ACPI_NOTES_MAX + extra; i++)
		tb_close(&t, tb_open(&t, 0x100 + i));
	tb_finish(&t);
	parse_ok(&t);
	assert_int_equal(T->notes.count, ACPI_NOTES_MAX);
	assert_int_equal(T->notes.dropped, extra);
	expect_note(ACPI_NOTE_INFO, OFF_STRUCTS, "unknown type 256");
	expect_note(ACPI_NOTE_INFO, OFF_STRUCTS + 4 * (ACPI_NOTES_MAX - 1), "unknown type 287");
}

static void test_note_text_truncated(void **state)
{
	struct acpi_notes notes = { 0 };
	char long_text[2 * ACPI_NOTE_TEXT];

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	acpi_note(&notes, ACPI_NOTE_WARN, 7, "%s", long_text);
	assert_int_equal(notes.count, 1);
	assert_int_equal(notes.items[0].offset, 7);
	assert_int_equal(notes.items[0].kind, ACPI_NOTE_WARN);
	assert_int_equal(strlen(notes.items[0].text), ACPI_NOTE_TEXT - 1);
}

/* Parsing again starts from nothing: no structure or note of the previous table survives. */
static void test_output_reset(void **state)
{
	struct tb t;
	struct all_types o;

	(void)state;
	build_all_types(&t, &o);
	t.b[OFF_CHECKSUM] ^= 1;
	parse_ok(&t);
	assert_int_equal(T->notes.count, 1);
	tb_init(&t, 38, 0);
	tb_finish(&t);
	parse_ok(&t);
	assert_int_equal(T->notes.count + T->nr_drhd + T->nr_andd + T->nr_scopes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rmrr_overlap),
		cmocka_unit_test(test_rmrr_limit_below_base),
		cmocka_unit_test(test_rmrr_unaligned),
		cmocka_unit_test(test_include_all_not_last),
		cmocka_unit_test(test_two_include_all_units),
		cmocka_unit_test(test_same_register_base),
		cmocka_unit_test(test_register_base_zero),
		cmocka_unit_test(test_register_set_size),
		cmocka_unit_test(test_rhsa_without_unit),
		cmocka_unit_test(test_andd_name_unterminated),
		cmocka_unit_test(test_andd_name_length),
		cmocka_unit_test(test_capacity_structures),
		cmocka_unit_test(test_capacity_scopes),
		cmocka_unit_test(test_notes_overflow),
		cmocka_unit_test(test_note_text_truncated),
		cmocka_unit_test(test_output_reset),
	};

	return cmocka_run_group_tests(tests, dmar_setup, dmar_teardown);
}
