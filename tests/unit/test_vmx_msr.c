// SPDX-License-Identifier: MIT
/*
 * vmm/vmx/vmx_msr.c: the MSRs skiff switches around VMX guests. MSR-area entries from SDM vol.
 * 3C 25.7.2 table 25-15, MSR numbers from vol. 4 table 2-2, WRMSR's #GP conditions from vol. 2B
 * "WRMSR" and canonical addresses from vol. 1 3.3.7.1; values worked out by hand in the
 * comments.
 * Sources: vmm/vmx/vmx_msr.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vmx/vmx_msr.h"

/* KERNEL_GS_BASE C0000102H, STAR C0000081H, LSTAR C0000082H, CSTAR C0000083H, FMASK C0000084H. */
static const uint32_t switched[] = { 0xc0000102u, 0xc0000081u, 0xc0000082u, 0xc0000083u,
				     0xc0000084u };

/* Each switched MSR has one slot, whose entry vmx_msr_area_init() gives its index, value 0. */
static void test_area(void **state)
{
	struct vmx_msr_entry area[VMX_SWITCHED_MSRS];

	(void)state;
	memset(area, 0xa5, sizeof(area));
	vmx_msr_area_init(area);
	assert_int_equal(sizeof(switched) / sizeof(switched[0]), VMX_SWITCHED_MSRS);
	for (unsigned int i = 0; i < VMX_SWITCHED_MSRS; i++) {
		int slot = vmx_msr_slot(switched[i]);

		assert_true(slot >= 0 && slot < VMX_SWITCHED_MSRS);
		assert_int_equal(area[slot].index, switched[i]);
		assert_int_equal(area[slot].reserved, 0);
		assert_int_equal(area[slot].value, 0);
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(vmx_msr_slot(switched[j]), slot);
	}
}

/* EFER C0000080H, FS_BASE C0000100H, GS_BASE C0000101H (the VMCS switches those), TSC_AUX
 * C0000103H and SYSENTER_CS 174H are not in the areas. */
static void test_not_switched(void **state)
{
	(void)state;
	assert_int_equal(vmx_msr_slot(0xc0000080u), -ENOENT);
	assert_int_equal(vmx_msr_slot(0xc0000100u), -ENOENT);
	assert_int_equal(vmx_msr_slot(0xc0000101u), -ENOENT);
	assert_int_equal(vmx_msr_slot(0xc0000103u), -ENOENT);
	assert_int_equal(vmx_msr_slot(0x174u), -ENOENT);
}

/*
 * Addresses must be canonical: with 48-bit linear addresses bits 63:47 all equal, so
 * 0x00007fffffffffff and 0xffff800000000000 pass and 0x0000800000000000 does not; with 57 bits
 * (5-level paging) 0x0000800000000000 and 0x00ff800000000000 pass, 0x0100000000000000 does not.
 * LSTAR, CSTAR, KERNEL_GS_BASE, SYSENTER_ESP 175H and SYSENTER_EIP 176H alike.
 */
static void test_canonical(void **state)
{
	static const uint32_t addrs[] = { 0xc0000082u, 0xc0000083u, 0xc0000102u, 0x175u, 0x176u };

	(void)state;
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		assert_true(vmx_msr_valid(addrs[i], 0x00007fffffffffffull, 48));
		assert_true(vmx_msr_valid(addrs[i], 0xffff800000000000ull, 48));
		assert_false(vmx_msr_valid(addrs[i], 0x0000800000000000ull, 48));
		assert_false(vmx_msr_valid(addrs[i], 0x7fff800000000000ull, 48));
		assert_true(vmx_msr_valid(addrs[i], 0x0000800000000000ull, 57));
		assert_true(vmx_msr_valid(addrs[i], 0xff00000000000000ull, 57));
		assert_false(vmx_msr_valid(addrs[i], 0x0100000000000000ull, 57));
	}
}

/*
 * FMASK and SYSENTER_CS have bits 63:32 reserved: 0x40400 (AC, DF) and 0xffffffff pass,
 * 0x100000000 does not. STAR takes any value (its 64 bits are selectors and the 32-bit
 * SYSCALL EIP). Any other MSR is not valid here.
 */
static void test_reserved(void **state)
{
	(void)state;
	assert_true(vmx_msr_valid(0xc0000084u, 0x40400, 48));
	assert_true(vmx_msr_valid(0xc0000084u, 0xffffffffull, 48));
	assert_false(vmx_msr_valid(0xc0000084u, 0x100000000ull, 48));
	assert_true(vmx_msr_valid(0x174u, 0x8, 48));
	assert_false(vmx_msr_valid(0x174u, 0x100000008ull, 48));
	assert_true(vmx_msr_valid(0xc0000081u, 0xffffffffffffffffull, 48));
	assert_false(vmx_msr_valid(0xc0000080u, 0, 48));
	assert_false(vmx_msr_valid(0x277u, 0x0007040600070406ull, 48));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_area),
		cmocka_unit_test(test_not_switched),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_reserved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
