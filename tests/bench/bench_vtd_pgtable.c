// SPDX-License-Identifier: MIT
/*
 * Host benchmark of iommu/vtd/vtd_pgtable.c: second-stage map and unmap, 4 levels, SLLPS 2 MiB and
 * 1 GiB, tables in a host arena reached through vtd_pgt_ops exactly as in skiff (allocation pops a
 * free list and zeroes the page). Each figure is the median over many repetitions of a batch,
 * timed with clock_gettime(CLOCK_MONOTONIC); unmap figures include releasing the gather (the
 * deferred table frees). Every result is checked, timings are not: `make bench` prints and exits
 * 0. Beside ours, the figures Linux's VT-d second-stage code reports on its own hardware.
 * Sources: iommu/vtd/vtd_pgtable.c
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iommu/vtd/vtd_pgtable.h"

#define PAGE	    VTD_PGT_PAGE_SIZE
#define SZ_2M	    VTD_PGT_SIZE_2M
#define SZ_1G	    VTD_PGT_SIZE_1G
#define ARENA_PAGES 8192
#define FAKE_BASE   0x40000000ull /* "physical" address of the arena's first page */
#define BATCH	    256
#define NO_REF	    0.0

#define CHECK(cond)                                                                             \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "bench: %s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                         \
			exit(1);                                                                \
		}                                                                               \
	} while (0)

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

static struct vtd_pgt pgt;
static struct vtd_pgt_gather gather;

static void create(uint32_t features)
{
	struct vtd_pgt_cfg cfg = { .format = VTD_PGT_SECOND_STAGE,
				   .levels = 4,
				   .features = features };

	CHECK(vtd_pgt_create(&pgt, &cfg, &ops) == 0);
	vtd_pgt_gather_init(&gather);
}

static void destroy(void)
{
	vtd_pgt_gather_release(&pgt, &gather);
	vtd_pgt_destroy(&pgt);
	CHECK(arena.in_use == 0);
}

static void map(uint64_t iova, uint64_t pa, uint64_t size)
{
	CHECK(vtd_pgt_map(&pgt, iova, pa, size, VTD_PGT_RW, &gather) == 0);
}

