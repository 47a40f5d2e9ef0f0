/* SPDX-License-Identifier: MIT */
/* Console log with levels and a TSC timestamp. */
#ifndef SKIFF_KERNEL_LOG_H
#define SKIFF_KERNEL_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

/*
 * log_format - format one log line into @buf.
 * @buf, @size: destination and its size in bytes; the result is always NUL-terminated when
 *              @size > 0 and ends in '\n' (truncated text keeps the newline).
 * @level:      severity; LOG_ERROR and LOG_WARN lines carry an "error: " / "warning: " tag.
 * @ns:         timestamp in nanoseconds since boot, printed as seconds with 6 decimals.
 * Returns the length of the line written (excluding the NUL), at most @size - 1.
 */
size_t log_format(char *buf, size_t size, enum log_level level, uint64_t ns, const char *fmt,
		  va_list ap);

/* log_msg - format and write one line to the console if @level is enabled. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* log_set_level - show lines of @level and more severe ones (default LOG_INFO). */
void log_set_level(enum log_level level);

#define log_err(...)   log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
