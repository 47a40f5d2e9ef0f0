// SPDX-License-Identifier: MIT
/*
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
 * Sources: iommu/vtd/vtd_pgtable.c tests/unit/fake_pages.c
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

static unsigned int page_of(struct arena *a, uint64_t pa)
{
	return fake_pages_index(&a->pages, pa);
}

static int alloc_table(void *ctx, uint64_t *pa)
{
	struct arena *a = ctx;
	int err = fake_pages_alloc(&a->pages, pa);

	if (!err)
		memset(a->shadow + (uint64_t)page_of(a, *pa) * VTD_PGT_ENTRIES, 0, PAGE);
	return err;
}

static void free_table(void *ctx, uint64_t pa)
{
	fake_pages_free(&((struct arena *)ctx)->pages, pa);
}

static uint64_t *table(void *ctx, uint64_t pa)
{
	return fake_pages_at(&((struct arena *)ctx)->pages, pa);
}

static void sync(void *ctx, uint64_t pa, uint64_t len)
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
static void arena_rewind(struct arena *a)
{
	fake_pages_rewind(&a->pages);
}

static int setup(void **state)
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

static int teardown(void **state)
{
	struct arena *a = *state;

	fake_pages_fini(&a->pages);
	free(a->shadow);
	free(a);
	return 0;
}

/* ---- helpers ---- */

static void create(struct arena *a, enum vtd_pgt_format format, unsigned int levels,
		   uint32_t features)
{
	struct vtd_pgt_cfg cfg = { .format = format, .levels = levels, .features = features };

	arena_rewind(a);
	assert_int_equal(vtd_pgt_create(&a->pgt, &cfg, &a->ops), 0);
	assert_int_equal(a->pgt.root, FAKE_BASE);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
}

static void ss4(struct arena *a, uint32_t features)
{
	create(a, VTD_PGT_SECOND_STAGE, 4, features);
}

static int map(struct arena *a, uint64_t iova, uint64_t pa, uint64_t size, uint32_t prot)
{
	return vtd_pgt_map(&a->pgt, iova, pa, size, prot, &a->g);
}

static int64_t unmap(struct arena *a, uint64_t iova, uint64_t size)
{
	return vtd_pgt_unmap(&a->pgt, iova, size, &a->g);
}

/* The flush happened: free the pages kept back. */
static void flushed(struct arena *a)
{
	vtd_pgt_gather_release(&a->pgt, &a->g);
}

static uint64_t entry(struct arena *a, uint64_t table_pa, unsigned int index)
{
	return table(a, table_pa)[index];
}

static unsigned int present(struct arena *a, uint64_t table_pa)
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
static uint64_t next_table(struct arena *a, uint64_t table_pa, unsigned int index, uint64_t bits,
			   uint64_t count)
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

static void assert_xlate(struct arena *a, uint64_t iova, uint64_t pa, uint32_t prot, uint64_t size)
{
	struct vtd_pgt_xlate x = { 0 };
	int ret = vtd_pgt_translate(&a->pgt, iova, &x);

	if (ret || x.pa != pa || x.prot != prot || x.size != size)
		fail_msg("iova %#" PRIx64 ": %d pa %#" PRIx64 " prot %#x size %#" PRIx64
			 "; expected pa %#" PRIx64 " prot %#x size %#" PRIx64,
			 iova, ret, x.pa, x.prot, x.size, pa, prot, size);
}

static void assert_unmapped(struct arena *a, uint64_t iova)
{
	struct vtd_pgt_xlate x;
	int ret = vtd_pgt_translate(&a->pgt, iova, &x);

	if (ret != -ENOENT)
		fail_msg("iova %#" PRIx64 ": %d (pa %#" PRIx64 "), expected -ENOENT", iova, ret,
			 ret ? 0 : x.pa);
}

/* ---- creation and configuration ---- */

static void test_create_and_destroy(void **state)
{
	struct arena *a = *state;
	struct vtd_pgt p;
	struct vtd_pgt_cfg bad[] = {
		{ .format = VTD_PGT_SECOND_STAGE, .levels = 2 },
		{ .format = VTD_PGT_SECOND_STAGE, .levels = 6 },
		{ .format = VTD_PGT_SECOND_STAGE, .levels = 3, .aw_bits = 40 },
		{ .format = VTD_PGT_SECOND_STAGE, .levels = 4, .features = VTD_PGT_F_1G },
		{ .format = VTD_PGT_SECOND_STAGE, .levels = 4, .oa_bits = 53 },
		{ .format = VTD_PGT_FIRST_STAGE, .levels = 3 },
		{ .format = VTD_PGT_FIRST_STAGE, .levels = 5 },		       /* no FS5LP */
		{ .format = VTD_PGT_FIRST_STAGE, .levels = 4, .aw_bits = 48 }, /* 47: lower half */
		{ .format = 2, .levels = 4 },
		{ .format = VTD_PGT_SECOND_STAGE, .levels = 4, .features = 1u << 10 },
		{ .format = VTD_PGT_FIRST_STAGE, .levels = 4, .features = VTD_PGT_F_SSADE },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vtd_pgt_create(&p, &bad[i], &a->ops), -EINVAL);
	assert_int_equal(a->pages.in_use, 0);

	a->pages.fail_at = 1;
	{
		struct vtd_pgt_cfg cfg = { .format = VTD_PGT_SECOND_STAGE, .levels = 4 };

		assert_int_equal(vtd_pgt_create(&p, &cfg, &a->ops), -ENOMEM);
	}
	a->pages.fail_at = 0;

	/* Widths: 3 levels 39 bits, 4: 48, 5: 57; first stage one bit less (lower half). */
	const struct {
		enum vtd_pgt_format f;
		unsigned int levels, aw;
		uint32_t features;
	} good[] = {
		{ VTD_PGT_SECOND_STAGE, 3, 39, 0 },
		{ VTD_PGT_SECOND_STAGE, 4, 48, 0 },
		{ VTD_PGT_SECOND_STAGE, 5, 57, 0 },
		{ VTD_PGT_FIRST_STAGE, 4, 47, 0 },
		{ VTD_PGT_FIRST_STAGE, 5, 56, VTD_PGT_F_FS5LP },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct vtd_pgt_cfg cfg = { .format = good[i].f,
					   .levels = good[i].levels,
					   .features = good[i].features };

		assert_int_equal(vtd_pgt_create(&p, &cfg, &a->ops), 0);
		assert_int_equal(p.aw_bits, good[i].aw);
		assert_int_equal(p.oa_bits, 52);
		assert_int_equal(vtd_pgt_tables(&p), 1);
		/* 2 MiB leaves are always allowed for the first stage (9.7). */
		assert_int_equal(!!(p.features & VTD_PGT_F_2M), good[i].f == VTD_PGT_FIRST_STAGE);
		vtd_pgt_destroy(&p);
		assert_int_equal(a->pages.in_use, 0);
	}
}

