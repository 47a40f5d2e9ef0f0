/* SPDX-License-Identifier: MIT */
/* 16550 UART on an I/O port: skiff's console (COM1). */
#ifndef SKIFF_DRIVERS_UART16550_H
#define SKIFF_DRIVERS_UART16550_H

#include <stddef.h>

#define UART_COM1 0x3f8

/* uart_init - program @port for 115200 baud, 8N1, FIFOs on, interrupts off. */
void uart_init(unsigned int port);

/* uart_write - write @n bytes; "\n" goes out as "\r\n". Bounded wait per byte. */
void uart_write(const char *s, size_t n);

#endif
