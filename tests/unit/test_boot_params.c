/* Sources: vmm/linux/boot_params.c vmm/linux/entry64.c vmm/linux/layout.c vmm/linux/e820.c vmm/linux/bzimage.c vmm/vcpu_state.c tests/unit/bzimage_fixture.c */
// SPDX-License-Identifier: MIT
/*
 * The zero page (vmm/linux/boot_params.c), its e820 map (vmm/linux/e820.c) and the 64-bit
 * entry state (vmm/linux/entry64.c), read back as raw bytes at the offsets of the kernel's
 * Documentation/arch/x86/zero-page.rst and boot.rst (the test's own, not the header's), so a
 * field in the wrong place fails; the GDT descriptors against the Intel SDM's encoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tests/unit/bzimage_fixture.h"
#include "vmm/linux/boot_params.h"
#include "vmm/linux/entry64.h"

/* zero-page.rst: offset of each field in the 4 KiB page. */
#define ZP_ACPI_RSDP_ADDR    0x070
#define ZP_EXT_RAMDISK_IMAGE 0x0c0
#define ZP_EXT_RAMDISK_SIZE  0x0c4
#define ZP_EXT_CMD_LINE_PTR  0x0c8
#define ZP_E820_ENTRIES	     0x1e8
#define ZP_SENTINEL	     0x1ef
#define ZP_HDR		     0x1f1
#define ZP_E820_TABLE	     0x2d0
#define ZP_E820_ENTRY_SIZE   20
#define ZP_EDDBUF	     0xd00
#define ZP_SIZE		     4096

#define MIB	 0x100000ull
#define GIB	 0x40000000ull
#define FOUR_GIB 0x100000000ull

static struct fx_image IM;
static struct bzimage BZ;
static struct boot_params BP;
static char WHY[LINUX_WHY_LEN];

static const struct e820_range MAP[] = {
	/* Unsorted on purpose, and its types in another order than sorted. */
	{ 0xe0000, 0x20000, E820_ACPI },
	{ MIB, 255 * MIB, E820_RAM },
	{ 0xfec00000, 0x1000, E820_RESERVED },
	{ 0, 0x9f000, E820_RAM },
};

static const uint8_t *raw(void)
{
	return (const uint8_t *)&BP;
}

static void build_ok(const struct linux_layout *l, const struct e820_range *map, unsigned int nr)
{
	WHY[0] = '\0';
	memset(&BP, 0xa5, sizeof(BP));
	if (boot_params_build(&BP, &BZ, l, map, nr, WHY))
		fail_msg("boot_params_build: %s", WHY);
}

/* ---- layout of the page ---- */

static void page_is_4k(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct boot_params), ZP_SIZE);
	assert_int_equal(sizeof(struct boot_e820_entry), ZP_E820_ENTRY_SIZE);
	/* 128 entries fill 0x2d0 .. 0xcd0, before the EDD area. */
	assert_true(ZP_E820_TABLE + E820_MAX_ENTRIES * ZP_E820_ENTRY_SIZE <= ZP_EDDBUF);
}

/* Offsets inside the page of a boot.rst header field at file offset @off. */
static unsigned int hdr(unsigned int off)
{
	return off - FX_SETUP_SECTS + ZP_HDR;
}

