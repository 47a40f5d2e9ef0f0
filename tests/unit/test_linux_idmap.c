/* Sources: vmm/linux/idmap.c kernel/arch/x86/paging.c kernel/mm/pgtable.c vmm/linux/layout.c vmm/linux/e820.c vmm/linux/bzimage.c vmm/linux/entry64.c vmm/vcpu_state.c tests/unit/bzimage_fixture.c */
// SPDX-License-Identifier: MIT
/*
 * The identity map of a Linux guest's 64-bit entry (vmm/linux/idmap.c): the entries of small maps
 * bit for bit, then every 2 MiB below @top translated to itself by a walker of the test's own
 * (Intel SDM vol. 3A 4.5, tables 4-14 to 4-20, with the test's own bit values), nothing mapped
 * from @top on, the region's size and refusals, and a whole boot: for a layout placed from a
 * synthetic bzImage, every byte entry64 says must be identity-mapped is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/bzimage_fixture.h"
#include "vmm/linux/entry64.h"
#include "vmm/linux/idmap.h"
#include "vmm/linux/layout.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull
#define TBL 0x1000ull /* one table */

/* SDM tables 4-14 to 4-20, written out here rather than taken from paging.h. */
#define E_P	 0x1ull
#define E_RW	 0x2ull
#define E_PS	 0x80ull
#define E_ADDR	 0x000ffffffffff000ull
#define E_TABLE	 (E_P | E_RW)	     /* what a PML4E, PDPTE or PDE pointing at a table holds */
#define E_LEAF	 (E_P | E_RW | E_PS) /* a 1 GiB or 2 MiB page: present, writable, no NX */
#define FILL	 0xa5u		     /* the region's bytes before a build */
#define FILL_ENT 0xa5a5a5a5a5a5a5a5ull

/* A guest-physical region of tables and the host memory behind it. */
struct region {
	uint64_t *mem;
	uint64_t base;
	uint64_t size;
	uint64_t used; /* after a build */
	uint64_t cr3;
};

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static struct region region_new(uint64_t base, uint64_t size)
{
	struct region r = { .base = base, .size = size };

	r.mem = aligned_alloc(TBL, size ? round_up(size, TBL) : TBL);
	assert_non_null(r.mem);
	memset(r.mem, FILL, size);
	return r;
}

static int build(struct region *r, uint64_t top, bool page_1g)
{
	return linux_idmap_build(r->mem, r->base, r->size, top, page_1g, &r->cr3, &r->used);
}

/* Entry @i of the table at guest-physical @pa, which must be a whole, aligned, used table. */
static uint64_t entry(const struct region *r, uint64_t pa, unsigned int i)
{
	if (pa % TBL || pa < r->base || pa - r->base + TBL > r->used)
		fail_msg("table at %#llx outside [%#llx, +%#llx) or unaligned",
			 (unsigned long long)pa, (unsigned long long)r->base,
			 (unsigned long long)r->used);
	return r->mem[(pa - r->base) / sizeof(uint64_t) + i];
}

/*
 * The test's walk of @va from CR3: 0 with the address and leaf size, or -ENOENT. Every entry on
 * the way must be exactly a table entry or a large leaf (no 4 KiB tables in these maps).
 */
static int walk(const struct region *r, uint64_t va, uint64_t *pa, uint64_t *size)
{
	uint64_t table = r->cr3 & E_ADDR;

	assert_int_equal(r->cr3 & ~E_ADDR, 0); /* PCD, PWT clear, aligned */
	for (unsigned int level = 4; level >= 2; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		uint64_t e = entry(r, table, (unsigned int)(va >> shift) & 511);

		if (!(e & E_P)) {
			assert_int_equal(e, 0);
			return -ENOENT;
		}
		if (level <= 3 && (e & E_PS)) {
			*size = 1ull << shift;
			assert_int_equal(e & ~E_ADDR, E_LEAF);
			assert_int_equal(e & E_ADDR & (*size - 1), 0);
			*pa = (e & E_ADDR) | (va & (*size - 1));
			return 0;
		}
		assert_int_equal(e & ~E_ADDR, E_TABLE);
		table = e & E_ADDR;
	}
	fail_msg("a 4 KiB page table under %#llx", (unsigned long long)va);
	return -EINVAL;
}