static void unmap(uint64_t iova, uint64_t size)
{
	CHECK(vtd_pgt_unmap(&pgt, iova, size, &gather) == (int64_t)size);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One scenario: @map_fn and @unmap_fn do @ops_per_batch operations between them. */
struct scenario {
	const char *name;
	void (*map_fn)(void);
	void (*unmap_fn)(void);
	unsigned int reps;
	double divisor;	  /* the batch time is divided by this: per operation or per batch */
	double linux_map; /* Linux's figure for the same operation, or NO_REF */
	const char *unit; /* "ns" or "us" */
};

static void run(const struct scenario *s)
{
	double *m = calloc(s->reps, sizeof(double)), *u = calloc(s->reps, sizeof(double));
	double scale = s->unit[0] == 'u' ? 1e3 : 1.0;
	unsigned int warm = s->reps / 10 + 1;

	CHECK(m && u);
	for (unsigned int r = 0; r < warm + s->reps; r++) {
		double t0 = now_ns(), t1, t2;

		s->map_fn();
		t1 = now_ns();
		s->unmap_fn();
		vtd_pgt_gather_release(&pgt, &gather);
		t2 = now_ns();
		if (r >= warm) {
			m[r - warm] = (t1 - t0) / s->divisor / scale;
			u[r - warm] = (t2 - t1) / s->divisor / scale;
		}
	}
	printf("  %-46s %10.1f %s %10.1f %s", s->name, median(m, s->reps), s->unit,
	       median(u, s->reps), s->unit);
	if (s->linux_map != NO_REF)
		printf(" %10.0f ns", s->linux_map);
	printf("\n");
	free(m);
	free(u);
}

/* ---- scenarios: a resident mapping keeps the tables of the measured range alive ---- */

#define RESIDENT    0x3fe00000ull /* a page at index 0 of the measured PT */
#define PT_IOVA	    0x3fe01000ull /* pages 1..256 of that PT */
#define PT_PA	    0x123401000ull
#define PD_IOVA	    0x40000000ull /* 2 MiB entries 0..255 of a PD */
#define PD_PA	    0x400000000ull
#define PD_RESIDENT (PD_IOVA + 511 * SZ_2M)

static void map_4k_each(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		map(PT_IOVA + i * PAGE, PT_PA + i * PAGE, PAGE);
}

static void unmap_4k_each(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		unmap(PT_IOVA + i * PAGE, PAGE);
}

static void map_4k_one_call(void)
{
	map(PT_IOVA, PT_PA, BATCH * PAGE);
}

static void unmap_4k_one_call(void)
{
	unmap(PT_IOVA, BATCH * PAGE);
}

/* Cold: each page lands in its own 1 GiB region, so each map allocates a PD and a PT. */
#define COLD_IOVA 0x100000000ull
static void map_4k_cold(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		map(COLD_IOVA + i * SZ_1G, PT_PA, PAGE);
}

static void unmap_4k_cold(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		unmap(COLD_IOVA + i * SZ_1G, PAGE);
}

static void map_2m_each(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		map(PD_IOVA + i * SZ_2M, PD_PA + i * SZ_2M, SZ_2M);
}

static void unmap_2m_each(void)
{
	for (unsigned int i = 0; i < BATCH; i++)
		unmap(PD_IOVA + i * SZ_2M, SZ_2M);
}

static void map_2m_one_call(void)
{
	map(PD_IOVA, PD_PA, BATCH * SZ_2M);
}

static void unmap_2m_one_call(void)
{
	unmap(PD_IOVA, BATCH * SZ_2M);
}

#define G_IOVA (4 * SZ_1G)
static void map_1g(void)
{
	map(G_IOVA, 8 * SZ_1G, SZ_1G);
}

static void map_1g_4k_pa(void)
{
	map(G_IOVA, 8 * SZ_1G + PAGE, SZ_1G);
}

static void unmap_1g(void)
{
	unmap(G_IOVA, SZ_1G);
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
	if (!(pgt.leaf_mask & (1u << level)))
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
	uint64_t total = 0;

	arena.mem = aligned_alloc(PAGE, (uint64_t)ARENA_PAGES * PAGE);
	arena.stack = calloc(ARENA_PAGES, sizeof(*arena.stack));
	CHECK(arena.mem && arena.stack);
	memset(arena.mem, 0, (uint64_t)ARENA_PAGES * PAGE);
	for (unsigned int i = 0; i < ARENA_PAGES; i++)
		arena.stack[arena.top++] = ARENA_PAGES - 1 - i;
	for (unsigned int i = 0; i + 1 < GUEST_CHUNKS; i++)
		total += guest[i].size;
	guest[GUEST_CHUNKS - 1].size = 64 * SZ_1G - total;

	printf("VT-d second-stage page tables (iommu/vtd/vtd_pgtable.c), host, -O2, 4 levels,\n"
	       "SLLPS 2 MiB + 1 GiB; median of repeated batches; Linux: its VT-d second-stage code\n"
	       "on its own hardware (map only)\n\n");
	printf("  %-46s %13s %13s %13s\n", "operation", "map", "unmap", "Linux map");

	create(VTD_PGT_F_2M | VTD_PGT_F_1G);
	map(RESIDENT, 0x9000000, PAGE);
	map(PD_RESIDENT, 0xa00000000ull, SZ_2M);
	vtd_pgt_gather_release(&pgt, &gather);
	{
		const struct scenario s[] = {
			{ "4 KiB, tables present (per call)", map_4k_each, unmap_4k_each, 4000,
			  BATCH, 55, "ns" },
			{ "4 KiB, allocating 2 tables (per call)", map_4k_cold, unmap_4k_cold, 400,
			  BATCH, NO_REF, "ns" },
			{ "256 x 4 KiB, one 1 MiB call", map_4k_one_call, unmap_4k_one_call, 20000,
			  1, 391, "ns" },
			{ "256 x 4 KiB, 256 calls (per 256)", map_4k_each, unmap_4k_each, 4000, 1,
			  NO_REF, "ns" },
			{ "256 x 2 MiB, one 512 MiB call", map_2m_one_call, unmap_2m_one_call,
			  20000, 1, 383, "ns" },
			{ "256 x 2 MiB, 256 calls (per 256)", map_2m_each, unmap_2m_each, 4000, 1,
			  NO_REF, "ns" },
			{ "1 GiB, 1 GiB-aligned PA: one 1 GiB leaf", map_1g, unmap_1g, 100000, 1,
			  NO_REF, "ns" },
			{ "1 GiB, PA 4 KiB-aligned: 262144 x 4 KiB", map_1g_4k_pa, unmap_1g, 40, 1,
			  NO_REF, "us" },
		};

		for (unsigned int i = 0; i < sizeof(s) / sizeof(s[0]); i++)
			run(&s[i]);
	}
	CHECK(vtd_pgt_tables(&pgt) == arena.in_use);
	destroy();

	/* Without SLLPS 1 GiB the 1 GiB range takes a PD of 512 2 MiB leaves. */
	create(VTD_PGT_F_2M);
	{
		const struct scenario s = { "1 GiB, no SLLPS 1 GiB: 512 x 2 MiB",
					    map_1g,
					    unmap_1g,
					    20000,
					    1,
					    NO_REF,
					    "ns" };

		run(&s);
	}
	destroy();

	create(VTD_PGT_F_2M | VTD_PGT_F_1G);
	{
		const struct scenario s = { "64 GiB guest, 6 chunks, mixed alignment",
					    map_guest,
					    unmap_guest,
					    30,
					    1,
					    NO_REF,
					    "us" };
		uint64_t used, min;

		run(&s);
		map_guest();
		used = vtd_pgt_tables(&pgt);
		min = 1 + min_tables_below(pgt.levels, 0);
		printf("\n  64 GiB guest: %" PRIu64 " table pages used (%" PRIu64
		       " KiB), minimum for this layout %" PRIu64 "\n",
		       used, used * (uint64_t)(PAGE / 1024), min);
		for (unsigned int i = 0; i < GUEST_CHUNKS; i++)
			printf("    chunk %u: IOVA %#014" PRIx64 " PA %#014" PRIx64
			       " size %#013" PRIx64 "\n",
			       i, guest[i].iova, guest[i].pa, guest[i].size);
		CHECK(used == min);
		unmap_guest();
		vtd_pgt_gather_release(&pgt, &gather);
		CHECK(vtd_pgt_tables(&pgt) == 1);
	}
	destroy();
	printf("\n  arena peak: %" PRIu64 " table pages\n", arena.peak);
	free(arena.mem);
	free(arena.stack);
	return 0;
}
