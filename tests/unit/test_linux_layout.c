/* Sources: vmm/linux/layout.c vmm/linux/e820.c vmm/linux/bzimage.c tests/unit/bzimage_fixture.c */
// SPDX-License-Identifier: MIT
/*
 * Where a Linux guest's kernel and initrd go (vmm/linux/layout.c), against boot.rst's rules:
 * the kernel at pref_address when it fits, else at the lowest multiple of kernel_alignment
 * above the floor with init_size bytes of RAM; the initrd as high as it fits below
 * initrd_addr_max (anywhere with XLF_CAN_BE_LOADED_ABOVE_4G) and clear of the kernel. Cases by
 * hand, then random maps whose answers are checked against a brute-force search. Then
 * linux_layout_check()'s refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tests/unit/bzimage_fixture.h"
#include "vmm/linux/layout.h"

#define MIB	 0x100000ull
#define GIB	 0x40000000ull
#define FOUR_GIB 0x100000000ull
#define FLOOR	 MIB

static struct fx_image IM;
static struct bzimage BZ;
static char WHY[LINUX_WHY_LEN];

/* The fixture's kernel (2 MiB alignment, pref 16 MiB, init_size 8 MiB), with @xlf. */
static void kernel_with(uint16_t xlf)
{
	fx_image_init(&IM);
	fx_put(&IM, FX_XLOADFLAGS, xlf, 2);
	fx_parse_ok(&IM, &BZ);
}

static uint64_t place_kernel(const struct e820_range *map, unsigned int nr, uint64_t floor)
{
	uint64_t at = 0;

	WHY[0] = '\0';
	if (linux_place_kernel(&BZ, map, nr, floor, &at, WHY))
		fail_msg("linux_place_kernel: %s", WHY);
	return at;
}

/* ---- the kernel ---- */

static void kernel_at_pref_address(void **state)
{
	const struct e820_range map[] = { { 0, 0xa0000, E820_RAM },
					  { 0xf0000, 0x10000, E820_RESERVED },
					  { MIB, 255 * MIB, E820_RAM } };

	(void)state;
	kernel_with(FX_XLF);
	assert_int_equal(place_kernel(map, 3, FLOOR), FX_PREF);
}

/* pref_address below the floor, or outside RAM, or too near RAM's end: the lowest aligned. */
static void kernel_lowest_when_pref_unusable(void **state)
{
	const struct e820_range ram[] = { { MIB, 255 * MIB, E820_RAM } };
	const struct e820_range high[] = { { 32 * MIB + 0x1000, 64 * MIB, E820_RAM } };
	const struct e820_range short_ram[] = { { MIB, 16 * MIB + 4 * MIB, E820_RAM } };

	(void)state;
	kernel_with(FX_XLF);
	assert_int_equal(place_kernel(ram, 1, 20 * MIB), 20 * MIB);
	assert_int_equal(place_kernel(ram, 1, 20 * MIB + 1), 22 * MIB);
	assert_int_equal(place_kernel(high, 1, FLOOR), 34 * MIB);
	/* 16 MiB + 8 MiB does not fit in RAM ending at 21 MiB: 2 MiB does (2 + 8 <= 21). */
	assert_int_equal(place_kernel(short_ram, 1, FLOOR), 2 * MIB);
}

/* Two RAM ranges, listed high first: the low one holds init_size from its first aligned address
 * exactly; one byte less and the high one takes it. */
static void kernel_skips_small_range(void **state)
{
	const struct e820_range fits[] = { { 40 * MIB, 64 * MIB, E820_RAM },
					   { MIB, 9 * MIB, E820_RAM } };
	const struct e820_range tight[] = { { 40 * MIB, 64 * MIB, E820_RAM },
					    { MIB, 9 * MIB - 1, E820_RAM } };

	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_PREF_ADDRESS, 0, 8);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(place_kernel(fits, 2, FLOOR), 2 * MIB); /* [2, 10) MiB in [1, 10) */
	assert_int_equal(place_kernel(tight, 2, FLOOR), 40 * MIB);
}

