// SPDX-License-Identifier: MIT
/*
 * Attack "efer" (finding 9 of the hostile-guest review): leave long mode the wrong way. With
 * paging on, a WRMSR to EFER that clears LME must raise #GP and change nothing (SDM vol. 3A
 * 10.8.5, APM vol. 2 14.6.1); accepted, it would hand the next VM entry a state no CPU can be
 * in (LMA set, LME clear, paging on). A write clearing only LMA is ignored: LMA is the CPU's.
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define FAIL_EFER_LME_NO_GP TEST_GUEST_FAIL_ATTACK(0) /* clearing LME with paging on: no #GP */
#define FAIL_EFER_CHANGED   TEST_GUEST_FAIL_ATTACK(1) /* EFER read back changed */
#define FAIL_EFER_LMA_GP    TEST_GUEST_FAIL_ATTACK(2) /* clearing only LMA faulted */
#define MSR_EFER	    0xc0000080u
#define EFER_LME	    (1ull << 8)
#define EFER_LMA	    (1ull << 10)
#define EXC_GP		    13
#define WRMSR_LEN	    2
#define HIGH32		    32

static uint64_t efer_read(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	return (uint64_t)hi << HIGH32 | lo;
}

/* WRMSR EFER @v; returns the exception it raised, or TRAP_NONE. */
static int efer_write(uint64_t v)
{
	trap_expect(WRMSR_LEN);
	__asm__ volatile("wrmsr"
			 :
			 : "c"(MSR_EFER), "a"((uint32_t)v), "d"((uint32_t)(v >> HIGH32))
			 : "memory");
	return trap_taken(NULL);
}

static uint32_t attack_efer(void)
{
	uint64_t before = efer_read();
	uint32_t fail = 0;

	if (efer_write(before & ~EFER_LME) != EXC_GP)
		fail |= FAIL_EFER_LME_NO_GP;
	if (efer_write(before & ~EFER_LMA) != TRAP_NONE)
		fail |= FAIL_EFER_LMA_GP;
	if (efer_read() != before)
		fail |= FAIL_EFER_CHANGED;
	put("efer: ");
	put_hex(before);
	put(" before, ");
	put_hex(efer_read());
	put(" after clearing LME (");
	put(fail & FAIL_EFER_LME_NO_GP ? "no #GP" : "#GP");
	put(") and LMA\n");
	return fail;
}

GUEST_ATTACK(efer, attack_efer);
