// SPDX-License-Identifier: MIT
/*
 * kernel/arch/x86/paging.c: pt_map() and pt_translate() against the contract in kernel/arch/x86/paging.h and
 * the 4-level entry formats of the Intel SDM vol. 3A, 4.5 (tables 4-14 to 4-20): leaf size chosen
 * by alignment (1 GiB only with allow_1g), exact non-leaf and leaf entries, translation inside
 * large pages, -ENOENT, -EEXIST, -EINVAL, -ENOMEM and how many tables a mapping takes.
 * Tables live in a host arena whose pages have made-up "physical" addresses FAKE_BASE + offset:
 * the code must reach them through pt_ops.table(), which accepts only pages it handed out.
 * Sources: kernel/arch/x86/paging.c kernel/mm/pgtable.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/arch/x86/paging.h"

#define ARENA_PAGES 64
#define FAKE_BASE   0x1000000ull /* the arena's first page, as a "physical" address */
#define NONLEAF	    (PTE_P | PTE_W)
#define VA_LIMIT    (1ull << (VA_BITS - 1))

struct arena {
	uint64_t *mem;	     /* ARENA_PAGES zeroed pages */
	unsigned int used;   /* pages handed out, the root included */
	unsigned int tables; /* pages alloc_table() handed out */
	unsigned int budget; /* alloc_table() calls that may still succeed */
	struct pt_ops ops;
	uint64_t root;
};

static int alloc_table(void *ctx, uint64_t *pa)
{
	struct arena *a = ctx;

	if (!a->budget)
		return -ENOMEM;
	assert_true(a->used < ARENA_PAGES);
	a->budget--;
	a->tables++;
	*pa = FAKE_BASE + (uint64_t)a->used++ * PAGE_4K;
	return 0;
}

static uint64_t *table(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;

	assert_true(pa >= FAKE_BASE);
	assert_int_equal((pa - FAKE_BASE) % PAGE_4K, 0);
	assert_true((pa - FAKE_BASE) / PAGE_4K < a->used);
	return a->mem + (pa - FAKE_BASE) / sizeof(uint64_t);
}

static int setup(void **state)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a)
		return -1;
	a->mem = aligned_alloc(PAGE_4K, ARENA_PAGES * PAGE_4K);
	if (!a->mem) {
		free(a);
		return -1;
	}
	memset(a->mem, 0, ARENA_PAGES * PAGE_4K);
	a->used = 1;
	a->root = FAKE_BASE;
	a->budget = ARENA_PAGES - 1;
	a->ops = (struct pt_ops){ .alloc_table = alloc_table, .table = table, .ctx = a };
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	struct arena *a = *state;

	free(a->mem);
	free(a);
	return 0;
}

static int map(struct arena *a, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	return pt_map(&a->ops, a->root, va, pa, size, flags);
}

static uint64_t entry(struct arena *a, uint64_t table_pa, unsigned int index)
{
	return table(a, table_pa)[index];
}

static unsigned int present(struct arena *a, uint64_t table_pa)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		n += entry(a, table_pa, i) & PTE_P;
	return n;
}

/* The non-leaf entry @index of @table_pa: exactly P|W and a table address; returns the table. */
static uint64_t next_table(struct arena *a, uint64_t table_pa, unsigned int index)
{
	uint64_t e = entry(a, table_pa, index);

	assert_int_equal(e & ~PTE_ADDR_MASK, NONLEAF);
	return e & PTE_ADDR_MASK;
}

static void assert_translates(struct arena *a, uint64_t va, uint64_t expect_pa,
			      uint64_t expect_flags, uint64_t expect_size)
{
	uint64_t pa = 0, flags = 0, size = 0;
	int ret = pt_translate(&a->ops, a->root, va, &pa, &flags, &size);

	if (ret || pa != expect_pa || flags != expect_flags || size != expect_size)
		fail_msg(
			"va %#llx: %d, pa %#llx, flags %#llx, size %#llx; expected 0, %#llx, %#llx, "
			"%#llx",
			(unsigned long long)va, ret, (unsigned long long)pa,
			(unsigned long long)flags, (unsigned long long)size,
			(unsigned long long)expect_pa, (unsigned long long)expect_flags,
			(unsigned long long)expect_size);
}

