/* SPDX-License-Identifier: MIT */
/* Where skiff's text goes: the COM1 UART now, a network log stream later. */
#ifndef SKIFF_KERNEL_CONSOLE_H
#define SKIFF_KERNEL_CONSOLE_H

#include <stddef.h>

/* console_init - bring up the console devices. */
void console_init(void);

/* console_write - write @n bytes of text to every console device. */
void console_write(const char *s, size_t n);

#endif
