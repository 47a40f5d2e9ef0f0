// SPDX-License-Identifier: MIT
/*
 * A guest's debug registers in software (vmm/vcpu_dr.c), against SDM vol. 2B "MOV DR" and
 * vol. 3B 18.2.
 * Sources: vmm/vcpu_dr.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vmm/vcpu_dr.h"

static void reset_values(void **state)
{
	struct vcpu_dr d;
	uint64_t v = 1;

	(void)state;
	vcpu_dr_reset(&d);
	assert_int_equal(vcpu_dr_mov(&d, 6, false, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(v, 0xffff0ff0);
	assert_int_equal(vcpu_dr_mov(&d, 7, false, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(v, 0x400);
	assert_int_equal(vcpu_dr_mov(&d, 2, false, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(v, 0);
}

static void address_registers_round_trip(void **state)
{
	struct vcpu_dr d;

	(void)state;
	vcpu_dr_reset(&d);
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t v = 0xffff800000001000ull + i;

		assert_int_equal(vcpu_dr_mov(&d, i, true, &v, 0, 0), VCPU_DR_DONE);
	}
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t v = 0;

		assert_int_equal(vcpu_dr_mov(&d, i, false, &v, 0, 0), VCPU_DR_DONE);
		assert_int_equal(v, 0xffff800000001000ull + i);
	}
}

/* DR6 keeps only its condition bits; DR7 forces bit 10 and clears 11, 12, 14, 15. */
static void fixed_bits(void **state)
{
	struct vcpu_dr d;
	uint64_t v = 0;

	(void)state;
	vcpu_dr_reset(&d);
	assert_int_equal(vcpu_dr_mov(&d, 6, true, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(vcpu_dr_mov(&d, 6, false, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(v, 0xffff0ff0);
	v = 0x4001;
	vcpu_dr_mov(&d, 6, true, &v, 0, 0);
	vcpu_dr_mov(&d, 6, false, &v, 0, 0);
	assert_int_equal(v, 0xffff4ff1);
	v = 0xffffffffull & ~X86_DR7_GD; /* GD would turn the read into a #DB */
	assert_int_equal(vcpu_dr_mov(&d, 7, true, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(vcpu_dr_mov(&d, 7, false, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(v, 0xffff07ffull);
}

static void high_bits_of_dr6_dr7_fault(void **state)
{
	struct vcpu_dr d;
	uint64_t v = 1ull << 32;

	(void)state;
	vcpu_dr_reset(&d);
	assert_int_equal(vcpu_dr_mov(&d, 6, true, &v, 0, 0), VCPU_DR_GP);
	assert_int_equal(vcpu_dr_mov(&d, 7, true, &v, 0, 0), VCPU_DR_GP);
	assert_int_equal(vcpu_dr_mov(&d, 0, true, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(d.dr7, 0x400);
}

static void user_mode_faults(void **state)
{
	struct vcpu_dr d;
	uint64_t v = 0x1234;

	(void)state;
	vcpu_dr_reset(&d);
	for (unsigned int cpl = 1; cpl <= 3; cpl++) {
		assert_int_equal(vcpu_dr_mov(&d, 0, true, &v, cpl, 0), VCPU_DR_GP);
		assert_int_equal(vcpu_dr_mov(&d, 7, false, &v, cpl, 0), VCPU_DR_GP);
	}
	assert_int_equal(d.addr[0], 0);
}

/* DR4/DR5 alias DR6/DR7 with CR4.DE clear and raise #UD with it set. */
static void dr4_dr5(void **state)
{
	struct vcpu_dr d;
	uint64_t v = 0x1;

	(void)state;
	vcpu_dr_reset(&d);
	assert_int_equal(vcpu_dr_mov(&d, 5, true, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(d.dr7, 0x401);
	assert_int_equal(vcpu_dr_mov(&d, 4, false, &v, 0, 0), VCPU_DR_DONE);
	assert_int_equal(v, 0xffff0ff0);
	assert_int_equal(vcpu_dr_mov(&d, 4, false, &v, 0, X86_CR4_DE), VCPU_DR_UD);
	assert_int_equal(vcpu_dr_mov(&d, 5, true, &v, 0, X86_CR4_DE), VCPU_DR_UD);
	assert_int_equal(vcpu_dr_mov(&d, 8, false, &v, 0, 0), VCPU_DR_UD);
}

/* DR7.GD: the next MOV DR raises #DB with DR6.BD, moves nothing, and clears GD. */
static void general_detect(void **state)
{
	struct vcpu_dr d;
	uint64_t v = X86_DR7_GD, w = 0x5555;

	(void)state;
	vcpu_dr_reset(&d);
	vcpu_dr_mov(&d, 7, true, &v, 0, 0);
	assert_int_equal(vcpu_dr_mov(&d, 0, true, &w, 0, 0), VCPU_DR_DB);
	assert_int_equal(d.addr[0], 0);
	assert_true(d.dr6 & X86_DR6_BD);
	assert_false(d.dr7 & X86_DR7_GD);
	assert_int_equal(vcpu_dr_mov(&d, 0, true, &w, 0, 0), VCPU_DR_DONE);
	assert_int_equal(d.addr[0], 0x5555);
}

static void debug_exception_sets_conditions(void **state)
{
	struct vcpu_dr d;

	(void)state;
	vcpu_dr_reset(&d);
	vcpu_dr_debug_exception(&d, (1ull << 14) | 0xffff0000ull);
	assert_int_equal(d.dr6, 0xffff0ff0ull | (1ull << 14));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reset_values),
		cmocka_unit_test(address_registers_round_trip),
		cmocka_unit_test(fixed_bits),
		cmocka_unit_test(high_bits_of_dr6_dr7_fault),
		cmocka_unit_test(user_mode_faults),
		cmocka_unit_test(dr4_dr5),
		cmocka_unit_test(general_detect),
		cmocka_unit_test(debug_exception_sets_conditions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
