/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the shadow first-stage tests (test_shadow.c, test_shadow_budget.c): guest RAM
 * with hand-written first-stage tables, a fake device view, a fake host domain that records every
 * map and unmap call. Header-only: each test program has its own copy of the state.
 *
 * The shadow first stage (vmm/shadow.c): a guest's first-stage table, written by hand into a
 * buffer that acts as guest RAM, composed with a fake device view (a few ranges with host
 * addresses and permissions, looked up as dev_view_lookup() would) into a fake host domain that
 * records every map and unmap call and keeps the mapped intervals, so each test checks the
 * exact calls and what the domain holds afterwards.
 *
 * Guest first-stage entries (VT-d 9.7): P = bit 0 (0x1), R/W = bit 1 (0x2), U/S = bit 2 (0x4),
 * PS = bit 7 (0x80), address bits 51:12. Non-leaf entries are "table | P | R/W | U/S" (0x7).
 *
 * The default view (guest-physical -> host-physical, permissions):
 *   ram0   0x000000-0x3fffff -> 0x80000000  RW   (guest tables live at 0x100000 up)
 *   ram1a  0x400000-0x4fffff -> 0x90000000  RW
 *   ram1b  0x500000-0x5fffff -> 0x98000000  RW   (host not contiguous with ram1a)
 *   rom    0x600000-0x60ffff -> 0xa0000000  R    (or left out, per test)
 *   hole   0x610000-0x7fffff
 *   ram2   0x800000-0x9fffff -> 0x80400000  RW   (host continues ram0's backing)
 *   the MSI window 0xfee00000-0xfeefffff is not in the view.
 */
#ifndef SKIFF_TESTS_UNIT_SHADOW_FIXTURE_H
#define SKIFF_TESTS_UNIT_SHADOW_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/iommu.h"
#include "tests/unit/fake_console.h"
#include "vmm/gmem.h"
#include "vmm/shadow.h"

#define PAGE	  0x1000ull
#define MIB	  0x100000ull
#define GIB	  0x40000000ull
#define GRAM	  0x800000ull /* guest memory the read_table callback serves: [0, 8 MiB) */
#define TABLES	  0x100000ull /* first guest table page */
#define ROM_GPA	  0x600000ull
#define ROM_SIZE  0x10000ull
#define HOLE_GPA  0x700000ull
#define RAM2_GPA  0x800000ull
#define MSI_BASE  0xfee00000ull
#define MSI_SIZE  0x100000ull
#define HALF_4	  (1ull << 47) /* lower canonical half, 4 levels */
#define HALF_5	  (1ull << 56)
#define PML4_SPAN (1ull << 39) /* bytes one PML4 entry maps */
#define VM_NAME	  "vm0"
#define PASID	  1u

/* First-stage entry bits (VT-d 9.7). */
#define FS_P	0x1ull
#define FS_RW	0x2ull
#define FS_US	0x4ull
#define FS_PS	0x80ull
#define FS_PRU	0x7ull /* P | R/W | U/S */
#define FS_PU	0x5ull /* P | U/S: read-only */
#define FS_ADDR 0x000ffffffffff000ull

#define MAX_RECS 64
#define MAX_VIEW 8
#define MAX_HOST 64

static uint64_t gram[GRAM / 8] __attribute__((aligned(4096)));
static uint64_t next_table;

struct view_range {
	uint64_t gpa, size, hpa;
	unsigned int prot;
};
static struct view_range view[MAX_VIEW];
static unsigned int nview;
static int lookup_error;      /* when not 0, lookup() returns it */
static bool lookup_gap;	      /* with -ENOENT, report the bytes to the next range in @run */
static unsigned int nlookups; /* lookup() calls */

struct rec {
	uint64_t iova, hpa, size;
	unsigned int prot;
};
static struct rec maps[MAX_RECS], unmaps[MAX_RECS];
static unsigned int nmaps, nunmaps;
static unsigned int fail_map_at; /* 1-based map call that fails with -ENOMEM; 0: none */

/* The fake host domain: disjoint mapped intervals. */
static struct rec host[MAX_HOST];
static unsigned int nhost;

static struct shadow sh;
static struct shadow_stats st;
static uint64_t budget; /* the cfg.budget of shadow_setup() */

/* ---- Guest memory and tables ---- */

static inline uint64_t *gtab(uint64_t gpa)
{
	assert_true(gpa < GRAM);
	return &gram[gpa / 8];
}

static inline uint64_t table_page(void)
{
	uint64_t gpa = next_table;

	next_table += PAGE;
	memset(gtab(gpa), 0, PAGE);
	return gpa;
}

static inline unsigned int ix(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> (12 + 9 * (level - 1))) & 0x1ff);
}

