/* SPDX-License-Identifier: MIT */
/*
 * Where a Linux guest's boot objects lie in guest-physical memory: the protected-mode kernel,
 * the zero page, the command line, the initrd, and the boot GDT and page tables of the 64-bit
 * entry (vmm/linux/entry64.h). The placement functions choose the kernel's and the initrd's
 * addresses inside the RAM of the VM's e820 map; linux_layout_check() checks a whole layout
 * against the image's header and the map before the zero page is built from it.
 * Rules (Documentation/arch/x86/boot.rst):
 *   - the kernel's runtime start is its load address, a multiple of kernel_alignment ("init_size":
 *     a relocatable kernel runs at align_up(load address, kernel_alignment)), and it needs
 *     init_size bytes of RAM from there ("init_size");
 *   - kernel, zero page, command line and initrd lie below 4 GiB unless the image has
 *     XLF_CAN_BE_LOADED_ABOVE_4G ("xloadflags");
 *   - the initrd's last byte is at most initrd_addr_max ("initrd_addr_max"), unless the image
 *     has XLF_CAN_BE_LOADED_ABOVE_4G, and it goes near the end of memory ("mem=", "Special
 *     Command Line Options"), clear of the kernel's init_size;
 *   - the command line is at most cmdline_size bytes without its NUL ("cmdline_size").
 * Pure: no allocation, no logging.
 */
#ifndef SKIFF_VMM_LINUX_LAYOUT_H
#define SKIFF_VMM_LINUX_LAYOUT_H

#include <stdint.h>

#include "vmm/linux/bzimage.h"
#include "vmm/linux/e820.h"
#include "vmm/linux/why.h"

#define LINUX_ZERO_PAGE_SIZE  0x1000u /* struct boot_params (vmm/linux/boot_params.h) */
#define LINUX_GDT_SIZE	      32u     /* the boot GDT: 4 descriptors (vmm/linux/entry64.h) */
#define LINUX_INITRD_ALIGN    0x1000u /* skiff's choice: the initrd starts on a page */
#define LINUX_BELOW_4G_LAST   0xffffffffull
#define LINUX_RSDP_V2_SIZE    36u     /* the ACPI 2.0+ RSDP (ACPI 6.5 5.2.5.3) */
#define LINUX_PAGE_TABLE_SIZE 0x1000u /* one table of the identity map; CR3's must be aligned */

/* Guest-physical addresses of one Linux guest's boot objects; sizes in bytes. */
struct linux_layout {
	uint64_t kernel;	   /* load address = runtime start; init_size bytes from there */
	uint64_t zero_page;	   /* struct boot_params, LINUX_ZERO_PAGE_SIZE bytes */
	uint64_t cmdline;	   /* the command line: cmdline_len bytes, then a NUL */
	uint32_t cmdline_len;	   /* without the NUL */
	uint64_t initrd;	   /* the initrd, or 0 with initrd_size 0 (none) */
	uint64_t initrd_size;	   /* bytes */
	uint64_t gdt;		   /* the boot GDT, LINUX_GDT_SIZE bytes */
	uint64_t page_tables;	   /* the identity map; its first page is the PML4 (CR3) */
	uint64_t page_tables_size; /* bytes, a non-zero multiple of LINUX_PAGE_TABLE_SIZE */
	uint64_t rsdp;		   /* the ACPI RSDP for acpi_rsdp_addr, or 0 for none */
};

/*
 * linux_load_last - the highest guest-physical byte the kernel, zero page, command line and
 * initrd may occupy for the image @bz: 4 GiB - 1, or 2^64 - 1 with XLF_CAN_BE_LOADED_ABOVE_4G.
 */
uint64_t linux_load_last(const struct bzimage *bz);

/*
 * linux_initrd_last - the highest guest-physical byte the initrd may occupy for @bz:
 * initrd_addr_max, or 2^64 - 1 with XLF_CAN_BE_LOADED_ABOVE_4G.
 */
uint64_t linux_initrd_last(const struct bzimage *bz);

/*
 * linux_place_kernel - where to load the protected-mode kernel of @bz among the E820_RAM ranges
 * of the @nr at @map (any order): at pref_address if [pref_address, + init_size) lies inside one
 * RAM range at or above @floor (and below linux_load_last()), else at the lowest multiple of
 * kernel_alignment at or above @floor from which init_size bytes fit inside one RAM range.
 * Writes *@kernel and returns 0, or -ENOSPC (with @why, LINUX_WHY_LEN bytes) when no RAM range
 * holds init_size bytes so aligned.
 */
int linux_place_kernel(const struct bzimage *bz, const struct e820_range *map, unsigned int nr,
		       uint64_t floor, uint64_t *kernel, char why[LINUX_WHY_LEN]);

/*
 * linux_place_initrd - where to load an initrd of @size bytes for @bz whose kernel is at
 * @kernel: the highest LINUX_INITRD_ALIGN-aligned address at or above @floor such that the
 * initrd lies inside one E820_RAM range of @map (@nr ranges, any order), ends at or below
 * linux_initrd_last(), and does not overlap [@kernel, @kernel + init_size). A @size of 0 (no
 * initrd) gives *@initrd = 0. Returns 0, or -ENOSPC (with @why) when it fits nowhere.
 */
int linux_place_initrd(const struct bzimage *bz, const struct e820_range *map, unsigned int nr,
		       uint64_t floor, uint64_t kernel, uint64_t size, uint64_t *initrd,
		       char why[LINUX_WHY_LEN]);

/*
 * linux_layout_check - whether @l boots @bz in a VM whose memory is the @nr ranges at @map.
 * Returns 0, or with @why naming the object:
 *   -EINVAL  the kernel not a multiple of kernel_alignment, the page tables not page-aligned
 *            or of no size, two objects overlapping, an object wrapping past 2^64;
 *   -E2BIG   cmdline_len above the image's cmdline_size;
 *   -ERANGE  an object not inside one E820_RAM range, one above linux_load_last() (the initrd:
 *            linux_initrd_last()), or an RSDP not inside an E820_ACPI or E820_RESERVED range.
 */
int linux_layout_check(const struct linux_layout *l, const struct bzimage *bz,
		       const struct e820_range *map, unsigned int nr, char why[LINUX_WHY_LEN]);

#endif
