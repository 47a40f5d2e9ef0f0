/* Sources: kernel/acpi/dmar.c kernel/acpi/acpi_sdt.c kernel/acpi/acpi_notes.c tests/unit/acpi_table_builder.c */
// SPDX-License-Identifier: MIT
/*
 * dmar_parse() against tables built here from the VT-d 5.0 chapter 8 layout, against the real
 * tables of the ACPI corpus (their MANIFEST.tsv counts and ACPICA's independent decode), and
 * against damaged copies of those tables. Run from the repository root; the corpus directory is
 * $SKIFF_ACPI_CORPUS, by default ../shared/acpi-corpus.
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
#include "tests/unit/acpi_table_builder.h"

/* The layout the tables are built from (VT-d 5.0, 8.1 to 8.9; ACPI 6.5, 5.2.6). */
#define OFF_LENGTH     4
#define OFF_CHECKSUM   9
#define OFF_HAW	       36
#define OFF_FLAGS      37
#define OFF_STRUCTS    48
#define SCOPE_HDR_LEN  6
#define DRHD_FIXED_LEN 16
#define RMRR_FIXED_LEN 24
#define ANDD_FIXED_LEN 8
#define RHSA_LEN       20

#define TB_CAP 16384

static struct dmar_table *T;

/* ---- table builder ---- */

struct tb {
	uint8_t b[TB_CAP];
	uint32_t len;
};

static void put(struct tb *t, const void *p, uint32_t n)
{
	assert_true(t->len + n <= TB_CAP);
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

static void put8(struct tb *t, uint8_t v)
{
	put(t, &v, sizeof(v));
}

static void put16(struct tb *t, uint16_t v)
{
	put(t, &v, sizeof(v));
}

static void put32(struct tb *t, uint32_t v)
{
	put(t, &v, sizeof(v));
}

static void put64(struct tb *t, uint64_t v)
{
	put(t, &v, sizeof(v));
}

static void put_zeros(struct tb *t, uint32_t n)
{
	while (n--)
		put8(t, 0);
}

/* DMAR header: ACPI header, host address width field, flags, 10 reserved bytes (VT-d 8.1). */
static void tb_init(struct tb *t, uint8_t haw_field, uint8_t flags)
{
	t->len = 0;
	put(t, "DMAR", 4);
	put32(t, 0); /* length: tb_finish */
	put8(t, 1);  /* revision */
	put8(t, 0);  /* checksum: tb_finish */
	put(t, "SKIFF ", 6);
	put(t, "TESTDMAR", 8);
	put32(t, 1);
	put(t, "SKIF", 4);
	put32(t, 1);
	put8(t, haw_field);
	put8(t, flags);
	put_zeros(t, 10);
	assert_int_equal(t->len, OFF_STRUCTS);
}

/* Starts a remapping structure (type, length patched by tb_close); returns its offset. */
static uint32_t tb_open(struct tb *t, uint16_t type)
{
	uint32_t at = t->len;

	put16(t, type);
	put16(t, 0);
	return at;
}

static void tb_close(struct tb *t, uint32_t at)
{
	uint16_t len = (uint16_t)(t->len - at);

	memcpy(t->b + at + 2, &len, sizeof(len));
}

/* Device scope (VT-d 8.3.1) with @pairs (device, function) pairs from @path; returns its offset. */
static uint32_t tb_scope(struct tb *t, uint8_t type, uint8_t enum_id, uint8_t bus,
			 unsigned int pairs, const uint8_t *path)
{
	uint32_t at = t->len;

	put8(t, type);
	put8(t, (uint8_t)(SCOPE_HDR_LEN + 2 * pairs));
	put16(t, 0);
	put8(t, enum_id);
	put8(t, bus);
	put(t, path, 2 * pairs);
	return at;
}

static uint32_t tb_ep(struct tb *t, uint8_t bus, uint8_t dev, uint8_t fn)
{
	const uint8_t path[2] = { dev, fn };

	return tb_scope(t, DMAR_SCOPE_PCI_ENDPOINT, 0, bus, 1, path);
}

/* Opens a DRHD (VT-d 8.3): flags, size, segment, register base; scopes follow. */
static uint32_t tb_drhd(struct tb *t, uint8_t flags, uint8_t size, uint16_t seg, uint64_t base)
{
	uint32_t at = tb_open(t, DMAR_TYPE_DRHD);

	put8(t, flags);
	put8(t, size);
	put16(t, seg);
	put64(t, base);
	return at;
}

/* A closed DRHD with one endpoint scope 00:02.0. */
static uint32_t tb_drhd_ep(struct tb *t, uint8_t flags, uint16_t seg, uint64_t base)
{
	uint32_t at = tb_drhd(t, flags, 0, seg, base);

	tb_ep(t, 0, 2, 0);
	tb_close(t, at);
	return at;
}

/* Opens an RMRR (VT-d 8.4): reserved, segment, base, limit; scopes follow. */
static uint32_t tb_rmrr(struct tb *t, uint16_t seg, uint64_t base, uint64_t limit)
{
	uint32_t at = tb_open(t, DMAR_TYPE_RMRR);

	put16(t, 0);
	put16(t, seg);
	put64(t, base);
	put64(t, limit);
	return at;
}

/* A closed RMRR with one endpoint scope 00:14.0. */
static uint32_t tb_rmrr_ep(struct tb *t, uint64_t base, uint64_t limit)
{
	uint32_t at = tb_rmrr(t, 0, base, limit);

	tb_ep(t, 0, 0x14, 0);
	tb_close(t, at);
	return at;
}

/* Opens an ATSR (8.5), SATC (8.8) or SIDP (8.9): flags (reserved in SIDP), reserved, segment. */
static uint32_t tb_seg_struct(struct tb *t, uint16_t type, uint8_t flags, uint16_t seg)
{
	uint32_t at = tb_open(t, type);

	put8(t, flags);
	put8(t, 0);
	put16(t, seg);
	return at;
}

/* A closed RHSA (VT-d 8.6). */
static uint32_t tb_rhsa(struct tb *t, uint64_t base, uint32_t domain)
{
	uint32_t at = tb_open(t, DMAR_TYPE_RHSA);

	put32(t, 0);
	put64(t, base);
	put32(t, domain);
	tb_close(t, at);
	return at;
}

/* A closed ANDD (VT-d 8.7) whose name field holds exactly @n bytes of @name. */
static uint32_t tb_andd(struct tb *t, uint8_t number, const char *name, uint32_t n)
{
	uint32_t at = tb_open(t, DMAR_TYPE_ANDD);

	put_zeros(t, 3);
	put8(t, number);
	put(t, name, n);
	tb_close(t, at);
	return at;
}

/* Patches the length field and makes the bytes sum to 0. */
static void tb_finish(struct tb *t)
{
	memcpy(t->b + OFF_LENGTH, &t->len, sizeof(t->len));
	acpi_tb_checksum(t->b, t->len, OFF_CHECKSUM);
}

/* ---- parsing and notes ---- */

static void dump_notes(const char *what)
{
	for (uint32_t i = 0; i < T->notes.count; i++)
		printf("  %s: note %u kind %u at 0x%x: %s\n", what, i, T->notes.items[i].kind,
		       T->notes.items[i].offset, T->notes.items[i].text);
}

/* Parses @avail bytes of @p from a heap copy of exactly that size, so ASan sees any overread. */
static int parse_bytes(const uint8_t *p, size_t avail)
{
	uint8_t *copy = acpi_tb_heap_copy(p, avail);
	int ret = dmar_parse(copy, avail, T);

	free(copy);
	return ret;
}

static int parse(const struct tb *t)
{
	return parse_bytes(t->b, t->len);
}

static void parse_ok(const struct tb *t)
{
	assert_int_equal(parse(t), 0);
}

static unsigned int notes_of(enum acpi_note_kind kind)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < T->notes.count; i++)
		n += T->notes.items[i].kind == kind;
	return n;
}

