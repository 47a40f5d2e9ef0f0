/* SPDX-License-Identifier: MIT */
/*
 * skiff's command line: white-space separated "key=value" words and bare "key" flags. Double
 * quotes keep white space inside a word and are removed: vm.cmdline="console=ttyS0 quiet".
 */
#ifndef SKIFF_KERNEL_CMDLINE_H
#define SKIFF_KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX_ARGS 32
#define CMDLINE_TEXT_MAX 1024

struct cmdline_arg {
	const char *key;
	const char *value; /* "" for a bare flag */
};

struct cmdline {
	char text[CMDLINE_TEXT_MAX];
	unsigned int nr_args;
	struct cmdline_arg args[CMDLINE_MAX_ARGS];
};

/*
 * cmdline_parse - split @line into @c's arguments (a copy is kept in @c).
 * Returns the number of arguments, -E2BIG when @line is longer than CMDLINE_TEXT_MAX - 1 or
 * holds more than CMDLINE_MAX_ARGS words, -EINVAL for a word with an empty key ("=x", or only
 * a pair of quotes) or a double quote left open.
 * On error @c holds no arguments.
 */
int cmdline_parse(struct cmdline *c, const char *line);

/* cmdline_get - the value of the last @key given, "" for a bare flag, NULL when absent. */
const char *cmdline_get(const struct cmdline *c, const char *key);

/* cmdline_get_bool - @key as a boolean: absent -> @def; "", "1", "on", "yes" -> true;
 * "0", "off", "no" -> false; anything else -> -EINVAL (and @out untouched). Returns 0 or -EINVAL. */
int cmdline_get_bool(const struct cmdline *c, const char *key, bool def, bool *out);

#endif
