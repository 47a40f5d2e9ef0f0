/* Sources: kernel/acpi/dmar.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c tests/unit/file_read.c */
// SPDX-License-Identifier: MIT
/*
 * dmar_parse() against the real tables of the ACPI corpus (their MANIFEST.tsv counts and
 * ACPICA's independent decode) and against damaged copies of those tables. Run from the
 * repository root; the corpus directory is $SKIFF_ACPI_CORPUS, by default ../shared/acpi-corpus.
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
#include "tests/unit/file_read.h"

/* ---- the corpus ---- */

static const char *corpus_dir(void)
{
	const char *dir = getenv("SKIFF_ACPI_CORPUS");

	return dir && *dir ? dir : "../shared/acpi-corpus";
}

/* The corpus file at @path, whole; free() it. A missing file fails the test. */
static uint8_t *load(const char *path, size_t *size)
{
	uint8_t *buf = test_file_read(path, size);

	if (!buf)
		fail_msg("cannot open %s (set SKIFF_ACPI_CORPUS to the corpus directory)", path);
	assert_true(*size > 0);
	return buf;
}

/* The MANIFEST.tsv columns the test compares, found by their header names. */
enum col {
	C_FILE,
	C_TABLE,
	C_DRHD,
	C_RMRR,
	C_ATSR,
	C_RHSA,
	C_ANDD,
	C_SATC,
	C_SIDP,
	C_HAW,
	C_FLAGS,
	C_N
};

static const char *const col_names[C_N] = { "file",	"table", "DRHD", "RMRR", "ATSR",
					    "RHSA",	"ANDD",	 "SATC", "SIDP", "host_addr_width",
					    "flags_hex" };

#define MAX_COLS 64

/* Splits @line at tabs (empty fields kept); returns the number of fields. */
static int split_tabs(char *line, char **fields)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (line && n < MAX_COLS)
		fields[n++] = strsep(&line, "\t");
	return n;
}

static void find_columns(char *header, int idx[C_N])
{
	char *fields[MAX_COLS];
	int n = split_tabs(header, fields);

	for (int c = 0; c < C_N; c++) {
		idx[c] = -1;
		for (int i = 0; i < n; i++)
			if (!strcmp(fields[i], col_names[c]))
				idx[c] = i;
		if (idx[c] < 0)
			fail_msg("MANIFEST.tsv has no column %s", col_names[c]);
	}
}

/*
 * Corpus tables with a real defect the parser must report as an ERROR (the part ignored). Every
 * other corpus table must draw no ERROR note.
 */
static const struct known_defect {
	const char *file;
	uint32_t offset;
	uint16_t type; /* of the ignored structure */
} known_defects[] = {
	/* Lenovo ThinkPad E15 Gen 2: its third DRHD (INCLUDE_PCI_ALL) has register base 0, which
	 * ACPICA decodes as "Register Base Address : 0000000000000000" at 0x60. Linux rejects it
	 * too ("Your BIOS is broken; DMAR reported at address 0!"). */
	{ "dmar/nb-lenovo-thinkpad-e15-gen-2-20td0005mh-188eb6.dat", 0x60, DMAR_TYPE_DRHD },
};

#define NR_KNOWN_DEFECTS (sizeof(known_defects) / sizeof(known_defects[0]))

static const struct known_defect *known_defect(const char *file, uint32_t offset)
{
	for (size_t i = 0; i < NR_KNOWN_DEFECTS; i++)
		if (!strcmp(known_defects[i].file, file) && known_defects[i].offset == offset)
			return &known_defects[i];
	return NULL;
}

static unsigned int defects_of_type(const char *file, uint16_t type)
{
	unsigned int n = 0;

	for (size_t i = 0; i < NR_KNOWN_DEFECTS; i++)
		n += !strcmp(known_defects[i].file, file) && known_defects[i].type == type;
	return n;
}