/* Asserts a note of @kind at @off whose text contains the formatted words. */
static void __attribute__((format(printf, 3, 4)))
expect_note(enum acpi_note_kind kind, uint32_t off, const char *fmt, ...)
{
	char word[ACPI_NOTE_TEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(word, sizeof(word), fmt, ap);
	va_end(ap);
	for (uint32_t i = 0; i < T->notes.count; i++) {
		const struct acpi_note *n = &T->notes.items[i];

		if (n->kind == kind && n->offset == off && strstr(n->text, word))
			return;
	}
	dump_notes("expected");
	fail_msg("no note of kind %d at 0x%x containing '%s'", kind, off, word);
}

/* Asserts @kind is the only kind of note and there are @n of them. */
static void expect_only(enum acpi_note_kind kind, unsigned int n)
{
	if (notes_of(kind) != n || T->notes.count != n)
		dump_notes("unexpected");
	assert_int_equal(notes_of(kind), n);
	assert_int_equal(T->notes.count, n);
}

static void expect_scope(const struct dmar_scope *s, uint32_t off, uint8_t type, uint8_t enum_id,
			 uint8_t bus, uint8_t dev, uint8_t fn)
{
	assert_int_equal(s->offset, off);
	assert_int_equal(s->type, type);
	assert_int_equal(s->enum_id, enum_id);
	assert_int_equal(s->start_bus, bus);
	assert_int_equal(s->path_len, 1);
	assert_int_equal(s->path[0][0], dev);
	assert_int_equal(s->path[0][1], fn);
}

/* ---- a valid table with every structure type ---- */

struct all_types {
	uint32_t drhd0, drhd1, rmrr, atsr, rhsa, andd, satc, sidp;
	uint32_t sc_gfx, sc_ioapic, sc_hpet, sc_acpi, sc_rmrr0, sc_rmrr1, sc_atsr, sc_satc, sc_sidp;
};

static void build_all_types(struct tb *t, struct all_types *o)
{
	static const uint8_t ioapic[2] = { 0x1e, 7 }, hpet[2] = { 0x1e, 6 }, i2c[2] = { 0x15, 0 };
	static const uint8_t deep[4] = { 0x1c, 0, 0, 0 }, port[2] = { 1, 0 };
	static const char name[20] = "\\_SB.PCI0.I2C0"; /* NUL-padded to 20 bytes */

	tb_init(t, 0x26, DMAR_FLAG_INTR_REMAP | DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN);
	o->drhd0 = tb_drhd(t, 0, 0, 0, 0xfed90000);
	o->sc_gfx = tb_ep(t, 0, 2, 0);
	tb_close(t, o->drhd0);
	o->drhd1 = tb_drhd(t, DRHD_FLAG_INCLUDE_PCI_ALL, 1, 0, 0xfed92000);
	o->sc_ioapic = tb_scope(t, DMAR_SCOPE_IOAPIC, 2, 0xf0, 1, ioapic);
	o->sc_hpet = tb_scope(t, DMAR_SCOPE_MSI_HPET, 0, 0, 1, hpet);
	o->sc_acpi = tb_scope(t, DMAR_SCOPE_ACPI_NAMESPACE, 1, 0, 1, i2c);
	tb_close(t, o->drhd1);
	o->rmrr = tb_rmrr(t, 0, 0x7c000000, 0x807fffff);
	o->sc_rmrr0 = tb_ep(t, 0, 0x14, 0);
	o->sc_rmrr1 = tb_scope(t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, deep);
	tb_close(t, o->rmrr);
	o->atsr = tb_seg_struct(t, DMAR_TYPE_ATSR, 0, 0);
	o->sc_atsr = tb_scope(t, DMAR_SCOPE_PCI_SUB_HIERARCHY, 0, 0, 1, port);
	tb_close(t, o->atsr);
	o->rhsa = tb_rhsa(t, 0xfed92000, 3);
	o->andd = tb_andd(t, 1, name, sizeof(name));
	o->satc = tb_seg_struct(t, DMAR_TYPE_SATC, SATC_FLAG_ATC_REQUIRED, 0);
	o->sc_satc = tb_ep(t, 0, 2, 0);
	tb_close(t, o->satc);
	o->sidp = tb_seg_struct(t, DMAR_TYPE_SIDP, 0, 1);
	o->sc_sidp = tb_ep(t, 0, 0xb, 0);
	t->b[o->sc_sidp + 2] = 0x1f; /* scope flags byte of VT-d 4.0+: not a parse error */
	tb_close(t, o->sidp);
	tb_finish(t);
}

static void test_valid_all_types(void **state)
{
	struct tb t;
	struct all_types o;
	const struct dmar_scope *s = T->scopes;

	(void)state;
	build_all_types(&t, &o);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 0);
	assert_int_equal(T->haw_bits, 0x26 + 1);
	assert_int_equal(T->flags, 0x05);
	assert_int_equal(T->nr_drhd, 2);
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->nr_atsr, 1);
	assert_int_equal(T->nr_rhsa, 1);
	assert_int_equal(T->nr_andd, 1);
	assert_int_equal(T->nr_satc, 1);
	assert_int_equal(T->nr_sidp, 1);
	assert_int_equal(T->nr_scopes, 9);

	assert_int_equal(T->drhd[0].offset, o.drhd0);
	assert_int_equal(T->drhd[0].flags, 0);
	assert_int_equal(T->drhd[0].size, 0);
	assert_int_equal(T->drhd[0].segment, 0);
	assert_int_equal(T->drhd[0].base, 0xfed90000);
	assert_int_equal(T->drhd[0].scopes.first, 0);
	assert_int_equal(T->drhd[0].scopes.count, 1);
	expect_scope(&s[0], o.sc_gfx, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);

	assert_int_equal(T->drhd[1].offset, o.drhd1);
	assert_int_equal(T->drhd[1].flags, DRHD_FLAG_INCLUDE_PCI_ALL);
	assert_int_equal(T->drhd[1].size, 1);
	assert_int_equal(T->drhd[1].base, 0xfed92000);
	assert_int_equal(T->drhd[1].scopes.first, 1);
	assert_int_equal(T->drhd[1].scopes.count, 3);
	expect_scope(&s[1], o.sc_ioapic, DMAR_SCOPE_IOAPIC, 2, 0xf0, 0x1e, 7);
	expect_scope(&s[2], o.sc_hpet, DMAR_SCOPE_MSI_HPET, 0, 0, 0x1e, 6);
	expect_scope(&s[3], o.sc_acpi, DMAR_SCOPE_ACPI_NAMESPACE, 1, 0, 0x15, 0);

	assert_int_equal(T->rmrr[0].offset, o.rmrr);
	assert_int_equal(T->rmrr[0].segment, 0);
	assert_int_equal(T->rmrr[0].base, 0x7c000000);
	assert_int_equal(T->rmrr[0].limit, 0x807fffff);
	assert_int_equal(T->rmrr[0].scopes.first, 4);
	assert_int_equal(T->rmrr[0].scopes.count, 2);
	expect_scope(&s[4], o.sc_rmrr0, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	assert_int_equal(s[5].offset, o.sc_rmrr1);
	assert_int_equal(s[5].path_len, 2);
	assert_memory_equal(s[5].path, ((uint8_t[4]){ 0x1c, 0, 0, 0 }), 4);

	assert_int_equal(T->atsr[0].offset, o.atsr);
	assert_int_equal(T->atsr[0].flags, 0);
	assert_int_equal(T->atsr[0].segment, 0);
	assert_int_equal(T->atsr[0].scopes.first, 6);
	assert_int_equal(T->atsr[0].scopes.count, 1);
	expect_scope(&s[6], o.sc_atsr, DMAR_SCOPE_PCI_SUB_HIERARCHY, 0, 0, 1, 0);

	assert_int_equal(T->rhsa[0].offset, o.rhsa);
	assert_int_equal(T->rhsa[0].base, 0xfed92000);
	assert_int_equal(T->rhsa[0].proximity_domain, 3);

	assert_int_equal(T->andd[0].offset, o.andd);
	assert_int_equal(T->andd[0].device_number, 1);
	assert_string_equal(T->andd[0].name, "\\_SB.PCI0.I2C0");

	assert_int_equal(T->satc[0].offset, o.satc);
	assert_int_equal(T->satc[0].flags, SATC_FLAG_ATC_REQUIRED);
	assert_int_equal(T->satc[0].segment, 0);
	assert_int_equal(T->satc[0].scopes.first, 7);
	assert_int_equal(T->satc[0].scopes.count, 1);
	expect_scope(&s[7], o.sc_satc, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);

	assert_int_equal(T->sidp[0].offset, o.sidp);
	assert_int_equal(T->sidp[0].segment, 1);
	assert_int_equal(T->sidp[0].scopes.first, 8);
	assert_int_equal(T->sidp[0].scopes.count, 1);
	expect_scope(&s[8], o.sc_sidp, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0xb, 0);
}

