// SPDX-License-Identifier: MIT
#include "kernel/console.h"

#include "drivers/uart/uart16550.h"

void console_init(void)
{
	uart_init(UART_COM1);
}

void console_write(const char *s, size_t n)
{
	uart_write(s, n);
}
