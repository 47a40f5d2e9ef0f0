// SPDX-License-Identifier: MIT
/* Diagnostics from the ACPI parsers: a bounded list of notes (see acpi_notes.h). */
#include "kernel/acpi/acpi_notes.h"

#include <stdarg.h>
#include <stdio.h>

void acpi_note(struct acpi_notes *n, enum acpi_note_kind kind, uint32_t offset, const char *fmt,
	       ...)
{
	struct acpi_note *note;
	va_list ap;

	if (n->count >= ACPI_NOTES_MAX) {
		if (n->dropped < UINT32_MAX)
			n->dropped++;
		return;
	}
	note = &n->items[n->count++];
	note->offset = offset;
	note->kind = kind;
	va_start(ap, fmt);
	vsnprintf(note->text, sizeof(note->text), fmt, ap);
	va_end(ap);
}
