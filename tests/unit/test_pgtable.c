// SPDX-License-Identifier: MIT
/*
 * kernel/mm/pgtable.c, the page-table engine, on a made-up format that shares nothing with the
 * x86 ones but the 4 KiB page: 3 levels of 16-entry tables (inputs below 2^24), an Arm-like
 * type bit (set in table entries and level-1 pages, clear in blocks), present = bit 0, output
 * addresses in bits 39:12, a present-entry count in bits 62:58 and the chain of released tables
 * in bits 57:52; and the same format without the count (emptiness found by scanning).
 * Checked: geometry; bit-exact entries worked out by hand (the arithmetic in the comments);
 * the largest leaf alignment and leaf_mask allow; merging and its cascade (PGT_MERGE) and
 * splitting (PGT_SPLIT, split_keep dropping a bit), -EINVAL without PGT_SPLIT; rollback on
 * -EEXIST and on every failing allocation; a table without free_table keeping what a failing
 * map did; the gather's range, flags and chain; and a randomized run (fixed seed) of the
 * counting format, the scanning format and an instance specialised at compile time
 * (kernel/mm/pgtable_engine.h with the format as a constant) side by side against a model of
 * 4 KiB pages: the three must agree on every result and build the same tables.
 * Table pages live in host arenas whose pages have made-up "physical" addresses (fake_pages):
 * the engine reaches them only through ops.table(), which accepts only allocated pages.
 * Sources: kernel/mm/pgtable.c tests/unit/fake_pages.c
 */
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

#include "kernel/bits.h"
#include "kernel/mm/pgtable.h"
#include "tests/unit/fake_pages.h"

#define ARENA_PAGES 2048
#define FAKE_BASE   0x40000000ull

/* The made-up format. */
#define TOY_VALID      (1ull << 0)
#define TOY_TYPE       (1ull << 1) /* table entry or level-1 page: 1; block: 0 */
#define TOY_RO	       (1ull << 7)
#define TOY_AF	       (1ull << 10) /* "written by hardware": a split resets it */
#define TOY_XN	       (1ull << 51)
#define TOY_ADDR       GENMASK(39, 12)
#define TOY_LINK       GENMASK(57, 52)
#define TOY_COUNT      GENMASK(62, 58)
#define TOY_COUNT_ONE  (1ull << 58)
#define TOY_TABLE      (TOY_VALID | TOY_TYPE)
#define TOY_PAGE_SHIFT 12
#define TOY_INDEX_BITS 4
#define TOY_ENTRIES    16
#define TOY_LEVELS     3
#define SZ_4K	       0x1000ull
#define SZ_64K	       0x10000ull  /* a level-2 block */
#define SZ_1M	       0x100000ull /* a level-3 block */
#define TOY_LIMIT      0x1000000ull
#define TOY_PAGES      (TOY_LIMIT / SZ_4K)
#define ATTRS	       (TOY_VALID | TOY_AF | TOY_RO)
#define LEAVES_ALL     ((1u << 1) | (1u << 2) | (1u << 3))
#define LEAVES_12      ((1u << 1) | (1u << 2))

/* The made-up format, with a present-entry count in @count or none (0). */
#define TOY_FORMAT(count)                                                                          \
	{                                                                                          \
		.page_shift = TOY_PAGE_SHIFT, .index_bits = TOY_INDEX_BITS, .addr_mask = TOY_ADDR, \
		.present = TOY_VALID, .type_mask = TOY_TYPE, .block = 0, .page = TOY_TYPE,         \
		.split_keep = ~TOY_AF, .count_mask = (count), .link_mask = TOY_LINK                \
	}

static const struct pgt_format toy = TOY_FORMAT(TOY_COUNT);
static const struct pgt_format toy_scan = TOY_FORMAT(0);

/* The same engine, specialised for the counting format: spec_map() ... spec_free_chain(). */
#define PGT_FMT(t)   (&toy)
#define PGT_FN(name) spec_##name
#include "kernel/mm/pgtable_engine.h"

struct arena {
	struct fake_pages pages;
	struct pgt_ops ops;
	struct pgt t;
	struct pgt_gather g;
};

static int arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
	a->ops = (struct pgt_ops){ .alloc_table = fake_pages_alloc_cb,
				   .free_table = fake_pages_free_cb,
				   .table = fake_pages_at_cb,
				   .ctx = &a->pages };
	return fake_pages_init(&a->pages, FAKE_BASE, ARENA_PAGES);
}

