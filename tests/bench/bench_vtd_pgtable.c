// SPDX-License-Identifier: MIT
/*
 * Host benchmark of iommu/vtd/vtd_pgtable.c: second-stage map and unmap, 4 levels, SLLPS 2 MiB and
 * 1 GiB, tables in a host arena reached through vtd_pgt_ops as in skiff (allocation pops a free
 * list and zeroes the page). Figures are per call: the median and the best over 7 rounds of
 * batches timed with clock_gettime(CLOCK_MONOTONIC), every scenario visited in each round so
 * that a slow phase of a shared machine hits all alike; one-call figures come from batches of 64
 * independent sites so a batch is far longer than the clock's resolution. Unmap figures include
 * releasing the gather (the deferred table frees). Every result is checked, timings are not:
 * `make bench` prints and exits 0. Beside ours, the figures Linux's VT-d second-stage code
 * reports on its own hardware (map of 4 KiB, of 256 x 4 KiB and of 256 x 2 MiB).
 * Sources: iommu/vtd/vtd_pgtable.c
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/vtd/vtd_pgtable.h"
#include "tests/bench/bench.h"

#define PAGE	    VTD_PGT_PAGE_SIZE
#define SZ_2M	    VTD_PGT_SIZE_2M
#define SZ_1G	    VTD_PGT_SIZE_1G
#define ARENA_PAGES 8192
#define FAKE_BASE   0x40000000ull /* "physical" address of the arena's first page */
#define BATCH	    256
#define NO_REF	    0.0

struct arena {
	uint64_t *mem;
	unsigned int *stack; /* free pages */
	unsigned int top;
	uint64_t in_use, peak;
};

static struct arena arena;

static int alloc_table(void *ctx, uint64_t *pa)
{
	struct arena *a = ctx;
	unsigned int n;

	if (!a->top)
		return -ENOMEM;
	n = a->stack[--a->top];
	memset(a->mem + (uint64_t)n * VTD_PGT_ENTRIES, 0, PAGE);
	if (++a->in_use > a->peak)
		a->peak = a->in_use;
	*pa = FAKE_BASE + (uint64_t)n * PAGE;
	return 0;
}

static void free_table(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;

	a->stack[a->top++] = (unsigned int)((pa - FAKE_BASE) / PAGE);
	a->in_use--;
}

static uint64_t *table(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;

	return a->mem + (pa - FAKE_BASE) / sizeof(uint64_t);
}

static const struct vtd_pgt_ops ops = {
	.alloc_table = alloc_table, .free_table = free_table, .table = table, .ctx = &arena
};

static struct vtd_pgt_gather gather;
static struct vtd_pgt big, no1g, guest_pgt; /* SLLPS 2M+1G; 2M only; the 64 GiB guest */
static struct vtd_pgt *cur;		    /* the table the scenario functions work on */

static void create(struct vtd_pgt *p, uint32_t features)
{
	struct vtd_pgt_cfg cfg = { .format = VTD_PGT_SECOND_STAGE,
				   .levels = 4,
				   .features = features };

	CHECK(vtd_pgt_create(p, &cfg, &ops) == 0);
}

static void map(uint64_t iova, uint64_t pa, uint64_t size)
{
	CHECK(vtd_pgt_map(cur, iova, pa, size, VTD_PGT_RW, &gather) == 0);
}

static void unmap(uint64_t iova, uint64_t size)
{
	CHECK(vtd_pgt_unmap(cur, iova, size, &gather) == (int64_t)size);
}

/*
 * One scenario: @map_fn then @unmap_fn make one batch of @calls calls (the gather released
 * at the end of the unmap half). A batch is repeated @reps times in each of ROUNDS rounds; the
 * rounds visit every scenario in turn, so a slow phase of the machine is spread over all of
 * them. Reported: the median and the best of the per-call times.
 */
#define ROUNDS 7

struct scenario {
	const char *name;
	void (*map_fn)(void);
	void (*unmap_fn)(void);
	struct vtd_pgt *pgt;
	unsigned int reps;   /* batches per round */
	double calls;	     /* calls per batch: figures are per call */
	double linux_map;    /* Linux's figure for the same operation, or NO_REF */
	const char *unit;    /* "ns" or "us" */
	double *map, *unmap; /* ROUNDS * reps samples */
	unsigned int n;
};

