/* SPDX-License-Identifier: MIT */
/* The command-line options skiff knows, applied once at boot. */
#ifndef SKIFF_KERNEL_OPTIONS_H
#define SKIFF_KERNEL_OPTIONS_H

#include "kernel/cmdline.h"

/*
 * options_apply - act on loglevel= and exit=, and log one warning for every word that is not
 * a known option or has a value the option does not accept (nothing is silently ignored).
 * Returns the number of words rejected.
 */
int options_apply(const struct cmdline *c);

#endif
