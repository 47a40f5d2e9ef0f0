// SPDX-License-Identifier: MIT
/*
 * skiff-acpi FILE: parse one raw ACPI table (DMAR, APIC or MCFG, chosen by its signature) with
 * the same parsers skiff.efi runs, and print the result as one JSON object on stdout.
 * Exit status: 0 parsed (possibly with notes), 1 rejected by the parser (the JSON object then
 * holds the signature and the notes), 2 usage error (message on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/dmar.h"
#include "kernel/acpi/madt.h"
#include "kernel/acpi/mcfg.h"
#include "tools/json.h"

#define EXIT_PARSED   0
#define EXIT_REJECTED 1
#define EXIT_USAGE    2

#define SIGNATURE_LEN 4
#define READ_CHUNK    4096

static const char *const note_kinds[] = {
	[ACPI_NOTE_INFO] = "info",
	[ACPI_NOTE_WARN] = "warn",
	[ACPI_NOTE_ERROR] = "error",
};

static void print_notes(struct json *j, const struct acpi_notes *notes)
{
	json_key(j, "notes");
	json_array_begin(j);
	for (uint32_t i = 0; i < notes->count; i++) {
		const struct acpi_note *n = &notes->items[i];

		json_object_begin(j);
		json_key(j, "offset");
		json_int(j, n->offset);
		json_key(j, "kind");
		json_string(j, n->kind <= ACPI_NOTE_ERROR ? note_kinds[n->kind] : "error");
		json_key(j, "text");
		json_string(j, n->text);
		json_object_end(j);
	}
	json_array_end(j);
	if (notes->dropped)
		fprintf(stderr, "skiff-acpi: %u more notes did not fit and are not shown\n",
			notes->dropped);
}

/* Starts the top-level object: {"signature":SIG. */
static void print_signature(struct json *j, const char *sig)
{
	json_object_begin(j);
	json_key(j, "signature");
	json_string(j, sig);
}

/* Ends the top-level object with the notes and a newline; returns the exit status. */
static int finish(struct json *j, const struct acpi_notes *notes, int err)
{
	print_notes(j, notes);
	json_object_end(j);
	fputc('\n', j->out);
	return err ? EXIT_REJECTED : EXIT_PARSED;
}

static void *alloc_table(size_t size)
{
	void *t = calloc(1, size);

	if (!t) {
		perror("skiff-acpi");
		exit(EXIT_USAGE);
	}
	return t;
}

/* DMAR (VT-d 5.0, chapter 8). */