static int setup(void **state)
{
	struct arena *a = malloc(sizeof(*a));

	if (!a || arena_init(a))
		return -1;
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	struct arena *a = *state;

	fake_pages_fini(&a->pages);
	free(a);
	return 0;
}

/* A fresh table of @f in @a: the root at FAKE_BASE, the next tables after it. */
static void create(struct arena *a, const struct pgt_format *f, unsigned int leaf_mask,
		   unsigned int flags)
{
	fake_pages_rewind(&a->pages);
	a->t = (struct pgt){ .fmt = f,
			     .ops = &a->ops,
			     .table_bits = TOY_TABLE,
			     .levels = TOY_LEVELS,
			     .leaf_mask = (uint8_t)leaf_mask,
			     .flags = (uint8_t)flags };
	assert_int_equal(pgt_alloc_root(&a->t), 0);
	assert_int_equal(a->t.root, FAKE_BASE);
	assert_int_equal(a->t.tables, 1);
	pgt_gather_init(&a->g);
}

static void destroy(struct arena *a)
{
	pgt_free_chain(&a->t, a->g.freed, a->g.nr_freed);
	pgt_destroy(&a->t);
	assert_int_equal(a->pages.in_use, 0);
}

static uint64_t entry(struct arena *a, uint64_t table_pa, unsigned int i)
{
	return fake_pages_at(&a->pages, table_pa)[i];
}

static uint64_t next_table(struct arena *a, uint64_t table_pa, unsigned int i)
{
	return entry(a, table_pa, i) & TOY_ADDR;
}

static void assert_leaf(struct arena *a, uint64_t va, uint64_t pa, uint64_t size,
			unsigned int level)
{
	struct pgt_leaf l;

	assert_int_equal(pgt_lookup(&a->t, va, &l), 0);
	assert_int_equal(l.pa, pa);
	assert_int_equal(l.size, size);
	assert_int_equal(l.level, level);
}

static void assert_unmapped(struct arena *a, uint64_t va)
{
	struct pgt_leaf l;

	assert_int_equal(pgt_lookup(&a->t, va, &l), -ENOENT);
}

/* ---- geometry and entries ---- */

static void test_geometry(void **state)
{
	(void)state;
	/* 12 offset bits, then 4 per level: a level-2 entry maps 64 KiB, a level-3 one 1 MiB. */
	assert_int_equal(pgt_level_shift(&toy, 1), 12);
	assert_int_equal(pgt_level_shift(&toy, 2), 16);
	assert_int_equal(pgt_level_size(&toy, 3), SZ_1M);
	assert_int_equal(pgt_entries(&toy), TOY_ENTRIES);
	/* 0x123456: bits 23:20 = 1, 19:16 = 2, 15:12 = 3. */
	assert_int_equal(pgt_index(&toy, 0x123456, 3), 1);
	assert_int_equal(pgt_index(&toy, 0x123456, 2), 2);
	assert_int_equal(pgt_index(&toy, 0x123456, 1), 3);
	/* A level-1 entry is a leaf whatever its type bit; above, a block has it clear. */
	assert_true(pgt_is_leaf(&toy, LEAVES_ALL, TOY_TABLE, 1));
	assert_true(pgt_is_leaf(&toy, LEAVES_ALL, TOY_VALID, 2));
	assert_false(pgt_is_leaf(&toy, LEAVES_ALL, TOY_TABLE, 2));
	/* Where leaf_mask allows no block, nothing above level 1 is a leaf. */
	assert_false(pgt_is_leaf(&toy, LEAVES_12, TOY_VALID, 3));
	assert_true(pgt_present(&toy, TOY_VALID));
	assert_false(pgt_present(&toy, TOY_ADDR | TOY_TYPE));
}

