/* SPDX-License-Identifier: MIT */
/*
 * A Linux x86 kernel image (bzImage), as the kernel's Documentation/arch/x86/boot.rst describes
 * it: a 512-byte boot sector, the real-mode setup (setup_sects sectors) that carries the setup
 * header at file offset 0x1f1, then the protected-mode kernel (syssize paragraphs), possibly
 * followed by bytes the boot protocol does not describe (Debian's signed images end with an
 * Authenticode signature).
 *
 * skiff boots Linux through the 64-bit boot protocol (boot.rst "64-bit Boot Protocol"): it
 * never runs the real-mode setup, it loads only the protected-mode kernel and enters it at
 * load address + 0x200 in long mode. That needs protocol 2.12 or later: 2.12 added xloadflags,
 * whose XLF_KERNEL_64 is the only statement that the image has that entry point, and every
 * field skiff reads besides (relocatable_kernel and kernel_alignment 2.05, cmdline_size 2.06,
 * pref_address and init_size 2.10) is older. A bzImage that is not relocatable is refused:
 * skiff chooses where the kernel lies in guest memory (vmm/linux/layout.h), and such a kernel
 * would move itself to pref_address whatever skiff chose.
 *
 * Byte order is little-endian (boot.rst "Details of Header Fields"). Pure: no allocation, no
 * logging; runs on the host under tests and the fuzzer.
 */
#ifndef SKIFF_VMM_LINUX_BZIMAGE_H
#define SKIFF_VMM_LINUX_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/linux/why.h"

/* Units (boot.rst "The Real-Mode Kernel Header"; syssize: "Details of Header Fields"). */
#define BZ_SECTOR_SIZE	      512u /* "a sector" in the boot protocol, whatever the medium */
#define BZ_PARAGRAPH_SIZE     16u  /* the unit of syssize */
#define BZ_SETUP_SECTS_LEGACY 4u   /* setup_sects 0 means 4 */

/* File offsets of the setup header's fields (boot.rst "The Real-Mode Kernel Header" table). */
#define BZ_OFF_SETUP_HEADER	     0x1f1 /* the header starts with setup_sects */
#define BZ_OFF_SETUP_SECTS	     0x1f1
#define BZ_OFF_ROOT_FLAGS	     0x1f2
#define BZ_OFF_SYSSIZE		     0x1f4
#define BZ_OFF_RAM_SIZE		     0x1f8
#define BZ_OFF_VID_MODE		     0x1fa
#define BZ_OFF_ROOT_DEV		     0x1fc
#define BZ_OFF_BOOT_FLAG	     0x1fe
#define BZ_OFF_JUMP		     0x200
#define BZ_OFF_HEADER		     0x202
#define BZ_OFF_VERSION		     0x206
#define BZ_OFF_REALMODE_SWTCH	     0x208
#define BZ_OFF_START_SYS_SEG	     0x20c
#define BZ_OFF_KERNEL_VERSION	     0x20e
#define BZ_OFF_TYPE_OF_LOADER	     0x210
#define BZ_OFF_LOADFLAGS	     0x211
#define BZ_OFF_SETUP_MOVE_SIZE	     0x212
#define BZ_OFF_CODE32_START	     0x214
#define BZ_OFF_RAMDISK_IMAGE	     0x218
#define BZ_OFF_RAMDISK_SIZE	     0x21c
#define BZ_OFF_BOOTSECT_KLUDGE	     0x220
#define BZ_OFF_HEAP_END_PTR	     0x224
#define BZ_OFF_EXT_LOADER_VER	     0x226
#define BZ_OFF_EXT_LOADER_TYPE	     0x227
#define BZ_OFF_CMD_LINE_PTR	     0x228
#define BZ_OFF_INITRD_ADDR_MAX	     0x22c
#define BZ_OFF_KERNEL_ALIGNMENT	     0x230
#define BZ_OFF_RELOCATABLE_KERNEL    0x234
#define BZ_OFF_MIN_ALIGNMENT	     0x235
#define BZ_OFF_XLOADFLAGS	     0x236
#define BZ_OFF_CMDLINE_SIZE	     0x238
#define BZ_OFF_HARDWARE_SUBARCH	     0x23c
#define BZ_OFF_HARDWARE_SUBARCH_DATA 0x240
#define BZ_OFF_PAYLOAD_OFFSET	     0x248
#define BZ_OFF_PAYLOAD_LENGTH	     0x24c
#define BZ_OFF_SETUP_DATA	     0x250
#define BZ_OFF_PREF_ADDRESS	     0x258
#define BZ_OFF_INIT_SIZE	     0x260
#define BZ_OFF_HANDOVER_OFFSET	     0x264
#define BZ_OFF_KERNEL_INFO_OFFSET    0x268
#define BZ_OFF_SETUP_HEADER_END	     0x26c /* the end of protocol 2.15's header */

/*
 * The header's length: the jump at 0x200 is a short jmp (0xeb, then a signed 8-bit offset from
 * 0x202) over the header, so the header ends at 0x202 + that offset, at most 0x202 + 127
 * (boot.rst "jump"; "32-bit Boot Protocol"; "The kernel_info": at most 144 bytes).
 */
#define BZ_JUMP_SHORT_OPCODE 0xeb
#define BZ_OFF_JUMP_OFFSET   0x201
#define BZ_SETUP_HEADER_MAX  144u
/* The header's fields skiff reads end with init_size. */
#define BZ_SETUP_HEADER_NEEDED (BZ_OFF_INIT_SIZE + 4u)

