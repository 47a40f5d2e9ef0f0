/* Sources: vmm/linux/bzimage.c vmm/linux/layout.c vmm/linux/e820.c tests/unit/bzimage_fixture.c tests/unit/file_read.c */
// SPDX-License-Identifier: MIT
/*
 * bzimage_parse() (vmm/linux/bzimage.c) against Documentation/arch/x86/boot.rst: a synthetic
 * image shaped like Debian's, damaged one field at a time (each refusal with its errno and the
 * field named in the message), every truncation of it, and Debian's real bzImage, whose header
 * the test reads itself at boot.rst's offsets. The real image is $SKIFF_GUEST_VMLINUZ (make test
 * fetches it and sets it; by default build/guest-linux/vmlinuz, from the repository root); the
 * case is skipped, saying so, only when that file does not exist.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/bzimage_fixture.h"
#include "tests/unit/file_read.h"
#include "vmm/linux/bzimage.h"
#include "vmm/linux/layout.h"

static struct fx_image IM;
static struct bzimage BZ;

static void expect_refusal(const struct fx_image *im, int err, const char *field)
{
	char why[LINUX_WHY_LEN] = "";

	memset(&BZ, 0xa5, sizeof(BZ));
	assert_int_equal(bzimage_parse(im->b, im->size, &BZ, why), err);
	if (!strstr(why, field))
		fail_msg("the refusal \"%s\" does not name %s", why, field);
	/* Nothing half-filled survives a refusal. */
	assert_int_equal(BZ.version, 0);
	assert_int_equal(BZ.header_len, 0);
	assert_int_equal(BZ.kernel_size, 0);
}

/* ---- the good image ---- */

static void good_image_fields(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.version, FX_PROTO);
	assert_int_equal(BZ.setup_sects, FX_NR_SETUP_SECTS);
	assert_int_equal(BZ.kernel_offset, FX_SETUP_BYTES);
	assert_int_equal(BZ.kernel_size, FX_KERNEL_BYTES);
	assert_int_equal(BZ.loadflags, FX_LOADED_HIGH);
	assert_int_equal(BZ.xloadflags, FX_XLF);
	assert_int_equal(BZ.kernel_alignment, FX_ALIGN);
	assert_int_equal(BZ.min_alignment, FX_MIN_ALIGN);
	assert_int_equal(BZ.pref_address, FX_PREF);
	assert_int_equal(BZ.init_size, FX_INIT_SIZE_VAL);
	assert_int_equal(BZ.cmdline_size, FX_CMDLINE_MAX);
	assert_int_equal(BZ.initrd_addr_max, FX_INITRD_MAX);
	assert_string_equal(BZ.kernel_version, FX_VERSION_STRING);
	/* The header is 0x1f1 .. 0x202 + the jump's offset, copied byte for byte. */
	assert_int_equal(BZ.header_len, FX_HEADER_END_215 - FX_SETUP_SECTS);
	assert_memory_equal(BZ.header, IM.b + FX_SETUP_SECTS, BZ.header_len);
}

/* setup_sects 0 means 4 (boot.rst note (1)): the kernel then starts at 5 * 512. */
static void setup_sects_zero_means_four(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_SETUP_SECTS, 0, 1);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.setup_sects, 4);
	assert_int_equal(BZ.kernel_offset, 5 * 512);
	/* And 2 sectors put the kernel at 3 * 512, which the fixture's file still holds. */
	fx_put(&IM, FX_SETUP_SECTS, 2, 1);
	fx_put(&IM, FX_KERNEL_VERSION, 0, 2);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.kernel_offset, 3 * 512);
}

/* Bytes after syssize's end (Debian's signature) are allowed and ignored. */
static void trailing_bytes_accepted(void **state)
{
	(void)state;
	fx_image_init(&IM);
	IM.size = FX_CAP;
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.kernel_size, FX_KERNEL_BYTES);
}

/* 2.12 is the oldest protocol accepted; its header ends after handover_offset (0x268). */
static void protocol_2_12_accepted(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_VERSION, 0x020c, 2);
	fx_put(&IM, FX_JUMP + 1, 0x268 - (FX_JUMP + 2), 1);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.version, 0x020c);
	assert_int_equal(BZ.header_len, 0x268 - FX_SETUP_SECTS);
}

/* The longest header a short jump reaches (144 bytes) is copied whole. */
static void longest_header(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_JUMP + 1, 0x7f, 1);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.header_len, 144);
	assert_memory_equal(BZ.header, IM.b + FX_SETUP_SECTS, 144);
}