static void test_map_4k_entries(void **state)
{
	struct arena *a = *state;
	uint64_t l2, l1;

	create(a, &toy, LEAVES_ALL, PGT_MERGE | PGT_SPLIT);
	assert_int_equal(pgt_map(&a->t, 0x123000, 0x4567000, SZ_4K, ATTRS, &a->g), 0);
	assert_int_equal(a->t.tables, 3);
	/*
	 * Root entry 1 -> the level-2 table, the first table allocated after the root
	 * (FAKE_BASE + 0x1000): 0x40001000 | VALID|TYPE (3) | one present entry (1 << 58).
	 */
	assert_int_equal(entry(a, FAKE_BASE, 1), 0x40001003ull | TOY_COUNT_ONE);
	l2 = next_table(a, FAKE_BASE, 1);
	/* Its entry 2 -> the level-1 table at 0x40002000, also holding one entry. */
	assert_int_equal(entry(a, l2, 2), 0x40002003ull | TOY_COUNT_ONE);
	l1 = next_table(a, l2, 2);
	/* The page: 0x4567000 | VALID (1) | TYPE (2) | RO (0x80) | AF (0x400) = 0x4567483. */
	assert_int_equal(entry(a, l1, 3), 0x4567483ull);
	assert_int_equal(entry(a, l1, 4), 0);
	assert_leaf(a, 0x123abc, 0x4567abc, SZ_4K, 1);
	assert_unmapped(a, 0x124000);
	/* The gather: [0x123000, 0x124000), a 4 KiB leaf, new table entries, nothing to flush. */
	assert_int_equal(a->g.start, 0x123000);
	assert_int_equal(a->g.end, 0x124000);
	assert_int_equal(a->g.max_leaf, SZ_4K);
	assert_true(a->g.nonleaf);
	assert_false(a->g.flush);
	destroy(a);
}

static void test_largest_leaf(void **state)
{
	struct arena *a = *state;

	create(a, &toy, LEAVES_ALL, PGT_SPLIT);
	/* 1 MiB at an aligned address and PA: one root block, type bit clear: 0x700000 | 0x481. */
	assert_int_equal(pgt_map(&a->t, 0x300000, 0x700000, SZ_1M, ATTRS, &a->g), 0);
	assert_int_equal(entry(a, FAKE_BASE, 3), 0x700481ull);
	assert_int_equal(a->t.tables, 1);
	assert_leaf(a, 0x3fffff, 0x7fffff, SZ_1M, 3);
	/* 64 KiB + 4 KiB at 64 KiB alignment: one level-2 block and one page. */
	assert_int_equal(pgt_map(&a->t, 0x410000, 0x810000, SZ_64K + SZ_4K, ATTRS, &a->g), 0);
	assert_leaf(a, 0x41ffff, 0x81ffff, SZ_64K, 2);
	assert_leaf(a, 0x420000, 0x820000, SZ_4K, 1);
	/* PA aligned to 4 KiB only: pages, whatever the size. */
	assert_int_equal(pgt_map(&a->t, 0x500000, 0x901000, SZ_1M, ATTRS, &a->g), 0);
	assert_leaf(a, 0x5f0000, 0x9f1000, SZ_4K, 1);
	/* 1 + 16 + 16 tables: the root, 0x41/0x42's level-2 and level-1 tables, 0x5's 16 + 1. */
	assert_int_equal(a->t.tables, 1 + 2 + 17);
	destroy(a);

	/* Without level-3 leaves, 1 MiB is 16 level-2 blocks in one table. */
	create(a, &toy, LEAVES_12, PGT_SPLIT);
	assert_int_equal(pgt_map(&a->t, 0x300000, 0x700000, SZ_1M, ATTRS, &a->g), 0);
	assert_int_equal(a->t.tables, 2);
	assert_int_equal(entry(a, next_table(a, FAKE_BASE, 3), 15), 0x7f0481ull);
	assert_leaf(a, 0x3fffff, 0x7fffff, SZ_64K, 2);
	destroy(a);
}

/* ---- merge and split ---- */

