// SPDX-License-Identifier: MIT
/*
 * Attack "cr8" (finding 1 of the hostile-guest review): raise the task priority to 15 through
 * CR8 and leave it there. On hardware CR8 is the local APIC's TPR[7:4] (SDM vol. 3A 11.8.6.1):
 * written through to the host's APIC it would block every host interrupt, also after the guest
 * stopped. skiff must keep it the guest's own (SVM V_TPR, VMX TPR shadow): the guest reads
 * back what it wrote, and skiff checks that its own TPR is unchanged (vmm/hostile.c).
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define CR8_BLOCK_ALL	  0xfull
#define FAIL_CR8_READBACK TEST_GUEST_FAIL_ATTACK(0) /* CR8 read back other than written */

static uint32_t attack_cr8(void)
{
	uint64_t v = CR8_BLOCK_ALL;

	__asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory");
	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	put("cr8: wrote 0xf, read back ");
	put_hex(v);
	put("\n");
	return v == CR8_BLOCK_ALL ? 0 : FAIL_CR8_READBACK;
}

GUEST_ATTACK(cr8, attack_cr8);
