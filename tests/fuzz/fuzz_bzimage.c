// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for bzimage_parse() (vmm/linux/bzimage.c) and what follows it: any bytes
 * are an image. The parser must never read outside the input (ASan), hit undefined behaviour
 * (UBSan) or return anything but 0, -EINVAL or -EOPNOTSUPP with a message. An image it accepts
 * is re-checked here against every rule of Documentation/arch/x86/boot.rst the parser promises,
 * from the raw bytes at the test's own offsets; then it is placed in a VM whose RAM size the
 * input's last bytes choose, and the kernel's address must be aligned, above the floor, inside
 * RAM with init_size bytes, and below 4 GiB without XLF_CAN_BE_LOADED_ABOVE_4G; the initrd's
 * inside RAM, below its limit and clear of the kernel; and the zero page and the 64-bit entry
 * state built from that layout must say the same.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/linux/boot_params.h"
#include "vmm/linux/bzimage.h"
#include "vmm/linux/entry64.h"
#include "vmm/linux/layout.h"

/* boot.rst's offsets, the harness's own. */
#define O_SETUP_SECTS	     0x1f1
#define O_SYSSIZE	     0x1f4
#define O_BOOT_FLAG	     0x1fe
#define O_JUMP		     0x200
#define O_HEADER	     0x202
#define O_VERSION	     0x206
#define O_LOADFLAGS	     0x211
#define O_KERNEL_ALIGNMENT   0x230
#define O_RELOCATABLE_KERNEL 0x234
#define O_MIN_ALIGNMENT	     0x235
#define O_XLOADFLAGS	     0x236
#define O_PREF_ADDRESS	     0x258
#define O_INIT_SIZE	     0x260
#define MIB		     0x100000ull
#define LOW_RAM_END	     0x9f000ull
#define FLOOR		     MIB
#define RAM_SPAN	     (8ull << 30)

static uint64_t le(const uint8_t *p, size_t off, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)p[off + i] << (8 * i);
	return v;
}

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Every rule bzimage.h promises of an accepted image, from the bytes. */
static void check_accepted(const uint8_t *p, size_t size, const struct bzimage *bz)
{
	uint64_t sects, setup, align;

	check(size >= O_INIT_SIZE + 4);
	check(le(p, O_BOOT_FLAG, 2) == 0xaa55 && !memcmp(p + O_HEADER, "HdrS", 4));
	check(le(p, O_VERSION, 2) >= 0x020c && bz->version == le(p, O_VERSION, 2));
	check(p[O_JUMP] == 0xeb && p[O_JUMP + 1] < 0x80);
	check(bz->header_len == 0x202 + p[O_JUMP + 1] - O_SETUP_SECTS);
	check(bz->header_len >= O_INIT_SIZE + 4 - O_SETUP_SECTS && bz->header_len <= 144);
	check(!memcmp(bz->header, p + O_SETUP_SECTS, bz->header_len));
	sects = p[O_SETUP_SECTS] ? p[O_SETUP_SECTS] : 4;
	setup = (sects + 1) * 512;
	check(bz->kernel_offset == setup && setup <= size);
	check(bz->kernel_size == le(p, O_SYSSIZE, 4) * 16 && bz->kernel_size > 0);
	check(bz->kernel_size <= size - setup);
	check(p[O_LOADFLAGS] & 0x01);
	check(p[O_RELOCATABLE_KERNEL] != 0);
	check(le(p, O_XLOADFLAGS, 2) & 0x1);
	align = le(p, O_KERNEL_ALIGNMENT, 4);
	check(align >= 0x1000 && !(align & (align - 1)) && bz->kernel_alignment == align);
	check(p[O_MIN_ALIGNMENT] == 0 || (1ull << p[O_MIN_ALIGNMENT]) <= align);
	check(le(p, O_PREF_ADDRESS, 8) % align == 0 &&
	      bz->pref_address == le(p, O_PREF_ADDRESS, 8));
	check(le(p, O_INIT_SIZE, 4) >= bz->kernel_size && bz->init_size == le(p, O_INIT_SIZE, 4));
	check(bz->pref_address <= UINT64_MAX - bz->init_size);
	check(memchr(bz->kernel_version, 0, sizeof(bz->kernel_version)) != NULL);
}