/* Reserved and ACPI ranges hold no kernel, however large. */
static void kernel_ignores_non_ram(void **state)
{
	const struct e820_range map[] = { { 0, GIB, E820_RESERVED }, { GIB, GIB, E820_ACPI } };
	uint64_t at = 0;

	(void)state;
	kernel_with(FX_XLF);
	assert_int_equal(linux_place_kernel(&BZ, map, 2, 0, &at, WHY), -ENOSPC);
	assert_non_null(strstr(WHY, "init_size"));
}

/* init_size larger than all the RAM: refused, naming init_size. */
static void kernel_too_large_for_ram(void **state)
{
	const struct e820_range map[] = { { MIB, 8 * MIB, E820_RAM } };
	uint64_t at = 0;

	(void)state;
	kernel_with(FX_XLF);
	assert_int_equal(linux_place_kernel(&BZ, map, 1, FLOOR, &at, WHY), -ENOSPC);
	assert_non_null(strstr(WHY, "init_size"));
	assert_int_equal(at, 0);
}

/* RAM only above 4 GiB: a kernel without XLF_CAN_BE_LOADED_ABOVE_4G has nowhere to go. */
static void kernel_above_4g_needs_the_flag(void **state)
{
	const struct e820_range map[] = { { FOUR_GIB, GIB, E820_RAM } };
	uint64_t at = 0;

	(void)state;
	kernel_with(0x1);
	assert_int_equal(linux_place_kernel(&BZ, map, 1, FLOOR, &at, WHY), -ENOSPC);
	kernel_with(0x3);
	assert_int_equal(place_kernel(map, 1, FLOOR), FOUR_GIB);
}

/* Without the flag the kernel's last byte may be 4 GiB - 1 exactly, not 4 GiB. */
static void kernel_up_to_4g(void **state)
{
	const struct e820_range top[] = { { FOUR_GIB - FX_INIT_SIZE_VAL, 2 * FX_INIT_SIZE_VAL,
					    E820_RAM } };
	const struct e820_range over[] = { { FOUR_GIB - FX_INIT_SIZE_VAL + FX_ALIGN,
					     2 * FX_INIT_SIZE_VAL, E820_RAM } };
	uint64_t at = 0;

	(void)state;
	kernel_with(0x1);
	assert_int_equal(place_kernel(top, 1, FLOOR), FOUR_GIB - FX_INIT_SIZE_VAL);
	assert_int_equal(linux_place_kernel(&BZ, over, 1, FLOOR, &at, WHY), -ENOSPC);
}

/* ---- the initrd ---- */

static uint64_t place_initrd(const struct e820_range *map, unsigned int nr, uint64_t kernel,
			     uint64_t size)
{
	uint64_t at = 1;

	WHY[0] = '\0';
	if (linux_place_initrd(&BZ, map, nr, FLOOR, kernel, size, &at, WHY))
		fail_msg("linux_place_initrd: %s", WHY);
	return at;
}

/* At the top of RAM, page-aligned. */
static void initrd_at_top(void **state)
{
	const struct e820_range map[] = { { MIB, 255 * MIB, E820_RAM } };

	(void)state;
	kernel_with(0x1);
	assert_int_equal(place_initrd(map, 1, FX_PREF, 0x1000), 256 * MIB - 0x1000);
	assert_int_equal(place_initrd(map, 1, FX_PREF, 0x1001), 256 * MIB - 0x2000);
}

/* The last byte at initrd_addr_max exactly, not one above; and no limit with the flag. */
static void initrd_below_initrd_addr_max(void **state)
{
	const struct e820_range map[] = { { MIB, 4 * GIB, E820_RAM } };

	(void)state;
	kernel_with(0x1);
	assert_int_equal(place_initrd(map, 1, FX_PREF, 0x10000), 0x80000000ull - 0x10000);
	fx_put(&IM, FX_INITRD_ADDR_MAX, 0x37ffffff, 4);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(place_initrd(map, 1, FX_PREF, 131072), 0x37fe0000);
	kernel_with(0x3);
	assert_int_equal(place_initrd(map, 1, FX_PREF, 0x10000), MIB + 4 * GIB - 0x10000);
}