static void test_cfg_from_caps(void **state)
{
	struct vtd_caps c = { .mgaw = 48,
			      .sagaw = VTD_SAGAW_39 | VTD_SAGAW_48,
			      .sllps = VTD_SLLPS_2M | VTD_SLLPS_1G };
	struct vtd_pgt_cfg cfg;

	(void)state;
	/* 39 bits fit 3 levels; 40 need 4; 48 is MGAW; 49 exceeds it. */
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_SECOND_STAGE, 39, &cfg), 0);
	assert_int_equal(cfg.levels, 3);
	assert_int_equal(cfg.features, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_SECOND_STAGE, 40, &cfg), 0);
	assert_int_equal(cfg.levels, 4);
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_SECOND_STAGE, 49, &cfg), -ERANGE);
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_SECOND_STAGE, 12, &cfg), -EINVAL);
	/* Only 4-level tables offered: a 39-bit domain gets 4 levels; 1 GiB needs 2 MiB. */
	c.sagaw = VTD_SAGAW_48;
	c.sllps = VTD_SLLPS_1G;
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_SECOND_STAGE, 39, &cfg), 0);
	assert_int_equal(cfg.levels, 4);
	assert_int_equal(cfg.features, 0);
	c.sagaw = VTD_SAGAW_57;
	c.mgaw = 57;
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_SECOND_STAGE, 57, &cfg), 0);
	assert_int_equal(cfg.levels, 5);

	/* First stage: 47 bits with 4 levels; 48 needs FS5LP. */
	c.fs1gp = true;
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_FIRST_STAGE, 47, &cfg), 0);
	assert_int_equal(cfg.levels, 4);
	assert_int_equal(cfg.features, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_FIRST_STAGE, 48, &cfg), -ERANGE);
	c.fs5lp = true;
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_FIRST_STAGE, 48, &cfg), 0);
	assert_int_equal(cfg.levels, 5);
	assert_int_equal(cfg.features, VTD_PGT_F_2M | VTD_PGT_F_1G | VTD_PGT_F_FS5LP);
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, VTD_PGT_FIRST_STAGE, 57, &cfg), -ERANGE);
	assert_int_equal(vtd_pgt_cfg_from_caps(&c, 7, 48, &cfg), -EINVAL);
}

/* ---- bit-exact entries ---- */

/*
 * An IOVA whose index at level L is L: level 1 index 1 (1 << 12 = 0x1000), level 2 index 2
 * (2 << 21 = 0x40_0000), level 3 index 3 (3 << 30 = 0xc000_0000), level 4 index 4
 * (4 << 39 = 0x200_0000_0000), level 5 index 5 (5 << 48 = 0x5_0000_0000_0000).
 */
#define IOVA_3L 0x00000000c0401000ull
#define IOVA_4L 0x00000200c0401000ull
#define IOVA_5L 0x00050200c0401000ull
#define PA_4K	0x0000000abcdef000ull

/*
 * Map one 4 KiB page at @iova (index L at level L) and check every level: tables are allocated
 * top-down after the root, so the level-(n-1) table is FAKE_BASE + 0x1000, the next
 * FAKE_BASE + 0x2000, ...; each non-leaf entry is @nonleaf | that address, the leaf is
 * PA_4K | @leaf, and every table holds exactly one entry.
 */
static void check_4k_walk(struct arena *a, unsigned int levels, uint64_t iova, uint32_t prot,
			  uint64_t nonleaf, uint64_t leaf)
{
	uint64_t t = FAKE_BASE;

	assert_int_equal(map(a, iova, PA_4K, PAGE, prot), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), levels);
	for (unsigned int level = levels; level > 1; level--) {
		uint64_t next = next_table(a, t, level, nonleaf, 1);

		assert_int_equal(present(a, t), 1);
		assert_int_equal(next, t + PAGE);
		t = next;
	}
	assert_int_equal(entry(a, t, 1), PA_4K | leaf);
	assert_int_equal(present(a, t), 1);
	assert_xlate(a, iova + 0x123, PA_4K + 0x123, prot, PAGE);
	/* A fresh mapping only filled non-present entries: no flush unless CAP.CM = 1. */
	assert_false(a->g.flush);
	assert_true(a->g.nonleaf);
	assert_int_equal(a->g.start, iova);
	assert_int_equal(a->g.end, iova + PAGE);
	assert_int_equal(a->g.max_leaf, PAGE);
	assert_int_equal(unmap(a, iova, PAGE), PAGE);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
	assert_true(a->g.flush);
	assert_int_equal(a->g.nr_freed, levels - 1);
	flushed(a);
	assert_int_equal(a->pages.in_use, 1);
	vtd_pgt_destroy(&a->pgt);
	assert_int_equal(a->pages.in_use, 0);
}

