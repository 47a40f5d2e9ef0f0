// SPDX-License-Identifier: MIT
/*
 * boot/memmap.c: mem_type_from_efi() for every EFI_MEMORY_TYPE (UEFI 2.10, 7.2, table 7-6, and
 * the classes in boot/boot_info.h), mem_type_name(), and memmap_convert() as boot/memmap.h
 * specifies it: merging, descriptor sizes (UEFI 2.10, 7.2 GetMemoryMap: step by the reported
 * DescriptorSize), dropping, clipping and the error returns. Maps are built by hand in buffers of
 * exactly the map's size, so ASan catches any read past the end.
 * Sources: boot/memmap.c
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

#include "boot/memmap.h"

/* EFI_MEMORY_TYPE (table 7-6) and EFI_MEMORY_* attributes (7.2) the tests use. */
#define EFI_LOADER_CODE		1
#define EFI_LOADER_DATA		2
#define EFI_BOOT_SERVICES_DATA	4
#define EFI_CONVENTIONAL_MEMORY 7
#define EFI_MEMORY_MAPPED_IO	11
#define EFI_MEMORY_UC		0x1ull
#define EFI_MEMORY_WB		0x8ull
#define EFI_MEMORY_RUNTIME	0x8000000000000000ull

#define DESC_SIZE     sizeof(struct efi_memory_descriptor)
#define DESC_SIZE_FW  48 /* what real firmware reports: the structure plus padding */
#define PAD_BYTE      0xa5
#define MAX_TEST_DESC 8

static struct efi_memory_descriptor desc(uint32_t type, uint64_t start, uint64_t pages,
					 uint64_t attr)
{
	return (struct efi_memory_descriptor){
		.type = type,
		.physical_start = start,
		.number_of_pages = pages,
		.attribute = attr,
	};
}

/* Lays @n descriptors out @desc_size bytes apart (padding filled with PAD_BYTE) in a buffer of
 * exactly @n * @desc_size + @extra bytes, the extra bytes being the start of one more descriptor,
 * and converts them. */
static int convert_map(const struct efi_memory_descriptor *d, size_t n, size_t desc_size,
		       size_t extra, struct mem_region *out, size_t max_out)
{
	size_t size = n * desc_size + extra;
	unsigned char *map = malloc(size ? size : 1);
	int ret;

	assert_non_null(map);
	memset(map, PAD_BYTE, size);
	for (size_t i = 0; i * desc_size < size; i++) {
		size_t left = size - i * desc_size;

		memcpy(map + i * desc_size, &d[i], left < sizeof(d[i]) ? left : sizeof(d[i]));
	}
	ret = memmap_convert(map, size, desc_size, out, max_out);
	free(map);
	return ret;
}

static int convert(const struct efi_memory_descriptor *d, size_t n, struct mem_region *out,
		   size_t max_out)
{
	return convert_map(d, n, DESC_SIZE, 0, out, max_out);
}

static void assert_region(const struct mem_region *r, uint64_t base, uint64_t size,
			  enum mem_type type, uint32_t efi_type, uint64_t attr)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->size, size);
	assert_int_equal(r->type, type);
	assert_int_equal(r->efi_type, efi_type);
	assert_int_equal(r->efi_attributes, attr);
}

static void test_type_every_efi_type(void **state)
{
	/* Table 7-6, classified as the comments on enum mem_type say. */
	static const enum mem_type expect[] = {
		[0] = MEM_RESERVED,	 /* EfiReservedMemoryType */
		[1] = MEM_LOADER,	 /* EfiLoaderCode */
		[2] = MEM_LOADER,	 /* EfiLoaderData */
		[3] = MEM_BOOT_SERVICES, /* EfiBootServicesCode */
		[4] = MEM_BOOT_SERVICES, /* EfiBootServicesData */
		[5] = MEM_RUNTIME,	 /* EfiRuntimeServicesCode */
		[6] = MEM_RUNTIME,	 /* EfiRuntimeServicesData */
		[7] = MEM_FREE,		 /* EfiConventionalMemory */
		[8] = MEM_UNUSABLE,	 /* EfiUnusableMemory */
		[9] = MEM_ACPI_RECLAIM,	 /* EfiACPIReclaimMemory */
		[10] = MEM_ACPI_NVS,	 /* EfiACPIMemoryNVS */
		[11] = MEM_MMIO,	 /* EfiMemoryMappedIO */
		[12] = MEM_MMIO,	 /* EfiMemoryMappedIOPortSpace */
		[13] = MEM_RESERVED,	 /* EfiPalCode */
		[14] = MEM_PERSISTENT,	 /* EfiPersistentMemory */
		[15] = MEM_UNUSABLE,	 /* EfiUnacceptedMemoryType */
	};

	(void)state;
	for (uint32_t t = 0; t < sizeof(expect) / sizeof(expect[0]); t++)
		if (mem_type_from_efi(t) != expect[t])
			fail_msg("EFI type %u: mem_type %d, expected %d", t, mem_type_from_efi(t),
				 expect[t]);
}

