// SPDX-License-Identifier: MIT
/*
 * boot/loadopt.c: loadopt_to_cmdline() on UCS-2 load options (UEFI 2.10, 9.1
 * EFI_LOADED_IMAGE_PROTOCOL.LoadOptions/LoadOptionsSize; the shell passes the program's own
 * name first) and config_to_cmdline() on the text of \skiff.cfg, against the contract in
 * boot/loadopt.h. Input and output live in buffers of exactly the given size, so ASan catches
 * any access past either.
 * Sources: boot/loadopt.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#include <cmocka.h>

#include "boot/loadopt.h"

#define RESULT_MAX 256
#define STALE	   'X'

/* What the last call left in its output buffer. */
static char result[RESULT_MAX];

/* Copies @out's text to result; false when a non-empty @out holds no NUL. */
static bool keep_result(const char *out, size_t size)
{
	const char *nul = memchr(out, '\0', size);

	result[0] = '\0';
	if (!size)
		return true;
	if (!nul || (size_t)(nul - out) >= sizeof(result))
		return false;
	memcpy(result, out, (size_t)(nul - out) + 1);
	return true;
}

/* loadopt_to_cmdline() on a copy of @bytes bytes of @opt, into a @size-byte buffer that held
 * stale text. */
static int loadopt(const char16_t *opt, size_t bytes, size_t size)
{
	uint16_t *in = malloc(bytes);
	char *out = malloc(size);
	bool terminated;
	int ret;

	assert_non_null(in);
	assert_non_null(out);
	memcpy(in, opt, bytes);
	memset(out, STALE, size);
	ret = loadopt_to_cmdline(in, bytes, out, size);
	terminated = keep_result(out, size);
	free(out);
	free(in);
	assert_true(terminated);
	return ret;
}

/* The whole literal, its terminating NUL included, as firmware usually reports the size. */
#define LOADOPT(lit, size) loadopt(lit, sizeof(lit), size)

static int config(const char *text, size_t len, size_t size)
{
	char *in = malloc(len);
	char *out = malloc(size);
	bool terminated;
	int ret;

	assert_non_null(in);
	assert_non_null(out);
	memcpy(in, text, len);
	memset(out, STALE, size);
	ret = config_to_cmdline(in, len, out, size);
	terminated = keep_result(out, size);
	free(out);
	free(in);
	assert_true(terminated);
	return ret;
}

/* The literal without its NUL: a file's bytes. */
#define CONFIG(lit, size) config(lit, sizeof(lit) - 1, size)

static void test_shell_name_dropped(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"skiff.efi log=debug selftest", RESULT_MAX), 18);
	assert_string_equal(result, "log=debug selftest");
	assert_int_equal(LOADOPT(u"FS0:\\EFI\\BOOT\\BOOTX64.EFI loglevel=debug", RESULT_MAX), 14);
	assert_string_equal(result, "loglevel=debug");
	assert_int_equal(LOADOPT(u"  Skiff.eFi\ta=1", RESULT_MAX), 3);
	assert_string_equal(result, "a=1");
	assert_int_equal(LOADOPT(u"skiff.efi", RESULT_MAX), 0);
	assert_string_equal(result, "");
}

static void test_first_word_kept_without_efi_suffix(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"skiff.efix a=1", RESULT_MAX), 14);
	assert_string_equal(result, "skiff.efix a=1");
	assert_int_equal(LOADOPT(u"efi a=1", RESULT_MAX), 7);
	assert_string_equal(result, "efi a=1");
	/* Only the first word is the program's name. */
	assert_int_equal(LOADOPT(u"a=1 b.efi", RESULT_MAX), 9);
	assert_string_equal(result, "a=1 b.efi");
}

static void test_boot_entry_options_kept(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"log=debug selftest=fault", RESULT_MAX), 24);
	assert_string_equal(result, "log=debug selftest=fault");
}

static void test_white_space_collapsed(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u" \t log=debug \r\n\t selftest  ", RESULT_MAX), 18);
	assert_string_equal(result, "log=debug selftest");
	assert_int_equal(LOADOPT(u" \t\r\n ", RESULT_MAX), 0);
	assert_string_equal(result, "");
}

