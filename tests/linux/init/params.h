/* SPDX-License-Identifier: MIT */
/*
 * The guest program's parameters, words of the kernel command line (/proc/cmdline) that the
 * harness writes (the kernel hands words with a '.' to no one but /proc/cmdline):
 *   skiff.disk_sha=HEX            SHA-256 (64 hex digits) of the whole NVMe namespace
 *   skiff.disk_write=OFFSET+LEN   the byte region the pattern (pattern.h) is written to;
 *                                 each a decimal or 0x-prefixed hexadecimal number
 *   skiff.tftp=FILE:HEX           a file on the TFTP server and its SHA-256
 * A check whose word is absent is skipped. Pure: no allocation, no I/O.
 */
#ifndef SKIFF_LINUX_INIT_PARAMS_H
#define SKIFF_LINUX_INIT_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define PARAM_DISK_SHA	 "skiff.disk_sha"
#define PARAM_DISK_WRITE "skiff.disk_write"
#define PARAM_TFTP	 "skiff.tftp"

#define SHA256_HEX_LEN	    64u		  /* digits, without the NUL */
#define PARAMS_FILE_MAX	    128u	  /* bytes of a TFTP file name, with the NUL */
#define PARAMS_REGION_MAX   (64ull << 20) /* the largest region written: the guest holds it */
#define PARAMS_REGION_ALIGN 16u		  /* offset and length: whole pattern records */
#define PARAMS_REGION_END   (1ull << 36)  /* the pattern's offsets have 9 hex digits */

/*
 * params_sha256 - @text as a SHA-256 digest: exactly SHA256_HEX_LEN hex digits, either case.
 * Writes them lower-case with a NUL to @hex (SHA256_HEX_LEN + 1 bytes). Returns 0 or -EINVAL.
 */
int params_sha256(const char *text, char *hex);

/*
 * params_region - @text as "OFFSET+LEN" into @offset and @len (bytes). Returns 0; -EINVAL when
 * it is not two numbers joined by '+', or either is not a multiple of PARAMS_REGION_ALIGN or
 * @len is 0; -ERANGE when @len exceeds PARAMS_REGION_MAX or the region ends past
 * PARAMS_REGION_END.
 */
int params_region(const char *text, uint64_t *offset, uint64_t *len);

/*
 * params_tftp - @text as "FILE:HEX" (split at the last ':') into @file (PARAMS_FILE_MAX bytes,
 * NUL-terminated) and @hex (as params_sha256()). Returns 0; -EINVAL for no ':', an empty FILE
 * or a bad digest; -E2BIG for a FILE of PARAMS_FILE_MAX bytes or more.
 */
int params_tftp(const char *text, char *file, char *hex);

#endif