/*
 * Set the entry at @level for @va in the @levels-level table at @root to @e, creating missing
 * tables above with "table | P | R/W | U/S".
 */
static inline void gmap(uint64_t root, unsigned int levels, uint64_t va, unsigned int level,
			uint64_t e)
{
	uint64_t table = root;

	for (unsigned int l = levels; l > level; l--) {
		uint64_t *p = &gtab(table)[ix(va, l)];

		if (!(*p & FS_P))
			*p = table_page() | FS_PRU;
		table = *p & FS_ADDR;
	}
	gtab(table)[ix(va, level)] = e;
}

/* The entry at @level for @va (the tables above exist). */
static inline uint64_t *gentry(uint64_t root, unsigned int levels, uint64_t va, unsigned int level)
{
	uint64_t table = root;

	for (unsigned int l = levels; l > level; l--)
		table = gtab(table)[ix(va, l)] & FS_ADDR;
	return &gtab(table)[ix(va, level)];
}

/* Move the table used at @level for @va to guest-physical @gpa and relink its parent entry. */
static inline void move_table(uint64_t root, unsigned int levels, uint64_t va, unsigned int level,
			      uint64_t gpa)
{
	uint64_t *parent = gentry(root, levels, va, level + 1);

	memcpy(gtab(gpa), gtab(*parent & FS_ADDR), PAGE);
	*parent = gpa | (*parent & ~FS_ADDR);
}

/* ---- The fake view ---- */

static inline void view_add(uint64_t gpa, uint64_t size, uint64_t hpa, unsigned int prot)
{
	assert_true(nview < MAX_VIEW);
	view[nview++] = (struct view_range){ gpa, size, hpa, prot };
}

/* The default view, with the ROM range mapped with @rom_prot (0: left out). */
static inline void view_default(unsigned int rom_prot)
{
	nview = 0;
	view_add(0x000000, 0x400000, 0x80000000, IOMMU_RW);
	view_add(0x400000, 0x100000, 0x90000000, IOMMU_RW);
	view_add(0x500000, 0x100000, 0x98000000, IOMMU_RW);
	if (rom_prot)
		view_add(ROM_GPA, ROM_SIZE, 0xa0000000, rom_prot);
	view_add(RAM2_GPA, 0x200000, 0x80400000, IOMMU_RW);
}

static inline const uint64_t *cb_read_table(void *arg, uint64_t gpa)
{
	(void)arg;
	assert_int_equal(gpa & (PAGE - 1), 0);
	return gpa < GRAM ? &gram[gpa / 8] : NULL;
}

static inline int cb_lookup(void *arg, uint64_t gpa, uint64_t *hpa, unsigned int *prot,
			    uint64_t *run)
{
	uint64_t gap = UINT64_MAX;

	(void)arg;
	nlookups++;
	assert_int_equal(*run, 0);
	if (lookup_error)
		return lookup_error;
	for (unsigned int i = 0; i < nview; i++) {
		const struct view_range *v = &view[i];

		if (gpa >= v->gpa && gpa - v->gpa < v->size) {
			*hpa = v->hpa + (gpa - v->gpa);
			*prot = v->prot;
			*run = v->size - (gpa - v->gpa);
			return 0;
		}
		if (v->gpa > gpa && v->gpa - gpa < gap)
			gap = v->gpa - gpa;
	}
	if (lookup_gap)
		*run = gap;
	return -ENOENT;
}

/* ---- The fake host domain ---- */

static inline int cb_map(void *arg, uint64_t iova, uint64_t hpa, uint64_t size, unsigned int prot)
{
	(void)arg;
	assert_true(nmaps < MAX_RECS);
	maps[nmaps++] = (struct rec){ iova, hpa, size, prot };
	assert_int_equal((iova | hpa | size) & (PAGE - 1), 0);
	assert_true(size > 0);
	assert_true(prot & IOMMU_READ);
	if (fail_map_at && nmaps == fail_map_at)
		return -ENOMEM;
	for (unsigned int i = 0; i < nhost; i++)
		if (iova < host[i].iova + host[i].size && host[i].iova < iova + size)
			return -EEXIST;
	assert_true(nhost < MAX_HOST);
	host[nhost++] = (struct rec){ iova, hpa, size, prot };
	return 0;
}

