/* SPDX-License-Identifier: MIT */
/*
 * The harnesses' view of a libFuzzer input: fixed-width little-endian fields taken in order,
 * zeros once the input runs out (so every input, however short, is a complete case), and the
 * bytes not taken yet.
 */
#ifndef SKIFF_TESTS_FUZZ_FUZZ_INPUT_H
#define SKIFF_TESTS_FUZZ_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *p;
	size_t n; /* bytes left */
};

/* The next @bytes (1..8) bytes as a little-endian number; missing bytes read as 0. */
static inline uint64_t fuzz_take(struct fuzz_input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		if (in->n) {
			v |= (uint64_t)*in->p++ << (8 * i);
			in->n--;
		}
	return v;
}

#endif
