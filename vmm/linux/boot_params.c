// SPDX-License-Identifier: MIT
/* The zero page of a Linux guest: see boot_params.h. */
#include "vmm/linux/boot_params.h"

#include <stddef.h>
#include <string.h>

/* struct boot_params lies exactly as zero-page.rst's table says. */
#define BP_AT(field, off) _Static_assert(offsetof(struct boot_params, field) == (off), #field)
BP_AT(screen_info, BP_OFF_SCREEN_INFO);
BP_AT(apm_bios_info, BP_OFF_APM_BIOS_INFO);
BP_AT(tboot_addr, BP_OFF_TBOOT_ADDR);
BP_AT(ist_info, BP_OFF_IST_INFO);
BP_AT(acpi_rsdp_addr, BP_OFF_ACPI_RSDP_ADDR);
BP_AT(hd0_info, BP_OFF_HD0_INFO);
BP_AT(hd1_info, BP_OFF_HD1_INFO);
BP_AT(sys_desc_table, BP_OFF_SYS_DESC_TABLE);
BP_AT(olpc_ofw_header, BP_OFF_OLPC_OFW_HEADER);
BP_AT(ext_ramdisk_image, BP_OFF_EXT_RAMDISK_IMAGE);
BP_AT(ext_ramdisk_size, BP_OFF_EXT_RAMDISK_SIZE);
BP_AT(ext_cmd_line_ptr, BP_OFF_EXT_CMD_LINE_PTR);
BP_AT(cc_blob_address, BP_OFF_CC_BLOB_ADDRESS);
BP_AT(edid_info, BP_OFF_EDID_INFO);
BP_AT(efi_info, BP_OFF_EFI_INFO);
BP_AT(alt_mem_k, BP_OFF_ALT_MEM_K);
BP_AT(scratch, BP_OFF_SCRATCH);
BP_AT(e820_entries, BP_OFF_E820_ENTRIES);
BP_AT(eddbuf_entries, BP_OFF_EDDBUF_ENTRIES);
BP_AT(edd_mbr_sig_buf_entries, BP_OFF_EDD_MBR_SIG_BUF_ENTRIES);
BP_AT(kbd_status, BP_OFF_KBD_STATUS);
BP_AT(secure_boot, BP_OFF_SECURE_BOOT);
BP_AT(sentinel, BP_OFF_SENTINEL);
BP_AT(hdr, BP_OFF_HDR);
BP_AT(edd_mbr_sig_buffer, BP_OFF_EDD_MBR_SIG_BUFFER);
BP_AT(e820_table, BP_OFF_E820_TABLE);
BP_AT(eddbuf, BP_OFF_EDDBUF);
_Static_assert(sizeof(struct boot_params) == BP_SIZE, "the zero page is 4 KiB");
_Static_assert(BP_SIZE == LINUX_ZERO_PAGE_SIZE, "layout.h's zero page is this one");
_Static_assert(sizeof(struct boot_e820_entry) == 20, "boot_e820_entry is 20 bytes");
_Static_assert(BP_OFF_HDR + BZ_SETUP_HEADER_MAX <= BP_OFF_EDD_MBR_SIG_BUFFER,
	       "the longest setup header fits before edd_mbr_sig_buffer");

#define LOW32(v)  ((uint32_t)(v))
#define HIGH32(v) ((uint32_t)((uint64_t)(v) >> 32))

int boot_params_build(struct boot_params *bp, const struct bzimage *bz,
		      const struct linux_layout *l, const struct e820_range *map, unsigned int nr,
		      char why[LINUX_WHY_LEN])
{
	struct e820_range sorted[E820_MAX_ENTRIES];
	int err = linux_layout_check(l, bz, map, nr, why);

	if (!err)
		err = e820_sort(map, nr, sorted, why);
	if (err)
		return err;
	memset(bp, 0, sizeof(*bp));
	memcpy((uint8_t *)bp + BP_OFF_HDR, bz->header, bz->header_len);

	bp->hdr.type_of_loader = BP_TYPE_OF_LOADER_UNDEFINED;
	bp->hdr.loadflags = bz->loadflags & BZ_LOADED_HIGH;
	if (l->kernel <= LINUX_BELOW_4G_LAST)
		bp->hdr.code32_start = LOW32(l->kernel);
	bp->hdr.heap_end_ptr = 0;
	bp->hdr.ext_loader_ver = 0;
	bp->hdr.ext_loader_type = 0;
	bp->hdr.cmd_line_ptr = LOW32(l->cmdline);
	bp->ext_cmd_line_ptr = HIGH32(l->cmdline);
	bp->hdr.ramdisk_image = LOW32(l->initrd_size ? l->initrd : 0);
	bp->ext_ramdisk_image = HIGH32(l->initrd_size ? l->initrd : 0);
	bp->hdr.ramdisk_size = LOW32(l->initrd_size);
	bp->ext_ramdisk_size = HIGH32(l->initrd_size);
	bp->hdr.hardware_subarch = BP_SUBARCH_PC;
	bp->hdr.hardware_subarch_data = 0;
	bp->hdr.setup_data = 0;

	bp->e820_entries = (uint8_t)nr;
	for (unsigned int i = 0; i < nr; i++) {
		bp->e820_table[i].addr = sorted[i].addr;
		bp->e820_table[i].size = sorted[i].size;
		bp->e820_table[i].type = (uint32_t)sorted[i].type;
	}
	bp->acpi_rsdp_addr = l->rsdp;
	return 0;
}
