// SPDX-License-Identifier: MIT
/*
 * DMA Remapping Reporting table parser (VT-d 5.0, chapter 8). Untrusted bytes in, fixed-size
 * arrays and notes out; every read is bounded by the table's length, which acpi_sdt_check() has
 * bounded by the bytes available.
 *
 * What happens to each problem (an ERROR note always means the part at its offset was ignored):
 *   walk (8.2):   a structure length below the 4-byte structure header, a structure running
 *                 past the table end, or trailing bytes too few for a header: ERROR, the walk
 *                 stops (the next structure cannot be found). A structure shorter than its
 *                 type's fixed part: ERROR, skipped. An unknown type: INFO, skipped (the spec
 *                 reserves types for future use). More structures of a kind than DMAR_MAX_*:
 *                 ERROR, the excess ignored.
 *   header (8.1): a host address width outside 12..64 bits: WARN (Linux refuses widths below
 *                 12; here the IOMMU driver decides).
 *   DRHD (8.3):   register base 0, or a register set overlapping an earlier unit's (the same
 *                 base included), or a second INCLUDE_PCI_ALL unit for one segment: ERROR, the
 *                 later unit ignored (Linux goes further on base 0: it turns VT-d off for the
 *                 whole table; the platform model decides what a missing unit means). Reserved size
 *                 bits, a base not aligned to the register set size, or an INCLUDE_PCI_ALL unit
 *                 that is not the last of its segment: WARN, kept (Linux sorts INCLUDE_PCI_ALL
 *                 units last itself).
 *   RMRR (8.4):   limit below base: ERROR, ignored (no region to reserve). Base or limit + 1 not
 *                 4 KiB aligned, or overlapping an earlier RMRR: WARN, kept (Linux warns about
 *                 misaligned RMRRs and keeps them).
 *   RHSA (8.6):   a register base naming no DRHD: WARN, kept (Linux warns too).
 *   ANDD (8.7):   an object name without NUL inside the structure (as Linux) or longer than
 *                 DMAR_ANDD_NAME_MAX - 1 characters: ERROR, ignored.
 *   scopes (8.3.1): a scope shorter than 6 bytes, with an odd number of path bytes, or running
 *                 past its structure: ERROR, the structure's remaining scopes ignored (the
 *                 structure is kept). An empty path, a path longer than DMAR_MAX_PATH, or more
 *                 than DMAR_MAX_SCOPES scopes: ERROR, that scope ignored. An unknown scope type:
 *                 INFO, skipped.
 */
#include "kernel/acpi/dmar.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "kernel/acpi/acpi_sdt.h"

/* DMAR header (VT-d 8.1). */
#define DMAR_SIGNATURE	 "DMAR"
#define DMAR_OFF_HAW	 36 /* host address width minus one */
#define DMAR_OFF_FLAGS	 37
#define DMAR_OFF_STRUCTS 48 /* after 10 reserved bytes */
#define DMAR_MIN_LENGTH	 DMAR_OFF_STRUCTS
#define HAW_MIN_BITS	 12 /* one 4 KiB page */
#define HAW_MAX_BITS	 64

/* Remapping structure header (VT-d 8.2). */
#define RS_OFF_TYPE   0
#define RS_OFF_LENGTH 2
#define RS_HEADER_LEN 4

/* DRHD (VT-d 8.3). */
#define DRHD_OFF_FLAGS	 4
#define DRHD_OFF_SIZE	 5
#define DRHD_OFF_SEGMENT 6
#define DRHD_OFF_BASE	 8
#define DRHD_OFF_SCOPES	 16
#define DRHD_SIZE_MASK	 0x0f /* bits 3:0: 2^size 4 KiB pages; bits 7:4 reserved */

/* RMRR (VT-d 8.4). */
#define RMRR_OFF_SEGMENT 6
#define RMRR_OFF_BASE	 8
#define RMRR_OFF_LIMIT	 16
#define RMRR_OFF_SCOPES	 24

/* ATSR (VT-d 8.5). */
#define ATSR_OFF_FLAGS	 4
#define ATSR_OFF_SEGMENT 6
#define ATSR_OFF_SCOPES	 8

/* RHSA (VT-d 8.6). */
#define RHSA_OFF_BASE	8
#define RHSA_OFF_DOMAIN 16
#define RHSA_LENGTH	20

