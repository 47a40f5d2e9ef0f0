/* Sources: kernel/acpi/madt.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c */
// SPDX-License-Identifier: MIT
/*
 * madt_parse (ACPI 6.5, 5.2.12) on tables built here byte by byte: every structure type field
 * by field, then damaged headers and structures. The parser always reads from a heap copy of
 * exactly the bytes it is given, so AddressSanitizer catches any read past them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/acpi/madt.h"
#include "tests/unit/acpi_table_builder.h"

#define OFF_LAPIC     36
#define OFF_FLAGS     40
#define FIRST_STRUCT  44
#define LAPIC_ADDRESS 0xfee00000u

static struct madt_table table;

/* The 36-byte header (Length and checksum: acpi_tb_finish()), local APIC address, flags. */
static void start(struct acpi_tb *t)
{
	acpi_tb_start(t, "APIC", 5);
	acpi_tb_put(t, LAPIC_ADDRESS, 4);
	acpi_tb_put(t, MADT_FLAG_PCAT_COMPAT, 4);
}

static void lapic(struct acpi_tb *t, uint8_t uid, uint8_t id, uint32_t flags)
{
	acpi_tb_put(t, MADT_TYPE_LAPIC, 1);
	acpi_tb_put(t, 8, 1);
	acpi_tb_put(t, uid, 1);
	acpi_tb_put(t, id, 1);
	acpi_tb_put(t, flags, 4);
}

static void ioapic(struct acpi_tb *t, uint8_t id, uint32_t address, uint32_t gsi_base)
{
	acpi_tb_put(t, MADT_TYPE_IOAPIC, 1);
	acpi_tb_put(t, 12, 1);
	acpi_tb_put(t, id, 1);
	acpi_tb_put(t, 0, 1);
	acpi_tb_put(t, address, 4);
	acpi_tb_put(t, gsi_base, 4);
}

static void override(struct acpi_tb *t, uint8_t source, uint32_t gsi, uint16_t flags)
{
	acpi_tb_put(t, MADT_TYPE_INT_OVERRIDE, 1);
	acpi_tb_put(t, 10, 1);
	acpi_tb_put(t, 0, 1); /* ISA */
	acpi_tb_put(t, source, 1);
	acpi_tb_put(t, gsi, 4);
	acpi_tb_put(t, flags, 2);
}

static void nmi_source(struct acpi_tb *t, uint16_t flags, uint32_t gsi)
{
	acpi_tb_put(t, MADT_TYPE_NMI_SOURCE, 1);
	acpi_tb_put(t, 8, 1);
	acpi_tb_put(t, flags, 2);
	acpi_tb_put(t, gsi, 4);
}

static void lapic_nmi(struct acpi_tb *t, uint8_t uid, uint16_t flags, uint8_t lint)
{
	acpi_tb_put(t, MADT_TYPE_LAPIC_NMI, 1);
	acpi_tb_put(t, 6, 1);
	acpi_tb_put(t, uid, 1);
	acpi_tb_put(t, flags, 2);
	acpi_tb_put(t, lint, 1);
}

static void lapic_address_override(struct acpi_tb *t, uint64_t address)
{
	acpi_tb_put(t, MADT_TYPE_LAPIC_ADDR_OVERRIDE, 1);
	acpi_tb_put(t, 12, 1);
	acpi_tb_put(t, 0, 2);
	acpi_tb_put(t, address, 8);
}

static void x2apic(struct acpi_tb *t, uint32_t id, uint32_t flags, uint32_t uid)
{
	acpi_tb_put(t, MADT_TYPE_X2APIC, 1);
	acpi_tb_put(t, 16, 1);
	acpi_tb_put(t, 0, 2);
	acpi_tb_put(t, id, 4);
	acpi_tb_put(t, flags, 4);
	acpi_tb_put(t, uid, 4);
}

static void x2apic_nmi(struct acpi_tb *t, uint16_t flags, uint32_t uid, uint8_t lint)
{
	acpi_tb_put(t, MADT_TYPE_X2APIC_NMI, 1);
	acpi_tb_put(t, 12, 1);
	acpi_tb_put(t, flags, 2);
	acpi_tb_put(t, uid, 4);
	acpi_tb_put(t, lint, 1);
	acpi_tb_put(t, 0, 3);
}

