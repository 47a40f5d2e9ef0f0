/* Sources: kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c */
// SPDX-License-Identifier: MIT
/* acpi_sdt_check() and the field readers against headers laid out per ACPI 6.5, 5.2.6. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/acpi_sdt.h"
#include "tests/unit/acpi_table_builder.h"

#define HDR_LEN	     36
#define OFF_LENGTH   4
#define OFF_CHECKSUM 9
#define TABLE_LEN    64

static struct acpi_notes notes;

/* A 64-byte "MCFG" table whose bytes sum to 0. */
static void make_table(uint8_t t[TABLE_LEN])
{
	uint32_t len = TABLE_LEN;

	for (int i = 0; i < TABLE_LEN; i++)
		t[i] = (uint8_t)(i * 7);
	memcpy(t, "MCFG", 4);
	memcpy(t + OFF_LENGTH, &len, sizeof(len));
	acpi_tb_checksum(t, TABLE_LEN, OFF_CHECKSUM);
}

/* Checks @avail bytes of @t from a heap copy of exactly that size (ASan sees any overread). */
static int check(const uint8_t *t, size_t avail, uint32_t min_length, uint32_t *length)
{
	uint8_t *copy = acpi_tb_heap_copy(t, avail);
	int ret;

	memset(&notes, 0, sizeof(notes));
	ret = acpi_sdt_check(copy, avail, "MCFG", min_length, &notes, length);
	free(copy);
	return ret;
}

static void expect_one_note(enum acpi_note_kind kind, uint32_t offset, const char *text)
{
	assert_int_equal(notes.count, 1);
	assert_int_equal(notes.items[0].kind, kind);
	assert_int_equal(notes.items[0].offset, offset);
	assert_string_equal(notes.items[0].text, text);
}

static void test_valid(void **state)
{
	uint8_t t[TABLE_LEN];
	uint32_t length = 0;

	(void)state;
	make_table(t);
	assert_int_equal(check(t, TABLE_LEN, 44, &length), 0);
	assert_int_equal(length, TABLE_LEN);
	assert_int_equal(notes.count, 0);
	/* More bytes readable than the table needs is fine. */
	assert_int_equal(check(t, TABLE_LEN, TABLE_LEN, &length), 0);
}

static void test_truncated(void **state)
{
	uint8_t t[TABLE_LEN];
	uint32_t length = 99;

	(void)state;
	make_table(t);
	assert_int_equal(check(t, 20, 44, &length), -EINVAL);
	assert_int_equal(length, 0);
	expect_one_note(ACPI_NOTE_ERROR, 0, "table truncated: 20 bytes, header needs 36");
	assert_int_equal(check(t, HDR_LEN - 1, 0, &length), -EINVAL);
	assert_int_equal(check(t, 0, 0, &length), -EINVAL);
}

static void test_length_exceeds_available(void **state)
{
	uint8_t t[TABLE_LEN];
	uint32_t length = 99;

	(void)state;
	make_table(t);
	assert_int_equal(check(t, TABLE_LEN - 1, 44, &length), -EINVAL);
	assert_int_equal(length, 0);
	expect_one_note(ACPI_NOTE_ERROR, OFF_LENGTH,
			"length field 64 exceeds the 63 bytes available");
}

static void test_wrong_signature(void **state)
{
	uint8_t t[TABLE_LEN];
	uint32_t length;

	(void)state;
	make_table(t);
	memcpy(t, "APIC", 4);
	assert_int_equal(check(t, TABLE_LEN, 44, &length), -EINVAL);
	expect_one_note(ACPI_NOTE_ERROR, 0, "signature 'APIC', expected 'MCFG'");
	t[0] = 0;
	t[3] = 0x80;
	assert_int_equal(check(t, TABLE_LEN, 44, &length), -EINVAL);
	expect_one_note(ACPI_NOTE_ERROR, 0, "signature '?PI?', expected 'MCFG'");
}

static void test_length_below_minimum(void **state)
{
	uint8_t t[TABLE_LEN];
	uint32_t length;

	(void)state;
	make_table(t);
	assert_int_equal(check(t, TABLE_LEN, TABLE_LEN + 1, &length), -EINVAL);
	expect_one_note(ACPI_NOTE_ERROR, OFF_LENGTH, "length field 64 below the minimum 65");
	/* A minimum below the header size counts as the header size. */
	t[OFF_LENGTH] = 30;
	assert_int_equal(check(t, TABLE_LEN, 0, &length), -EINVAL);
	expect_one_note(ACPI_NOTE_ERROR, OFF_LENGTH, "length field 30 below the minimum 36");
}

static void test_bad_checksum(void **state)
{
	uint8_t t[TABLE_LEN];
	uint32_t length = 0;

	(void)state;
	make_table(t);
	t[TABLE_LEN - 1] += 0x5a;
	assert_int_equal(check(t, TABLE_LEN, 44, &length), 0);
	assert_int_equal(length, TABLE_LEN);
	expect_one_note(ACPI_NOTE_WARN, OFF_CHECKSUM, "checksum: bytes sum to 0x5a, expected 0");
}

/* Only the table's own length counts for the checksum, not the bytes after it. */
static void test_checksum_covers_length_only(void **state)
{
	uint8_t t[TABLE_LEN + 8];
	uint32_t length;

	(void)state;
	make_table(t);
	memset(t + TABLE_LEN, 0xee, 8);
	assert_int_equal(check(t, sizeof(t), 44, &length), 0);
	assert_int_equal(notes.count, 0);
}

static void test_readers(void **state)
{
	static const uint8_t b[] = { 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

	(void)state;
	assert_int_equal(acpi_get16(b + 1), 0x0201);
	assert_int_equal(acpi_get32(b + 1), 0x04030201);
	assert_int_equal(acpi_get64(b + 1), 0x0807060504030201ull);
}

static void test_notes_dropped(void **state)
{
	(void)state;
	memset(&notes, 0, sizeof(notes));
	for (int i = 0; i < ACPI_NOTES_MAX + 3; i++)
		acpi_note(&notes, ACPI_NOTE_INFO, (uint32_t)i, "note %d", i);
	assert_int_equal(notes.count, ACPI_NOTES_MAX);
	assert_int_equal(notes.dropped, 3);
	assert_string_equal(notes.items[ACPI_NOTES_MAX - 1].text, "note 31");
	assert_int_equal(notes.items[ACPI_NOTES_MAX - 1].offset, ACPI_NOTES_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_length_exceeds_available),
		cmocka_unit_test(test_wrong_signature),
		cmocka_unit_test(test_length_below_minimum),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_checksum_covers_length_only),
		cmocka_unit_test(test_readers),
		cmocka_unit_test(test_notes_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