static void assert_ident(const struct region *r, uint64_t va, uint64_t want_size)
{
	uint64_t pa = 0, size = 0;

	if (walk(r, va, &pa, &size))
		fail_msg("%#llx not mapped", (unsigned long long)va);
	assert_int_equal(pa, va);
	if (want_size)
		assert_int_equal(size, want_size);
}

static void assert_unmapped(const struct region *r, uint64_t va)
{
	uint64_t pa, size;

	if (!walk(r, va, &pa, &size))
		fail_msg("%#llx mapped", (unsigned long long)va);
}

/* The region's bytes from @from on are still FILL. */
static void assert_untouched(const struct region *r, uint64_t from)
{
	const uint8_t *b = (const uint8_t *)r->mem;

	for (uint64_t i = from; i < r->size; i++)
		if (b[i] != FILL)
			fail_msg("region byte %#llx written", (unsigned long long)i);
}

/* Table @n of the region, as entries. */
static const uint64_t *tab(const struct region *r, unsigned int n)
{
	return r->mem + n * (TBL / sizeof(uint64_t));
}

static void assert_zero_from(const uint64_t *t, unsigned int from)
{
	for (unsigned int i = from; i < 512; i++)
		if (t[i])
			fail_msg("entry %u is %#llx", i, (unsigned long long)t[i]);
}

/* ---- bit-exact small maps ---- */

static void small_map_2m(void **state)
{
	struct region r = region_new(0x9000, 16 * TBL);
	const uint64_t *pml4 = tab(&r, 0), *pdpt = tab(&r, 1), *pd = tab(&r, 2);

	(void)state;
	assert_int_equal(build(&r, 6 * MIB, false), 0);
	assert_int_equal(r.cr3, 0x9000);
	assert_int_equal(r.used, 3 * TBL);
	assert_int_equal(pml4[0], 0xa003); /* the PDPT at 0xa000, P|RW */
	assert_zero_from(pml4, 1);
	assert_int_equal(pdpt[0], 0xb003);
	assert_zero_from(pdpt, 1);
	assert_int_equal(pd[0], 0x000083); /* 0, P|RW|PS */
	assert_int_equal(pd[1], 0x200083);
	assert_int_equal(pd[2], 0x400083);
	assert_zero_from(pd, 3);
	assert_untouched(&r, r.used);
	free(r.mem);
}

static void small_map_1g(void **state)
{
	struct region r = region_new(0x100000, 4 * TBL);
	const uint64_t *pml4 = tab(&r, 0), *pdpt = tab(&r, 1), *pd = tab(&r, 2);

	(void)state;
	assert_int_equal(build(&r, 3 * GIB + 4 * MIB, true), 0);
	assert_int_equal(r.cr3, 0x100000);
	assert_int_equal(r.used, 3 * TBL);
	assert_int_equal(pml4[0], 0x101003);
	assert_zero_from(pml4, 1);
	assert_int_equal(pdpt[0], 0x00000083);
	assert_int_equal(pdpt[1], 0x40000083);
	assert_int_equal(pdpt[2], 0x80000083);
	assert_int_equal(pdpt[3], 0x102003); /* the last GiB begun: a page directory */
	assert_zero_from(pdpt, 4);
	assert_int_equal(pd[0], 0xc0000083);
	assert_int_equal(pd[1], 0xc0200083);
	assert_zero_from(pd, 2);
	assert_untouched(&r, r.used);
	free(r.mem);

	/* Whole GiBs only: no page directory at all. */
	r = region_new(0x100000, 4 * TBL);
	assert_int_equal(build(&r, 2 * GIB, true), 0);
	assert_int_equal(r.used, 2 * TBL);
	assert_int_equal(tab(&r, 1)[1], 0x40000083);
	assert_zero_from(tab(&r, 1), 2);
	assert_untouched(&r, r.used);
	free(r.mem);
}

/* ---- every 2 MiB ---- */

