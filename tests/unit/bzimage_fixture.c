// SPDX-License-Identifier: MIT
/* Synthetic bzImages for host tests: see bzimage_fixture.h. */
#include "tests/unit/bzimage_fixture.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#define SHORT_JMP 0xeb

void fx_put(struct fx_image *im, unsigned int off, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		im->b[off + i] = (uint8_t)(v >> (8 * i));
}

uint64_t fx_get(const uint8_t *p, unsigned int off, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)p[off + i] << (8 * i);
	return v;
}

void fx_image_init(struct fx_image *im)
{
	memset(im, 0, sizeof(*im));
	im->size = FX_SIZE;
	/* Something in every byte of the setup and the kernel that no field should pick up. */
	for (unsigned int i = 0; i < FX_SIZE; i++)
		im->b[i] = (uint8_t)(i * 7 + 3);
	memset(im->b + FX_SETUP_SECTS, 0, FX_HEADER_END_215 - FX_SETUP_SECTS);
	fx_put(im, FX_SETUP_SECTS, FX_NR_SETUP_SECTS, 1);
	fx_put(im, FX_SYSSIZE, FX_KERNEL_BYTES / 16, 4);
	fx_put(im, FX_VID_MODE, FX_VID_MODE_NORMAL, 2);
	fx_put(im, FX_BOOT_FLAG, 0xaa55, 2);
	fx_put(im, FX_JUMP, SHORT_JMP, 1);
	fx_put(im, FX_JUMP + 1, FX_HEADER_END_215 - (FX_JUMP + 2), 1);
	memcpy(im->b + FX_HEADER, "HdrS", 4);
	fx_put(im, FX_VERSION, FX_PROTO, 2);
	fx_put(im, FX_KERNEL_VERSION, FX_VERSION_AT, 2);
	fx_put(im, FX_LOADFLAGS, FX_LOADED_HIGH, 1);
	fx_put(im, FX_CODE32_START, 0x100000, 4);
	fx_put(im, FX_INITRD_ADDR_MAX, FX_INITRD_MAX, 4);
	fx_put(im, FX_KERNEL_ALIGNMENT, FX_ALIGN, 4);
	fx_put(im, FX_RELOCATABLE_KERNEL, 1, 1);
	fx_put(im, FX_MIN_ALIGNMENT, FX_MIN_ALIGN, 1);
	fx_put(im, FX_XLOADFLAGS, FX_XLF, 2);
	fx_put(im, FX_CMDLINE_SIZE, FX_CMDLINE_MAX, 4);
	fx_put(im, FX_PAYLOAD_OFFSET, 0x100, 4);
	fx_put(im, FX_PREF_ADDRESS, FX_PREF, 8);
	fx_put(im, FX_INIT_SIZE, FX_INIT_SIZE_VAL, 4);
	memcpy(im->b + FX_VERSION_AT + 0x200, FX_VERSION_STRING, sizeof(FX_VERSION_STRING));
}

void fx_parse_ok(const struct fx_image *im, struct bzimage *bz)
{
	char why[LINUX_WHY_LEN] = "";
	int err = bzimage_parse(im->b, im->size, bz, why);

	if (err)
		fail_msg("bzimage_parse: %d: %s", err, why);
}

struct linux_layout fx_layout(uint64_t initrd_size)
{
	return (struct linux_layout){
		.kernel = FX_PREF,
		.zero_page = 0x7000,
		.cmdline = 0x20000,
		.cmdline_len = 15,
		.initrd = 200ull << 20,
		.initrd_size = initrd_size,
		.gdt = 0x6000,
		.page_tables = 0x8000,
		.page_tables_size = 0x6000,
		.rsdp = 0xe0000,
	};
}