static void test_ss_4k_3_levels(void **state)
{
	struct arena *a = *state;

	create(a, VTD_PGT_SECOND_STAGE, 3, 0);
	/* Non-leaf R|W = 3; leaf 0xabcdef000 | R|W = 0xabcdef003. */
	check_4k_walk(a, 3, IOVA_3L, VTD_PGT_RW, SS_NONLEAF, SS_RW);
}

static void test_ss_4k_4_levels(void **state)
{
	struct arena *a = *state;

	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	/* Read-only leaf: R only = 0xabcdef001; non-leaf still R|W. */
	check_4k_walk(a, 4, IOVA_4L, VTD_PGT_R, SS_NONLEAF, SS_R);
}

static void test_ss_4k_5_levels(void **state)
{
	struct arena *a = *state;

	create(a, VTD_PGT_SECOND_STAGE, 5, 0);
	check_4k_walk(a, 5, IOVA_5L, VTD_PGT_RW, SS_NONLEAF, SS_RW);
}

static void test_ss_exec_nonleaf(void **state)
{
	struct arena *a = *state;

	/* With execute enabled (SSEE), non-leaf entries are R|W|X = 7 and X reaches the leaf. */
	ss4(a, VTD_PGT_F_EXEC);
	check_4k_walk(a, 4, IOVA_4L, VTD_PGT_RW | VTD_PGT_X, SS_RWX, SS_RWX);
}

static void test_fs_4k_4_levels(void **state)
{
	struct arena *a = *state;

	create(a, VTD_PGT_FIRST_STAGE, 4, 0);
	/* Non-leaf 0x27; leaf 0xabcdef000 | 0x67 = 0xabcdef067. */
	check_4k_walk(a, 4, IOVA_4L, VTD_PGT_RW, FS_NONLEAF, FS_RW);
}

static void test_fs_4k_5_levels(void **state)
{
	struct arena *a = *state;

	create(a, VTD_PGT_FIRST_STAGE, 5, VTD_PGT_F_FS5LP);
	/* Read-only: 0x25. */
	check_4k_walk(a, 5, IOVA_5L, VTD_PGT_R, FS_NONLEAF, FS_R);
}

static void test_fs_exec(void **state)
{
	struct arena *a = *state;

	/* With execute control (NXE): X leaves XD clear, 0x67; non-leaf entries never carry XD. */
	create(a, VTD_PGT_FIRST_STAGE, 4, VTD_PGT_F_EXEC);
	check_4k_walk(a, 4, IOVA_4L, VTD_PGT_RW | VTD_PGT_X, FS_NONLEAF, 0x67);
	/* ... and a leaf without X gets XD: 0x8000_0000_0000_0067. */
	create(a, VTD_PGT_FIRST_STAGE, 4, VTD_PGT_F_EXEC);
	check_4k_walk(a, 4, IOVA_4L, VTD_PGT_RW, FS_NONLEAF, FS_RW | FS_XD);
}