/* A table with no remapping structure at all is valid (and useless). */
static void test_header_only(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, DMAR_FLAG_INTR_REMAP);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 0);
	assert_int_equal(T->haw_bits, 39);
	assert_int_equal(T->nr_drhd + T->nr_rmrr + T->nr_scopes, 0);
}

/* ---- header ---- */

static void test_truncated(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);

	assert_int_equal(parse_bytes(t.b, 20), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, 0, "truncated: 20 bytes");
	assert_int_equal(T->nr_drhd, 0);

	assert_int_equal(parse_bytes(t.b, 0), -EINVAL);
	assert_int_equal(parse_bytes(t.b, 40), -EINVAL); /* header readable, length 72 > 40 */
	expect_note(ACPI_NOTE_ERROR, OFF_LENGTH, "exceeds the 40 bytes");
	assert_int_equal(parse_bytes(t.b, t.len - 1), -EINVAL);
	expect_only(ACPI_NOTE_ERROR, 1);
	assert_int_equal(parse_bytes(t.b, t.len), 0);
	assert_int_equal(T->nr_drhd, 1);
}

static void test_length_field_too_large(void **state)
{
	struct tb t;
	uint32_t big = 4096;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);
	memcpy(t.b + OFF_LENGTH, &big, sizeof(big));
	assert_int_equal(parse(&t), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, OFF_LENGTH, "length field 4096 exceeds the %u bytes available",
		    t.len);
	assert_int_equal(T->nr_drhd, 0);
}

