/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_KERNEL_PANIC_H
#define SKIFF_KERNEL_PANIC_H

/* panic - log "panic: <message>" and end the run with a FAIL verdict. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
