/* Sources: kernel/acpi/dmar.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c */
// SPDX-License-Identifier: MIT
/*
 * dmar_parse() against tables built from the VT-d 5.0 chapter 8 layout (tests/unit/dmar_builder.h):
 * a valid table with every structure type, the header, the structure walk and device scopes.
 * Semantic checks, ANDD names, capacity and notes: test_dmar_checks.c; the real tables of the
 * ACPI corpus: test_dmar_corpus.c.
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

/* ---- a valid table with every structure type ---- */

static void test_valid_all_types(void **state)
{
	struct tb t;
	struct all_types o;
	const struct dmar_scope *s = T->scopes;

	(void)state;
	build_all_types(&t, &o);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 0);
	assert_int_equal(T->haw_bits, 0x26 + 1);
	assert_int_equal(T->flags, 0x05);
	assert_int_equal(T->nr_drhd, 2);
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->nr_atsr, 1);
	assert_int_equal(T->nr_rhsa, 1);
	assert_int_equal(T->nr_andd, 1);
	assert_int_equal(T->nr_satc, 1);
	assert_int_equal(T->nr_sidp, 1);
	assert_int_equal(T->nr_scopes, 9);

	assert_int_equal(T->drhd[0].offset, o.drhd0);
	assert_int_equal(T->drhd[0].flags, 0);
	assert_int_equal(T->drhd[0].size, 0);
	assert_int_equal(T->drhd[0].segment, 0);
	assert_int_equal(T->drhd[0].base, 0xfed90000);
	assert_int_equal(T->drhd[0].scopes.first, 0);
	assert_int_equal(T->drhd[0].scopes.count, 1);
	expect_scope(&s[0], o.sc_gfx, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);

	assert_int_equal(T->drhd[1].offset, o.drhd1);
	assert_int_equal(T->drhd[1].flags, DRHD_FLAG_INCLUDE_PCI_ALL);
	assert_int_equal(T->drhd[1].size, 1);
	assert_int_equal(T->drhd[1].base, 0xfed92000);
	assert_int_equal(T->drhd[1].scopes.first, 1);
	assert_int_equal(T->drhd[1].scopes.count, 3);
	expect_scope(&s[1], o.sc_ioapic, DMAR_SCOPE_IOAPIC, 2, 0xf0, 0x1e, 7);
	expect_scope(&s[2], o.sc_hpet, DMAR_SCOPE_MSI_HPET, 0, 0, 0x1e, 6);
	expect_scope(&s[3], o.sc_acpi, DMAR_SCOPE_ACPI_NAMESPACE, 1, 0, 0x15, 0);

	assert_int_equal(T->rmrr[0].offset, o.rmrr);
	assert_int_equal(T->rmrr[0].segment, 0);
	assert_int_equal(T->rmrr[0].base, 0x7c000000);
	assert_int_equal(T->rmrr[0].limit, 0x807fffff);
	assert_int_equal(T->rmrr[0].scopes.first, 4);
	assert_int_equal(T->rmrr[0].scopes.count, 2);
	expect_scope(&s[4], o.sc_rmrr0, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	assert_int_equal(s[5].offset, o.sc_rmrr1);
	assert_int_equal(s[5].path_len, 2);
	assert_memory_equal(s[5].path, ((uint8_t[4]){ 0x1c, 0, 0, 0 }), 4);

	assert_int_equal(T->atsr[0].offset, o.atsr);
	assert_int_equal(T->atsr[0].flags, 0);
	assert_int_equal(T->atsr[0].segment, 0);
	assert_int_equal(T->atsr[0].scopes.first, 6);
	assert_int_equal(T->atsr[0].scopes.count, 1);
	expect_scope(&s[6], o.sc_atsr, DMAR_SCOPE_PCI_SUB_HIERARCHY, 0, 0, 1, 0);

	assert_int_equal(T->rhsa[0].offset, o.rhsa);
	assert_int_equal(T->rhsa[0].base, 0xfed92000);
	assert_int_equal(T->rhsa[0].proximity_domain, 3);

	assert_int_equal(T->andd[0].offset, o.andd);
	assert_int_equal(T->andd[0].device_number, 1);
	assert_string_equal(T->andd[0].name, "\\_SB.PCI0.I2C0");

	assert_int_equal(T->satc[0].offset, o.satc);
	assert_int_equal(T->satc[0].flags, SATC_FLAG_ATC_REQUIRED);
	assert_int_equal(T->satc[0].segment, 0);
	assert_int_equal(T->satc[0].scopes.first, 7);
	assert_int_equal(T->satc[0].scopes.count, 1);
	expect_scope(&s[7], o.sc_satc, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);

	assert_int_equal(T->sidp[0].offset, o.sidp);
	assert_int_equal(T->sidp[0].segment, 1);
	assert_int_equal(T->sidp[0].scopes.first, 8);
	assert_int_equal(T->sidp[0].scopes.count, 1);
	expect_scope(&s[8], o.sc_sidp, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0xb, 0);
}

