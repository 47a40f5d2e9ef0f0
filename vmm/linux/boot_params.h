/* SPDX-License-Identifier: MIT */
/*
 * The zero page (struct boot_params) a Linux guest finds in RSI at its 64-bit entry: 4 KiB laid
 * out as the kernel's Documentation/arch/x86/zero-page.rst and arch/x86/include/uapi/asm/
 * bootparam.h say, carrying the image's setup header (vmm/linux/bzimage.h) with the fields a
 * boot loader writes (boot.rst "Details of Header Fields"), the e820 memory map
 * (vmm/linux/e820.h) and the ACPI RSDP's address. The parts skiff leaves zero (screen, APM,
 * IST, EDID, EFI, EDD) are opaque byte arrays of their documented sizes.
 * Pure: no allocation, no logging.
 */
#ifndef SKIFF_VMM_LINUX_BOOT_PARAMS_H
#define SKIFF_VMM_LINUX_BOOT_PARAMS_H

#include <stdint.h>

#include "vmm/linux/bzimage.h"
#include "vmm/linux/e820.h"
#include "vmm/linux/layout.h"
#include "vmm/linux/why.h"

/* Offsets in the zero page (zero-page.rst table; bootparam.h). */
#define BP_OFF_SCREEN_INFO	       0x000
#define BP_OFF_APM_BIOS_INFO	       0x040
#define BP_OFF_TBOOT_ADDR	       0x058
#define BP_OFF_IST_INFO		       0x060
#define BP_OFF_ACPI_RSDP_ADDR	       0x070
#define BP_OFF_HD0_INFO		       0x080
#define BP_OFF_HD1_INFO		       0x090
#define BP_OFF_SYS_DESC_TABLE	       0x0a0
#define BP_OFF_OLPC_OFW_HEADER	       0x0b0
#define BP_OFF_EXT_RAMDISK_IMAGE       0x0c0
#define BP_OFF_EXT_RAMDISK_SIZE	       0x0c4
#define BP_OFF_EXT_CMD_LINE_PTR	       0x0c8
#define BP_OFF_CC_BLOB_ADDRESS	       0x13c
#define BP_OFF_EDID_INFO	       0x140
#define BP_OFF_EFI_INFO		       0x1c0
#define BP_OFF_ALT_MEM_K	       0x1e0
#define BP_OFF_SCRATCH		       0x1e4
#define BP_OFF_E820_ENTRIES	       0x1e8
#define BP_OFF_EDDBUF_ENTRIES	       0x1e9
#define BP_OFF_EDD_MBR_SIG_BUF_ENTRIES 0x1ea
#define BP_OFF_KBD_STATUS	       0x1eb
#define BP_OFF_SECURE_BOOT	       0x1ec
#define BP_OFF_SENTINEL		       0x1ef
#define BP_OFF_HDR		       0x1f1 /* struct setup_header, as in the image */
#define BP_OFF_EDD_MBR_SIG_BUFFER      0x290
#define BP_OFF_E820_TABLE	       0x2d0
#define BP_OFF_EDDBUF		       0xd00
#define BP_SIZE			       0x1000

/* Sizes of the parts skiff leaves zero (zero-page.rst "Offset/Size"). */
#define BP_APM_BIOS_INFO_SIZE 0x14
#define BP_OLD_INFO_SIZE      0x10  /* hd0_info, hd1_info, sys_desc_table, olpc_ofw_header */
#define BP_EDD_MBR_SIG_MAX    16    /* edd_mbr_sig_buffer entries */
#define BP_EDDBUF_SIZE	      0x1ec /* EDDMAXNR (6) struct edd_info of 82 bytes */

/* type_of_loader for a loader without an assigned id (boot.rst "type_of_loader"). */
#define BP_TYPE_OF_LOADER_UNDEFINED 0xff
/* hardware_subarch: the default x86/PC environment (boot.rst "hardware_subarch"). */
#define BP_SUBARCH_PC 0

/* One entry of e820_table: 20 bytes, packed (bootparam.h struct boot_e820_entry). */
struct boot_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* enum e820_type */
} __attribute__((packed));