/* Remove [@iova, @iova + @size) from the host intervals, trimming and splitting them. */
static inline int64_t cb_unmap(void *arg, uint64_t iova, uint64_t size)
{
	uint64_t end = iova + size;
	int64_t bytes = 0;
	struct rec keep[MAX_HOST];
	unsigned int n = 0;

	(void)arg;
	assert_true(nunmaps < MAX_RECS);
	unmaps[nunmaps++] = (struct rec){ iova, 0, size, 0 };
	for (unsigned int i = 0; i < nhost; i++) {
		struct rec h = host[i];
		uint64_t hend = h.iova + h.size;

		if (hend <= iova || h.iova >= end) {
			keep[n++] = h;
			continue;
		}
		bytes += (int64_t)((hend < end ? hend : end) - (h.iova > iova ? h.iova : iova));
		if (h.iova < iova)
			keep[n++] = (struct rec){ h.iova, h.hpa, iova - h.iova, h.prot };
		if (hend > end)
			keep[n++] = (struct rec){ end, h.hpa + (end - h.iova), hend - end, h.prot };
		assert_true(n <= MAX_HOST);
	}
	memcpy(host, keep, n * sizeof(keep[0]));
	nhost = n;
	return bytes ? bytes : -ENOENT;
}

/* Bytes of the host domain mapped. */
static inline uint64_t host_bytes(void)
{
	uint64_t b = 0;

	for (unsigned int i = 0; i < nhost; i++)
		b += host[i].size;
	return b;
}

/* Does the host domain map @iova to @hpa with @prot? */
static inline bool host_maps(uint64_t iova, uint64_t hpa, unsigned int prot)
{
	for (unsigned int i = 0; i < nhost; i++)
		if (iova >= host[i].iova && iova - host[i].iova < host[i].size)
			return host[i].hpa + (iova - host[i].iova) == hpa && host[i].prot == prot;
	return false;
}

static inline bool host_has(uint64_t iova)
{
	for (unsigned int i = 0; i < nhost; i++)
		if (iova >= host[i].iova && iova - host[i].iova < host[i].size)
			return true;
	return false;
}

static inline void expect_map(unsigned int i, uint64_t iova, uint64_t hpa, uint64_t size,
			      unsigned int prot)
{
	assert_true(i < nmaps);
	assert_int_equal(maps[i].iova, iova);
	assert_int_equal(maps[i].hpa, hpa);
	assert_int_equal(maps[i].size, size);
	assert_int_equal(maps[i].prot, prot);
}

static inline void expect_unmap(unsigned int i, uint64_t iova, uint64_t size)
{
	assert_true(i < nunmaps);
	assert_int_equal(unmaps[i].iova, iova);
	assert_int_equal(unmaps[i].size, size);
}

static inline void forget_calls(void)
{
	nmaps = 0;
	nunmaps = 0;
}

/* A shadow of the guest table at @root with @levels levels over a host domain of @iova_bits. */
static inline void shadow_setup(uint64_t root, unsigned int levels, unsigned int iova_bits,
				bool fs1gp)
{
	const struct shadow_cfg cfg = { .root = root,
					.levels = levels,
					.fs1gp = fs1gp,
					.iova_bits = iova_bits,
					.budget = budget,
					.vm = VM_NAME,
					.pasid = PASID };
	const struct shadow_ops ops = {
		.read_table = cb_read_table, .lookup = cb_lookup, .map = cb_map, .unmap = cb_unmap
	};

	assert_int_equal(shadow_init(&sh, &cfg, &ops), 0);
}

static inline int reset(void **state)
{
	(void)state;
	memset(gram, 0, sizeof(gram));
	next_table = TABLES;
	view_default(IOMMU_READ);
	lookup_error = 0;
	lookup_gap = false;
	nlookups = 0;
	nmaps = nunmaps = nhost = 0;
	fail_map_at = 0;
	budget = SHADOW_STEPS_MIN;
	fake_console_reset();
	memset(&st, 0xa5, sizeof(st)); /* shadow_build() must write every field */
	return 0;
}

#endif
