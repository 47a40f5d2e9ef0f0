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

/* options_cmdline - the command line options_apply() was given (NULL before), for the parts of
 * skiff that read an option of their own (hostile=, guest.attack=). */
const struct cmdline *options_cmdline(void);

/*
 * options_value - for an option whose value is one word of a list (iommu, iommu.mode,
 * iommu.spr17, iommu.ro_policy, run), the index of its value in that list as options.c and the
 * README give it; @dflt when the option is absent or its value was rejected.
 */
int options_value(const struct cmdline *c, const char *key, int dflt);

#endif
