// SPDX-License-Identifier: MIT
/* What the guest program's checks share (check.h). */
#include "tests/linux/init/check.h"

const char *check_param(const struct cmdline *cmdline, const char *key, char *detail,
			unsigned int *status)
{
	const char *value;

	if (!cmdline) {
		*status = CHECK_SAY(detail, GUEST_STATUS_FAIL, "the kernel command line is unread");
		return NULL;
	}
	value = cmdline_get(cmdline, key);
	if (!value)
		*status = CHECK_SAY(detail, GUEST_STATUS_SKIP, "no %s= on the command line", key);
	return value;
}