static void print_scopes(struct json *j, const struct dmar_table *t, struct dmar_scope_list l)
{
	json_key(j, "scopes");
	json_array_begin(j);
	for (unsigned int i = l.first; i < l.first + l.count; i++) {
		const struct dmar_scope *s = &t->scopes[i];

		json_object_begin(j);
		json_key(j, "type");
		json_int(j, s->type);
		json_key(j, "enum_id");
		json_int(j, s->enum_id);
		json_key(j, "bus");
		json_int(j, s->start_bus);
		json_key(j, "path");
		json_array_begin(j);
		for (unsigned int p = 0; p < s->path_len; p++) {
			json_array_begin(j);
			json_int(j, s->path[p][0]);
			json_int(j, s->path[p][1]);
			json_array_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_drhd(struct json *j, const struct dmar_table *t)
{
	json_key(j, "drhd");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_drhd; i++) {
		const struct dmar_drhd *d = &t->drhd[i];

		json_object_begin(j);
		json_key(j, "flags");
		json_int(j, d->flags);
		json_key(j, "segment");
		json_int(j, d->segment);
		json_key(j, "base");
		json_hex(j, d->base);
		print_scopes(j, t, d->scopes);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_rmrr(struct json *j, const struct dmar_table *t)
{
	json_key(j, "rmrr");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_rmrr; i++) {
		const struct dmar_rmrr *r = &t->rmrr[i];

		json_object_begin(j);
		json_key(j, "segment");
		json_int(j, r->segment);
		json_key(j, "base");
		json_hex(j, r->base);
		json_key(j, "limit");
		json_hex(j, r->limit);
		print_scopes(j, t, r->scopes);
		json_object_end(j);
	}
	json_array_end(j);
}

/* ATSR and SATC share their shape: flags, segment, scopes. */
static void print_flagged_scopes(struct json *j, const struct dmar_table *t, uint8_t flags,
				 uint16_t segment, struct dmar_scope_list scopes)
{
	json_object_begin(j);
	json_key(j, "flags");
	json_int(j, flags);
	json_key(j, "segment");
	json_int(j, segment);
	print_scopes(j, t, scopes);
	json_object_end(j);
}

static void print_atsr(struct json *j, const struct dmar_table *t)
{
	json_key(j, "atsr");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_atsr; i++)
		print_flagged_scopes(j, t, t->atsr[i].flags, t->atsr[i].segment, t->atsr[i].scopes);
	json_array_end(j);
}

static void print_rhsa(struct json *j, const struct dmar_table *t)
{
	json_key(j, "rhsa");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_rhsa; i++) {
		json_object_begin(j);
		json_key(j, "base");
		json_hex(j, t->rhsa[i].base);
		json_key(j, "proximity_domain");
		json_int(j, t->rhsa[i].proximity_domain);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_andd(struct json *j, const struct dmar_table *t)
{
	json_key(j, "andd");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_andd; i++) {
		json_object_begin(j);
		json_key(j, "device_number");
		json_int(j, t->andd[i].device_number);
		json_key(j, "name");
		json_string(j, t->andd[i].name);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_satc(struct json *j, const struct dmar_table *t)
{
	json_key(j, "satc");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_satc; i++)
		print_flagged_scopes(j, t, t->satc[i].flags, t->satc[i].segment, t->satc[i].scopes);
	json_array_end(j);
}

static void print_sidp(struct json *j, const struct dmar_table *t)
{
	json_key(j, "sidp");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_sidp; i++) {
		json_object_begin(j);
		json_key(j, "segment");
		json_int(j, t->sidp[i].segment);
		print_scopes(j, t, t->sidp[i].scopes);
		json_object_end(j);
	}
	json_array_end(j);
}

static int print_dmar(const uint8_t *buf, size_t len, struct json *j)
{
	struct dmar_table *t = alloc_table(sizeof(*t));
	int err = dmar_parse(buf, len, t);
	int status;

	print_signature(j, "DMAR");
	if (!err) {
		json_key(j, "haw_bits");
		json_int(j, t->haw_bits);
		json_key(j, "flags");
		json_int(j, t->flags);
		print_drhd(j, t);
		print_rmrr(j, t);
		print_atsr(j, t);
		print_rhsa(j, t);
		print_andd(j, t);
		print_satc(j, t);
		print_sidp(j, t);
	}
	status = finish(j, &t->notes, err);
	free(t);
	return status;
}

/* MADT (ACPI 6.5, 5.2.12). */

static void print_lapics(struct json *j, const char *key, const char *id_key,
			 const struct madt_lapic *l, unsigned int n)
{
	json_key(j, key);
	json_array_begin(j);
	for (unsigned int i = 0; i < n; i++) {
		json_object_begin(j);
		json_key(j, "uid");
		json_int(j, l[i].uid);
		json_key(j, id_key);
		json_int(j, l[i].apic_id);
		json_key(j, "flags");
		json_int(j, l[i].flags);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_ioapics(struct json *j, const struct madt_table *t)
{
	json_key(j, "ioapic");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_ioapic; i++) {
		json_object_begin(j);
		json_key(j, "id");
		json_int(j, t->ioapic[i].id);
		json_key(j, "address");
		json_hex(j, t->ioapic[i].address);
		json_key(j, "gsi_base");
		json_int(j, t->ioapic[i].gsi_base);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_overrides(struct json *j, const struct madt_table *t)
{
	json_key(j, "overrides");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_overrides; i++) {
		const struct madt_override *o = &t->overrides[i];

		json_object_begin(j);
		json_key(j, "bus");
		json_int(j, o->bus);
		json_key(j, "source");
		json_int(j, o->source);
		json_key(j, "gsi");
		json_int(j, o->gsi);
		json_key(j, "flags");
		json_int(j, o->flags);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_nmi_sources(struct json *j, const struct madt_table *t)
{
	json_key(j, "nmi_sources");
	json_array_begin(j);
	for (unsigned int i = 0; i < t->nr_nmi_sources; i++) {
		json_object_begin(j);
		json_key(j, "flags");
		json_int(j, t->nmi_sources[i].flags);
		json_key(j, "gsi");
		json_int(j, t->nmi_sources[i].gsi);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_lapic_nmis(struct json *j, const char *key, const struct madt_lapic_nmi *n,
			     unsigned int count)
{
	json_key(j, key);
	json_array_begin(j);
	for (unsigned int i = 0; i < count; i++) {
		json_object_begin(j);
		json_key(j, "uid");
		json_int(j, n[i].uid);
		json_key(j, "flags");
		json_int(j, n[i].flags);
		json_key(j, "lint");
		json_int(j, n[i].lint);
		json_object_end(j);
	}
	json_array_end(j);
}

static int print_madt(const uint8_t *buf, size_t len, struct json *j)
{
	struct madt_table *t = alloc_table(sizeof(*t));
	int err = madt_parse(buf, len, t);
	int status;

	print_signature(j, "APIC");
	if (!err) {
		json_key(j, "lapic_address");
		json_hex(j, t->lapic_address);
		json_key(j, "flags");
		json_int(j, t->flags);
		print_lapics(j, "lapic", "apic_id", t->lapic, t->nr_lapic);
		print_lapics(j, "x2apic", "x2apic_id", t->x2apic, t->nr_x2apic);
		print_ioapics(j, t);
		print_overrides(j, t);
		print_nmi_sources(j, t);
		print_lapic_nmis(j, "lapic_nmi", t->lapic_nmi, t->nr_lapic_nmi);
		print_lapic_nmis(j, "x2apic_nmi", t->x2apic_nmi, t->nr_x2apic_nmi);
	}
	status = finish(j, &t->notes, err);
	free(t);
	return status;
}

/* MCFG (PCI Firmware spec 3.3, 4.1.2). */

static int print_mcfg(const uint8_t *buf, size_t len, struct json *j)
{
	struct mcfg_table *t = alloc_table(sizeof(*t));
	int err = mcfg_parse(buf, len, t);
	int status;

	print_signature(j, "MCFG");
	if (!err) {
		json_key(j, "allocations");
		json_array_begin(j);
		for (unsigned int i = 0; i < t->nr_allocations; i++) {
			const struct mcfg_allocation *a = &t->allocations[i];

			json_object_begin(j);
			json_key(j, "base");
			json_hex(j, a->base);
			json_key(j, "segment");
			json_int(j, a->segment);
			json_key(j, "start_bus");
			json_int(j, a->start_bus);
			json_key(j, "end_bus");
			json_int(j, a->end_bus);
			json_object_end(j);
		}
		json_array_end(j);
	}
	status = finish(j, &t->notes, err);
	free(t);
	return status;
}

struct table_kind {
	char signature[SIGNATURE_LEN + 1];
	int (*print)(const uint8_t *buf, size_t len, struct json *j);
};

static const struct table_kind table_kinds[] = {
	{ "DMAR", print_dmar },
	{ "APIC", print_madt },
	{ "MCFG", print_mcfg },
};

/* The parser for the table in @buf by its signature, or NULL. */
static const struct table_kind *find_kind(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(table_kinds) / sizeof(table_kinds[0]); i++)
		if (len >= SIGNATURE_LEN && !memcmp(buf, table_kinds[i].signature, SIGNATURE_LEN))
			return &table_kinds[i];
	return NULL;
}

/* Reads all of @path into a malloc'ed buffer; returns NULL (errno set) on failure. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *grown;
	size_t cap = 0;
	int err;

	if (!f)
		return NULL;
	*len = 0;
	while (!feof(f) && !ferror(f)) {
		if (*len == cap) {
			grown = realloc(buf, cap + READ_CHUNK);
			if (!grown)
				break;
			buf = grown;
			cap += READ_CHUNK;
		}
		*len += fread(buf + *len, 1, cap - *len, f);
	}
	err = errno;
	if (!feof(f)) { /* a read error, or out of memory */
		free(buf);
		buf = NULL;
	}
	fclose(f);
	errno = err;
	return buf;
}

int main(int argc, char **argv)
{
	const struct table_kind *kind;
	struct json j;
	uint8_t *buf;
	size_t len;
	int status;

	if (argc != 2) {
		fprintf(stderr, "usage: skiff-acpi FILE (a raw DMAR, APIC or MCFG table)\n");
		return EXIT_USAGE;
	}
	buf = read_file(argv[1], &len);
	if (!buf) {
		fprintf(stderr, "skiff-acpi: %s: %s\n", argv[1], strerror(errno));
		return EXIT_USAGE;
	}
	kind = find_kind(buf, len);
	if (!kind) {
		fprintf(stderr, "skiff-acpi: %s: not a DMAR, APIC or MCFG table\n", argv[1]);
		free(buf);
		return EXIT_USAGE;
	}
	json_init(&j, stdout);
	status = kind->print(buf, len, &j);
	free(buf);
	return status;
}
