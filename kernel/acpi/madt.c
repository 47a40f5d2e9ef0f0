// SPDX-License-Identifier: MIT
/*
 * The Multiple APIC Description Table (ACPI 6.5, 5.2.12): the local APIC address and flags, then
 * interrupt controller structures (type u8, length u8). Only the x86 types skiff uses are
 * decoded; every other type is skipped with an info note. Pure: no logging, no allocation.
 */
#include "kernel/acpi/madt.h"

#include <errno.h>
#include <string.h>

#include "kernel/acpi/acpi_sdt.h"

/* Table fields after the 36-byte system description table header (ACPI 6.5 table 5.19). */
#define MADT_OFF_LAPIC_ADDR 36
#define MADT_OFF_FLAGS	    40
#define MADT_HEADER_LEN	    44 /* the first structure starts here */

/* Every interrupt controller structure starts with type and length (ACPI 6.5 5.2.12). */
#define MADT_SUB_OFF_TYPE   0
#define MADT_SUB_OFF_LENGTH 1
#define MADT_SUB_HEADER_LEN 2

/* Processor local APIC (5.2.12.2, table 5.23). */
#define LAPIC_OFF_UID	  2
#define LAPIC_OFF_APIC_ID 3
#define LAPIC_OFF_FLAGS	  4
#define LAPIC_LEN	  8

/* I/O APIC (5.2.12.3, table 5.25). */
#define IOAPIC_OFF_ID	    2
#define IOAPIC_OFF_ADDRESS  4
#define IOAPIC_OFF_GSI_BASE 8
#define IOAPIC_LEN	    12

/* Interrupt source override (5.2.12.5, table 5.26). */
#define OVERRIDE_OFF_BUS    2
#define OVERRIDE_OFF_SOURCE 3
#define OVERRIDE_OFF_GSI    4
#define OVERRIDE_OFF_FLAGS  8
#define OVERRIDE_LEN	    10

/* Non-maskable interrupt source (5.2.12.6, table 5.28). */
#define NMI_SOURCE_OFF_FLAGS 2
#define NMI_SOURCE_OFF_GSI   4
#define NMI_SOURCE_LEN	     8

/* Local APIC NMI (5.2.12.7, table 5.29). */
#define LAPIC_NMI_OFF_UID   2
#define LAPIC_NMI_OFF_FLAGS 3
#define LAPIC_NMI_OFF_LINT  5
#define LAPIC_NMI_LEN	    6

/* Local APIC address override (5.2.12.8, table 5.30). */
#define LAPIC_ADDR_OFF_ADDRESS 4
#define LAPIC_ADDR_LEN	       12

/* Processor local x2APIC (5.2.12.12, table 5.37). */
#define X2APIC_OFF_ID	 4
#define X2APIC_OFF_FLAGS 8
#define X2APIC_OFF_UID	 12
#define X2APIC_LEN	 16

/* Local x2APIC NMI (5.2.12.13, table 5.38). */
#define X2APIC_NMI_OFF_FLAGS 2
#define X2APIC_NMI_OFF_UID   4
#define X2APIC_NMI_OFF_LINT  8
#define X2APIC_NMI_LEN	     12

/* Notes that a structure was dropped because its array is full. */
static void note_full(struct madt_table *out, uint32_t off, const char *what, unsigned int max)
{
	acpi_note(&out->notes, ACPI_NOTE_ERROR, off, "more than %u %s structures; this one ignored",
		  max, what);
}

static void parse_lapic(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_lapic *l;

	if (out->nr_lapic == MADT_MAX_LAPIC) {
		note_full(out, off, "local APIC", MADT_MAX_LAPIC);
		return;
	}
	l = &out->lapic[out->nr_lapic++];
	l->uid = s[LAPIC_OFF_UID];
	l->apic_id = s[LAPIC_OFF_APIC_ID];
	l->flags = acpi_get32(s + LAPIC_OFF_FLAGS);
}

static void parse_ioapic(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_ioapic *io;

	if (out->nr_ioapic == MADT_MAX_IOAPIC) {
		note_full(out, off, "I/O APIC", MADT_MAX_IOAPIC);
		return;
	}
	io = &out->ioapic[out->nr_ioapic++];
	io->id = s[IOAPIC_OFF_ID];
	io->address = acpi_get32(s + IOAPIC_OFF_ADDRESS);
	io->gsi_base = acpi_get32(s + IOAPIC_OFF_GSI_BASE);
}

static void parse_override(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_override *o;

	if (out->nr_overrides == MADT_MAX_OVERRIDES) {
		note_full(out, off, "interrupt source override", MADT_MAX_OVERRIDES);
		return;
	}
	o = &out->overrides[out->nr_overrides++];
	o->bus = s[OVERRIDE_OFF_BUS];
	o->source = s[OVERRIDE_OFF_SOURCE];
	o->gsi = acpi_get32(s + OVERRIDE_OFF_GSI);
	o->flags = acpi_get16(s + OVERRIDE_OFF_FLAGS);
}

static void parse_nmi_source(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_nmi_source *n;

	if (out->nr_nmi_sources == MADT_MAX_OVERRIDES) {
		note_full(out, off, "NMI source", MADT_MAX_OVERRIDES);
		return;
	}
	n = &out->nmi_sources[out->nr_nmi_sources++];
	n->flags = acpi_get16(s + NMI_SOURCE_OFF_FLAGS);
	n->gsi = acpi_get32(s + NMI_SOURCE_OFF_GSI);
}