/* Any structure: type, length, then @len - 2 bytes of @fill. */
static void raw(struct acpi_tb *t, uint8_t type, uint8_t len, uint8_t fill)
{
	acpi_tb_put(t, type, 1);
	acpi_tb_put(t, len, 1);
	for (int i = 2; i < len; i++)
		acpi_tb_put(t, fill, 1);
}

/* Parses the first @avail bytes of @t from a heap copy of exactly that size. */
static int parse(const struct acpi_tb *t, size_t avail)
{
	uint8_t *copy = acpi_tb_heap_copy(t->b, avail);
	int err = madt_parse(copy, avail, &table);

	free(copy);
	return err;
}

static void test_every_type(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 1, 2, MADT_LAPIC_ENABLED);
	ioapic(&t, 3, 0xfec00000, 24);
	override(&t, 9, 20, 0x000d);
	nmi_source(&t, 0x0005, 23);
	lapic_nmi(&t, 0xff, 0x0005, 1);
	lapic_address_override(&t, 0x12fee00000ull);
	x2apic(&t, 0x100, MADT_LAPIC_ONLINE_CAPABLE, 0x201);
	x2apic_nmi(&t, 0x000f, 0xffffffff, 1);
	acpi_tb_finish(&t);

	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 0);
	assert_int_equal(table.lapic_address, 0x12fee00000ull);
	assert_int_equal(table.flags, MADT_FLAG_PCAT_COMPAT);

	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.lapic[0].uid, 1);
	assert_int_equal(table.lapic[0].apic_id, 2);
	assert_int_equal(table.lapic[0].flags, MADT_LAPIC_ENABLED);

	assert_int_equal(table.nr_ioapic, 1);
	assert_int_equal(table.ioapic[0].id, 3);
	assert_int_equal(table.ioapic[0].address, 0xfec00000);
	assert_int_equal(table.ioapic[0].gsi_base, 24);

	assert_int_equal(table.nr_overrides, 1);
	assert_int_equal(table.overrides[0].bus, 0);
	assert_int_equal(table.overrides[0].source, 9);
	assert_int_equal(table.overrides[0].gsi, 20);
	assert_int_equal(table.overrides[0].flags, 0x000d);

	assert_int_equal(table.nr_nmi_sources, 1);
	assert_int_equal(table.nmi_sources[0].flags, 0x0005);
	assert_int_equal(table.nmi_sources[0].gsi, 23);

	assert_int_equal(table.nr_lapic_nmi, 1);
	assert_int_equal(table.lapic_nmi[0].uid, 0xff);
	assert_int_equal(table.lapic_nmi[0].flags, 0x0005);
	assert_int_equal(table.lapic_nmi[0].lint, 1);

	assert_int_equal(table.nr_x2apic, 1);
	assert_int_equal(table.x2apic[0].apic_id, 0x100);
	assert_int_equal(table.x2apic[0].flags, MADT_LAPIC_ONLINE_CAPABLE);
	assert_int_equal(table.x2apic[0].uid, 0x201);

	assert_int_equal(table.nr_x2apic_nmi, 1);
	assert_int_equal(table.x2apic_nmi[0].uid, 0xffffffff);
	assert_int_equal(table.x2apic_nmi[0].flags, 0x000f);
	assert_int_equal(table.x2apic_nmi[0].lint, 1);
}

/* Without a type 5 structure the 32-bit field is the local APIC address. */
static void test_lapic_address_field(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	lapic(&t, 1, 4, 0);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.lapic_address, LAPIC_ADDRESS);
	assert_int_equal(table.nr_lapic, 2);
	assert_int_equal(table.lapic[1].uid, 1);
	assert_int_equal(table.lapic[1].apic_id, 4);
	assert_int_equal(table.lapic[1].flags, 0);
	assert_int_equal(table.notes.count, 0);
}