static void test_length_field_too_small(void **state)
{
	struct tb t;
	uint32_t small = 40;

	(void)state;
	tb_init(&t, 38, 0);
	tb_finish(&t);
	memcpy(t.b + OFF_LENGTH, &small, sizeof(small));
	assert_int_equal(parse(&t), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, OFF_LENGTH, "length field 40 below the minimum 48");
}

static void test_wrong_signature(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	tb_finish(&t);
	memcpy(t.b,
	       "AP\x01"
	       "C",
	       4);
	assert_int_equal(parse(&t), -EINVAL);
	expect_note(ACPI_NOTE_ERROR, 0, "signature 'AP?C', expected 'DMAR'");
}

static void test_bad_checksum(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);
	t.b[OFF_CHECKSUM] += 0x5a;
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 1);
	expect_note(ACPI_NOTE_WARN, OFF_CHECKSUM, "sum to 0x5a");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].base, 0xfed90000);
}

static void test_haw_range(void **state)
{
	static const struct {
		uint8_t field;
		bool warn;
	} cases[] = { { 10, true }, { 11, false }, { 63, false }, { 64, true }, { 0xff, true } };
	struct tb t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tb_init(&t, cases[i].field, 0);
		tb_finish(&t);
		parse_ok(&t);
		assert_int_equal(notes_of(ACPI_NOTE_WARN), cases[i].warn);
		if (cases[i].warn)
			expect_note(ACPI_NOTE_WARN, OFF_HAW, "host address width");
		assert_int_equal(T->haw_bits, cases[i].field + 1u); /* 0xff: 256 bits */
	}
}

/* ---- the structure walk ---- */

static void test_zero_length_structure(void **state)
{
	struct tb t;
	uint32_t first, bad;

	(void)state;
	for (uint16_t len = 0; len < 4; len++) {
		tb_init(&t, 38, 0);
		first = tb_drhd_ep(&t, 0, 0, 0xfed90000);
		bad = tb_open(&t, DMAR_TYPE_RMRR);
		memcpy(t.b + bad + 2, &len, sizeof(len));
		put_zeros(&t, 28);
		tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000); /* unreachable */
		tb_finish(&t);
		parse_ok(&t);
		expect_only(ACPI_NOTE_ERROR, 1);
		expect_note(ACPI_NOTE_ERROR, bad, "rest of the table ignored");
		assert_int_equal(T->nr_drhd, 1);
		assert_int_equal(T->drhd[0].offset, first);
		assert_int_equal(T->nr_rmrr, 0);
	}
}

static void test_structure_past_table_end(void **state)
{
	struct tb t;
	uint32_t bad;
	uint16_t len = 0x40;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	bad = tb_rmrr_ep(&t, 0x7c000000, 0x7cffffff); /* 32 bytes */
	memcpy(t.b + bad + 2, &len, sizeof(len));
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "length 64 runs past the table end (32 bytes left)");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->nr_rmrr, 0);
}

static void test_trailing_bytes(void **state)
{
	struct tb t;
	uint32_t tail;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tail = t.len;
	put_zeros(&t, 3);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, tail, "3 bytes");
	assert_int_equal(T->nr_drhd, 1);
}