/* The setup header is the image's, byte for byte, except the fields a loader writes. */
static void header_copied(void **state)
{
	const struct linux_layout l = fx_layout(0x123456);
	static const struct {
		unsigned int off, len;
	} written[] = {
		{ FX_TYPE_OF_LOADER, 1 }, { FX_LOADFLAGS, 1 },	       { FX_CODE32_START, 4 },
		{ FX_RAMDISK_IMAGE, 4 },  { FX_RAMDISK_SIZE, 4 },      { FX_HEAP_END_PTR, 4 },
		{ FX_CMD_LINE_PTR, 4 },	  { FX_HARDWARE_SUBARCH, 12 }, { FX_SETUP_DATA, 8 },
	};
	uint8_t expect[FX_HEADER_END_215 - ZP_HDR];

	(void)state;
	fx_image_init(&IM);
	/* Values in the image's writable fields that must not survive. */
	fx_put(&IM, FX_TYPE_OF_LOADER, 0x71, 1);
	fx_put(&IM, FX_HEAP_END_PTR, 0xfe00, 2);
	fx_put(&IM, FX_SETUP_DATA, 0x1234000, 8);
	fx_put(&IM, FX_HARDWARE_SUBARCH, 2, 4);
	fx_parse_ok(&IM, &BZ);
	build_ok(&l, MAP, 4);
	memcpy(expect, IM.b + ZP_HDR, sizeof(expect));
	for (unsigned int i = 0; i < sizeof(written) / sizeof(written[0]); i++)
		memcpy(expect + written[i].off - FX_SETUP_SECTS, raw() + hdr(written[i].off),
		       written[i].len);
	assert_memory_equal(raw() + ZP_HDR, expect, sizeof(expect));
	/* The image's values in the written fields are gone. */
	assert_int_equal(fx_get(raw(), hdr(FX_TYPE_OF_LOADER), 1), 0xff);
	assert_int_equal(fx_get(raw(), hdr(FX_HEAP_END_PTR), 2), 0);
	assert_int_equal(fx_get(raw(), hdr(FX_SETUP_DATA), 8), 0);
	assert_int_equal(fx_get(raw(), hdr(FX_HARDWARE_SUBARCH), 4), 0);
	/* The image's vid_mode ("normal") and setup_sects pass through. */
	assert_int_equal(fx_get(raw(), hdr(FX_VID_MODE), 2), FX_VID_MODE_NORMAL);
	assert_int_equal(fx_get(raw(), ZP_HDR, 1), FX_NR_SETUP_SECTS);
	/* The sentinel at 0x1ef, outside the header, stays 0. */
	assert_int_equal(raw()[ZP_SENTINEL], 0);
}

static void loader_fields(void **state)
{
	struct linux_layout l = fx_layout(0x123456);

	(void)state;
	fx_image_init(&IM);
	/* An image whose loadflags carry every bit a loader may not leave set. */
	fx_put(&IM, FX_LOADFLAGS,
	       FX_LOADED_HIGH | FX_CAN_USE_HEAP | FX_KEEP_SEGMENTS | FX_QUIET_FLAG, 1);
	fx_parse_ok(&IM, &BZ);
	build_ok(&l, MAP, 4);
	assert_int_equal(fx_get(raw(), hdr(FX_TYPE_OF_LOADER), 1), 0xff);
	assert_int_equal(fx_get(raw(), hdr(FX_LOADFLAGS), 1), FX_LOADED_HIGH);
	assert_int_equal(fx_get(raw(), hdr(FX_CODE32_START), 4), FX_PREF);
	assert_int_equal(fx_get(raw(), hdr(FX_CMD_LINE_PTR), 4), 0x20000);
	assert_int_equal(fx_get(raw(), ZP_EXT_CMD_LINE_PTR, 4), 0);
	assert_int_equal(fx_get(raw(), hdr(FX_RAMDISK_IMAGE), 4), 200 * MIB);
	assert_int_equal(fx_get(raw(), hdr(FX_RAMDISK_SIZE), 4), 0x123456);
	assert_int_equal(fx_get(raw(), ZP_EXT_RAMDISK_IMAGE, 4), 0);
	assert_int_equal(fx_get(raw(), ZP_EXT_RAMDISK_SIZE, 4), 0);
	assert_int_equal(fx_get(raw(), hdr(FX_HEAP_END_PTR), 2), 0);
	assert_int_equal(fx_get(raw(), ZP_ACPI_RSDP_ADDR, 8), 0xe0000);
	/* No initrd: both halves of its address and size are 0. */
	l.initrd = 200 * MIB;
	l.initrd_size = 0;
	build_ok(&l, MAP, 4);
	assert_int_equal(fx_get(raw(), hdr(FX_RAMDISK_IMAGE), 4), 0);
	assert_int_equal(fx_get(raw(), hdr(FX_RAMDISK_SIZE), 4), 0);
}