static void assert_unmapped(struct arena *a, uint64_t va)
{
	uint64_t pa, flags, size;
	int ret = pt_translate(&a->ops, a->root, va, &pa, &flags, &size);

	if (ret != -ENOENT)
		fail_msg("va %#llx: %d, expected -ENOENT", (unsigned long long)va, ret);
}

static void test_map_4k(void **state)
{
	struct arena *a = *state;
	uint64_t pdpt, pd, pt;

	assert_int_equal(map(a, 0x1000, 0x5000, PAGE_4K, PTE_W | PTE_NX), 0);
	assert_int_equal(a->tables, 3);
	pdpt = next_table(a, a->root, 0);
	pd = next_table(a, pdpt, 0);
	pt = next_table(a, pd, 0);
	assert_int_equal(entry(a, pt, 1), 0x5000 | PTE_P | PTE_W | PTE_NX);
	assert_int_equal(present(a, a->root), 1);
	assert_int_equal(present(a, pdpt), 1);
	assert_int_equal(present(a, pd), 1);
	assert_int_equal(present(a, pt), 1);
	assert_translates(a, 0x1abc, 0x5abc, PTE_P | PTE_W | PTE_NX, PAGE_4K);
	assert_translates(a, 0x1fff, 0x5fff, PTE_P | PTE_W | PTE_NX, PAGE_4K);
}

static void test_map_2m(void **state)
{
	struct arena *a = *state;
	uint64_t pd;

	assert_int_equal(map(a, 0x200000, 0x40000000, PAGE_2M, PTE_W), 0);
	assert_int_equal(a->tables, 2);
	pd = next_table(a, next_table(a, a->root, 0), 0);
	assert_int_equal(entry(a, pd, 1), 0x40000000 | PTE_P | PTE_W | PTE_PS);
	assert_int_equal(present(a, pd), 1);
	assert_translates(a, 0x2abcde, 0x400abcde, PTE_P | PTE_W | PTE_PS, PAGE_2M);
	assert_translates(a, 0x3fffff, 0x401fffff, PTE_P | PTE_W | PTE_PS, PAGE_2M);
	assert_unmapped(a, 0x400000);
}

static void test_map_1g(void **state)
{
	struct arena *a = *state;
	uint64_t pdpt;

	a->ops.allow_1g = true;
	assert_int_equal(map(a, PAGE_1G, 2 * PAGE_1G, PAGE_1G, PTE_W | PTE_NX), 0);
	assert_int_equal(a->tables, 1);
	pdpt = next_table(a, a->root, 0);
	assert_int_equal(entry(a, pdpt, 1), (2 * PAGE_1G) | PTE_P | PTE_W | PTE_NX | PTE_PS);
	assert_int_equal(present(a, pdpt), 1);
	assert_translates(a, PAGE_1G + 0x12345678, 2 * PAGE_1G + 0x12345678,
			  PTE_P | PTE_W | PTE_NX | PTE_PS, PAGE_1G);
}

static void test_no_1g_without_allow_1g(void **state)
{
	struct arena *a = *state;
	uint64_t pd;

	assert_int_equal(map(a, PAGE_1G, 2 * PAGE_1G, PAGE_1G, PTE_W), 0);
	assert_int_equal(a->tables, 2);
	pd = next_table(a, next_table(a, a->root, 0), 1);
	assert_int_equal(present(a, pd), PT_ENTRIES);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		assert_int_equal(entry(a, pd, i),
				 (2 * PAGE_1G + i * PAGE_2M) | PTE_P | PTE_W | PTE_PS);
	assert_translates(a, PAGE_1G + 0x12345678, 2 * PAGE_1G + 0x12345678, PTE_P | PTE_W | PTE_PS,
			  PAGE_2M);
}