/* Clear of the kernel's init_size: below it when the kernel lies at the top. */
static void initrd_avoids_kernel(void **state)
{
	const struct e820_range map[] = { { MIB, 63 * MIB, E820_RAM } };
	const uint64_t kernel = 56 * MIB; /* init_size 8 MiB: up to the end of RAM */

	(void)state;
	kernel_with(0x1);
	assert_int_equal(place_initrd(map, 1, kernel, MIB), 55 * MIB);
	/* Between the kernel and RAM's end when it fits there. */
	assert_int_equal(place_initrd(map, 1, 16 * MIB, MIB), 63 * MIB);
}

static void initrd_none(void **state)
{
	const struct e820_range map[] = { { MIB, 63 * MIB, E820_RAM } };

	(void)state;
	kernel_with(0x1);
	assert_int_equal(place_initrd(map, 1, FX_PREF, 0), 0);
}

static void initrd_too_large(void **state)
{
	const struct e820_range map[] = { { MIB, 63 * MIB, E820_RAM } };
	uint64_t at = 7;

	(void)state;
	kernel_with(0x1);
	assert_int_equal(linux_place_initrd(&BZ, map, 1, FLOOR, FX_PREF, 56 * MIB, &at, WHY),
			 -ENOSPC);
	assert_non_null(strstr(WHY, "initrd"));
	assert_int_equal(at, 7);
}

/* ---- random maps against a brute-force search ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define RAND_SPAN	(256 * MIB)
#define RAND_MAX_RANGES 6

/* Up to six disjoint ranges below 256 MiB, on 64 KiB boundaries, RAM or reserved. */
static unsigned int random_map(struct e820_range *map)
{
	unsigned int nr = 1 + (unsigned int)(next() % RAND_MAX_RANGES), n = 0;
	uint64_t at = (next() % 64) * 0x10000;

	for (unsigned int i = 0; i < nr && at < RAND_SPAN; i++) {
		uint64_t size = (1 + next() % 1024) * 0x10000;

		if (size > RAND_SPAN - at)
			size = RAND_SPAN - at;
		map[n++] = (struct e820_range){ at, size, next() % 4 ? E820_RAM : E820_RESERVED };
		at += size + (next() % 64) * 0x10000;
	}
	return n;
}

static void random_kernel_placement(void **state)
{
	struct e820_range map[RAND_MAX_RANGES];
	unsigned int at_pref = 0, lowest = 0, none = 0;

	(void)state;
	for (unsigned int round = 0; round < 2000; round++) {
		unsigned int nr = random_map(map);
		uint64_t floor = (next() % 32) * MIB, at = 0, best = 0;
		int found = 0, err;

		fx_image_init(&IM);
		fx_put(&IM, FX_INIT_SIZE, (1 + next() % 48) * MIB, 4);
		fx_put(&IM, FX_PREF_ADDRESS, (next() % 64) * FX_ALIGN, 8);
		fx_parse_ok(&IM, &BZ);
		/* Brute force: pref_address if it fits, else the lowest aligned address that does. */
		if (BZ.pref_address >= floor &&
		    e820_covers(map, nr, BZ.pref_address, BZ.init_size, E820_RAM) &&
		    BZ.pref_address) {
			best = BZ.pref_address;
			found = 1;
		}
		for (uint64_t a = 0; !found && a < RAND_SPAN; a += FX_ALIGN)
			if (a >= floor && e820_covers(map, nr, a, BZ.init_size, E820_RAM)) {
				best = a;
				found = 1;
			}
		err = linux_place_kernel(&BZ, map, nr, floor, &at, WHY);
		if (!found) {
			assert_int_equal(err, -ENOSPC);
			none++;
			continue;
		}
		best == BZ.pref_address ? at_pref++ : lowest++;
		if (err || at != best)
			fail_msg("round %u: got %d at 0x%llx, expected 0x%llx", round, err,
				 (unsigned long long)at, (unsigned long long)best);
		assert_int_equal(at % FX_ALIGN, 0);
	}
	/* The maps reach every outcome often. */
	assert_true(at_pref > 100 && lowest > 100 && none > 100);
}

