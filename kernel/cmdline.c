// SPDX-License-Identifier: MIT
#include "kernel/cmdline.h"

#include <errno.h>
#include <string.h>

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
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
		char *eq;

		while (is_space(*p))
			*p++ = '\0';
		if (!*p)
			break;
		if (c->nr_args == CMDLINE_MAX_ARGS) {
			c->nr_args = 0;
			return -E2BIG;
		}
		c->args[c->nr_args].key = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
		eq = strchr(c->args[c->nr_args].key, '=');
		if (eq == c->args[c->nr_args].key) {
			c->nr_args = 0;
			return -EINVAL;
		}
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