/* A table with no remapping structure at all is valid (and useless). */
static void test_header_only(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, DMAR_FLAG_INTR_REMAP);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 0);
	assert_int_equal(T->haw_bits, 39);
	assert_int_equal(T->nr_drhd + T->nr_rmrr + T->nr_scopes, 0);
}

/* ---- header ---- */

static void test_truncated(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);

	assert_int_equal(parse_bytes(t.b, 20), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, 0, "truncated: 20 bytes");
	assert_int_equal(T->nr_drhd, 0);

	assert_int_equal(parse_bytes(t.b, 0), -EINVAL);
	assert_int_equal(parse_bytes(t.b, 40), -EINVAL); /* header readable, length 72 > 40 */
	expect_note(ACPI_NOTE_ERROR, OFF_LENGTH, "exceeds the 40 bytes");
	assert_int_equal(parse_bytes(t.b, t.len - 1), -EINVAL);
	expect_only(ACPI_NOTE_ERROR, 1);
	assert_int_equal(parse_bytes(t.b, t.len), 0);
	assert_int_equal(T->nr_drhd, 1);
}

static void test_length_field_too_large(void **state)
{
	struct tb t;
	uint32_t big = 4096;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);
	memcpy(t.b + OFF_LENGTH, &big, sizeof(big));
	assert_int_equal(parse(&t), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, OFF_LENGTH, "length field 4096 exceeds the %u bytes available",
		    t.len);
	assert_int_equal(T->nr_drhd, 0);
}

static void test_length_field_too_small(void **state)
{
	struct tb t;
	uint32_t small = 40;

	(void)state;
	tb_init(&t, 38, 0);
	tb_finish(&t);
	memcpy(t.b + OFF_LENGTH, &small, sizeof(small));
	assert_int_equal(parse(&t), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, OFF_LENGTH, "length field 40 below the minimum 48");
}

static void test_wrong_signature(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	tb_finish(&t);
	memcpy(t.b,
	       "AP\x01"
	       "C",
	       4);
	assert_int_equal(parse(&t), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, 0, "signature 'AP?C', expected 'DMAR'");
}

static void test_bad_checksum(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);
	t.b[OFF_CHECKSUM] += 0x5a;
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 1);
	expect_note(ACPI_NOTE_WARN, OFF_CHECKSUM, "sum to 0x5a");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].base, 0xfed90000);
}

static void test_haw_range(void **state)
{
	static const struct {
		uint8_t field;
		bool warn;
	} cases[] = { { 10, true }, { 11, false }, { 63, false }, { 64, true }, { 0xff, true } };
	struct tb t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tb_init(&t, cases[i].field, 0);
		tb_finish(&t);
		parse_ok(&t);
		assert_int_equal(notes_of(ACPI_NOTE_WARN), cases[i].warn);
		if (cases[i].warn)
			expect_note(ACPI_NOTE_WARN, OFF_HAW, "host address width");
		assert_int_equal(T->haw_bits, cases[i].field + 1u); /* 0xff: 256 bits */
	}
}

/* ---- the structure walk ---- */

