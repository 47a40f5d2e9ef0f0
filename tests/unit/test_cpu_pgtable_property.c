// SPDX-License-Identifier: MIT
/*
 * vmm/cpu_pgtable.c: a randomized model check (fixed seed) of translate() against random gmem
 * maps in both formats, with and without 1 GiB leaves (fixture: tests/unit/cpu_pgtable_fixture.h).
 *
 * Sources: vmm/cpu_pgtable.c kernel/mm/pgtable.c vmm/ept.c vmm/npt.c vmm/cpu_view.c vmm/gmem.c tests/unit/fake_pages.c
 */
#include "tests/unit/cpu_pgtable_fixture.h"

/* ---- randomized model check ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* A random sealed gmem: up to 8 ranges of random kinds, sizes and alignments, and the MSI. */
static void random_gmem(struct gmem *g)
{
	static const enum gmem_kind kinds[] = { GMEM_RAM, GMEM_RAM, GMEM_ROM, GMEM_MMIO_PASSTHRU,
						GMEM_MMIO_EMULATED };
	static const uint64_t aligns[] = { PAGE, SZ_2M, SZ_1G };
	unsigned int n = 1 + (unsigned int)rnd_below(8);
	uint64_t gpa = rnd_below(4) * SZ_1G, hpa = (1ull << 32) + rnd_below(64) * SZ_1G;
	bool ram = false;

	assert_int_equal(gmem_init(g, 39), 0);
	assert_int_equal(gmem_add(g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"),
			 0);
	for (unsigned int i = 0; i < n; i++) {
		enum gmem_kind kind = kinds[rnd_below(5)];
		uint64_t align = aligns[rnd_below(3)], size, hoff;

		if (i == n - 1 && !ram)
			kind = GMEM_RAM;
		switch (rnd_below(3)) {
		case 0:
			size = (1 + rnd_below(64)) * PAGE;
			break;
		case 1:
			size = (1 + rnd_below(32)) * SZ_2M + rnd_below(2) * rnd_below(8) * PAGE;
			break;
		default:
			size = (1 + rnd_below(2)) * SZ_1G + rnd_below(4) * SZ_2M +
			       rnd_below(2) * PAGE;
			break;
		}
		gpa = align_up(gpa + rnd_below(4) * PAGE, align);
		if (gpa < X86_MSI_BASE + X86_MSI_SIZE && gpa + size > X86_MSI_BASE)
			gpa = align_up(X86_MSI_BASE + X86_MSI_SIZE, align);
		/* The host offset: as aligned as the guest (large leaves) or off by pages. */
		hoff = gpa & (SZ_1G - 1);
		if (size <= 64 * SZ_2M && rnd_below(3) == 0)
			hoff = (hoff + (1 + rnd_below(511)) * PAGE) & (SZ_1G - 1);
		hpa = align_up(hpa, SZ_1G) + hoff;
		assert_int_equal(gmem_add(g, kind, gpa, size,
					  gmem_is_backed(kind) ? hpa : GMEM_NO_BACKING, "r"),
				 0);
		ram |= kind == GMEM_RAM;
		gpa += size;
		hpa += size;
	}
	assert_int_equal(gmem_seal(g), 0);
}

/* Unmapped intervals of the model: pages there are expected to translate to nothing. */
#define MAX_HOLES 8
struct model {
	const struct cpu_view *v;
	unsigned int nr_holes;
	uint64_t hole[MAX_HOLES][2];
};

static const struct cpu_view_entry *model_find(const struct model *m, uint64_t gpa)
{
	for (unsigned int i = 0; i < m->nr_holes; i++)
		if (gpa >= m->hole[i][0] && gpa < m->hole[i][1])
			return NULL;
	return cpu_view_find(m->v, gpa);
}

/* translate(@gpa) agrees with the model; with @maximal, its leaf could not be any larger. */
static void check_gpa(struct arena *a, const struct model *m, uint64_t gpa, bool maximal)
{
	const struct cpu_view_entry *e = model_find(m, gpa);
	struct cpu_pgt_xlate x;
	int ret = cpu_pgt_translate(&a->pgt, gpa, &x);
	uint64_t base, bigger, big_base;

	if (!e) {
		if (ret != -ENOENT)
			fail_msg("gpa %#" PRIx64 " should be absent, got %d hpa %#" PRIx64, gpa,
				 ret, ret ? 0 : x.hpa);
		return;
	}
	if (ret || x.hpa != e->hpa + (gpa - e->gpa) || x.perms != e->perms ||
	    x.memtype != e->memtype)
		fail_msg("gpa %#" PRIx64 ": %d hpa %#" PRIx64
			 " perms %#x mt %u; model hpa %#" PRIx64 " perms %#x mt %u",
			 gpa, ret, x.hpa, x.perms, x.memtype, e->hpa + (gpa - e->gpa), e->perms,
			 e->memtype);
	/* The leaf lies inside the entry it maps. */
	base = gpa & ~(x.size - 1);
	assert_true(base >= e->gpa && base + x.size <= e->gpa + e->size);
	if (!maximal || x.size == SZ_1G || (x.size == SZ_2M && !(a->pgt.features & CPU_PGT_F_1G)))
		return;
	bigger = x.size == PAGE ? SZ_2M : SZ_1G;
	big_base = gpa & ~(bigger - 1);
	if (big_base >= e->gpa && big_base + bigger <= e->gpa + e->size &&
	    !((e->hpa + (big_base - e->gpa)) & (bigger - 1)))
		fail_msg("gpa %#" PRIx64 ": a %#" PRIx64 " leaf where %#" PRIx64 " fits", gpa,
			 x.size, bigger);
}

static void check_model(struct arena *a, const struct model *m, const struct gmem *g, bool maximal)
{
	for (unsigned int i = 0; i < g->nr; i++) {
		const struct gmem_range *r = &g->range[i];

		check_gpa(a, m, r->gpa, maximal);
		check_gpa(a, m, r->gpa + r->size - PAGE, maximal);
		check_gpa(a, m, r->gpa + r->size, maximal);
		if (r->gpa)
			check_gpa(a, m, r->gpa - PAGE, maximal);
		for (unsigned int k = 0; k < 16; k++)
			check_gpa(a, m, r->gpa + (rnd_below(r->size) & ~(PAGE - 1)), maximal);
	}
	for (unsigned int i = 0; i < m->nr_holes; i++) {
		check_gpa(a, m, m->hole[i][0], maximal);
		check_gpa(a, m, m->hole[i][1] - PAGE, maximal);
		check_gpa(a, m, m->hole[i][1], maximal);
		if (m->hole[i][0])
			check_gpa(a, m, m->hole[i][0] - PAGE, maximal);
	}
	for (unsigned int k = 0; k < 64; k++)
		check_gpa(a, m, rnd_below(8 * SZ_1G) & ~(PAGE - 1), maximal);
	audit(a);
}

/* Bytes the model has mapped in [@gpa, @gpa + @size), counted page by page. */
static uint64_t model_mapped(const struct model *m, uint64_t gpa, uint64_t size)
{
	uint64_t n = 0;

	for (uint64_t off = 0; off < size; off += PAGE)
		n += model_find(m, gpa + off) ? PAGE : 0;
	return n;
}

#define PROPERTY_SEED	0x5eedc0de2024ull
#define PROPERTY_ROUNDS 150

static void property(struct arena *a, enum cpu_pgt_format format, uint32_t features)
{
	rng_state = PROPERTY_SEED ^ ((uint64_t)format << 32) ^ features;
	for (unsigned int round = 0; round < PROPERTY_ROUNDS; round++) {
		struct gmem g;
		struct cpu_view v;
		struct model m = { .v = &v };

		random_gmem(&g);
		assert_int_equal(cpu_view_derive(&g, &v), 0);
		create(a, format, features);
		assert_int_equal(cpu_pgt_build(&a->pgt, &v), 0);
		check_model(a, &m, &g, true);

		/* Random unmaps inside (and across the ends of) view entries. */
		for (; m.nr_holes < MAX_HOLES && v.nr; m.nr_holes++) {
			const struct cpu_view_entry *e = &v.entry[rnd_below(v.nr)];
			uint64_t start = e->gpa + (rnd_below(e->size) & ~(PAGE - 1));
			uint64_t size = (1 + rnd_below(rnd_below(2) ? 8 : 1024)) * PAGE;
			uint64_t expect = model_mapped(&m, start, size);
			int64_t ret = cpu_pgt_unmap(&a->pgt, start, size);

			if (expect)
				assert_int_equal(ret, (int64_t)expect);
			else
				assert_int_equal(ret, -ENOENT);
			m.hole[m.nr_holes][0] = start;
			m.hole[m.nr_holes][1] = start + size;
		}
		check_model(a, &m, &g, false);

		/* Tearing down entry by entry frees every table but the root. */
		for (unsigned int i = 0; i < v.nr; i++) {
			uint64_t expect = model_mapped(&m, v.entry[i].gpa, v.entry[i].size);
			int64_t ret = cpu_pgt_unmap(&a->pgt, v.entry[i].gpa, v.entry[i].size);

			assert_int_equal(ret, expect ? (int64_t)expect : -ENOENT);
		}
		assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
		assert_int_equal(a->pages.in_use, 1);
		destroy(a);
	}
}

static void test_property_ept(void **state)
{
	property(*state, CPU_PGT_EPT, 0);
}

static void test_property_ept_1g(void **state)
{
	property(*state, CPU_PGT_EPT, CPU_PGT_F_1G);
}

static void test_property_npt(void **state)
{
	property(*state, CPU_PGT_NPT, 0);
}

static void test_property_npt_1g(void **state)
{
	property(*state, CPU_PGT_NPT, CPU_PGT_F_1G);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_property_ept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ept_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_npt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_npt_1g, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
