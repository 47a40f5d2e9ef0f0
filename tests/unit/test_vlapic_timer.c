// SPDX-License-Identifier: MIT
/*
 * The guest local APIC's timer (vmm/vplat/lapic_timer.c and its use in vmm/vplat/lapic.c)
 * against Intel SDM vol. 3A 11.5.4: one-shot and periodic countdown of the initial count at the
 * timer clock over the divide configuration (figure 11-10's eight divisors), the current count,
 * a masked entry, a divisor or mode changed while counting; and TSC-deadline mode (11.5.4.1):
 * arming, firing once and clearing the MSR, a past deadline, 0 disarming, the MSR ignored in the
 * other modes and the count ignored in it, mode changes disarming. Times are guest TSC values.
 * Sources: vmm/vplat/lapic.c vmm/vplat/lapic_timer.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vplat/lapic.h"

#define TSC_HZ	 1000000000ull /* 1 GHz */
#define TIMER_HZ 100000000ull  /* 100 MHz: 10 TSC ticks per count at divide by 1 */
#define TICKS	 10u
#define T0	 1000000u /* guest TSC at which each test starts counting */
#define VEC	 0xecu
#define ONE_SHOT (VEC)
#define PERIODIC (VEC | 1u << 17)
#define DEADLINE (VEC | 2u << 17)
#define BY_1	 LAPIC_TDCR_BY_1
#define BY_2	 0x0u /* the RESET value */

static struct vlapic a;

static int setup(void **state)
{
	const struct vlapic_config cfg = {
		.id = 0, .bsp = true, .maxphyaddr = 39, .tsc_hz = TSC_HZ, .timer_hz = TIMER_HZ
	};

	(void)state;
	assert_int_equal(vlapic_init(&a, &cfg), 0);
	assert_int_equal(vlapic_msr_write(&a, X2APIC_MSR_SVR, 0x1ff, 0), 0);
	return 0;
}

static uint64_t rd(uint32_t msr, uint64_t now)
{
	uint64_t v = 0;

	assert_int_equal(vlapic_msr_read(&a, msr, now, &v), 0);
	return v;
}

static void wr(uint32_t msr, uint64_t value, uint64_t now)
{
	assert_int_equal(vlapic_msr_write(&a, msr, value, now), 0);
}

static bool vec_in_irr(unsigned int v)
{
	return (a.irr[v / 32] >> (v % 32)) & 1;
}

/* The vCPU takes the timer interrupt and ends it. */
static void take_and_eoi(void)
{
	uint8_t v = 0;

	assert_true(vlapic_pending(&a, &v));
	assert_int_equal(v, VEC);
	assert_int_equal(vlapic_ack(&a, v), 0);
	wr(X2APIC_MSR_EOI, 0, 0);
}

static void one_shot(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, ONE_SHOT, 0);
	wr(X2APIC_MSR_TMICT, 100, T0);
	assert_int_equal(rd(X2APIC_MSR_TMICT, T0), 100);
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 100 * TICKS);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0), 100);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 9), 100);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 10), 99);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 500), 50);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 999), 1);
	assert_false(vlapic_timer_expire(&a, T0 + 999));
	assert_false(vec_in_irr(VEC));
	assert_true(vlapic_timer_expire(&a, T0 + 1000));
	assert_true(vec_in_irr(VEC));
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 1000), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 100000), 0);
	assert_false(vlapic_timer_expire(&a, T0 + 100000)); /* once */
	assert_int_equal(rd(X2APIC_MSR_TMICT, T0 + 100000), 100);
	take_and_eoi();
	/* Rewriting the initial count restarts it; 0 stops it. */
	wr(X2APIC_MSR_TMICT, 5, T0 + 200000);
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 200000 + 5 * TICKS);
	wr(X2APIC_MSR_TMICT, 0, T0 + 200010);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 200010), 0);
	assert_false(vlapic_timer_expire(&a, T0 + 300000));
}

/* The register reads of a timer register take an expiry that is due. */
static void read_takes_expiry(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, ONE_SHOT, 0);
	wr(X2APIC_MSR_TMICT, 1, T0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + TICKS), 0);
	assert_true(vec_in_irr(VEC));
}

