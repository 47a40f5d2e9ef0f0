// SPDX-License-Identifier: MIT
/*
 * kernel/mm/pmm.c against the contract in kernel/mm/pmm.h: zone accounting, inward alignment,
 * pmm_add_range_except() holes (the exact zones left), contiguous and aligned allocation,
 * exhaustion, every pmm_free() error leaving the state unchanged, PMM_MAX_ZONES, and a
 * randomized run checked against a reference model (one boolean per frame, fixed seed).
 * pmm_release() must free every bitmap: ASan's leak checker fails the program otherwise.
 * Sources: kernel/mm/pmm.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/bits.h"
#include "kernel/mm/pmm.h"

#define F	  PMM_FRAME_SIZE
#define SIZE_2M	  0x200000ull
#define FRAMES_2M (SIZE_2M / F)

struct zone_expect {
	uint64_t base;
	uint64_t frames;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct pmm));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	pmm_release(*state);
	free(*state);
	return 0;
}

static int by_base(const void *a, const void *b)
{
	const struct zone_expect *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* The zones, in address order, are exactly @expect, all free. */
static void assert_zones(const struct pmm *p, const struct zone_expect *expect, size_t n)
{
	struct zone_expect got[16];
	uint64_t total = 0;

	assert_int_equal(p->nr_zones, n);
	assert_true(n <= ARRAY_SIZE(got));
	for (size_t i = 0; i < n; i++) {
		got[i] = (struct zone_expect){ p->zones[i].base, p->zones[i].frames };
		assert_int_equal(p->zones[i].free, p->zones[i].frames);
		total += p->zones[i].frames;
	}
	qsort(got, n, sizeof(got[0]), by_base);
	for (size_t i = 0; i < n; i++)
		if (got[i].base != expect[i].base || got[i].frames != expect[i].frames)
			fail_msg("zone %zu: %#llx + %llu frames, expected %#llx + %llu", i,
				 (unsigned long long)got[i].base, (unsigned long long)got[i].frames,
				 (unsigned long long)expect[i].base,
				 (unsigned long long)expect[i].frames);
	assert_int_equal(p->total_frames, total);
	assert_int_equal(p->free_frames, total);
}

static void test_accounting(void **state)
{
	struct pmm *p = *state;
	uint64_t a, b;

	assert_int_equal(pmm_add_range(p, 0x100000, 16 * F), 0);
	assert_int_equal(pmm_add_range(p, 0x200000, 4 * F), 0);
	assert_int_equal(p->nr_zones, 2);
	assert_int_equal(p->total_frames, 20);
	assert_int_equal(p->free_frames, 20);
	assert_int_equal(pmm_alloc(p, 1, 1, &a), 0);
	assert_int_equal(p->free_frames, 19);
	assert_int_equal(pmm_alloc(p, 3, 1, &b), 0);
	assert_int_equal(p->free_frames, 16);
	assert_int_equal(p->zones[0].free + p->zones[1].free, 16);
	assert_int_equal(p->total_frames, 20);
	assert_int_equal(pmm_free(p, a, 1), 0);
	assert_int_equal(p->free_frames, 17);
	assert_int_equal(pmm_free(p, b, 3), 0);
	assert_int_equal(p->free_frames, 20);
	assert_int_equal(p->zones[0].free + p->zones[1].free, 20);
}

