// SPDX-License-Identifier: MIT
/*
 * kernel/log.c: log_format() (timestamp "[%5llu.%06llu] ", level tags, exactly one trailing
 * newline, truncation that keeps the newline and the NUL) and log_msg()/log_set_level()
 * filtering, against the contract in kernel/log.h. console_write() and time_ns() are the test
 * doubles of tests/unit/fake_console.c.
 * Sources: kernel/log.c tests/unit/fake_console.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/log.h"
#include "tests/unit/fake_console.h"

#define LINE_MAX_TEST 128
#define CANARY	      ((char)0xa5)
#define NS_PER_S      1000000000ull

static size_t format(char *buf, size_t size, enum log_level level, uint64_t ns, const char *fmt,
		     ...) __attribute__((format(printf, 5, 6)));

static size_t format(char *buf, size_t size, enum log_level level, uint64_t ns, const char *fmt,
		     ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = log_format(buf, size, level, ns, fmt, ap);
	va_end(ap);
	return n;
}

/* Formats "hello" at LOG_INFO and checks the whole line. */
static void assert_stamp(uint64_t ns, const char *expect)
{
	char buf[LINE_MAX_TEST];

	assert_int_equal(format(buf, sizeof(buf), LOG_INFO, ns, "hello"), strlen(expect));
	assert_string_equal(buf, expect);
}

static void test_timestamp(void **state)
{
	(void)state;
	assert_stamp(0, "[    0.000000] hello\n");
	assert_stamp(1234567891, "[    1.234567] hello\n");
	assert_stamp(60 * NS_PER_S + 5000, "[   60.000005] hello\n");
	assert_stamp(99999 * NS_PER_S + 999999000, "[99999.999999] hello\n");
	/* More than five digits of seconds widen the field. */
	assert_stamp(100000 * NS_PER_S, "[100000.000000] hello\n");
	assert_stamp(123456789012345678ull, "[123456789.012345] hello\n");
	assert_stamp(UINT64_MAX, "[18446744073.709551] hello\n");
}

static void test_level_tags(void **state)
{
	static const struct {
		enum log_level level;
		const char *line;
	} cases[] = {
		{ LOG_ERROR, "[    0.000001] error: x\n" },
		{ LOG_WARN, "[    0.000001] warning: x\n" },
		{ LOG_INFO, "[    0.000001] x\n" },
		{ LOG_DEBUG, "[    0.000001] debug: x\n" },
	};
	char buf[LINE_MAX_TEST];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(format(buf, sizeof(buf), cases[i].level, 1000, "x"),
				 strlen(cases[i].line));
		assert_string_equal(buf, cases[i].line);
	}
}

static void test_one_newline(void **state)
{
	char buf[LINE_MAX_TEST];

	(void)state;
	assert_int_equal(format(buf, sizeof(buf), LOG_INFO, 0, "done"), 20);
	assert_string_equal(buf, "[    0.000000] done\n");
	assert_int_equal(format(buf, sizeof(buf), LOG_INFO, 0, "done\n"), 20);
	assert_string_equal(buf, "[    0.000000] done\n");
	assert_int_equal(format(buf, sizeof(buf), LOG_INFO, 0, "%s", ""), 16);
	assert_string_equal(buf, "[    0.000000] \n");
	assert_int_equal(format(buf, sizeof(buf), LOG_WARN, 0, "%s=%d, %#llx", "irq", 42,
				(unsigned long long)0xfee00000),
			 43);
	assert_string_equal(buf, "[    0.000000] warning: irq=42, 0xfee00000\n");
}

/*
 * Every buffer size from 0 up to past the whole line, with a canary byte after the buffer:
 * nothing written for 0 bytes, "" for 1, then the first @size - 2 characters of the line, '\n'
 * and the NUL, and the whole line once it fits.
 */
