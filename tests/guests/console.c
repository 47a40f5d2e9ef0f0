// SPDX-License-Identifier: MIT
/* The test guest's console: one OUT per byte to HC_CONSOLE_PORT (vmm/hypercall.h). */
#include "tests/guests/guest.h"
#include "vmm/hypercall.h"

#define HEX_DIGITS  16
#define NIBBLE_BITS 4
#define NIBBLE_MASK 0xfu

void put(const char *s)
{
	while (*s)
		out8(HC_CONSOLE_PORT, (uint8_t)*s++);
}

void put_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[HEX_DIGITS + 3] = "0x";

	for (int i = 0; i < HEX_DIGITS; i++)
		buf[2 + i] = digits[(v >> (NIBBLE_BITS * (HEX_DIGITS - 1 - i))) & NIBBLE_MASK];
	buf[HEX_DIGITS + 2] = 0;
	put(buf);
}