static void test_merge(void **state)
{
	struct arena *a = *state;
	uint64_t in_use;

	create(a, &toy, LEAVES_ALL, PGT_MERGE | PGT_SPLIT);
	/* Fifteen pages of a 64 KiB region one by one: a level-1 table. */
	for (unsigned int i = 0; i < 15; i++)
		assert_int_equal(pgt_map(&a->t, 0x210000 + i * SZ_4K, 0x650000 + i * SZ_4K, SZ_4K,
					 ATTRS, &a->g),
				 0);
	assert_int_equal(a->t.tables, 3);
	assert_int_equal(entry(a, next_table(a, FAKE_BASE, 2), 1) & TOY_COUNT, 15 * TOY_COUNT_ONE);
	/* The sixteenth completes it: one block (0x650481), the level-1 table waits in the gather. */
	pgt_gather_init(&a->g);
	assert_int_equal(pgt_map(&a->t, 0x21f000, 0x65f000, SZ_4K, ATTRS, &a->g), 0);
	assert_int_equal(a->t.tables, 2);
	assert_int_equal(entry(a, next_table(a, FAKE_BASE, 2), 1), 0x650481ull);
	assert_leaf(a, 0x21abcd, 0x65abcd, SZ_64K, 2);
	assert_int_equal(a->g.start, 0x210000);
	assert_int_equal(a->g.end, 0x220000);
	assert_int_equal(a->g.max_leaf, SZ_64K);
	assert_true(a->g.flush && a->g.nonleaf);
	assert_int_equal(a->g.nr_freed, 1);
	/* The chain is the table itself, 0x40002000; releasing it frees it. */
	assert_int_equal(a->g.freed, FAKE_BASE + 2 * SZ_4K);
	in_use = a->pages.in_use;
	pgt_free_chain(&a->t, a->g.freed, a->g.nr_freed);
	assert_int_equal(a->pages.in_use, in_use - 1);
	pgt_gather_init(&a->g);

	/* The other fifteen 64 KiB regions complete the 1 MiB, but from 0x640000: no merge. */
	assert_int_equal(pgt_map(&a->t, 0x200000, 0x640000, SZ_64K, ATTRS, &a->g), 0);
	assert_int_equal(pgt_map(&a->t, 0x220000, 0x660000, 14 * SZ_64K, ATTRS, &a->g), 0);
	assert_int_equal(a->t.tables, 2);
	assert_leaf(a, 0x2fffff, 0x73ffff, SZ_64K, 2);
	/* Again from a 1 MiB-aligned PA, 64 KiB at a time: the last map makes a root block. */
	assert_int_equal(pgt_unmap(&a->t, 0x200000, SZ_1M, &a->g), (int64_t)SZ_1M);
	assert_int_equal(a->t.tables, 1);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(pgt_map(&a->t, 0x200000 + i * SZ_64K, 0x600000 + i * SZ_64K,
					 SZ_64K, ATTRS, &a->g),
				 0);
	assert_int_equal(a->t.tables, 1);
	assert_int_equal(entry(a, FAKE_BASE, 2), 0x600481ull);
	destroy(a);

	/* Without PGT_MERGE a complete table stays. */
	create(a, &toy, LEAVES_ALL, PGT_SPLIT);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(pgt_map(&a->t, 0x210000 + i * SZ_4K, 0x650000 + i * SZ_4K, SZ_4K,
					 ATTRS, &a->g),
				 0);
	assert_int_equal(a->t.tables, 3);
	assert_leaf(a, 0x21abcd, 0x65abcd, SZ_4K, 1);
	destroy(a);
}

static void test_split(void **state)
{
	struct arena *a = *state;
	uint64_t l2, l1;

	create(a, &toy, LEAVES_ALL, PGT_SPLIT);
	assert_int_equal(pgt_map(&a->t, 0x300000, 0x700000, SZ_1M, ATTRS | TOY_XN, &a->g), 0);
	pgt_gather_init(&a->g);
	/* One page out of the middle: the block -> 16 blocks of 64 KiB, one of them -> pages. */
	assert_int_equal(pgt_unmap(&a->t, 0x345000, SZ_4K, &a->g), (int64_t)SZ_4K);
	assert_int_equal(a->t.tables, 3);
	l2 = next_table(a, FAKE_BASE, 3);
	/* Level-2 blocks keep VALID|RO|XN, lose AF (split_keep), type clear: 0x700081 | XN. */
	assert_int_equal(entry(a, l2, 0), 0x700081ull | TOY_XN);
	assert_int_equal(entry(a, l2, 15), 0x7f0081ull | TOY_XN);
	/* The root entry now counts 16; the split level-2 entry 4 counts 15 pages. */
	assert_int_equal(entry(a, FAKE_BASE, 3) & TOY_COUNT, 16 * TOY_COUNT_ONE);
	assert_int_equal(entry(a, l2, 4) & TOY_COUNT, 15 * TOY_COUNT_ONE);
	l1 = next_table(a, l2, 4);
	/* Pages gain the type bit: 0x744000 | 0x83 | XN. */
	assert_int_equal(entry(a, l1, 4), 0x744083ull | TOY_XN);
	assert_int_equal(entry(a, l1, 5), 0);
	assert_leaf(a, 0x346000, 0x746000, SZ_4K, 1);
	assert_leaf(a, 0x350000, 0x750000, SZ_64K, 2);
	assert_unmapped(a, 0x345000);
	/* The gather covers the split block. */
	assert_int_equal(a->g.start, 0x300000);
	assert_int_equal(a->g.end, 0x400000);
	assert_int_equal(a->g.max_leaf, SZ_1M);
	assert_true(a->g.flush && a->g.nonleaf);
	/* A hole: nothing was mapped there. */
	assert_int_equal(pgt_unmap(&a->t, 0x345000, SZ_4K, &a->g), -ENOENT);
	/* A split that cannot get its table changes nothing. */
	a->pages.fail_at = a->pages.allocs + 1;
	assert_int_equal(pgt_unmap(&a->t, 0x361000, SZ_4K, &a->g), -ENOMEM);
	a->pages.fail_at = 0;
	assert_int_equal(a->t.tables, 3);
	assert_leaf(a, 0x361000, 0x761000, SZ_64K, 2);
	destroy(a);

	/* Without PGT_SPLIT, a partial unmap of a block is refused before anything changes. */
	create(a, &toy, LEAVES_ALL, 0);
	assert_int_equal(pgt_map(&a->t, 0x300000, 0x700000, SZ_1M, ATTRS, &a->g), 0);
	assert_int_equal(pgt_unmap(&a->t, 0x345000, SZ_4K, &a->g), -EINVAL);
	assert_int_equal(a->t.tables, 1);
	assert_leaf(a, 0x345000, 0x745000, SZ_1M, 3);
	/* Whole blocks need no split. */
	assert_int_equal(pgt_unmap(&a->t, 0x200000, 3 * SZ_1M, &a->g), (int64_t)SZ_1M);
	destroy(a);
}