/* ANDD (VT-d 8.7). */
#define ANDD_OFF_DEVICE_NUMBER 7
#define ANDD_OFF_NAME	       8

/* SATC (VT-d 8.8). */
#define SATC_OFF_FLAGS	 4
#define SATC_OFF_SEGMENT 6
#define SATC_OFF_SCOPES	 8

/* SIDP (VT-d 8.9). */
#define SIDP_OFF_SEGMENT 6
#define SIDP_OFF_SCOPES	 8

/* Device scope entry (VT-d 8.3.1): a 6-byte header, then (device, function) pairs. */
#define SCOPE_OFF_TYPE	     0
#define SCOPE_OFF_LENGTH     1
#define SCOPE_OFF_FLAGS	     2
#define SCOPE_OFF_ENUM_ID    4
#define SCOPE_OFF_START_BUS  5
#define SCOPE_OFF_PATH	     6
#define SCOPE_PATH_ENTRY_LEN 2

#define VTD_PAGE_SIZE 4096ull
#define KIB	      1024ull

struct parse {
	const uint8_t *buf;
	uint32_t len; /* the table's length field, <= the bytes available */
	struct dmar_table *out;
};

/* One remapping structure being parsed: the name its notes use, its offset and length. */
struct rs {
	const char *name;
	uint32_t off;
	uint32_t len;
};

#define NOTE(p, kind, off, ...) acpi_note(&(p)->out->notes, ACPI_NOTE_##kind, (off), __VA_ARGS__)

static bool ranges_overlap(uint64_t a_first, uint64_t a_last, uint64_t b_first, uint64_t b_last)
{
	return a_first <= b_last && b_first <= a_last;
}

/* Whether there is room for one more structure of @rs's kind; notes the overflow if not. */
static bool room(struct parse *p, const struct rs *rs, uint16_t nr, uint16_t max)
{
	if (nr < max)
		return true;
	NOTE(p, ERROR, rs->off, "%s at 0x%x: more than %u %s structures; ignored", rs->name,
	     rs->off, max, rs->name);
	return false;
}

/*
 * Returns the length of the device scope at @off (VT-d 8.3.1), or 0 when it cannot be delimited
 * inside its structure: the structure's remaining scopes are then ignored.
 */
static uint32_t scope_length(struct parse *p, const struct rs *rs, uint32_t off)
{
	uint32_t left = rs->off + rs->len - off;
	uint8_t len;

	if (left < SCOPE_OFF_PATH) {
		NOTE(p, ERROR, off,
		     "%s at 0x%x: device scope at 0x%x runs past the structure "
		     "(%u bytes left, a scope needs %d)",
		     rs->name, rs->off, off, left, SCOPE_OFF_PATH);
		return 0;
	}
	len = p->buf[off + SCOPE_OFF_LENGTH];
	if (len < SCOPE_OFF_PATH || (len - SCOPE_OFF_PATH) % SCOPE_PATH_ENTRY_LEN) {
		NOTE(p, ERROR, off,
		     "%s at 0x%x: device scope at 0x%x: length %u is not 6 + 2 * path entries; "
		     "rest ignored",
		     rs->name, rs->off, off, len);
		return 0;
	}
	if (len > left) {
		NOTE(p, ERROR, off,
		     "%s at 0x%x: device scope at 0x%x runs past the structure "
		     "(length %u, %u bytes left)",
		     rs->name, rs->off, off, len, left);
		return 0;
	}
	return len;
}

/* Adds the device scope at @off of length @len (VT-d 8.3.1) to @list, unless it is unusable. */
static void add_scope(struct parse *p, const struct rs *rs, uint32_t off, uint32_t len,
		      struct dmar_scope_list *list)
{
	const uint8_t *s = p->buf + off;
	uint32_t pairs = (len - SCOPE_OFF_PATH) / SCOPE_PATH_ENTRY_LEN;
	struct dmar_scope *sc;