static void check_boot(const struct bzimage *bz, const uint8_t *tail)
{
	const uint64_t ram_size = le(tail, 0, 8) % RAM_SPAN + 1;
	const uint64_t initrd_size = le(tail, 8, 4) * 0x100ull;
	const struct e820_range map[] = { { 0, LOW_RAM_END, E820_RAM },
					  { LOW_RAM_END, MIB - LOW_RAM_END, E820_RESERVED },
					  { MIB, ram_size, E820_RAM } };
	const uint64_t ram_last = MIB + ram_size - 1;
	char why[LINUX_WHY_LEN] = "";
	struct linux_layout l = { .zero_page = 0x7000,
				  .cmdline = 0x20000,
				  .cmdline_len = bz->cmdline_size < 64 ? bz->cmdline_size : 64,
				  .gdt = 0x6000,
				  .page_tables = 0x8000,
				  .page_tables_size = 0x6000,
				  .rsdp = 0xe0000 };
	static struct boot_params bp;
	static struct linux_entry64 e;
	uint64_t kernel = 0, initrd = 0;
	int err = linux_place_kernel(bz, map, 3, FLOOR, &kernel, why);

	if (err) {
		check(err == -ENOSPC && why[0]);
		return;
	}
	check(kernel % bz->kernel_alignment == 0 && kernel >= FLOOR);
	check(kernel >= MIB && bz->init_size - 1 <= ram_last - kernel);
	check(bz->init_size - 1 <= linux_load_last(bz) - kernel);
	check(!bz->pref_address || kernel == bz->pref_address ||
	      !e820_covers(map, 3, bz->pref_address, bz->init_size, E820_RAM) ||
	      bz->pref_address < FLOOR ||
	      bz->pref_address + (bz->init_size - 1) > linux_load_last(bz));

	err = linux_place_initrd(bz, map, 3, FLOOR, kernel, initrd_size, &initrd, why);
	if (err) {
		check(err == -ENOSPC && why[0]);
		return;
	}
	if (initrd_size) {
		check(initrd % LINUX_INITRD_ALIGN == 0 && initrd >= FLOOR);
		check(e820_covers(map, 3, initrd, initrd_size, E820_RAM));
		check(initrd_size - 1 <= linux_initrd_last(bz) - initrd);
		check(initrd + initrd_size <= kernel || initrd >= kernel + bz->init_size);
	}

	l.kernel = kernel;
	l.initrd = initrd;
	l.initrd_size = initrd_size;
	/* Every object was placed inside RAM and clear of the others: the layout must pass. */
	check(boot_params_build(&bp, bz, &l, map, 3, why) == 0);
	check(bp.hdr.type_of_loader == 0xff && bp.hdr.loadflags == 0x01);
	check(bp.hdr.cmd_line_ptr == 0x20000 && bp.ext_cmd_line_ptr == 0);
	check(((uint64_t)bp.ext_ramdisk_image << 32 | bp.hdr.ramdisk_image) == initrd);
	check(((uint64_t)bp.ext_ramdisk_size << 32 | bp.hdr.ramdisk_size) == initrd_size);
	check(bp.e820_entries == 3 && bp.e820_table[2].addr == MIB && bp.acpi_rsdp_addr == 0xe0000);

	linux_entry64_state(bz, &l, &e);
	check(e.state.regs.rip == kernel + 0x200 && e.state.regs.gpr[VCPU_RSI] == 0x7000);
	check(e.ident[0].addr == kernel && e.ident[0].size == bz->init_size);
	check(e.ident_last >= kernel + (bz->init_size - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[12];
	static struct bzimage bz;
	char why[LINUX_WHY_LEN];
	int err;

	memset(why, 0, sizeof(why));
	err = bzimage_parse(data, size, &bz, why);
	if (err) {
		check(err == -EINVAL || err == -EOPNOTSUPP);
		check(why[0] && memchr(why, 0, sizeof(why)) != NULL);
		return 0;
	}
	check_accepted(data, size, &bz);
	check_boot(&bz, size >= sizeof(zero) ? data + size - sizeof(zero) : zero);
	return 0;
}
