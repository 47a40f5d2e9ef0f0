/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables for host tests, built byte by byte (ACPI 6.5, 5.2.6: the 36-byte header, Length
 * at offset 4, a checksum at offset 9 that makes the Length bytes sum to 0), and the heap copy a
 * parser reads them from: exactly the bytes it is given, so AddressSanitizer sees any read past
 * them. Every failed expectation is a cmocka assertion.
 */
#ifndef SKIFF_TESTS_UNIT_ACPI_TABLE_BUILDER_H
#define SKIFF_TESTS_UNIT_ACPI_TABLE_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/acpi_notes.h"

#define ACPI_TB_MAX	     16384u /* bytes a table under construction may take */
#define ACPI_TB_HEADER_LEN   36u
#define ACPI_TB_OFF_LENGTH   4u
#define ACPI_TB_OFF_CHECKSUM 9u

/* A table under construction: @len bytes of @b written so far. */
struct acpi_tb {
	uint8_t b[ACPI_TB_MAX];
	uint32_t len;
};

/*
 * acpi_tb_start - a fresh table: the header with signature @sig (4 characters), @revision and
 * OEM ID "SKIFF ", every other byte 0, @len at the end of the header. Length and checksum are
 * acpi_tb_finish()'s.
 */
void acpi_tb_start(struct acpi_tb *t, const char *sig, uint8_t revision);

/* acpi_tb_put - append the low @size bytes (1-8) of @v, little-endian. */
void acpi_tb_put(struct acpi_tb *t, uint64_t v, unsigned int size);

/* acpi_tb_put_at - write the low @size bytes (1-8) of @v at offset @off, little-endian. */
void acpi_tb_put_at(struct acpi_tb *t, uint32_t off, uint64_t v, unsigned int size);

/* acpi_tb_finish - Length = the bytes written, then the checksum over them. */
void acpi_tb_finish(struct acpi_tb *t);

/* acpi_tb_checksum - set byte @at of @p so that the @len bytes from @p sum to 0 (mod 256). */
void acpi_tb_checksum(uint8_t *p, size_t len, size_t at);

/* acpi_tb_heap_copy - a malloc'ed copy of exactly the @avail bytes at @p (one byte for 0); the
 * caller frees it. */
uint8_t *acpi_tb_heap_copy(const uint8_t *p, size_t avail);

/* acpi_tb_assert_note - note @i of @notes exists, is of @kind at @offset and has a text. */
void acpi_tb_assert_note(const struct acpi_notes *notes, unsigned int i, enum acpi_note_kind kind,
			 uint32_t offset);

#endif
