/* SPDX-License-Identifier: MIT */
/*
 * The guest program's checks. Each runs once and returns a GUEST_STATUS_* code with one line
 * saying what it found (a file, a size, a digest, or what failed and why) in @detail,
 * CHECK_DETAIL_LEN bytes, for the console. @cmdline holds the kernel command line's words, NULL
 * when it could not be read: a check that takes its expected values from it then fails.
 */
#ifndef SKIFF_LINUX_INIT_CHECK_H
#define SKIFF_LINUX_INIT_CHECK_H

#include <stdio.h>

#include "kernel/cmdline.h"
#include "vmm/vplat/guest_report_abi.h"

#define CHECK_DETAIL_LEN 512

/* Write the line (printf-style) into @detail and evaluate to @status. */
#define CHECK_SAY(detail, status, ...) (snprintf((detail), CHECK_DETAIL_LEN, __VA_ARGS__), (status))

/*
 * check_param - the value of @key on @cmdline for a check that needs it. NULL when the check
 * cannot run, its status in *@status and why in @detail: FAIL when there is no @cmdline, SKIP
 * when @key is absent (check.c).
 */
const char *check_param(const struct cmdline *cmdline, const char *key, char *detail,
			unsigned int *status);

/*
 * The image's module load order (scripts/mk-initramfs.sh writes it): one module a line, its path
 * under /lib/modules/RELEASE/ (RELEASE: uname -r), first to load first.
 */
#define MODULES_ORDER_FILE "/etc/modules.order"
#define MODULES_DIR	   "/lib/modules"

/* check_modules - load every module of MODULES_ORDER_FILE, in order (modules.c). */
unsigned int check_modules(const struct cmdline *cmdline, char *detail);

/* check_disk_read - the NVMe namespace's SHA-256 against skiff.disk_sha (disk.c). */
unsigned int check_disk_read(const struct cmdline *cmdline, char *detail);

/* check_disk_write - write the pattern to skiff.disk_write's region, sync, read back (disk.c). */
unsigned int check_disk_write(const struct cmdline *cmdline, char *detail);

/* check_tftp - bring up eth0, fetch skiff.tftp's file, compare its SHA-256 (net.c). */
unsigned int check_tftp(const struct cmdline *cmdline, char *detail);

#endif