static void test_zero_length_structure(void **state)
{
	struct tb t;
	uint32_t first, bad;

	(void)state;
	for (uint16_t len = 0; len < 4; len++) {
		tb_init(&t, 38, 0);
		first = tb_drhd_ep(&t, 0, 0, 0xfed90000);
		bad = tb_open(&t, DMAR_TYPE_RMRR);
		memcpy(t.b + bad + 2, &len, sizeof(len));
		put_zeros(&t, 28);
		tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000); /* unreachable */
		tb_finish(&t);
		parse_ok(&t);
		expect_only(ACPI_NOTE_ERROR, 1);
		expect_note(ACPI_NOTE_ERROR, bad, "rest of the table ignored");
		assert_int_equal(T->nr_drhd, 1);
		assert_int_equal(T->drhd[0].offset, first);
		assert_int_equal(T->nr_rmrr, 0);
	}
}

static void test_structure_past_table_end(void **state)
{
	struct tb t;
	uint32_t bad;
	uint16_t len = 0x40;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	bad = tb_rmrr_ep(&t, 0x7c000000, 0x7cffffff); /* 32 bytes */
	memcpy(t.b + bad + 2, &len, sizeof(len));
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "length 64 runs past the table end (32 bytes left)");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->nr_rmrr, 0);
}

static void test_trailing_bytes(void **state)
{
	struct tb t;
	uint32_t tail;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tail = t.len;
	put_zeros(&t, 3);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, tail, "3 bytes");
	assert_int_equal(T->nr_drhd, 1);
}

/* Each type's fixed part (VT-d 8.3-8.9) one byte short: skipped, the walk goes on. */
static void test_structure_below_fixed_part(void **state)
{
	static const struct {
		uint16_t type;
		uint32_t fixed;
	} cases[] = { { DMAR_TYPE_DRHD, DRHD_FIXED_LEN },
		      { DMAR_TYPE_RMRR, RMRR_FIXED_LEN },
		      { DMAR_TYPE_ATSR, 8 },
		      { DMAR_TYPE_RHSA, RHSA_LEN },
		      { DMAR_TYPE_ANDD, ANDD_FIXED_LEN },
		      { DMAR_TYPE_SATC, 8 },
		      { DMAR_TYPE_SIDP, 8 } };
	struct tb t;
	uint32_t bad;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tb_init(&t, 38, 0);
		bad = tb_open(&t, cases[i].type);
		put_zeros(&t, cases[i].fixed - 1 - 4);
		tb_close(&t, bad);
		tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
		tb_finish(&t);
		parse_ok(&t);
		expect_only(ACPI_NOTE_ERROR, 1);
		expect_note(ACPI_NOTE_ERROR, bad, "below its fixed part");
		assert_int_equal(T->nr_drhd, 1);
		assert_int_equal(T->drhd[0].offset, bad + cases[i].fixed - 1);
		assert_int_equal(T->nr_rmrr + T->nr_atsr + T->nr_rhsa + T->nr_andd, 0);
		assert_int_equal(T->nr_satc + T->nr_sidp, 0);
	}
}

static void test_unknown_structure_type(void **state)
{
	struct tb t;
	uint32_t unknown, drhd;

	(void)state;
	tb_init(&t, 38, 0);
	unknown = tb_open(&t, 9);
	put_zeros(&t, 12);
	tb_close(&t, unknown);
	drhd = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 1);
	expect_note(ACPI_NOTE_INFO, unknown, "unknown type 9");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].offset, drhd);
}

/* ---- device scopes ---- */

static void test_scope_past_structure(void **state)
{
	struct tb t;
	uint32_t drhd, good, bad;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	good = tb_ep(&t, 0, 2, 0);
	bad = tb_ep(&t, 0, 3, 0);
	t.b[bad + 1] = 10; /* claims one more path entry than the structure holds */
	tb_close(&t, drhd);
	tb_rmrr_ep(&t, 0x7c000000, 0x7cffffff);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "runs past the structure (length 10, 8 bytes left)");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].scopes.count, 1);
	assert_int_equal(T->scopes[T->drhd[0].scopes.first].offset, good);
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->rmrr[0].scopes.count, 1);
}

/* Byte 2 of a device scope (reserved in early revisions, scope flags on newer firmware, e.g. 0x1f
 * in the corpus's SIDP scopes) is kept as the scope's flags; byte 3 stays ignored. */
static void test_scope_flags_byte(void **state)
{
	struct tb t;
	uint32_t drhd, sc;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	sc = tb_ep(&t, 0, 2, 0);
	t.b[sc + 2] = 0x1f;
	t.b[sc + 3] = 0xa5;
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	assert_int_equal(T->nr_scopes, 1);
	assert_int_equal(T->scopes[0].flags, 0x1f);
	assert_int_equal(T->scopes[0].path[0][0], 2);
}