/* A 2 MiB aligned 2 MiB + 8 KiB: one 2 MiB leaf, then a page table with two 4 KiB leaves. */
static void test_map_2m_plus_8k(void **state)
{
	struct arena *a = *state;
	uint64_t pd, pt;

	assert_int_equal(map(a, 0x400000, 0x800000, PAGE_2M + 2 * PAGE_4K, PTE_W), 0);
	assert_int_equal(a->tables, 3);
	pd = next_table(a, next_table(a, a->root, 0), 0);
	assert_int_equal(present(a, pd), 2);
	assert_int_equal(entry(a, pd, 2), 0x800000 | PTE_P | PTE_W | PTE_PS);
	pt = next_table(a, pd, 3);
	assert_int_equal(present(a, pt), 2);
	assert_int_equal(entry(a, pt, 0), 0xa00000 | PTE_P | PTE_W);
	assert_int_equal(entry(a, pt, 1), 0xa01000 | PTE_P | PTE_W);
	assert_translates(a, 0x601234, 0xa01234, PTE_P | PTE_W, PAGE_4K);
	assert_unmapped(a, 0x602000);
}

/* 2 MiB aligned virtual but only 4 KiB aligned physical (and the reverse): 4 KiB leaves. */
static void test_misaligned_pa_gives_4k(void **state)
{
	struct arena *a = *state;

	assert_int_equal(map(a, 0x200000, 0x201000, PAGE_2M, PTE_W), 0);
	assert_int_equal(a->tables, 3);
	assert_translates(a, 0x200000, 0x201000, PTE_P | PTE_W, PAGE_4K);
	assert_translates(a, 0x3ff000, 0x400000, PTE_P | PTE_W, PAGE_4K);
	assert_int_equal(map(a, 0x401000, 0x800000, PAGE_2M, PTE_W), 0);
	assert_translates(a, 0x401000, 0x800000, PTE_P | PTE_W, PAGE_4K);
	assert_translates(a, 0x600000, 0x9ff000, PTE_P | PTE_W, PAGE_4K);
}

/* [1 GiB - 2 MiB, 2 GiB + 2 MiB) identity mapped: 2 MiB, 1 GiB, 2 MiB leaves. */
static void test_largest_leaf_each_part(void **state)
{
	const uint64_t start = PAGE_1G - PAGE_2M, flags = PTE_P | PTE_W | PTE_PS;
	struct arena *a = *state;

	a->ops.allow_1g = true;
	assert_int_equal(map(a, start, start, PAGE_1G + 2 * PAGE_2M, PTE_W), 0);
	assert_translates(a, start, start, flags, PAGE_2M);
	assert_translates(a, PAGE_1G, PAGE_1G, flags, PAGE_1G);
	assert_translates(a, 2 * PAGE_1G - 1, 2 * PAGE_1G - 1, flags, PAGE_1G);
	assert_translates(a, 2 * PAGE_1G + 0x1000, 2 * PAGE_1G + 0x1000, flags, PAGE_2M);
	assert_unmapped(a, start - PAGE_4K);
	assert_unmapped(a, 2 * PAGE_1G + PAGE_2M);
	/* The PML4 never holds a leaf: 512 GiB aligned 1 GiB still goes through a PDPT. */
	assert_int_equal(map(a, 1ull << 39, 1ull << 39, PAGE_1G, 0), 0);
	assert_int_equal(entry(a, next_table(a, a->root, 1), 0), (1ull << 39) | PTE_P | PTE_PS);
}

/* Whatever the leaf flags, the tables above are P|W only. */
static void test_entry_bits(void **state)
{
	const uint64_t flags = PTE_W | PTE_NX | PTE_US | PTE_CACHE_UC | PTE_G;
	struct arena *a = *state;
	uint64_t pt;

	assert_int_equal(map(a, 0x7000, 0xfee00000, PAGE_4K, flags), 0);
	pt = next_table(a, next_table(a, next_table(a, a->root, 0), 0), 0);
	assert_int_equal(entry(a, pt, 7), 0xfee00000 | PTE_P | flags);
	/* No flags: a read-only, present page. */
	assert_int_equal(map(a, 0x8000, 0x9000, PAGE_4K, 0), 0);
	assert_int_equal(entry(a, pt, 8), 0x9000 | PTE_P);
	assert_translates(a, 0x8010, 0x9010, PTE_P, PAGE_4K);
	/* PS among the flags is no request for a large page: a 4 KiB leaf has no PS. */
	assert_int_equal(map(a, 0x9000, 0x9000, PAGE_4K, PTE_W | PTE_PS), 0);
	assert_int_equal(entry(a, pt, 9), 0x9000 | PTE_P | PTE_W);
	/* The highest physical address bits 51:12 can hold. */
	assert_int_equal(map(a, 0xa000, PTE_ADDR_MASK, PAGE_4K, PTE_W), 0);
	assert_translates(a, 0xa008, PTE_ADDR_MASK | 8, PTE_P | PTE_W, PAGE_4K);
}