static void random_initrd_placement(void **state)
{
	struct e820_range map[RAND_MAX_RANGES];
	unsigned int placed = 0, none = 0;

	(void)state;
	for (unsigned int round = 0; round < 400; round++) {
		unsigned int nr = random_map(map);
		uint64_t kernel = (next() % 96) * FX_ALIGN, size = (1 + next() % 8192) * 0x1000;
		uint64_t floor = (next() % 8) * MIB, last, at = 0, best = 0;
		int found = 0, err;

		fx_image_init(&IM);
		fx_put(&IM, FX_XLOADFLAGS, 0x1, 2);
		fx_put(&IM, FX_INITRD_ADDR_MAX, 64 * MIB + (next() % (192 * MIB)), 4);
		fx_parse_ok(&IM, &BZ);
		last = BZ.initrd_addr_max;
		/* Brute force from the top: the first page-aligned start that fits. */
		for (uint64_t a = RAND_SPAN - 0x1000;; a -= 0x1000) {
			if (a >= floor && a + size - 1 <= last &&
			    (a + size <= kernel || a >= kernel + BZ.init_size) &&
			    e820_covers(map, nr, a, size, E820_RAM)) {
				best = a;
				found = 1;
				break;
			}
			if (!a)
				break;
		}
		err = linux_place_initrd(&BZ, map, nr, floor, kernel, size, &at, WHY);
		if (!found) {
			assert_int_equal(err, -ENOSPC);
			none++;
			continue;
		}
		if (err || at != best)
			fail_msg("round %u: got %d at 0x%llx, expected 0x%llx", round, err,
				 (unsigned long long)at, (unsigned long long)best);
		placed++;
	}
	assert_true(placed > 100 && none > 20);
}

/* ---- linux_layout_check ---- */

static const struct e820_range MAP[] = {
	{ 0, 0x9f000, E820_RAM },
	{ 0xe0000, 0x20000, E820_ACPI },
	{ MIB, 255 * MIB, E820_RAM },
};

static void check_refuses(const struct linux_layout *l, int err, const char *what)
{
	WHY[0] = '\0';
	assert_int_equal(linux_layout_check(l, &BZ, MAP, 3, WHY), err);
	if (!strstr(WHY, what))
		fail_msg("\"%s\" does not name %s", WHY, what);
}

static void layout_good(void **state)
{
	struct linux_layout l = fx_layout(0x100000);

	(void)state;
	kernel_with(0x1);
	assert_int_equal(linux_layout_check(&l, &BZ, MAP, 3, WHY), 0);
	/* A command line of exactly cmdline_size bytes, no initrd, no RSDP: fine too. */
	l.cmdline_len = FX_CMDLINE_MAX;
	l.initrd = l.initrd_size = 0;
	l.rsdp = 0;
	assert_int_equal(linux_layout_check(&l, &BZ, MAP, 3, WHY), 0);
}

static void layout_refusals(void **state)
{
	struct linux_layout l;

	(void)state;
	kernel_with(0x1);
	l = fx_layout(0x100000);
	l.kernel += MIB;
	check_refuses(&l, -EINVAL, "kernel");
	l = fx_layout(0x100000);
	l.cmdline_len = FX_CMDLINE_MAX + 1;
	check_refuses(&l, -E2BIG, "cmdline_size");
	l = fx_layout(0x100000);
	l.page_tables += 0x800;
	check_refuses(&l, -EINVAL, "page tables");
	l = fx_layout(0x100000);
	l.page_tables_size = 0;
	check_refuses(&l, -EINVAL, "page tables");
	/* Outside RAM: in the hole below 1 MiB, across RAM's end, in the ACPI range. */
	l = fx_layout(0x100000);
	l.zero_page = 0x9f000;
	check_refuses(&l, -ERANGE, "zero page");
	l = fx_layout(0x100000);
	l.initrd = 256 * MIB - 0x1000;
	check_refuses(&l, -ERANGE, "initrd");
	l = fx_layout(0x100000);
	l.gdt = 0xe0000;
	check_refuses(&l, -ERANGE, "GDT");
	l = fx_layout(0x100000);
	l.kernel = 250 * MIB;
	check_refuses(&l, -ERANGE, "kernel");
	/* Overlaps. */
	l = fx_layout(0x100000);
	l.cmdline = FX_PREF + FX_INIT_SIZE_VAL - 1;
	check_refuses(&l, -EINVAL, "overlaps");
	l = fx_layout(0x100000);
	l.gdt = 0x7000 + 0x1000 - 8;
	check_refuses(&l, -EINVAL, "overlaps");
	l = fx_layout(0x100000);
	l.initrd = FX_PREF;
	check_refuses(&l, -EINVAL, "overlaps");
	/* The RSDP must be in an ACPI or reserved range. */
	l = fx_layout(0x100000);
	l.rsdp = 0x1000;
	check_refuses(&l, -ERANGE, "RSDP");
	l = fx_layout(0x100000);
	l.rsdp = 0x100000 - 35;
	check_refuses(&l, -ERANGE, "RSDP");
}