/* Figure 11-10: the divisor of each divide configuration. */
static void divide_table(void **state)
{
	static const uint32_t by[][2] = {
		{ 0x0, 2 },  { 0x1, 4 },  { 0x2, 8 },	{ 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};

	(void)state;
	wr(X2APIC_MSR_LVT_TIMER, ONE_SHOT, 0);
	for (unsigned int i = 0; i < sizeof(by) / sizeof(by[0]); i++) {
		wr(X2APIC_MSR_TDCR, by[i][0], 0);
		assert_int_equal(rd(X2APIC_MSR_TDCR, 0), by[i][0]);
		wr(X2APIC_MSR_TMICT, 3, T0);
		assert_int_equal(vlapic_timer_deadline(&a), T0 + 3 * TICKS * by[i][1]);
	}
}

static void periodic(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC, 0);
	wr(X2APIC_MSR_TMICT, 100, T0);
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 1000);
	assert_true(vlapic_timer_expire(&a, T0 + 1000));
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 2000);
	take_and_eoi();
	/* Reloaded from the initial count. */
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 1000), 100);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 1500), 50);
	/* Late: one interrupt, the next expiry the first after now. */
	assert_true(vlapic_timer_expire(&a, T0 + 3500));
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 4000);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 3500), 50);
	assert_false(vlapic_timer_expire(&a, T0 + 3999));
	/* Very late: still one, still in phase with the start. */
	assert_true(vlapic_timer_expire(&a, T0 + 123456789));
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 123457000);
	/* Exactly at an expiry: the next one is a whole period on. */
	assert_true(vlapic_timer_expire(&a, T0 + 123457000));
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 123458000);
}

/* A masked entry: the count runs, no interrupt, no host timer needed, none after unmasking. */
static void masked(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC | LAPIC_LVT_MASK, 0);
	wr(X2APIC_MSR_TMICT, 100, T0);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 2500), 50);
	assert_false(vlapic_timer_expire(&a, T0 + 2500));
	assert_false(vec_in_irr(VEC));
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC, T0 + 2600);
	assert_false(vec_in_irr(VEC)); /* the expiries while masked raised nothing */
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 3000);
	assert_true(vlapic_timer_expire(&a, T0 + 3000));
	assert_true(vec_in_irr(VEC));
}

/* A divisor written while counting: the count goes on from where it is at the new rate. */
static void divide_while_counting(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC, 0);
	wr(X2APIC_MSR_TMICT, 100, T0);
	wr(X2APIC_MSR_TDCR, BY_2, T0 + 500);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 500), 50);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 520), 49);
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 500 + 50 * 2 * TICKS);
	assert_true(vlapic_timer_expire(&a, T0 + 1500));
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 1500 + 100 * 2 * TICKS);
	/* Stopped: a divisor change starts nothing. */
	wr(X2APIC_MSR_TMICT, 0, T0 + 2000);
	wr(X2APIC_MSR_TDCR, BY_1, T0 + 2000);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
}

/* One-shot <-> periodic while counting: it goes on counting, reloads only in periodic. */
static void one_shot_periodic_switch(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, ONE_SHOT, 0);
	wr(X2APIC_MSR_TMICT, 100, T0);
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC, T0 + 300);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 300), 70);
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 1000);
	assert_true(vlapic_timer_expire(&a, T0 + 1000));
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 2000);
	wr(X2APIC_MSR_LVT_TIMER, ONE_SHOT, T0 + 1200);
	assert_int_equal(vlapic_timer_deadline(&a), T0 + 2000);
	assert_true(vlapic_timer_expire(&a, T0 + 2000));
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	/* A one-shot that has run out stays stopped when made periodic. */
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC, T0 + 3000);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, T0 + 3000), 0);
}