/* Build [0, @top) and walk it all, and past it up to the next GiB and into PML4 entry 1. */
static void check_top(uint64_t top, bool page_1g)
{
	uint64_t need = 2 + (page_1g ? (top % GIB != 0) : round_up(top, GIB) / GIB);
	struct region r = region_new(0x200000, need * TBL);

	assert_int_equal(linux_idmap_size(top, page_1g), need * TBL);
	assert_int_equal(build(&r, top, page_1g), 0);
	assert_int_equal(r.used, need * TBL);
	assert_int_equal(r.cr3, r.base);
	for (uint64_t va = 0; va < top; va += 2 * MIB) {
		uint64_t leaf = page_1g && round_up(va + 1, GIB) <= top ? GIB : 2 * MIB;

		assert_ident(&r, va, leaf);
		assert_ident(&r, va + 2 * MIB - 1, leaf);
	}
	for (uint64_t va = top; va < round_up(top, GIB); va += 2 * MIB)
		assert_unmapped(&r, va);
	assert_unmapped(&r, round_up(top, GIB));
	assert_unmapped(&r, LINUX_IDMAP_TOP_MAX);
	free(r.mem);
}

static void every_2m_translated(void **state)
{
	static const uint64_t tops[] = {
		2 * MIB,  GIB - 2 * MIB,      GIB, GIB + 2 * MIB, 5 * GIB + 6 * MIB,
		64 * GIB, LINUX_IDMAP_TOP_MAX
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
		check_top(tops[i], false);
		check_top(tops[i], true);
	}
}

/* ---- size and refusals ---- */

static void region_too_small(void **state)
{
	static const uint64_t tops[] = { 2 * MIB, 3 * GIB + 2 * MIB, 4 * GIB };

	(void)state;
	for (unsigned int i = 0; i < sizeof(tops) / sizeof(tops[0]); i++)
		for (int g = 0; g <= 1; g++) {
			uint64_t need = linux_idmap_size(tops[i], g);
			struct region r = region_new(0x1000, need + TBL - 1);

			r.cr3 = r.used = 7;
			r.size = need - TBL;
			assert_int_equal(build(&r, tops[i], g), -E2BIG);
			assert_int_equal(r.cr3, 7); /* outputs untouched */
			assert_int_equal(r.used, 7);
			r.size = 0;
			assert_int_equal(build(&r, tops[i], g), -E2BIG);
			r.size = TBL - 1;
			assert_int_equal(build(&r, tops[i], g), -E2BIG);
			/* Exactly enough, and a partial page more (left alone). */
			r.size = need;
			assert_int_equal(build(&r, tops[i], g), 0);
			assert_int_equal(r.used, need);
			memset(r.mem, FILL, need + TBL - 1);
			r.size = need + TBL - 1;
			assert_int_equal(build(&r, tops[i], g), 0);
			assert_int_equal(r.used, need);
			assert_untouched(&r, need);
			free(r.mem);
		}
}

static void refusals(void **state)
{
	const uint64_t pa_end = 1ull << 52; /* past bits 51:12 */
	struct region r = region_new(0x3000, 4 * TBL);
	uint8_t *bytes = (uint8_t *)r.mem;
	uint64_t cr3 = 7, used = 7;

	(void)state;
	r.size = 3 * TBL;
	assert_int_equal(build(&r, 0, false), -EINVAL);
	assert_int_equal(build(&r, MIB, false), -EINVAL);
	assert_int_equal(build(&r, 2 * MIB + 4 * KIB, false), -EINVAL);
	assert_int_equal(build(&r, 2 * MIB + 4 * KIB, true), -EINVAL);
	assert_int_equal(build(&r, LINUX_IDMAP_TOP_MAX + 2 * MIB, false), -EINVAL);
	assert_int_equal(build(&r, LINUX_IDMAP_TOP_MAX + GIB, true), -EINVAL);
	r.base = 0x3800; /* not a table's alignment */
	assert_int_equal(build(&r, 2 * MIB, false), -EINVAL);
	r.base = pa_end - TBL; /* the region reaches past a table address */
	assert_int_equal(build(&r, 2 * MIB, false), -EINVAL);
	r.base = pa_end;
	assert_int_equal(build(&r, 2 * MIB, false), -EINVAL);
	r.base = 0x3000;
	r.size = ~0ull; /* wraps */
	assert_int_equal(build(&r, 2 * MIB, false), -EINVAL);
	assert_int_equal(linux_idmap_build(bytes + 4, 0x3000, 3 * TBL, 2 * MIB, false, &cr3, &used),
			 -EINVAL);
	assert_int_equal(cr3, 7);
	assert_int_equal(used, 7);
	r.size = 4 * TBL;
	assert_untouched(&r, 0);

	/* The highest region a table address holds is fine. */
	r.base = pa_end - 3 * TBL;
	r.size = 3 * TBL;
	assert_int_equal(build(&r, 2 * MIB, false), 0);
	assert_int_equal(r.cr3, pa_end - 3 * TBL);
	assert_ident(&r, 0, 2 * MIB);
	free(r.mem);
}

