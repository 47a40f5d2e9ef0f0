/* SPDX-License-Identifier: MIT */
/* Test doubles for kernel/console.h and kernel/time.h: a capture buffer and a settable clock. */
#ifndef SKIFF_TESTS_UNIT_FAKE_CONSOLE_H
#define SKIFF_TESTS_UNIT_FAKE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* fake_console_reset - forget everything written so far. */
void fake_console_reset(void);

/* fake_console_text - all text written since the last reset, NUL-terminated. */
const char *fake_console_text(void);

/* fake_console_writes - how many console_write() calls since the last reset. */
unsigned int fake_console_writes(void);

/* fake_time_set - the value time_ns() returns from now on. */
void fake_time_set(uint64_t ns);

#endif