/* Each type's fixed part (VT-d 8.3-8.9) one byte short: skipped, the walk goes on. */
static void test_structure_below_fixed_part(void **state)
{
	static const struct {
		uint16_t type;
		uint32_t fixed;
	} cases[] = { { DMAR_TYPE_DRHD, DRHD_FIXED_LEN },
		      { DMAR_TYPE_RMRR, RMRR_FIXED_LEN },
		      { DMAR_TYPE_ATSR, 8 },
		      { DMAR_TYPE_RHSA, RHSA_LEN },
		      { DMAR_TYPE_ANDD, ANDD_FIXED_LEN },
		      { DMAR_TYPE_SATC, 8 },
		      { DMAR_TYPE_SIDP, 8 } };
	struct tb t;
	uint32_t bad;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tb_init(&t, 38, 0);
		bad = tb_open(&t, cases[i].type);
		put_zeros(&t, cases[i].fixed - 1 - 4);
		tb_close(&t, bad);
		tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
		tb_finish(&t);
		parse_ok(&t);
		expect_only(ACPI_NOTE_ERROR, 1);
		expect_note(ACPI_NOTE_ERROR, bad, "below its fixed part");
		assert_int_equal(T->nr_drhd, 1);
		assert_int_equal(T->drhd[0].offset, bad + cases[i].fixed - 1);
		assert_int_equal(T->nr_rmrr + T->nr_atsr + T->nr_rhsa + T->nr_andd, 0);
		assert_int_equal(T->nr_satc + T->nr_sidp, 0);
	}
}

static void test_unknown_structure_type(void **state)
{
	struct tb t;
	uint32_t unknown, drhd;

	(void)state;
	tb_init(&t, 38, 0);
	unknown = tb_open(&t, 9);
	put_zeros(&t, 12);
	tb_close(&t, unknown);
	drhd = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 1);
	expect_note(ACPI_NOTE_INFO, unknown, "unknown type 9");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].offset, drhd);
}

/* ---- device scopes ---- */

static void test_scope_past_structure(void **state)
{
	struct tb t;
	uint32_t drhd, good, bad;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	good = tb_ep(&t, 0, 2, 0);
	bad = tb_ep(&t, 0, 3, 0);
	t.b[bad + 1] = 10; /* claims one more path entry than the structure holds */
	tb_close(&t, drhd);
	tb_rmrr_ep(&t, 0x7c000000, 0x7cffffff);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "runs past the structure (length 10, 8 bytes left)");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].scopes.count, 1);
	assert_int_equal(T->scopes[T->drhd[0].scopes.first].offset, good);
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->rmrr[0].scopes.count, 1);
}

/* Byte 2 of a device scope (reserved in early revisions, scope flags on newer firmware, e.g. 0x1f
 * in the corpus's SIDP scopes) is kept as the scope's flags; byte 3 stays ignored. */
static void test_scope_flags_byte(void **state)
{
	struct tb t;
	uint32_t drhd, sc;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	sc = tb_ep(&t, 0, 2, 0);
	t.b[sc + 2] = 0x1f;
	t.b[sc + 3] = 0xa5;
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	assert_int_equal(T->nr_scopes, 1);
	assert_int_equal(T->scopes[0].flags, 0x1f);
	assert_int_equal(T->scopes[0].path[0][0], 2);
}

/* Bytes left in the structure too few for a scope header; lengths below 6 or with odd path. */
static void test_scope_bad_length(void **state)
{
	static const uint8_t lengths[] = { 0, 1, 5, 7, 9 };
	struct tb t;
	uint32_t drhd, bad;

	(void)state;
	for (size_t i = 0; i < sizeof(lengths); i++) {
		tb_init(&t, 38, 0);
		drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
		bad = tb_ep(&t, 0, 2, 0);
		t.b[bad + 1] = lengths[i];
		tb_ep(&t, 0, 3, 0);
		tb_ep(&t, 0, 4, 0);
		tb_close(&t, drhd);
		tb_finish(&t);
		parse_ok(&t);
		expect_only(ACPI_NOTE_ERROR, 1);
		expect_note(ACPI_NOTE_ERROR, bad, "rest ignored");
		assert_int_equal(T->nr_drhd, 1);
		assert_int_equal(T->drhd[0].scopes.count, 0);
	}

	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_ep(&t, 0, 2, 0);
	bad = t.len;
	put_zeros(&t, 5);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "5 bytes left");
	assert_int_equal(T->drhd[0].scopes.count, 1);
}

static void test_scope_empty_path(void **state)
{
	struct tb t;
	uint32_t drhd, empty, next;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	empty = tb_scope(&t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0, (const uint8_t *)"");
	next = tb_ep(&t, 0, 3, 0);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, empty, "0 path entries");
	assert_int_equal(T->drhd[0].scopes.count, 1);
	assert_int_equal(T->scopes[T->drhd[0].scopes.first].offset, next);
}