/* Above 4 GiB, the high halves go to ext_cmd_line_ptr, ext_ramdisk_image, ext_ramdisk_size. */
static void high_halves(void **state)
{
	const struct e820_range map[] = { { 0, 0x9f000, E820_RAM }, { MIB, 16 * GIB, E820_RAM } };
	struct linux_layout l = fx_layout(0x123456);

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ); /* XLF_CAN_BE_LOADED_ABOVE_4G */
	l.kernel = 6 * GIB;
	l.cmdline = 5 * GIB + 0x1230;
	l.initrd = 9 * GIB + 0x5000;
	l.initrd_size = 4 * GIB + 0x1000;
	l.rsdp = 0;
	build_ok(&l, map, 2);
	assert_int_equal(fx_get(raw(), hdr(FX_CMD_LINE_PTR), 4), 0x1230 + GIB);
	assert_int_equal(fx_get(raw(), ZP_EXT_CMD_LINE_PTR, 4), 1);
	assert_int_equal(fx_get(raw(), hdr(FX_RAMDISK_IMAGE), 4), GIB + 0x5000);
	assert_int_equal(fx_get(raw(), ZP_EXT_RAMDISK_IMAGE, 4), 2);
	assert_int_equal(fx_get(raw(), hdr(FX_RAMDISK_SIZE), 4), 0x1000);
	assert_int_equal(fx_get(raw(), ZP_EXT_RAMDISK_SIZE, 4), 1);
	/* code32_start cannot hold a load address above 4 GiB: the image's value stays. */
	assert_int_equal(fx_get(raw(), hdr(FX_CODE32_START), 4), 0x100000);
	assert_int_equal(fx_get(raw(), ZP_ACPI_RSDP_ADDR, 8), 0);
}

/* Everything outside the header, e820 and the written fields is zero. */
static void rest_is_zero(void **state)
{
	const struct linux_layout l = fx_layout(0x123456);

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	build_ok(&l, MAP, 4);
	for (unsigned int i = 0; i < ZP_SIZE; i++) {
		if ((i >= ZP_HDR && i < FX_HEADER_END_215 - FX_SETUP_SECTS + ZP_HDR) ||
		    (i >= ZP_E820_TABLE && i < ZP_E820_TABLE + 4 * ZP_E820_ENTRY_SIZE) ||
		    i == ZP_E820_ENTRIES || (i >= ZP_ACPI_RSDP_ADDR && i < ZP_ACPI_RSDP_ADDR + 8))
			continue;
		if (raw()[i])
			fail_msg("byte 0x%x is 0x%02x", i, raw()[i]);
	}
}

/* ---- e820 ---- */

static void e820_sorted_into_page(void **state)
{
	const struct linux_layout l = fx_layout(0x123456);
	static const uint64_t addr[] = { 0, 0xe0000, MIB, 0xfec00000 };
	static const uint64_t size[] = { 0x9f000, 0x20000, 255 * MIB, 0x1000 };
	static const uint32_t type[] = { 1, 3, 1, 2 };

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	build_ok(&l, MAP, 4);
	assert_int_equal(raw()[ZP_E820_ENTRIES], 4);
	for (unsigned int i = 0; i < 4; i++) {
		unsigned int at = ZP_E820_TABLE + i * ZP_E820_ENTRY_SIZE;

		assert_int_equal(fx_get(raw(), at, 8), addr[i]);
		assert_int_equal(fx_get(raw(), at + 8, 8), size[i]);
		assert_int_equal(fx_get(raw(), at + 16, 4), type[i]);
	}
}

static struct e820_range many[E820_MAX_ENTRIES + 1];

static void fill_many(unsigned int n)
{
	/* Descending addresses, alternating types, each range touching the next. */
	for (unsigned int i = 0; i < n; i++)
		many[i] = (struct e820_range){ (uint64_t)(n - 1 - i) * 0x10000, 0x10000,
					       i % 2 ? E820_RESERVED : E820_RAM };
}