	if (s[SCOPE_OFF_TYPE] < DMAR_SCOPE_PCI_ENDPOINT ||
	    s[SCOPE_OFF_TYPE] > DMAR_SCOPE_ACPI_NAMESPACE) {
		NOTE(p, INFO, off, "%s at 0x%x: device scope at 0x%x has unknown type %u; skipped",
		     rs->name, rs->off, off, s[SCOPE_OFF_TYPE]);
		return;
	}
	if (!pairs || pairs > DMAR_MAX_PATH) {
		NOTE(p, ERROR, off,
		     "%s at 0x%x: device scope at 0x%x has %u path entries (1 to %d allowed); "
		     "ignored",
		     rs->name, rs->off, off, pairs, DMAR_MAX_PATH);
		return;
	}
	if (p->out->nr_scopes == DMAR_MAX_SCOPES) {
		NOTE(p, ERROR, off,
		     "%s at 0x%x: device scope at 0x%x: more than %d scopes in the table; ignored",
		     rs->name, rs->off, off, DMAR_MAX_SCOPES);
		return;
	}
	sc = &p->out->scopes[p->out->nr_scopes++];
	sc->type = s[SCOPE_OFF_TYPE];
	sc->flags = s[SCOPE_OFF_FLAGS];
	sc->enum_id = s[SCOPE_OFF_ENUM_ID];
	sc->start_bus = s[SCOPE_OFF_START_BUS];
	sc->path_len = pairs;
	memcpy(sc->path, s + SCOPE_OFF_PATH, pairs * SCOPE_PATH_ENTRY_LEN);
	sc->offset = off;
	list->count++;
}

/* Parses the device scopes of @rs from @off to the structure's end (VT-d 8.3.1). */
static struct dmar_scope_list parse_scopes(struct parse *p, const struct rs *rs, uint32_t off)
{
	struct dmar_scope_list list = { .first = p->out->nr_scopes, .count = 0 };
	uint32_t end = rs->off + rs->len, len;

	while (off < end) {
		len = scope_length(p, rs, off);
		if (!len)
			break;
		add_scope(p, rs, off, len, &list);
		off += len;
	}
	return list;
}

uint64_t dmar_drhd_bytes(const struct dmar_drhd *d)
{
	return VTD_PAGE_SIZE << d->size;
}

/* The last byte of @d's register set, or UINT64_MAX when it would wrap. */
static uint64_t drhd_last(const struct dmar_drhd *d)
{
	uint64_t span = dmar_drhd_bytes(d) - 1;

	return d->base > UINT64_MAX - span ? UINT64_MAX : d->base + span;
}

/* The first kept unit whose register set overlaps @d's, or NULL. */
static const struct dmar_drhd *drhd_overlapping(const struct dmar_table *t,
						const struct dmar_drhd *d)
{
	for (unsigned int i = 0; i < t->nr_drhd; i++)
		if (ranges_overlap(d->base, drhd_last(d), t->drhd[i].base, drhd_last(&t->drhd[i])))
			return &t->drhd[i];
	return NULL;
}

/* The kept INCLUDE_PCI_ALL unit of @segment, or NULL. */
static const struct dmar_drhd *drhd_catch_all(const struct dmar_table *t, uint16_t segment)
{
	for (unsigned int i = 0; i < t->nr_drhd; i++)
		if (t->drhd[i].flags & DRHD_FLAG_INCLUDE_PCI_ALL && t->drhd[i].segment == segment)
			return &t->drhd[i];
	return NULL;
}

/*
 * Whether the unit @d may be kept (VT-d 8.3): it has a register base, its register set is its
 * own, and it is the only INCLUDE_PCI_ALL unit of its segment.
 */
static bool drhd_usable(struct parse *p, const struct dmar_drhd *d)
{
	const struct dmar_drhd *o;

	if (!d->base) {
		NOTE(p, ERROR, d->offset, "DRHD at 0x%x: register base address is 0; ignored",
		     d->offset);
		return false;
	}
	o = drhd_overlapping(p->out, d);
	if (o) {
		NOTE(p, ERROR, d->offset,
		     "DRHD at 0x%x: registers 0x%llx-0x%llx overlap those of the DRHD at 0x%x; "
		     "ignored",
		     d->offset, (unsigned long long)d->base, (unsigned long long)drhd_last(d),
		     o->offset);
		return false;
	}
	o = d->flags & DRHD_FLAG_INCLUDE_PCI_ALL ? drhd_catch_all(p->out, d->segment) : NULL;
	if (o) {
		NOTE(p, ERROR, d->offset,
		     "DRHD at 0x%x: second INCLUDE_PCI_ALL unit of segment %u "
		     "(the first is at 0x%x); ignored",
		     d->offset, d->segment, o->offset);
		return false;
	}
	return true;
}

