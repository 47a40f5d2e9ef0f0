/* SPDX-License-Identifier: MIT */
/*
 * The load order of Linux kernel modules from the depends= field of each one's .modinfo
 * section: a comma-separated list of the module names it needs loaded first ("" for none), the
 * list depmod would otherwise turn into modules.dep. As in kmod, '-' and '_' in module names are
 * the same character ("crc-t10dif" is "crc_t10dif"). Pure: no allocation, no I/O.
 */
#ifndef SKIFF_TOOLS_MODORDER_H
#define SKIFF_TOOLS_MODORDER_H

#include <stddef.h>

#define MODORDER_MAX	 64u
#define MODORDER_WHY_LEN 160u

struct modorder_module {
	const char *name;    /* e.g. "nvme" */
	const char *depends; /* depends= as the module has it, e.g. "crc-t10dif,crc64-rocksoft" */
};

/*
 * modorder_sort - order the @n modules of @mods so that each comes after every module its
 * depends= names: each step takes the first module in @mods' order whose dependencies are all
 * taken, so an order that already satisfies depends= is kept as it is. Writes @n indices into
 * @mods to @order, first to load first.
 * Returns 0, or on failure a negative errno with a line naming the module at fault in @why
 * (MODORDER_WHY_LEN bytes): -E2BIG for more than MODORDER_MAX modules, -EINVAL for an empty
 * name or an empty entry in a depends= list, -EEXIST for a name given twice, -ENOENT for a
 * dependency that is none of @mods, -ELOOP for dependencies in a cycle.
 */
int modorder_sort(const struct modorder_module *mods, size_t n, size_t *order, char *why);

#endif
