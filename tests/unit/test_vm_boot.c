// SPDX-License-Identifier: MIT
/*
 * vmm/vm_boot.c: vm_boot_config() against the contract in vmm/vm_boot.h: nothing logged without
 * a configuration, the configuration and each file's size logged, and exactly one error for a
 * refused word or each file that boot/ could not read.
 * Sources: vmm/vm_boot.c vmm/vm_config.c kernel/cmdline.c kernel/log.c tests/unit/fake_console.c
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

#include "kernel/log.h"
#include "tests/unit/fake_console.h"
#include "vmm/vm_boot.h"

struct fixture {
	struct cmdline c;
	struct boot_info bi;
	struct vm_config vc;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	fake_console_reset();
	log_set_level(LOG_INFO);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void add_file(struct boot_info *bi, const char *key, const char *path, uint64_t base,
		     uint64_t size, enum boot_file_status status)
{
	struct boot_file *f = &bi->files[bi->nr_files++];

	snprintf(f->key, sizeof(f->key), "%s", key);
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->base = base;
	f->size = size;
	f->status = status;
	f->efi_status = status == BOOT_FILE_READ ? 0 : 0x800000000000000eull;
}

static int run(struct fixture *f, const char *line)
{
	assert_true(cmdline_parse(&f->c, line) >= 0);
	return vm_boot_config(&f->c, &f->bi, &f->vc);
}

static unsigned int count(const char *text, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_no_config(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "loglevel=info run=guest vm.unsafe_no_intremap=1"), 0);
	assert_string_equal(fake_console_text(), "");
}

static void test_files_read(void **state)
{
	struct fixture *f = *state;
	const char *t;

	add_file(&f->bi, "vm.kernel", "\\EFI\\k", 0x1000000, 12345, BOOT_FILE_READ);
	add_file(&f->bi, "vm.initrd", "\\EFI\\i", 0x2000000, 678, BOOT_FILE_READ);
	assert_int_equal(run(f, "vm.kernel=\\EFI\\k vm.initrd=\\EFI\\i vm.memory=100004K "
				"vm.pci=1:2:3.4 vm.cmdline=\"a b\""),
			 1);
	t = fake_console_text();
	assert_non_null(strstr(t, "vm: config: memory 100004 KiB, 1 vCPU(s), pci 0001:02:03.4, "
				  "cmdline \"a b\"\n"));
	assert_non_null(strstr(t, "vm: vm.kernel=\\EFI\\k: 12345 bytes at 0x1000000\n"));
	assert_non_null(strstr(t, "vm: vm.initrd=\\EFI\\i: 678 bytes at 0x2000000\n"));
	assert_int_equal(count(t, "error: "), 0);
	assert_ptr_equal(vm_boot_file(&f->bi, "vm.initrd"), &f->bi.files[1]);
	assert_null(vm_boot_file(&f->bi, "vm.other"));
}

static void test_file_missing(void **state)
{
	struct fixture *f = *state;
	const char *t;

	add_file(&f->bi, "vm.kernel", "\\k", 0x1000000, 4096, BOOT_FILE_READ);
	add_file(&f->bi, "vm.initrd", "\\nope", 0, 0, BOOT_FILE_NOT_FOUND);
	assert_int_equal(run(f, "vm.kernel=\\k vm.initrd=\\nope"), -ENOENT);
	t = fake_console_text();
	assert_non_null(strstr(t, "vm: vm.kernel=\\k: 4096 bytes at 0x1000000\n"));
	assert_non_null(strstr(t, "error: vm: vm.initrd=\\nope: not found on the ESP (EFI status "
				  "0x800000000000000e); no VM\n"));
	assert_int_equal(count(t, "error: "), 1);
}

/* A file the configuration names but boot/ did not read (or read under another path). */
static void test_file_not_read(void **state)
{
	struct fixture *f = *state;

	add_file(&f->bi, "vm.kernel", "\\old", 0x1000000, 4096, BOOT_FILE_READ);
	assert_int_equal(run(f, "vm.kernel=\\new vm.initrd=\\i"), -ENOENT);
	assert_non_null(
		strstr(fake_console_text(), "error: vm: vm.kernel=\\new: not read by boot/"));
	assert_non_null(strstr(fake_console_text(), "error: vm: vm.initrd=\\i: not read by boot/"));
	assert_int_equal(count(fake_console_text(), "error: "), 2);
}

static void test_refused(void **state)
{
	struct fixture *f = *state;

	add_file(&f->bi, "vm.kernel", "\\k", 0x1000000, 4096, BOOT_FILE_READ);
	assert_int_equal(run(f, "vm.kernel=\\k vm.pci=00:03.0,00:20.1"), -EINVAL);
	assert_string_equal(strstr(fake_console_text(), "error: "),
			    "error: vm: vm.pci=00:03.0,00:20.1 refused: device number beyond "
			    "0x1f; no VM\n");
	assert_null(strstr(fake_console_text(), "bytes at"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_not_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
