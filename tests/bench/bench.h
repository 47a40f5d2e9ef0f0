/* SPDX-License-Identifier: MIT */
/* What every host benchmark (tests/bench/bench_*.c) needs: a checked result, a clock, a median. */
#ifndef SKIFF_TESTS_BENCH_BENCH_H
#define SKIFF_TESTS_BENCH_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* A result every benchmark checks: a failed one ends the program with status 1 (timings are
 * never checked). */
#define CHECK(cond)                                                                             \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "bench: %s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                         \
			exit(1);                                                                \
		}                                                                               \
	} while (0)

/* bench_now_ns - CLOCK_MONOTONIC in nanoseconds. */
static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* bench_median - the median of the @n (> 0) samples @v, which it sorts: @v[0] is then the best. */
static inline double bench_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