static void test_add_unaligned(void **state)
{
	static const struct zone_expect expect[] = { { 0x2000, 2 }, { 0x10000, 2 } };
	struct pmm *p = *state;

	/* [0x1001, 0x4001) holds the frames at 0x2000 and 0x3000... */
	assert_int_equal(pmm_add_range(p, 0x1001, 0x3000), 0);
	/* ...and [0x10000, 0x12fff) those at 0x10000 and 0x11000. */
	assert_int_equal(pmm_add_range(p, 0x10000, 0x2fff), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

static void test_add_no_whole_frame(void **state)
{
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range(p, 0x1800, 0x1000), 0);
	assert_int_equal(pmm_add_range(p, 0x1000, 0xfff), 0);
	assert_int_equal(pmm_add_range(p, 0x5001, 0x1ffe), 0);
	assert_int_equal(pmm_add_range(p, 0x5000, 0), 0);
	assert_zones(p, NULL, 0);
}

static void test_add_overlap(void **state)
{
	static const struct zone_expect expect[] = { { 0x8000, 8 },
						     { 0x10000, 16 },
						     { 0x20000, 16 } };
	static const struct {
		uint64_t base, size;
	} overlapping[] = {
		{ 0x10000, 0x10000 }, /* the same range */
		{ 0x18000, 0x10000 }, /* its upper half and beyond */
		{ 0x1f000, 0x2000 },  /* its last frame and the next */
		{ 0x8000, 0x9000 },   /* below it and its first frame */
		{ 0x12000, 0x1000 },  /* inside it */
		{ 0x0, 0x100000 },    /* around it */
	};
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range(p, 0x10000, 0x10000), 0);
	for (size_t i = 0; i < ARRAY_SIZE(overlapping); i++) {
		int ret = pmm_add_range(p, overlapping[i].base, overlapping[i].size);

		if (ret != -EEXIST)
			fail_msg("%#llx + %#llx: %d, expected -EEXIST",
				 (unsigned long long)overlapping[i].base,
				 (unsigned long long)overlapping[i].size, ret);
		assert_int_equal(p->nr_zones, 1);
		assert_int_equal(p->total_frames, 16);
	}
	/* Touching is not overlapping. */
	assert_int_equal(pmm_add_range(p, 0x20000, 0x10000), 0);
	assert_int_equal(pmm_add_range(p, 0x8000, 0x8000), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

static void test_add_wraps(void **state)
{
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range(p, 0xfffffffffffff000, 0x2000), -EINVAL);
	assert_int_equal(pmm_add_range(p, UINT64_MAX, 2), -EINVAL);
	assert_int_equal(pmm_add_range(p, 0x1000, UINT64_MAX), -EINVAL);
	assert_zones(p, NULL, 0);
}

/*
 * A range that ends exactly at 2^64 does not wrap past it (memmap_convert() clips regions to end
 * there): its frames are added. (Regression: its end was once computed as 0 and nothing added.)
 */
static void test_add_ending_at_top(void **state)
{
	static const struct zone_expect expect[] = { { 0xffffffffffffe000, 2 } };
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range(p, 0xffffffffffffe000, 0x2000), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

static void test_except_no_holes(void **state)
{
	static const struct zone_expect expect[] = { { 0x100000, 256 } };
	static const struct phys_range empty_hole = { 0x180000, 0 };
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x100000, NULL, 0), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
	pmm_release(p);
	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x100000, &empty_hole, 1), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

static void test_except_one_hole(void **state)
{
	static const struct zone_expect expect[] = { { 0x100000, 0x20 }, { 0x130000, 0xd0 } };
	static const struct phys_range hole = { 0x120000, 0x10000 };
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x100000, &hole, 1), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

/* Unsorted holes that overlap and nest, stick out of the range, are not frame aligned, are
 * empty, or miss the range altogether; in either order they leave the same zones. */
static void test_except_several_holes(void **state)
{
	static const struct phys_range holes[] = {
		{ 0x150000, 0x8000 },	/* [0x150000, 0x158000) */
		{ 0x120000, 0x10000 },	/* [0x120000, 0x130000) */
		{ 0x168000, 0x10000 },	/* overlaps the next one */
		{ 0x160000, 0x10000 },	/* together [0x160000, 0x178000) */
		{ 0x122000, 0x1000 },	/* inside [0x120000, 0x130000) */
		{ 0x0, 0x101000 },	/* sticks out below: [0x100000, 0x101000) */
		{ 0x1f0800, 0x100000 }, /* sticks out above, unaligned: frame 0x1f0000 is lost */
		{ 0x190800, 0x800 },	/* half of frame 0x190000 */
		{ 0x300000, 0x1000 },	/* outside */
		{ 0x1a0000, 0 },	/* empty */
	};
	static const struct zone_expect expect[] = {
		{ 0x101000, 0x1f }, { 0x130000, 0x20 }, { 0x158000, 0x8 },
		{ 0x178000, 0x18 }, { 0x191000, 0x5f },
	};
	struct phys_range reversed[ARRAY_SIZE(holes)];
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x100000, holes, ARRAY_SIZE(holes)), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
	pmm_release(p);
	for (size_t i = 0; i < ARRAY_SIZE(holes); i++)
		reversed[i] = holes[ARRAY_SIZE(holes) - 1 - i];
	assert_int_equal(
		pmm_add_range_except(p, 0x100000, 0x100000, reversed, ARRAY_SIZE(reversed)), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

static void test_except_edges(void **state)
{
	static const struct phys_range holes[] = { { 0x100000, 0x1000 }, { 0x10f000, 0x1000 } };
	static const struct zone_expect expect[] = { { 0x101000, 14 } };
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x10000, holes, ARRAY_SIZE(holes)), 0);
	assert_zones(p, expect, ARRAY_SIZE(expect));
}