/* Header only: no structures is a valid (if useless) table. */
static void test_no_structures(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic + table.nr_x2apic + table.nr_ioapic, 0);
	assert_int_equal(table.notes.count, 0);
}

static void test_truncated_header(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, 20), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, 0);
	assert_int_equal(parse(&t, 0), -EINVAL);
	/* A whole SDT header, but not the MADT's fixed fields. */
	assert_int_equal(parse(&t, 40), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, ACPI_TB_OFF_LENGTH);
}

static void test_length_beyond_buffer(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len - 1), -EINVAL);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, ACPI_TB_OFF_LENGTH);
	assert_int_equal(table.nr_lapic, 0);
}

static void test_length_below_minimum(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_finish(&t);
	acpi_tb_put_at(&t, ACPI_TB_OFF_LENGTH, FIRST_STRUCT - 1, 4);
	assert_int_equal(parse(&t, t.len), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, ACPI_TB_OFF_LENGTH);
}

static void test_wrong_signature(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_finish(&t);
	memcpy(t.b, "APIX", 4);
	assert_int_equal(parse(&t, t.len), -EINVAL);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, 0);
}

static void test_bad_checksum_parsed(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 7, 8, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	t.b[ACPI_TB_OFF_CHECKSUM] ^= 0x5a;
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_WARN, ACPI_TB_OFF_CHECKSUM);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.lapic[0].apic_id, 8);
}

/* A zero length would loop forever: the walk stops there, what came before is kept. */
static void test_zero_length_stops(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	acpi_tb_put(&t, MADT_TYPE_LAPIC, 1);
	acpi_tb_put(&t, 0, 1); /* length 0 */
	acpi_tb_put(&t, 0, 6);
	lapic(&t, 1, 1, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_STRUCT + 8);
}

/* Length 1 cannot even hold the type and length bytes: also stops the walk. */
static void test_length_one_stops(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_put(&t, MADT_TYPE_IOAPIC, 1);
	acpi_tb_put(&t, 1, 1); /* length 1 */
	lapic(&t, 1, 1, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic, 0);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_STRUCT);
}

static void test_structure_past_end(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	ioapic(&t, 1, 0xfec00000, 0);
	t.len -= 4; /* the table ends 4 bytes into the I/O APIC structure */
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.nr_ioapic, 0);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_STRUCT + 8);
}

/* One byte after the last structure: not even a structure header. */
static void test_trailing_byte(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	acpi_tb_put(&t, MADT_TYPE_LAPIC, 1);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_STRUCT + 8);
}

/* Each known type with a length one below what it needs: noted, skipped, the walk goes on. */
static void test_short_structures(void **state)
{
	static const uint8_t types[][2] = {
		{ MADT_TYPE_LAPIC, 8 },		{ MADT_TYPE_IOAPIC, 12 },
		{ MADT_TYPE_INT_OVERRIDE, 10 }, { MADT_TYPE_NMI_SOURCE, 8 },
		{ MADT_TYPE_LAPIC_NMI, 6 },	{ MADT_TYPE_LAPIC_ADDR_OVERRIDE, 12 },
		{ MADT_TYPE_X2APIC, 16 },	{ MADT_TYPE_X2APIC_NMI, 12 },
	};
	const size_t n = sizeof(types) / sizeof(types[0]);
	uint32_t offsets[sizeof(types) / sizeof(types[0])];
	struct acpi_tb t;

	(void)state;
	start(&t);
	for (size_t i = 0; i < n; i++) {
		offsets[i] = t.len;
		raw(&t, types[i][0], types[i][1] - 1, 0xee);
	}
	lapic(&t, 9, 9, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, n);
	for (size_t i = 0; i < n; i++)
		acpi_tb_assert_note(&table.notes, i, ACPI_NOTE_ERROR, offsets[i]);
	assert_int_equal(table.lapic_address, LAPIC_ADDRESS);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.lapic[0].uid, 9);
	assert_int_equal(table.nr_ioapic + table.nr_overrides + table.nr_nmi_sources, 0);
	assert_int_equal(table.nr_lapic_nmi + table.nr_x2apic + table.nr_x2apic_nmi, 0);
}