/* Invariants of any successful parse: everything inside the table and the arrays. */
static void check_invariants(uint32_t len)
{
	const struct dmar_scope_list *lists[DMAR_MAX_DRHD + DMAR_MAX_RMRR + DMAR_MAX_ATSR +
					    DMAR_MAX_SATC + DMAR_MAX_SIDP];
	unsigned int n = 0, total = 0;

	assert_true(T->notes.count <= ACPI_NOTES_MAX);
	for (uint32_t i = 0; i < T->notes.count; i++)
		assert_true(memchr(T->notes.items[i].text, '\0', ACPI_NOTE_TEXT) != NULL);
	assert_true(T->nr_drhd <= DMAR_MAX_DRHD && T->nr_rmrr <= DMAR_MAX_RMRR);
	assert_true(T->nr_scopes <= DMAR_MAX_SCOPES);
	for (unsigned int i = 0; i < T->nr_drhd; i++) {
		assert_true(T->drhd[i].offset + DRHD_FIXED_LEN <= len && T->drhd[i].base);
		lists[n++] = &T->drhd[i].scopes;
	}
	for (unsigned int i = 0; i < T->nr_rmrr; i++) {
		assert_true(T->rmrr[i].offset + RMRR_FIXED_LEN <= len);
		assert_true(T->rmrr[i].base <= T->rmrr[i].limit);
		lists[n++] = &T->rmrr[i].scopes;
	}
	for (unsigned int i = 0; i < T->nr_atsr; i++)
		lists[n++] = &T->atsr[i].scopes;
	for (unsigned int i = 0; i < T->nr_satc; i++)
		lists[n++] = &T->satc[i].scopes;
	for (unsigned int i = 0; i < T->nr_sidp; i++)
		lists[n++] = &T->sidp[i].scopes;
	for (unsigned int i = 0; i < n; i++) {
		assert_true(lists[i]->first + lists[i]->count <= T->nr_scopes);
		total += lists[i]->count;
	}
	assert_int_equal(total, T->nr_scopes); /* every scope belongs to exactly one structure */
	for (unsigned int i = 0; i < T->nr_scopes; i++) {
		const struct dmar_scope *s = &T->scopes[i];

		assert_true(s->offset + SCOPE_HDR_LEN + 2u * s->path_len <= len);
		assert_true(s->path_len >= 1 && s->path_len <= DMAR_MAX_PATH);
		assert_true(s->type >= DMAR_SCOPE_PCI_ENDPOINT &&
			    s->type <= DMAR_SCOPE_ACPI_NAMESPACE);
	}
	for (unsigned int i = 0; i < T->nr_andd; i++)
		assert_true(strlen(T->andd[i].name) < DMAR_ANDD_NAME_MAX);
}

/* ACPICA's decode (.dsl) of one table, compared line by line with the parse. */
struct dsl_check {
	const char *file;
	int type; /* of the structure being decoded, -1 before the first or when ignored */
	int idx;  /* its index in its array */
	const struct dmar_scope *scope;
	unsigned int path_seen;
	unsigned int structs, scopes; /* decoded by ACPICA and matched */
};

static int find_struct(int type, uint32_t off)
{
	unsigned int n;

	switch (type) {
#define FIND(kind, arr, nr)                          \
	case kind:                                   \
		for (n = 0; n < T->nr; n++)          \
			if (T->arr[n].offset == off) \
				return (int)n;       \
		return -1;
		FIND(DMAR_TYPE_DRHD, drhd, nr_drhd)
		FIND(DMAR_TYPE_RMRR, rmrr, nr_rmrr)
		FIND(DMAR_TYPE_ATSR, atsr, nr_atsr)
		FIND(DMAR_TYPE_RHSA, rhsa, nr_rhsa)
		FIND(DMAR_TYPE_ANDD, andd, nr_andd)
		FIND(DMAR_TYPE_SATC, satc, nr_satc)
		FIND(DMAR_TYPE_SIDP, sidp, nr_sidp)
#undef FIND
	default:
		return -1;
	}
}

static void dsl_end_scope(struct dsl_check *c)
{
	if (c->scope && c->path_seen != c->scope->path_len)
		fail_msg("%s: scope at 0x%x: ACPICA shows %u path entries, parsed %u", c->file,
			 c->scope->offset, c->path_seen, c->scope->path_len);
	c->scope = NULL;
}

