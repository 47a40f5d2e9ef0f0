// SPDX-License-Identifier: MIT
/* console_write() appends to a buffer, time_ns() returns whatever the test set. */
#include "tests/unit/fake_console.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/console.h"
#include "kernel/time.h"

static char captured[64 * 1024];
static size_t captured_len;
static unsigned int writes;
static uint64_t now_ns;

void console_write(const char *s, size_t n)
{
	assert_true(n < sizeof(captured) - captured_len);
	memcpy(captured + captured_len, s, n);
	captured_len += n;
	captured[captured_len] = '\0';
	writes++;
}

uint64_t time_ns(void)
{
	return now_ns;
}

void fake_console_reset(void)
{
	captured_len = 0;
	captured[0] = '\0';
	writes = 0;
}

const char *fake_console_text(void)
{
	return captured;
}

unsigned int fake_console_writes(void)
{
	return writes;
}

void fake_time_set(uint64_t ns)
{
	now_ns = ns;
}
