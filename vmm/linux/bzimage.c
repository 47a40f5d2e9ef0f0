// SPDX-License-Identifier: MIT
/* The bzImage setup header, checked for the 64-bit boot protocol: see bzimage.h. */
#include "vmm/linux/bzimage.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* struct setup_header lies exactly as boot.rst's table says. */
#define HDR_AT(field, off)                                                                  \
	_Static_assert(BZ_OFF_SETUP_HEADER + offsetof(struct setup_header, field) == (off), \
		       #field " at " #off)
HDR_AT(setup_sects, BZ_OFF_SETUP_SECTS);
HDR_AT(root_flags, BZ_OFF_ROOT_FLAGS);
HDR_AT(syssize, BZ_OFF_SYSSIZE);
HDR_AT(ram_size, BZ_OFF_RAM_SIZE);
HDR_AT(vid_mode, BZ_OFF_VID_MODE);
HDR_AT(root_dev, BZ_OFF_ROOT_DEV);
HDR_AT(boot_flag, BZ_OFF_BOOT_FLAG);
HDR_AT(jump, BZ_OFF_JUMP);
HDR_AT(header, BZ_OFF_HEADER);
HDR_AT(version, BZ_OFF_VERSION);
HDR_AT(realmode_swtch, BZ_OFF_REALMODE_SWTCH);
HDR_AT(start_sys_seg, BZ_OFF_START_SYS_SEG);
HDR_AT(kernel_version, BZ_OFF_KERNEL_VERSION);
HDR_AT(type_of_loader, BZ_OFF_TYPE_OF_LOADER);
HDR_AT(loadflags, BZ_OFF_LOADFLAGS);
HDR_AT(setup_move_size, BZ_OFF_SETUP_MOVE_SIZE);
HDR_AT(code32_start, BZ_OFF_CODE32_START);
HDR_AT(ramdisk_image, BZ_OFF_RAMDISK_IMAGE);
HDR_AT(ramdisk_size, BZ_OFF_RAMDISK_SIZE);
HDR_AT(bootsect_kludge, BZ_OFF_BOOTSECT_KLUDGE);
HDR_AT(heap_end_ptr, BZ_OFF_HEAP_END_PTR);
HDR_AT(ext_loader_ver, BZ_OFF_EXT_LOADER_VER);
HDR_AT(ext_loader_type, BZ_OFF_EXT_LOADER_TYPE);
HDR_AT(cmd_line_ptr, BZ_OFF_CMD_LINE_PTR);
HDR_AT(initrd_addr_max, BZ_OFF_INITRD_ADDR_MAX);
HDR_AT(kernel_alignment, BZ_OFF_KERNEL_ALIGNMENT);
HDR_AT(relocatable_kernel, BZ_OFF_RELOCATABLE_KERNEL);
HDR_AT(min_alignment, BZ_OFF_MIN_ALIGNMENT);
HDR_AT(xloadflags, BZ_OFF_XLOADFLAGS);
HDR_AT(cmdline_size, BZ_OFF_CMDLINE_SIZE);
HDR_AT(hardware_subarch, BZ_OFF_HARDWARE_SUBARCH);
HDR_AT(hardware_subarch_data, BZ_OFF_HARDWARE_SUBARCH_DATA);
HDR_AT(payload_offset, BZ_OFF_PAYLOAD_OFFSET);
HDR_AT(payload_length, BZ_OFF_PAYLOAD_LENGTH);
HDR_AT(setup_data, BZ_OFF_SETUP_DATA);
HDR_AT(pref_address, BZ_OFF_PREF_ADDRESS);
HDR_AT(init_size, BZ_OFF_INIT_SIZE);
HDR_AT(handover_offset, BZ_OFF_HANDOVER_OFFSET);
HDR_AT(kernel_info_offset, BZ_OFF_KERNEL_INFO_OFFSET);
_Static_assert(sizeof(struct setup_header) == BZ_OFF_SETUP_HEADER_END - BZ_OFF_SETUP_HEADER,
	       "setup_header is 2.15's 123 bytes");
_Static_assert(BZ_OFF_JUMP_OFFSET + 1 + INT8_MAX - BZ_OFF_SETUP_HEADER == BZ_SETUP_HEADER_MAX,
	       "the jump reaches 144 bytes of header");

static uint32_t le(const uint8_t *p, unsigned int bytes)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* The fixed part: magic numbers, version and the header's length. */
static int check_magic(const uint8_t *p, size_t size, struct bzimage *bz, char *why)
{
	uint32_t boot_flag, header, end;
	int8_t jump_offset;

	if (size < BZ_OFF_VERSION + sizeof(uint16_t))
		return LINUX_REFUSE(why, -EINVAL,
				    "truncated: %zu bytes, the setup header's version ends at 0x%x",
				    size, BZ_OFF_VERSION + (unsigned int)sizeof(uint16_t));
	boot_flag = le(p + BZ_OFF_BOOT_FLAG, 2);
	if (boot_flag != BZ_BOOT_FLAG_MAGIC)
		return LINUX_REFUSE(why, -EINVAL, "boot_flag (0x%x) is 0x%04x, not 0x%04x",
				    BZ_OFF_BOOT_FLAG, boot_flag, BZ_BOOT_FLAG_MAGIC);
	header = le(p + BZ_OFF_HEADER, 4);
	if (header != BZ_HEADER_MAGIC)
		return LINUX_REFUSE(
			why, -EINVAL,
			"header (0x%x) is 0x%08x, not \"HdrS\": boot protocol before 2.00",
			BZ_OFF_HEADER, header);
	bz->version = (uint16_t)le(p + BZ_OFF_VERSION, 2);
	if (bz->version < BZ_VERSION_MIN)
		return LINUX_REFUSE(
			why, -EOPNOTSUPP,
			"version (0x%x) is %u.%02u, before 2.12 (xloadflags, 64-bit entry)",
			BZ_OFF_VERSION, BZ_VERSION_MAJOR(bz->version),
			BZ_VERSION_MINOR(bz->version));
	if (p[BZ_OFF_JUMP] != BZ_JUMP_SHORT_OPCODE)
		return LINUX_REFUSE(why, -EINVAL, "jump (0x%x) starts with 0x%02x, not a short jmp",
				    BZ_OFF_JUMP, p[BZ_OFF_JUMP]);
	jump_offset = (int8_t)p[BZ_OFF_JUMP_OFFSET];
	end = (uint32_t)((int32_t)BZ_OFF_JUMP_OFFSET + 1 + jump_offset);
	if (jump_offset < 0 || end < BZ_SETUP_HEADER_NEEDED)
		return LINUX_REFUSE(
			why, -EINVAL,
			"jump (0x%x) ends the setup header at 0x%x, before init_size's end 0x%x",
			BZ_OFF_JUMP, end, BZ_SETUP_HEADER_NEEDED);
	bz->header_len = end - BZ_OFF_SETUP_HEADER;
	return 0;
}

/* Where the setup and the protected-mode kernel lie in the file. */
static int check_extent(const uint8_t *p, size_t size, const struct setup_header *h,
			struct bzimage *bz, char *why)
{
	bz->setup_sects = h->setup_sects ? h->setup_sects : BZ_SETUP_SECTS_LEGACY;
	bz->kernel_offset = (uint64_t)(bz->setup_sects + 1) * BZ_SECTOR_SIZE;
	if (size < bz->kernel_offset)
		return LINUX_REFUSE(
			why, -EINVAL,
			"setup_sects (0x%x) is %u: the setup ends at %llu, the file at %zu",
			BZ_OFF_SETUP_SECTS, h->setup_sects, (unsigned long long)bz->kernel_offset,
			size);
	if (!(h->loadflags & BZ_LOADED_HIGH))
		return LINUX_REFUSE(
			why, -EOPNOTSUPP,
			"loadflags (0x%x) 0x%02x lacks LOADED_HIGH: a zImage, not a bzImage",
			BZ_OFF_LOADFLAGS, h->loadflags);
	bz->kernel_size = (uint64_t)h->syssize * BZ_PARAGRAPH_SIZE;
	if (!bz->kernel_size)
		return LINUX_REFUSE(why, -EINVAL, "syssize (0x%x) is 0", BZ_OFF_SYSSIZE);
	if (bz->kernel_size > size - bz->kernel_offset)
		return LINUX_REFUSE(
			why, -EINVAL,
			"syssize (0x%x) says %llu bytes of kernel, the file has %llu after the setup",
			BZ_OFF_SYSSIZE, (unsigned long long)bz->kernel_size,
			(unsigned long long)(size - bz->kernel_offset));
	if (h->kernel_version) {
		uint64_t at = (uint64_t)h->kernel_version + BZ_KERNEL_VERSION_BASE;
		size_t n = 0;

		if (at >= bz->kernel_offset)
			return LINUX_REFUSE(
				why, -EINVAL,
				"kernel_version (0x%x) points at 0x%llx, past the setup's end 0x%llx",
				BZ_OFF_KERNEL_VERSION, (unsigned long long)at,
				(unsigned long long)bz->kernel_offset);
		while (n < sizeof(bz->kernel_version) - 1 && at + n < bz->kernel_offset &&
		       p[at + n])
			n++;
		memcpy(bz->kernel_version, p + at, n);
		bz->kernel_version[n] = '\0';
	}
	return 0;
}

/* What the 64-bit boot protocol and skiff's placement need of the kernel. */
static int check_placement(const struct setup_header *h, struct bzimage *bz, char *why)
{
	if (!h->relocatable_kernel)
		return LINUX_REFUSE(
			why, -EOPNOTSUPP,
			"relocatable_kernel (0x%x) is 0: the kernel would not run where skiff loads it",
			BZ_OFF_RELOCATABLE_KERNEL);
	if (!(h->xloadflags & BZ_XLF_KERNEL_64))
		return LINUX_REFUSE(why, -EOPNOTSUPP,
				    "xloadflags (0x%x) 0x%04x lacks XLF_KERNEL_64: no 64-bit entry",
				    BZ_OFF_XLOADFLAGS, h->xloadflags);
	if (!is_pow2(h->kernel_alignment) || h->kernel_alignment < BZ_PAGE_SIZE)
		return LINUX_REFUSE(
			why, -EINVAL,
			"kernel_alignment (0x%x) 0x%x is not a power of two of at least 0x%x",
			BZ_OFF_KERNEL_ALIGNMENT, h->kernel_alignment, BZ_PAGE_SIZE);
	if (h->min_alignment > (unsigned int)__builtin_ctz(h->kernel_alignment))
		return LINUX_REFUSE(why, -EINVAL,
				    "min_alignment (0x%x) 2^%u is above kernel_alignment 0x%x",
				    BZ_OFF_MIN_ALIGNMENT, h->min_alignment, h->kernel_alignment);
	if (h->pref_address % h->kernel_alignment)
		return LINUX_REFUSE(
			why, -EINVAL,
			"pref_address (0x%x) 0x%llx is not a multiple of kernel_alignment 0x%x",
			BZ_OFF_PREF_ADDRESS, (unsigned long long)h->pref_address,
			h->kernel_alignment);
	if (h->init_size < bz->kernel_size)
		return LINUX_REFUSE(
			why, -EINVAL, "init_size (0x%x) 0x%x is less than the kernel's %llu bytes",
			BZ_OFF_INIT_SIZE, h->init_size, (unsigned long long)bz->kernel_size);
	if (h->pref_address > UINT64_MAX - h->init_size)
		return LINUX_REFUSE(
			why, -EINVAL, "init_size (0x%x) 0x%x from pref_address 0x%llx passes 2^64",
			BZ_OFF_INIT_SIZE, h->init_size, (unsigned long long)h->pref_address);
	bz->loadflags = h->loadflags;
	bz->xloadflags = h->xloadflags;
	bz->kernel_alignment = h->kernel_alignment;
	bz->min_alignment = h->min_alignment;
	bz->pref_address = h->pref_address;
	bz->init_size = h->init_size;
	bz->cmdline_size = h->cmdline_size;
	bz->initrd_addr_max = h->initrd_addr_max;
	return 0;
}

int bzimage_parse(const void *image, size_t size, struct bzimage *bz, char why[LINUX_WHY_LEN])
{
	const uint8_t *p = image;
	struct setup_header h;
	int err;

	memset(bz, 0, sizeof(*bz));
	err = check_magic(p, size, bz, why);
	/* The header ends by 0x281 and the setup, checked next, is at least 1 KiB: but the file
	 * may still end inside the header. */
	if (!err && size < BZ_OFF_SETUP_HEADER + bz->header_len)
		err = LINUX_REFUSE(why, -EINVAL,
				   "truncated: %zu bytes, the setup header ends at 0x%x", size,
				   BZ_OFF_SETUP_HEADER + bz->header_len);
	if (!err) {
		memcpy(bz->header, p + BZ_OFF_SETUP_HEADER, bz->header_len);
		memset(&h, 0, sizeof(h));
		memcpy(&h, bz->header, bz->header_len < sizeof(h) ? bz->header_len : sizeof(h));
		err = check_extent(p, size, &h, bz, why);
	}
	if (!err)
		err = check_placement(&h, bz, why);
	if (err)
		memset(bz, 0, sizeof(*bz));
	return err;
}