/* Notes a register set size field with reserved bits or not matching the base (VT-d 8.3). */
static void check_drhd_size(struct parse *p, const struct dmar_drhd *d, uint8_t size_field)
{
	if (size_field & ~DRHD_SIZE_MASK)
		NOTE(p, WARN, d->offset + DRHD_OFF_SIZE,
		     "DRHD at 0x%x: size field 0x%02x sets reserved bits 7:4; bits 3:0 used",
		     d->offset, size_field);
	if (d->base & (dmar_drhd_bytes(d) - 1))
		NOTE(p, WARN, d->offset + DRHD_OFF_BASE,
		     "DRHD at 0x%x: register base 0x%llx is not aligned to its "
		     "%llu KiB register set",
		     d->offset, (unsigned long long)d->base,
		     (unsigned long long)(dmar_drhd_bytes(d) / KIB));
}

/* DMA-remapping hardware unit definition (VT-d 8.3). */
static void parse_drhd(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	struct dmar_drhd d = {
		.flags = s[DRHD_OFF_FLAGS],
		.size = s[DRHD_OFF_SIZE] & DRHD_SIZE_MASK,
		.segment = acpi_get16(s + DRHD_OFF_SEGMENT),
		.base = acpi_get64(s + DRHD_OFF_BASE),
		.offset = rs->off,
	};

	if (!room(p, rs, p->out->nr_drhd, DMAR_MAX_DRHD) || !drhd_usable(p, &d))
		return;
	check_drhd_size(p, &d, s[DRHD_OFF_SIZE]);
	d.scopes = parse_scopes(p, rs, rs->off + DRHD_OFF_SCOPES);
	p->out->drhd[p->out->nr_drhd++] = d;
}

/* Notes every earlier RMRR whose region overlaps @r's (VT-d 8.4). */
static void check_rmrr_overlaps(struct parse *p, const struct dmar_rmrr *r)
{
	for (unsigned int i = 0; i < p->out->nr_rmrr; i++) {
		const struct dmar_rmrr *o = &p->out->rmrr[i];

		if (ranges_overlap(r->base, r->limit, o->base, o->limit))
			NOTE(p, WARN, r->offset,
			     "RMRR at 0x%x: region 0x%llx-0x%llx overlaps the RMRR at 0x%x "
			     "(0x%llx-0x%llx)",
			     r->offset, (unsigned long long)r->base, (unsigned long long)r->limit,
			     o->offset, (unsigned long long)o->base, (unsigned long long)o->limit);
	}
}

/* Reserved memory region reporting (VT-d 8.4). */
static void parse_rmrr(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	struct dmar_rmrr r = {
		.segment = acpi_get16(s + RMRR_OFF_SEGMENT),
		.base = acpi_get64(s + RMRR_OFF_BASE),
		.limit = acpi_get64(s + RMRR_OFF_LIMIT),
		.offset = rs->off,
	};

	if (!room(p, rs, p->out->nr_rmrr, DMAR_MAX_RMRR))
		return;
	if (r.limit < r.base) {
		NOTE(p, ERROR, rs->off, "RMRR at 0x%x: limit 0x%llx below base 0x%llx; ignored",
		     rs->off, (unsigned long long)r.limit, (unsigned long long)r.base);
		return;
	}
	if (r.base % VTD_PAGE_SIZE || (r.limit + 1) % VTD_PAGE_SIZE)
		NOTE(p, WARN, rs->off,
		     "RMRR at 0x%x: region 0x%llx-0x%llx: base and limit + 1 must be 4 KiB aligned",
		     rs->off, (unsigned long long)r.base, (unsigned long long)r.limit);
	check_rmrr_overlaps(p, &r);
	r.scopes = parse_scopes(p, rs, rs->off + RMRR_OFF_SCOPES);
	p->out->rmrr[p->out->nr_rmrr++] = r;
}

/* Root port ATS capability reporting (VT-d 8.5). */
static void parse_atsr(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	struct dmar_atsr *a;

	if (!room(p, rs, p->out->nr_atsr, DMAR_MAX_ATSR))
		return;
	a = &p->out->atsr[p->out->nr_atsr++];
	a->flags = s[ATSR_OFF_FLAGS];
	a->segment = acpi_get16(s + ATSR_OFF_SEGMENT);
	a->offset = rs->off;
	a->scopes = parse_scopes(p, rs, rs->off + ATSR_OFF_SCOPES);
}