static void dsl_structure(struct dsl_check *c, uint32_t off, unsigned long type)
{
	dsl_end_scope(c);
	c->type = (int)type;
	c->idx = find_struct(c->type, off);
	if (c->idx >= 0) {
		c->structs++;
		return;
	}
	if (!known_defect(c->file, off))
		fail_msg("%s: ACPICA decodes structure type %lu at 0x%x; not parsed", c->file, type,
			 off);
	c->type = -1;
}

static void dsl_scope(struct dsl_check *c, uint32_t off, unsigned long type)
{
	dsl_end_scope(c);
	if (c->type < 0)
		return;
	for (unsigned int i = 0; i < T->nr_scopes; i++)
		if (T->scopes[i].offset == off)
			c->scope = &T->scopes[i];
	if (!c->scope)
		fail_msg("%s: ACPICA decodes a device scope at 0x%x; not parsed", c->file, off);
	assert_int_equal(c->scope->type, type);
	c->path_seen = 0;
	c->scopes++;
}

static void dsl_scope_field(struct dsl_check *c, const char *name, const char *value)
{
	unsigned long v = strtoul(value, NULL, 16);
	unsigned int dev, fn;

	if (!strcmp(name, "Entry Length")) {
		assert_int_equal(v, SCOPE_HDR_LEN + 2u * c->scope->path_len);
	} else if (!strcmp(name, "Enumeration ID")) {
		assert_int_equal(v, c->scope->enum_id);
	} else if (!strcmp(name, "PCI Bus Number")) {
		assert_int_equal(v, c->scope->start_bus);
	} else if (!strcmp(name, "PCI Path")) {
		assert_int_equal(sscanf(value, "%x,%x", &dev, &fn), 2);
		assert_true(c->path_seen < c->scope->path_len);
		assert_int_equal(dev, c->scope->path[c->path_seen][0]);
		assert_int_equal(fn, c->scope->path[c->path_seen][1]);
		c->path_seen++;
	}
}

static bool drhd_field(const struct dmar_drhd *d, const char *name, unsigned long long *v)
{
	if (!strcmp(name, "Flags"))
		*v = d->flags;
	else if (!strcmp(name, "PCI Segment Number"))
		*v = d->segment;
	else if (!strcmp(name, "Register Base Address"))
		*v = d->base;
	else
		return false;
	return true;
}

static bool rmrr_field(const struct dmar_rmrr *r, const char *name, unsigned long long *v)
{
	if (!strcmp(name, "PCI Segment Number"))
		*v = r->segment;
	else if (!strcmp(name, "Base Address"))
		*v = r->base;
	else if (!strcmp(name, "End Address (limit)"))
		*v = r->limit;
	else
		return false;
	return true;
}

static bool atsr_field(const struct dmar_atsr *a, const char *name, unsigned long long *v)
{
	if (!strcmp(name, "Flags"))
		*v = a->flags;
	else if (!strcmp(name, "PCI Segment Number"))
		*v = a->segment;
	else
		return false;
	return true;
}

static bool rhsa_field(const struct dmar_rhsa *r, const char *name, unsigned long long *v)
{
	if (!strcmp(name, "Base Address"))
		*v = r->base;
	else if (!strcmp(name, "Proximity Domain"))
		*v = r->proximity_domain;
	else
		return false;
	return true;
}

/* ACPICA shows the name in quotes: "\_SB.PCI0.I2C0". */
static void andd_name_field(const struct dmar_andd *a, const char *value)
{
	const char *q = strrchr(value, '"');

	assert_true(value[0] == '"' && q > value);
	assert_int_equal(q - value - 1, strlen(a->name));
	assert_memory_equal(value + 1, a->name, (size_t)(q - value - 1));
}

/* The parsed value of ACPICA's field @name of the current structure; false if not compared. */
static bool parsed_field(const struct dsl_check *c, const char *name, unsigned long long *v)
{
	switch (c->type) {
	case DMAR_TYPE_DRHD:
		return drhd_field(&T->drhd[c->idx], name, v);
	case DMAR_TYPE_RMRR:
		return rmrr_field(&T->rmrr[c->idx], name, v);
	case DMAR_TYPE_ATSR:
		return atsr_field(&T->atsr[c->idx], name, v);
	case DMAR_TYPE_RHSA:
		return rhsa_field(&T->rhsa[c->idx], name, v);
	case DMAR_TYPE_ANDD:
		*v = T->andd[c->idx].device_number;
		return !strcmp(name, "Device Number");
	default:
		return false;
	}
}