static void pref_address_zero_accepted(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_PREF_ADDRESS, 0, 8);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.pref_address, 0);
}

static void no_version_string(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_KERNEL_VERSION, 0, 2);
	fx_parse_ok(&IM, &BZ);
	assert_string_equal(BZ.kernel_version, "");
}

/* A version string without its NUL stops at the setup's end or at the kept length. */
static void version_string_bounded(void **state)
{
	(void)state;
	fx_image_init(&IM);
	memset(IM.b + FX_VERSION_AT + 0x200, 'v', FX_SETUP_BYTES - (FX_VERSION_AT + 0x200));
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(strlen(BZ.kernel_version), BZ_KERNEL_VERSION_MAX - 1);
	fx_put(&IM, FX_KERNEL_VERSION, FX_SETUP_BYTES - 0x200 - 3, 2);
	fx_parse_ok(&IM, &BZ);
	assert_string_equal(BZ.kernel_version, "vvv");
}

/* ---- refusals, one field at a time ---- */

static void bad_boot_flag(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_BOOT_FLAG, 0x55aa, 2);
	expect_refusal(&IM, -EINVAL, "boot_flag");
}

static void bad_header_magic(void **state)
{
	(void)state;
	fx_image_init(&IM);
	memcpy(IM.b + FX_HEADER, "HdrT", 4);
	expect_refusal(&IM, -EINVAL, "header");
}

static void old_protocol(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_VERSION, 0x020b, 2);
	expect_refusal(&IM, -EOPNOTSUPP, "version");
	fx_put(&IM, FX_VERSION, 0x0100, 2);
	expect_refusal(&IM, -EOPNOTSUPP, "version");
}

static void bad_jump(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_JUMP, 0xe9, 1); /* a near jmp: not the short jump the protocol has */
	expect_refusal(&IM, -EINVAL, "jump");
	/* A header that ends before init_size, or a jump backwards. */
	fx_image_init(&IM);
	fx_put(&IM, FX_JUMP + 1, 0x263 - (FX_JUMP + 2), 1);
	expect_refusal(&IM, -EINVAL, "jump");
	fx_put(&IM, FX_JUMP + 1, 0x80, 1);
	expect_refusal(&IM, -EINVAL, "jump");
}

static void not_loaded_high(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_LOADFLAGS, 0, 1);
	expect_refusal(&IM, -EOPNOTSUPP, "loadflags");
}

static void not_relocatable(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_RELOCATABLE_KERNEL, 0, 1);
	expect_refusal(&IM, -EOPNOTSUPP, "relocatable_kernel");
}

static void no_64bit_entry(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_XLOADFLAGS, FX_XLF & ~1u, 2);
	expect_refusal(&IM, -EOPNOTSUPP, "xloadflags");
}

static void bad_kernel_alignment(void **state)
{
	static const uint32_t bad[] = { 0, 0x300000, 0x800, 0x1001, 0x80000001u };

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_image_init(&IM);
		fx_put(&IM, FX_KERNEL_ALIGNMENT, bad[i], 4);
		fx_put(&IM, FX_MIN_ALIGNMENT, 0, 1);
		fx_put(&IM, FX_PREF_ADDRESS, 0, 8);
		expect_refusal(&IM, -EINVAL, "kernel_alignment");
	}
	/* 4 KiB is the least accepted. */
	fx_put(&IM, FX_KERNEL_ALIGNMENT, 0x1000, 4);
	fx_parse_ok(&IM, &BZ);
	assert_int_equal(BZ.kernel_alignment, 0x1000);
}

static void min_alignment_above_alignment(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_MIN_ALIGNMENT, FX_MIN_ALIGN + 1, 1);
	expect_refusal(&IM, -EINVAL, "min_alignment");
	fx_put(&IM, FX_MIN_ALIGNMENT, 0xff, 1);
	expect_refusal(&IM, -EINVAL, "min_alignment");
}

static void unaligned_pref_address(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_PREF_ADDRESS, FX_PREF + 0x1000, 8);
	expect_refusal(&IM, -EINVAL, "pref_address");
}

static void init_size_too_small(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_INIT_SIZE, FX_KERNEL_BYTES - 1, 4);
	expect_refusal(&IM, -EINVAL, "init_size");
	fx_put(&IM, FX_INIT_SIZE, FX_KERNEL_BYTES, 4);
	fx_parse_ok(&IM, &BZ);
}