/* ---- errors ---- */

static void test_rollback(void **state)
{
	struct arena *a = *state;
	uint64_t start, needed;

	create(a, &toy, LEAVES_12, PGT_SPLIT);
	assert_int_equal(pgt_map(&a->t, 0x5f3000, 0x9000, SZ_4K, ATTRS, &a->g), 0);
	assert_int_equal(a->t.tables, 3);
	/* From 0x5e0000 over the page: a 64 KiB block goes in before the conflict, then out. */
	pgt_gather_init(&a->g);
	assert_int_equal(pgt_map(&a->t, 0x5e0000, 0x100000, 0x20000, ATTRS, &a->g), -EEXIST);
	assert_int_equal(a->t.tables, 3);
	assert_unmapped(a, 0x5e0000);
	assert_unmapped(a, 0x5f2000);
	assert_leaf(a, 0x5f3000, 0x9000, SZ_4K, 1);
	/* The walker may have seen them: the gather asks for a flush. */
	assert_true(a->g.flush);
	destroy(a);

	/* Every allocation of a map failing in turn: each time nothing stays. */
	create(a, &toy, LEAVES_12, PGT_SPLIT);
	start = a->pages.allocs;
	assert_int_equal(pgt_map(&a->t, 0x1ff000, 0x3ff000, 0x302000, ATTRS, NULL), 0);
	needed = a->pages.allocs - start;
	/*
	 * Level-2 tables under root entries 1-5, level-1 tables for the first and the last page
	 * (0x1ff000, 0x500000); 0x200000-0x4fffff are 64 KiB blocks: 7 tables.
	 */
	assert_int_equal(needed, a->t.tables - 1);
	assert_int_equal(needed, 7);
	destroy(a);
	for (uint64_t k = 1; k <= needed; k++) {
		create(a, &toy, LEAVES_12, PGT_SPLIT);
		a->pages.fail_at = a->pages.allocs + k;
		assert_int_equal(pgt_map(&a->t, 0x1ff000, 0x3ff000, 0x302000, ATTRS, NULL),
				 -ENOMEM);
		a->pages.fail_at = 0;
		assert_int_equal(a->t.tables, 1);
		assert_int_equal(a->pages.in_use, 1);
		for (unsigned int i = 0; i < TOY_ENTRIES; i++)
			assert_int_equal(entry(a, FAKE_BASE, i), 0);
		destroy(a);
	}
}

