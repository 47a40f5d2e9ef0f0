// SPDX-License-Identifier: MIT
/*
 * vmm/gmem.c: every rule of gmem.h refused with its errno and a reason naming the range, a
 * refused range leaving the map unchanged, sealing (sort, MSI window and RAM required), lookups
 * and translation across holes and range edges.
 * Sources: vmm/gmem.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/arch/x86/msi.h"
#include "vmm/gmem.h"

#define MIB	 0x100000ull
#define GIB	 0x40000000ull
#define NO_HOST	 GMEM_NO_BACKING
#define RAM_HPA	 0x100000000ull /* host frames behind the guest's RAM */
#define ROM_HPA	 0x200000000ull
#define BAR_HPA	 0xfe000000ull
#define BIOS_GPA 0xf0000ull

static struct gmem g;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(gmem_init(&g, 39), 0);
	return 0;
}

/* A small VM: 640 KiB + 1 GiB - 1 MiB of RAM, BIOS ROM, a BAR, emulated MMIO, MSI window. */
static void add_typical(void)
{
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, NO_HOST, "msi"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 1 * MIB, GIB - MIB, RAM_HPA + MIB, "ram1"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0xa0000, RAM_HPA, "ram0"), 0);
	assert_int_equal(gmem_add(&g, GMEM_ROM, BIOS_GPA, 0x10000, ROM_HPA, "bios"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MMIO_PASSTHRU, 0xc0000000, MIB, BAR_HPA, "edu.bar0"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, 0xfec00000, 0x1000, NO_HOST, "ioapic"),
			 0);
}

static void test_init_width(void **state)
{
	(void)state;
	assert_int_equal(gmem_init(&g, 31), -EINVAL);
	assert_int_equal(gmem_init(&g, 53), -EINVAL);
	assert_int_equal(gmem_init(&g, 52), 0);
	assert_int_equal(g.nr, 0);
	assert_false(g.sealed);
}

static void test_typical_map_seals_sorted(void **state)
{
	(void)state;
	add_typical();
	assert_int_equal(gmem_seal(&g), 0);
	assert_int_equal(g.nr, 6);
	for (unsigned int i = 1; i < g.nr; i++)
		assert_true(g.range[i - 1].gpa + g.range[i - 1].size <= g.range[i].gpa);
	assert_string_equal(g.range[0].name, "ram0");
	assert_string_equal(g.range[1].name, "bios");
	assert_string_equal(g.range[5].name, "msi");
}

static void test_misaligned_and_empty(void **state)
{
	(void)state;
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0x800, 0x1000, RAM_HPA, "r"), -EINVAL);
	assert_non_null(strstr(g.why, "r: gpa 0x800"));
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0x1800, RAM_HPA, "r"), -EINVAL);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0, RAM_HPA, "r"), -EINVAL);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0x1000, RAM_HPA + 0x10, "r"), -EINVAL);
	assert_non_null(strstr(g.why, "not 4 KiB aligned"));
	assert_int_equal(g.nr, 0);
}

static void test_ranges_beyond_widths(void **state)
{
	(void)state;
	/* 39 bits: the last page is 0x7f_ffff_f000. */
	assert_int_equal(gmem_add(&g, GMEM_RAM, (1ull << 39) - 0x1000, 0x2000, RAM_HPA, "hi"),
			 -ERANGE);
	assert_int_equal(gmem_add(&g, GMEM_RAM, (1ull << 39) - 0x1000, 0x1000, RAM_HPA, "hi"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0x2000, (1ull << 52) - 0x1000, "host"), -ERANGE);
	assert_int_equal(gmem_add(&g, GMEM_RAM, UINT64_MAX - 0xfff, 0x1000, RAM_HPA, "wrap"),
			 -ERANGE);
}

static void test_backing_rules(void **state)
{
	(void)state;
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0x1000, NO_HOST, "r"), -EINVAL);
	assert_non_null(strstr(g.why, "needs host backing"));
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, 0, 0x1000, 0x5000, "e"), -EINVAL);
	assert_non_null(strstr(g.why, "has no host backing"));
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, 0, 0x1000, NO_HOST, "e"), 0);
	assert_int_equal(gmem_add(&g, GMEM_NR_KINDS, 0x1000, 0x1000, NO_HOST, "x"), -EINVAL);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0x1000, 0x1000, RAM_HPA, ""), -EINVAL);
}

static void test_msi_window_exact_and_reserved(void **state)
{
	(void)state;
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, 0x1000, NO_HOST, "msi"), -EINVAL);
	assert_int_equal(gmem_add(&g, GMEM_MSI, 0xfed00000, X86_MSI_SIZE, NO_HOST, "msi"), -EINVAL);
	/* RAM whose last page is the window's first: refused as inside the window. */
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0xfe000000, 0xe01000, RAM_HPA, "ram"), -EINVAL);
	assert_non_null(strstr(g.why, "MSI window"));
	/* Ending right below it and starting right above it are fine. */
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0xfe000000, 0xe00000, RAM_HPA, "below"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, 0xfef00000, 0x1000, NO_HOST, "above"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, NO_HOST, "msi"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, NO_HOST, "m2"),
			 -EEXIST);
}

static void test_guest_overlap_names_both(void **state)
{
	(void)state;
	add_typical();
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0x9f000, 0x2000, 0x300000000, "late"), -EEXIST);
	assert_non_null(strstr(g.why, "late"));
	assert_non_null(strstr(g.why, "ram0"));
	/* Touching edges is not an overlap. */
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0xa0000, 0x10000, 0x300000000, "vga"), 0);
	assert_int_equal(g.nr, 7);
}

