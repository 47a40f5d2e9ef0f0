// SPDX-License-Identifier: MIT
/*
 * vmm/vmx/vmx_caps.c: VMX capability rules. Control MSR layout from SDM vol. 3D A.3.1 (bits
 * 31:0 allowed 0-settings, 63:32 allowed 1-settings), CR fixed bits from A.7/A.8,
 * IA32_VMX_BASIC from A.1, IA32_FEATURE_CONTROL from vol. 3C 24.7, access rights from 25.4.1;
 * values worked out by hand in the comments.
 * Sources: vmm/vmx/vmx_caps.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vmm/vcpu_state.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_caps.h"

/* Bit 55 of IA32_VMX_BASIC selects the TRUE_* MSRs for all but the secondary controls. */
static void test_ctls_msr(void **state)
{
	(void)state;
	assert_int_equal(vmx_ctls_msr(0, VMX_CTLS_PIN), 0x481);
	assert_int_equal(vmx_ctls_msr(0, VMX_CTLS_PROC), 0x482);
	assert_int_equal(vmx_ctls_msr(0, VMX_CTLS_EXIT), 0x483);
	assert_int_equal(vmx_ctls_msr(0, VMX_CTLS_ENTRY), 0x484);
	assert_int_equal(vmx_ctls_msr(0, VMX_CTLS_PROC2), 0x48b);
	assert_int_equal(vmx_ctls_msr(1ull << 55, VMX_CTLS_PIN), 0x48d);
	assert_int_equal(vmx_ctls_msr(1ull << 55, VMX_CTLS_PROC), 0x48e);
	assert_int_equal(vmx_ctls_msr(1ull << 55, VMX_CTLS_EXIT), 0x48f);
	assert_int_equal(vmx_ctls_msr(1ull << 55, VMX_CTLS_ENTRY), 0x490);
	assert_int_equal(vmx_ctls_msr(1ull << 55, VMX_CTLS_PROC2), 0x48b);
	assert_int_equal(vmx_ctls_msr(1ull << 55, (enum vmx_ctls)99), 0);
}

/*
 * Pin-based controls as an older CPU reports them without TRUE MSRs: allowed-0 0x16 (bits 1, 2,
 * 4: default1), allowed-1 0x7f (bits 0-6). Asking for bit 0 (external-interrupt exiting) and
 * bit 3 (NMI exiting), optionally bit 6 (preemption timer): 0x16 | 0x09 | 0x40 = 0x5f.
 */
static void test_adjust_forced_and_optional(void **state)
{
	uint64_t cap = (0x7full << 32) | 0x16;
	uint32_t ctls = 0, conflict = 0;

	(void)state;
	assert_int_equal(vmx_ctls_adjust(cap, 0x09, 0x40, 0, &ctls, &conflict), 0);
	assert_int_equal(ctls, 0x5f);
	/* Optional bit 7 is not in allowed-1 0x7f: left out, no error. 0x16 | 0x09 = 0x1f. */
	assert_int_equal(vmx_ctls_adjust(cap, 0x09, 0x80, 0, &ctls, &conflict), 0);
	assert_int_equal(ctls, 0x1f);
}

/* Required bit 7 (0x80) is not allowed to be 1 by allowed-1 0x7f: -EOPNOTSUPP, conflict 0x80. */
static void test_adjust_required_missing(void **state)
{
	uint64_t cap = (0x7full << 32) | 0x16;
	uint32_t ctls = 0xdead, conflict = 0;

	(void)state;
	assert_int_equal(vmx_ctls_adjust(cap, 0x81, 0, 0, &ctls, &conflict), -EOPNOTSUPP);
	assert_int_equal(conflict, 0x80);
	assert_int_equal(ctls, 0xdead);
}

/*
 * Primary processor-based controls without TRUE MSRs force the default1 bits 1, 4-6, 8, 13-16
 * and 26 (A.3.2): allowed-0 0x0401e172, which includes CR3-load and CR3-store exiting (bits 15,
 * 16, 0x18000); skiff forbids them: conflict 0x18000. A TRUE MSR whose allowed-0 0x04006172
 * clears bits 15 and 16 lets them be 0.
 */
static void test_adjust_forbidden(void **state)
{
	uint64_t plain = (0xfff9fffeull << 32) | 0x0401e172,
		 true_ctls = (0xfff9fffeull << 32) | 0x04006172;
	uint32_t ctls = 0, conflict = 0, forbidden = (1u << 15) | (1u << 16);

	(void)state;
	assert_int_equal(vmx_ctls_adjust(plain, 1u << 7, 0, forbidden, &ctls, &conflict),
			 -EOPNOTSUPP);
	assert_int_equal(conflict, 0x18000);
	/* 0x04006172 | 0x80 = 0x040061f2. */
	assert_int_equal(vmx_ctls_adjust(true_ctls, 1u << 7, 0, forbidden, &ctls, &conflict), 0);
	assert_int_equal(ctls, 0x040061f2);
}