/* A table without free_table only grows: a failing map keeps what it mapped and linked. */
static void test_grow_only(void **state)
{
	struct arena *a = *state;
	struct pgt_ops grow = a->ops;

	grow.free_table = NULL;
	create(a, &toy_scan, LEAVES_12, 0);
	a->t.ops = &grow;
	a->pages.fail_at = a->pages.allocs + 2; /* the level-2 table goes in, level 1 fails */
	assert_int_equal(pgt_map(&a->t, 0x123000, 0x5000, SZ_4K, ATTRS, NULL), -ENOMEM);
	a->pages.fail_at = 0;
	assert_int_equal(a->t.tables, 2);
	assert_int_equal(entry(a, FAKE_BASE, 1), 0x40001003ull);
	assert_int_equal(pgt_map(&a->t, 0x123000, 0x5000, SZ_4K, ATTRS, NULL), 0);
	assert_int_equal(a->t.tables, 3);
	/* Pages before a conflict stay. */
	assert_int_equal(pgt_map(&a->t, 0x120000, 0x8000, 0x4000, ATTRS, NULL), -EEXIST);
	assert_leaf(a, 0x122000, 0xa000, SZ_4K, 1);
	/*
	 * A fully covered table (root entry 1, no level-3 leaves) is descended into, so the
	 * blocks before the conflict at 0x120000 go in (where tables shrink, a present table
	 * under a fully covered entry would be refused at once).
	 */
	assert_int_equal(pgt_map(&a->t, 0x100000, 0x10000, SZ_1M, ATTRS, NULL), -EEXIST);
	assert_leaf(a, 0x110000, 0x20000, SZ_64K, 2);
	a->t.ops = &a->ops;
	destroy(a);
}

/* Released tables are chained through the link bits only; the chain frees them all. */
static void test_chain(void **state)
{
	struct arena *a = *state;
	uint64_t in_use, pa;

	create(a, &toy, LEAVES_12, PGT_SPLIT);
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(pgt_map(&a->t, i * SZ_1M + 0x5000, 0x1000000 + i * SZ_4K, SZ_4K,
					 ATTRS, NULL),
				 0);
	assert_int_equal(a->t.tables, 17);
	pgt_gather_init(&a->g);
	in_use = a->pages.in_use;
	assert_int_equal(pgt_unmap(&a->t, 0, 8 * SZ_1M, &a->g), (int64_t)(8 * SZ_4K));
	/* 16 tables wait for the invalidation; nothing was freed yet. */
	assert_int_equal(a->t.tables, 1);
	assert_int_equal(a->g.nr_freed, 16);
	assert_int_equal(a->pages.in_use, in_use);
	/* The first table released (level 1 under 0x000000) ends the chain: its links say 0. */
	pa = a->g.freed;
	for (unsigned int i = 0; i < 15; i++) {
		uint64_t next = 0;

		/* 28 frame bits, 6 per entry: entries 0-4 hold the next table's frame number. */
		for (unsigned int k = 0; k < 5; k++) {
			uint64_t e = entry(a, pa, k);

			assert_int_equal(e & ~TOY_LINK, 0);
			next |= FIELD_GET(TOY_LINK, e) << (6 * k);
		}
		pa = next << TOY_PAGE_SHIFT;
	}
	for (unsigned int k = 0; k < TOY_ENTRIES; k++)
		assert_int_equal(entry(a, pa, k), 0);
	pgt_free_chain(&a->t, a->g.freed, a->g.nr_freed);
	assert_int_equal(a->pages.in_use, 1);
	pgt_gather_init(&a->g);
	destroy(a);
}

/* ---- three instances against a model ---- */

/* A fixed sequence: random() after srandom(SEED). */
#define SEED 0x5eed

static uint64_t rnd_below(uint64_t n)
{
	return (uint64_t)random() % n;
}

enum instance { COUNTING, SCANNING, SPECIALISED, INSTANCES };

static int inst_map(enum instance i, struct arena *a, uint64_t va, uint64_t pa, uint64_t size,
		    uint64_t attrs)
{
	return i == SPECIALISED ? spec_map(&a->t, va, pa, size, attrs, &a->g) :
				  pgt_map(&a->t, va, pa, size, attrs, &a->g);
}

static int64_t inst_unmap(enum instance i, struct arena *a, uint64_t va, uint64_t size)
{
	return i == SPECIALISED ? spec_unmap(&a->t, va, size, &a->g) :
				  pgt_unmap(&a->t, va, size, &a->g);
}

static int inst_lookup(enum instance i, struct arena *a, uint64_t va, struct pgt_leaf *l)
{
	return i == SPECIALISED ? spec_lookup(&a->t, va, l) : pgt_lookup(&a->t, va, l);
}

/*
 * Tables below @table_pa at @level: each non-root table has a present entry, and with counts
 * each table entry counts its table's present entries. Returns the tables seen.
 */
