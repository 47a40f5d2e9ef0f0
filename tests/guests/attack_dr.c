// SPDX-License-Identifier: MIT
/*
 * Attack "dr" (findings 2 and 8 of the hostile-guest review): arm every debug register. DR0-DR3
 * are not part of the state VMX or SVM switch at entry and exit, so a guest that reaches the
 * hardware registers changes the host's (and a breakpoint armed on a host address fires in
 * the host). skiff keeps the guest's debug registers in software (vmm/vcpu_dr.h): the guest
 * reads back what it wrote and skiff checks its own DR0-DR7 unchanged (vmm/hostile.c).
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define FAIL_DR_READBACK TEST_GUEST_FAIL_ATTACK(0) /* a debug register read back wrong */
#define DR7_ARM_ALL	 0x000000ffull /* L0-L3 and G0-G3: all four breakpoints enabled */
#define DR7_FIXED_1	 0x400ull
#define DR6_FIXED_1	 0xffff0ff0ull
#define DR_ADDR(n)	 (0x200000ull + 0x1000ull * (n)) /* addresses in the guest's RAM */

#define MOV_DR(n)                                                          \
	static uint64_t dr##n##_rw(uint64_t v)                             \
	{                                                                  \
		__asm__ volatile("mov %0, %%db" #n : : "r"(v) : "memory"); \
		__asm__ volatile("mov %%db" #n ", %0" : "=r"(v));          \
		return v;                                                  \
	}
MOV_DR(0)
MOV_DR(1)
MOV_DR(2)
MOV_DR(3)
MOV_DR(6)
MOV_DR(7)

static uint32_t expect(const char *name, uint64_t got, uint64_t want)
{
	put("dr: ");
	put(name);
	put(" read back ");
	put_hex(got);
	put(got == want ? "\n" : " (wrong)\n");
	return got == want ? 0 : FAIL_DR_READBACK;
}

static uint32_t attack_dr(void)
{
	uint32_t fail = 0;

	fail |= expect("DR0", dr0_rw(DR_ADDR(0)), DR_ADDR(0));
	fail |= expect("DR1", dr1_rw(DR_ADDR(1)), DR_ADDR(1));
	fail |= expect("DR2", dr2_rw(DR_ADDR(2)), DR_ADDR(2));
	fail |= expect("DR3", dr3_rw(DR_ADDR(3)), DR_ADDR(3));
	fail |= expect("DR6", dr6_rw(0), DR6_FIXED_1);
	fail |= expect("DR7", dr7_rw(DR7_ARM_ALL), DR7_ARM_ALL | DR7_FIXED_1);
	return fail;
}

GUEST_ATTACK(dr, attack_dr);