static void test_unmapped(void **state)
{
	struct arena *a = *state;

	assert_unmapped(a, 0);
	assert_unmapped(a, VA_LIMIT - 1);
	assert_int_equal(map(a, 0x1000, 0x5000, PAGE_4K, PTE_W), 0);
	assert_unmapped(a, 0);		      /* same page table */
	assert_unmapped(a, 0x2000);	      /* same page table */
	assert_unmapped(a, 0x200000);	      /* same page directory */
	assert_unmapped(a, PAGE_1G + 0x1000); /* same PDPT */
	assert_unmapped(a, (1ull << 39) + 0x1000);
}

static void test_overlap(void **state)
{
	struct arena *a = *state;
	unsigned int tables;

	a->ops.allow_1g = true;
	/* 4 KiB inside a 2 MiB leaf. */
	assert_int_equal(map(a, 0x200000, 0x200000, PAGE_2M, PTE_W), 0);
	tables = a->tables;
	assert_int_equal(map(a, 0x201000, 0x5000, PAGE_4K, PTE_W), -EEXIST);
	assert_int_equal(a->tables, tables);
	assert_translates(a, 0x201000, 0x201000, PTE_P | PTE_W | PTE_PS, PAGE_2M);
	/* 2 MiB over a page table. */
	assert_int_equal(map(a, 0x600000, 0x5000, PAGE_4K, PTE_W), 0);
	assert_int_equal(map(a, 0x600000, 0x600000, PAGE_2M, PTE_W), -EEXIST);
	assert_translates(a, 0x600000, 0x5000, PTE_P | PTE_W, PAGE_4K);
	assert_unmapped(a, 0x601000);
	/* 1 GiB over a page directory. */
	assert_int_equal(map(a, 0, 0, PAGE_1G, PTE_W), -EEXIST);
	/* The same page twice. */
	assert_int_equal(map(a, 0x600000, 0x5000, PAGE_4K, PTE_W), -EEXIST);
	/* 1 GiB leaf, then 2 MiB inside it. */
	assert_int_equal(map(a, PAGE_1G, PAGE_1G, PAGE_1G, PTE_W), 0);
	assert_int_equal(map(a, PAGE_1G + PAGE_2M, 0, PAGE_2M, PTE_W), -EEXIST);
}

/* Pages mapped before the conflict stay mapped. */
static void test_overlap_partial(void **state)
{
	struct arena *a = *state;

	assert_int_equal(map(a, 0x803000, 0x5000, PAGE_4K, 0), 0);
	assert_int_equal(map(a, 0x801000, 0x901000, 4 * PAGE_4K, PTE_W), -EEXIST);
	assert_translates(a, 0x801000, 0x901000, PTE_P | PTE_W, PAGE_4K);
	assert_translates(a, 0x802000, 0x902000, PTE_P | PTE_W, PAGE_4K);
	assert_translates(a, 0x803000, 0x5000, PTE_P, PAGE_4K);
}

static void test_invalid(void **state)
{
	static const struct {
		uint64_t va, pa, size, flags;
		const char *why;
	} cases[] = {
		{ 0x1001, 0x1000, PAGE_4K, PTE_W, "va unaligned" },
		{ 0x1000, 0x1800, PAGE_4K, PTE_W, "pa unaligned" },
		{ 0x1000, 0x1000, PAGE_4K + 1, PTE_W, "size unaligned" },
		{ 0x1000, 0x1000, 0, PTE_W, "size 0" },
		{ VA_LIMIT, 0x1000, PAGE_4K, PTE_W, "va at 2^47" },
		{ VA_LIMIT + PAGE_4K, 0x1000, PAGE_4K, PTE_W, "va past 2^47" },
		{ 0xffff800000000000, 0x1000, PAGE_4K, PTE_W, "upper half" },
		{ VA_LIMIT - PAGE_4K, 0x1000, 2 * PAGE_4K, PTE_W, "va + size past 2^47" },
		{ 0x1000, 0x1000, 0xfffffffffffff000, PTE_W, "va + size wraps" },
		{ 0x1000, 1ull << 52, PAGE_4K, PTE_W, "pa bit 52" },
		{ 0x1000, 1ull << 63, PAGE_4K, PTE_W, "pa bit 63" },
		{ 0x1000, 0x1000, PAGE_4K, PTE_W | 0x1000, "flags bit 12" },
		{ 0x1000, 0x1000, PAGE_4K, 1ull << 51, "flags bit 51" },
	};
	struct arena *a = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = map(a, cases[i].va, cases[i].pa, cases[i].size, cases[i].flags);

		if (ret != -EINVAL)
			fail_msg("%s: %d, expected -EINVAL", cases[i].why, ret);
	}
	assert_int_equal(a->tables, 0);
	assert_int_equal(present(a, a->root), 0);
}

