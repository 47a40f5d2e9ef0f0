// SPDX-License-Identifier: MIT
/* System description table header checks (ACPI 6.5, 5.2.6); the policy is in acpi_sdt.h. */
#include "kernel/acpi/acpi_sdt.h"

#include <errno.h>
#include <stdbool.h>

#define ASCII_PRINTABLE_FIRST ' '
#define ASCII_PRINTABLE_LAST  '~'

/* Copies the signature at @p into @out (NUL-terminated), unprintable bytes shown as '?'. */
static void printable_sig(const uint8_t *p, char out[ACPI_SDT_SIG_LEN + 1])
{
	for (int i = 0; i < ACPI_SDT_SIG_LEN; i++) {
		bool ok = p[i] >= ASCII_PRINTABLE_FIRST && p[i] <= ASCII_PRINTABLE_LAST;

		out[i] = ok ? (char)p[i] : '?';
	}
	out[ACPI_SDT_SIG_LEN] = '\0';
}

static uint8_t sum_bytes(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static int check_length(uint32_t len, size_t avail, uint32_t min_length, struct acpi_notes *notes)
{
	if (min_length < ACPI_SDT_HEADER_LEN)
		min_length = ACPI_SDT_HEADER_LEN;
	if (len < min_length) {
		acpi_note(notes, ACPI_NOTE_ERROR, ACPI_SDT_OFF_LENGTH,
			  "length field %u below the minimum %u", len, min_length);
		return -EINVAL;
	}
	if (len > avail) {
		acpi_note(notes, ACPI_NOTE_ERROR, ACPI_SDT_OFF_LENGTH,
			  "length field %u exceeds the %zu bytes available", len, avail);
		return -EINVAL;
	}
	return 0;
}

int acpi_sdt_check(const uint8_t *buf, size_t avail, const char sig[ACPI_SDT_SIG_LEN],
		   uint32_t min_length, struct acpi_notes *notes, uint32_t *length)
{
	char found[ACPI_SDT_SIG_LEN + 1], expected[ACPI_SDT_SIG_LEN + 1];
	uint32_t len;
	uint8_t sum;

	*length = 0;
	if (avail < ACPI_SDT_HEADER_LEN) {
		acpi_note(notes, ACPI_NOTE_ERROR, 0, "table truncated: %zu bytes, header needs %d",
			  avail, ACPI_SDT_HEADER_LEN);
		return -EINVAL;
	}
	if (memcmp(buf + ACPI_SDT_OFF_SIGNATURE, sig, ACPI_SDT_SIG_LEN)) {
		printable_sig(buf + ACPI_SDT_OFF_SIGNATURE, found);
		printable_sig((const uint8_t *)sig, expected);
		acpi_note(notes, ACPI_NOTE_ERROR, ACPI_SDT_OFF_SIGNATURE,
			  "signature '%s', expected '%s'", found, expected);
		return -EINVAL;
	}
	len = acpi_get32(buf + ACPI_SDT_OFF_LENGTH);
	if (check_length(len, avail, min_length, notes))
		return -EINVAL;
	sum = sum_bytes(buf, len);
	if (sum)
		acpi_note(notes, ACPI_NOTE_WARN, ACPI_SDT_OFF_CHECKSUM,
			  "checksum: bytes sum to 0x%02x, expected 0", sum);
	*length = len;
	return 0;
}
