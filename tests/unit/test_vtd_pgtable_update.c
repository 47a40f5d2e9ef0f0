// SPDX-License-Identifier: MIT
/*
 * iommu/vtd/vtd_pgtable.c: rollback on -EEXIST and -ENOMEM, merging, splitting, unmap, the flush
 * gather and the sync callback (fixture: tests/unit/vtd_pgtable_fixture.h).
 *
 * Sources: iommu/vtd/vtd_pgtable.c tests/unit/fake_pages.c
 */
#include "tests/unit/vtd_pgtable_fixture.h"

/* ---- rollback ---- */

static void test_eexist_rolls_back(void **state)
{
	struct arena *a = *state;
	uint64_t tables, in_use;

	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	/* An existing page at 0x4080_0000 (its own tables). */
	assert_int_equal(map(a, 0x40800000, 0x900000, PAGE, VTD_PGT_R), 0);
	flushed(a);
	tables = vtd_pgt_tables(&a->pgt);
	in_use = a->pages.in_use;

	/*
	 * [0x3000_0000, 0x4080_1000) ends on that page: everything before it (tables under a new
	 * level-3 entry, 2 MiB leaves, a new PT of 4 KiB leaves...) is mapped, then removed.
	 */
	assert_int_equal(map(a, 0x30000000, 0x30000000, 0x10801000, VTD_PGT_RW), -EEXIST);
	assert_int_equal(vtd_pgt_tables(&a->pgt), tables);
	assert_true(a->g.flush);
	assert_true(a->g.nonleaf);
	flushed(a);
	assert_int_equal(a->pages.in_use, in_use);
	for (uint64_t iova = 0x30000000; iova < 0x40800000; iova += SZ_2M - PAGE)
		assert_unmapped(a, iova);
	assert_unmapped(a, 0x407ff000);
	assert_xlate(a, 0x40800000, 0x900000, VTD_PGT_R, PAGE);

	/* A conflict on the very first page changes nothing and asks for no flush. */
	assert_int_equal(map(a, 0x40800000, 0, 3 * PAGE, VTD_PGT_RW), -EEXIST);
	assert_int_equal(a->g.start, a->g.end);
	assert_false(a->g.flush);
	assert_unmapped(a, 0x40801000);

	/* A conflict with a large leaf in the middle of the range. */
	assert_int_equal(map(a, 0x80000000, 0x80000000, SZ_2M, VTD_PGT_RW), 0);
	flushed(a);
	tables = vtd_pgt_tables(&a->pgt);
	assert_int_equal(map(a, 0x7ff00000, 0x10000000, 4 * SZ_2M, VTD_PGT_RW), -EEXIST);
	assert_int_equal(vtd_pgt_tables(&a->pgt), tables);
	assert_unmapped(a, 0x7ff00000);
	assert_unmapped(a, 0x7ffff000);
	assert_xlate(a, 0x80000000, 0x80000000, VTD_PGT_RW, SZ_2M);
	assert_unmapped(a, 0x80200000);
	flushed(a);
	assert_int_equal(unmap(a, 0, 1ull << 40), SZ_2M + PAGE);
	flushed(a);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
	assert_int_equal(a->pages.in_use, 1);
	vtd_pgt_destroy(&a->pgt);
}