/* Magic numbers (boot.rst "boot_flag", "header"). */
#define BZ_BOOT_FLAG_MAGIC 0xaa55u
#define BZ_HEADER_MAGIC	   0x53726448u /* "HdrS" */

/* version: (major << 8) | minor (boot.rst "version"); skiff needs 2.12 (see above). */
#define BZ_VERSION(major, minor) (((major) << 8) | (minor))
#define BZ_VERSION_MIN		 BZ_VERSION(2u, 12u)
#define BZ_VERSION_MAJOR(v)	 ((unsigned int)(v) >> 8)
#define BZ_VERSION_MINOR(v)	 ((unsigned int)(v)&0xffu)

/* kernel_version: the string lies at this field + 0x200 in the file (boot.rst "kernel_version"). */
#define BZ_KERNEL_VERSION_BASE 0x200u
#define BZ_KERNEL_VERSION_MAX  128u /* bytes kept, with the NUL */

/* loadflags (boot.rst "loadflags"). */
#define BZ_LOADED_HIGH	 (1u << 0) /* read: the protected-mode code loads at 0x100000 */
#define BZ_KASLR_FLAG	 (1u << 1) /* kernel internal */
#define BZ_QUIET_FLAG	 (1u << 5) /* write: 1 suppresses early messages */
#define BZ_KEEP_SEGMENTS (1u << 6) /* obsolete */
#define BZ_CAN_USE_HEAP	 (1u << 7) /* write: heap_end_ptr is valid */

/* xloadflags (boot.rst "xloadflags"; bits 5 and 6 from the kernel's asm/bootparam.h). */
#define BZ_XLF_KERNEL_64	      (1u << 0) /* the 64-bit entry at load address + 0x200 */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1) /* kernel, boot_params, cmdline, ramdisk above 4G */
#define BZ_XLF_EFI_HANDOVER_32	      (1u << 2)
#define BZ_XLF_EFI_HANDOVER_64	      (1u << 3)
#define BZ_XLF_EFI_KEXEC	      (1u << 4)
#define BZ_XLF_5LEVEL		      (1u << 5)
#define BZ_XLF_5LEVEL_ENABLED	      (1u << 6)

/* The 64-bit entry point's offset from the protected-mode kernel's load address (boot.rst
 * "64-bit Boot Protocol"). */
#define BZ_ENTRY64_OFFSET 0x200u

/* skiff maps guest memory in 4 KiB pages: a smaller kernel_alignment is refused. */
#define BZ_PAGE_SIZE 0x1000u

/*
 * The setup header as it lies in the file from 0x1f1 and in boot_params at 0x1f1 (boot.rst
 * table; the fields up to protocol 2.15). Packed: the fields are not naturally aligned.
 */
struct setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;
	uint16_t jump;
	uint32_t header;
	uint16_t version;
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
	uint32_t kernel_info_offset;
} __attribute__((packed));

/* What bzimage_parse() found in an image it accepted. Addresses and sizes in bytes. */
struct bzimage {
	uint16_t version;     /* boot protocol, BZ_VERSION(major, minor), >= 2.12 */
	uint32_t setup_sects; /* sectors of setup after the boot sector (0 in the file: 4) */
	uint64_t
		kernel_offset; /* file offset of the protected-mode kernel, (setup_sects + 1) * 512 */
	uint64_t kernel_size;	   /* its length, syssize * 16, > 0, inside the file */
	uint8_t loadflags;	   /* BZ_LOADED_HIGH set */
	uint16_t xloadflags;	   /* BZ_XLF_KERNEL_64 set */
	uint32_t kernel_alignment; /* a power of two, >= 4 KiB */
	uint8_t min_alignment;	  /* log2 of the least alignment, <= log2(kernel_alignment), or 0 */
	uint64_t pref_address;	  /* 0 or a multiple of kernel_alignment */
	uint32_t init_size;	  /* bytes from the load address the kernel needs, >= kernel_size */
	uint32_t cmdline_size;	  /* longest command line without its NUL */
	uint32_t initrd_addr_max; /* highest byte an initrd may occupy (below 4G) */
	uint32_t header_len;	  /* bytes of setup header from 0x1f1, up to BZ_SETUP_HEADER_MAX */
	uint8_t header[BZ_SETUP_HEADER_MAX];	    /* the image's setup header, header_len bytes */
	char kernel_version[BZ_KERNEL_VERSION_MAX]; /* the image's version string, or "" */
};

/*
 * bzimage_parse - check the @size bytes at @image as a bzImage skiff can boot with the 64-bit
 * boot protocol (boot.rst "The Real-Mode Kernel Header", "Details of Header Fields", "Loading
 * The Rest of The Kernel", "64-bit Boot Protocol") and describe it in *@bz. Reads only inside
 * [@image, @image + @size); @image needs no alignment.
 * Returns 0, or with @why (LINUX_WHY_LEN bytes) naming the field and its offset, and *@bz
 * zeroed:
 *   -EINVAL      damaged: truncated (shorter than the header, than setup_sects or than syssize
 *                says), boot_flag not 0xAA55, no "HdrS", no short jump or a header that ends
 *                before init_size, syssize 0, kernel_alignment not a power of two of at least
 *                4 KiB, min_alignment above it, pref_address unaligned, init_size below the
 *                kernel's size or passing 2^64 from pref_address, kernel_version outside the
 *                setup;
 *   -EOPNOTSUPP  a valid image skiff does not boot: protocol older than 2.12, not LOADED_HIGH
 *                (a zImage), relocatable_kernel 0, or no XLF_KERNEL_64.
 */
int bzimage_parse(const void *image, size_t size, struct bzimage *bz, char why[LINUX_WHY_LEN]);

#endif
