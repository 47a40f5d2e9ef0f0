/* SPDX-License-Identifier: MIT */
/*
 * DMAR tables for the dmar_parse() tests (test_dmar.c: layout, header, structure walk, device
 * scopes; test_dmar_checks.c: semantic checks, ANDD names, capacity, notes; test_dmar_corpus.c:
 * the ACPI corpus), built here from the VT-d 5.0 chapter 8 layout, and the parse and note
 * assertions on the table they fill (T, allocated by dmar_setup()). Header only (static): each
 * test program has its own copy. Every failed expectation is a cmocka assertion.
 */
#ifndef SKIFF_TESTS_UNIT_DMAR_BUILDER_H
#define SKIFF_TESTS_UNIT_DMAR_BUILDER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

static inline void put(struct tb *t, const void *p, uint32_t n)
{
	assert_true(t->len + n <= TB_CAP);
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

static inline void put8(struct tb *t, uint8_t v)
{
	put(t, &v, sizeof(v));
}

static inline void put16(struct tb *t, uint16_t v)
{
	put(t, &v, sizeof(v));
}

static inline void put32(struct tb *t, uint32_t v)
{
	put(t, &v, sizeof(v));
}

static inline void put64(struct tb *t, uint64_t v)
{
	put(t, &v, sizeof(v));
}

static inline void put_zeros(struct tb *t, uint32_t n)
{
	while (n--)
		put8(t, 0);
}

/* DMAR header: ACPI header, host address width field, flags, 10 reserved bytes (VT-d 8.1). */
static inline void tb_init(struct tb *t, uint8_t haw_field, uint8_t flags)
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
static inline uint32_t tb_open(struct tb *t, uint16_t type)
{
	uint32_t at = t->len;

	put16(t, type);
	put16(t, 0);
	return at;
}

static inline void tb_close(struct tb *t, uint32_t at)
{
	uint16_t len = (uint16_t)(t->len - at);

	memcpy(t->b + at + 2, &len, sizeof(len));
}

/* Device scope (VT-d 8.3.1) with @pairs (device, function) pairs from @path; returns its offset. */
static inline uint32_t tb_scope(struct tb *t, uint8_t type, uint8_t enum_id, uint8_t bus,
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

static inline uint32_t tb_ep(struct tb *t, uint8_t bus, uint8_t dev, uint8_t fn)
{
	const uint8_t path[2] = { dev, fn };

	return tb_scope(t, DMAR_SCOPE_PCI_ENDPOINT, 0, bus, 1, path);
}

/* Opens a DRHD (VT-d 8.3): flags, size, segment, register base; scopes follow. */
static inline uint32_t tb_drhd(struct tb *t, uint8_t flags, uint8_t size, uint16_t seg,
			       uint64_t base)
{
	uint32_t at = tb_open(t, DMAR_TYPE_DRHD);

	put8(t, flags);
	put8(t, size);
	put16(t, seg);
	put64(t, base);
	return at;
}

/* A closed DRHD with one endpoint scope 00:02.0. */
static inline uint32_t tb_drhd_ep(struct tb *t, uint8_t flags, uint16_t seg, uint64_t base)
{
	uint32_t at = tb_drhd(t, flags, 0, seg, base);

	tb_ep(t, 0, 2, 0);
	tb_close(t, at);
	return at;
}

/* Opens an RMRR (VT-d 8.4): reserved, segment, base, limit; scopes follow. */
static inline uint32_t tb_rmrr(struct tb *t, uint16_t seg, uint64_t base, uint64_t limit)
{
	uint32_t at = tb_open(t, DMAR_TYPE_RMRR);

	put16(t, 0);
	put16(t, seg);
	put64(t, base);
	put64(t, limit);
	return at;
}

/* A closed RMRR with one endpoint scope 00:14.0. */
static inline uint32_t tb_rmrr_ep(struct tb *t, uint64_t base, uint64_t limit)
{
	uint32_t at = tb_rmrr(t, 0, base, limit);

	tb_ep(t, 0, 0x14, 0);
	tb_close(t, at);
	return at;
}

/* Opens an ATSR (8.5), SATC (8.8) or SIDP (8.9): flags (reserved in SIDP), reserved, segment. */
static inline uint32_t tb_seg_struct(struct tb *t, uint16_t type, uint8_t flags, uint16_t seg)
{
	uint32_t at = tb_open(t, type);

	put8(t, flags);
	put8(t, 0);
	put16(t, seg);
	return at;
}

/* A closed RHSA (VT-d 8.6). */
static inline uint32_t tb_rhsa(struct tb *t, uint64_t base, uint32_t domain)
{
	uint32_t at = tb_open(t, DMAR_TYPE_RHSA);

	put32(t, 0);
	put64(t, base);
	put32(t, domain);
	tb_close(t, at);
	return at;
}

/* A closed ANDD (VT-d 8.7) whose name field holds exactly @n bytes of @name. */
static inline uint32_t tb_andd(struct tb *t, uint8_t number, const char *name, uint32_t n)
{
	uint32_t at = tb_open(t, DMAR_TYPE_ANDD);

	put_zeros(t, 3);
	put8(t, number);
	put(t, name, n);
	tb_close(t, at);
	return at;
}

/* Patches the length field and makes the bytes sum to 0. */
static inline void tb_finish(struct tb *t)
{
	memcpy(t->b + OFF_LENGTH, &t->len, sizeof(t->len));
	acpi_tb_checksum(t->b, t->len, OFF_CHECKSUM);
}

/* ---- a valid table with every structure type ---- */

/* Where build_all_types() put each structure and scope (table offsets). */
struct all_types {
	uint32_t drhd0, drhd1, rmrr, atsr, rhsa, andd, satc, sidp;
	uint32_t sc_gfx, sc_ioapic, sc_hpet, sc_acpi, sc_rmrr0, sc_rmrr1, sc_atsr, sc_satc, sc_sidp;
};

static inline void build_all_types(struct tb *t, struct all_types *o)
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

/* ---- parsing and notes ---- */

static inline void dump_notes(const char *what)
{
	for (uint32_t i = 0; i < T->notes.count; i++)
		printf("  %s: note %u kind %u at 0x%x: %s\n", what, i, T->notes.items[i].kind,
		       T->notes.items[i].offset, T->notes.items[i].text);
}

/* Parses @avail bytes of @p from a heap copy of exactly that size, so ASan sees any overread. */
static inline int parse_bytes(const uint8_t *p, size_t avail)
{
	uint8_t *copy = acpi_tb_heap_copy(p, avail);
	int ret = dmar_parse(copy, avail, T);

	free(copy);
	return ret;
}

static inline int parse(const struct tb *t)
{
	return parse_bytes(t->b, t->len);
}

static inline void parse_ok(const struct tb *t)
{
	assert_int_equal(parse(t), 0);
}

static inline unsigned int notes_of(enum acpi_note_kind kind)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < T->notes.count; i++)
		n += T->notes.items[i].kind == kind;
	return n;
}

/* Asserts a note of @kind at @off whose text contains the formatted words. */
static inline void __attribute__((format(printf, 3, 4)))
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
static inline void expect_only(enum acpi_note_kind kind, unsigned int n)
{
	if (notes_of(kind) != n || T->notes.count != n)
		dump_notes("unexpected");
	assert_int_equal(notes_of(kind), n);
	assert_int_equal(T->notes.count, n);
}

static inline void expect_scope(const struct dmar_scope *s, uint32_t off, uint8_t type,
				uint8_t enum_id, uint8_t bus, uint8_t dev, uint8_t fn)
{
	assert_int_equal(s->offset, off);
	assert_int_equal(s->type, type);
	assert_int_equal(s->enum_id, enum_id);
	assert_int_equal(s->start_bus, bus);
	assert_int_equal(s->path_len, 1);
	assert_int_equal(s->path[0][0], dev);
	assert_int_equal(s->path[0][1], fn);
}

static inline int dmar_setup(void **state)
{
	(void)state;
	T = malloc(sizeof(*T));
	return T ? 0 : -1;
}

static inline int dmar_teardown(void **state)
{
	(void)state;
	free(T);
	return 0;
}

#endif