static void test_enomem_rolls_back(void **state)
{
	struct arena *a = *state;
	/* 4 KiB-aligned PA: 4 KiB leaves over three level-3 entries: about 520 tables. */
	const uint64_t iova = 0x3fe01000, pa = 0x12345000, size = SZ_1G + 4 * SZ_2M - PAGE;
	uint64_t needed, before;

	create(a, VTD_PGT_FIRST_STAGE, 4, VTD_PGT_F_1G);
	/* Something that stays: a page in the PT the big map starts in. */
	assert_int_equal(map(a, 0x3fe00000, 0x7000, PAGE, VTD_PGT_R), 0);
	flushed(a);
	before = vtd_pgt_tables(&a->pgt);

	/* How many allocations the map takes when nothing fails. */
	a->pages.allocs = 0;
	assert_int_equal(map(a, iova, pa, size, VTD_PGT_RW), 0);
	needed = a->pages.allocs;
	assert_true(needed > 500);
	assert_int_equal(unmap(a, iova, size), size);
	flushed(a);
	assert_int_equal(vtd_pgt_tables(&a->pgt), before);

	/* Fail each allocation in turn (sampled): the map leaves nothing behind. */
	for (uint64_t n = 1; n <= needed; n += (n < 8 || n > needed - 4) ? 1 : 97) {
		uint64_t in_use = a->pages.in_use;

		a->pages.allocs = 0;
		a->pages.fail_at = n;
		assert_int_equal(map(a, iova, pa, size, VTD_PGT_RW), -ENOMEM);
		a->pages.fail_at = 0;
		assert_int_equal(vtd_pgt_tables(&a->pgt), before);
		flushed(a);
		assert_int_equal(a->pages.in_use, in_use);
		assert_unmapped(a, iova);
		assert_unmapped(a, iova + size - PAGE);
		assert_unmapped(a, iova + (n % 512) * SZ_2M);
		assert_xlate(a, 0x3fe00000, 0x7000, VTD_PGT_R, PAGE);
	}
	vtd_pgt_destroy(&a->pgt);
	assert_int_equal(a->pages.in_use, 0);
}

/* ---- merging ---- */

static void test_merge_2m(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2;

	/* 512 single pages with contiguous PAs from an aligned one: the last makes a 2 MiB leaf. */
	ss4(a, VTD_PGT_F_2M);
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++) {
		unsigned int k = (i * 7) % VTD_PGT_ENTRIES; /* any order */

		assert_int_equal(
			map(a, 0x600000 + k * PAGE, 0x2000000 + k * PAGE, PAGE, VTD_PGT_RW), 0);
		if (i < VTD_PGT_ENTRIES - 1) {
			assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
			assert_false(a->g.flush);
		}
	}
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	l2 = next_table(a, l3, 0, SS_NONLEAF, 1);
	/* SS-PDE 3 = 0x200_0000 | 0x83. */
	assert_int_equal(entry(a, l2, 3), 0x2000083);
	assert_xlate(a, 0x7ff000, 0x21ff000, VTD_PGT_RW, SZ_2M);
	/* The merge replaced a present entry and freed a table: flush with IH = 0, then free. */
	assert_true(a->g.flush);
	assert_true(a->g.nonleaf);
	assert_int_equal(a->g.nr_freed, 1);
	assert_int_equal(a->g.max_leaf, SZ_2M);
	assert_int_equal(a->g.start, 0x600000);
	assert_int_equal(a->g.end, 0x800000);
	/* Kept back until the flush: still allocated, its leaves intact but for bits 58:52. */
	{
		uint64_t old = a->g.freed;
		const uint64_t *t = table(a, old);

		for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
			assert_int_equal(t[i] & ~LINK_FIELD, (0x2000000 + i * PAGE) | SS_RW);
		flushed(a);
		assert_int_equal(a->pages.used[(old - FAKE_BASE) / PAGE], 0);
	}

	/* Two halves, one map each. */
	assert_int_equal(map(a, 0x800000, 0x4000000, SZ_2M / 2, VTD_PGT_R), 0);
	assert_int_equal(map(a, 0x900000, 0x4100000, SZ_2M / 2, VTD_PGT_R), 0);
	assert_int_equal(entry(a, l2, 4), 0x4000081);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

