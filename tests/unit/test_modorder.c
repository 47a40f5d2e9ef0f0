// SPDX-License-Identifier: MIT
/*
 * tools/modorder.c: the load order of kernel modules from their depends= fields, on the real
 * chain of Debian 6.1's nvme and e1000e (as their .modinfo sections have it), on ties, on the
 * '-'/'_' folding, on every refusal, and as a property over random dependency graphs.
 * Sources: tools/modorder.c
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

#include "kernel/bits.h"
#include "tools/modorder.h"

/* Debian's linux-image-6.1.0-*-amd64: name and depends= of each module in the initramfs. */
static const struct modorder_module debian[] = {
	{ "crct10dif_common", "" },
	{ "crct10dif_generic", "crct10dif_common" },
	{ "crc-t10dif", "crct10dif_common" },
	{ "crc64", "" },
	{ "crc64-rocksoft", "crc64" },
	{ "t10-pi", "crc-t10dif,crc64-rocksoft" },
	{ "nvme-core", "t10-pi" },
	{ "nvme", "nvme-core" },
	{ "e1000e", "" },
};

/* The position of module @name in @order, or -1. */
static int position(const struct modorder_module *mods, const size_t *order, size_t n,
		    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(mods[order[i]].name, name) == 0)
			return (int)i;
	return -1;
}

static void test_debian_in_natural_order(void **state)
{
	size_t order[ARRAY_SIZE(debian)], i;
	char why[MODORDER_WHY_LEN];

	(void)state;
	assert_int_equal(modorder_sort(debian, ARRAY_SIZE(debian), order, why), 0);
	/* Already a load order: nothing moves. */
	for (i = 0; i < ARRAY_SIZE(debian); i++)
		assert_int_equal(order[i], i);
}

static void test_debian_reversed(void **state)
{
	/* By the rule (each step takes the first module in @mods whose dependencies are placed):
	 * crct10dif_generic, which nothing needs, comes last. */
	const char *const want[] = { "e1000e",		 "crc64",      "crc64-rocksoft",
				     "crct10dif_common", "crc-t10dif", "t10-pi",
				     "nvme-core",	 "nvme",       "crct10dif_generic" };
	struct modorder_module rev[ARRAY_SIZE(debian)];
	size_t order[ARRAY_SIZE(debian)], n = ARRAY_SIZE(debian), i;
	char why[MODORDER_WHY_LEN];

	(void)state;
	for (i = 0; i < n; i++)
		rev[i] = debian[n - 1 - i];
	assert_int_equal(modorder_sort(rev, n, order, why), 0);
	/* e1000e needs nothing and came first; the rest as depends= forces. */
	assert_string_equal(rev[order[0]].name, "e1000e");
	assert_true(position(rev, order, n, "crct10dif_common") <
		    position(rev, order, n, "crc-t10dif"));
	assert_true(position(rev, order, n, "crct10dif_common") <
		    position(rev, order, n, "crct10dif_generic"));
	assert_true(position(rev, order, n, "crc64") < position(rev, order, n, "crc64-rocksoft"));
	assert_true(position(rev, order, n, "crc-t10dif") < position(rev, order, n, "t10-pi"));
	assert_true(position(rev, order, n, "crc64-rocksoft") < position(rev, order, n, "t10-pi"));
	assert_true(position(rev, order, n, "t10-pi") < position(rev, order, n, "nvme-core"));
	assert_true(position(rev, order, n, "nvme-core") < position(rev, order, n, "nvme"));
	for (i = 0; i < n; i++)
		assert_string_equal(rev[order[i]].name, want[i]);
}

static void test_ties_keep_input_order(void **state)
{
	const struct modorder_module mods[] = {
		{ "c", "" },
		{ "a", "" },
		{ "b", "" },
		{ "d", "c" },
	};
	size_t order[ARRAY_SIZE(mods)];
	char why[MODORDER_WHY_LEN];

	(void)state;
	assert_int_equal(modorder_sort(mods, ARRAY_SIZE(mods), order, why), 0);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 3);
}

static void test_dash_is_underscore(void **state)
{
	/* depends= may spell a name either way; kmod folds '-' into '_'. */
	const struct modorder_module mods[] = {
		{ "t10_pi", "crc_t10dif" },
		{ "crc-t10dif", "" },
	};
	size_t order[ARRAY_SIZE(mods)];
	char why[MODORDER_WHY_LEN];

	(void)state;
	assert_int_equal(modorder_sort(mods, ARRAY_SIZE(mods), order, why), 0);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
}

static void expect_refusal(const struct modorder_module *mods, size_t n, int err, const char *named)
{
	size_t order[MODORDER_MAX + 1];
	char why[MODORDER_WHY_LEN] = "";

	assert_int_equal(modorder_sort(mods, n, order, why), err);
	if (!strstr(why, named))
		fail_msg("'%s' does not name '%s'", why, named);
}

