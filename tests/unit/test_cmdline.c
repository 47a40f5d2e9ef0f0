// SPDX-License-Identifier: MIT
/*
 * kernel/cmdline.c: cmdline_parse(), cmdline_get() and cmdline_get_bool() against the contract in
 * kernel/cmdline.h (words, "key=value" and bare flags, double quotes, limits, errors, boolean
 * spellings).
 * Sources: kernel/cmdline.c
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

#include "kernel/cmdline.h"

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct cmdline));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void assert_arg(const struct cmdline *c, unsigned int i, const char *key, const char *value)
{
	assert_true(i < c->nr_args);
	assert_string_equal(c->args[i].key, key);
	assert_string_equal(c->args[i].value, value);
}

static void test_words(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "log=debug selftest net.ip=10.0.2.15"), 3);
	assert_int_equal(c->nr_args, 3);
	assert_arg(c, 0, "log", "debug");
	assert_arg(c, 1, "selftest", "");
	assert_arg(c, 2, "net.ip", "10.0.2.15");
}

static void test_white_space(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "  \ta=1\t\t b \r\n"), 2);
	assert_arg(c, 0, "a", "1");
	assert_arg(c, 1, "b", "");
	assert_int_equal(cmdline_parse(c, ""), 0);
	assert_int_equal(c->nr_args, 0);
	assert_int_equal(cmdline_parse(c, " \t\r\n "), 0);
	assert_int_equal(c->nr_args, 0);
}

static void test_values(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "a=b=c empty= x==y"), 3);
	assert_arg(c, 0, "a", "b=c");
	assert_arg(c, 1, "empty", "");
	assert_arg(c, 2, "x", "=y");
}

/* The arguments point into @c's own copy: the caller's buffer can change afterwards. */
static void test_copy_kept(void **state)
{
	struct cmdline *c = *state;
	char line[] = "a=1 b";

	assert_int_equal(cmdline_parse(c, line), 2);
	memset(line, '#', sizeof(line) - 1);
	assert_arg(c, 0, "a", "1");
	assert_arg(c, 1, "b", "");
	assert_string_equal(line, "#####");
}

static void test_get(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "log=info flag log=debug other=1"), 4);
	assert_string_equal(cmdline_get(c, "log"), "debug");
	assert_string_equal(cmdline_get(c, "flag"), "");
	assert_string_equal(cmdline_get(c, "other"), "1");
	assert_null(cmdline_get(c, "absent"));
	/* Whole keys only. */
	assert_null(cmdline_get(c, "lo"));
	assert_null(cmdline_get(c, "logx"));
	assert_null(cmdline_get(c, ""));
}

static void test_quoted_values(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "vm.cmdline=\"console=ttyS0  quiet\"\tb=\"\" c"), 3);
	assert_arg(c, 0, "vm.cmdline", "console=ttyS0  quiet");
	assert_arg(c, 1, "b", "");
	assert_arg(c, 2, "c", "");
	/* Quotes may start anywhere in a word and several may follow one another. */
	assert_int_equal(cmdline_parse(c, "a=x\" y \"z\"w\" \"k=v\""), 2);
	assert_arg(c, 0, "a", "x y zw");
	assert_arg(c, 1, "k", "v");
	assert_string_equal(cmdline_get(c, "a"), "x y zw");
}

static void test_quote_errors(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "a=1 b=\"open ended"), -EINVAL);
	assert_int_equal(c->nr_args, 0);
	assert_int_equal(cmdline_parse(c, "a=1 \"\"=x"), -EINVAL);
	assert_int_equal(c->nr_args, 0);
	assert_int_equal(cmdline_parse(c, "\"\""), -EINVAL);
	assert_int_equal(c->nr_args, 0);
}

static void test_empty_key(void **state)
{
	struct cmdline *c = *state;

	assert_int_equal(cmdline_parse(c, "=x"), -EINVAL);
	assert_int_equal(c->nr_args, 0);
	assert_int_equal(cmdline_parse(c, "a=1 b=2 ="), -EINVAL);
	assert_int_equal(c->nr_args, 0);
	assert_null(cmdline_get(c, "a"));
}