static void test_except_hole_covers_all(void **state)
{
	static const struct phys_range exact = { 0x100000, 0x10000 };
	static const struct phys_range larger = { 0x0, 0x1000000 };
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x10000, &exact, 1), 0);
	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x10000, &larger, 1), 0);
	assert_zones(p, NULL, 0);
}

static void test_except_error(void **state)
{
	static const struct phys_range hole = { 0x140000, 0x1000 };
	struct pmm *p = *state;

	assert_int_equal(pmm_add_range(p, 0x180000, 0x10000), 0);
	assert_int_equal(pmm_add_range_except(p, 0x100000, 0x100000, &hole, 1), -EEXIST);
}

static void test_alloc_contiguous(void **state)
{
	struct pmm *p = *state;
	uint64_t run, pa, seen = 0;

	assert_int_equal(pmm_add_range(p, 0x100000, 16 * F), 0);
	assert_int_equal(pmm_alloc(p, 5, 1, &run), 0);
	assert_true(run >= 0x100000 && run + 5 * F <= 0x100000 + 16 * F);
	assert_int_equal(run % F, 0);
	/* The other 11 frames come one by one, each outside the run and new. */
	for (int i = 0; i < 11; i++) {
		assert_int_equal(pmm_alloc(p, 1, 1, &pa), 0);
		assert_true(pa >= 0x100000 && pa < 0x100000 + 16 * F);
		assert_true(pa < run || pa >= run + 5 * F);
		assert_false(seen & (1ull << (pa - 0x100000) / F));
		seen |= 1ull << (pa - 0x100000) / F;
	}
	assert_int_equal(pmm_alloc(p, 1, 1, &pa), -ENOMEM);
	assert_int_equal(p->free_frames, 0);
	/* The run is 5 allocated frames: each can be given back on its own. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(pmm_free(p, run + i * F, 1), 0);
	assert_int_equal(p->free_frames, 5);
}

/* A zone of 8 MiB at 0x101000 ends at 0x901000: it holds the 2 MiB aligned frames 0x200000,
 * 0x400000, 0x600000 and 0x800000, but only the first three start a whole 2 MiB run. */
static void test_alloc_aligned(void **state)
{
	struct pmm *p = *state;
	uint64_t pa, runs[3];

	assert_int_equal(pmm_add_range(p, 0x101000, 2048 * F), 0);
	assert_int_equal(pmm_alloc(p, 1, FRAMES_2M, &pa), 0);
	assert_int_equal(pa % SIZE_2M, 0);
	assert_true(pa >= 0x200000 && pa <= 0x800000);
	assert_int_equal(pmm_free(p, pa, 1), 0);

	for (int i = 0; i < 3; i++) {
		assert_int_equal(pmm_alloc(p, FRAMES_2M, FRAMES_2M, &runs[i]), 0);
		assert_int_equal(runs[i] % SIZE_2M, 0);
		assert_true(runs[i] >= 0x200000 && runs[i] <= 0x600000);
		for (int k = 0; k < i; k++)
			assert_int_not_equal(runs[i], runs[k]);
	}
	assert_int_equal(pmm_alloc(p, FRAMES_2M, FRAMES_2M, &pa), -ENOMEM);
	assert_int_equal(p->free_frames, 2048 - 3 * FRAMES_2M);
	assert_int_equal(pmm_alloc(p, 1, FRAMES_2M, &pa), 0);
	assert_int_equal(pa, 0x800000);
	assert_int_equal(pmm_alloc(p, 1, FRAMES_2M, &pa), -ENOMEM);
	/* Alignment 2: the zone's first frame (0x101000) is odd, its second is even. */
	assert_int_equal(pmm_alloc(p, 1, 2, &pa), 0);
	assert_int_equal(pa % (2 * F), 0);
}

static void test_alloc_bad_args(void **state)
{
	struct pmm *p = *state;
	uint64_t pa;

	assert_int_equal(pmm_add_range(p, 0x100000, 16 * F), 0);
	assert_int_equal(pmm_alloc(p, 0, 1, &pa), -EINVAL);
	assert_int_equal(pmm_alloc(p, 1, 0, &pa), -EINVAL);
	assert_int_equal(pmm_alloc(p, 1, 3, &pa), -EINVAL);
	assert_int_equal(pmm_alloc(p, 1, 6, &pa), -EINVAL);
	assert_int_equal(pmm_alloc(p, 1, (1ull << 40) + 1, &pa), -EINVAL);
	assert_int_equal(p->free_frames, 16);
}

static void test_alloc_exhaustion(void **state)
{
	struct pmm *p = *state;
	uint64_t pa;

	assert_int_equal(pmm_alloc(p, 1, 1, &pa), -ENOMEM);
	assert_int_equal(pmm_add_range(p, 0x100000, 4 * F), 0);
	assert_int_equal(pmm_alloc(p, 5, 1, &pa), -ENOMEM);
	assert_int_equal(p->free_frames, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pmm_alloc(p, 1, 1, &pa), 0);
	assert_int_equal(pmm_alloc(p, 1, 1, &pa), -ENOMEM);
	assert_int_equal(p->free_frames, 0);
	/* Two free frames, but not next to each other. */
	assert_int_equal(pmm_free(p, 0x101000, 1), 0);
	assert_int_equal(pmm_free(p, 0x103000, 1), 0);
	assert_int_equal(pmm_alloc(p, 2, 1, &pa), -ENOMEM);
	assert_int_equal(p->free_frames, 2);
	assert_int_equal(p->zones[0].free, 2);
	assert_int_equal(pmm_alloc(p, 1, 1, &pa), 0);
	assert_true(pa == 0x101000 || pa == 0x103000);
}

/* pmm_free() fails and changes nothing. */
static void assert_free_fails(struct pmm *p, uint64_t pa, uint64_t frames)
{
	uint64_t free_before = p->free_frames, zone_free[2];
	int ret;

	assert_true(p->nr_zones <= ARRAY_SIZE(zone_free));
	for (unsigned int i = 0; i < p->nr_zones; i++)
		zone_free[i] = p->zones[i].free;
	ret = pmm_free(p, pa, frames);
	if (ret != -EINVAL)
		fail_msg("free of %llu frames at %#llx: %d, expected -EINVAL",
			 (unsigned long long)frames, (unsigned long long)pa, ret);
	assert_int_equal(p->free_frames, free_before);
	for (unsigned int i = 0; i < p->nr_zones; i++)
		assert_int_equal(p->zones[i].free, zone_free[i]);
}

static void test_free_errors(void **state)
{
	struct pmm *p = *state;
	uint64_t pa;

	/* Zone [0x100000, 0x108000) all allocated, then zone [0x200000, 0x204000) all free. */
	assert_int_equal(pmm_add_range(p, 0x100000, 8 * F), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pmm_alloc(p, 1, 1, &pa), 0);
	assert_int_equal(pmm_add_range(p, 0x200000, 4 * F), 0);
	assert_int_equal(p->nr_zones, 2);

	assert_free_fails(p, 0x100800, 1);	     /* unaligned */
	assert_free_fails(p, 0x106000, 3);	     /* runs past the zone's end */
	assert_free_fails(p, 0xff000, 1);	     /* below the zone */
	assert_free_fails(p, 0x108000, 1);	     /* just past it */
	assert_free_fails(p, 0x300000, 1);	     /* in no zone */
	assert_free_fails(p, 0x200000, 1);	     /* never allocated */
	assert_free_fails(p, 0x1fe000, 4);	     /* from no zone into one */
	assert_free_fails(p, 0xfffffffffffff000, 2); /* wraps past 2^64 */
	assert_int_equal(pmm_free(p, 0x104000, 1), 0);
	assert_free_fails(p, 0x104000, 1); /* double free */
	assert_free_fails(p, 0x103000, 2); /* one frame allocated, one free */

	/* None of that freed anything: every allocated frame still comes back exactly once. */
	assert_int_equal(pmm_free(p, 0x100000, 4), 0);
	assert_int_equal(pmm_free(p, 0x105000, 3), 0);
	assert_int_equal(p->free_frames, 12);
	assert_int_equal(p->zones[0].free, 8);
}

/* A zone of 64 frames, its bitmap one word, all in use: a free running past its end. */
static void test_free_past_full_zone(void **state)
{
	struct pmm *p = *state;
	uint64_t pa;

	assert_int_equal(pmm_add_range(p, 0x100000, 64 * F), 0);
	assert_int_equal(pmm_alloc(p, 64, 1, &pa), 0);
	assert_int_equal(pa, 0x100000);
	assert_free_fails(p, 0x100000 + 63 * F, 2);
	assert_free_fails(p, 0x100000, 65);
	assert_int_equal(pmm_free(p, 0x100000, 64), 0);
	assert_int_equal(p->free_frames, 64);
}

static void test_zone_limit(void **state)
{
	struct pmm *p = *state;

	for (uint64_t i = 0; i < PMM_MAX_ZONES; i++)
		assert_int_equal(pmm_add_range(p, 0x100000 + 2 * i * F, F), 0);
	assert_int_equal(pmm_add_range(p, 0x100000 + 2 * PMM_MAX_ZONES * F, F), -ENOSPC);
	assert_int_equal(p->nr_zones, PMM_MAX_ZONES);
	assert_int_equal(p->total_frames, PMM_MAX_ZONES);
	assert_int_equal(p->free_frames, PMM_MAX_ZONES);
}

static void test_release(void **state)
{
	struct pmm *p = *state;
	uint64_t pa;

	assert_int_equal(pmm_add_range(p, 0x100000, 100 * F), 0);
	assert_int_equal(pmm_add_range(p, 0x400000, 1000 * F), 0);
	assert_int_equal(pmm_alloc(p, 10, 1, &pa), 0);
	pmm_release(p);
	assert_int_equal(p->nr_zones, 0);
	assert_int_equal(p->total_frames, 0);
	assert_int_equal(p->free_frames, 0);
	assert_int_equal(pmm_alloc(p, 1, 1, &pa), -ENOMEM);
	/* The same range again is no overlap now. */
	assert_int_equal(pmm_add_range(p, 0x100000, 100 * F), 0);
	assert_int_equal(p->free_frames, 100);
}

/* Randomized run against a model --------------------------------------------------------------- */

#define MODEL_OPS	  5000
#define MODEL_MAX_ALLOCS  1024
#define MODEL_MAX_FRAMES  300
#define MODEL_SEED	  0x5eed5eed5eedull
#define MODEL_LOW	  0x100000ull
#define MODEL_HIGH	  0xc00000ull
#define MODEL_ALIGN_SHIFT 7   /* alignments of 1 to 64 frames */
#define MODEL_MIN_EACH	  100 /* each kind of outcome happens at least this often */

struct model_zone {
	uint64_t base, frames, free;
	bool used[MODEL_MAX_FRAMES];
	unsigned int index; /* in struct pmm's zones[] */
};

/* The reference: one boolean per frame, and what is allocated. */
struct model {
	struct model_zone zones[3];
	uint64_t free;
	struct {
		uint64_t pa, frames;
	} allocs[MODEL_MAX_ALLOCS];
	size_t nr_allocs;
	uint64_t rng;
	unsigned int allocated, no_memory, freed, rejected;
};

/* Static: a failed assertion leaves no allocation behind for the leak checker to report. */
static struct model model;

/* xorshift64* (Vigna): the same sequence for a fixed seed on every host. */
static uint64_t rnd(struct model *m)
{
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545f4914f6cdd1dull;
}

static struct model_zone *model_zone_of(struct model *m, uint64_t pa)
{
	for (size_t z = 0; z < ARRAY_SIZE(m->zones); z++)
		if (pa >= m->zones[z].base && pa < m->zones[z].base + m->zones[z].frames * F)
			return &m->zones[z];
	return NULL;
}

/* Whether [@pa, @pa + @frames frames) is frame aligned, inside one zone, and all @used. */
static bool model_all(struct model *m, uint64_t pa, uint64_t frames, bool used)
{
	struct model_zone *mz = model_zone_of(m, pa);
	uint64_t i;

	if (!mz || pa % F)
		return false;
	i = (pa - mz->base) / F;
	if (i + frames > mz->frames)
		return false;
	for (uint64_t k = i; k < i + frames; k++)
		if (mz->used[k] != used)
			return false;
	return true;
}

/* Whether a run of @frames free frames starting at a multiple of @align frames exists. */
static bool model_can_alloc(struct model *m, uint64_t frames, uint64_t align)
{
	for (size_t z = 0; z < ARRAY_SIZE(m->zones); z++) {
		const struct model_zone *mz = &m->zones[z];

		for (uint64_t i = 0; i + frames <= mz->frames; i++)
			if ((mz->base / F + i) % align == 0 &&
			    model_all(m, mz->base + i * F, frames, false))
				return true;
	}
	return false;
}

static void model_set(struct model *m, uint64_t pa, uint64_t frames, bool used)
{
	struct model_zone *mz = model_zone_of(m, pa);
	uint64_t i = (pa - mz->base) / F;

	for (uint64_t k = i; k < i + frames; k++)
		mz->used[k] = used;
	mz->free = used ? mz->free - frames : mz->free + frames;
	m->free = used ? m->free - frames : m->free + frames;
}

static void model_alloc(struct pmm *p, struct model *m)
{
	uint64_t frames = rnd(m) % 4 ? 1 + rnd(m) % 4 : 1 + rnd(m) % 32;
	uint64_t align = 1ull << (rnd(m) % MODEL_ALIGN_SHIFT), pa;
	bool possible = model_can_alloc(m, frames, align);
	int ret = pmm_alloc(p, frames, align, &pa);

	if (ret != (possible ? 0 : -ENOMEM))
		fail_msg("alloc of %llu frames aligned to %llu: %d, expected %d",
			 (unsigned long long)frames, (unsigned long long)align, ret,
			 possible ? 0 : -ENOMEM);
	if (!possible) {
		m->no_memory++;
		return;
	}
	if (pa % (align * F) || !model_all(m, pa, frames, false))
		fail_msg("alloc of %llu frames aligned to %llu gave %#llx: not a free aligned run",
			 (unsigned long long)frames, (unsigned long long)align,
			 (unsigned long long)pa);
	model_set(m, pa, frames, true);
	assert_true(m->nr_allocs < MODEL_MAX_ALLOCS);
	m->allocs[m->nr_allocs].pa = pa;
	m->allocs[m->nr_allocs++].frames = frames;
	m->allocated++;
}

static void model_free(struct pmm *p, struct model *m)
{
	size_t i;

	if (!m->nr_allocs)
		return;
	i = rnd(m) % m->nr_allocs;
	assert_int_equal(pmm_free(p, m->allocs[i].pa, m->allocs[i].frames), 0);
	model_set(m, m->allocs[i].pa, m->allocs[i].frames, false);
	m->allocs[i] = m->allocs[--m->nr_allocs];
	m->freed++;
}

/* A free the model says must fail: anywhere in and around the zones, sometimes unaligned. */
static void model_bad_free(struct pmm *p, struct model *m)
{
	uint64_t pa = MODEL_LOW + rnd(m) % (MODEL_HIGH - MODEL_LOW);
	uint64_t frames = 1 + rnd(m) % 8;
	int ret;

	if (rnd(m) % 4)
		pa &= ~(F - 1);
	if (model_all(m, pa, frames, true))
		return;
	ret = pmm_free(p, pa, frames);
	if (ret != -EINVAL)
		fail_msg("free of %llu frames at %#llx: %d, expected -EINVAL",
			 (unsigned long long)frames, (unsigned long long)pa, ret);
	m->rejected++;
}

static void model_check(const struct pmm *p, const struct model *m)
{
	assert_int_equal(p->free_frames, m->free);
	for (size_t z = 0; z < ARRAY_SIZE(m->zones); z++)
		assert_int_equal(p->zones[m->zones[z].index].free, m->zones[z].free);
}

static void test_random_against_model(void **state)
{
	static const struct zone_expect layout[] = {
		{ 0x101000, 150 }, /* not even 2-frame aligned */
		{ 0x400000, 64 },
		{ 0x7ff000, MODEL_MAX_FRAMES },
	};
	struct pmm *p = *state;
	struct model *m = &model;

	memset(m, 0, sizeof(*m));
	m->rng = MODEL_SEED;
	for (size_t z = 0; z < ARRAY_SIZE(layout); z++) {
		struct model_zone *mz = &m->zones[z];

		assert_int_equal(pmm_add_range(p, layout[z].base, layout[z].frames * F), 0);
		mz->base = layout[z].base;
		mz->frames = mz->free = layout[z].frames;
		mz->index = p->nr_zones - 1;
		m->free += mz->frames;
	}
	for (int op = 0; op < MODEL_OPS; op++) {
		unsigned int kind = rnd(m) % 20;

		if (kind < 9)
			model_alloc(p, m);
		else if (kind < 17)
			model_free(p, m);
		else
			model_bad_free(p, m);
		model_check(p, m);
	}
	while (m->nr_allocs)
		model_free(p, m);
	model_check(p, m);
	assert_int_equal(p->free_frames, p->total_frames);
	/* The run saw every outcome often enough to mean something. */
	assert_true(m->allocated >= MODEL_MIN_EACH);
	assert_true(m->no_memory >= MODEL_MIN_EACH);
	assert_true(m->freed >= MODEL_MIN_EACH);
	assert_true(m->rejected >= MODEL_MIN_EACH);
}

int main(void)
{
	const struct CMUnitTest pmm_tests[] = {
		cmocka_unit_test_setup_teardown(test_accounting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_unaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_no_whole_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_ending_at_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_except_no_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_except_one_hole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_except_several_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_except_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_except_hole_covers_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_except_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_contiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_aligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_past_full_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zone_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(pmm_tests, NULL, NULL);
}
