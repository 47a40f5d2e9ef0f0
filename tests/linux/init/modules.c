// SPDX-License-Identifier: MIT
/* The modules check: load the image's modules in their order with finit_module(2). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tests/linux/init/check.h"
#include "tests/linux/init/report.h"
#include "tests/linux/init/run.h"

/* Load the module file @path; 0, or a negative errno (a module already there counts as loaded). */
static int load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
		err = -errno;
	close(fd);
	return err;
}

unsigned int check_modules(const struct cmdline *cmdline, char *detail)
{
	char line[256], path[512];
	struct utsname uts;
	unsigned int loaded = 0;
	uint64_t start;
	FILE *order;
	int err;

	(void)cmdline;
	if (uname(&uts))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "uname: %s", strerror(errno));
	order = fopen(MODULES_ORDER_FILE, "r");
	if (!order)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s: %s", MODULES_ORDER_FILE,
				 strerror(errno));
	while (fgets(line, sizeof(line), order)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0')
			continue;
		snprintf(path, sizeof(path), MODULES_DIR "/%s/%s", uts.release, line);
		start = now_ms();
		err = load(path);
		if (err) {
			fclose(order);
			return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s: %s", line, strerror(-err));
		}
		report_say("loaded %s (%llu ms)", line, (unsigned long long)(now_ms() - start));
		loaded++;
	}
	fclose(order);
	if (loaded == 0)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s names no module",
				 MODULES_ORDER_FILE);
	return CHECK_SAY(detail, GUEST_STATUS_PASS, "%u modules for %s", loaded, uts.release);
}
