/* SPDX-License-Identifier: MIT */
/* skiff's command line from UEFI load options or from \skiff.cfg (pure, host-tested). */
#ifndef SKIFF_BOOT_LOADOPT_H
#define SKIFF_BOOT_LOADOPT_H

#include <stddef.h>
#include <stdint.h>

/*
 * loadopt_to_cmdline - turn EFI_LOADED_IMAGE_PROTOCOL.LoadOptions into a command line.
 * @opt, @bytes: the UCS-2 load options and their size in bytes (need not be NUL-terminated).
 * @out, @size:  destination; always NUL-terminated when @size > 0.
 * The UEFI shell passes the program's own name first: a first word ending in ".efi" (any case)
 * is dropped. Load options that are not text (an odd byte count, control characters other than
 * white space: a boot entry's binary optional data) give an empty line.
 * Returns the length written, or -E2BIG when the line does not fit (@out then holds nothing).
 */
int loadopt_to_cmdline(const uint16_t *opt, size_t bytes, char *out, size_t size);

/*
 * config_to_cmdline - turn the text of \skiff.cfg into a command line.
 * @text, @len: the file's bytes (ASCII). Lines starting with '#' are comments; the remaining
 *              lines are joined with single spaces; runs of white space collapse to one space.
 * Returns the length written, -EINVAL when the file holds non-ASCII or control bytes,
 * -E2BIG when the line does not fit.
 */
int config_to_cmdline(const char *text, size_t len, char *out, size_t size);

#endif