/* Bytes left in the structure too few for a scope header; lengths below 6 or with odd path. */
static void test_scope_bad_length(void **state)
{
	static const uint8_t lengths[] = { 0, 1, 5, 7, 9 };
	struct tb t;
	uint32_t drhd, bad;

	(void)state;
	for (size_t i = 0; i < sizeof(lengths); i++) {
		tb_init(&t, 38, 0);
		drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
		bad = tb_ep(&t, 0, 2, 0);
		t.b[bad + 1] = lengths[i];
		tb_ep(&t, 0, 3, 0);
		tb_ep(&t, 0, 4, 0);
		tb_close(&t, drhd);
		tb_finish(&t);
		parse_ok(&t);
		expect_only(ACPI_NOTE_ERROR, 1);
		expect_note(ACPI_NOTE_ERROR, bad, "rest ignored");
		assert_int_equal(T->nr_drhd, 1);
		assert_int_equal(T->drhd[0].scopes.count, 0);
	}

	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_ep(&t, 0, 2, 0);
	bad = t.len;
	put_zeros(&t, 5);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "5 bytes left");
	assert_int_equal(T->drhd[0].scopes.count, 1);
}

static void test_scope_empty_path(void **state)
{
	struct tb t;
	uint32_t drhd, empty, next;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	empty = tb_scope(&t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0, (const uint8_t *)"");
	next = tb_ep(&t, 0, 3, 0);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, empty, "0 path entries");
	assert_int_equal(T->drhd[0].scopes.count, 1);
	assert_int_equal(T->scopes[T->drhd[0].scopes.first].offset, next);
}

static void test_scope_path_too_long(void **state)
{
	uint8_t path[2 * (DMAR_MAX_PATH + 1)] = { 0 };
	struct tb t;
	uint32_t drhd, longest, too_long, next;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	path[2 * DMAR_MAX_PATH - 2] = 0x1f;
	longest = tb_scope(&t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, DMAR_MAX_PATH, path);
	too_long = tb_scope(&t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, DMAR_MAX_PATH + 1, path);
	next = tb_ep(&t, 0, 3, 0);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, too_long, "17 path entries");
	assert_int_equal(T->drhd[0].scopes.count, 2);
	assert_int_equal(T->scopes[0].offset, longest);
	assert_int_equal(T->scopes[0].path_len, DMAR_MAX_PATH);
	assert_int_equal(T->scopes[0].path[DMAR_MAX_PATH - 1][0], 0x1f);
	assert_int_equal(T->scopes[1].offset, next);
}

static void test_scope_unknown_type(void **state)
{
	static const uint8_t path[2] = { 2, 0 };
	struct tb t;
	uint32_t drhd, zero, seven, next;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	zero = tb_scope(&t, 0, 0, 0, 1, path);
	seven = tb_scope(&t, 7, 0, 0, 1, path);
	next = tb_ep(&t, 0, 3, 0);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 2);
	expect_note(ACPI_NOTE_INFO, zero, "unknown type 0");
	expect_note(ACPI_NOTE_INFO, seven, "unknown type 7");
	assert_int_equal(T->drhd[0].scopes.count, 1);
	assert_int_equal(T->scopes[0].offset, next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_all_types),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_length_field_too_large),
		cmocka_unit_test(test_length_field_too_small),
		cmocka_unit_test(test_wrong_signature),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_haw_range),
		cmocka_unit_test(test_zero_length_structure),
		cmocka_unit_test(test_structure_past_table_end),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_structure_below_fixed_part),
		cmocka_unit_test(test_unknown_structure_type),
		cmocka_unit_test(test_scope_past_structure),
		cmocka_unit_test(test_scope_flags_byte),
		cmocka_unit_test(test_scope_bad_length),
		cmocka_unit_test(test_scope_empty_path),
		cmocka_unit_test(test_scope_path_too_long),
		cmocka_unit_test(test_scope_unknown_type),
	};

	return cmocka_run_group_tests(tests, dmar_setup, dmar_teardown);
}