static void test_leaf_attributes(void **state)
{
	struct arena *a = *state;
	const struct {
		uint32_t prot;
		uint64_t bits; /* expected leaf bits, or 0 for -EINVAL */
	} ss[] = {
		{ VTD_PGT_R, 0x1 },
		{ VTD_PGT_RW, 0x3 },
		{ VTD_PGT_RW | VTD_PGT_SNP, 0x803 },		/* SNP: bit 11 */
		{ VTD_PGT_RW | VTD_PGT_IPAT, 0x43 },		/* IPAT: bit 6 */
		{ VTD_PGT_RW | VTD_PGT_EMT(VTD_EMT_WB), 0x33 }, /* EMT 6 << 3 = 0x30 */
		{ VTD_PGT_R | VTD_PGT_EMT(VTD_EMT_WC) | VTD_PGT_IPAT,
		  0x49 },			    /* 1 << 3 | 0x40 | 1 */
		{ VTD_PGT_W, 0 },		    /* write-only refused */
		{ 0, 0 },			    /* nothing */
		{ VTD_PGT_R | VTD_PGT_X, 0 },	    /* X without F_EXEC */
		{ VTD_PGT_RW | VTD_PGT_EMT(2), 0 }, /* reserved memory type */
		{ VTD_PGT_RW | VTD_PGT_EMT(7), 0 }, /* reserved memory type */
		{ VTD_PGT_RW | VTD_PGT_PWT, 0 },    /* first stage only */
		{ VTD_PGT_RW | (1u << 20), 0 },	    /* unknown */
	};
	const struct {
		uint32_t prot;
		uint64_t bits;
	} fs[] = {
		{ VTD_PGT_R, FS_R },
		{ VTD_PGT_RW, FS_RW },
		{ VTD_PGT_RW | VTD_PGT_PWT, FS_RW | 0x8 }, /* PWT: bit 3 */
		{ VTD_PGT_R | VTD_PGT_PCD, FS_R | 0x10 },  /* PCD: bit 4 */
		{ VTD_PGT_W, 0 },
		{ VTD_PGT_RW | VTD_PGT_SNP, 0 },
		{ VTD_PGT_RW | VTD_PGT_IPAT, 0 },
		{ VTD_PGT_RW | VTD_PGT_EMT(VTD_EMT_WB), 0 },
		{ VTD_PGT_RW | VTD_PGT_X, 0 },
	};
	struct vtd_pgt_xlate x;
	uint64_t iova = 0;

	ss4(a, 0);
	for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++, iova += PAGE) {
		int ret = map(a, iova, PA_4K, PAGE, ss[i].prot);

		if (!ss[i].bits) {
			assert_int_equal(ret, -EINVAL);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(vtd_pgt_translate(&a->pgt, iova, &x), 0);
		assert_int_equal(x.entry, PA_4K | ss[i].bits);
		assert_int_equal(x.prot, ss[i].prot);
	}
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	create(a, VTD_PGT_FIRST_STAGE, 4, 0);
	iova = 0;
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++, iova += PAGE) {
		int ret = map(a, iova, PA_4K, PAGE, fs[i].prot);

		if (!fs[i].bits) {
			assert_int_equal(ret, -EINVAL);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(vtd_pgt_translate(&a->pgt, iova, &x), 0);
		assert_int_equal(x.entry, PA_4K | fs[i].bits);
		assert_int_equal(x.prot, fs[i].prot);
	}
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

/* ---- leaf sizes ---- */

static void test_ss_2m_leaf(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2;

	/*
	 * IOVA 0x4020_0000: level-4 index 0, level-3 index 1 (0x4000_0000 >> 30), level-2 index 1
	 * (0x20_0000 >> 21). PA 0x8000_0000 is 2 MiB aligned: one SS-PDE
	 * 0x8000_0000 | PS (0x80) | R|W (3) = 0x8000_0083.
	 */
	ss4(a, VTD_PGT_F_2M);
	assert_int_equal(map(a, 0x40200000, 0x80000000, SZ_2M, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	l2 = next_table(a, l3, 1, SS_NONLEAF, 1);
	assert_int_equal(entry(a, l2, 1), 0x80000083);
	assert_int_equal(present(a, l2), 1);
	assert_xlate(a, 0x40200000 + 0x1ff000, 0x801ff000, VTD_PGT_RW, SZ_2M);
	assert_int_equal(a->g.max_leaf, SZ_2M);
	flushed(a);

	/* PA only 4 KiB aligned (0x8000_1000): 512 SS-PTEs 0x8000_1003 + i * 0x1000. */
	assert_int_equal(map(a, 0x40400000, 0x80001000, SZ_2M, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
	{
		uint64_t l1 = next_table(a, l2, 2, SS_NONLEAF, 512);

		for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
			assert_int_equal(entry(a, l1, i), 0x80001003 + i * PAGE);
	}
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	/* Without SLLPS bit 0 an aligned 2 MiB range takes 512 4 KiB leaves too. */
	ss4(a, 0);
	assert_int_equal(map(a, 0x40200000, 0x80000000, SZ_2M, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 4);
	assert_xlate(a, 0x40200000, 0x80000000, VTD_PGT_RW, PAGE);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

static void test_ss_1g_leaf(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2;

	/*
	 * IOVA 0x4000_0000 (level-3 index 1), PA 0x1_4000_0000 (1 GiB aligned): with SLLPS bit 1
	 * one SS-PDPE 0x1_4000_0000 | 0x83 = 0x1_4000_0083 under the root.
	 */
	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, 0x40000000, 0x140000000, SZ_1G, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 2);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	assert_int_equal(entry(a, l3, 1), 0x140000083);
	assert_int_equal(present(a, l3), 1);
	assert_xlate(a, 0x40000000 + 0x3ffff000, 0x17ffff000, VTD_PGT_RW, SZ_1G);
	assert_int_equal(a->g.max_leaf, SZ_1G);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	/* Without bit 1: one SS-PD of 512 SS-PDEs 0x1_4000_0083 + i * 0x20_0000. */
	ss4(a, VTD_PGT_F_2M);
	assert_int_equal(map(a, 0x40000000, 0x140000000, SZ_1G, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	l2 = next_table(a, l3, 1, SS_NONLEAF, 512);
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		assert_int_equal(entry(a, l2, i), 0x140000083 + i * SZ_2M);
	assert_xlate(a, 0x7fe00000, 0x17fe00000, VTD_PGT_RW, SZ_2M);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	/* 1 GiB allowed but the PA only 2 MiB aligned (0x1_4020_0000): 2 MiB leaves. */
	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, 0x40000000, 0x140200000, SZ_1G, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 3);
	assert_xlate(a, 0x40000000, 0x140200000, VTD_PGT_RW, SZ_2M);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

static void test_2m_plus_8k(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2, pt0, pt2;

	/*
	 * [0x1f_f000, 0x41_1000) -> PA + 0x1_0000_0000, 4-level, 2 MiB leaves allowed:
	 * one 4 KiB leaf at 0x1f_f000 (SS-PT under SS-PDE 0, index 511),
	 * one 2 MiB leaf for [0x20_0000, 0x40_0000) (SS-PDE 1 = 0x1_0020_0083),
	 * one 4 KiB leaf at 0x40_0000 (SS-PT under SS-PDE 2, index 0).
	 */
	ss4(a, VTD_PGT_F_2M | VTD_PGT_F_1G);
	assert_int_equal(map(a, 0x1ff000, 0x1001ff000, SZ_2M + 2 * PAGE, VTD_PGT_RW), 0);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 5);
	l3 = next_table(a, FAKE_BASE, 0, SS_NONLEAF, 1);
	l2 = next_table(a, l3, 0, SS_NONLEAF, 3);
	pt0 = next_table(a, l2, 0, SS_NONLEAF, 1);
	assert_int_equal(entry(a, pt0, 511), 0x1001ff003);
	assert_int_equal(present(a, pt0), 1);
	assert_int_equal(entry(a, l2, 1), 0x100200083);
	pt2 = next_table(a, l2, 2, SS_NONLEAF, 1);
	assert_int_equal(entry(a, pt2, 0), 0x100400003);
	assert_int_equal(present(a, pt2), 1);
	assert_int_equal(present(a, l2), 3);
	assert_xlate(a, 0x1ff000, 0x1001ff000, VTD_PGT_RW, PAGE);
	assert_xlate(a, 0x300000, 0x100300000, VTD_PGT_RW, SZ_2M);
	assert_xlate(a, 0x400000, 0x100400000, VTD_PGT_RW, PAGE);
	assert_unmapped(a, 0x1fe000);
	assert_unmapped(a, 0x401000);
	assert_int_equal(a->g.max_leaf, SZ_2M);
	flushed(a);

	/* Aligned start: [0x4000_0000, +2 MiB + 8 KiB): a 2 MiB leaf then two 4 KiB leaves. */
	assert_int_equal(map(a, 0x40000000, 0x200000000, SZ_2M + 2 * PAGE, VTD_PGT_R), 0);
	l2 = next_table(a, l3, 1, SS_NONLEAF, 2);
	assert_int_equal(entry(a, l2, 0), 0x200000081); /* R | PS */
	pt0 = next_table(a, l2, 1, SS_NONLEAF, 2);
	assert_int_equal(entry(a, pt0, 0), 0x200200001);
	assert_int_equal(entry(a, pt0, 1), 0x200201001);
	assert_int_equal(present(a, pt0), 2);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

static void test_fs_large_leaves(void **state)
{
	struct arena *a = *state;
	uint64_t l3, l2;

	/* 2 MiB first-stage leaves need no capability: PDE 0x8000_0000 | 0xe7. */
	create(a, VTD_PGT_FIRST_STAGE, 4, 0);
	assert_int_equal(map(a, 0x40200000, 0x80000000, SZ_2M, VTD_PGT_RW), 0);
	l3 = next_table(a, FAKE_BASE, 0, FS_NONLEAF, 1);
	l2 = next_table(a, l3, 1, FS_NONLEAF, 1);
	assert_int_equal(entry(a, l2, 1), 0x80000000 | FS_RW_PS);
	/* A 1 GiB range without FS1GP: 512 PDEs. */
	assert_int_equal(map(a, 0x80000000, 0x140000000, SZ_1G, VTD_PGT_R), 0);
	l2 = next_table(a, l3, 2, FS_NONLEAF, 512);
	/* Read-only 2 MiB: P|U/S|A|PS = 0x25 + 0x80 = 0xa5. */
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		assert_int_equal(entry(a, l2, i), (0x140000000 + i * SZ_2M) | 0xa5);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	/* With FS1GP: one PDPE 0x1_4000_0000 | 0xe7. */
	create(a, VTD_PGT_FIRST_STAGE, 4, VTD_PGT_F_1G);
	assert_int_equal(map(a, 0x80000000, 0x140000000, SZ_1G, VTD_PGT_RW), 0);
	l3 = next_table(a, FAKE_BASE, 0, FS_NONLEAF, 1);
	assert_int_equal(entry(a, l3, 2), 0x140000000 | FS_RW_PS);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 2);
	assert_xlate(a, 0x80001000, 0x140001000, VTD_PGT_RW, SZ_1G);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

/* ---- argument errors ---- */

static void test_einval(void **state)
{
	struct arena *a = *state;

	ss4(a, VTD_PGT_F_2M);
	assert_int_equal(map(a, 0x1001, 0x2000, PAGE, VTD_PGT_RW), -EINVAL);
	assert_int_equal(map(a, 0x1000, 0x2800, PAGE, VTD_PGT_RW), -EINVAL);
	assert_int_equal(map(a, 0x1000, 0x2000, 0x800, VTD_PGT_RW), -EINVAL);
	assert_int_equal(map(a, 0x1000, 0x2000, 0, VTD_PGT_RW), -EINVAL);
	assert_int_equal(unmap(a, 0x1800, PAGE), -EINVAL);
	assert_int_equal(unmap(a, 0x1000, 0), -EINVAL);
	assert_int_equal(unmap(a, 0x1000, PAGE), -ENOENT);
	assert_int_equal(a->pages.allocs, 1);
	assert_int_equal(a->g.start, a->g.end);
	vtd_pgt_destroy(&a->pgt);
}

static void test_erange_edges(void **state)
{
	struct arena *a = *state;
	const uint64_t top39 = 1ull << 39, top52 = 1ull << 52;
	struct vtd_pgt_cfg cfg = { .format = VTD_PGT_SECOND_STAGE, .levels = 4, .oa_bits = 46 };

	/* 3 levels = 39 bits: the last page maps, the first page beyond and a straddle do not. */
	create(a, VTD_PGT_SECOND_STAGE, 3, VTD_PGT_F_2M);
	assert_int_equal(map(a, top39 - PAGE, 0x1000, PAGE, VTD_PGT_RW), 0);
	assert_xlate(a, top39 - PAGE, 0x1000, VTD_PGT_RW, PAGE);
	assert_int_equal(map(a, top39, 0x1000, PAGE, VTD_PGT_RW), -ERANGE);
	assert_int_equal(map(a, top39 - 2 * PAGE, 0x1000, 2 * PAGE + PAGE, VTD_PGT_RW), -ERANGE);
	assert_int_equal(map(a, UINT64_MAX - PAGE + 1, 0, PAGE, VTD_PGT_RW), -ERANGE);
	assert_int_equal(unmap(a, top39, PAGE), -ERANGE);
	assert_unmapped(a, top39);
	/* Physical addresses: bits 51:12; the last page below 2^52 maps, 2^52 does not. */
	assert_int_equal(map(a, 0x10000, top52 - PAGE, PAGE, VTD_PGT_RW), 0);
	assert_xlate(a, 0x10000, top52 - PAGE, VTD_PGT_RW, PAGE);
	assert_int_equal(map(a, 0x20000, top52, PAGE, VTD_PGT_RW), -ERANGE);
	assert_int_equal(map(a, 0x20000, top52 - PAGE, 2 * PAGE, VTD_PGT_RW), -ERANGE);
	assert_int_equal(unmap(a, 0, top39), 2 * PAGE);
	flushed(a);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
	vtd_pgt_destroy(&a->pgt);

	/* A 46-bit host: 2^46 is out of range. */
	assert_int_equal(vtd_pgt_create(&a->pgt, &cfg, &a->ops), 0);
	assert_int_equal(map(a, 0, (1ull << 46) - PAGE, PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, PAGE, 1ull << 46, PAGE, VTD_PGT_RW), -ERANGE);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);

	/* First stage, 4 levels: the lower canonical half, 2^47. */
	create(a, VTD_PGT_FIRST_STAGE, 4, 0);
	assert_int_equal(map(a, (1ull << 47) - PAGE, 0, PAGE, VTD_PGT_RW), 0);
	assert_int_equal(map(a, 1ull << 47, 0, PAGE, VTD_PGT_RW), -ERANGE);
	flushed(a);
	vtd_pgt_destroy(&a->pgt);
}

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

/* ---- randomized property test ---- */

/*
 * A 2 GiB + 32 MiB window straddling 1 GiB boundaries, modelled page by page. Operations map
 * and unmap random ranges (small, 2 MiB-ish, whole 1 GiB) with PAs of mixed alignment and
 * occasionally a failing allocation; after each, translate() must match the model on every
 * page the operation could have touched, and the table count must match the arena. At the
 * end every page is checked and the tables must be exactly as few as the layout needs.
 */
#define WIN_BASE  (SZ_1G - 16 * SZ_2M / 2)
#define WIN_SIZE  (2 * SZ_1G + 16 * SZ_2M)
#define WIN_PAGES (WIN_SIZE / PAGE)

struct model_page {
	uint64_t pa; /* 0: not mapped (the test never maps PA 0) */
	uint32_t prot;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*, fixed seed: reproducible. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static struct model_page *mp(struct model_page *m, uint64_t iova)
{
	return &m[(iova - WIN_BASE) / PAGE];
}

static bool in_window(uint64_t iova)
{
	return iova >= WIN_BASE && iova < WIN_BASE + WIN_SIZE;
}

static void check_page(struct arena *a, struct model_page *m, uint64_t iova)
{
	struct vtd_pgt_xlate x;
	struct model_page *e = mp(m, iova);
	int ret = vtd_pgt_translate(&a->pgt, iova, &x);

	if (!e->pa) {
		if (ret != -ENOENT)
			fail_msg("iova %#" PRIx64 ": mapped to %#" PRIx64 ", model has nothing",
				 iova, x.pa);
		return;
	}
	if (ret || x.pa != e->pa || x.prot != e->prot)
		fail_msg("iova %#" PRIx64 ": %d pa %#" PRIx64 " prot %#x, model pa %#" PRIx64
			 " prot %#x",
			 iova, ret, ret ? 0 : x.pa, ret ? 0 : x.prot, e->pa, e->prot);
	/* A large leaf only where the model is contiguous across it (checked at its ends). */
	if (x.size > PAGE) {
		uint64_t base = iova & ~(x.size - 1), last = base + x.size - PAGE;

		if (!in_window(base) || !in_window(last) ||
		    mp(m, base)->pa != e->pa - (iova - base) ||
		    mp(m, last)->pa != mp(m, base)->pa + x.size - PAGE ||
		    mp(m, base)->prot != e->prot || mp(m, last)->prot != e->prot)
			fail_msg("iova %#" PRIx64 ": leaf of %#" PRIx64 " not backed by the model",
				 iova, x.size);
	}
}

static void check_range(struct arena *a, struct model_page *m, uint64_t start, uint64_t end)
{
	start = start < WIN_BASE + SZ_2M ? WIN_BASE : start - SZ_2M;
	end = end + SZ_2M > WIN_BASE + WIN_SIZE ? WIN_BASE + WIN_SIZE : end + SZ_2M;
	for (uint64_t iova = start; iova < end; iova += PAGE)
		check_page(a, m, iova);
	/* Splits of 1 GiB leaves change the rest of the 1 GiB: sample it every 2 MiB. */
	for (uint64_t iova = (start & ~(SZ_1G - 1)); iova < end + SZ_1G; iova += SZ_2M - PAGE)
		if (in_window(iova))
			check_page(a, m, iova);
}

/*
 * Walk every table from the root: each non-leaf entry is exactly the format's non-leaf bits,
 * an allocated table's address and that table's present-entry count; leaves carry no count.
 * Returns the tables reached (the root included).
 */
static uint64_t audit_level(struct arena *a, uint64_t table_pa, unsigned int level)
{
	uint64_t n = 1;

	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++) {
		uint64_t e = entry(a, table_pa, i);
		bool leaf = level == 1 || ((a->pgt.leaf_mask & (1u << level)) && (e & a->pgt.ps));

		if (!e)
			continue;
		if (leaf) {
			assert_int_equal(e & VTD_PGT_COUNT_MASK, 0);
			continue;
		}
		n += audit_level(a,
				 next_table(a, table_pa, i, a->pgt.nonleaf,
					    present(a, e & VTD_PTE_ADDR_MASK)),
				 level - 1);
	}
	return n;
}

static void audit(struct arena *a)
{
	assert_int_equal(audit_level(a, a->pgt.root, a->pgt.levels), vtd_pgt_tables(&a->pgt));
}

enum region_kind { R_EMPTY, R_LEAF, R_MIXED };

/* Is [base, base + size) unmapped, one possible leaf (contiguous, aligned PA, same prot)? */
static enum region_kind region(struct model_page *m, uint64_t base, uint64_t size)
{
	uint64_t lo = base < WIN_BASE ? WIN_BASE : base;
	uint64_t hi = base + size > WIN_BASE + WIN_SIZE ? WIN_BASE + WIN_SIZE : base + size;
	bool any = false, all = true;

	for (uint64_t iova = lo; iova < hi; iova += PAGE) {
		bool mapped = mp(m, iova)->pa;

		any |= mapped;
		all &= mapped;
	}
	if (!any)
		return R_EMPTY;
	if (!all || lo != base || hi != base + size)
		return R_MIXED;
	{
		struct model_page *first = mp(m, base);

		if (first->pa & (size - 1))
			return R_MIXED;
		for (uint64_t off = 0; off < size; off += PAGE)
			if (mp(m, base + off)->pa != first->pa + off ||
			    mp(m, base + off)->prot != first->prot)
				return R_MIXED;
	}
	return R_LEAF;
}

/* Tables the entries of a table at @level covering from @base need below them. */
static uint64_t tables_below(struct arena *a, struct model_page *m, unsigned int level,
			     uint64_t base)
{
	uint64_t step = 1ull << (12 + 9 * (level - 1)), n = 0;

	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++) {
		uint64_t b = base + i * step;
		enum region_kind k;

		if (b + step <= WIN_BASE || b >= WIN_BASE + WIN_SIZE)
			continue;
		k = region(m, b, step);
		if (k == R_EMPTY || level == 1)
			continue;
		if (k == R_LEAF && (a->pgt.leaf_mask & (1u << level)))
			continue;
		n += 1 + tables_below(a, m, level - 1, b);
	}
	return n;
}

/*
 * A map that may complete a region: the first unmapped run in the 2 MiB (sometimes 1 GiB)
 * region of a random mapped page, with that page's PA offset and prot. False if none found.
 */
static bool fill_hole(struct model_page *m, uint64_t *iova, uint64_t *size, uint64_t *pa,
		      uint32_t *prot)
{
	uint64_t page = 0, region = rnd_below(8) ? SZ_2M : SZ_1G, lo, hi, p0, p1;

	for (unsigned int tries = 0; tries < 64 && !page; tries++) {
		uint64_t cand = WIN_BASE + rnd_below(WIN_PAGES) * PAGE;

		if (mp(m, cand)->pa)
			page = cand;
	}
	if (!page)
		return false;
	lo = page & ~(region - 1);
	hi = lo + region;
	lo = lo < WIN_BASE ? WIN_BASE : lo;
	hi = hi > WIN_BASE + WIN_SIZE ? WIN_BASE + WIN_SIZE : hi;
	for (p0 = lo; p0 < hi && mp(m, p0)->pa; p0 += PAGE)
		;
	if (p0 == hi)
		return false;
	for (p1 = p0; p1 < hi && !mp(m, p1)->pa; p1 += PAGE)
		;
	*iova = p0;
	*size = p1 - p0;
	*pa = p0 + (mp(m, page)->pa - page);
	*prot = mp(m, page)->prot;
	return true;
}

static void property(struct arena *a, enum vtd_pgt_format format, unsigned int levels,
		     uint32_t features, uint64_t seed)
{
	struct model_page *m = calloc(WIN_PAGES, sizeof(*m));
	/* PA offsets from the IOVA: 1 GiB, 2 MiB-only and 4 KiB-only aligned. */
	const uint64_t deltas[] = { 4 * SZ_1G, 4 * SZ_1G, 8 * SZ_1G + SZ_2M, 4 * SZ_1G + PAGE };
	unsigned int maps = 0, unmaps = 0, enomem = 0, eexist = 0, merges = 0, splits = 0;

	assert_non_null(m);
	rng_state = seed;
	create(a, format, levels, features);
	for (unsigned int op = 0; op < 1500; op++) {
		uint64_t kind = rnd_below(100), iova, size, pa = 0, mapped = 0;
		uint32_t prot = rnd_below(4) ? VTD_PGT_RW : VTD_PGT_R;
		bool fail = rnd_below(6) == 0, do_map = rnd_below(2);

		if (kind < 30 && fill_hole(m, &iova, &size, &pa, &prot)) {
			do_map = true;
		} else if (kind < 60) {
			iova = WIN_BASE + rnd_below(WIN_PAGES) * PAGE;
			size = (1 + rnd_below(rnd_below(4) ? 24 : 1100)) * PAGE;
		} else if (kind < 97) {
			iova = WIN_BASE + rnd_below(WIN_SIZE / SZ_2M) * SZ_2M;
			size = (1 + rnd_below(6)) * SZ_2M;
			if (rnd_below(3) == 0)
				iova += PAGE;
			if (rnd_below(3) == 0)
				size -= PAGE;
		} else {
			iova = SZ_1G * (1 + rnd_below(2));
			size = SZ_1G;
		}
		if (iova + size > WIN_BASE + WIN_SIZE)
			size = WIN_BASE + WIN_SIZE - iova;
		if (!pa)
			pa = iova + deltas[rnd_below(4)];
		for (uint64_t off = 0; off < size; off += PAGE)
			mapped += mp(m, iova + off)->pa != 0;
		a->pages.allocs = 0;
		a->pages.fail_at = fail ? 1 + rnd_below(3) : 0;
		if (do_map) {
			int ret = map(a, iova, pa, size, prot);

			if (ret == -ENOMEM) {
				/* Allocation failed before the map reached any conflict. */
				assert_true(fail);
				enomem++;
			} else if (mapped) {
				assert_int_equal(ret, -EEXIST);
				eexist++;
			} else {
				assert_int_equal(ret, 0);
				for (uint64_t off = 0; off < size; off += PAGE)
					*mp(m, iova + off) = (struct model_page){ pa + off, prot };
				maps++;
				merges += a->g.nr_freed > 0; /* only a merge frees on map */
			}
		} else {
			int64_t ret = unmap(a, iova, size);

			if (ret == -ENOMEM) {
				assert_true(fail);
				enomem++;
			} else {
				assert_int_equal(ret, mapped ? (int64_t)(mapped * PAGE) : -ENOENT);
				for (uint64_t off = 0; off < size; off += PAGE)
					*mp(m, iova + off) = (struct model_page){ 0, 0 };
				unmaps++;
				splits += a->pages.allocs > 0; /* only a split allocates on unmap */
			}
		}
		a->pages.fail_at = 0;
		flushed(a);
		assert_int_equal(a->pages.in_use, vtd_pgt_tables(&a->pgt));
		check_range(a, m, iova, iova + size);
		if (op % 50 == 0)
			audit(a);
	}
	print_message("property: %u maps (%u merging), %u unmaps (%u splitting), %u -EEXIST, "
		      "%u -ENOMEM, %" PRIu64 " tables\n",
		      maps, merges, unmaps, splits, eexist, enomem, vtd_pgt_tables(&a->pgt));
	assert_true(maps > 200 && unmaps > 200 && eexist > 20 && enomem > 10);
	assert_true(splits > 5);
	for (uint64_t iova = WIN_BASE; iova < WIN_BASE + WIN_SIZE; iova += PAGE)
		check_page(a, m, iova);
	audit(a);
	if (features & VTD_PGT_F_SSADE) {
		/* No merging with dirty tracking: never fewer tables than needed. */
		assert_int_equal(merges, 0);
		assert_true(vtd_pgt_tables(&a->pgt) >= 1 + tables_below(a, m, levels, 0));
	} else {
		/* Exactly the tables this layout needs: the root plus what its entries need. */
		assert_true(merges > 5);
		assert_int_equal(vtd_pgt_tables(&a->pgt), 1 + tables_below(a, m, levels, 0));
	}
	assert_true(unmap(a, 0, 4 * SZ_1G) > 0);
	flushed(a);
	assert_int_equal(vtd_pgt_tables(&a->pgt), 1);
	assert_int_equal(a->pages.in_use, 1);
	vtd_pgt_destroy(&a->pgt);
	free(m);
}

static void test_property_ss4(void **state)
{
	property(*state, VTD_PGT_SECOND_STAGE, 4, VTD_PGT_F_2M | VTD_PGT_F_1G, 0x5eedf00d);
}

static void test_property_ss3_2m(void **state)
{
	property(*state, VTD_PGT_SECOND_STAGE, 3, VTD_PGT_F_2M, 0x0123456789abcdefull);
}

static void test_property_ss4_ssade(void **state)
{
	/* With SSADE: counts updated with locked read-modify-writes, no merging. */
	property(*state, VTD_PGT_SECOND_STAGE, 4, VTD_PGT_F_2M | VTD_PGT_F_1G | VTD_PGT_F_SSADE,
		 0x0badc0ffee0ddf00ull);
}

static void test_property_fs4(void **state)
{
	property(*state, VTD_PGT_FIRST_STAGE, 4, VTD_PGT_F_1G, 0xfeedfacecafebeefull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_destroy, setup, teardown),
		cmocka_unit_test(test_cfg_from_caps),
		cmocka_unit_test_setup_teardown(test_ss_4k_3_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_4k_4_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_4k_5_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_exec_nonleaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_4k_4_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_4k_5_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_2m_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_1g_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_2m_plus_8k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_large_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erange_edges, setup, teardown),
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
		cmocka_unit_test_setup_teardown(test_property_ss4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ss3_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ss4_ssade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_fs4, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
