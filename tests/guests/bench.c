// SPDX-License-Identifier: MIT
/*
 * The exit round-trip benchmark (vmm/vm_bench.h): three loops of the length skiff gives on
 * TEST_GUEST_BENCH_PORT, timed with RDTSC - without exits, with a CPUID exit per iteration
 * through skiff's full dispatch, and the same on skiff's minimal resume path - each loop's TSC
 * cycles handed to skiff in RBX with an OUT of its code. Nothing is judged here.
 */
#include "tests/guests/guest.h"
#include "vmm/hypercall.h"
#include "vmm/test_guest_abi.h"

#define TSC_HIGH_SHIFT 32

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << TSC_HIGH_SHIFT) | lo;
}

static void hand_over(uint8_t code, uint64_t cycles)
{
	__asm__ volatile("outb %%al, %%dx"
			 :
			 : "a"(code), "d"((uint16_t)TEST_GUEST_BENCH_PORT), "b"(cycles)
			 : "memory");
}

/* @n iterations of: EAX = skiff's leaf, ECX = 0, CPUID (when @exits), count down. */
static uint64_t loop(uint64_t n, bool exits)
{
	uint64_t start = tsc();

	if (exits)
		__asm__ volatile("1: movl %[leaf], %%eax\n\t"
				 "xorl %%ecx, %%ecx\n\t"
				 "cpuid\n\t"
				 "decq %[n]\n\t"
				 "jnz 1b"
				 : [n] "+r"(n)
				 : [leaf] "i"(HC_CPUID_LEAF)
				 : "rax", "rbx", "rcx", "rdx", "cc", "memory");
	else
		__asm__ volatile("1: movl %[leaf], %%eax\n\t"
				 "xorl %%ecx, %%ecx\n\t"
				 "decq %[n]\n\t"
				 "jnz 1b"
				 : [n] "+r"(n)
				 : [leaf] "i"(HC_CPUID_LEAF)
				 : "rax", "rcx", "cc", "memory");
	return tsc() - start;
}

void run_bench(void)
{
	uint32_t n = in32(TEST_GUEST_BENCH_PORT);

	if (!n)
		return;
	put("bench: ");
	put_hex(n);
	put(" iterations\n");
	hand_over(TEST_GUEST_BENCH_BARE, loop(n, false));
	hand_over(TEST_GUEST_BENCH_FULL, loop(n, true));
	hand_over(TEST_GUEST_BENCH_MIN_START, 0);
	hand_over(TEST_GUEST_BENCH_MIN, loop(n, true));
}