#define SCENARIO(n, m, u, p, r, c, l, un)                                               \
	{                                                                               \
		.name = n, .map_fn = m, .unmap_fn = u, .pgt = p, .reps = r, .calls = c, \
		.linux_map = l, .unit = un                                              \
	}

static void round_of(struct scenario *s)
{
	double scale = s->unit[0] == 'u' ? 1e3 : 1.0;

	cur = s->pgt;
	for (unsigned int r = 0; r < s->reps; r++) {
		double t0 = bench_now_ns(), t1, t2;

		s->map_fn();
		t1 = bench_now_ns();
		s->unmap_fn();
		vtd_pgt_gather_release(cur, &gather);
		t2 = bench_now_ns();
		s->map[s->n] = (t1 - t0) / s->calls / scale;
		s->unmap[s->n++] = (t2 - t1) / s->calls / scale;
	}
}

static void report(struct scenario *s)
{
	double map = bench_median(s->map, s->n), unmap = bench_median(s->unmap, s->n); /* sorts */

	printf("  %-42s %8.1f %8.1f %8.1f %8.1f %-2s", s->name, map, s->map[0], unmap, s->unmap[0],
	       s->unit);
	if (s->linux_map != NO_REF)
		printf(" %8.0f ns", s->linux_map);
	printf("\n");
}

/* ---- scenarios ---- */

/*
 * Sites keep the measured tables alive with a resident mapping: SITES PTs at 2 MiB steps from
 * 0, each with a resident page at index 0 (the measured pages are 1..256); SITES PDs at 1 GiB
 * steps from 1 GiB, each with a resident 2 MiB leaf at index 511 (measured: 0..255); SITES
 * empty 1 GiB regions from 128 GiB; cold 4 KiB maps at 1 GiB steps from 256 GiB.
 */
#define SITES	  64
#define PT_BASE	  0x0ull
#define PT_PA	  0x123400000ull
#define PD_BASE	  SZ_1G
#define PD_PA	  0x4000000000ull
#define G_BASE	  (128 * SZ_1G)
#define G_PA	  0x8000000000ull
#define COLD_BASE (256 * SZ_1G)

static void map_resident(void)
{
	for (unsigned int s = 0; s < SITES; s++) {
		CHECK(vtd_pgt_map(cur, PT_BASE + s * SZ_2M, 0x9000000, PAGE, VTD_PGT_R, &gather) ==
		      0);
		CHECK(vtd_pgt_map(cur, PD_BASE + s * SZ_1G + 511 * SZ_2M, 0xa00000000ull, SZ_2M,
				  VTD_PGT_R, &gather) == 0);
	}
	vtd_pgt_gather_release(cur, &gather);
}

static void map_4k_each(void)
{
	for (unsigned int i = 1; i <= BATCH; i++)
		map(PT_BASE + i * PAGE, PT_PA + i * PAGE, PAGE);
}

static void unmap_4k_each(void)
{
	for (unsigned int i = 1; i <= BATCH; i++)
		unmap(PT_BASE + i * PAGE, PAGE);
}

static void map_4k_one_call(void)
{
	for (unsigned int s = 0; s < SITES; s++)
		map(PT_BASE + s * SZ_2M + PAGE, PT_PA + s * SZ_2M + PAGE, BATCH * PAGE);
}

static void unmap_4k_one_call(void)
{
	for (unsigned int s = 0; s < SITES; s++)
		unmap(PT_BASE + s * SZ_2M + PAGE, BATCH * PAGE);
}

/* Cold: each page lands in its own 1 GiB region, so each map allocates a PD and a PT. */
static void map_4k_cold(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		map(COLD_BASE + i * SZ_1G, PT_PA, PAGE);
}

static void unmap_4k_cold(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		unmap(COLD_BASE + i * SZ_1G, PAGE);
}

static void map_2m_each(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		map(PD_BASE + i * SZ_2M, PD_PA + i * SZ_2M, SZ_2M);
}

static void unmap_2m_each(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		unmap(PD_BASE + i * SZ_2M, SZ_2M);
}

static void map_2m_one_call(void)
{
	for (unsigned int s = 0; s < SITES; s++)
		map(PD_BASE + s * SZ_1G, PD_PA + s * SZ_1G, BATCH * SZ_2M);
}

static void unmap_2m_one_call(void)
{
	for (unsigned int s = 0; s < SITES; s++)
		unmap(PD_BASE + s * SZ_1G, BATCH * SZ_2M);
}

