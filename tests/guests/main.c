// SPDX-License-Identifier: MIT
/*
 * The test guest's checks, in 64-bit mode (entry.S gets it there): it greets through the
 * console port, asks CPUID for skiff's signature and for the base leaf, reads and writes a
 * guest-physical address outside its RAM (skiff answers: reads as all ones, writes dropped),
 * drives the passthrough edu device when skiff gives it one (edu.c), and reports a verdict with
 * the HC_EXIT hypercall (vmm/hypercall.h, tests/guests/test_guest.h).
 */
#include <stdint.h>

#include "tests/guests/guest.h"
#include "tests/guests/test_guest.h"
#include "vmm/hypercall.h"

#define PROBE_WRITE_VALUE 0x12345678u

void guest_main(void);

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static __attribute__((noreturn)) void hc_exit(uint64_t verdict)
{
	__asm__ volatile("vmmcall" : : "a"((uint64_t)HC_EXIT), "b"(verdict) : "memory");
	for (;;)
		__asm__ volatile("hlt");
}

static uint32_t check_cpuid(void)
{
	uint32_t r[4], fail = 0;

	cpuid(HC_CPUID_LEAF, r);
	if (r[1] != HC_CPUID_SIG_B || r[2] != HC_CPUID_SIG_C || r[3] != HC_CPUID_SIG_D)
		fail |= TEST_GUEST_FAIL_CPUID_SIG;
	put(fail ? "cpuid: no skiff signature at leaf 0x40000000\n" :
		   "cpuid: skiff signature at leaf 0x40000000\n");
	cpuid(0, r);
	if (r[0] < 1)
		fail |= TEST_GUEST_FAIL_CPUID_BASE;
	put("cpuid: leaf 0 max leaf ");
	put_hex(r[0]);
	put("\n");
	return fail;
}

static uint32_t check_probe(void)
{
	volatile uint32_t *probe = (volatile uint32_t *)(uintptr_t)TEST_GUEST_PROBE_GPA;
	uint32_t fail = 0, v = *probe;

	put("probe: read ");
	put_hex(v);
	put(" outside RAM\n");
	if (v != 0xffffffffu)
		fail |= TEST_GUEST_FAIL_PROBE_READ;
	*probe = PROBE_WRITE_VALUE;
	if (*probe != 0xffffffffu)
		fail |= TEST_GUEST_FAIL_PROBE_WRITE;
	put(fail & TEST_GUEST_FAIL_PROBE_WRITE ? "probe: write was not dropped\n" :
						 "probe: write dropped\n");
	return fail;
}

void guest_main(void)
{
	uint32_t fail;

	put(TEST_GUEST_HELLO "\n");
	fail = check_cpuid();
	fail |= check_probe();
	fail |= check_edu();
	put("verdict ");
	put_hex(fail);
	put("\n");
	hc_exit(fail);
}
