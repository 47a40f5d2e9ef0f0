/* SPDX-License-Identifier: MIT */
/*
 * Synthetic bzImages for host tests, laid out from Documentation/arch/x86/boot.rst's header
 * table with the test's own offsets (not vmm/linux/bzimage.h's), so a wrong offset there fails.
 * fx_image_init() makes a good protocol 2.15 image shaped like Debian's 6.1 kernel: 4 setup
 * sectors, 4 KiB of protected-mode kernel, relocatable, 2 MiB alignment, XLF_KERNEL_64 and
 * XLF_CAN_BE_LOADED_ABOVE_4G, pref_address 16 MiB; tests then damage one field at a time.
 */
#ifndef SKIFF_TESTS_UNIT_BZIMAGE_FIXTURE_H
#define SKIFF_TESTS_UNIT_BZIMAGE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/linux/bzimage.h"
#include "vmm/linux/layout.h"

/* boot.rst "The Real-Mode Kernel Header": offset in the file, as the table gives it. */
#define FX_SETUP_SECTS	      0x1f1
#define FX_SYSSIZE	      0x1f4
#define FX_VID_MODE	      0x1fa
#define FX_BOOT_FLAG	      0x1fe
#define FX_JUMP		      0x200
#define FX_HEADER	      0x202
#define FX_VERSION	      0x206
#define FX_KERNEL_VERSION     0x20e
#define FX_TYPE_OF_LOADER     0x210
#define FX_LOADFLAGS	      0x211
#define FX_CODE32_START	      0x214
#define FX_RAMDISK_IMAGE      0x218
#define FX_RAMDISK_SIZE	      0x21c
#define FX_HEAP_END_PTR	      0x224
#define FX_CMD_LINE_PTR	      0x228
#define FX_INITRD_ADDR_MAX    0x22c
#define FX_KERNEL_ALIGNMENT   0x230
#define FX_RELOCATABLE_KERNEL 0x234
#define FX_MIN_ALIGNMENT      0x235
#define FX_XLOADFLAGS	      0x236
#define FX_CMDLINE_SIZE	      0x238
#define FX_HARDWARE_SUBARCH   0x23c
#define FX_PAYLOAD_OFFSET     0x248
#define FX_SETUP_DATA	      0x250
#define FX_PREF_ADDRESS	      0x258
#define FX_INIT_SIZE	      0x260
#define FX_HEADER_END_215     0x26c /* after kernel_info_offset */

/* The good image's values. */
#define FX_NR_SETUP_SECTS  4u
#define FX_SETUP_BYTES	   ((FX_NR_SETUP_SECTS + 1) * 512u)
#define FX_KERNEL_BYTES	   0x1000u
#define FX_SIZE		   (FX_SETUP_BYTES + FX_KERNEL_BYTES)
#define FX_CAP		   (FX_SIZE + 0x1000u) /* room for trailing bytes */
#define FX_PROTO	   0x020fu
#define FX_ALIGN	   0x200000u
#define FX_MIN_ALIGN	   21u
#define FX_PREF		   0x1000000ull
#define FX_INIT_SIZE_VAL   0x800000u
#define FX_CMDLINE_MAX	   2047u
#define FX_INITRD_MAX	   0x7fffffffu
#define FX_VERSION_AT	   0x400u /* kernel_version field; the string lies at +0x200 */
#define FX_VERSION_STRING  "6.1.0-test-amd64 (fixture) #1 SMP"
#define FX_XLF		   0x3u /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
#define FX_LOADED_HIGH	   0x01u
#define FX_CAN_USE_HEAP	   0x80u
#define FX_KEEP_SEGMENTS   0x40u
#define FX_QUIET_FLAG	   0x20u
#define FX_VID_MODE_NORMAL 0xffffu

struct fx_image {
	uint8_t b[FX_CAP];
	size_t size;
};

/* fx_image_init - a good image (see above) of FX_SIZE bytes. */
void fx_image_init(struct fx_image *im);

/* fx_put - write @v as @bytes (1, 2, 4 or 8) little-endian bytes at @off. */
void fx_put(struct fx_image *im, unsigned int off, uint64_t v, unsigned int bytes);

/* fx_get - the @bytes (1..8) little-endian bytes at @p + @off. */
uint64_t fx_get(const uint8_t *p, unsigned int off, unsigned int bytes);

/* fx_parse_ok - bzimage_parse() of @im, which must accept it. */
void fx_parse_ok(const struct fx_image *im, struct bzimage *bz);

/*
 * fx_layout - a valid placement of the good image in a 256 MiB guest: the kernel at
 * pref_address, zero page 0x7000, command line 0x20000 (15 bytes), GDT 0x6000, page tables
 * 0x8000 (24 KiB), RSDP 0xe0000, and an initrd of @initrd_size bytes at 200 MiB.
 */
struct linux_layout fx_layout(uint64_t initrd_size);

#endif