static void map_1g(void)
{
	for (unsigned int s = 0; s < SITES; s++)
		map(G_BASE + s * SZ_1G, G_PA + s * SZ_1G, SZ_1G);
}

static void unmap_1g(void)
{
	for (unsigned int s = 0; s < SITES; s++)
		unmap(G_BASE + s * SZ_1G, SZ_1G);
}

static void map_1g_4k_pa(void)
{
	map(G_BASE, G_PA + PAGE, SZ_1G);
}

static void unmap_1g_once(void)
{
	unmap(G_BASE, SZ_1G);
}

/*
 * A 64 GiB guest: RAM in chunks of mixed alignment (the MSI window and MMIO holes stay
 * unmapped): the low 640 KiB, RAM from 1 MiB (not 2 MiB aligned), 32 GiB with 1 GiB-aligned PAs,
 * 16 GiB with PAs only 2 MiB aligned, 2 GiB with PAs only 4 KiB aligned, and the rest from
 * 64 GiB + 3 MiB with 1 GiB-aligned offsets.
 */
struct extent {
	uint64_t iova, pa, size;
};

static struct extent guest[] = {
	{ 0x0, 0x1000000000ull, 0xa0000 },
	{ 0x100000, 0x1000100000ull, 0x7ff00000 },
	{ 4 * SZ_1G, 0x2000000000ull, 32 * SZ_1G },
	{ 36 * SZ_1G, 0x4000200000ull, 16 * SZ_1G },
	{ 52 * SZ_1G, 0x5000001000ull, 2 * SZ_1G },
	{ 64 * SZ_1G + 0x300000, 0x6000300000ull, 0 }, /* the rest of 64 GiB */
};
#define GUEST_CHUNKS (sizeof(guest) / sizeof(guest[0]))

static void map_guest(void)
{
	for (unsigned int i = 0; i < GUEST_CHUNKS; i++)
		map(guest[i].iova, guest[i].pa, guest[i].size);
}

static void unmap_guest(void)
{
	for (unsigned int i = 0; i < GUEST_CHUNKS; i++)
		unmap(guest[i].iova, guest[i].size);
}

/* Could the entry at @level covering [@b, @b + size) be one leaf of @ext? */
static bool leafable(unsigned int level, uint64_t b, uint64_t size)
{
	if (!(cur->leaf_mask & (1u << level)))
		return false;
	for (unsigned int i = 0; i < GUEST_CHUNKS; i++)
		if (b >= guest[i].iova && b + size <= guest[i].iova + guest[i].size)
			return !((guest[i].pa + (b - guest[i].iova)) & (size - 1));
	return false;
}

static bool intersects(uint64_t b, uint64_t size)
{
	for (unsigned int i = 0; i < GUEST_CHUNKS; i++)
		if (b < guest[i].iova + guest[i].size && guest[i].iova < b + size)
			return true;
	return false;
}

/* The fewest tables below a table at @level covering from @base (largest leaves, merged). */
static uint64_t min_tables_below(unsigned int level, uint64_t base)
{
	uint64_t step = 1ull << (12 + 9 * (level - 1)), n = 0;

	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++) {
		uint64_t b = base + i * step;

		if (!intersects(b, step) || level == 1 || leafable(level, b, step))
			continue;
		n += 1 + min_tables_below(level - 1, b);
	}
	return n;
}