static void tsc_deadline(void **state)
{
	(void)state;
	/* Outside TSC-deadline mode the MSR reads 0 and ignores writes. */
	wr(MSR_IA32_TSC_DEADLINE, T0, 0);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, 0), 0);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	wr(X2APIC_MSR_LVT_TIMER, DEADLINE, 0);
	assert_int_equal(rd(X2APIC_MSR_LVT_TIMER, 0), DEADLINE);
	wr(MSR_IA32_TSC_DEADLINE, T0, 0);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, 0), T0);
	assert_int_equal(vlapic_timer_deadline(&a), T0);
	/* The count registers do nothing in this mode. */
	wr(X2APIC_MSR_TMICT, 100, 0);
	assert_int_equal(rd(X2APIC_MSR_TMICT, 0), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT, 5), 0);
	assert_int_equal(vlapic_timer_deadline(&a), T0);
	assert_false(vlapic_timer_expire(&a, T0 - 1));
	assert_true(vlapic_timer_expire(&a, T0));
	assert_true(vec_in_irr(VEC));
	/* Fired once: disarmed, the MSR cleared. */
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, T0), 0);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_false(vlapic_timer_expire(&a, T0 + 1000000));
	take_and_eoi();
	/* A deadline already past fires at the write. */
	wr(MSR_IA32_TSC_DEADLINE, T0 - 5, T0 + 10);
	assert_true(vec_in_irr(VEC));
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, T0 + 10), 0);
	take_and_eoi();
	/* 0 disarms; a new value replaces the old. */
	wr(MSR_IA32_TSC_DEADLINE, 2 * T0, T0);
	wr(MSR_IA32_TSC_DEADLINE, 0, T0);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_false(vlapic_timer_expire(&a, 3 * T0));
	wr(MSR_IA32_TSC_DEADLINE, 2 * T0, T0);
	wr(MSR_IA32_TSC_DEADLINE, 3 * T0, T0);
	assert_false(vlapic_timer_expire(&a, 2 * T0));
	assert_true(vlapic_timer_expire(&a, 3 * T0));
	/* Masked: no host timer asked for; it still disarms at the deadline. */
	wr(MSR_IA32_TSC_DEADLINE, 4 * T0, 3 * T0);
	wr(X2APIC_MSR_LVT_TIMER, DEADLINE | LAPIC_LVT_MASK, 3 * T0);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, 4 * T0 - 1), 4 * T0);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, 4 * T0), 0);
}

/* 11.5.4.1: changing to or from TSC-deadline mode disarms the timer. */
static void deadline_mode_changes_disarm(void **state)
{
	(void)state;
	wr(X2APIC_MSR_TDCR, BY_1, 0);
	wr(X2APIC_MSR_LVT_TIMER, ONE_SHOT, 0);
	wr(X2APIC_MSR_TMICT, 100, T0);
	wr(X2APIC_MSR_LVT_TIMER, DEADLINE, T0 + 10);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(rd(X2APIC_MSR_TMICT, T0 + 10), 0);
	wr(MSR_IA32_TSC_DEADLINE, 2 * T0, T0 + 10);
	wr(X2APIC_MSR_LVT_TIMER, PERIODIC, T0 + 20);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	wr(X2APIC_MSR_LVT_TIMER, DEADLINE, T0 + 30);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE, T0 + 30), 0);
	assert_false(vlapic_timer_expire(&a, 3 * T0));
}

/* The LVT timer's vector 0-15: no interrupt, "received illegal vector". */
static void illegal_timer_vector(void **state)
{
	uint64_t v = 0;

	(void)state;
	wr(X2APIC_MSR_LVT_TIMER, 0x0f, 0);
	wr(X2APIC_MSR_TMICT, 1, T0);
	assert_false(vlapic_timer_expire(&a, T0 + 100));
	assert_int_equal(a.irr[0], 0);
	wr(X2APIC_MSR_ESR, 0, T0 + 100);
	assert_int_equal(vlapic_msr_read(&a, X2APIC_MSR_ESR, T0 + 100, &v), 0);
	assert_int_equal(v, LAPIC_ESR_RECV_ILLEGAL);
}