/* 128 ranges fit the page; 129 are -E2BIG. */
static void e820_limits(void **state)
{
	struct e820_range out[E820_MAX_ENTRIES];

	(void)state;
	fill_many(E820_MAX_ENTRIES);
	assert_int_equal(e820_sort(many, E820_MAX_ENTRIES, out, WHY), 0);
	for (unsigned int i = 0; i < E820_MAX_ENTRIES; i++)
		assert_int_equal(out[i].addr, (uint64_t)i * 0x10000);
	fill_many(E820_MAX_ENTRIES + 1);
	assert_int_equal(e820_sort(many, E820_MAX_ENTRIES + 1, out, WHY), -E2BIG);
	assert_non_null(strstr(WHY, "129"));
	/* Sorting in place works the same. */
	fill_many(E820_MAX_ENTRIES);
	assert_int_equal(e820_sort(many, E820_MAX_ENTRIES, many, WHY), 0);
	assert_int_equal(many[E820_MAX_ENTRIES - 1].addr, (E820_MAX_ENTRIES - 1) * 0x10000ull);
}

/* The whole 128-entry map reaches the page, in order, with the layout inside its RAM. */
static void e820_full_page(void **state)
{
	struct linux_layout l;
	unsigned int n = E820_MAX_ENTRIES;

	(void)state;
	fill_many(n - 1);
	for (unsigned int i = 0; i < n - 1; i++)
		many[i].type = E820_RAM;
	many[n - 2].type = E820_ACPI; /* [0, 64 KiB): the RSDP's */
	/* One big RAM range above the small ones holds every object. */
	many[n - 1] = (struct e820_range){ 16 * MIB, 256 * MIB, E820_RAM };
	l = (struct linux_layout){ .kernel = 16 * MIB,
				   .zero_page = 100 * MIB,
				   .cmdline = 101 * MIB,
				   .gdt = 102 * MIB,
				   .page_tables = 103 * MIB,
				   .page_tables_size = 0x1000,
				   .rsdp = 0x100 };
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	build_ok(&l, many, n);
	assert_int_equal(raw()[ZP_E820_ENTRIES], E820_MAX_ENTRIES);
	for (unsigned int i = 1; i < n; i++)
		assert_true(fx_get(raw(), ZP_E820_TABLE + i * ZP_E820_ENTRY_SIZE, 8) >
			    fx_get(raw(), ZP_E820_TABLE + (i - 1) * ZP_E820_ENTRY_SIZE, 8));
	assert_int_equal(fx_get(raw(), ZP_E820_TABLE + (n - 1) * ZP_E820_ENTRY_SIZE, 8), 16 * MIB);
}

static void e820_refusals(void **state)
{
	struct e820_range out[E820_MAX_ENTRIES];
	const struct e820_range zero[] = { { 0, 0x1000, E820_RAM }, { 0x2000, 0, E820_RAM } };
	const struct e820_range wrap[] = { { UINT64_MAX - 0xfff, 0x2000, E820_RESERVED } };
	const struct e820_range type[] = { { 0, 0x1000, (enum e820_type)6 } };
	const struct e820_range overlap[] = { { 0x3000, 0x2000, E820_RAM },
					      { 0x1000, 0x2001, E820_RESERVED } };
	const struct e820_range same[] = { { 0x1000, 0x1000, E820_RAM },
					   { 0x1000, 0x1000, E820_RAM } };
	const struct e820_range touch[] = { { 0x3000, 0x2000, E820_RAM },
					    { 0x1000, 0x2000, E820_RESERVED } };
	const struct e820_range top[] = { { UINT64_MAX - 0xfff, 0x1000, E820_RESERVED } };

	(void)state;
	assert_int_equal(e820_sort(zero, 2, out, WHY), -EINVAL);
	assert_non_null(strstr(WHY, "range 1"));
	assert_int_equal(e820_sort(wrap, 1, out, WHY), -EINVAL);
	assert_int_equal(e820_sort(type, 1, out, WHY), -EINVAL);
	assert_non_null(strstr(WHY, "type 6"));
	assert_int_equal(e820_sort(overlap, 2, out, WHY), -EINVAL);
	assert_non_null(strstr(WHY, "overlaps"));
	assert_int_equal(e820_sort(same, 2, out, WHY), -EINVAL);
	assert_int_equal(e820_sort(touch, 2, out, WHY), 0);
	assert_int_equal(out[0].addr, 0x1000);
	assert_int_equal(e820_sort(top, 1, out, WHY), 0); /* ends at 2^64 exactly */
	assert_int_equal(e820_sort(out, 0, out, WHY), 0);
}