/* A required bit may also be forbidden: it must be flexible (allowed to be 1, not forced). */
static void test_adjust_required_and_forbidden(void **state)
{
	uint32_t ctls = 0, conflict = 0, bit9 = 1u << 9;

	(void)state;
	assert_int_equal(vmx_ctls_adjust((0x3ffull << 32) | 0, bit9, 0, bit9, &ctls, &conflict), 0);
	assert_int_equal(ctls, bit9);
	assert_int_equal(vmx_ctls_adjust((0x3ffull << 32) | bit9, bit9, 0, bit9, &ctls, &conflict),
			 -EOPNOTSUPP);
	assert_int_equal(conflict, bit9);
}

/* An MSR forcing bit 3 (allowed-0 0x8) that it does not allow (allowed-1 0x7): broken. */
static void test_adjust_broken_msr(void **state)
{
	uint32_t ctls = 0, conflict = 0;

	(void)state;
	assert_int_equal(vmx_ctls_adjust((0x7ull << 32) | 0x8, 0, 0, 0, &ctls, &conflict), -EINVAL);
	assert_int_equal(conflict, 0x8);
}

/*
 * CR0 with the usual FIXED0 0x80000021 (PG, NE, PE) and FIXED1 0xffffffff: 0x11 (ET, PE)
 * becomes 0x80000031 and is invalid as it was. With unrestricted guest, FIXED0 for the guest is
 * 0x20 (NE only): 0x11 becomes 0x31.
 */
static void test_cr0_fixed(void **state)
{
	const uint64_t fixed0 = 0x80000021, fixed1 = 0xffffffff;

	(void)state;
	assert_int_equal(vmx_cr_fixed(0x11, fixed0, fixed1), 0x80000031);
	assert_false(vmx_cr_valid(0x11, fixed0, fixed1));
	assert_true(vmx_cr_valid(0x80000031, fixed0, fixed1));
	/* Bit 32 is outside FIXED1: cleared, and a value holding it is invalid. */
	assert_int_equal(vmx_cr_fixed(0x180000031ull, fixed0, fixed1), 0x80000031);
	assert_false(vmx_cr_valid(0x180000031ull, fixed0, fixed1));
	assert_int_equal(vmx_guest_cr0_fixed0(fixed0, true), 0x20);
	assert_int_equal(vmx_guest_cr0_fixed0(fixed0, false), fixed0);
	assert_int_equal(vmx_cr_fixed(0x11, vmx_guest_cr0_fixed0(fixed0, true), fixed1), 0x31);
}

/*
 * CR4 with FIXED0 0x2000 (VMXE) and an example FIXED1 0x3727ff (0011 0111 0010 0111 1111 1111:
 * bits 0-10, 13, 16-18, 20, 21): PAE 0x20 becomes 0x2020; FSGSBASE (bit 16, 0x10000) stays.
 */
static void test_cr4_fixed(void **state)
{
	const uint64_t fixed0 = 0x2000, fixed1 = 0x3727ff;

	(void)state;
	assert_int_equal(vmx_cr_fixed(0x20, fixed0, fixed1), 0x2020);
	assert_int_equal(vmx_cr_fixed(0x10020, fixed0, fixed1), 0x12020);
	/* Bits 11 (0x800) and 12 (0x1000, LA57) are 0 in FIXED1: cleared. */
	assert_int_equal(vmx_cr_fixed(0x1020, fixed0, fixed1), 0x2020);
	assert_int_equal(vmx_cr_fixed(0x820, fixed0, fixed1), 0x2020);
	assert_false(vmx_cr_valid(0x2820, fixed0, fixed1));
}

/*
 * IA32_VMX_BASIC: revision 0x2b, size 0x1000 (bits 44:32), WB (6 << 50), TRUE controls (bit 55):
 * 0x00d8100000000000 | 0x2b... = (1 << 55) | (6 << 50) | (0x1000 << 32) | 0x2b
 * = 0x0080000000000000 | 0x0018000000000000 | 0x0000100000000000 | 0x2b = 0x009810000000002b.
 */
static void test_basic(void **state)
{
	uint32_t rev = 0, size = 0;

	(void)state;
	assert_int_equal(vmx_basic_check(0x009810000000002bull, &rev, &size), 0);
	assert_int_equal(rev, 0x2b);
	assert_int_equal(size, 0x1000);
	/* Size 0x1001 (above 4 KiB): 0x0098100100000000 | 0x2b. */
	assert_int_equal(vmx_basic_check(0x009810010000002bull, &rev, &size), -EOPNOTSUPP);
	/* Uncacheable VMCS accesses (memory type 0): 0x008010000000002b. */
	assert_int_equal(vmx_basic_check(0x008010000000002bull, &rev, &size), -EOPNOTSUPP);
	/* Size 0. */
	assert_int_equal(vmx_basic_check(0x009800000000002bull, &rev, &size), -EOPNOTSUPP);
	/* Bit 31 is not part of the revision: 0x80000001 -> 1. */
	assert_int_equal(vmx_basic_check(0x0098100080000001ull, &rev, &size), 0);
	assert_int_equal(rev, 1);
}

