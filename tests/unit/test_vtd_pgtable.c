// SPDX-License-Identifier: MIT
/*
 * iommu/vtd/vtd_pgtable.c: creation, bit-exact entries at every level, leaf sizes and argument
 * errors (the fixture, tests/unit/vtd_pgtable_fixture.h, says how tables are faked).
 *
 * Sources: iommu/vtd/vtd_pgtable.c tests/unit/fake_pages.c
 */
#include "tests/unit/vtd_pgtable_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