/* A map the layout check accepts but e820_sort refuses still refuses the whole page. */
static void e820_refusal_refuses_page(void **state)
{
	const struct e820_range map[] = { { 0, 0x9f000, E820_RAM },
					  { MIB, 255 * MIB, E820_RAM },
					  { 0xe0000, 0x20000, E820_ACPI },
					  { 0xe8000, 0x1000, E820_RESERVED } };
	const struct linux_layout l = fx_layout(0x123456);

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(boot_params_build(&BP, &BZ, &l, map, 4, WHY), -EINVAL);
	assert_non_null(strstr(WHY, "overlaps"));
}

static void e820_covers_edges(void **state)
{
	const struct e820_range map[] = { { 0x1000, 0x1000, E820_RAM },
					  { 0x2000, 0x1000, E820_RAM },
					  { 0x3000, 0x1000, E820_RESERVED },
					  { UINT64_MAX - 0xfff, 0x1000, E820_RAM },
					  { 0x8000, 0, E820_RAM } };

	(void)state;
	assert_true(e820_covers(map, 5, 0x1000, 0x1000, E820_RAM));
	assert_true(e820_covers(map, 5, 0x1fff, 1, E820_RAM));
	assert_false(e820_covers(map, 5, 0x1fff, 2, E820_RAM)); /* two ranges, not one */
	assert_false(e820_covers(map, 5, 0xfff, 2, E820_RAM));
	assert_false(e820_covers(map, 5, 0x3000, 0x10, E820_RAM));
	assert_true(e820_covers(map, 5, 0x3000, 0x10, E820_RESERVED));
	assert_false(e820_covers(map, 5, 0x1000, 0, E820_RAM));
	assert_true(e820_covers(map, 5, UINT64_MAX, 1, E820_RAM));
	assert_false(e820_covers(map, 5, UINT64_MAX, 2, E820_RAM));
	assert_false(e820_covers(map, 5, 0x8000, 1, E820_RAM));
}

/* boot_params_build refuses what linux_layout_check refuses, and writes nothing usable. */
static void build_checks_layout(void **state)
{
	struct linux_layout l = fx_layout(0x123456);

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	l.cmdline_len = FX_CMDLINE_MAX + 1;
	assert_int_equal(boot_params_build(&BP, &BZ, &l, MAP, 4, WHY), -E2BIG);
	l = fx_layout(0x123456);
	l.kernel = FX_PREF + 0x1000;
	assert_int_equal(boot_params_build(&BP, &BZ, &l, MAP, 4, WHY), -EINVAL);
}

/* ---- the 64-bit entry ---- */

/* The flat descriptors the SDM's format gives: 64-bit code (L=1, D=0) and 32-bit data, both
 * base 0, limit 0xfffff pages, present, DPL 0, accessed (Intel SDM vol. 3A 3.4.5, 5.2.1). */
#define CODE64_DESC 0x00af9b000000ffffull
#define DATA_DESC   0x00cf93000000ffffull
#define CR0_PE	    (1ull << 0)
#define CR0_PG	    (1ull << 31)
#define CR4_PAE	    (1ull << 5)
#define EFER_LME    (1ull << 8)
#define EFER_LMA    (1ull << 10)
#define RFLAGS_IF   (1ull << 9)

