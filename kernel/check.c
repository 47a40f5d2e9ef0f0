// SPDX-License-Identifier: MIT
#include "kernel/check.h"

#include <stdarg.h>
#include <stdio.h>

#include "kernel/console.h"

#define CHECK_LINE_MAX 512

static unsigned int failures;

bool check(bool ok, const char *name, const char *why_fmt, ...)
{
	char line[CHECK_LINE_MAX];
	int n;

	if (ok) {
		n = snprintf(line, sizeof(line), "PASS %s\n", name);
	} else {
		va_list ap;
		int k = snprintf(line, sizeof(line), "FAIL %s: ", name);

		va_start(ap, why_fmt);
		n = k + vsnprintf(line + k, sizeof(line) - (size_t)k - 1, why_fmt, ap);
		va_end(ap);
		if (n > (int)sizeof(line) - 2)
			n = (int)sizeof(line) - 2;
		line[n++] = '\n';
		line[n] = '\0';
		failures++;
	}
	console_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	return ok;
}

void check_skip(const char *name, const char *why_fmt, ...)
{
	char line[CHECK_LINE_MAX];
	va_list ap;
	int k = snprintf(line, sizeof(line), "SKIP %s: ", name), n;

	va_start(ap, why_fmt);
	n = k + vsnprintf(line + k, sizeof(line) - (size_t)k - 1, why_fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	line[n] = '\0';
	console_write(line, (size_t)n);
}

unsigned int check_failures(void)
{
	return failures;
}