static void parse_lapic_nmi(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_lapic_nmi *n;

	if (out->nr_lapic_nmi == MADT_MAX_NMI) {
		note_full(out, off, "local APIC NMI", MADT_MAX_NMI);
		return;
	}
	n = &out->lapic_nmi[out->nr_lapic_nmi++];
	n->uid = s[LAPIC_NMI_OFF_UID];
	n->flags = acpi_get16(s + LAPIC_NMI_OFF_FLAGS);
	n->lint = s[LAPIC_NMI_OFF_LINT];
}

static void parse_lapic_addr(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	(void)off;
	out->lapic_address = acpi_get64(s + LAPIC_ADDR_OFF_ADDRESS);
}

static void parse_x2apic(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_lapic *l;

	if (out->nr_x2apic == MADT_MAX_X2APIC) {
		note_full(out, off, "local x2APIC", MADT_MAX_X2APIC);
		return;
	}
	l = &out->x2apic[out->nr_x2apic++];
	l->apic_id = acpi_get32(s + X2APIC_OFF_ID);
	l->flags = acpi_get32(s + X2APIC_OFF_FLAGS);
	l->uid = acpi_get32(s + X2APIC_OFF_UID);
}

static void parse_x2apic_nmi(const uint8_t *s, uint32_t off, struct madt_table *out)
{
	struct madt_lapic_nmi *n;

	if (out->nr_x2apic_nmi == MADT_MAX_NMI) {
		note_full(out, off, "local x2APIC NMI", MADT_MAX_NMI);
		return;
	}
	n = &out->x2apic_nmi[out->nr_x2apic_nmi++];
	n->flags = acpi_get16(s + X2APIC_NMI_OFF_FLAGS);
	n->uid = acpi_get32(s + X2APIC_NMI_OFF_UID);
	n->lint = s[X2APIC_NMI_OFF_LINT];
}

struct madt_decoder {
	uint8_t type;	 /* enum madt_type */
	uint8_t min_len; /* the structure's length in ACPI 6.5; longer ones are accepted */
	const char *name;
	void (*parse)(const uint8_t *s, uint32_t off, struct madt_table *out);
};

static const struct madt_decoder decoders[] = {
	{ MADT_TYPE_LAPIC, LAPIC_LEN, "local APIC", parse_lapic },
	{ MADT_TYPE_IOAPIC, IOAPIC_LEN, "I/O APIC", parse_ioapic },
	{ MADT_TYPE_INT_OVERRIDE, OVERRIDE_LEN, "interrupt source override", parse_override },
	{ MADT_TYPE_NMI_SOURCE, NMI_SOURCE_LEN, "NMI source", parse_nmi_source },
	{ MADT_TYPE_LAPIC_NMI, LAPIC_NMI_LEN, "local APIC NMI", parse_lapic_nmi },
	{ MADT_TYPE_LAPIC_ADDR_OVERRIDE, LAPIC_ADDR_LEN, "local APIC address override",
	  parse_lapic_addr },
	{ MADT_TYPE_X2APIC, X2APIC_LEN, "local x2APIC", parse_x2apic },
	{ MADT_TYPE_X2APIC_NMI, X2APIC_NMI_LEN, "local x2APIC NMI", parse_x2apic_nmi },
};

static const struct madt_decoder *find_decoder(uint8_t type)
{
	for (size_t i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
		if (decoders[i].type == type)
			return &decoders[i];
	return NULL;
}

/* Decodes the structure of @len bytes at @off (inside the table) when its type is known. */
static void parse_structure(const uint8_t *buf, uint32_t off, uint8_t len, struct madt_table *out)
{
	uint8_t type = buf[off + MADT_SUB_OFF_TYPE];
	const struct madt_decoder *d = find_decoder(type);

	if (!d) {
		acpi_note(&out->notes, ACPI_NOTE_INFO, off, "type %u structure (length %u) skipped",
			  type, len);
		return;
	}
	if (len < d->min_len) {
		acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
			  "%s structure length %u below %u; ignored", d->name, len, d->min_len);
		return;
	}
	d->parse(buf + off, off, out);
}

/* Walks the structures in [MADT_HEADER_LEN, @length); stops where lengths cannot be trusted. */
static void walk_structures(const uint8_t *buf, uint32_t length, struct madt_table *out)
{
	uint32_t off = MADT_HEADER_LEN;

	while (off < length) {
		uint8_t len;

		if (length - off < MADT_SUB_HEADER_LEN) {
			acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
				  "%u trailing bytes, shorter than a structure header; ignored",
				  length - off);
			return;
		}
		len = buf[off + MADT_SUB_OFF_LENGTH];
		if (len < MADT_SUB_HEADER_LEN) {
			acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
				  "structure length %u below its %u-byte header; walk stopped", len,
				  MADT_SUB_HEADER_LEN);
			return;
		}
		if (len > length - off) {
			acpi_note(&out->notes, ACPI_NOTE_ERROR, off,
				  "structure length %u runs past the table end (%u); ignored", len,
				  length);
			return;
		}
		parse_structure(buf, off, len, out);
		off += len;
	}
}

/* madt_parse - see madt.h; ACPI 6.5, 5.2.12. */
int madt_parse(const uint8_t *buf, size_t avail, struct madt_table *out)
{
	uint32_t length;

	memset(out, 0, sizeof(*out));
	if (acpi_sdt_check(buf, avail, "APIC", MADT_HEADER_LEN, &out->notes, &length))
		return -EINVAL;
	out->lapic_address = acpi_get32(buf + MADT_OFF_LAPIC_ADDR);
	out->flags = acpi_get32(buf + MADT_OFF_FLAGS);
	walk_structures(buf, length, out);
	return 0;
}