/* The counter alone: rounding with a clock ratio that is no integer, saturation, refusals. */
static void counter_rounding(void **state)
{
	struct lapic_timer t;

	(void)state;
	assert_int_equal(lapic_timer_init(&t, 1000, 0), -EINVAL);
	assert_int_equal(lapic_timer_init(&t, 1000, 1001), -EINVAL);
	assert_int_equal(lapic_timer_init(&t, LAPIC_TIMER_MAX_HZ + 1, 1), -EINVAL);
	/* 3 counts per 1000 ticks at divide by 1: count c ends at tick ceil(c * 1000 / 3). */
	assert_int_equal(lapic_timer_init(&t, 1000, 3), 0);
	lapic_timer_set_divide(&t, BY_1, 0);
	lapic_timer_set_initial(&t, 2, 0);
	assert_int_equal(lapic_timer_deadline(&t), 667);
	assert_int_equal(lapic_timer_current(&t, 333), 2);
	assert_int_equal(lapic_timer_current(&t, 334), 1);
	assert_int_equal(lapic_timer_current(&t, 666), 1);
	assert_int_equal(lapic_timer_current(&t, 667), 0);
	assert_false(lapic_timer_expire(&t, 666));
	assert_true(lapic_timer_expire(&t, 667));
	/* A time before the start counts as the start. */
	lapic_timer_set_initial(&t, 2, 5000);
	assert_int_equal(lapic_timer_current(&t, 10), 2);
	assert_false(lapic_timer_expire(&t, 10));
	/* The longest count at the slowest rate from near the TSC's end: saturated, no wrap. */
	assert_int_equal(lapic_timer_init(&t, LAPIC_TIMER_MAX_HZ, 1), 0);
	lapic_timer_set_divide(&t, 0xa, 0);
	lapic_timer_set_initial(&t, UINT32_MAX, UINT64_MAX - 10);
	assert_int_equal(lapic_timer_deadline(&t), UINT64_MAX);
	assert_int_equal(lapic_timer_current(&t, UINT64_MAX), UINT32_MAX);
	assert_false(lapic_timer_expire(&t, UINT64_MAX - 1));
	/*
	 * Products beyond 64 bits, exact: 3 GHz TSC, 1 GHz timer, periodic 0xffffffff from 0;
	 * after 1000 s (10^12 counts) the count is 727379735 into period 233, which ends at TSC
	 * 3 * 233 * 0xffffffff (figures from Python's integers).
	 */
	assert_int_equal(lapic_timer_init(&t, 3000000000ull, 1000000000ull), 0);
	lapic_timer_set_mode(&t, LAPIC_TIMER_PERIODIC, 0);
	lapic_timer_set_divide(&t, BY_1, 0);
	lapic_timer_set_initial(&t, UINT32_MAX, 0);
	assert_int_equal(lapic_timer_current(&t, 3000000000000ull), 727379735);
	assert_int_equal(lapic_timer_current(&t, 3000000000007ull), 727379733);
	assert_true(lapic_timer_expire(&t, 3000000000000ull));
	assert_int_equal(lapic_timer_deadline(&t), 3002182139205ull);
	/* Periodic at the fastest rate over the whole TSC range. */
	assert_int_equal(lapic_timer_init(&t, LAPIC_TIMER_MAX_HZ, LAPIC_TIMER_MAX_HZ), 0);
	lapic_timer_set_mode(&t, LAPIC_TIMER_PERIODIC, 0);
	lapic_timer_set_divide(&t, BY_1, 0);
	lapic_timer_set_initial(&t, 1, 0);
	assert_true(lapic_timer_expire(&t, UINT64_MAX - 1));
	assert_int_equal(lapic_timer_deadline(&t), UINT64_MAX);
	assert_int_equal(lapic_timer_current(&t, UINT64_MAX - 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(one_shot, setup),
		cmocka_unit_test_setup(read_takes_expiry, setup),
		cmocka_unit_test_setup(divide_table, setup),
		cmocka_unit_test_setup(periodic, setup),
		cmocka_unit_test_setup(masked, setup),
		cmocka_unit_test_setup(divide_while_counting, setup),
		cmocka_unit_test_setup(one_shot_periodic_switch, setup),
		cmocka_unit_test_setup(tsc_deadline, setup),
		cmocka_unit_test_setup(deadline_mode_changes_disarm, setup),
		cmocka_unit_test_setup(illegal_timer_vector, setup),
		cmocka_unit_test_setup(counter_rounding, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
