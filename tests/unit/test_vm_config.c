// SPDX-License-Identifier: MIT
/*
 * vmm/vm_config.c: vm_config_parse() against the contract in vmm/vm_config.h: every key and its
 * defaults, sizes and suffixes, PCI functions with and without a segment, limits, and one error
 * naming the word at fault for each way a configuration is refused.
 * Sources: vmm/vm_config.c kernel/cmdline.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vm_config.h"

struct fixture {
	struct cmdline c;
	struct vm_config vc;
	struct vm_config_error err;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int parse(struct fixture *f, const char *line)
{
	assert_true(cmdline_parse(&f->c, line) >= 0);
	return vm_config_parse(&f->c, &f->vc, &f->err);
}

/* @line is refused, naming @key=@value; the reason holds @why. */
static void assert_refused(struct fixture *f, const char *line, const char *key, const char *value,
			   const char *why)
{
	assert_int_equal(parse(f, line), -EINVAL);
	assert_string_equal(f->err.key, key);
	assert_string_equal(f->err.value, value);
	assert_non_null(strstr(f->err.reason, why));
}

static void assert_bdf(const struct pci_bdf *b, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	assert_int_equal(b->segment, seg);
	assert_int_equal(b->bus, bus);
	assert_int_equal(b->dev, dev);
	assert_int_equal(b->fn, fn);
}

static void test_full(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "loglevel=debug vm.kernel=\\EFI\\skiff\\vmlinuz "
				  "vm.initrd=\\EFI\\skiff\\initrd.img "
				  "vm.cmdline=\"console=ttyS0 root=/dev/ram0\" vm.memory=512M "
				  "vm.pci=0000:00:03.0,1a:1f.7,0002:ff:00.3 vm.vcpus=4 run=none"),
			 1);
	assert_string_equal(f->vc.kernel, "\\EFI\\skiff\\vmlinuz");
	assert_string_equal(f->vc.initrd, "\\EFI\\skiff\\initrd.img");
	assert_string_equal(f->vc.cmdline, "console=ttyS0 root=/dev/ram0");
	assert_int_equal(f->vc.memory, 512ull << 20);
	assert_int_equal(f->vc.vcpus, 4);
	assert_int_equal(f->vc.nr_pci, 3);
	assert_bdf(&f->vc.pci[0], 0, 0, 3, 0);
	assert_bdf(&f->vc.pci[1], 0, 0x1a, 0x1f, 7);
	assert_bdf(&f->vc.pci[2], 2, 0xff, 0, 3);
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "vm.kernel=\\k"), 1);
	assert_string_equal(f->vc.kernel, "\\k");
	assert_null(f->vc.initrd);
	assert_string_equal(f->vc.cmdline, "");
	assert_int_equal(f->vc.memory, VM_MEMORY_DEFAULT);
	assert_int_equal(f->vc.vcpus, VM_VCPUS_DEFAULT);
	assert_int_equal(f->vc.nr_pci, 0);
}

static void test_no_config(void **state)
{
	struct fixture *f = *state;

	f->vc.memory = 12345;
	assert_int_equal(parse(f, ""), 0);
	assert_int_equal(parse(f, "loglevel=debug run=guest vm.unsafe_no_intremap=1 vmx.kernel=x"),
			 0);
	assert_int_equal(f->vc.memory, 12345);
}

static void test_memory_sizes(void **state)
{
	static const struct {
		const char *v;
		uint64_t bytes;
	} ok[] = {
		{ "64M", 64ull << 20 },		{ "65536k", 64ull << 20 },
		{ "1G", 1ull << 30 },		{ "3g", 3ull << 30 },
		{ "1024G", 1ull << 40 },	{ "67108864", 64ull << 20 },
		{ "100004K", 100004ull << 10 },
	};
	struct fixture *f = *state;
	char line[64];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(line, sizeof(line), "vm.kernel=\\k vm.memory=%s", ok[i].v);
		assert_int_equal(parse(f, line), 1);
		assert_int_equal(f->vc.memory, ok[i].bytes);
	}
}

static void test_memory_refused(void **state)
{
	static const struct {
		const char *v, *why;
	} bad[] = {
		{ "63M", "64 MiB" },
		{ "65535K", "64 MiB" },
		{ "0", "64 MiB" },
		{ "1025G", "1 TiB" },
		{ "99999999999999", "1 TiB" },
		{ "18446744073709551617", "1 TiB" },
		{ "", "not a size" },
		{ "M", "not a size" },
		{ "512MB", "not a size" },
		{ "512T", "not a size" },
		{ "-512M", "not a size" },
		{ "0x20000000", "not a size" },
		{ "67108865", "4 KiB" },
		{ "100001K", "4 KiB" },
	};
	struct fixture *f = *state;
	char line[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "vm.kernel=\\k vm.memory=%s", bad[i].v);
		assert_refused(f, line, "vm.memory", bad[i].v, bad[i].why);
	}
}

