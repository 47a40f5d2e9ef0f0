// SPDX-License-Identifier: MIT
/*
 * skiff-modorder: print kernel modules in load order, one name a line, from their depends=
 * fields (tools/modorder.h). The initramfs build (scripts/mk-initramfs.sh) calls it with what it
 * read from each module's .modinfo section.
 *
 *   skiff-modorder NAME=DEPENDS...    e.g. nvme=nvme-core nvme-core=t10-pi t10-pi=crc64 crc64=
 *
 * Exit status 0, or 1 with one line on stderr naming the module at fault.
 */
#include <stdio.h>
#include <string.h>

#include "tools/modorder.h"

int main(int argc, char **argv)
{
	struct modorder_module mods[MODORDER_MAX] = { { 0 } };
	size_t order[MODORDER_MAX];
	char why[MODORDER_WHY_LEN];
	size_t n = (size_t)argc - 1, i;

	if (argc < 2 || n > MODORDER_MAX) {
		fprintf(stderr, "usage: %s NAME=DEPENDS... (at most %u)\n", argv[0], MODORDER_MAX);
		return 1;
	}
	for (i = 0; i < n; i++) {
		char *eq = strchr(argv[i + 1], '=');

		if (!eq) {
			fprintf(stderr, "%s: '%s' is not NAME=DEPENDS\n", argv[0], argv[i + 1]);
			return 1;
		}
		*eq = '\0';
		mods[i] = (struct modorder_module){ .name = argv[i + 1], .depends = eq + 1 };
	}
	if (modorder_sort(mods, n, order, why)) {
		fprintf(stderr, "%s: %s\n", argv[0], why);
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%s\n", mods[order[i]].name);
	return 0;
}