int main(void)
{
	uint64_t total = 0, used, min;
	struct scenario s[] = {
		SCENARIO("4 KiB, tables present (per call)", map_4k_each, unmap_4k_each, &big, 40,
			 BATCH, 55, "ns"),
		SCENARIO("4 KiB, allocating 2 tables (per call)", map_4k_cold, unmap_4k_cold, &big,
			 10, BATCH, NO_REF, "ns"),
		SCENARIO("256 x 4 KiB, one 1 MiB call", map_4k_one_call, unmap_4k_one_call, &big,
			 40, SITES, 391, "ns"),
		SCENARIO("256 x 4 KiB, 256 calls (per 256)", map_4k_each, unmap_4k_each, &big, 40,
			 1, NO_REF, "ns"),
		SCENARIO("256 x 2 MiB, one 512 MiB call", map_2m_one_call, unmap_2m_one_call, &big,
			 40, SITES, 383, "ns"),
		SCENARIO("256 x 2 MiB, 256 calls (per 256)", map_2m_each, unmap_2m_each, &big, 40,
			 1, NO_REF, "ns"),
		SCENARIO("1 GiB, SLLPS 1G: one 1 GiB leaf", map_1g, unmap_1g, &big, 200, SITES,
			 NO_REF, "ns"),
		SCENARIO("1 GiB, SLLPS 2M only: 512 x 2 MiB", map_1g, unmap_1g, &no1g, 10, SITES,
			 NO_REF, "ns"),
		SCENARIO("1 GiB, PA 4 KiB-aligned: 262144 x 4 KiB", map_1g_4k_pa, unmap_1g_once,
			 &big, 2, 1, NO_REF, "us"),
		SCENARIO("64 GiB guest, 6 chunks, mixed alignment", map_guest, unmap_guest,
			 &guest_pgt, 2, 1, NO_REF, "us"),
	};
	const unsigned int nr = sizeof(s) / sizeof(s[0]);

	arena.mem = aligned_alloc(PAGE, (uint64_t)ARENA_PAGES * PAGE);
	arena.stack = calloc(ARENA_PAGES, sizeof(*arena.stack));
	CHECK(arena.mem && arena.stack);
	memset(arena.mem, 0, (uint64_t)ARENA_PAGES * PAGE);
	for (unsigned int i = 0; i < ARENA_PAGES; i++)
		arena.stack[arena.top++] = ARENA_PAGES - 1 - i;
	for (unsigned int i = 0; i + 1 < GUEST_CHUNKS; i++)
		total += guest[i].size;
	guest[GUEST_CHUNKS - 1].size = 64 * SZ_1G - total;

	vtd_pgt_gather_init(&gather);
	create(&big, VTD_PGT_F_2M | VTD_PGT_F_1G);
	create(&no1g, VTD_PGT_F_2M);
	create(&guest_pgt, VTD_PGT_F_2M | VTD_PGT_F_1G);
	cur = &big;
	map_resident();
	for (unsigned int i = 0; i < nr; i++) {
		s[i].map = calloc((size_t)ROUNDS * s[i].reps, sizeof(double));
		s[i].unmap = calloc((size_t)ROUNDS * s[i].reps, sizeof(double));
		CHECK(s[i].map && s[i].unmap);
		round_of(&s[i]); /* warm-up, discarded */
		s[i].n = 0;
	}
	for (unsigned int r = 0; r < ROUNDS; r++)
		for (unsigned int i = 0; i < nr; i++)
			round_of(&s[i]);

	printf("VT-d second-stage page tables (iommu/vtd/vtd_pgtable.c) on this host: gcc -O2,\n"
	       "4 levels, table pages from a host arena through vtd_pgt_ops; per call, median and\n"
	       "best of %u batches (unmap includes releasing the deferred table frees). Linux: its\n"
	       "VT-d second-stage code on its own hardware, map only.\n\n",
	       ROUNDS * s[0].reps);
	printf("  %-42s %8s %8s %8s %8s %-2s %11s\n", "operation", "map", "best", "unmap", "best",
	       "", "Linux map");
	for (unsigned int i = 0; i < nr; i++) {
		report(&s[i]);
		free(s[i].map);
		free(s[i].unmap);
	}

	cur = &guest_pgt;
	map_guest();
	used = vtd_pgt_tables(cur);
	min = 1 + min_tables_below(cur->levels, 0);
	printf("\n  64 GiB guest: %" PRIu64 " table pages (%" PRIu64 " KiB) used, the minimum for "
	       "this layout is %" PRIu64 "\n",
	       used, used * (uint64_t)(PAGE / 1024), min);
	for (unsigned int i = 0; i < GUEST_CHUNKS; i++)
		printf("    IOVA %#013" PRIx64 " PA %#013" PRIx64 " size %#013" PRIx64 "\n",
		       guest[i].iova, guest[i].pa, guest[i].size);
	CHECK(used == min);
	unmap_guest();
	vtd_pgt_gather_release(cur, &gather);
	CHECK(vtd_pgt_tables(cur) == 1);

	vtd_pgt_destroy(&big);
	vtd_pgt_destroy(&no1g);
	vtd_pgt_destroy(&guest_pgt);
	CHECK(arena.in_use == 0);
	printf("  arena peak: %" PRIu64 " table pages\n", arena.peak);
	free(arena.mem);
	free(arena.stack);
	return 0;
}