static void test_type_unknown_is_reserved(void **state)
{
	/* EfiMaxMemoryType (16) and beyond, the OEM (0x70000000..) and OS loader (0x80000000..)
	 * ranges: nothing skiff may use. */
	static const uint32_t unknown[] = { 16,		17,	    0x6fffffff, 0x70000000,
					    0x7fffffff, 0x80000000, 0xffffffff };

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_int_equal(mem_type_from_efi(unknown[i]), MEM_RESERVED);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(mem_type_name(MEM_FREE), "free");
	assert_string_equal(mem_type_name(MEM_ACPI_NVS), "acpi-nvs");
	for (int a = 0; a < MEM_TYPE_COUNT; a++) {
		assert_non_null(mem_type_name(a));
		assert_true(strlen(mem_type_name(a)) > 0);
		for (int b = 0; b < a; b++)
			assert_string_not_equal(mem_type_name(a), mem_type_name(b));
	}
	assert_non_null(mem_type_name(MEM_TYPE_COUNT));
	assert_non_null(mem_type_name((enum mem_type)1000));
}

static void test_convert_fields(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0, 0x9f, EFI_MEMORY_WB),
		desc(EFI_BOOT_SERVICES_DATA, 0x100000, 0x700, EFI_MEMORY_WB),
		desc(EFI_MEMORY_MAPPED_IO, 0xfec00000, 1, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 3, r, MAX_TEST_DESC), 3);
	assert_region(&r[0], 0, 0x9f000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
	assert_region(&r[1], 0x100000, 0x700000, MEM_BOOT_SERVICES, EFI_BOOT_SERVICES_DATA,
		      EFI_MEMORY_WB);
	assert_region(&r[2], 0xfec00000, 0x1000, MEM_MMIO, EFI_MEMORY_MAPPED_IO,
		      EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
}

static void test_merge_adjacent(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x200000, 0x100, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x300000, 0x10, EFI_MEMORY_WB),
		desc(EFI_MEMORY_MAPPED_IO, 0x310000, 1, EFI_MEMORY_UC),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 4, r, MAX_TEST_DESC), 2);
	assert_region(&r[0], 0x100000, 0x210000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
	assert_region(&r[1], 0x310000, 0x1000, MEM_MMIO, EFI_MEMORY_MAPPED_IO, EFI_MEMORY_UC);
}

static void test_no_merge_attributes_differ(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x200000, 0x100, EFI_MEMORY_WB | EFI_MEMORY_RUNTIME),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 2, r, MAX_TEST_DESC), 2);
	assert_region(&r[0], 0x100000, 0x100000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
	assert_region(&r[1], 0x200000, 0x100000, MEM_FREE, EFI_CONVENTIONAL_MEMORY,
		      EFI_MEMORY_WB | EFI_MEMORY_RUNTIME);
}

static void test_no_merge_gap(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 1, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x102000, 1, EFI_MEMORY_WB),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 2, r, MAX_TEST_DESC), 2);
	assert_region(&r[0], 0x100000, 0x1000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
	assert_region(&r[1], 0x102000, 0x1000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
}

/* LoaderCode and LoaderData are both MEM_LOADER, but only the same EFI type merges. */
static void test_no_merge_efi_types_differ(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_LOADER_CODE, 0x100000, 4, EFI_MEMORY_WB),
		desc(EFI_LOADER_DATA, 0x104000, 4, EFI_MEMORY_WB),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 2, r, MAX_TEST_DESC), 2);
	assert_region(&r[0], 0x100000, 0x4000, MEM_LOADER, EFI_LOADER_CODE, EFI_MEMORY_WB);
	assert_region(&r[1], 0x104000, 0x4000, MEM_LOADER, EFI_LOADER_DATA, EFI_MEMORY_WB);
}