struct boot_params {
	uint8_t screen_info[BP_OFF_APM_BIOS_INFO - BP_OFF_SCREEN_INFO];
	uint8_t apm_bios_info[BP_APM_BIOS_INFO_SIZE];
	uint8_t _pad2[BP_OFF_TBOOT_ADDR - (BP_OFF_APM_BIOS_INFO + BP_APM_BIOS_INFO_SIZE)];
	uint64_t tboot_addr;
	uint8_t ist_info[BP_OFF_ACPI_RSDP_ADDR - BP_OFF_IST_INFO];
	uint64_t acpi_rsdp_addr;
	uint8_t _pad3[BP_OFF_HD0_INFO - (BP_OFF_ACPI_RSDP_ADDR + 8)];
	uint8_t hd0_info[BP_OLD_INFO_SIZE];
	uint8_t hd1_info[BP_OLD_INFO_SIZE];
	uint8_t sys_desc_table[BP_OLD_INFO_SIZE];
	uint8_t olpc_ofw_header[BP_OLD_INFO_SIZE];
	uint32_t ext_ramdisk_image;
	uint32_t ext_ramdisk_size;
	uint32_t ext_cmd_line_ptr;
	uint8_t _pad4[BP_OFF_CC_BLOB_ADDRESS - (BP_OFF_EXT_CMD_LINE_PTR + 4)];
	uint32_t cc_blob_address;
	uint8_t edid_info[BP_OFF_EFI_INFO - BP_OFF_EDID_INFO];
	uint8_t efi_info[BP_OFF_ALT_MEM_K - BP_OFF_EFI_INFO];
	uint32_t alt_mem_k;
	uint32_t scratch;
	uint8_t e820_entries;
	uint8_t eddbuf_entries;
	uint8_t edd_mbr_sig_buf_entries;
	uint8_t kbd_status;
	uint8_t secure_boot;
	uint8_t _pad5[2];
	uint8_t sentinel;
	uint8_t _pad6[1];
	struct setup_header hdr;
	uint8_t _pad7[BP_OFF_EDD_MBR_SIG_BUFFER - BP_OFF_HDR - sizeof(struct setup_header)];
	uint32_t edd_mbr_sig_buffer[BP_EDD_MBR_SIG_MAX];
	struct boot_e820_entry e820_table[E820_MAX_ENTRIES];
	uint8_t _pad8[BP_OFF_EDDBUF -
		      (BP_OFF_E820_TABLE + E820_MAX_ENTRIES * sizeof(struct boot_e820_entry))];
	uint8_t eddbuf[BP_EDDBUF_SIZE];
	uint8_t _pad9[BP_SIZE - (BP_OFF_EDDBUF + BP_EDDBUF_SIZE)];
} __attribute__((packed));

/*
 * boot_params_build - the zero page for booting @bz with the layout @l in a VM whose memory is
 * the @nr ranges at @map (any order), written to *@bp (BP_SIZE bytes, any alignment), which
 * skiff then copies to guest-physical @l->zero_page. The layout is checked first
 * (linux_layout_check()). Then, on a zeroed page (boot.rst "64-bit Boot Protocol"):
 *   - hdr: the image's setup header (its header_len bytes), with type_of_loader 0xff,
 *     loadflags LOADED_HIGH only (no CAN_USE_HEAP: the real-mode setup never runs, so there is
 *     no heap; KEEP_SEGMENTS is obsolete; QUIET_FLAG clear: early messages wanted),
 *     code32_start the load address when below 4 GiB, cmd_line_ptr, ramdisk_image and
 *     ramdisk_size (their high halves in ext_cmd_line_ptr, ext_ramdisk_image and
 *     ext_ramdisk_size), heap_end_ptr, setup_data and hardware_subarch 0;
 *   - e820_entries and e820_table: @map sorted by address (e820_sort());
 *   - acpi_rsdp_addr: @l->rsdp.
 * Returns 0, or the error of linux_layout_check() or e820_sort() with @why (LINUX_WHY_LEN
 * bytes) saying which field or range is at fault; *@bp is then unspecified.
 */
int boot_params_build(struct boot_params *bp, const struct bzimage *bz,
		      const struct linux_layout *l, const struct e820_range *map, unsigned int nr,
		      char why[LINUX_WHY_LEN]);

#endif