static void init_size_wraps(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_PREF_ADDRESS, 0ull - FX_ALIGN, 8);
	expect_refusal(&IM, -EINVAL, "init_size");
}

static void syssize_zero(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_SYSSIZE, 0, 4);
	expect_refusal(&IM, -EINVAL, "syssize");
}

/* syssize claiming one paragraph more than the file has. */
static void syssize_past_file(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_SYSSIZE, FX_KERNEL_BYTES / 16 + 1, 4);
	expect_refusal(&IM, -EINVAL, "syssize");
	fx_put(&IM, FX_SYSSIZE, 0xffffffffu, 4);
	expect_refusal(&IM, -EINVAL, "syssize");
}

/* setup_sects claiming more sectors than the file has. */
static void setup_past_file(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_SETUP_SECTS, 0xff, 1);
	expect_refusal(&IM, -EINVAL, "setup_sects");
}

static void kernel_version_outside_setup(void **state)
{
	(void)state;
	fx_image_init(&IM);
	fx_put(&IM, FX_KERNEL_VERSION, FX_SETUP_BYTES - 0x200, 2);
	expect_refusal(&IM, -EINVAL, "kernel_version");
	fx_put(&IM, FX_KERNEL_VERSION, 0xffff, 2);
	expect_refusal(&IM, -EINVAL, "kernel_version");
}

/* Every prefix of the good image is refused as damaged, naming what it cut. */
static void every_truncation_refused(void **state)
{
	char why[LINUX_WHY_LEN];

	(void)state;
	fx_image_init(&IM);
	for (size_t n = 0; n < FX_SIZE; n++) {
		const char *field = n < FX_HEADER_END_215 ? "truncated" :
				    n < FX_SETUP_BYTES	  ? "setup_sects" :
							    "syssize";

		why[0] = '\0';
		assert_int_equal(bzimage_parse(IM.b, n, &BZ, why), -EINVAL);
		if (!strstr(why, field))
			fail_msg("%zu bytes: \"%s\" does not name %s", n, why, field);
	}
}

/* ---- Debian's kernel ---- */

static const char *vmlinuz_path(void)
{
	const char *p = getenv("SKIFF_GUEST_VMLINUZ");

	return p && *p ? p : "build/guest-linux/vmlinuz";
}

