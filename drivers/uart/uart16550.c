// SPDX-License-Identifier: MIT
/* 16550 UART (National Semiconductor PC16550D data sheet; register offsets from the port base). */
#include "drivers/uart/uart16550.h"

#include <stdint.h>

#include "kernel/arch/x86/x86.h"

enum {
	UART_THR = 0, /* transmit holding (DLAB=0) */
	UART_DLL = 0, /* divisor latch low (DLAB=1) */
	UART_IER = 1, /* interrupt enable (DLAB=0) */
	UART_DLM = 1, /* divisor latch high (DLAB=1) */
	UART_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
};

#define UART_CLOCK_HZ	 1843200u
#define UART_BAUD	 115200u
#define UART_DIVISOR	 (UART_CLOCK_HZ / 16u / UART_BAUD)
#define LCR_8N1		 0x03u
#define LCR_DLAB	 0x80u
#define FCR_ENABLE_CLEAR 0x07u /* FIFO enable, clear RX and TX FIFOs */
#define MCR_DTR_RTS	 0x03u
#define LSR_THRE	 0x20u
#define THRE_SPIN_LIMIT	 100000u /* a missing UART must not hang the console */

static uint16_t uart_port;

void uart_init(unsigned int port)
{
	uart_port = (uint16_t)port;
	outb(uart_port + UART_IER, 0);
	outb(uart_port + UART_LCR, LCR_DLAB);
	outb(uart_port + UART_DLL, UART_DIVISOR & 0xff);
	outb(uart_port + UART_DLM, UART_DIVISOR >> 8);
	outb(uart_port + UART_LCR, LCR_8N1);
	outb(uart_port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(uart_port + UART_MCR, MCR_DTR_RTS);
}

static void uart_putc(char c)
{
	for (unsigned int i = 0; i < THRE_SPIN_LIMIT; i++)
		if (inb(uart_port + UART_LSR) & LSR_THRE)
			break;
	outb(uart_port + UART_THR, (uint8_t)c);
}

void uart_write(const char *s, size_t n)
{
	if (!uart_port)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}
