/* SPDX-License-Identifier: MIT */
/*
 * Refusals of the Linux boot code (vmm/linux/): each function that refuses an image, a layout or
 * a memory map returns a negative errno and writes one line saying which field or range is at
 * fault, and why, into a caller's buffer of LINUX_WHY_LEN bytes, for the caller to log.
 */
#ifndef SKIFF_VMM_LINUX_WHY_H
#define SKIFF_VMM_LINUX_WHY_H

#include <stdio.h>

#define LINUX_WHY_LEN 160

/* Write the message (printf-style) into @why, LINUX_WHY_LEN bytes, and evaluate to @err. */
#define LINUX_REFUSE(why, err, ...) (snprintf((why), LINUX_WHY_LEN, __VA_ARGS__), (err))

#endif
