/* SPDX-License-Identifier: MIT */
/* Self-checks of a running skiff, reported as PASS/FAIL lines (kernel/check.h). */
#ifndef SKIFF_KERNEL_SELFTEST_H
#define SKIFF_KERNEL_SELFTEST_H

#include "boot/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/platform/platform.h"

/* selftest_boot - the checks every boot runs: boot_info, frames, heap and libc, paging, time,
 * lwIP. */
void selftest_boot(const struct boot_info *bi);

/* selftest_run - run the self-tests named by "selftest=a,b" on platform @p; an unknown name is a
 * FAIL. */
void selftest_run(const struct cmdline *c, struct platform *p);

#endif