static void test_scope_path_too_long(void **state)
{
	uint8_t path[2 * (DMAR_MAX_PATH + 1)] = { 0 };
	struct tb t;
	uint32_t drhd, longest, too_long, next;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	path[2 * DMAR_MAX_PATH - 2] = 0x1f;
	longest = tb_scope(&t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, DMAR_MAX_PATH, path);
	too_long = tb_scope(&t, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, DMAR_MAX_PATH + 1, path);
	next = tb_ep(&t, 0, 3, 0);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, too_long, "17 path entries");
	assert_int_equal(T->drhd[0].scopes.count, 2);
	assert_int_equal(T->scopes[0].offset, longest);
	assert_int_equal(T->scopes[0].path_len, DMAR_MAX_PATH);
	assert_int_equal(T->scopes[0].path[DMAR_MAX_PATH - 1][0], 0x1f);
	assert_int_equal(T->scopes[1].offset, next);
}

static void test_scope_unknown_type(void **state)
{
	static const uint8_t path[2] = { 2, 0 };
	struct tb t;
	uint32_t drhd, zero, seven, next;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	zero = tb_scope(&t, 0, 0, 0, 1, path);
	seven = tb_scope(&t, 7, 0, 0, 1, path);
	next = tb_ep(&t, 0, 3, 0);
	tb_close(&t, drhd);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_INFO, 2);
	expect_note(ACPI_NOTE_INFO, zero, "unknown type 0");
	expect_note(ACPI_NOTE_INFO, seven, "unknown type 7");
	assert_int_equal(T->drhd[0].scopes.count, 1);
	assert_int_equal(T->scopes[0].offset, next);
}

/* ---- semantic checks ---- */

static void test_rmrr_overlap(void **state)
{
	struct tb t;
	uint32_t a, b, c, d, e;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	a = tb_rmrr_ep(&t, 0x7c000000, 0x7c0fffff);
	b = tb_rmrr_ep(&t, 0x7c100000, 0x7c1fffff); /* adjacent to a: no overlap */
	c = tb_rmrr_ep(&t, 0x7c0ff000, 0x7c100fff); /* last page of a, first of b */
	d = tb_rmrr_ep(&t, 0x7d000000, 0x7d001000); /* unaligned limit, */
	e = tb_rmrr_ep(&t, 0x7d001000, 0x7d001fff); /* so one byte is shared with e */
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 4);
	expect_note(ACPI_NOTE_WARN, d, "4 KiB aligned");
	expect_note(ACPI_NOTE_WARN, e, "overlaps the RMRR at 0x%x (0x7d000000-0x7d001000)", d);
	expect_note(ACPI_NOTE_WARN, c, "overlaps the RMRR at 0x%x (0x7c000000-0x7c0fffff)", a);
	expect_note(ACPI_NOTE_WARN, c, "overlaps the RMRR at 0x%x (0x7c100000-0x7c1fffff)", b);
	assert_int_equal(T->nr_rmrr, 5);
	assert_int_equal(T->rmrr[2].offset, c);
}

static void test_rmrr_limit_below_base(void **state)
{
	struct tb t;
	uint32_t bad, good;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	bad = tb_rmrr_ep(&t, 0x7d000000, 0x7cffffff);
	good = tb_rmrr_ep(&t, 0x7c000000, 0x7c000fff); /* one page: limit + 1 - base = 4 KiB */
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, bad, "limit 0x7cffffff below base 0x7d000000");
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->rmrr[0].offset, good);
	assert_int_equal(T->rmrr[0].scopes.count, 1);
	assert_int_equal(T->nr_scopes, 2); /* the ignored RMRR's scope is not stored */
}

static void test_rmrr_unaligned(void **state)
{
	struct tb t;
	uint32_t base_off, limit_off;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	base_off = tb_rmrr_ep(&t, 0x7c000800, 0x7c000fff);
	limit_off = tb_rmrr_ep(&t, 0x7d000000, 0x7d000ffe);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 2);
	expect_note(ACPI_NOTE_WARN, base_off, "4 KiB aligned");
	expect_note(ACPI_NOTE_WARN, limit_off, "4 KiB aligned");
	assert_int_equal(T->nr_rmrr, 2);
}

static void test_include_all_not_last(void **state)
{
	struct tb t;
	uint32_t all, later, other_seg;

	(void)state;
	tb_init(&t, 38, 0);
	all = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	later = tb_drhd_ep(&t, 0, 0, 0xfed90000);
	other_seg = tb_drhd_ep(&t, 0, 1, 0xfed92000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 1);
	expect_note(ACPI_NOTE_WARN, all, "not the last of segment 0 (DRHD at 0x%x follows)", later);
	assert_int_equal(T->nr_drhd, 3);
	assert_int_equal(T->drhd[2].offset, other_seg);

	/* A catch-all unit followed only by units of other segments is last in its segment. */
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, 0, 0, 0xfed90000);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 1, 0xfed92000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 0);
	assert_int_equal(T->nr_drhd, 3);
}

static void test_two_include_all_units(void **state)
{
	struct tb t;
	uint32_t first, second;

	(void)state;
	tb_init(&t, 38, 0);
	first = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	second = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, second, "second INCLUDE_PCI_ALL unit of segment 0");
	assert_int_equal(T->nr_drhd, 1);
	assert_int_equal(T->drhd[0].offset, first);
	assert_int_equal(T->nr_scopes, 1);
}

static void test_same_register_base(void **state)
{
	struct tb t;
	uint32_t first, second, third;

	(void)state;
	tb_init(&t, 38, 0);
	first = tb_drhd_ep(&t, 0, 0, 0xfed90000);
	second = tb_drhd_ep(&t, 0, 1, 0xfed90000); /* same base, other segment: same registers */
	third = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 1, 0, 0xfed8f000); /* 8 KiB: overlaps */
	tb_close(&t, third);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed91000);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 2);
	expect_note(ACPI_NOTE_ERROR, second, "overlap those of the DRHD at 0x%x", first);
	expect_note(ACPI_NOTE_ERROR, third, "overlap those of the DRHD at 0x%x", first);
	assert_int_equal(T->nr_drhd, 2);
	assert_int_equal(T->drhd[1].base, 0xfed91000);
}