static void test_not_text(void **state)
{
	/* A boot entry's binary optional data (a little-endian structure). */
	static const char16_t binary[] = { 0x0001, 0x0000, 0xbeef, 0x0042 };

	(void)state;
	assert_int_equal(LOADOPT(binary, RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(LOADOPT(u"log=caf\u00e9", RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(LOADOPT(u"log=debug\x1b", RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(LOADOPT(u"log=debug\x7f", RESULT_MAX), 0);
	assert_string_equal(result, "");
	/* An odd byte count cannot be UCS-2. */
	assert_int_equal(loadopt(u"log=debug", sizeof(u"log=debug") - 3, RESULT_MAX), 0);
	assert_string_equal(result, "");
}

static void test_nul_ends_text(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"a=1\0b=2", RESULT_MAX), 3);
	assert_string_equal(result, "a=1");
	/* No NUL at all: the size alone bounds the text. */
	assert_int_equal(loadopt(u"a=1 b=2", sizeof(u"a=1 b=2") - sizeof(char16_t), RESULT_MAX), 7);
	assert_string_equal(result, "a=1 b=2");
}

static void test_no_options(void **state)
{
	char out[4] = "xyz";

	(void)state;
	assert_int_equal(loadopt_to_cmdline(NULL, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(loadopt(u"", 0, RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(LOADOPT(u"", RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(LOADOPT(u"", 0), 0);
}

static void test_too_long(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"abc def", 8), 7);
	assert_string_equal(result, "abc def");
	assert_int_equal(LOADOPT(u"abc def", 7), -E2BIG);
	assert_string_equal(result, "");
	assert_int_equal(LOADOPT(u"abc def", 1), -E2BIG);
	assert_string_equal(result, "");
}

/*
 * The size limit applies to the resulting line, after the program's name is dropped and white
 * space collapsed, not to the raw load options. (Regression: the raw length was once checked.)
 */
static void test_fits_after_dropping_and_collapsing(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"skiff.efi abc", 4), 3);
	assert_string_equal(result, "abc");
	assert_int_equal(LOADOPT(u"a      b", 4), 3);
	assert_string_equal(result, "a b");
}

/* With @size 0 a non-empty line does not fit: -E2BIG, as config_to_cmdline() answers. */
static void test_nothing_fits_in_zero_bytes(void **state)
{
	(void)state;
	assert_int_equal(LOADOPT(u"a", 0), -E2BIG);
}

static void test_config_lines_joined(void **state)
{
	(void)state;
	assert_int_equal(CONFIG("log=debug\nselftest\n", RESULT_MAX), 18);
	assert_string_equal(result, "log=debug selftest");
	/* No newline after the last line. */
	assert_int_equal(CONFIG("log=debug\nselftest", RESULT_MAX), 18);
	assert_string_equal(result, "log=debug selftest");
}

static void test_config_comments(void **state)
{
	(void)state;
	assert_int_equal(CONFIG("# skiff.cfg\nlog=debug\n   # indented\n\t# tab\nselftest\n#end",
				RESULT_MAX),
			 18);
	assert_string_equal(result, "log=debug selftest");
}

static void test_config_crlf_and_white_space(void **state)
{
	(void)state;
	assert_int_equal(CONFIG("log=debug\r\n# c\r\nselftest\r\n", RESULT_MAX), 18);
	assert_string_equal(result, "log=debug selftest");
	assert_int_equal(CONFIG("\t log=debug \t\t net=on\n\n   \n\t\nselftest   ", RESULT_MAX),
			 25);
	assert_string_equal(result, "log=debug net=on selftest");
}

static void test_config_empty(void **state)
{
	(void)state;
	assert_int_equal(config("", 0, RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(CONFIG("# nothing\n\n  \n", RESULT_MAX), 0);
	assert_string_equal(result, "");
	assert_int_equal(config("", 0, 0), 0);
}

static void test_config_not_ascii(void **state)
{
	(void)state;
	assert_int_equal(CONFIG("log=caf\xc3\xa9\n", RESULT_MAX), -EINVAL);
	assert_string_equal(result, "");
	assert_int_equal(CONFIG("log=debug\x80", RESULT_MAX), -EINVAL);
	assert_string_equal(result, "");
	assert_int_equal(CONFIG("a=1\x01", RESULT_MAX), -EINVAL);
	assert_string_equal(result, "");
	assert_int_equal(CONFIG("a=1\x7f", RESULT_MAX), -EINVAL);
	assert_string_equal(result, "");
	assert_int_equal(CONFIG("a=1\0b", RESULT_MAX), -EINVAL);
	assert_string_equal(result, "");
	/* Even inside a comment. */
	assert_int_equal(CONFIG("# caf\xc3\xa9\na=1", RESULT_MAX), -EINVAL);
	assert_string_equal(result, "");
}

static void test_config_too_long(void **state)
{
	(void)state;
	assert_int_equal(CONFIG("abc\n\n   def  \n", 8), 7);
	assert_string_equal(result, "abc def");
	assert_int_equal(CONFIG("abc\n\n   def  \n", 7), -E2BIG);
	assert_string_equal(result, "");
	assert_int_equal(CONFIG("abc", 0), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest loadopt_tests[] = {
		cmocka_unit_test(test_shell_name_dropped),
		cmocka_unit_test(test_first_word_kept_without_efi_suffix),
		cmocka_unit_test(test_boot_entry_options_kept),
		cmocka_unit_test(test_white_space_collapsed),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_nul_ends_text),
		cmocka_unit_test(test_no_options),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_fits_after_dropping_and_collapsing),
		cmocka_unit_test(test_nothing_fits_in_zero_bytes),
		cmocka_unit_test(test_config_lines_joined),
		cmocka_unit_test(test_config_comments),
		cmocka_unit_test(test_config_crlf_and_white_space),
		cmocka_unit_test(test_config_empty),
		cmocka_unit_test(test_config_not_ascii),
		cmocka_unit_test(test_config_too_long),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(loadopt_tests, NULL, NULL);
}