/* IA32_FEATURE_CONTROL: lock bit 0, VMX in SMX bit 1, VMX outside SMX bit 2. */
static void test_feature_control(void **state)
{
	uint64_t value = 0;

	(void)state;
	/* OVMF leaves it 0: lock and enable, 0x5. */
	assert_int_equal(vmx_feature_control(0, &value), 0);
	assert_int_equal(value, 0x5);
	/* Unlocked with other bits set (bit 20, LMCE... 0x100000): kept, 0x100005. */
	assert_int_equal(vmx_feature_control(0x100000, &value), 0);
	assert_int_equal(value, 0x100005);
	/* Locked with VMX outside SMX: unchanged. */
	assert_int_equal(vmx_feature_control(0x5, &value), 0);
	assert_int_equal(value, 0x5);
	/* Locked with only VMX inside SMX (0x3), or nothing (0x1): VMX is off until reset. */
	assert_int_equal(vmx_feature_control(0x3, &value), -EPERM);
	assert_int_equal(vmx_feature_control(0x1, &value), -EPERM);
}

/*
 * Access rights: a flat 32-bit code segment 0xc9b (type 0xb, S, P; D/B and G in 11:8 as 0xc)
 * becomes 0xc09b; a 64-bit code segment 0xa9b (L, G) becomes 0xa09b; an attribute without P
 * is unusable (0x10000), and unusable rights convert back to 0.
 */
static void test_seg_ar(void **state)
{
	(void)state;
	assert_int_equal(vmx_seg_ar(0xc9b), 0xc09b);
	assert_int_equal(vmx_seg_ar(0xa9b), 0xa09b);
	assert_int_equal(vmx_seg_ar(0x8b), 0x8b);
	assert_int_equal(vmx_seg_ar(0x0), VMX_AR_UNUSABLE);
	assert_int_equal(vmx_seg_ar(0x0b), VMX_AR_UNUSABLE);
	assert_int_equal(vmx_seg_attrib(0xc09b), 0xc9b);
	assert_int_equal(vmx_seg_attrib(0xa09b), 0xa9b);
	assert_int_equal(vmx_seg_attrib(0x1c09b), 0);
	for (unsigned int a = 0; a < 0x1000; a++)
		if (a & VCPU_SEG_P)
			assert_int_equal(vmx_seg_attrib(vmx_seg_ar((uint16_t)a)), a);
}

/*
 * Controls are named by word and single-bit mask: MOV-DR exiting is bit 23 of the primary
 * processor-based controls (0x00800000), WBINVD exiting bit 6 of the secondary (0x40), NMI
 * exiting bit 3 of the pin-based (0x8), "load debug controls" bit 2 of the VM-entry controls
 * (0x4) and "save debug controls" bit 2 of the VM-exit controls: the same bit, another word.
 * A bit skiff does not use, two bits at once and a bad word have no name.
 */
static void test_ctl_name(void **state)
{
	(void)state;
	assert_string_equal(vmx_ctl_name(VMX_CTLS_PROC, 0x00800000), "MOV-DR exiting");
	assert_string_equal(vmx_ctl_name(VMX_CTLS_PROC, 0x20000000), "MONITOR exiting");
	assert_string_equal(vmx_ctl_name(VMX_CTLS_PROC2, 0x40), "WBINVD exiting");
	assert_string_equal(vmx_ctl_name(VMX_CTLS_PIN, 0x8), "NMI exiting");
	assert_string_equal(vmx_ctl_name(VMX_CTLS_ENTRY, 0x4), "load debug controls");
	assert_string_equal(vmx_ctl_name(VMX_CTLS_EXIT, 0x4), "save debug controls");
	assert_null(vmx_ctl_name(VMX_CTLS_PROC, 0x1));
	assert_null(vmx_ctl_name(VMX_CTLS_PROC, 0x00800400));
	assert_null(vmx_ctl_name(VMX_CTLS_PROC2, 0x00800000));
	assert_null(vmx_ctl_name((enum vmx_ctls)5, 0x8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctls_msr),
		cmocka_unit_test(test_adjust_forced_and_optional),
		cmocka_unit_test(test_adjust_required_missing),
		cmocka_unit_test(test_adjust_forbidden),
		cmocka_unit_test(test_adjust_required_and_forbidden),
		cmocka_unit_test(test_adjust_broken_msr),
		cmocka_unit_test(test_cr0_fixed),
		cmocka_unit_test(test_cr4_fixed),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_feature_control),
		cmocka_unit_test(test_seg_ar),
		cmocka_unit_test(test_ctl_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