static void test_register_base_zero(void **state)
{
	struct tb t;
	uint32_t zero;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, 0, 0, 0xfed90000);
	zero = tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, zero, "register base address is 0");
	assert_int_equal(T->nr_drhd, 1);
}

static void test_register_set_size(void **state)
{
	struct tb t;
	uint32_t reserved, unaligned, aligned;

	(void)state;
	tb_init(&t, 38, 0);
	reserved = tb_drhd(&t, 0, 0x14, 0, 0xfed80000); /* 16 pages, reserved bit 4 */
	tb_close(&t, reserved);
	unaligned = tb_drhd(&t, 0, 2, 0, 0xfed91000); /* 16 KiB at a 4 KiB boundary */
	tb_close(&t, unaligned);
	aligned = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 2, 0, 0xfed98000);
	tb_close(&t, aligned);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 2);
	expect_note(ACPI_NOTE_WARN, reserved + 5, "reserved bits");
	expect_note(ACPI_NOTE_WARN, unaligned + 8, "not aligned to its 16 KiB register set");
	assert_int_equal(T->nr_drhd, 3);
	assert_int_equal(T->drhd[0].size, 4);
	assert_int_equal(T->drhd[2].size, 2);
}

static void test_rhsa_without_unit(void **state)
{
	struct tb t;
	uint32_t orphan;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	tb_rhsa(&t, 0xfed90000, 0);
	orphan = tb_rhsa(&t, 0xfed91000, 1);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_WARN, 1);
	expect_note(ACPI_NOTE_WARN, orphan, "matches no DRHD");
	assert_int_equal(T->nr_rhsa, 2);
}

/* ---- ANDD names ---- */

/* The name runs to the end of the table without a NUL: nothing past it may be read. */
static void test_andd_name_unterminated(void **state)
{
	struct tb t;
	uint32_t mid, last;

	(void)state;
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	mid = tb_andd(&t, 1, "\\_SB.I2C0", 9); /* the next structure's type bytes hold NULs */
	tb_rhsa(&t, 0xfed90000, 0);
	last = tb_andd(&t, 2, "\\_SB.PCI0.I2C1", 14);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 2);
	expect_note(ACPI_NOTE_ERROR, mid, "no NUL");
	expect_note(ACPI_NOTE_ERROR, last, "no NUL");
	assert_int_equal(T->nr_andd, 0);
	assert_int_equal(T->nr_rhsa, 1);
}

static void test_andd_name_length(void **state)
{
	char name[DMAR_ANDD_NAME_MAX + 1];
	struct tb t;
	uint32_t fits, too_long, empty;

	(void)state;
	memset(name, 'A', sizeof(name));
	name[DMAR_ANDD_NAME_MAX] = '\0';
	tb_init(&t, 38, 0);
	tb_drhd_ep(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0xfed90000);
	too_long = tb_andd(&t, 1, name, DMAR_ANDD_NAME_MAX + 1);
	name[DMAR_ANDD_NAME_MAX - 1] = '\0';
	fits = tb_andd(&t, 2, name, DMAR_ANDD_NAME_MAX);
	empty = tb_andd(&t, 3, "", 1);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 1);
	expect_note(ACPI_NOTE_ERROR, too_long, "64 characters");
	assert_int_equal(T->nr_andd, 2);
	assert_int_equal(T->andd[0].offset, fits);
	assert_int_equal(T->andd[0].device_number, 2);
	assert_int_equal(strlen(T->andd[0].name), DMAR_ANDD_NAME_MAX - 1);
	assert_int_equal(T->andd[1].offset, empty);
	assert_string_equal(T->andd[1].name, "");
}

/* ---- capacity ---- */

static void test_capacity_structures(void **state)
{
	struct tb t;
	uint32_t last_rmrr = 0, last_drhd = 0;

	(void)state;
	tb_init(&t, 38, 0);
	for (unsigned int i = 0; i <= DMAR_MAX_DRHD; i++)
		last_drhd = tb_drhd_ep(&t, 0, (uint16_t)i, 0xf0000000ull + 0x1000ull * i);
	for (unsigned int i = 0; i <= DMAR_MAX_RMRR; i++)
		last_rmrr =
			tb_rmrr_ep(&t, 0x10000000ull * (i + 1), 0x10000000ull * (i + 1) + 0xfff);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 2);
	expect_note(ACPI_NOTE_ERROR, last_drhd, "more than 64 DRHD");
	expect_note(ACPI_NOTE_ERROR, last_rmrr, "more than 64 RMRR");
	assert_int_equal(T->nr_drhd, DMAR_MAX_DRHD);
	assert_int_equal(T->nr_rmrr, DMAR_MAX_RMRR);
	assert_int_equal(T->drhd[DMAR_MAX_DRHD - 1].segment, DMAR_MAX_DRHD - 1);
	assert_int_equal(T->nr_scopes, DMAR_MAX_DRHD + DMAR_MAX_RMRR);
}