static void dsl_struct_field(const struct dsl_check *c, const char *name, const char *value)
{
	unsigned long long v;

	if (c->type == DMAR_TYPE_ANDD && !strcmp(name, "Device Name"))
		andd_name_field(&T->andd[c->idx], value);
	else if (parsed_field(c, name, &v))
		assert_int_equal(strtoull(value, NULL, 16), v);
}

/* Splits "[OFFh DEC LEN]   Name : value" into its offset, name and value. */
static bool dsl_split(char *line, uint32_t *off, char **name, char **value)
{
	char *sep;
	int pos = 0;

	if (sscanf(line, "[%xh %*u %*u]%n", off, &pos) != 1 || !pos)
		return false;
	sep = strstr(line + pos, " : ");
	if (!sep)
		return false;
	*sep = '\0';
	*name = line + pos + strspn(line + pos, " ");
	*value = sep + 3;
	(*value)[strcspn(*value, "\r\n")] = '\0';
	return true;
}

static void dsl_line(struct dsl_check *c, uint32_t off, const char *name, const char *value)
{
	unsigned long v = strtoul(value, NULL, 16);

	if (!strcmp(name, "Host Address Width"))
		assert_int_equal(v + 1, T->haw_bits);
	else if (!strcmp(name, "Subtable Type"))
		dsl_structure(c, off, v);
	else if (!strcmp(name, "Device Scope Type"))
		dsl_scope(c, off, v);
	else if (c->scope)
		dsl_scope_field(c, name, value);
	else if (c->type >= 0)
		dsl_struct_field(c, name, value);
	else if (off == OFF_FLAGS)
		assert_int_equal(v, T->flags);
}

/* Compares the parse in T with ACPICA's decode of @file; returns the structures matched. */
static unsigned int compare_with_acpica(const char *dir, const char *file)
{
	struct dsl_check c = { .file = file, .type = -1 };
	char path[512], line[512], *name, *value;
	uint32_t off;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%.*s.dsl", dir, (int)(strlen(file) - 4), file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f))
		if (dsl_split(line, &off, &name, &value))
			dsl_line(&c, off, name, value);
	dsl_end_scope(&c);
	fclose(f);
	return c.structs;
}

static unsigned int manifest_count(char **fields, const int idx[C_N], enum col col)
{
	return (unsigned int)strtoul(fields[idx[col]], NULL, 10);
}

/* The structure counts, host address width and flags of @file's MANIFEST.tsv row. */
static void check_manifest_row(const char *file, char **fields, const int idx[C_N])
{
	static const enum col cols[] = { C_DRHD, C_RMRR, C_ATSR, C_RHSA, C_ANDD, C_SATC, C_SIDP };
	const unsigned int parsed[] = { T->nr_drhd, T->nr_rmrr, T->nr_atsr, T->nr_rhsa,
					T->nr_andd, T->nr_satc, T->nr_sidp };

	for (uint16_t type = 0; type < sizeof(cols) / sizeof(cols[0]); type++)
		assert_int_equal(parsed[type] + defects_of_type(file, type),
				 manifest_count(fields, idx, cols[type]));
	assert_int_equal(T->haw_bits, manifest_count(fields, idx, C_HAW));
	assert_int_equal(T->flags, strtoul(fields[idx[C_FLAGS]], NULL, 16));
}

/* ERROR notes exactly at @file's known defects. */
static void check_error_notes(const char *file)
{
	for (uint32_t i = 0; i < T->notes.count; i++) {
		if (T->notes.items[i].kind != ACPI_NOTE_ERROR ||
		    known_defect(file, T->notes.items[i].offset))
			continue;
		dump_notes(file);
		fail_msg("%s: unexpected ERROR note", file);
	}
	for (size_t i = 0; i < NR_KNOWN_DEFECTS; i++)
		if (!strcmp(known_defects[i].file, file))
			expect_note(ACPI_NOTE_ERROR, known_defects[i].offset, "ignored");
}

/* Checks one corpus table against its MANIFEST.tsv row and ACPICA's decode; returns whether it
 * drew WARN notes (they are printed). */
