// SPDX-License-Identifier: MIT
#include "kernel/cmdline.h"

#include <errno.h>
#include <string.h>

#define QUOTE '"'

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/*
 * Ends the word at @p in place: white space ends it unless inside double quotes, which are
 * removed. Returns the first byte after the word, or NULL for an unterminated quote.
 */
static char *end_word(char *p)
{
	char *w = p;
	bool quoted = false;

	for (; *p && (quoted || !is_space(*p)); p++) {
		if (*p == QUOTE)
			quoted = !quoted;
		else
			*w++ = *p;
	}
	if (quoted)
		return NULL;
	if (*p)
		p++;
	*w = '\0';
	return p;
}

int cmdline_parse(struct cmdline *c, const char *line)
{
	size_t len = strlen(line);
	char *p = c->text;

	c->nr_args = 0;
	if (len >= sizeof(c->text))
		return -E2BIG;
	memcpy(c->text, line, len + 1);
	while (*p) {
		char *eq, *key;

		while (is_space(*p))
			*p++ = '\0';
		if (!*p)
			break;
		if (c->nr_args == CMDLINE_MAX_ARGS) {
			c->nr_args = 0;
			return -E2BIG;
		}
		key = p;
		p = end_word(p);
		eq = strchr(key, '=');
		if (!p || eq == key || !*key) {
			c->nr_args = 0;
			return -EINVAL;
		}
		c->args[c->nr_args].key = key;
		if (eq) {
			*eq = '\0';
			c->args[c->nr_args].value = eq + 1;
		} else {
			c->args[c->nr_args].value = "";
		}
		c->nr_args++;
	}
	return (int)c->nr_args;
}

const char *cmdline_get(const struct cmdline *c, const char *key)
{
	for (unsigned int i = c->nr_args; i-- > 0;)
		if (!strcmp(c->args[i].key, key))
			return c->args[i].value;
	return NULL;
}

int cmdline_get_bool(const struct cmdline *c, const char *key, bool def, bool *out)
{
	static const char *const yes[] = { "", "1", "on", "yes" }, *const no[] = { "0", "off",
										   "no" };
	const char *v = cmdline_get(c, key);

	if (!v) {
		*out = def;
		return 0;
	}
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcmp(v, yes[i])) {
			*out = true;
			return 0;
		}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcmp(v, no[i])) {
			*out = false;
			return 0;
		}
	return -EINVAL;
}