static void test_no_merge(void **state)
{
	struct arena *a = *state;

	ss4(a, VTD_PGT_F_2M);
	/* One page read-only among read-write ones. */
	assert_int_equal(map(a, 0, 0x2000000, SZ_2M - PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, SZ_2M - PAGE, 0x21ff000, PAGE, VTD_PGT_R), 0);
	/* Contiguous but the PA region is not 2 MiB aligned. */
	assert_int_equal(map(a, SZ_2M, 0x2001000, SZ_2M - PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, 2 * SZ_2M - PAGE, 0x2200000, PAGE, VTD_PGT_RW), 0);
	/* Aligned start but not contiguous: the last page points elsewhere. */
	assert_int_equal(map(a, 2 * SZ_2M, 0x4000000, SZ_2M - PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, 3 * SZ_2M - PAGE, 0x9000000, PAGE, VTD_PGT_RW), 0);
	/* Root, level 3, level 2, three PTs. */
	assert_int_equal(vtd_pgt_tables(&a->pgt), 6);
	assert_false(a->g.flush);
	assert_int_equal(a->g.nr_freed, 0);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	/* No 2 MiB leaves: nothing merges. */
	ss4(a, 0);
	assert_int_equal(map(a, 0, 0x2000000, SZ_2M - PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, SZ_2M - PAGE, 0x21ff000, PAGE, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

static void test_merge_1g(void **state)
{
	struct arena *a = *state;
	uint64_t l3;

	/*
	 * [1 GiB, 2 GiB) -> [5 GiB, 6 GiB): 511 2 MiB leaves in one map, the last 2 MiB as 4 KiB
	 * pages in two maps. The last one completes the PT (-> 2 MiB leaf) and then the PD
	 * (-> SS-PDPE 1 = 0x1_4000_0000 | 0x83).
	 */
	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, SZ_1G, 5 * SZ_1G, SZ_1G - SZ_2M, VTD_PGT_RW), 0);
	assert_int_equal(map(a, 2 * SZ_1G - SZ_2M, 6 * SZ_1G - SZ_2M, SZ_2M - PAGE, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
	flushed(a);
	assert_int_equal(map(a, 2 * SZ_1G - PAGE, 6 * SZ_1G - PAGE, PAGE, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 2);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	assert_int_equal(entry(a, l3, 1), 0x140000083);
	assert_int_equal(a->g.nr_freed, 2);
	assert_int_equal(a->g.max_leaf, SZ_1G);
	assert_int_equal(a->g.start, SZ_1G);
	assert_int_equal(a->g.end, 2 * SZ_1G);
	flushed(a);
	assert_int_equal(a->pages.in_use, 2);
	assert_xlate(a, SZ_1G + 0x12345000, 5 * SZ_1G + 0x12345000, VTD_PGT_RW, SZ_1G);

	/* Without 1 GiB leaves the same layout stops at 2 MiB leaves. */
	vtd_pgt_destroy(&a->pgt);
	ss4(a, VTD_PGT_F_2M);
	assert_int_equal(map(a, SZ_1G, 5 * SZ_1G, SZ_1G - PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, 2 * SZ_1G - PAGE, 6 * SZ_1G - PAGE, PAGE, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	assert_xlate(a, 2 * SZ_1G - PAGE, 6 * SZ_1G - PAGE, VTD_PGT_RW, SZ_2M);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

/* ---- splitting ---- */

static void test_split_2m(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2, pt;

	/* A 2 MiB leaf 0x4020_0000 -> 0x8000_0000; unmap the page at offset 0x5000. */
	ss4(a, VTD_PGT_F_2M);
	assert_int_equal(map(a, 0x40200000, 0x80000000, SZ_2M, VTD_PGT_RW), 0);
	flushed(a);
	assert_int_equal(unmap(a, 0x40205000, PAGE), PAGE);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	l2 = next_table(a, l3, 1, SS_NONLEAF, 1);
	pt = next_table(a, l2, 1, SS_NONLEAF, 511);
	/* 511 SS-PTEs 0x8000_0003 + i * 0x1000, index 5 empty (PS cleared in 4 KiB leaves). */
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		assert_int_equal(entry(a, pt, i), i == 5 ? 0 : 0x80000003 + i * PAGE);
	assert_xlate(a, 0x40204000, 0x80004000, VTD_PGT_RW, PAGE);
	assert_xlate(a, 0x40206000, 0x80006000, VTD_PGT_RW, PAGE);
	assert_xlate(a, 0x403ff000, 0x801ff000, VTD_PGT_RW, PAGE);
	assert_unmapped(a, 0x40205000);
	/* The whole 2 MiB leaf may be cached: flush it all, IH = 0 (a non-leaf changed). */
	assert_true(a->g.flush);
	assert_true(a->g.nonleaf);
	assert_int_equal(a->g.start, 0x40200000);
	assert_int_equal(a->g.end, 0x40400000);
	assert_int_equal(a->g.max_leaf, SZ_2M);
	assert_int_equal(a->g.nr_freed, 0);
	{
		uint64_t addr;

		/* [0x4020_0000, 0x4040_0000): 512 pages, AM 9, at 0x4020_0000. */
		assert_int_equal(vtd_pgt_gather_psi(&a->g, &addr), 9);
		assert_int_equal(addr, 0x40200000);
	}
	flushed(a);

	/* Re-mapping the hole with the same PA merges the 2 MiB leaf again. */
	assert_int_equal(map(a, 0x40205000, 0x80005000, PAGE, VTD_PGT_RW), 0);
	assert_int_equal(entry(a, l2, 1), 0x80000083);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	flushed(a);

	/* Unmap from 1 MiB below it to its middle: one split, the hole before is skipped. */
	assert_int_equal(unmap(a, 0x40100000, SZ_2M), SZ_2M / 2);
	assert_unmapped(a, 0x40200000);
	assert_xlate(a, 0x40300000, 0x80100000, VTD_PGT_RW, PAGE);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

static void test_split_1g(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2, pt;

	/* A 1 GiB leaf [1 GiB, 2 GiB) -> 5 GiB; unmap one page at +0x1234_5000. */
	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, SZ_1G, 5 * SZ_1G, SZ_1G, VTD_PGT_R), 0);
	flushed(a);
	assert_int_equal(unmap(a, SZ_1G + 0x12345000, PAGE), PAGE);
	/* Two splits: 1 GiB -> 512 x 2 MiB, then the 2 MiB holding the page -> 512 x 4 KiB. */
	assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	l2 = next_table(a, l3, 1, SS_NONLEAF, 512);
	/* 0x1234_5000 >> 21 = 0x91 (PDE 145), (0x1234_5000 >> 12) & 511 = 0x145 (PTE 325). */
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		if (i != 0x91)
			assert_int_equal(entry(a, l2, i), (5 * SZ_1G + i * SZ_2M) | 0x81);
	pt = next_table(a, l2, 0x91, SS_NONLEAF, 511);
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		assert_int_equal(entry(a, pt, i),
				 i == 0x145 ? 0 : (5 * SZ_1G + 0x91 * SZ_2M + i * PAGE) | SS_R);
	assert_int_equal(a->g.start, SZ_1G);
	assert_int_equal(a->g.end, 2 * SZ_1G);
	assert_int_equal(a->g.max_leaf, SZ_1G);
	assert_xlate(a, SZ_1G, 5 * SZ_1G, VTD_PGT_R, SZ_2M);
	assert_xlate(a, SZ_1G + 0x12344000, 5 * SZ_1G + 0x12344000, VTD_PGT_R, PAGE);
	assert_unmapped(a, SZ_1G + 0x12345000);
	flushed(a);

	/* Unmapping everything frees every table but the root. */
	assert_int_equal(unmap(a, SZ_1G, SZ_1G), SZ_1G - PAGE);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
	assert_int_equal(a->g.nr_freed, 3);
	flushed(a);
	assert_int_equal(a->pages.in_use, 1);
	vtd_pgt_destroy(&a->pgt);
}

static void test_split_enomem(void **state)
{
	struct arena *a = *state;
	uint64_t l3, e;

	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, SZ_1G, 5 * SZ_1G, SZ_1G, VTD_PGT_RW), 0);
	flushed(a);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	e = entry(a, l3, 1);
	/* The split needs two pages; either failing leaves everything as it was. */
	for (uint64_t n = 1; n <= 2; n++) {
		a->pages.allocs = 0;
		a->pages.fail_at = n;
		assert_int_equal(unmap(a, SZ_1G + 0x300000, PAGE), -ENOMEM);
		a->pages.fail_at = 0;
		assert_int_equal(entry(a, l3, 1), e);
		assert_int_equal(vtd_pgt_tables(&a->pgt), 2);
		assert_int_equal(a->pages.in_use, 2);
		assert_int_equal(a->g.start, a->g.end);
		assert_xlate(a, SZ_1G + 0x300000, 5 * SZ_1G + 0x300000, VTD_PGT_RW, SZ_1G);
	}
	/* Splits at both ends of one 1 GiB leaf: one 1 GiB split and two 2 MiB splits. */
	a->pages.allocs = 0;
	assert_int_equal(unmap(a, SZ_1G + 0x1ff000, 0x202000), 0x202000);
	assert_int_equal(a->pages.allocs, 3);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 5);
	assert_xlate(a, SZ_1G + 0x1fe000, 5 * SZ_1G + 0x1fe000, VTD_PGT_RW, PAGE);
	assert_unmapped(a, SZ_1G + 0x1ff000);
	assert_unmapped(a, SZ_1G + 0x300000);
	assert_unmapped(a, SZ_1G + 0x400000);
	assert_xlate(a, SZ_1G + 0x401000, 5 * SZ_1G + 0x401000, VTD_PGT_RW, PAGE);
	assert_xlate(a, SZ_1G + 0x600000, 5 * SZ_1G + 0x600000, VTD_PGT_RW, SZ_2M);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

/* ---- unmap ---- */

static void test_unmap_holes(void **state)
{
	struct arena *a = *state;
	uint64_t addr;

	/* Two mappings with a hole between; one unmap over all three returns what was mapped. */
	create(a, VTD_PGT_SECOND_STAGE, 5, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, 0x10000, 0x10000, 3 * PAGE, VTD_PGT_RW), 0);
	/* [0x1f_f000, 0x40_1000): 4 KiB, a 2 MiB leaf (PA 0x720_0000), 4 KiB. */
	assert_int_equal(map(a, 0x1ff000, 0x71ff000, SZ_2M + 2 * PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, 1ull << 50, 0x9000000, SZ_2M, VTD_PGT_RW), 0);
	flushed(a);
	assert_int_equal(unmap(a, 0x13000, 0x1000), -ENOENT);
	assert_int_equal(unmap(a, 0x100000, 0x1000), -ENOENT);
	assert_false(a->g.flush);
	assert_int_equal(unmap(a, 0, 0x400000), 3 * PAGE + PAGE + SZ_2M);
	assert_true(a->g.flush);
	/* Leaves removed from 0x1_0000 to 0x40_0000 (the 2 MiB leaf [2 MiB, 4 MiB)). */
	assert_int_equal(a->g.start, 0x10000);
	assert_int_equal(a->g.end, 0x400000);
	/* 0x1_0000 ^ 0x3f_ffff = 0x3e_ffff: top bit 21, block 2^22 = 1024 pages from 0, AM 10. */
	assert_int_equal(vtd_pgt_gather_psi(&a->g, &addr), 10);
	assert_int_equal(addr, 0);
	flushed(a);
	assert_xlate(a, 0x400000, 0x7401000 - PAGE, VTD_PGT_RW, PAGE);
	assert_int_equal(unmap(a, 0x400000, PAGE), PAGE);
	assert_int_equal(unmap(a, 1ull << 50, SZ_1G), SZ_2M);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
	flushed(a);
	assert_int_equal(a->pages.in_use, 1);
	vtd_pgt_destroy(&a->pgt);
	assert_int_equal(a->pages.in_use, 0);
}

static void test_gather_without_flush_list(void **state)
{
	struct arena *a = *state;

	/* A NULL gather frees at once (no hardware uses the table yet). */
	ss4(a, VTD_PGT_F_2M);
	assert_int_equal(vtd_pgt_map(&a->pgt, 0x1000, 0x1000, PAGE, VTD_PGT_RW, NULL), 0);
	assert_int_equal(a->pages.in_use, 4);
	assert_int_equal(vtd_pgt_unmap(&a->pgt, 0, SZ_2M, NULL), PAGE);
	assert_int_equal(a->pages.in_use, 1);
	a->pages.fail_at = a->pages.allocs + 2;
	assert_int_equal(vtd_pgt_map(&a->pgt, 0x1000, 0x1000, PAGE, VTD_PGT_RW, NULL), -ENOMEM);
	a->pages.fail_at = 0;
	assert_int_equal(a->pages.in_use, 1);
	vtd_pgt_destroy(&a->pgt);
}

static void test_psi(void **state)
{
	struct vtd_pgt_gather g = { .start = 0x1000, .end = 0x3000 };
	uint64_t addr;

	(void)state;
	/* 0x1000 ^ 0x2fff = 0x3fff: pages differ in bit 1, block of 4 pages at 0, AM 2. */
	assert_int_equal(vtd_pgt_gather_psi(&g, &addr), 2);
	assert_int_equal(addr, 0);
	g = (struct vtd_pgt_gather){ .start = 0x7000, .end = 0x8000 };
	assert_int_equal(vtd_pgt_gather_psi(&g, &addr), 0);
	assert_int_equal(addr, 0x7000);
	g = (struct vtd_pgt_gather){ .start = SZ_1G, .end = 2 * SZ_1G };
	assert_int_equal(vtd_pgt_gather_psi(&g, &addr), 18);
	assert_int_equal(addr, SZ_1G);
	g = (struct vtd_pgt_gather){ 0 };
	assert_int_equal(vtd_pgt_gather_psi(&g, &addr), 0);
	assert_int_equal(addr, 0);
}

/* A unit that does not snoop page walks sees only what sync() wrote back. */
static void assert_hw_view_current(struct arena *a)
{
	for (unsigned int n = 0; n < ARENA_PAGES; n++)
		if (a->pages.used[n] != 0 &&
		    memcmp(a->pages.mem + (uint64_t)n * VTD_PGT_ENTRIES,
			   a->shadow + (uint64_t)n * VTD_PGT_ENTRIES, PAGE))
			fail_msg("page %u differs from what the unit sees", n);
}

static void test_sync(void **state)
{
	struct arena *a = *state;

	a->ops.sync = sync;
	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, 0x1ff000, 0x1ff000, SZ_2M + 2 * PAGE, VTD_PGT_RW), 0);
	assert_hw_view_current(a);
	assert_int_equal(map(a, 0, 0, SZ_2M - PAGE, VTD_PGT_RW), 0); /* merges */
	flushed(a);
	assert_hw_view_current(a);
	assert_int_equal(unmap(a, 0x5000, PAGE), PAGE); /* splits */
	assert_hw_view_current(a);
	a->pages.fail_at = a->pages.allocs + 1;
	assert_int_equal(map(a, SZ_1G, 0, 4 * PAGE, VTD_PGT_RW), -ENOMEM);
	a->pages.fail_at = 0;
	/* [0, 2 MiB) less one page, [2 MiB, 4 MiB), the page at 4 MiB. */
	assert_int_equal(unmap(a, 0, SZ_1G), 2 * SZ_2M);
	flushed(a);
	assert_hw_view_current(a);
	assert_true(a->syncs > 0);
	vtd_pgt_destroy(&a->pgt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eexist_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enomem_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gather_without_flush_list, setup, teardown),
		cmocka_unit_test(test_psi),
		cmocka_unit_test_setup_teardown(test_sync, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