static void test_too_many_words(void **state)
{
	struct cmdline *c = *state;
	char line[CMDLINE_TEXT_MAX] = "";

	for (int i = 0; i < CMDLINE_MAX_ARGS; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "k%d=%d ", i, i);
	assert_int_equal(cmdline_parse(c, line), CMDLINE_MAX_ARGS);
	assert_string_equal(cmdline_get(c, "k31"), "31");
	strcat(line, "one-more");
	assert_int_equal(cmdline_parse(c, line), -E2BIG);
	assert_int_equal(c->nr_args, 0);
	assert_null(cmdline_get(c, "k0"));
}

static void test_too_long(void **state)
{
	struct cmdline *c = *state;
	char line[CMDLINE_TEXT_MAX + 1];

	memset(line, 'a', sizeof(line) - 1);
	line[CMDLINE_TEXT_MAX - 1] = '\0';
	assert_int_equal(cmdline_parse(c, line), 1);
	assert_int_equal(strlen(c->args[0].key), CMDLINE_TEXT_MAX - 1);
	line[CMDLINE_TEXT_MAX - 1] = 'a';
	line[CMDLINE_TEXT_MAX] = '\0';
	assert_int_equal(cmdline_parse(c, line), -E2BIG);
	assert_int_equal(c->nr_args, 0);
}

/* The command line @line makes "opt" read as @expect, against the opposite default. */
static void assert_bool_reads(struct cmdline *c, const char *line, bool expect)
{
	bool v = !expect;
	int ret;

	if (cmdline_parse(c, line) != 1)
		fail_msg("\"%s\" is not one argument", line);
	ret = cmdline_get_bool(c, "opt", !expect, &v);
	if (ret || v != expect)
		fail_msg("\"%s\": returned %d, value %d, expected 0 and %d", line, ret, v, expect);
}

static void test_bool_spellings(void **state)
{
	struct cmdline *c = *state;

	assert_bool_reads(c, "opt", true);
	assert_bool_reads(c, "opt=", true); /* the empty value, as a bare flag has */
	assert_bool_reads(c, "opt=1", true);
	assert_bool_reads(c, "opt=on", true);
	assert_bool_reads(c, "opt=yes", true);
	assert_bool_reads(c, "opt=0", false);
	assert_bool_reads(c, "opt=off", false);
	assert_bool_reads(c, "opt=no", false);
}

static void test_bool_default(void **state)
{
	struct cmdline *c = *state;
	bool v;

	assert_int_equal(cmdline_parse(c, "other=0"), 1);
	v = false;
	assert_int_equal(cmdline_get_bool(c, "opt", true, &v), 0);
	assert_true(v);
	v = true;
	assert_int_equal(cmdline_get_bool(c, "opt", false, &v), 0);
	assert_false(v);
}

static void test_bool_invalid(void **state)
{
	struct cmdline *c = *state;
	bool v;

	assert_int_equal(cmdline_parse(c, "opt=maybe two=2"), 2);
	v = true;
	assert_int_equal(cmdline_get_bool(c, "opt", false, &v), -EINVAL);
	assert_true(v);
	v = false;
	assert_int_equal(cmdline_get_bool(c, "opt", true, &v), -EINVAL);
	assert_false(v);
	assert_int_equal(cmdline_get_bool(c, "two", true, &v), -EINVAL);
	assert_false(v);
}

/* The last value given decides, even when an earlier one was valid. */
static void test_bool_last_wins(void **state)
{
	struct cmdline *c = *state;
	bool v = true;

	assert_int_equal(cmdline_parse(c, "opt=yes opt=off"), 2);
	assert_int_equal(cmdline_get_bool(c, "opt", true, &v), 0);
	assert_false(v);
}

int main(void)
{
	const struct CMUnitTest cmdline_tests[] = {
		cmocka_unit_test_setup_teardown(test_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_white_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoted_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quote_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_spellings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_last_wins, setup, teardown),
	};

	/* Line buffered: cmocka's stdout and stderr lines stay in order in a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(cmdline_tests, NULL, NULL);
}
