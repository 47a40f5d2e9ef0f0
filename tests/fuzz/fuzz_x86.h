/* SPDX-License-Identifier: MIT */
/*
 * The harnesses' oracle for x86 exceptions, written from the manuals rather than taken from the
 * code under test: the vectors that push an error code (Intel SDM vol. 3A 6.3.1 table 6-1 and
 * 6.15; AMD APM vol. 2 8.2 table 8-1): #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
 * #CP 21, #VC 29 and #SX 30 (the last two AMD's).
 */
#ifndef SKIFF_TESTS_FUZZ_FUZZ_X86_H
#define SKIFF_TESTS_FUZZ_FUZZ_X86_H

#include <stdbool.h>
#include <stdint.h>

#define X86_NR_EXCEPTIONS 32u /* vectors 0-31 are exceptions */
#define X86_EXC_DB	  1u
#define X86_EXC_NMI	  2u
#define X86_EXC_BP	  3u
#define X86_EXC_OF	  4u
#define X86_EXC_DF	  8u
#define X86_EXC_PF	  14u
#define X86_EXC_WITH_ERROR                                                                         \
	((1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14) | (1u << 17) | \
	 (1u << 21) | (1u << 29) | (1u << 30))

static inline bool x86_exc_has_error(unsigned int vector)
{
	return vector < X86_NR_EXCEPTIONS && (X86_EXC_WITH_ERROR >> vector) & 1;
}

#endif
