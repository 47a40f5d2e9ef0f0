/* SPDX-License-Identifier: MIT */
/* Conversion of the UEFI memory map into boot_info regions (pure, host-tested). */
#ifndef SKIFF_BOOT_MEMMAP_H
#define SKIFF_BOOT_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

/* EFI_MEMORY_DESCRIPTOR as UEFI 2.10, 7.2 (GetMemoryMap) defines it. The firmware's descriptor
 * size may be larger than this structure: always step by the size it reports. */
struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	uint64_t physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};
_Static_assert(sizeof(struct efi_memory_descriptor) == 40, "UEFI 7.2 descriptor");

#define MEMMAP_PAGE_SHIFT 12u

/* mem_type_from_efi - classify an EFI_MEMORY_TYPE value (UEFI 2.10 table 7-6). */
enum mem_type mem_type_from_efi(uint32_t efi_type);

/* mem_type_name - a short name for @type, for the log ("free", "acpi-nvs", ...). */
const char *mem_type_name(enum mem_type type);

/*
 * memmap_convert - turn the firmware's memory map into regions.
 * @map, @map_size: the buffer GetMemoryMap filled and its used size in bytes.
 * @desc_size:      the descriptor size GetMemoryMap reported (>= 40, a multiple of 8).
 * @out, @max_out:  destination array and its capacity.
 * Adjacent descriptors of the same EFI type and attributes are merged. Descriptors with zero
 * pages are dropped; a descriptor whose end overflows 2^64 is clipped.
 * Returns the number of regions written, -EINVAL for a bad @desc_size, -ENOSPC when more than
 * @max_out regions would be needed.
 */
int memmap_convert(const void *map, size_t map_size, size_t desc_size, struct mem_region *out,
		   size_t max_out);

#endif