static bool check_corpus_table(const char *dir, char **fields, const int idx[C_N])
{
	const char *file = fields[idx[C_FILE]];
	char path[512];
	uint8_t *buf;
	size_t size;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	buf = load(path, &size);
	ret = dmar_parse(buf, size, T);
	free(buf);
	if (ret)
		dump_notes(file);
	assert_int_equal(ret, 0);
	check_invariants((uint32_t)size);
	check_manifest_row(file, fields, idx);
	check_error_notes(file);
	assert_true(compare_with_acpica(dir, file) >= 1);
	if (notes_of(ACPI_NOTE_WARN))
		dump_notes(file);
	return notes_of(ACPI_NOTE_WARN) > 0;
}

static void test_corpus(void **state)
{
	const char *dir = corpus_dir();
	char path[512], line[4096], *fields[MAX_COLS];
	unsigned int tables = 0, warned = 0;
	int idx[C_N];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set SKIFF_ACPI_CORPUS to the corpus directory)", path);
	assert_non_null(fgets(line, sizeof(line), f));
	find_columns(line, idx);
	while (fgets(line, sizeof(line), f)) {
		int n = split_tabs(line, fields);

		assert_true(n > idx[C_FLAGS] && n > idx[C_TABLE]);
		if (strcmp(fields[idx[C_TABLE]], "DMAR"))
			continue;
		warned += check_corpus_table(dir, fields, idx);
		tables++;
	}
	fclose(f);
	printf("corpus: %u DMAR tables parsed, %u with WARN notes\n", tables, warned);
	assert_true(tables >= 253);
}

/* ---- damaged corpus tables ---- */

static void parse_damaged(const uint8_t *buf, size_t avail, uint32_t len_field)
{
	int ret = parse_bytes(buf, avail);

	assert_true(ret == 0 || ret == -EINVAL);
	if (ret == 0)
		check_invariants(len_field);
}

/* Cuts the table at every 7th length: the length field left (rejected) and fitted (walked). */
static void damage_truncate(const uint8_t *orig, uint32_t len)
{
	uint8_t *b = malloc(len);

	assert_non_null(b);
	for (uint32_t cut = 0; cut < len; cut += 7) {
		memcpy(b, orig, len);
		assert_int_equal(parse_bytes(b, cut), -EINVAL);
		memcpy(b + OFF_LENGTH, &cut, sizeof(cut));
		assert_int_equal(parse_bytes(b, cut), cut >= OFF_STRUCTS ? 0 : -EINVAL);
		if (cut >= OFF_STRUCTS)
			check_invariants(cut);
	}
	free(b);
}

/* Replaces single bytes at a sample of offsets with values that break lengths and fields. */
static void damage_bytes(const uint8_t *orig, uint32_t len)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x05, 0x07, 0xff };
	uint8_t *b = malloc(len);
	uint32_t len_field;

	assert_non_null(b);
	memcpy(b, orig, len);
	for (uint32_t at = 0; at < len; at += (at < OFF_STRUCTS + 64 ? 1 : 3)) {
		for (size_t v = 0; v < sizeof(values); v++) {
			b[at] = values[v];
			memcpy(&len_field, b + OFF_LENGTH, sizeof(len_field));
			parse_damaged(b, len, len_field);
		}
		b[at] = orig[at];
	}
	free(b);
}

static void test_corpus_damaged(void **state)
{
	const char *dir = corpus_dir();
	char path[512], line[4096], *fields[MAX_COLS];
	unsigned int tables = 0;
	int idx[C_N];
	uint8_t *buf;
	size_t size;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_non_null(fgets(line, sizeof(line), f));
	find_columns(line, idx);
	while (fgets(line, sizeof(line), f)) {
		split_tabs(line, fields);
		if (strcmp(fields[idx[C_TABLE]], "DMAR"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, fields[idx[C_FILE]]);
		buf = load(path, &size);
		damage_truncate(buf, (uint32_t)size);
		damage_bytes(buf, (uint32_t)size);
		free(buf);
		tables++;
	}
	fclose(f);
	assert_true(tables >= 253);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_damaged),
	};

	return cmocka_run_group_tests(tests, dmar_setup, dmar_teardown);
}
