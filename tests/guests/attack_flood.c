// SPDX-License-Identifier: MIT
/*
 * Attack "flood" (finding 5 of the hostile-guest review): make skiff log without end. The guest
 * touches TEST_GUEST_FLOOD_PORTS distinct ports no device has, TEST_GUEST_FLOOD_MSRS distinct
 * MSRs skiff refuses (#GP), TEST_GUEST_FLOOD_MMIO distinct addresses outside its RAM, and writes
 * TEST_GUEST_FLOOD_CONSOLE bytes to its console, half of them newlines, each a line of its own
 * - every access a log line if skiff logged each. skiff rate-limits every line a guest causes,
 * by kind, and counts what it did not show: the judge (vmm/hostile.c) checks the counts, the
 * scenario counts skiff's lines (tests/integration/scenarios/hostile-svm.sh). The guest checks
 * only what it sees: ports and the hole read as all ones, each MSR raised #GP.
 */
#include "tests/guests/guest.h"
#include "vmm/hypercall.h"
#include "vmm/test_guest_abi.h"

#define FAIL_FLOOD_PORT TEST_GUEST_FAIL_ATTACK(0) /* a port did not read as all ones */
#define FAIL_FLOOD_MSR	TEST_GUEST_FAIL_ATTACK(1) /* an MSR did not raise #GP */
#define FAIL_FLOOD_MMIO TEST_GUEST_FAIL_ATTACK(2) /* the hole did not read as all ones */
#define EXC_GP		13
#define RDMSR_LEN	2
#define ALL_ONES8	0xffu
#define ALL_ONES32	0xffffffffu
#define LINE_CHARS	'x'

static uint32_t ports(void)
{
	uint32_t fail = 0;

	for (unsigned int i = 0; i < TEST_GUEST_FLOOD_PORTS; i++)
		if (in8((uint16_t)(TEST_GUEST_FLOOD_PORT_BASE + i)) != ALL_ONES8)
			fail = FAIL_FLOOD_PORT;
	return fail;
}

static uint32_t msrs(void)
{
	uint32_t fail = 0;

	for (unsigned int i = 0; i < TEST_GUEST_FLOOD_MSRS; i++) {
		uint32_t lo, hi;

		trap_expect(RDMSR_LEN);
		__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(TEST_GUEST_FLOOD_MSR_BASE + i));
		if (trap_taken(NULL) != EXC_GP)
			fail = FAIL_FLOOD_MSR;
	}
	return fail;
}

static uint32_t mmio(void)
{
	volatile uint32_t *hole = (volatile uint32_t *)(uintptr_t)TEST_GUEST_PROBE_GPA;
	uint32_t fail = 0;

	for (unsigned int i = 0; i < TEST_GUEST_FLOOD_MMIO; i++)
		if (hole[i] != ALL_ONES32)
			fail = FAIL_FLOOD_MMIO;
	return fail;
}

static uint32_t attack_flood(void)
{
	uint32_t fail;

	put("flood: ports, MSRs, MMIO addresses, console lines\n");
	fail = ports() | msrs() | mmio();
	put("flood: ports, MSRs and MMIO done; the console next\n");
	for (unsigned int i = 0; i < TEST_GUEST_FLOOD_CONSOLE; i++)
		out8(HC_CONSOLE_PORT, i % 2 ? '\n' : LINE_CHARS);
	return fail;
}

GUEST_ATTACK(flood, attack_flood);
