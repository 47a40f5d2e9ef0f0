/* SPDX-License-Identifier: MIT */
/* The guest program's use of busybox (the image's /bin/busybox) and of time. */
#ifndef SKIFF_LINUX_INIT_RUN_H
#define SKIFF_LINUX_INIT_RUN_H

#include <stddef.h>
#include <stdint.h>

#define BUSYBOX "/bin/busybox"

/*
 * run_busybox - run the busybox applet @argv[0] with @argv (NULL-terminated), its standard
 * output and error caught in @out (@out_len bytes, NUL-terminated, cut when longer), for at most
 * @timeout_ms milliseconds. Returns its exit status (0-255), -ETIMEDOUT when it ran too long (it
 * is killed), -ECHILD when a signal ended it, or another negative errno when it could not run.
 */
int run_busybox(const char *const argv[], char *out, size_t out_len, unsigned int timeout_ms);

/*
 * run_sha256 - the SHA-256 of the file @path (busybox sha256sum, at most @timeout_ms) as
 * SHA256_HEX_LEN lower-case hex digits and a NUL in @hex. Returns 0, -EIO when sha256sum failed
 * or printed no digest, or run_busybox()'s error.
 */
int run_sha256(const char *path, char *hex, unsigned int timeout_ms);

/* now_ms - milliseconds on CLOCK_BOOTTIME: since the kernel started. */
uint64_t now_ms(void);

/*
 * wait_for - poll until @ready(@arg) is true, every few milliseconds for at most @timeout_ms.
 * Returns 0 once it is, -ETIMEDOUT otherwise.
 */
int wait_for(int (*ready)(const char *arg), const char *arg, unsigned int timeout_ms);

#endif
