// SPDX-License-Identifier: MIT
/*
 * The Linux guest program's pure parts: its command-line values (tests/linux/init/params.c:
 * digests, the write region, the TFTP file) and the disk pattern (tests/linux/init/pattern.c)
 * that the harness rebuilds on the host.
 * Sources: tests/linux/init/params.c tests/linux/init/pattern.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/linux/init/params.h"
#include "tests/linux/init/pattern.h"

#define SHA_UPPER "183EDECF754E7B60D7794082C2FF091527EEB65D3306B7BD660F5C41A833E542"
#define SHA_LOWER "183edecf754e7b60d7794082c2ff091527eeb65d3306b7bd660f5c41a833e542"

static void test_sha256(void **state)
{
	char hex[SHA256_HEX_LEN + 1], bad[] = SHA_LOWER;

	(void)state;
	assert_int_equal(params_sha256(SHA_UPPER, hex), 0);
	assert_string_equal(hex, SHA_LOWER);
	assert_int_equal(params_sha256(SHA_LOWER, hex), 0);
	assert_string_equal(hex, SHA_LOWER);
	memset(hex, 'x', sizeof(hex));
	assert_int_equal(params_sha256(SHA_LOWER "0", hex), -EINVAL); /* 65 digits */
	assert_int_equal(params_sha256(SHA_LOWER + 1, hex), -EINVAL); /* 63 */
	assert_int_equal(params_sha256("", hex), -EINVAL);
	bad[10] = 'g'; /* not hex */
	assert_int_equal(params_sha256(bad, hex), -EINVAL);
	bad[10] = ' ';
	assert_int_equal(params_sha256(bad, hex), -EINVAL);
	bad[10] = 'c';
	bad[63] = '\n';
	assert_int_equal(params_sha256(bad, hex), -EINVAL);
	assert_int_equal(hex[0], 'x'); /* untouched on refusal */
}

static void test_region(void **state)
{
	uint64_t off = 1, len = 1;

	(void)state;
	assert_int_equal(params_region("1048576+65536", &off, &len), 0);
	assert_int_equal(off, 1048576);
	assert_int_equal(len, 65536);
	assert_int_equal(params_region("0x100000+0X10", &off, &len), 0);
	assert_int_equal(off, 0x100000);
	assert_int_equal(len, 0x10);
	assert_int_equal(params_region("0+16", &off, &len), 0);
	assert_int_equal(off, 0);
	/* The last region the pattern can number, and one past it. */
	assert_int_equal(params_region("0xffffffff0+16", &off, &len), 0);
	assert_int_equal(off, 0xffffffff0ull);
	assert_int_equal(params_region("0x1000000000+16", &off, &len), -ERANGE);
	/* The largest length, and one record more. */
	assert_int_equal(params_region("0+0x4000000", &off, &len), 0);
	assert_int_equal(params_region("0+0x4000010", &off, &len), -ERANGE);
	/* A sum that wraps around. */
	assert_int_equal(params_region("0xfffffffffffffff0+16", &off, &len), -ERANGE);
	assert_int_equal(params_region("99999999999999999999+16", &off, &len), -ERANGE);

	off = len = 7;
	assert_int_equal(params_region("", &off, &len), -EINVAL);
	assert_int_equal(params_region("16", &off, &len), -EINVAL);
	assert_int_equal(params_region("16+", &off, &len), -EINVAL);
	assert_int_equal(params_region("+16", &off, &len), -EINVAL);
	assert_int_equal(params_region("16-16", &off, &len), -EINVAL);
	assert_int_equal(params_region("16+16 ", &off, &len), -EINVAL);
	assert_int_equal(params_region("0x+16", &off, &len), -EINVAL);
	assert_int_equal(params_region("16+0", &off, &len), -EINVAL); /* empty */
	assert_int_equal(params_region("8+16", &off, &len), -EINVAL); /* not whole records */
	assert_int_equal(params_region("16+24", &off, &len), -EINVAL);
	assert_int_equal(params_region("0xag+16", &off, &len), -EINVAL);
	assert_int_equal(off, 7); /* untouched on refusal */
	assert_int_equal(len, 7);
}

static void test_tftp(void **state)
{
	char file[PARAMS_FILE_MAX], hex[SHA256_HEX_LEN + 1], text[PARAMS_FILE_MAX + 80];

	(void)state;
	assert_int_equal(params_tftp("skiff-tftp.bin:" SHA_UPPER, file, hex), 0);
	assert_string_equal(file, "skiff-tftp.bin");
	assert_string_equal(hex, SHA_LOWER);
	/* Split at the last ':': a file name may hold one. */
	assert_int_equal(params_tftp("dir/a:b:" SHA_LOWER, file, hex), 0);
	assert_string_equal(file, "dir/a:b");

	assert_int_equal(params_tftp(SHA_LOWER, file, hex), -EINVAL);
	assert_int_equal(params_tftp(":" SHA_LOWER, file, hex), -EINVAL);
	assert_int_equal(params_tftp("file:", file, hex), -EINVAL);
	assert_int_equal(params_tftp("file:abc", file, hex), -EINVAL);
	/* The longest name that fits, and one byte more. */
	memset(text, 'f', PARAMS_FILE_MAX - 1);
	strcpy(text + PARAMS_FILE_MAX - 1, ":" SHA_LOWER);
	assert_int_equal(params_tftp(text, file, hex), 0);
	assert_int_equal(strlen(file), PARAMS_FILE_MAX - 1);
	memset(text, 'f', PARAMS_FILE_MAX);
	strcpy(text + PARAMS_FILE_MAX, ":" SHA_LOWER);
	assert_int_equal(params_tftp(text, file, hex), -E2BIG);
}

static void test_pattern_records(void **state)
{
	char buf[4 * PATTERN_RECORD_LEN + 1] = { 0 };

	(void)state;
	pattern_fill(0x100000, buf, 3 * PATTERN_RECORD_LEN);
	assert_string_equal(buf, "skiff:000100000\nskiff:000100010\nskiff:000100020\n");
	pattern_fill(0, buf, PATTERN_RECORD_LEN);
	assert_memory_equal(buf, "skiff:000000000\n", PATTERN_RECORD_LEN);
	/* The last record the nine digits can number, with nothing written past it. */
	memset(buf, '#', sizeof(buf) - 1);
	pattern_fill(PARAMS_REGION_END - PATTERN_RECORD_LEN, buf, PATTERN_RECORD_LEN);
	assert_memory_equal(buf, "skiff:ffffffff0\n", PATTERN_RECORD_LEN);
	assert_int_equal(buf[PATTERN_RECORD_LEN], '#');
}

static void test_pattern_says_its_place(void **state)
{
	const size_t len = 64 * 1024;
	const uint64_t base = 0x123450;
	char *buf = malloc(len);
	size_t i;

	(void)state;
	assert_non_null(buf);
	pattern_fill(base, buf, len);
	for (i = 0; i < len; i += PATTERN_RECORD_LEN) {
		char record[PATTERN_RECORD_LEN + 1];
		uint64_t at;

		memcpy(record, buf + i, PATTERN_RECORD_LEN);
		record[PATTERN_RECORD_LEN] = '\0';
		assert_int_equal(sscanf(record, "skiff:%9" SCNx64, &at), 1);
		assert_int_equal(at, base + i);
		assert_int_equal(record[PATTERN_RECORD_LEN - 1], '\n');
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_tftp),
		cmocka_unit_test(test_pattern_records),
		cmocka_unit_test(test_pattern_says_its_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
