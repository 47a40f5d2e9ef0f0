/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the VT-d page-table tests (test_vtd_pgtable*.c): an arena of table pages with
 * made-up physical addresses, its callbacks and the helpers that read entries back. Header-only:
 * each test program has its own copy.
 *
 * iommu/vtd/vtd_pgtable.c against VT-d rev 5.0 9.8 (second-stage entries) and 9.7 (first-stage
 * entries): bit-exact entries at every level for 3, 4 and 5 levels and both formats, worked out
 * by hand from the spec's bit positions (the arithmetic is in the comments), including the
 * present-entry count each non-leaf entry keeps in its ignored bits 61:52; leaf sizes chosen
 * exactly when alignment and capabilities allow; merging (2 MiB and cascading to 1 GiB) and
 * splitting; rollback on -EEXIST and -ENOMEM (every failing allocation in turn); -ERANGE at the
 * address-width edges; the flush gather (range, IH, PSI mask) and its deferred frees; the sync
 * callback of a non-snooping unit; a randomized property test (fixed seeds, four
 * configurations) against a model of 4 KiB pages that also audits every table and checks the
 * table count is exactly the minimum for the final layout.
 * Table pages live in a host arena whose pages have made-up "physical" addresses
 * FAKE_BASE + offset (not host pointers): the code can only reach them through ops.table(),
 * which accepts only pages that are allocated. Allocations are counted and the Nth can fail.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_PGTABLE_FIXTURE_H
#define SKIFF_TESTS_UNIT_VTD_PGTABLE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/fake_pages.h"

#include "iommu/vtd/vtd_pgtable.h"
#include "iommu/vtd/vtd_regs.h"

#define ARENA_PAGES 12288
#define FAKE_BASE   0x40000000ull /* the arena's first page, as a "physical" address */
#define PAGE	    VTD_PGT_PAGE_SIZE
#define SZ_2M	    VTD_PGT_SIZE_2M
#define SZ_1G	    VTD_PGT_SIZE_1G
/* Bits 58:52 of a freed table's entries 0-5 link the gather's list (vtd_pgtable.c). */
#define LINK_FIELD 0x07f0000000000000ull

/* Second stage: R|W (bits 1:0) = 3; with PS (bit 7, 0x80) = 0x83. */
#define SS_RW	   0x3ull
#define SS_R	   0x1ull
#define SS_RW_PS   0x83ull
#define SS_RWX	   0x7ull
#define SS_NONLEAF 0x3ull
/* First stage non-leaf: P (0) | R/W (1) | U/S (2) | A (5) = 0x1 + 0x2 + 0x4 + 0x20 = 0x27. */
#define FS_NONLEAF 0x27ull
/*
 * First-stage leaf, read-write: P|R/W|U/S|A|D (6) = 0x27 + 0x40 = 0x67; no XD (bit 63) without
 * execute control (deprecated in rev 5.0, reserved with NXE = 0 before).
 */
#define FS_RW 0x67ull
/* Read-only: P|U/S|A = 0x25. */
#define FS_R 0x25ull
/* Read-write 2 MiB / 1 GiB leaf: 0x67 | PS (0x80) = 0xe7. */
#define FS_RW_PS 0xe7ull
/* XD, bit 63: only with VTD_PGT_F_EXEC, on leaves mapped without X. */
#define FS_XD 0x8000000000000000ull

struct arena {
	struct fake_pages pages; /* ARENA_PAGES table pages at FAKE_BASE */
	uint64_t *shadow;	 /* what a non-snooping unit sees: updated by sync() */
	uint64_t syncs;
	struct vtd_pgt_ops ops;
	struct vtd_pgt pgt;
	struct vtd_pgt_gather g;
};

static inline unsigned int page_of(struct arena *a, uint64_t pa)
{
	return fake_pages_index(&a->pages, pa);
}

static inline int alloc_table(void *ctx, uint64_t *pa)
{
	struct arena *a = ctx;
	int err = fake_pages_alloc(&a->pages, pa);

	if (!err)
		memset(a->shadow + (uint64_t)page_of(a, *pa) * VTD_PGT_ENTRIES, 0, PAGE);
	return err;
}

static inline void free_table(void *ctx, uint64_t pa)
{
	fake_pages_free(&((struct arena *)ctx)->pages, pa);
}

static inline uint64_t *table(void *ctx, uint64_t pa)
{
	return fake_pages_at(&((struct arena *)ctx)->pages, pa);
}

static inline void sync(void *ctx, uint64_t pa, uint64_t len)
{
	struct arena *a = ctx;
	uint64_t off = pa & (PAGE - 1);
	unsigned int n = page_of(a, pa & ~(PAGE - 1));

	assert_true(len > 0 && len % sizeof(uint64_t) == 0 && off + len <= PAGE);
	memcpy((char *)(a->shadow + (uint64_t)n * VTD_PGT_ENTRIES) + off,
	       (char *)(a->pages.mem + (uint64_t)n * VTD_PGT_ENTRIES) + off, len);
	a->syncs++;
}