/* Remapping hardware static affinity (VT-d 8.6); matched against the DRHDs after the walk. */
static void parse_rhsa(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	struct dmar_rhsa *r;

	if (!room(p, rs, p->out->nr_rhsa, DMAR_MAX_RHSA))
		return;
	r = &p->out->rhsa[p->out->nr_rhsa++];
	r->base = acpi_get64(s + RHSA_OFF_BASE);
	r->proximity_domain = acpi_get32(s + RHSA_OFF_DOMAIN);
	r->offset = rs->off;
}

/* ACPI name-space device declaration (VT-d 8.7): the name must end inside the structure. */
static void parse_andd(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	const uint8_t *name = s + ANDD_OFF_NAME;
	const uint8_t *nul = memchr(name, '\0', rs->len - ANDD_OFF_NAME);
	struct dmar_andd *a;

	if (!room(p, rs, p->out->nr_andd, DMAR_MAX_ANDD))
		return;
	if (!nul) {
		NOTE(p, ERROR, rs->off,
		     "ANDD at 0x%x: object name has no NUL inside the structure "
		     "(length %u); ignored",
		     rs->off, rs->len);
		return;
	}
	if (nul - name >= DMAR_ANDD_NAME_MAX) {
		NOTE(p, ERROR, rs->off,
		     "ANDD at 0x%x: object name of %u characters, more than the %d "
		     "supported; ignored",
		     rs->off, (unsigned int)(nul - name), DMAR_ANDD_NAME_MAX - 1);
		return;
	}
	a = &p->out->andd[p->out->nr_andd++];
	a->device_number = s[ANDD_OFF_DEVICE_NUMBER];
	memcpy(a->name, name, nul - name + 1);
	a->offset = rs->off;
}

/* SoC integrated address translation cache (VT-d 8.8). */
static void parse_satc(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	struct dmar_satc *a;

	if (!room(p, rs, p->out->nr_satc, DMAR_MAX_SATC))
		return;
	a = &p->out->satc[p->out->nr_satc++];
	a->flags = s[SATC_OFF_FLAGS];
	a->segment = acpi_get16(s + SATC_OFF_SEGMENT);
	a->offset = rs->off;
	a->scopes = parse_scopes(p, rs, rs->off + SATC_OFF_SCOPES);
}

/* SoC integrated device property (VT-d 8.9). */
static void parse_sidp(struct parse *p, const struct rs *rs)
{
	const uint8_t *s = p->buf + rs->off;
	struct dmar_sidp *d;

	if (!room(p, rs, p->out->nr_sidp, DMAR_MAX_SIDP))
		return;
	d = &p->out->sidp[p->out->nr_sidp++];
	d->segment = acpi_get16(s + SIDP_OFF_SEGMENT);
	d->offset = rs->off;
	d->scopes = parse_scopes(p, rs, rs->off + SIDP_OFF_SCOPES);
}

struct rs_kind {
	const char *name;
	uint32_t fixed_len; /* bytes before the variable part (scopes, name) */
	void (*parse)(struct parse *p, const struct rs *rs);
};

/* Remapping structure types (VT-d 8.2). */
static const struct rs_kind rs_kinds[] = {
	[DMAR_TYPE_DRHD] = { "DRHD", DRHD_OFF_SCOPES, parse_drhd },
	[DMAR_TYPE_RMRR] = { "RMRR", RMRR_OFF_SCOPES, parse_rmrr },
	[DMAR_TYPE_ATSR] = { "ATSR", ATSR_OFF_SCOPES, parse_atsr },
	[DMAR_TYPE_RHSA] = { "RHSA", RHSA_LENGTH, parse_rhsa },
	[DMAR_TYPE_ANDD] = { "ANDD", ANDD_OFF_NAME, parse_andd },
	[DMAR_TYPE_SATC] = { "SATC", SATC_OFF_SCOPES, parse_satc },
	[DMAR_TYPE_SIDP] = { "SIDP", SIDP_OFF_SCOPES, parse_sidp },
};

#define NR_RS_KINDS (sizeof(rs_kinds) / sizeof(rs_kinds[0]))

/* Parses one remapping structure whose length fits the table (VT-d 8.2). */
static void parse_structure(struct parse *p, uint16_t type, struct rs *rs)
{
	const struct rs_kind *k;

	if (type >= NR_RS_KINDS) {
		NOTE(p, INFO, rs->off, "structure at 0x%x: unknown type %u (length %u); skipped",
		     rs->off, type, rs->len);
		return;
	}
	k = &rs_kinds[type];
	rs->name = k->name;
	if (rs->len < k->fixed_len) {
		NOTE(p, ERROR, rs->off,
		     "%s at 0x%x: length %u below its fixed part (%u bytes); skipped", rs->name,
		     rs->off, rs->len, k->fixed_len);
		return;
	}
	k->parse(p, rs);
}