/* A firmware-sized map: 48-byte descriptors whose last 8 bytes are not zero. */
static void test_firmware_descriptor_size(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9e, EFI_MEMORY_WB),
		desc(EFI_LOADER_CODE, 0x100000, 0x20, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x200000, 0x100, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x300000, 0x100, EFI_MEMORY_WB),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert_map(d, 4, DESC_SIZE_FW, 0, r, MAX_TEST_DESC), 3);
	assert_region(&r[0], 0x1000, 0x9e000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
	assert_region(&r[1], 0x100000, 0x20000, MEM_LOADER, EFI_LOADER_CODE, EFI_MEMORY_WB);
	assert_region(&r[2], 0x200000, 0x200000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
}

static void test_bad_descriptor_size(void **state)
{
	static const size_t bad[] = { 0, 8, 32, 39, 41, 44, 52 };
	static const size_t good[] = { 40, 48, 56 };
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 1, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x2000, 1, EFI_MEMORY_WB),
	};
	struct mem_region r[MAX_TEST_DESC];
	unsigned char map[2 * 56] = { 0 };

	(void)state;
	memcpy(map, d, sizeof(d));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = memmap_convert(map, sizeof(map), bad[i], r, MAX_TEST_DESC);

		if (ret != -EINVAL)
			fail_msg("desc_size %zu: %d, expected -EINVAL", bad[i], ret);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(convert_map(d, 1, good[i], 0, r, MAX_TEST_DESC), 1);
		assert_region(&r[0], 0x1000, 0x1000, MEM_FREE, EFI_CONVENTIONAL_MEMORY,
			      EFI_MEMORY_WB);
	}
}

static void test_zero_pages_dropped(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 1, EFI_MEMORY_WB),
		desc(EFI_BOOT_SERVICES_DATA, 0x2000, 0, EFI_MEMORY_WB),
		desc(EFI_MEMORY_MAPPED_IO, 0xfec00000, 1, EFI_MEMORY_UC),
		desc(EFI_MEMORY_MAPPED_IO, 0xfed00000, 0, EFI_MEMORY_UC),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 4, r, MAX_TEST_DESC), 2);
	assert_region(&r[0], 0x1000, 0x1000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
	assert_region(&r[1], 0xfec00000, 0x1000, MEM_MMIO, EFI_MEMORY_MAPPED_IO, EFI_MEMORY_UC);
	/* Zero-page descriptors need no room either. */
	assert_int_equal(convert(d + 1, 1, r, 0), 0);
}

static void test_no_space(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 1, EFI_MEMORY_WB),
		desc(EFI_LOADER_DATA, 0x2000, 1, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x3000, 1, EFI_MEMORY_WB),
	};
	const struct efi_memory_descriptor same[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 1, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x2000, 1, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0x3000, 1, EFI_MEMORY_WB),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 3, r, 2), -ENOSPC);
	assert_int_equal(convert(d, 3, r, 0), -ENOSPC);
	assert_int_equal(convert(d, 3, r, 3), 3);
	/* Merged descriptors take one slot. */
	assert_int_equal(convert(same, 3, r, 1), 1);
	assert_region(&r[0], 0x1000, 0x3000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
}