static void check_truncation(const char *fmt, const char *line)
{
	size_t full = strlen(line);
	char buf[LINE_MAX_TEST + 1], expect[LINE_MAX_TEST];

	assert_true(full + 3 < LINE_MAX_TEST);
	for (size_t size = 0; size <= full + 2; size++) {
		size_t n;

		if (size > full) {
			strcpy(expect, line);
		} else if (size >= 2) {
			memcpy(expect, line, size - 2);
			strcpy(expect + size - 2, "\n");
		} else {
			expect[0] = '\0';
		}
		memset(buf, CANARY, sizeof(buf));
		n = format(buf, size, LOG_WARN, 1234567891, fmt, "hello");
		if (buf[size] != CANARY)
			fail_msg("size %zu: the byte after the buffer was overwritten", size);
		if (n != strlen(expect) || (size && memcmp(buf, expect, n + 1)))
			fail_msg("size %zu: \"%.*s\" (%zu), expected \"%s\" (%zu)", size, (int)size,
				 buf, n, expect, strlen(expect));
	}
}

static void test_truncation(void **state)
{
	(void)state;
	check_truncation("%s world", "[    1.234567] warning: hello world\n");
	check_truncation("%s world\n", "[    1.234567] warning: hello world\n");
}

static void test_tiny_buffers(void **state)
{
	char buf[6];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(format(buf, 0, LOG_INFO, 0, "x"), 0);
	assert_int_equal(buf[0], CANARY);
	assert_int_equal(format(buf, 1, LOG_INFO, 0, "x"), 0);
	assert_string_equal(buf, "");
	assert_int_equal(buf[1], CANARY);
	assert_int_equal(format(buf, 2, LOG_INFO, 0, "x"), 1);
	assert_string_equal(buf, "\n");
	assert_int_equal(buf[2], CANARY);
	assert_int_equal(format(buf, 5, LOG_INFO, 0, "x"), 4);
	assert_string_equal(buf, "[  \n");
	assert_int_equal(buf[5], CANARY);
}

/* Runs first: nothing has called log_set_level() yet. */
static void test_default_level_is_info(void **state)
{
	(void)state;
	fake_console_reset();
	fake_time_set(2500000000ull);
	log_debug("hidden %d", 1);
	assert_int_equal(fake_console_writes(), 0);
	log_info("shown %d", 2);
	assert_int_equal(fake_console_writes(), 1);
	assert_string_equal(fake_console_text(), "[    2.500000] shown 2\n");
}

static void test_msg_filtering(void **state)
{
	static const enum log_level levels[] = { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

	(void)state;
	for (size_t t = 0; t < 4; t++) {
		log_set_level(levels[t]);
		for (size_t l = 0; l < 4; l++) {
			fake_console_reset();
			log_msg(levels[l], "m");
			if (fake_console_writes() != (l <= t ? 1u : 0u))
				fail_msg("threshold %zu, level %zu: %u lines", t, l,
					 fake_console_writes());
		}
	}
	log_set_level(LOG_WARN);
	fake_console_reset();
	fake_time_set(3 * NS_PER_S + 14000);
	log_err("disk %d", 3);
	log_info("not shown");
	log_warn("slow");
	assert_int_equal(fake_console_writes(), 2);
	assert_string_equal(fake_console_text(),
			    "[    3.000014] error: disk 3\n[    3.000014] warning: slow\n");
}

/* A message longer than log_msg()'s line is cut, still as one line ending in '\n'. */
static void test_msg_long_line(void **state)
{
	char text[2048];
	const char *out;
	size_t len;

	(void)state;
	memset(text, 'z', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	log_set_level(LOG_INFO);
	fake_console_reset();
	fake_time_set(0);
	log_info("%s", text);
	out = fake_console_text();
	len = strlen(out);
	assert_int_equal(fake_console_writes(), 1);
	assert_true(len > 16 && len < 15 + sizeof(text));
	assert_memory_equal(out, "[    0.000000] zzz", 18);
	assert_int_equal(out[len - 1], '\n');
	assert_int_equal(strspn(out + 15, "z"), len - 16);
}

int main(void)
{
	const struct CMUnitTest log_tests[] = {
		cmocka_unit_test(test_default_level_is_info),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_level_tags),
		cmocka_unit_test(test_one_newline),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_tiny_buffers),
		cmocka_unit_test(test_msg_filtering),
		cmocka_unit_test(test_msg_long_line),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(log_tests, NULL, NULL);
}