static uint64_t audit_level(struct arena *a, uint64_t table_pa, unsigned int level, bool counts)
{
	uint64_t n = 1;

	for (unsigned int i = 0; i < TOY_ENTRIES; i++) {
		uint64_t e = entry(a, table_pa, i);
		unsigned int below = 0;

		if (!(e & TOY_VALID)) {
			assert_int_equal(e, 0);
			continue;
		}
		if (level == 1 || !(e & TOY_TYPE))
			continue;
		for (unsigned int k = 0; k < TOY_ENTRIES; k++)
			below += !!(entry(a, e & TOY_ADDR, k) & TOY_VALID);
		assert_true(below > 0);
		if (counts)
			assert_int_equal(FIELD_GET(TOY_COUNT, e), below);
		else
			assert_int_equal(e & TOY_COUNT, 0);
		n += audit_level(a, e & TOY_ADDR, level - 1, counts);
	}
	return n;
}

/* The page model: for each 4 KiB page, its PA + 1 (0: unmapped). */
static uint64_t model[TOY_PAGES];

static void check_against_model(struct arena *ar)
{
	for (uint64_t p = 0; p < TOY_PAGES; p++) {
		struct pgt_leaf l[INSTANCES];

		for (enum instance i = 0; i < INSTANCES; i++) {
			int err = inst_lookup(i, &ar[i], p * SZ_4K, &l[i]);

			assert_int_equal(err, model[p] ? 0 : -ENOENT);
			if (!err) {
				assert_int_equal(l[i].pa, model[p] - 1);
				assert_int_equal(l[i].size, l[0].size);
			}
		}
	}
}

/*
 * The three arenas hold tables on the same pages: the specialised instance's are the counting
 * one's word for word, the scanning one's are the same without the count field.
 */
static void same_tables(struct arena *ar)
{
	for (unsigned int n = 0; n < ARENA_PAGES; n++) {
		const uint64_t *c = ar[COUNTING].pages.mem + (uint64_t)n * FAKE_PAGE_WORDS;
		const uint64_t *s = ar[SCANNING].pages.mem + (uint64_t)n * FAKE_PAGE_WORDS;
		const uint64_t *x = ar[SPECIALISED].pages.mem + (uint64_t)n * FAKE_PAGE_WORDS;

		assert_int_equal(ar[SCANNING].pages.used[n], ar[COUNTING].pages.used[n]);
		assert_int_equal(ar[SPECIALISED].pages.used[n], ar[COUNTING].pages.used[n]);
		if (!ar[COUNTING].pages.used[n])
			continue;
		for (unsigned int i = 0; i < TOY_ENTRIES; i++) {
			assert_int_equal(x[i], c[i]);
			assert_int_equal(s[i], c[i] & ~TOY_COUNT);
		}
	}
}

/* The random maps land in the first 4 MiB, dense enough for merges and conflicts. */
#define WINDOW (4 * SZ_1M)