/* Walks the remapping structures (VT-d 8.2) until the table's end or unrecoverable damage. */
static void walk(struct parse *p)
{
	uint32_t off = DMAR_OFF_STRUCTS;

	while (off < p->len) {
		struct rs rs = { .off = off };
		uint32_t left = p->len - off;
		uint16_t type;

		if (left < RS_HEADER_LEN) {
			NOTE(p, ERROR, off,
			     "%u bytes at 0x%x, too few for a structure header (%d); ignored", left,
			     off, RS_HEADER_LEN);
			return;
		}
		type = acpi_get16(p->buf + off + RS_OFF_TYPE);
		rs.len = acpi_get16(p->buf + off + RS_OFF_LENGTH);
		if (rs.len < RS_HEADER_LEN) {
			NOTE(p, ERROR, off,
			     "structure at 0x%x (type %u): length %u below the %d-byte header; "
			     "rest of the table ignored",
			     off, type, rs.len, RS_HEADER_LEN);
			return;
		}
		if (rs.len > left) {
			NOTE(p, ERROR, off,
			     "structure at 0x%x (type %u): length %u runs past the table end "
			     "(%u bytes left); ignored",
			     off, type, rs.len, left);
			return;
		}
		parse_structure(p, type, &rs);
		off += rs.len;
	}
}

/* The spec requires an INCLUDE_PCI_ALL unit to be the last DRHD of its segment (VT-d 8.3). */
static void check_include_all_last(struct parse *p)
{
	const struct dmar_table *t = p->out;

	for (unsigned int i = 0; i < t->nr_drhd; i++) {
		if (!(t->drhd[i].flags & DRHD_FLAG_INCLUDE_PCI_ALL))
			continue;
		for (unsigned int j = i + 1; j < t->nr_drhd; j++) {
			if (t->drhd[j].segment != t->drhd[i].segment)
				continue;
			NOTE(p, WARN, t->drhd[i].offset,
			     "DRHD at 0x%x: INCLUDE_PCI_ALL unit is not the last of segment %u "
			     "(DRHD at 0x%x follows)",
			     t->drhd[i].offset, t->drhd[i].segment, t->drhd[j].offset);
			break;
		}
	}
}

/* An RHSA describes the DRHD with the same register base (VT-d 8.6). */
static void check_rhsa_units(struct parse *p)
{
	const struct dmar_table *t = p->out;

	for (unsigned int i = 0; i < t->nr_rhsa; i++) {
		unsigned int j = 0;

		while (j < t->nr_drhd && t->drhd[j].base != t->rhsa[i].base)
			j++;
		if (j == t->nr_drhd)
			NOTE(p, WARN, t->rhsa[i].offset,
			     "RHSA at 0x%x: register base 0x%llx matches no DRHD",
			     t->rhsa[i].offset, (unsigned long long)t->rhsa[i].base);
	}
}

/* Host address width and flags (VT-d 8.1). */
static void parse_header(struct parse *p)
{
	uint8_t field = p->buf[DMAR_OFF_HAW];
	unsigned int bits = field + 1u;

	p->out->haw_bits = (uint16_t)bits;
	p->out->flags = p->buf[DMAR_OFF_FLAGS];
	if (bits < HAW_MIN_BITS || bits > HAW_MAX_BITS)
		NOTE(p, WARN, DMAR_OFF_HAW,
		     "host address width %u bits (field 0x%02x) outside %d..%d", bits, field,
		     HAW_MIN_BITS, HAW_MAX_BITS);
}

int dmar_parse(const uint8_t *buf, size_t avail, struct dmar_table *out)
{
	struct parse p = { .buf = buf, .out = out };
	int err;

	memset(out, 0, sizeof(*out));
	err = acpi_sdt_check(buf, avail, DMAR_SIGNATURE, DMAR_MIN_LENGTH, &out->notes, &p.len);
	if (err)
		return err;
	parse_header(&p);
	walk(&p);
	check_include_all_last(&p);
	check_rhsa_units(&p);
	return 0;
}