static void test_pci_refused(void **state)
{
	static const struct {
		const char *v, *why;
	} bad[] = {
		{ "", "not a PCI function" },
		{ "00:03", "not a PCI function" },
		{ "3.0", "not a PCI function" },
		{ "00:20.0", "device number beyond 0x1f" },
		{ "0000:00:20.0", "device number beyond 0x1f" },
		{ "100:00.0", "bus number beyond 0xff" },
		{ "10000:00:00.0", "not a PCI function" },
		{ "00:03.8", "function number beyond 7" },
		{ "00:03.0x", "trailing" },
		{ "0000:00:00:03.0", "not a PCI function" },
		{ "00:03.0,", "not a PCI function" },
		{ "00:03.0,,00:04.0", "not a PCI function" },
		{ "00:03.0,0000:00:03.0", "the same PCI function twice" },
		{ "0:1.0,0:2.0,0:3.0,0:4.0,0:5.0,0:6.0,0:7.0,0:8.0,0:9.0", "more than 8" },
		{ "g0:03.0", "not a PCI function" },
	};
	struct fixture *f = *state;
	char line[96];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "vm.kernel=\\k vm.pci=%s", bad[i].v);
		assert_refused(f, line, "vm.pci", bad[i].v, bad[i].why);
	}
	/* The segment is a 16-bit number and eight functions fit. */
	assert_int_equal(parse(f, "vm.kernel=\\k vm.pci=ffff:00:01.0,0:1.0,0:2.0,0:3.0,0:4.0,"
				  "0:5.0,0:6.0,0:7.0"),
			 1);
	assert_int_equal(f->vc.nr_pci, VM_CONFIG_MAX_PCI);
	assert_bdf(&f->vc.pci[0], 0xffff, 0, 1, 0);
	assert_bdf(&f->vc.pci[7], 0, 0, 7, 0);
}

static void test_paths(void **state)
{
	struct fixture *f = *state;
	char line[2 * VM_CONFIG_PATH_MAX], path[VM_CONFIG_PATH_MAX + 1];

	assert_refused(f, "vm.kernel=", "vm.kernel", "", "absolute path");
	assert_refused(f, "vm.kernel=EFI\\vmlinuz", "vm.kernel", "EFI\\vmlinuz", "absolute path");
	assert_refused(f, "vm.kernel=\\EFI\\", "vm.kernel", "\\EFI\\", "directory");
	assert_refused(f, "vm.kernel=\\k vm.initrd=/boot/initrd", "vm.initrd", "/boot/initrd",
		       "absolute path");
	assert_refused(f, "vm.kernel=\\k\x7f", "vm.kernel", "\\k\x7f", "printable ASCII");
	assert_int_equal(parse(f, "vm.kernel=\"\\EFI\\my kernel\""), 1);
	assert_string_equal(f->vc.kernel, "\\EFI\\my kernel");

	memset(path, 'a', sizeof(path));
	path[0] = '\\';
	path[VM_CONFIG_PATH_MAX - 1] = '\0'; /* the longest that fits */
	snprintf(line, sizeof(line), "vm.kernel=%s", path);
	assert_int_equal(parse(f, line), 1);
	path[VM_CONFIG_PATH_MAX - 1] = 'a';
	path[VM_CONFIG_PATH_MAX] = '\0';
	snprintf(line, sizeof(line), "vm.kernel=%s", path);
	assert_refused(f, line, "vm.kernel", path, "too long");
}

static void test_vcpus(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "vm.kernel=\\k vm.vcpus=64"), 1);
	assert_int_equal(f->vc.vcpus, VM_CONFIG_MAX_VCPUS);
	assert_refused(f, "vm.kernel=\\k vm.vcpus=0", "vm.vcpus", "0", "1 to 64");
	assert_refused(f, "vm.kernel=\\k vm.vcpus=65", "vm.vcpus", "65", "1 to 64");
	assert_refused(f, "vm.kernel=\\k vm.vcpus=", "vm.vcpus", "", "1 to 64");
	assert_refused(f, "vm.kernel=\\k vm.vcpus=2x", "vm.vcpus", "2x", "1 to 64");
}

static void test_keys_refused(void **state)
{
	struct fixture *f = *state;

	assert_refused(f, "vm.kernel=\\k vm.memroy=512M", "vm.memroy", "512M", "unknown");
	assert_refused(f, "vm.kernel=\\k vm.kernel=\\k", "vm.kernel", "\\k", "more than once");
	assert_refused(f, "vm.kernel=\\a vm.cmdline=x vm.cmdline=y", "vm.cmdline", "y",
		       "more than once");
	assert_refused(f, "vm.memory=512M", "vm.kernel", "", "required");
	/* The first word at fault is named. */
	assert_refused(f, "vm.pci=zz vm.memory=1M", "vm.pci", "zz", "not a PCI function");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pci_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