static void test_limits(void **state)
{
	struct arena *a = *state;

	assert_int_equal(map(a, VA_LIMIT - PAGE_4K, 0x1000, PAGE_4K, PTE_W), 0);
	assert_translates(a, VA_LIMIT - 1, 0x1fff, PTE_P | PTE_W, PAGE_4K);
	assert_int_equal(map(a, VA_LIMIT - PAGE_1G, 0, PAGE_1G - PAGE_4K, PTE_W), 0);
}

/* One 4 KiB page at va 0 takes a PDPT, a PD and a PT; when one is missing, -ENOMEM. */
static void test_no_memory(void **state)
{
	struct arena *a = *state;

	a->budget = 0;
	assert_int_equal(map(a, 0, 0x5000, PAGE_4K, PTE_W), -ENOMEM);
	a->budget = 2;
	assert_int_equal(map(a, 0, 0x5000, PAGE_4K, PTE_W), -ENOMEM);
	assert_int_equal(a->tables, 2);
	assert_unmapped(a, 0);
	/* The PDPT and PD already linked in are used; only the PT is missing. */
	a->budget = 1;
	assert_int_equal(map(a, 0, 0x5000, PAGE_4K, PTE_W), 0);
	assert_int_equal(a->tables, 3);
	assert_int_equal(a->budget, 0);
	assert_translates(a, 0, 0x5000, PTE_P | PTE_W, PAGE_4K);
	/* More pages in the same page table need nothing new. */
	assert_int_equal(map(a, 0x1000, 0x6000, 511 * PAGE_4K, PTE_W), 0);
	assert_int_equal(map(a, 0x200000, 0x200000, PAGE_4K, PTE_W), -ENOMEM);
}

static void test_tables_shared(void **state)
{
	struct arena *a = *state;

	assert_int_equal(map(a, 0, 0, PAGE_4K, PTE_W), 0);
	assert_int_equal(a->tables, 3);
	assert_int_equal(map(a, 0x1ff000, 0, PAGE_4K, PTE_W), 0);
	assert_int_equal(a->tables, 3);
	assert_int_equal(map(a, 0x200000, 0, PAGE_4K, PTE_W), 0); /* new PT */
	assert_int_equal(a->tables, 4);
	assert_int_equal(map(a, PAGE_1G, 0, PAGE_4K, PTE_W), 0); /* new PD and PT */
	assert_int_equal(a->tables, 6);
	assert_int_equal(map(a, 1ull << 39, 0, PAGE_4K, PTE_W), 0); /* new PDPT, PD and PT */
	assert_int_equal(a->tables, 9);
}

#define ARENA_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest paging_tests[] = {
		ARENA_TEST(test_map_4k),
		ARENA_TEST(test_map_2m),
		ARENA_TEST(test_map_1g),
		ARENA_TEST(test_no_1g_without_allow_1g),
		ARENA_TEST(test_map_2m_plus_8k),
		ARENA_TEST(test_misaligned_pa_gives_4k),
		ARENA_TEST(test_largest_leaf_each_part),
		ARENA_TEST(test_entry_bits),
		ARENA_TEST(test_unmapped),
		ARENA_TEST(test_overlap),
		ARENA_TEST(test_overlap_partial),
		ARENA_TEST(test_invalid),
		ARENA_TEST(test_limits),
		ARENA_TEST(test_no_memory),
		ARENA_TEST(test_tables_shared),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(paging_tests, NULL, NULL);
}