static void top_of_last_byte(void **state)
{
	(void)state;
	assert_int_equal(linux_idmap_top(0), 2 * MIB);
	assert_int_equal(linux_idmap_top(2 * MIB - 1), 2 * MIB);
	assert_int_equal(linux_idmap_top(2 * MIB), 4 * MIB);
	assert_int_equal(linux_idmap_top(GIB + 1), GIB + 2 * MIB);
	assert_int_equal(linux_idmap_top(~0ull - 2 * MIB), ~0ull - 2 * MIB + 1);
	assert_int_equal(linux_idmap_top(~0ull - 2 * MIB + 1), 0);
	assert_int_equal(linux_idmap_top(~0ull), 0);
}

/* ---- a whole boot ---- */

#define TABLES_AT   0x30000ull
#define TABLES_SIZE 0x10000ull
#define INITRD_SIZE (16 * MIB)

/* Place the fixture's kernel and an initrd in @map, check the layout, map entry64's ranges. */
static void boot(const struct e820_range *map, unsigned int nr, bool page_1g,
		 uint64_t want_initrd_above)
{
	struct fx_image im;
	struct bzimage bz;
	struct linux_entry64 e;
	char why[LINUX_WHY_LEN] = "";
	struct linux_layout l = {
		.zero_page = 0x7000,
		.cmdline = 0x20000,
		.cmdline_len = 15,
		.initrd_size = INITRD_SIZE,
		.gdt = 0x6000,
		.page_tables = TABLES_AT,
		.page_tables_size = TABLES_SIZE,
	};
	struct region r = region_new(TABLES_AT, TABLES_SIZE);
	uint64_t top;

	fx_image_init(&im);
	fx_parse_ok(&im, &bz);
	if (linux_place_kernel(&bz, map, nr, MIB, &l.kernel, why) ||
	    linux_place_initrd(&bz, map, nr, MIB, l.kernel, l.initrd_size, &l.initrd, why) ||
	    linux_layout_check(&l, &bz, map, nr, why))
		fail_msg("layout: %s", why);
	assert_true(l.initrd > want_initrd_above);
	linux_entry64_state(&bz, &l, &e);

	top = linux_idmap_top(e.ident_last);
	assert_true(linux_idmap_size(top, page_1g) <= l.page_tables_size);
	assert_int_equal(build(&r, top, page_1g), 0);
	assert_int_equal(r.cr3, e.state.cr3);
	assert_int_equal(e.nr_ident, 5);
	for (unsigned int i = 0; i < e.nr_ident; i++) {
		uint64_t a = e.ident[i].addr, last = a + e.ident[i].size - 1;

		for (uint64_t va = a; va <= last; va = (va | (TBL - 1)) + 1)
			assert_ident(&r, va, 0);
		assert_ident(&r, last, 0);
		assert_true(last <= e.ident_last);
	}
	free(r.mem);
}

static void boot_below_4g(void **state)
{
	static const struct e820_range map[] = {
		{ 0, 0x9f000, E820_RAM },
		{ 0xe0000, 0x20000, E820_ACPI },
		{ MIB, 511 * MIB, E820_RAM },
	};

	(void)state;
	boot(map, 3, false, 256 * MIB);
	boot(map, 3, true, 256 * MIB);
}

static void boot_above_4g(void **state)
{
	static const struct e820_range map[] = {
		{ 0, 0x9f000, E820_RAM },	{ 0xe0000, 0x20000, E820_ACPI },
		{ MIB, 255 * MIB, E820_RAM },	{ 0xc0000000, 0x40000000, E820_RESERVED },
		{ 4 * GIB, 3 * GIB, E820_RAM },
	};

	(void)state;
	boot(map, 5, false, 6 * GIB);
	boot(map, 5, true, 6 * GIB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_map_2m),
		cmocka_unit_test(small_map_1g),
		cmocka_unit_test(every_2m_translated),
		cmocka_unit_test(region_too_small),
		cmocka_unit_test(refusals),
		cmocka_unit_test(top_of_last_byte),
		cmocka_unit_test(boot_below_4g),
		cmocka_unit_test(boot_above_4g),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
