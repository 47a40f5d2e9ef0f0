/* SPDX-License-Identifier: MIT */
/*
 * Assertions on memory several host tests make: words equal to golden vectors, bytes left zero
 * (what a failed encoder must leave). Header only (static inline); cmocka's assert_* underneath.
 */
#ifndef SKIFF_TESTS_UNIT_TEST_ASSERTS_H
#define SKIFF_TESTS_UNIT_TEST_ASSERTS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* assert_words - the @n 64-bit words at @got are those at @want. */
static inline void assert_words(const uint64_t *got, const uint64_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

/* assert_all_zero - the @size bytes at @p are all 0. */
static inline void assert_all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < size; i++)
		assert_int_equal(b[i], 0);
}

#endif