static void test_refusals(void **state)
{
	const struct modorder_module missing[] = { { "nvme", "nvme-core" } };
	const struct modorder_module cycle[] = {
		{ "a", "b" },
		{ "b", "c" },
		{ "c", "a" },
		{ "d", "" },
	};
	const struct modorder_module self[] = { { "a", "a" } };
	const struct modorder_module after_cycle[] = { { "x", "a" }, { "a", "b" }, { "b", "a" } };
	const struct modorder_module twice[] = { { "crc-t10dif", "" }, { "crc_t10dif", "" } };
	const struct modorder_module empty_name[] = { { "a", "" }, { "", "" } };
	const struct modorder_module empty_entry[] = { { "a", "" }, { "b", "a,,a" } };
	const struct modorder_module trailing[] = { { "a", "" }, { "b", "a," } };
	const struct modorder_module leading[] = { { "a", "" }, { "b", ",a" } };
	const struct modorder_module prefix[] = { { "crc64-rocksoft", "" }, { "t10-pi", "crc64" } };

	(void)state;
	expect_refusal(missing, ARRAY_SIZE(missing), -ENOENT, "nvme-core");
	expect_refusal(prefix, ARRAY_SIZE(prefix), -ENOENT, "crc64");
	expect_refusal(cycle, ARRAY_SIZE(cycle), -ELOOP, "a");
	expect_refusal(self, ARRAY_SIZE(self), -ELOOP, "a");
	expect_refusal(after_cycle, ARRAY_SIZE(after_cycle), -ELOOP, "x");
	expect_refusal(twice, ARRAY_SIZE(twice), -EEXIST, "crc_t10dif");
	expect_refusal(empty_name, ARRAY_SIZE(empty_name), -EINVAL, "module 1");
	expect_refusal(empty_entry, ARRAY_SIZE(empty_entry), -EINVAL, "b");
	expect_refusal(trailing, ARRAY_SIZE(trailing), -EINVAL, "b");
	expect_refusal(leading, ARRAY_SIZE(leading), -EINVAL, "b");
}

static void test_too_many(void **state)
{
	static struct modorder_module mods[MODORDER_MAX + 1];
	static char names[MODORDER_MAX + 1][24];
	size_t order[MODORDER_MAX + 1], i;
	char why[MODORDER_WHY_LEN];

	(void)state;
	for (i = 0; i <= MODORDER_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "m%zu", i);
		mods[i] = (struct modorder_module){ .name = names[i], .depends = "" };
	}
	assert_int_equal(modorder_sort(mods, MODORDER_MAX, order, why), 0);
	expect_refusal(mods, MODORDER_MAX + 1, -E2BIG, "65");
}

/*
 * Random acyclic graphs: module i depends on a random subset of modules with a larger index
 * (so none is in order yet); every order found is a permutation in which each module follows
 * all it depends on.
 */
static void test_random_graphs(void **state)
{
	static struct modorder_module mods[MODORDER_MAX];
	static char names[MODORDER_MAX][24], deps[MODORDER_MAX][MODORDER_MAX * 24];
	size_t order[MODORDER_MAX], n, i, j;
	char why[MODORDER_WHY_LEN];
	unsigned int round;

	(void)state;
	srand(13);
	for (round = 0; round < 200; round++) {
		int pos[MODORDER_MAX];

		n = 1 + (size_t)rand() % MODORDER_MAX;
		for (i = 0; i < n; i++)
			snprintf(names[i], sizeof(names[i]), "%s%zu", rand() % 2 ? "m-" : "m_", i);
		for (i = 0; i < n; i++) {
			deps[i][0] = '\0';
			for (j = i + 1; j < n; j++)
				if (rand() % 8 == 0) {
					if (deps[i][0])
						strcat(deps[i], ",");
					/* the other spelling of the separator half the time */
					strcat(deps[i], rand() % 2 ? "m-" : "m_");
					snprintf(deps[i] + strlen(deps[i]), 24, "%zu", j);
				}
			mods[i] = (struct modorder_module){ .name = names[i], .depends = deps[i] };
		}
		assert_int_equal(modorder_sort(mods, n, order, why), 0);
		for (i = 0; i < n; i++)
			pos[i] = -1;
		for (i = 0; i < n; i++) {
			assert_true(order[i] < n);
			assert_int_equal(pos[order[i]], -1);
			pos[order[i]] = (int)i;
		}
		for (i = 0; i < n; i++) {
			const char *p = deps[i];

			while (*p) {
				char *end;

				j = strtoul(p + 2, &end, 10);
				assert_true(pos[j] < pos[i]);
				p = *end ? end + 1 : end;
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_in_natural_order),
		cmocka_unit_test(test_debian_reversed),
		cmocka_unit_test(test_ties_keep_input_order),
		cmocka_unit_test(test_dash_is_underscore),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_random_graphs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