/* The initrd's last byte may be initrd_addr_max, not beyond; the flag lifts that. */
static void layout_initrd_addr_max(void **state)
{
	const struct e820_range big[] = { { 0, 0x9f000, E820_RAM }, { MIB, 8 * GIB, E820_RAM } };
	struct linux_layout l = fx_layout(0x100000);

	(void)state;
	kernel_with(0x1);
	l.rsdp = 0;
	l.initrd = 0x80000000ull - l.initrd_size;
	assert_int_equal(linux_layout_check(&l, &BZ, big, 2, WHY), 0);
	l.initrd += 0x1000;
	assert_int_equal(linux_layout_check(&l, &BZ, big, 2, WHY), -ERANGE);
	assert_non_null(strstr(WHY, "initrd"));
	kernel_with(0x3);
	assert_int_equal(linux_layout_check(&l, &BZ, big, 2, WHY), 0);
}

/* Above 4 GiB: kernel, zero page, command line need XLF_CAN_BE_LOADED_ABOVE_4G; the GDT and
 * page tables, skiff's own, do not. */
static void layout_above_4g(void **state)
{
	const struct e820_range big[] = { { 0, 0x9f000, E820_RAM }, { MIB, 8 * GIB, E820_RAM } };
	const char *what[] = { "kernel", "zero page", "command line" };

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		struct linux_layout l = fx_layout(0x100000);

		l.rsdp = 0;
		if (i == 0)
			l.kernel = FOUR_GIB;
		else if (i == 1)
			l.zero_page = FOUR_GIB + 0x1000;
		else
			l.cmdline = FOUR_GIB - 8;
		kernel_with(0x1);
		assert_int_equal(linux_layout_check(&l, &BZ, big, 2, WHY), -ERANGE);
		if (!strstr(WHY, what[i]))
			fail_msg("\"%s\" does not name %s", WHY, what[i]);
		kernel_with(0x3);
		assert_int_equal(linux_layout_check(&l, &BZ, big, 2, WHY), 0);
	}
	{
		struct linux_layout l = fx_layout(0x100000);

		l.rsdp = 0;
		l.gdt = 5 * GIB;
		l.page_tables = 6 * GIB;
		kernel_with(0x1);
		assert_int_equal(linux_layout_check(&l, &BZ, big, 2, WHY), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_at_pref_address),
		cmocka_unit_test(kernel_lowest_when_pref_unusable),
		cmocka_unit_test(kernel_skips_small_range),
		cmocka_unit_test(kernel_ignores_non_ram),
		cmocka_unit_test(kernel_too_large_for_ram),
		cmocka_unit_test(kernel_above_4g_needs_the_flag),
		cmocka_unit_test(kernel_up_to_4g),
		cmocka_unit_test(initrd_at_top),
		cmocka_unit_test(initrd_below_initrd_addr_max),
		cmocka_unit_test(initrd_avoids_kernel),
		cmocka_unit_test(initrd_none),
		cmocka_unit_test(initrd_too_large),
		cmocka_unit_test(random_kernel_placement),
		cmocka_unit_test(random_initrd_placement),
		cmocka_unit_test(layout_good),
		cmocka_unit_test(layout_refusals),
		cmocka_unit_test(layout_initrd_addr_max),
		cmocka_unit_test(layout_above_4g),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