static void test_three_instances(void **state)
{
	struct arena *ar = calloc(INSTANCES, sizeof(*ar));
	static const uint64_t aligns[] = { SZ_4K, SZ_64K, SZ_1M };
	static const struct pgt_format *const fmts[] = { &toy, &toy_scan, &toy };
	unsigned int maps = 0, merges = 0, splits = 0, conflicts = 0, nomem = 0;

	(void)state;
	assert_non_null(ar);
	for (enum instance i = 0; i < INSTANCES; i++) {
		assert_int_equal(arena_init(&ar[i]), 0);
		create(&ar[i], fmts[i], LEAVES_ALL, PGT_MERGE | PGT_SPLIT);
	}
	memset(model, 0, sizeof(model));
	srandom(SEED);
	for (unsigned int step = 0; step < 1500; step++) {
		uint64_t align = aligns[rnd_below(3)], va, pa, size, in_use,
			 allocs = ar[0].pages.allocs;
		bool do_map = rnd_below(2), fail = rnd_below(10) == 0;
		int64_t r[INSTANCES];
		uint64_t fail_at = 1 + rnd_below(3);

		size = (1 + rnd_below(align == SZ_4K ? 24 : align == SZ_64K ? 8 : 2)) * align;
		if (rnd_below(4) == 0)
			size += SZ_4K * (1 + rnd_below(15));
		va = rnd_below((WINDOW - size) / align + 1) * align;
		/* Mostly at one 1 MiB-aligned offset, so that neighbours can merge. */
		pa = rnd_below(8) ? va + 2 * SZ_1M : (1 + rnd_below(1024)) * align;
		if (do_map && rnd_below(3) == 0) {
			/* Fill the first hole of a 64 KiB or 1 MiB region: the last one completes it. */
			uint64_t region = rnd_below(2) ? SZ_64K : SZ_1M, end;

			va = rnd_below(WINDOW / region) * region;
			end = va + region;
			while (va < end - SZ_4K && model[va / SZ_4K])
				va += SZ_4K;
			size = SZ_4K;
			while (va + size < end && !model[(va + size) / SZ_4K])
				size += SZ_4K;
			pa = va + 2 * SZ_1M;
		}
		for (enum instance i = 0; i < INSTANCES; i++) {
			struct arena *a = &ar[i];

			pgt_gather_init(&a->g);
			a->pages.fail_at = fail ? a->pages.allocs + fail_at : 0;
			if (do_map)
				r[i] = inst_map(i, a, va, pa, size, ATTRS);
			else
				r[i] = inst_unmap(i, a, va, size);
			a->pages.fail_at = 0;
			assert_int_equal(r[i], r[0]);
			assert_int_equal(a->t.tables, ar[0].t.tables);
			assert_int_equal(a->g.start, ar[0].g.start);
			assert_int_equal(a->g.end, ar[0].g.end);
			assert_int_equal(a->g.max_leaf, ar[0].g.max_leaf);
			assert_int_equal(a->g.flush, ar[0].g.flush);
			assert_int_equal(a->g.nonleaf, ar[0].g.nonleaf);
			assert_int_equal(a->g.nr_freed, ar[0].g.nr_freed);
			in_use = a->pages.in_use;
			pgt_free_chain(&a->t, a->g.freed, a->g.nr_freed);
			assert_int_equal(a->pages.in_use, in_use - a->g.nr_freed);
			assert_int_equal(a->pages.in_use, a->t.tables);
		}
		if (r[0] == -ENOMEM) {
			nomem++;
		} else if (do_map && r[0] == -EEXIST) {
			bool mapped = false;

			for (uint64_t p = 0; p < size / SZ_4K; p++)
				mapped |= model[va / SZ_4K + p] != 0;
			assert_true(mapped);
			conflicts++;
		} else if (do_map) {
			assert_int_equal(r[0], 0);
			maps++;
			merges += ar[0].g.nr_freed > 0;
			for (uint64_t p = 0; p < size / SZ_4K; p++) {
				assert_int_equal(model[va / SZ_4K + p], 0);
				model[va / SZ_4K + p] = pa + p * SZ_4K + 1;
			}
		} else {
			uint64_t mapped = 0;

			for (uint64_t p = 0; p < size / SZ_4K; p++) {
				mapped += model[va / SZ_4K + p] ? SZ_4K : 0;
				model[va / SZ_4K + p] = 0;
			}
			assert_int_equal(r[0], mapped ? (int64_t)mapped : -ENOENT);
			splits += ar[0].pages.allocs > allocs;
		}
		for (enum instance i = 0; i < INSTANCES; i++)
			pgt_gather_init(&ar[i].g);
		same_tables(ar);
		if (step % 50 == 0) {
			check_against_model(ar);
			assert_int_equal(audit_level(&ar[COUNTING], FAKE_BASE, TOY_LEVELS, true),
					 ar[COUNTING].t.tables);
			assert_int_equal(audit_level(&ar[SCANNING], FAKE_BASE, TOY_LEVELS, false),
					 ar[SCANNING].t.tables);
		}
	}
	check_against_model(ar);
	printf("three instances: %u maps (%u merging), %u -EEXIST, %u -ENOMEM, %u splitting unmaps\n",
	       maps, merges, conflicts, nomem, splits);
	assert_true(maps > 100 && merges > 10 && conflicts > 10 && nomem > 10 && splits > 10);
	for (enum instance i = 0; i < INSTANCES; i++) {
		destroy(&ar[i]);
		fake_pages_fini(&ar[i].pages);
	}
	free(ar);
}

#define ARENA_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest pgtable_tests[] = {
		cmocka_unit_test(test_geometry),
		ARENA_TEST(test_map_4k_entries),
		ARENA_TEST(test_largest_leaf),
		ARENA_TEST(test_merge),
		ARENA_TEST(test_split),
		ARENA_TEST(test_rollback),
		ARENA_TEST(test_grow_only),
		ARENA_TEST(test_chain),
		cmocka_unit_test(test_three_instances),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(pgtable_tests, NULL, NULL);
}
