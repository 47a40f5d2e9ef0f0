/* SPDX-License-Identifier: MIT */
/* Self-check verdict lines: "PASS <name>" or "FAIL <name>: <why>", one per check. */
#ifndef SKIFF_KERNEL_CHECK_H
#define SKIFF_KERNEL_CHECK_H

#include <stdbool.h>

/*
 * check - print "PASS @name" when @ok, else "FAIL @name: <why>" with @why_fmt formatted.
 * Returns @ok. Every failure is counted for the run's final verdict.
 */
bool check(bool ok, const char *name, const char *why_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * check_skip - print "SKIP @name: <why>" for a check this platform cannot run (e.g. the CPU lacks
 * the feature it needs); neither a pass nor a failure.
 */
void check_skip(const char *name, const char *why_fmt, ...) __attribute__((format(printf, 2, 3)));

/* check_failures - number of failed checks so far in this run. */
unsigned int check_failures(void);

#endif