static void entry64_state(void **state)
{
	const struct linux_layout l = fx_layout(0x123456);
	struct linux_entry64 e;
	const struct vcpu_state *s = &e.state;

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	memset(&e, 0xa5, sizeof(e));
	linux_entry64_state(&BZ, &l, &e);
	assert_int_equal(s->regs.rip, FX_PREF + 0x200);
	assert_int_equal(s->regs.gpr[VCPU_RSI], 0x7000);
	for (unsigned int r = 0; r < VCPU_NR_GPRS; r++)
		if (r != VCPU_RSI)
			assert_int_equal(s->regs.gpr[r], 0);
	assert_false(s->regs.rflags & RFLAGS_IF);
	assert_int_equal(s->cr0 & (CR0_PE | CR0_PG), CR0_PE | CR0_PG);
	assert_true(s->cr4 & CR4_PAE);
	assert_int_equal(s->efer & (EFER_LME | EFER_LMA), EFER_LME | EFER_LMA);
	assert_int_equal(s->cr3, 0x8000);
	assert_int_equal(s->cs.selector, 0x10);
	assert_int_equal(s->ds.selector, 0x18);
	assert_int_equal(s->es.selector, 0x18);
	assert_int_equal(s->ss.selector, 0x18);
	assert_true(s->cs.attrib & VCPU_SEG_L);
	assert_false(s->cs.attrib & VCPU_SEG_DB);
	assert_int_equal(s->gdtr.base, 0x6000);
	assert_int_equal(s->gdtr.limit, 4 * 8 - 1);
	/* The GDT: null, unused, __BOOT_CS at 0x10, __BOOT_DS at 0x18. */
	assert_int_equal(e.gdt[0], 0);
	assert_int_equal(e.gdt[1], 0);
	assert_int_equal(e.gdt[0x10 / 8], CODE64_DESC);
	assert_int_equal(e.gdt[0x18 / 8], DATA_DESC);
}

/* The ranges the identity map must cover: kernel init_size, zero page, command line with its
 * NUL, initrd, GDT; nothing else, and ident_last is the highest byte of them. */
static void entry64_ident(void **state)
{
	struct linux_layout l = fx_layout(0x123456);
	struct linux_entry64 e;

	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	linux_entry64_state(&BZ, &l, &e);
	assert_int_equal(e.nr_ident, 5);
	assert_int_equal(e.ident[0].addr, FX_PREF);
	assert_int_equal(e.ident[0].size, FX_INIT_SIZE_VAL);
	assert_int_equal(e.ident[1].addr, 0x7000);
	assert_int_equal(e.ident[1].size, 0x1000);
	assert_int_equal(e.ident[2].addr, 0x20000);
	assert_int_equal(e.ident[2].size, 16);
	assert_int_equal(e.ident[3].addr, 200 * MIB);
	assert_int_equal(e.ident[3].size, 0x123456);
	assert_int_equal(e.ident[4].addr, 0x6000);
	assert_int_equal(e.ident[4].size, 32);
	assert_int_equal(e.ident_last, 200 * MIB + 0x123456 - 1);
	l.initrd_size = 0;
	linux_entry64_state(&BZ, &l, &e);
	assert_int_equal(e.nr_ident, 4);
	assert_int_equal(e.ident_last, FX_PREF + FX_INIT_SIZE_VAL - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_is_4k),	     cmocka_unit_test(header_copied),
		cmocka_unit_test(loader_fields),     cmocka_unit_test(high_halves),
		cmocka_unit_test(rest_is_zero),	     cmocka_unit_test(e820_sorted_into_page),
		cmocka_unit_test(e820_limits),	     cmocka_unit_test(e820_full_page),
		cmocka_unit_test(e820_refusals),     cmocka_unit_test(e820_refusal_refuses_page),
		cmocka_unit_test(e820_covers_edges), cmocka_unit_test(build_checks_layout),
		cmocka_unit_test(entry64_state),     cmocka_unit_test(entry64_ident),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
