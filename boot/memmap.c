// SPDX-License-Identifier: MIT
/* Conversion of the UEFI memory map (UEFI 2.10, 7.2 GetMemoryMap) into boot_info regions. */
#include "boot/memmap.h"

#include <errno.h>
#include <string.h>

/* EFI_MEMORY_TYPE values, UEFI 2.10 table 7-6. */
enum {
	EFI_RESERVED_MEMORY_TYPE = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY_TYPE = 15,
};

enum mem_type mem_type_from_efi(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_CONVENTIONAL_MEMORY:
		return MEM_FREE;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
		return MEM_LOADER;
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return MEM_BOOT_SERVICES;
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
		return MEM_RUNTIME;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MEM_ACPI_RECLAIM;
	case EFI_ACPI_MEMORY_NVS:
		return MEM_ACPI_NVS;
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return MEM_MMIO;
	case EFI_PERSISTENT_MEMORY:
		return MEM_PERSISTENT;
	case EFI_UNUSABLE_MEMORY:
	case EFI_UNACCEPTED_MEMORY_TYPE:
		return MEM_UNUSABLE;
	default:
		return MEM_RESERVED;
	}
}

const char *mem_type_name(enum mem_type type)
{
	static const char *const names[MEM_TYPE_COUNT] = {
		[MEM_FREE] = "free",
		[MEM_LOADER] = "loader",
		[MEM_BOOT_SERVICES] = "boot-services",
		[MEM_RUNTIME] = "runtime",
		[MEM_ACPI_RECLAIM] = "acpi-reclaim",
		[MEM_ACPI_NVS] = "acpi-nvs",
		[MEM_MMIO] = "mmio",
		[MEM_PERSISTENT] = "persistent",
		[MEM_RESERVED] = "reserved",
		[MEM_UNUSABLE] = "unusable",
	};

	return (unsigned int)type < MEM_TYPE_COUNT ? names[type] : "?";
}

int memmap_convert(const void *map, size_t map_size, size_t desc_size, struct mem_region *out,
		   size_t max_out)
{
	const unsigned char *p = map;
	size_t n = 0;

	if (desc_size < sizeof(struct efi_memory_descriptor) || desc_size % 8)
		return -EINVAL;

	for (size_t off = 0; off + desc_size <= map_size; off += desc_size) {
		struct efi_memory_descriptor d;
		uint64_t size;

		memcpy(&d, p + off, sizeof(d));
		if (d.number_of_pages == 0)
			continue;
		if (d.number_of_pages > (UINT64_MAX - d.physical_start) >> MEMMAP_PAGE_SHIFT)
			size = (UINT64_MAX - d.physical_start + 1) & ~(PAGE_SIZE_4K - 1);
		else
			size = d.number_of_pages << MEMMAP_PAGE_SHIFT;
		if (size == 0)
			continue;

		if (n > 0) {
			struct mem_region *prev = &out[n - 1];

			/* A region ending at 2^64 must not merge with one at address 0. */
			if (prev->efi_type == d.type && prev->efi_attributes == d.attribute &&
			    prev->size <= UINT64_MAX - prev->base &&
			    prev->base + prev->size == d.physical_start) {
				prev->size += size;
				continue;
			}
		}
		if (n == max_out)
			return -ENOSPC;
		out[n++] = (struct mem_region){
			.base = d.physical_start,
			.size = size,
			.efi_attributes = d.attribute,
			.type = mem_type_from_efi(d.type),
			.efi_type = d.type,
		};
	}
	return (int)n;
}
