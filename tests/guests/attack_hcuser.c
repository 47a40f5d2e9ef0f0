// SPDX-License-Identifier: MIT
/*
 * Attack "hcuser" (finding 7 of the hostile-guest review): a guest process ends the VM. At CPL 3
 * the guest calls HC_EXIT with a verdict of its choosing (HCUSER_FORGED, never a real one) and,
 * should that be refused, the window hypercall too. VMCALL and VMMCALL exit at every CPL (SDM
 * vol. 3C 26.1.2, APM vol. 2 15.9), so only skiff can refuse them: each must come back with
 * -EPERM in RAX and change nothing. Were HC_EXIT accepted the run would end with the forged
 * verdict, which hostile.c's judge of HOSTILE_VERDICT reads as the attack succeeding.
 */
#include "tests/guests/guest.h"
#include "vmm/hypercall.h"
#include "vmm/test_guest_abi.h"

#define FAIL_HCUSER_EXIT   TEST_GUEST_FAIL_ATTACK(0) /* HC_EXIT at CPL 3 not refused with -EPERM */
#define FAIL_HCUSER_WINDOW TEST_GUEST_FAIL_ATTACK(1) /* the window call not refused with -EPERM */
#define HCUSER_FORGED	   0x5eedull
#define EPERM_CODE	   1 /* EPERM, as skiff returns it negated in RAX */

static uint64_t user_exit(void)
{
	return hypercall(HC_EXIT, HCUSER_FORGED);
}

static uint64_t user_window(void)
{
	return hypercall(TEST_GUEST_HC_WINDOW, TEST_GUEST_WINDOW_OPEN);
}

static uint32_t attack_hcuser(void)
{
	uint64_t exit_ret = user_run(user_exit, 0), window_ret = user_run(user_window, 0);
	uint32_t fail = 0;

	put("hcuser: HC_EXIT at CPL 3 returned ");
	put_hex(exit_ret);
	put(", the window call ");
	put_hex(window_ret);
	put("\n");
	if (exit_ret != (uint64_t)-EPERM_CODE)
		fail |= FAIL_HCUSER_EXIT;
	if (window_ret != (uint64_t)-EPERM_CODE)
		fail |= FAIL_HCUSER_WINDOW;
	return fail;
}

GUEST_ATTACK(hcuser, attack_hcuser);
