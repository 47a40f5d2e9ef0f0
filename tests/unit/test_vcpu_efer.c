// SPDX-License-Identifier: MIT
/*
 * A guest's WRMSR to EFER (vmm/vcpu_efer.c), against SDM vol. 3A 10.8.5 and APM vol. 2 14.6.1:
 * LME changes only with paging off, LMA is the CPU's, reserved bits fault.
 * Sources: vmm/vcpu_efer.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vmm/vcpu_efer.h"

#define EFER_SCE  0x1ull
#define EFER_LME  0x100ull
#define EFER_LMA  0x400ull
#define EFER_NXE  0x800ull
#define EFER_SVME 0x1000ull
#define CR0_PE	  0x1ull
#define CR0_PG	  0x80000000ull
#define POISON	  0xdeadull

/* Paging off: LME may be set and cleared, with SCE and NXE. */
static void lme_with_paging_off(void **state)
{
	uint64_t next = POISON;

	(void)state;
	assert_int_equal(vcpu_efer_write(0, EFER_LME | EFER_NXE | EFER_SCE, CR0_PE, &next), 0);
	assert_int_equal(next, EFER_LME | EFER_NXE | EFER_SCE);
	assert_int_equal(vcpu_efer_write(EFER_LME, 0, CR0_PE, &next), 0);
	assert_int_equal(next, 0);
}

/* Paging on: a write that changes LME faults and leaves *next alone; one that keeps it works. */
static void lme_toggle_with_paging_on(void **state)
{
	uint64_t next = POISON;

	(void)state;
	assert_int_equal(vcpu_efer_write(EFER_LME | EFER_LMA, EFER_LMA, CR0_PG | CR0_PE, &next),
			 -EINVAL);
	assert_int_equal(vcpu_efer_write(0, EFER_LME, CR0_PG | CR0_PE, &next), -EINVAL);
	assert_int_equal(next, POISON);
	assert_int_equal(
		vcpu_efer_write(EFER_LME | EFER_LMA, EFER_LME | EFER_NXE, CR0_PG | CR0_PE, &next),
		0);
	assert_int_equal(next, EFER_LME | EFER_LMA | EFER_NXE);
}

/* LMA: what the guest writes there is ignored, in both directions. */
static void lma_is_the_cpus(void **state)
{
	uint64_t next = POISON;

	(void)state;
	assert_int_equal(vcpu_efer_write(0, EFER_LMA, 0, &next), 0);
	assert_int_equal(next, 0);
	assert_int_equal(vcpu_efer_write(EFER_LME | EFER_LMA, EFER_LME, CR0_PG, &next), 0);
	assert_int_equal(next, EFER_LME | EFER_LMA);
}

/* Reserved bits (SVME among them: the guest has no SVM) fault. */
static void reserved_bits_fault(void **state)
{
	uint64_t next = POISON;

	(void)state;
	assert_int_equal(vcpu_efer_write(0, EFER_SVME, 0, &next), -EINVAL);
	assert_int_equal(vcpu_efer_write(0, 1ull << 63, 0, &next), -EINVAL);
	assert_int_equal(vcpu_efer_write(0, 0x2ull, 0, &next), -EINVAL);
	assert_int_equal(next, POISON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lme_with_paging_off),
		cmocka_unit_test(lme_toggle_with_paging_on),
		cmocka_unit_test(lma_is_the_cpus),
		cmocka_unit_test(reserved_bits_fault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
