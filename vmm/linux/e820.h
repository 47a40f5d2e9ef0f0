/* SPDX-License-Identifier: MIT */
/*
 * The guest's memory map as Linux reads it from the zero page (Documentation/arch/x86/
 * zero-page.rst: e820_entries at 0x1e8, e820_table at 0x2d0, at most 128 entries), with the
 * address range types of ACPI 6.5 15.1 (table 15.1, "Address Range Types"). skiff builds it from
 * the VM's own list of ranges; the same list tells vmm/linux/layout.h where RAM is.
 * Pure: no allocation, no logging.
 */
#ifndef SKIFF_VMM_LINUX_E820_H
#define SKIFF_VMM_LINUX_E820_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/linux/why.h"

#define E820_MAX_ENTRIES 128u /* the zero page's e820_table */

/* Address range types (ACPI 6.5 table 15.1). */
enum e820_type {
	E820_RAM = 1,	   /* AddressRangeMemory: usable RAM */
	E820_RESERVED = 2, /* AddressRangeReserved */
	E820_ACPI = 3,	   /* AddressRangeACPI: ACPI tables, reclaimable once read */
	E820_NVS = 4,	   /* AddressRangeNVS */
	E820_UNUSABLE = 5, /* AddressRangeUnusable */
};

/* One range of guest-physical memory: [addr, addr + size), size > 0, in bytes. */
struct e820_range {
	uint64_t addr;
	uint64_t size;
	enum e820_type type;
};

/*
 * e820_sort - check the @nr ranges at @in (any order) and write them to @out (room for
 * E820_MAX_ENTRIES) sorted by address. @in and @out may be the same array; after a refusal *@out
 * is unspecified. Returns 0, or with @why (LINUX_WHY_LEN bytes) naming the range(s):
 *   -E2BIG   more than E820_MAX_ENTRIES ranges;
 *   -EINVAL  a range of size 0, one that wraps past 2^64, an unknown type, or two that overlap.
 * Touching ranges, of any types, are fine and stay separate.
 */
int e820_sort(const struct e820_range *in, unsigned int nr, struct e820_range *out,
	      char why[LINUX_WHY_LEN]);

/*
 * e820_covers - whether [@addr, @addr + @size) lies inside one range of @type among the @nr
 * ranges at @map (any order; ranges of size 0 count for nothing). A @size of 0, or a range that
 * wraps past 2^64, is never covered.
 */
bool e820_covers(const struct e820_range *map, unsigned int nr, uint64_t addr, uint64_t size,
		 enum e820_type type);

#endif