/* The release fetch-guest-kernel.sh wrote beside the image (the package's name). */
static void read_release(const char *vmlinuz, char *out, size_t len)
{
	char dir[512], path[600];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", vmlinuz);
	snprintf(path, sizeof(path), "%s/release", dirname(dir));
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_non_null(fgets(out, (int)len, f));
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* Compression formats boot.rst's "payload_offset" lists, by their magic numbers. */
static int known_payload(const uint8_t *p)
{
	static const uint8_t magic[][2] = { { 0x1f, 0x8b }, { 0x1f, 0x9e }, { 0x42, 0x5a },
					    { 0x5d, 0x00 }, { 0xfd, 0x37 }, { 0x02, 0x21 },
					    { 0x28, 0xb5 } };

	for (unsigned int i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if (p[0] == magic[i][0] && p[1] == magic[i][1])
			return 1;
	return 0;
}

static void debian_kernel(void **state)
{
	const char *path = vmlinuz_path();
	char why[LINUX_WHY_LEN] = "", release[128];
	struct e820_range ram[] = { { 0, 0x40000000, E820_RAM } };
	uint64_t kernel, initrd, setup_bytes, payload;
	unsigned int setup_sects;
	size_t size;
	uint8_t *img = test_file_read(path, &size);
	int err;

	(void)state;
	if (!img) {
		print_message("SKIP: %s does not exist (make guest-linux fetches it)\n", path);
		skip();
	}
	assert_true(size > 0);
	err = bzimage_parse(img, size, &BZ, why);
	if (err)
		fail_msg("%s: %d: %s", path, err, why);

	/* What the header's bytes say, read here at boot.rst's offsets. */
	setup_sects = (unsigned int)fx_get(img, FX_SETUP_SECTS, 1);
	setup_bytes = ((uint64_t)(setup_sects ? setup_sects : 4) + 1) * 512;
	assert_int_equal(fx_get(img, FX_BOOT_FLAG, 2), 0xaa55);
	assert_memory_equal(img + FX_HEADER, "HdrS", 4);
	assert_int_equal(BZ.version, fx_get(img, FX_VERSION, 2));
	assert_int_equal(BZ.kernel_offset, setup_bytes);
	assert_int_equal(BZ.kernel_size, fx_get(img, FX_SYSSIZE, 4) * 16);
	assert_true(setup_bytes + BZ.kernel_size <= size);
	assert_int_equal(BZ.kernel_alignment, fx_get(img, FX_KERNEL_ALIGNMENT, 4));
	assert_int_equal(BZ.pref_address, fx_get(img, FX_PREF_ADDRESS, 8));
	assert_int_equal(BZ.init_size, fx_get(img, FX_INIT_SIZE, 4));
	assert_int_equal(BZ.cmdline_size, fx_get(img, FX_CMDLINE_SIZE, 4));
	assert_int_equal(BZ.xloadflags, fx_get(img, FX_XLOADFLAGS, 2));
	assert_int_equal(BZ.header_len, 0x202 + fx_get(img, FX_JUMP + 1, 1) - FX_SETUP_SECTS);
	assert_memory_equal(BZ.header, img + FX_SETUP_SECTS, BZ.header_len);
	/* Debian's 6.1: protocol 2.15, relocatable, the 64-bit entry, loadable above 4G. */
	assert_true(BZ.version >= 0x020f);
	assert_int_equal(fx_get(img, FX_RELOCATABLE_KERNEL, 1), 1);
	assert_true(BZ.xloadflags & 0x1);
	assert_true(BZ.xloadflags & 0x2);
	/* The payload lies where payload_offset says from the protected-mode kernel's start. */
	payload = setup_bytes + fx_get(img, FX_PAYLOAD_OFFSET, 4);
	assert_true(payload + 2 <= size);
	assert_true(known_payload(img + payload));
	/* The version string begins with the release of the package it came from. */
	read_release(path, release, sizeof(release));
	assert_int_equal(strncmp(BZ.kernel_version, release, strlen(release)), 0);
	assert_int_equal(BZ.kernel_version[strlen(release)], ' ');

	/* In 1 GiB of RAM it loads at its pref_address, and an initrd at the top of RAM (it may lie
	 * above initrd_addr_max: XLF_CAN_BE_LOADED_ABOVE_4G). */
	assert_int_equal(linux_place_kernel(&BZ, ram, 1, 0x100000, &kernel, why), 0);
	assert_int_equal(kernel, fx_get(img, FX_PREF_ADDRESS, 8));
	assert_int_equal(linux_place_initrd(&BZ, ram, 1, 0x100000, kernel, 0x800000, &initrd, why),
			 0);
	assert_int_equal(initrd, 0x40000000 - 0x800000);
	print_message("%s: protocol %u.%02u, setup %u sectors, kernel %llu bytes of %zu, "
		      "alignment 0x%x, pref 0x%llx, init_size 0x%x, xloadflags 0x%x, "
		      "cmdline_size %u: %s\n",
		      path, BZ.version >> 8, BZ.version & 0xff, BZ.setup_sects,
		      (unsigned long long)BZ.kernel_size, size, BZ.kernel_alignment,
		      (unsigned long long)BZ.pref_address, BZ.init_size, BZ.xloadflags,
		      BZ.cmdline_size, BZ.kernel_version);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_image_fields),
		cmocka_unit_test(setup_sects_zero_means_four),
		cmocka_unit_test(trailing_bytes_accepted),
		cmocka_unit_test(protocol_2_12_accepted),
		cmocka_unit_test(longest_header),
		cmocka_unit_test(pref_address_zero_accepted),
		cmocka_unit_test(no_version_string),
		cmocka_unit_test(version_string_bounded),
		cmocka_unit_test(bad_boot_flag),
		cmocka_unit_test(bad_header_magic),
		cmocka_unit_test(old_protocol),
		cmocka_unit_test(bad_jump),
		cmocka_unit_test(not_loaded_high),
		cmocka_unit_test(not_relocatable),
		cmocka_unit_test(no_64bit_entry),
		cmocka_unit_test(bad_kernel_alignment),
		cmocka_unit_test(min_alignment_above_alignment),
		cmocka_unit_test(unaligned_pref_address),
		cmocka_unit_test(init_size_too_small),
		cmocka_unit_test(init_size_wraps),
		cmocka_unit_test(syssize_zero),
		cmocka_unit_test(syssize_past_file),
		cmocka_unit_test(setup_past_file),
		cmocka_unit_test(kernel_version_outside_setup),
		cmocka_unit_test(every_truncation_refused),
		cmocka_unit_test(debian_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
