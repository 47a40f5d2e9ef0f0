// SPDX-License-Identifier: MIT
/*
 * iommu/vtd/vtd_pgtable.c: the randomized property test (fixed seeds, four configurations) against
 * a model of 4 KiB pages, auditing every table and the minimal table count
 * (fixture: tests/unit/vtd_pgtable_fixture.h).
 *
 * Sources: iommu/vtd/vtd_pgtable.c tests/unit/fake_pages.c
 */
#include "tests/unit/vtd_pgtable_fixture.h"

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
		cmocka_unit_test_setup_teardown(test_property_ss4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ss3_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ss4_ssade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_fs4, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
