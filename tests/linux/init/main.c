// SPDX-License-Identifier: MIT
/*
 * skiff's Linux guest program: the initramfs's /init (PID 1). It mounts proc, sysfs and
 * devtmpfs, reports its start, loads the image's modules, runs the checks whose expected values
 * the kernel command line gives (params.h), reports each result and the verdict to skiff's guest
 * report port and the console (report.h), and powers the machine off.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/bits.h"
#include "tests/linux/init/check.h"
#include "tests/linux/init/report.h"
#include "tests/linux/init/run.h"

struct check {
	unsigned int id;
	unsigned int (*run)(const struct cmdline *cmdline, char *detail);
};

/* In this order: the modules make the devices the later checks use. */
static const struct check checks[] = {
	{ GUEST_CHECK_MODULES, check_modules },
	{ GUEST_CHECK_DISK_READ, check_disk_read },
	{ GUEST_CHECK_DISK_WRITE, check_disk_write },
	{ GUEST_CHECK_TFTP, check_tftp },
};

static const struct {
	const char *type, *dir;
} mounts[] = {
	{ "proc", "/proc" },
	{ "sysfs", "/sys" },
	{ "devtmpfs", "/dev" },
};

static void mount_all(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mounts); i++) {
		mkdir(mounts[i].dir, 0755);
		if (mount(mounts[i].type, mounts[i].dir, mounts[i].type, 0, NULL) && errno != EBUSY)
			report_say("mount %s on %s: %s", mounts[i].type, mounts[i].dir,
				   strerror(errno));
	}
}

/* The kernel command line's words into @c; NULL when it cannot be read or parsed. */
static const struct cmdline *read_cmdline(struct cmdline *c)
{
	char text[CMDLINE_TEXT_MAX];
	FILE *f = fopen("/proc/cmdline", "r");
	int n;

	if (!f)
		n = -errno;
	else if (!fgets(text, sizeof(text), f))
		n = -EIO;
	else
		n = cmdline_parse(c, text);
	if (f)
		fclose(f);
	if (n < 0) {
		report_say("/proc/cmdline: %s", strerror(-n));
		return NULL;
	}
	return c;
}

int main(void)
{
	static struct cmdline cmdline_words;
	const struct cmdline *cmdline;
	char detail[CHECK_DETAIL_LEN];
	uint64_t ms = now_ms();
	size_t i;

	report_say("init at uptime %llu.%03llu s", (unsigned long long)(ms / 1000),
		   (unsigned long long)(ms % 1000));
	mount_all();
	report_start(ARRAY_SIZE(checks));
	cmdline = read_cmdline(&cmdline_words);
	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		unsigned int status = checks[i].run(cmdline, detail);

		report_result(checks[i].id, status, detail);
	}
	report_verdict();
	ms = now_ms();
	report_say("power off at uptime %llu.%03llu s", (unsigned long long)(ms / 1000),
		   (unsigned long long)(ms % 1000));
	sync();
	reboot(RB_POWER_OFF);
	report_say("power off: %s", strerror(errno));
	for (;;)
		pause();
}
