// SPDX-License-Identifier: MIT
/* Console log: "[seconds.micros] tag: text" lines. */
#include "kernel/log.h"

#include <stdio.h>

#include "kernel/console.h"
#include "kernel/time.h"

#define LOG_LINE_MAX 512
#define NS_PER_US    1000ull
#define US_PER_S     1000000ull

static enum log_level log_threshold = LOG_INFO;

static const char *const log_tags[] = {
	[LOG_ERROR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

size_t log_format(char *buf, size_t size, enum log_level level, uint64_t ns, const char *fmt,
		  va_list ap)
{
	uint64_t us = ns / NS_PER_US;
	const char *tag = (unsigned int)level <= LOG_DEBUG ? log_tags[level] : "?: ";
	int n;
	size_t len;

	if (size < 2) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	n = snprintf(buf, size, "[%5llu.%06llu] %s", (unsigned long long)(us / US_PER_S),
		     (unsigned long long)(us % US_PER_S), tag);
	len = n < 0 ? 0 : ((size_t)n < size ? (size_t)n : size - 1);
	if (len < size - 1) {
		n = vsnprintf(buf + len, size - len, fmt, ap);
		if (n > 0)
			len += (size_t)n < size - len ? (size_t)n : size - len - 1;
	}
	/* Exactly one newline at the end, even when the text was cut short. */
	if (len > 0 && buf[len - 1] == '\n')
		return len;
	if (len == size - 1)
		len--;
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	size_t n;

	if (level > log_threshold)
		return;
	va_start(ap, fmt);
	n = log_format(line, sizeof(line), level, time_ns(), fmt, ap);
	va_end(ap);
	console_write(line, n);
}

void log_set_level(enum log_level level)
{
	log_threshold = level;
}
