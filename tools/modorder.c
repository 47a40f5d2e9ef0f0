// SPDX-License-Identifier: MIT
/* The load order of kernel modules from their depends= lists: a stable topological sort. */
#include "tools/modorder.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Module names compare with '-' and '_' as one character. */
static char fold(char c)
{
	return c == '-' ? '_' : c;
}

/* Whether the @len bytes at @a name the module @b. */
static bool same_name(const char *a, size_t len, const char *b)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] == '\0' || fold(a[i]) != fold(b[i]))
			return false;
	return b[len] == '\0';
}

/* The index of the module named by the @len bytes at @name, or @n when none is. */
static size_t find(const struct modorder_module *mods, size_t n, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_name(name, len, mods[i].name))
			break;
	return i;
}

/* A walk over the entries of a depends= list: "" has none, "a,,b" has an empty second one. */
struct depends_iter {
	const char *p;
	bool end;
};

static struct depends_iter depends_begin(const char *depends)
{
	return (struct depends_iter){ .p = depends, .end = depends[0] == '\0' };
}

/* The next entry: @len bytes at *@entry. Returns false after the last one. */
static bool depends_next(struct depends_iter *it, const char **entry, size_t *len)
{
	if (it->end)
		return false;
	*entry = it->p;
	*len = strcspn(it->p, ",");
	it->p += *len;
	if (*it->p == ',')
		it->p++;
	else
		it->end = true;
	return true;
}

/* Whether every dependency of module @i is @placed. */
static bool depends_placed(const struct modorder_module *mods, size_t n, size_t i,
			   const bool *placed)
{
	struct depends_iter it = depends_begin(mods[i].depends);
	const char *entry;
	size_t len;

	while (depends_next(&it, &entry, &len))
		if (!placed[find(mods, n, entry, len)])
			return false;
	return true;
}

/* 0 when every depends= entry of module @i names one of @mods, else a negative errno and @why. */
static int check_depends(const struct modorder_module *mods, size_t n, size_t i, char *why)
{
	struct depends_iter it = depends_begin(mods[i].depends);
	const char *entry;
	size_t len;

	while (depends_next(&it, &entry, &len)) {
		if (len == 0) {
			snprintf(why, MODORDER_WHY_LEN, "%s: an empty entry in depends=%s",
				 mods[i].name, mods[i].depends);
			return -EINVAL;
		}
		if (find(mods, n, entry, len) == n) {
			snprintf(why, MODORDER_WHY_LEN,
				 "%s needs %.*s, which is not among the modules", mods[i].name,
				 (int)len, entry);
			return -ENOENT;
		}
	}
	return 0;
}

static int check_modules(const struct modorder_module *mods, size_t n, char *why)
{
	size_t i;
	int err;

	if (n > MODORDER_MAX) {
		snprintf(why, MODORDER_WHY_LEN, "%zu modules, at most %u", n, MODORDER_MAX);
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		if (mods[i].name[0] == '\0') {
			snprintf(why, MODORDER_WHY_LEN, "module %zu has an empty name", i);
			return -EINVAL;
		}
		if (find(mods, i, mods[i].name, strlen(mods[i].name)) != i) {
			snprintf(why, MODORDER_WHY_LEN, "%s is given twice", mods[i].name);
			return -EEXIST;
		}
	}
	for (i = 0; i < n; i++) {
		err = check_depends(mods, n, i, why);
		if (err)
			return err;
	}
	return 0;
}

int modorder_sort(const struct modorder_module *mods, size_t n, size_t *order, char *why)
{
	bool placed[MODORDER_MAX] = { false };
	size_t done, i;
	int err = check_modules(mods, n, why);

	if (err)
		return err;
	/* Each round places the first module, in @mods' order, whose dependencies are placed. */
	for (done = 0; done < n; done++) {
		for (i = 0; i < n; i++)
			if (!placed[i] && depends_placed(mods, n, i, placed))
				break;
		if (i == n) {
			for (i = 0; placed[i]; i++)
				;
			snprintf(why, MODORDER_WHY_LEN,
				 "%s is in a cycle of dependencies (or needs one)", mods[i].name);
			return -ELOOP;
		}
		placed[i] = true;
		order[done] = i;
	}
	return 0;
}