static void test_end_overflow_clipped(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_MEMORY_MAPPED_IO, 0xfffffffffff00000, 0x1000, EFI_MEMORY_UC),
	};
	const struct efi_memory_descriptor huge[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, UINT64_MAX, EFI_MEMORY_WB),
	};
	const struct efi_memory_descriptor top[] = {
		desc(EFI_MEMORY_MAPPED_IO, 0xfffffffffffff000, 1, EFI_MEMORY_UC),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	/* 16 MiB from 1 MiB below 2^64: only the first MiB exists. */
	assert_int_equal(convert(d, 1, r, MAX_TEST_DESC), 1);
	assert_region(&r[0], 0xfffffffffff00000, 0x100000, MEM_MMIO, EFI_MEMORY_MAPPED_IO,
		      EFI_MEMORY_UC);
	/* A page count whose byte size alone overflows. */
	assert_int_equal(convert(huge, 1, r, MAX_TEST_DESC), 1);
	assert_region(&r[0], 0x1000, 0xfffffffffffff000, MEM_FREE, EFI_CONVENTIONAL_MEMORY,
		      EFI_MEMORY_WB);
	/* Ending exactly at 2^64 is not an overflow: nothing is lost. */
	assert_int_equal(convert(top, 1, r, MAX_TEST_DESC), 1);
	assert_region(&r[0], 0xfffffffffffff000, 0x1000, MEM_MMIO, EFI_MEMORY_MAPPED_IO,
		      EFI_MEMORY_UC);
}

/*
 * A region ending at 2^64 is not adjacent to a following descriptor at address 0, though
 * base + size wraps to 0 there: they stay two regions. (Regression: they were once merged
 * into one that wrapped past 2^64.)
 */
static void test_no_merge_across_top_of_memory(void **state)
{
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0xffffffffffff0000, 0x10, EFI_MEMORY_WB),
		desc(EFI_CONVENTIONAL_MEMORY, 0, 1, EFI_MEMORY_WB),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert(d, 2, r, MAX_TEST_DESC), 2);
	assert_region(&r[0], 0xffffffffffff0000, 0x10000, MEM_FREE, EFI_CONVENTIONAL_MEMORY,
		      EFI_MEMORY_WB);
	assert_region(&r[1], 0, 0x1000, MEM_FREE, EFI_CONVENTIONAL_MEMORY, EFI_MEMORY_WB);
}

static void test_trailing_partial_descriptor(void **state)
{
	/* The third descriptor is cut after 20 bytes: its type and start are there, its page
	 * count is not. */
	const struct efi_memory_descriptor d[] = {
		desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 1, EFI_MEMORY_WB),
		desc(EFI_LOADER_DATA, 0x2000, 1, EFI_MEMORY_WB),
		desc(EFI_MEMORY_MAPPED_IO, 0xfec00000, 1, EFI_MEMORY_UC),
	};
	struct mem_region r[MAX_TEST_DESC];

	(void)state;
	assert_int_equal(convert_map(d, 2, DESC_SIZE, 20, r, MAX_TEST_DESC), 2);
	assert_region(&r[1], 0x2000, 0x1000, MEM_LOADER, EFI_LOADER_DATA, EFI_MEMORY_WB);
	assert_int_equal(convert_map(d, 2, DESC_SIZE_FW, DESC_SIZE_FW - 1, r, MAX_TEST_DESC), 2);
	assert_region(&r[1], 0x2000, 0x1000, MEM_LOADER, EFI_LOADER_DATA, EFI_MEMORY_WB);
	/* A map smaller than one descriptor holds none. */
	assert_int_equal(convert_map(d, 0, DESC_SIZE, DESC_SIZE - 8, r, MAX_TEST_DESC), 0);
	assert_int_equal(memmap_convert(NULL, 0, DESC_SIZE, r, MAX_TEST_DESC), 0);
}

int main(void)
{
	const struct CMUnitTest memmap_tests[] = {
		cmocka_unit_test(test_type_every_efi_type),
		cmocka_unit_test(test_type_unknown_is_reserved),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_convert_fields),
		cmocka_unit_test(test_merge_adjacent),
		cmocka_unit_test(test_no_merge_attributes_differ),
		cmocka_unit_test(test_no_merge_gap),
		cmocka_unit_test(test_no_merge_efi_types_differ),
		cmocka_unit_test(test_firmware_descriptor_size),
		cmocka_unit_test(test_bad_descriptor_size),
		cmocka_unit_test(test_zero_pages_dropped),
		cmocka_unit_test(test_no_space),
		cmocka_unit_test(test_end_overflow_clipped),
		cmocka_unit_test(test_no_merge_across_top_of_memory),
		cmocka_unit_test(test_trailing_partial_descriptor),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(memmap_tests, NULL, NULL);
}
