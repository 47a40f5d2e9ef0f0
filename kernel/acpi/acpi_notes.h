/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics from the ACPI parsers. A parser never logs: it records each problem as a note
 * (byte offset in the table, and the rule broken), and the caller decides where notes go
 * (skiff's log, the skiff-acpi tool's JSON). The parsers are pure functions of the table bytes.
 */
#ifndef SKIFF_KERNEL_ACPI_NOTES_H
#define SKIFF_KERNEL_ACPI_NOTES_H

#include <stdint.h>

#define ACPI_NOTES_MAX 32
#define ACPI_NOTE_TEXT 112

enum acpi_note_kind {
	ACPI_NOTE_INFO,	 /* unusual but handled as the spec allows (unknown type skipped) */
	ACPI_NOTE_WARN,	 /* the table breaks a rule; skiff carries on (bad checksum) */
	ACPI_NOTE_ERROR, /* the part at this offset was ignored */
};

struct acpi_note {
	uint32_t offset; /* byte offset in the table */
	uint32_t kind;	 /* enum acpi_note_kind */
	char text[ACPI_NOTE_TEXT];
};

struct acpi_notes {
	uint32_t count;
	uint32_t dropped; /* notes beyond ACPI_NOTES_MAX */
	struct acpi_note items[ACPI_NOTES_MAX];
};

/* acpi_note - record one note; printf-style text, truncated to fit. */
void acpi_note(struct acpi_notes *n, enum acpi_note_kind kind, uint32_t offset, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

#endif
