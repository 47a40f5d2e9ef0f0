// SPDX-License-Identifier: MIT
/*
 * kernel/log_limit.c: @burst lines a window, the lines past it counted and reported with the
 * next line shown in a later window, a window that starts at the first line and lasts
 * LOG_LIMIT_WINDOW_NS, the total of lines not shown, and log_limit_flush().
 * Sources: kernel/log_limit.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kernel/log_limit.h"

#define BURST	3
#define T0	5000000000ull /* any start: windows count from the first line */
#define EXTRA	7
#define JUST_IN (LOG_LIMIT_WINDOW_NS - 1)

/* @n lines at @now: how many were shown; *@missed what the first one shown reported. */
static unsigned int lines(struct log_limit *l, uint64_t now, unsigned int n, uint64_t *missed)
{
	unsigned int shown = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t m = UINT64_MAX;

		if (log_limit_allow(l, now, &m)) {
			if (!shown++)
				*missed = m;
		} else {
			assert_int_equal(m, UINT64_MAX); /* untouched when not shown */
		}
	}
	return shown;
}

static void test_burst_then_counted(void **state)
{
	struct log_limit l;
	uint64_t missed = UINT64_MAX;

	(void)state;
	log_limit_init(&l, BURST);
	assert_int_equal(lines(&l, T0, BURST + EXTRA, &missed), BURST);
	assert_int_equal(missed, 0);
	assert_int_equal(l.suppressed, EXTRA);
	/* still the same window one nanosecond before its end */
	assert_int_equal(lines(&l, T0 + JUST_IN, 1, &missed), 0);
	assert_int_equal(l.suppressed, EXTRA + 1);
}

static void test_next_window_reports(void **state)
{
	struct log_limit l;
	uint64_t missed = UINT64_MAX;

	(void)state;
	log_limit_init(&l, BURST);
	lines(&l, T0, BURST + EXTRA, &missed);
	assert_int_equal(lines(&l, T0 + LOG_LIMIT_WINDOW_NS, 1, &missed), 1);
	assert_int_equal(missed, EXTRA);
	/* reported once: the next line shown reports nothing */
	assert_int_equal(lines(&l, T0 + LOG_LIMIT_WINDOW_NS, 1, &missed), 1);
	assert_int_equal(missed, 0);
	assert_int_equal(l.suppressed, EXTRA);
}

static void test_window_starts_at_first_line(void **state)
{
	struct log_limit l;
	uint64_t missed = UINT64_MAX;

	(void)state;
	log_limit_init(&l, BURST);
	/* a window from T0 - not from time 0, which would have ended long before T0 */
	assert_int_equal(lines(&l, T0, BURST, &missed), BURST);
	assert_int_equal(lines(&l, T0 + JUST_IN, 1, &missed), 0);
	assert_int_equal(lines(&l, T0 + LOG_LIMIT_WINDOW_NS + JUST_IN, BURST + 1, &missed), BURST);
	assert_int_equal(missed, 1);
}

static void test_flush(void **state)
{
	struct log_limit l;
	uint64_t missed = UINT64_MAX;

	(void)state;
	log_limit_init(&l, BURST);
	assert_int_equal(log_limit_flush(&l), 0);
	lines(&l, T0, BURST + EXTRA, &missed);
	assert_int_equal(log_limit_flush(&l), EXTRA);
	assert_int_equal(log_limit_flush(&l), 0);
	assert_int_equal(lines(&l, T0 + LOG_LIMIT_WINDOW_NS, 1, &missed), 1);
	assert_int_equal(missed, 0); /* flushed lines are not reported twice */
	assert_int_equal(l.suppressed, EXTRA);
}

static void test_zero_burst_shows_nothing(void **state)
{
	struct log_limit l;
	uint64_t missed = UINT64_MAX;

	(void)state;
	log_limit_init(&l, 0);
	assert_int_equal(lines(&l, T0, EXTRA, &missed), 0);
	assert_int_equal(log_limit_flush(&l), EXTRA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_counted),
		cmocka_unit_test(test_next_window_reports),
		cmocka_unit_test(test_window_starts_at_first_line),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_zero_burst_shows_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