/* A longer structure than this revision defines is read, and the walk uses its length. */
static void test_longer_structure(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	acpi_tb_put(&t, MADT_TYPE_LAPIC, 1);
	acpi_tb_put(&t, 10, 1);
	acpi_tb_put(&t, 3, 1);
	acpi_tb_put(&t, 5, 1);
	acpi_tb_put(&t, MADT_LAPIC_ENABLED, 4);
	acpi_tb_put(&t, 0xffff, 2); /* two bytes a later revision might define */
	ioapic(&t, 2, 0xfec01000, 24);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 0);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.lapic[0].apic_id, 5);
	assert_int_equal(table.nr_ioapic, 1);
	assert_int_equal(table.ioapic[0].address, 0xfec01000);
}

static void test_unknown_type_skipped(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	raw(&t, 0x7f, 12, 0);
	raw(&t, 0x0b, 4, 0); /* a (short) GIC CPU interface: not decoded, so no length check */
	lapic(&t, 2, 3, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.notes.count, 2);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_INFO, FIRST_STRUCT);
	acpi_tb_assert_note(&table.notes, 1, ACPI_NOTE_INFO, FIRST_STRUCT + 12);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.lapic[0].apic_id, 3);
}

static void test_lapic_capacity(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	for (unsigned int i = 0; i <= MADT_MAX_LAPIC; i++)
		lapic(&t, (uint8_t)i, (uint8_t)i, MADT_LAPIC_ENABLED);
	ioapic(&t, 1, 0xfec00000, 0);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic, MADT_MAX_LAPIC);
	assert_int_equal(table.lapic[MADT_MAX_LAPIC - 1].uid, (MADT_MAX_LAPIC - 1) & 0xff);
	assert_int_equal(table.notes.count, 1);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_STRUCT + 8 * MADT_MAX_LAPIC);
	assert_int_equal(table.nr_ioapic, 1);
}

static void test_ioapic_capacity(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	for (unsigned int i = 0; i < MADT_MAX_IOAPIC + 2; i++)
		ioapic(&t, (uint8_t)i, 0xfec00000 + 0x1000 * i, 24 * i);
	acpi_tb_finish(&t);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_ioapic, MADT_MAX_IOAPIC);
	assert_int_equal(table.ioapic[MADT_MAX_IOAPIC - 1].gsi_base, 24 * (MADT_MAX_IOAPIC - 1));
	assert_int_equal(table.notes.count, 2);
	acpi_tb_assert_note(&table.notes, 0, ACPI_NOTE_ERROR, FIRST_STRUCT + 12 * MADT_MAX_IOAPIC);
	acpi_tb_assert_note(&table.notes, 1, ACPI_NOTE_ERROR,
			    FIRST_STRUCT + 12 * (MADT_MAX_IOAPIC + 1));
}

/* Only the table's length bounds the walk, not the bytes after it. */
static void test_bytes_after_table_ignored(void **state)
{
	struct acpi_tb t;

	(void)state;
	start(&t);
	lapic(&t, 0, 0, MADT_LAPIC_ENABLED);
	acpi_tb_finish(&t);
	lapic(&t, 1, 1, MADT_LAPIC_ENABLED);
	assert_int_equal(parse(&t, t.len), 0);
	assert_int_equal(table.nr_lapic, 1);
	assert_int_equal(table.notes.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_lapic_address_field),
		cmocka_unit_test(test_no_structures),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_length_beyond_buffer),
		cmocka_unit_test(test_length_below_minimum),
		cmocka_unit_test(test_wrong_signature),
		cmocka_unit_test(test_bad_checksum_parsed),
		cmocka_unit_test(test_zero_length_stops),
		cmocka_unit_test(test_length_one_stops),
		cmocka_unit_test(test_structure_past_end),
		cmocka_unit_test(test_trailing_byte),
		cmocka_unit_test(test_short_structures),
		cmocka_unit_test(test_longer_structure),
		cmocka_unit_test(test_unknown_type_skipped),
		cmocka_unit_test(test_lapic_capacity),
		cmocka_unit_test(test_ioapic_capacity),
		cmocka_unit_test(test_bytes_after_table_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
