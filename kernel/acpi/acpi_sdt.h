/* SPDX-License-Identifier: MIT */
/*
 * The header every ACPI system description table starts with (ACPI 6.5, 5.2.6),
 * checked the same way by every table parser (DMAR, MADT, MCFG), and the little-endian field
 * readers those parsers share.
 *
 * Policy: a table is rejected only when its header cannot be trusted to bound the parse: fewer
 * bytes than the header, the wrong signature, or a length field below the table's minimum or
 * above the bytes that may be read. A bad checksum is a WARN note and the table is still parsed:
 * real firmware ships bad checksums and Linux also only warns; the length checks, not the
 * checksum, are what keep a parser inside its buffer.
 */
#ifndef SKIFF_KERNEL_ACPI_SDT_H
#define SKIFF_KERNEL_ACPI_SDT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/acpi/acpi_notes.h"

/* System description table header fields (ACPI 6.5, 5.2.6). */
#define ACPI_SDT_OFF_SIGNATURE 0
#define ACPI_SDT_SIG_LEN       4
#define ACPI_SDT_OFF_LENGTH    4
#define ACPI_SDT_OFF_CHECKSUM  9
#define ACPI_SDT_HEADER_LEN    36

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ACPI fields are little-endian");

/* acpi_get16/32/64 - read a little-endian field at @p, which need not be aligned. */
static inline uint16_t acpi_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t acpi_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t acpi_get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * acpi_sdt_check - validate the system description table header at @buf (ACPI 6.5, 5.2.6).
 * @buf, @avail: the table's bytes and how many of them may be read.
 * @sig:        the expected signature (4 characters, no NUL needed).
 * @min_length: the smallest length the table's own layout allows (header plus fixed fields);
 *              a value below ACPI_SDT_HEADER_LEN counts as ACPI_SDT_HEADER_LEN.
 * @notes:      where problems go, each with the byte offset of the field concerned.
 * @length:     set to the table's length field when the header is accepted, else to 0. Every
 *              later read of the table must stay below it; it is <= @avail.
 * Returns 0 when the header is accepted (a bad checksum adds a WARN note only), or -EINVAL with
 * an ERROR note when @avail is below the header size, the signature differs from @sig, or the
 * length field is below @min_length or above @avail.
 */
int acpi_sdt_check(const uint8_t *buf, size_t avail, const char sig[ACPI_SDT_SIG_LEN],
		   uint32_t min_length, struct acpi_notes *notes, uint32_t *length);

#endif