/* With nothing allocated, hand pages out in ascending order again (the root at FAKE_BASE). */
static inline void arena_rewind(struct arena *a)
{
	fake_pages_rewind(&a->pages);
}

static inline int setup(void **state)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a)
		return -1;
	a->shadow = aligned_alloc(PAGE, (uint64_t)ARENA_PAGES * PAGE);
	/* Pages come out in ascending order: the root is FAKE_BASE, the next table + 4 KiB... */
	if (!a->shadow || fake_pages_init(&a->pages, FAKE_BASE, ARENA_PAGES))
		return -1;
	a->ops = (struct vtd_pgt_ops){
		.alloc_table = alloc_table, .free_table = free_table, .table = table, .ctx = a
	};
	vtd_pgt_gather_init(&a->g);
	*state = a;
	return 0;
}

static inline int teardown(void **state)
{
	struct arena *a = *state;

	fake_pages_fini(&a->pages);
	free(a->shadow);
	free(a);
	return 0;
}

/* ---- helpers ---- */

static inline void create(struct arena *a, enum vtd_pgt_format format, unsigned int levels,
			  uint32_t features)
{
	struct vtd_pgt_cfg cfg = { .format = format, .levels = levels, .features = features };

	arena_rewind(a);
	assert_int_equal(vtd_pgt_create(&a->pgt, &cfg, &a->ops), 0);
	assert_int_equal(a->pgt.root, FAKE_BASE);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
}

static inline void ss4(struct arena *a, uint32_t features)
{
	create(a, VTD_PGT_SECOND_STAGE, 4, features);
}

static inline int map(struct arena *a, uint64_t iova, uint64_t pa, uint64_t size, uint32_t prot)
{
	return vtd_pgt_map(&a->pgt, iova, pa, size, prot, &a->g);
}

static inline int64_t unmap(struct arena *a, uint64_t iova, uint64_t size)
{
	return vtd_pgt_unmap(&a->pgt, iova, size, &a->g);
}

/* The flush happened: free the pages kept back. */
static inline void flushed(struct arena *a)
{
	vtd_pgt_gather_release(&a->pgt, &a->g);
}

static inline uint64_t entry(struct arena *a, uint64_t table_pa, unsigned int index)
{
	return table(a, table_pa)[index];
}

static inline unsigned int present(struct arena *a, uint64_t table_pa)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		n += entry(a, table_pa, i) != 0;
	return n;
}

/*
 * Non-leaf entry @index of @table_pa must be exactly @bits | a table address | @count in bits
 * 61:52 (the present entries of that table, ignored by hardware); returns the table.
 */
static inline uint64_t next_table(struct arena *a, uint64_t table_pa, unsigned int index,
				  uint64_t bits, uint64_t count)
{
	uint64_t e = entry(a, table_pa, index), expect = bits | count << VTD_PGT_COUNT_SHIFT;

	if ((e & ~VTD_PTE_ADDR_MASK) != expect)
		fail_msg("entry %u of %#" PRIx64 ": %#" PRIx64 ", expected bits %#" PRIx64, index,
			 table_pa, e, expect);
	if (present(a, e & VTD_PTE_ADDR_MASK) != count)
		fail_msg("table %#" PRIx64 " has %u entries, its entry counts %" PRIu64,
			 e & VTD_PTE_ADDR_MASK, present(a, e & VTD_PTE_ADDR_MASK), count);
	return e & VTD_PTE_ADDR_MASK;
}

static inline void assert_xlate(struct arena *a, uint64_t iova, uint64_t pa, uint32_t prot,
				uint64_t size)
{
	struct vtd_pgt_xlate x = { 0 };
	int ret = vtd_pgt_translate(&a->pgt, iova, &x);

	if (ret || x.pa != pa || x.prot != prot || x.size != size)
		fail_msg("iova %#" PRIx64 ": %d pa %#" PRIx64 " prot %#x size %#" PRIx64
			 "; expected pa %#" PRIx64 " prot %#x size %#" PRIx64,
			 iova, ret, x.pa, x.prot, x.size, pa, prot, size);
}

static inline void assert_unmapped(struct arena *a, uint64_t iova)
{
	struct vtd_pgt_xlate x;
	int ret = vtd_pgt_translate(&a->pgt, iova, &x);

	if (ret != -ENOENT)
		fail_msg("iova %#" PRIx64 ": %d (pa %#" PRIx64 "), expected -ENOENT", iova, ret,
			 ret ? 0 : x.pa);
}

#endif