static void test_host_alias_refused(void **state)
{
	(void)state;
	add_typical();
	/* A second window onto ram1's frames would let the guest alias its own memory. */
	assert_int_equal(gmem_add(&g, GMEM_RAM, 2 * GIB, MIB, RAM_HPA + 2 * MIB, "alias"), -EEXIST);
	assert_non_null(strstr(g.why, "aliases the backing of ram1"));
	/* Unbacked ranges have no host range to alias. */
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, 2 * GIB, MIB, NO_HOST, "emu"), 0);
}

static void test_full_table(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < GMEM_MAX_RANGES; i++)
		assert_int_equal(
			gmem_add(&g, GMEM_RAM, i * 0x2000ull, 0x1000, RAM_HPA + i * 0x1000ull, "r"),
			0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 1 * GIB, 0x1000, 0x300000000, "one more"), -ENOSPC);
	assert_int_equal(g.nr, GMEM_MAX_RANGES);
}

static void test_seal_needs_msi_and_ram(void **state)
{
	(void)state;
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, MIB, RAM_HPA, "ram"), 0);
	assert_int_equal(gmem_seal(&g), -ENOENT);
	assert_non_null(strstr(g.why, "MSI"));
	assert_false(g.sealed);
	assert_int_equal(gmem_init(&g, 39), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, NO_HOST, "msi"), 0);
	assert_int_equal(gmem_add(&g, GMEM_ROM, 0, MIB, ROM_HPA, "rom"), 0);
	assert_int_equal(gmem_seal(&g), -ENOENT);
	assert_non_null(strstr(g.why, "no RAM"));
	assert_int_equal(gmem_add(&g, GMEM_RAM, MIB, MIB, RAM_HPA, "ram"), 0);
	assert_int_equal(gmem_seal(&g), 0);
	assert_int_equal(gmem_seal(&g), -EBUSY);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 2 * MIB, MIB, RAM_HPA + MIB, "late"), -EBUSY);
}

static void test_find_and_translate(void **state)
{
	const struct gmem_range *r;
	uint64_t hpa = 0;

	(void)state;
	add_typical();
	assert_int_equal(gmem_seal(&g), 0);

	r = gmem_find(&g, BIOS_GPA + 0xfff0);
	assert_non_null(r);
	assert_string_equal(r->name, "bios");
	assert_null(gmem_find(&g, 0xa0000)); /* the hole between ram0 and bios */
	assert_null(gmem_find(&g, 1ull << 38));

	assert_int_equal(gmem_translate(&g, 0x1234000, 0x1000, &hpa, &r), 0);
	assert_int_equal(hpa, RAM_HPA + 0x1234000);
	assert_string_equal(r->name, "ram1");
	/* The last byte of ram0, then one past it into the hole. */
	assert_int_equal(gmem_translate(&g, 0x9ffff, 1, &hpa, NULL), 0);
	assert_int_equal(hpa, RAM_HPA + 0x9ffff);
	assert_int_equal(gmem_translate(&g, 0x9ffff, 2, &hpa, NULL), -ENOENT);
	assert_int_equal(gmem_translate(&g, 0xa0000, 1, &hpa, NULL), -ENOENT);
	/* bios ends at 0x100000 where ram1 begins: crossing ranges. */
	assert_int_equal(gmem_translate(&g, 0xff000, 0x2000, &hpa, NULL), -EFAULT);
	/* No backing behind emulated MMIO and the MSI window. */
	assert_int_equal(gmem_translate(&g, 0xfec00000, 4, &hpa, NULL), -EFAULT);
	assert_int_equal(gmem_translate(&g, X86_MSI_BASE, 4, &hpa, NULL), -EFAULT);
	assert_int_equal(gmem_translate(&g, 0, 0, &hpa, NULL), -EINVAL);
	assert_int_equal(gmem_translate(&g, UINT64_MAX, 2, &hpa, NULL), -EINVAL);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(gmem_kind_name(GMEM_ROM), "ROM");
	assert_string_equal(gmem_kind_name(GMEM_MSI), "MSI window");
	assert_string_equal(gmem_kind_name(GMEM_NR_KINDS), "unknown");
	assert_true(gmem_is_backed(GMEM_MMIO_PASSTHRU));
	assert_false(gmem_is_backed(GMEM_MMIO_EMULATED));
}

static void test_long_name_truncated(void **state)
{
	(void)state;
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0x1000, RAM_HPA, "a-very-long-range-name"), 0);
	assert_int_equal(strlen(g.range[0].name), GMEM_NAME_LEN - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_width, setup),
		cmocka_unit_test_setup(test_typical_map_seals_sorted, setup),
		cmocka_unit_test_setup(test_misaligned_and_empty, setup),
		cmocka_unit_test_setup(test_ranges_beyond_widths, setup),
		cmocka_unit_test_setup(test_backing_rules, setup),
		cmocka_unit_test_setup(test_msi_window_exact_and_reserved, setup),
		cmocka_unit_test_setup(test_guest_overlap_names_both, setup),
		cmocka_unit_test_setup(test_host_alias_refused, setup),
		cmocka_unit_test_setup(test_full_table, setup),
		cmocka_unit_test_setup(test_seal_needs_msi_and_ram, setup),
		cmocka_unit_test_setup(test_find_and_translate, setup),
		cmocka_unit_test_setup(test_kind_names, setup),
		cmocka_unit_test_setup(test_long_name_truncated, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
