// SPDX-License-Identifier: MIT
#include "kernel/check.h"

#include <stdarg.h>
#include <stdio.h>

#include "kernel/console.h"

#define CHECK_LINE_MAX 512

static unsigned int failures;

/* "@verdict @name: <why>\n" into @line (CHECK_LINE_MAX bytes), cut to fit; returns its length. */
static size_t format_why(char *line, const char *verdict, const char *name, const char *why_fmt,
			 va_list ap)
{
	int k = snprintf(line, CHECK_LINE_MAX, "%s %s: ", verdict, name);
	int n = k + vsnprintf(line + k, CHECK_LINE_MAX - (size_t)k - 1, why_fmt, ap);

	if (n > CHECK_LINE_MAX - 2)
		n = CHECK_LINE_MAX - 2;
	line[n++] = '\n';
	line[n] = '\0';
	return (size_t)n;
}

bool check(bool ok, const char *name, const char *why_fmt, ...)
{
	char line[CHECK_LINE_MAX];
	size_t n;

	if (ok) {
		int k = snprintf(line, sizeof(line), "PASS %s\n", name);

		n = (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1;
	} else {
		va_list ap;

		va_start(ap, why_fmt);
		n = format_why(line, "FAIL", name, why_fmt, ap);
		va_end(ap);
		failures++;
	}
	console_write(line, n);
	return ok;
}

void check_skip(const char *name, const char *why_fmt, ...)
{
	char line[CHECK_LINE_MAX];
	va_list ap;
	size_t n;

	va_start(ap, why_fmt);
	n = format_why(line, "SKIP", name, why_fmt, ap);
	va_end(ap);
	console_write(line, n);
}

unsigned int check_failures(void)
{
	return failures;
}