static void test_capacity_scopes(void **state)
{
	struct tb t;
	uint32_t drhd, first_excess = 0, rmrr;

	(void)state;
	tb_init(&t, 38, 0);
	drhd = tb_drhd(&t, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	for (unsigned int i = 0; i < DMAR_MAX_SCOPES + 2; i++) {
		uint32_t at = tb_ep(&t, (uint8_t)(i / 32), (uint8_t)(i % 32), 0);

		if (i == DMAR_MAX_SCOPES)
			first_excess = at;
	}
	tb_close(&t, drhd);
	rmrr = tb_rmrr_ep(&t, 0x7c000000, 0x7cffffff);
	tb_finish(&t);
	parse_ok(&t);
	expect_only(ACPI_NOTE_ERROR, 3);
	expect_note(ACPI_NOTE_ERROR, first_excess, "more than 1024 scopes");
	expect_note(ACPI_NOTE_ERROR, first_excess + 8, "more than 1024 scopes");
	expect_note(ACPI_NOTE_ERROR, rmrr + RMRR_FIXED_LEN, "more than 1024 scopes");
	assert_int_equal(T->nr_scopes, DMAR_MAX_SCOPES);
	assert_int_equal(T->drhd[0].scopes.count, DMAR_MAX_SCOPES);
	assert_int_equal(T->scopes[DMAR_MAX_SCOPES - 1].start_bus, (DMAR_MAX_SCOPES - 1) / 32);
	assert_int_equal(T->nr_rmrr, 1);
	assert_int_equal(T->rmrr[0].scopes.count, 0);
}

/* ---- notes ---- */

static void test_notes_overflow(void **state)
{
	const unsigned int extra = 8;
	struct tb t;

	(void)state;
	tb_init(&t, 38, 0);
	for (unsigned int i = 0; i < ACPI_NOTES_MAX + extra; i++)
		tb_close(&t, tb_open(&t, 0x100 + i));
	tb_finish(&t);
	parse_ok(&t);
	assert_int_equal(T->notes.count, ACPI_NOTES_MAX);
	assert_int_equal(T->notes.dropped, extra);
	expect_note(ACPI_NOTE_INFO, OFF_STRUCTS, "unknown type 256");
	expect_note(ACPI_NOTE_INFO, OFF_STRUCTS + 4 * (ACPI_NOTES_MAX - 1), "unknown type 287");
}

static void test_note_text_truncated(void **state)
{
	struct acpi_notes notes = { 0 };
	char long_text[2 * ACPI_NOTE_TEXT];

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	acpi_note(&notes, ACPI_NOTE_WARN, 7, "%s", long_text);
	assert_int_equal(notes.count, 1);
	assert_int_equal(notes.items[0].offset, 7);
	assert_int_equal(notes.items[0].kind, ACPI_NOTE_WARN);
	assert_int_equal(strlen(notes.items[0].text), ACPI_NOTE_TEXT - 1);
}

/* Parsing again starts from nothing: no structure or note of the previous table survives. */
static void test_output_reset(void **state)
{
	struct tb t;
	struct all_types o;

	(void)state;
	build_all_types(&t, &o);
	t.b[OFF_CHECKSUM] ^= 1;
	parse_ok(&t);
	assert_int_equal(T->notes.count, 1);
	tb_init(&t, 38, 0);
	tb_finish(&t);
	parse_ok(&t);
	assert_int_equal(T->notes.count + T->nr_drhd + T->nr_andd + T->nr_scopes, 0);
}

/* ---- the corpus ---- */

static const char *corpus_dir(void)
{
	const char *dir = getenv("SKIFF_ACPI_CORPUS");

	return dir && *dir ? dir : "../shared/acpi-corpus";
}

static uint8_t *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s (set SKIFF_ACPI_CORPUS to the corpus directory)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
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

static int setup(void **state)
{
	(void)state;
	T = malloc(sizeof(*T));
	return T ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(T);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_all_types),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_length_field_too_large),
		cmocka_unit_test(test_length_field_too_small),
		cmocka_unit_test(test_wrong_signature),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_haw_range),
		cmocka_unit_test(test_zero_length_structure),
		cmocka_unit_test(test_structure_past_table_end),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_structure_below_fixed_part),
		cmocka_unit_test(test_unknown_structure_type),
		cmocka_unit_test(test_scope_past_structure),
		cmocka_unit_test(test_scope_flags_byte),
		cmocka_unit_test(test_scope_bad_length),
		cmocka_unit_test(test_scope_empty_path),
		cmocka_unit_test(test_scope_path_too_long),
		cmocka_unit_test(test_scope_unknown_type),
		cmocka_unit_test(test_rmrr_overlap),
		cmocka_unit_test(test_rmrr_limit_below_base),
		cmocka_unit_test(test_rmrr_unaligned),
		cmocka_unit_test(test_include_all_not_last),
		cmocka_unit_test(test_two_include_all_units),
		cmocka_unit_test(test_same_register_base),
		cmocka_unit_test(test_register_base_zero),
		cmocka_unit_test(test_register_set_size),
		cmocka_unit_test(test_rhsa_without_unit),
		cmocka_unit_test(test_andd_name_unterminated),
		cmocka_unit_test(test_andd_name_length),
		cmocka_unit_test(test_capacity_structures),
		cmocka_unit_test(test_capacity_scopes),
		cmocka_unit_test(test_notes_overflow),
		cmocka_unit_test(test_note_text_truncated),
		cmocka_unit_test(test_output_reset),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
