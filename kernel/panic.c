// SPDX-License-Identifier: MIT
#include "kernel/panic.h"

#include <stdarg.h>
#include <stdio.h>

#include "kernel/exit.h"
#include "kernel/log.h"

#define PANIC_TEXT_MAX 256

void panic(const char *fmt, ...)
{
	char text[PANIC_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_err("panic: %s", text);
	skiff_exit(VERDICT_FAIL);
}
