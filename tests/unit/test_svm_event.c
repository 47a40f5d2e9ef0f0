// SPDX-License-Identifier: MIT
/*
 * vmm/svm/svm_event.c against AMD APM vol. 2: EXITINTINFO and EVENTINJ (15.7.2, 15.20, table
 * B-1: vector 7:0, type 10:8 - 0 INTR, 2 NMI, 3 exception, 4 INTn -, EV 11, V 31, error code
 * 63:32) and INTERRUPT_SHADOW (offset 068h: bit 0 the shadow, bit 1 GUEST_INTERRUPT_MASK).
 * Sources: vmm/svm/svm_event.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vmm/svm/svm_event.h"

/* #PF with error code 2 during delivery: 0x0e | 3 << 8 | 1 << 11 | 1 << 31 = 0x80000b0e, error
 * 2 in 63:32. */
static void decode_page_fault(void **state)
{
	struct vcpu_event ev = svm_event_decode(0x0000000280000b0eull);

	(void)state;
	assert_true(ev.valid);
	assert_int_equal(ev.type, VCPU_EVENT_EXCEPTION);
	assert_int_equal(ev.vector, 0x0e);
	assert_true(ev.has_error);
	assert_int_equal(ev.error, 2);
	assert_int_equal(svm_eventinj(&ev), 0x0000000280000b0eull);
}

/* Interrupt 0x41: 0x41 | 0 << 8 | 1 << 31 = 0x80000041; INT 0x80: 0x80 | 4 << 8 | V =
 * 0x80000480; NMI: 2 | 2 << 8 | V = 0x80000202. Each encodes back to itself. */
static void decode_interrupts(void **state)
{
	const uint64_t raw[] = { 0x80000041ull, 0x80000480ull, 0x80000202ull };
	const uint8_t type[] = { VCPU_EVENT_EXT_INTR, VCPU_EVENT_SOFT_INTR, VCPU_EVENT_NMI };

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		struct vcpu_event ev = svm_event_decode(raw[i]);

		assert_true(ev.valid);
		assert_int_equal(ev.type, type[i]);
		assert_false(ev.has_error);
		assert_int_equal(svm_eventinj(&ev), raw[i]);
	}
}

/* V clear: nothing, whatever the other bits say; an invalid event encodes as 0. */
static void invalid(void **state)
{
	struct vcpu_event ev = svm_event_decode(0x0000000200000b0eull);

	(void)state;
	assert_false(ev.valid);
	assert_int_equal(svm_eventinj(&ev), 0);
}

/* INT3 (a software exception, vector 3) has no SVM type of its own: 3 | 3 << 8 | V =
 * 0x80000303. */
static void soft_exception_as_exception(void **state)
{
	const struct vcpu_event bp = { .valid = true, .type = VCPU_EVENT_SOFT_EXC, .vector = 3 };

	(void)state;
	assert_int_equal(svm_eventinj(&bp), 0x80000303ull);
}

/* Type 3 with vector 3 (#BP) or 4 (#OF) is INT3 / INTO (15.7.2, table 15-1): 0x80000303 and
 * 0x80000304 decode as software exceptions, of unknown length, and encode back to themselves;
 * vector 1 (#DB) and 6 (#UD) stay hardware exceptions. */
static void int3_into_are_software(void **state)
{
	const uint64_t soft[] = { 0x80000303ull, 0x80000304ull },
		       hard[] = { 0x80000301ull, 0x80000306ull };

	(void)state;
	for (unsigned int i = 0; i < 2; i++) {
		struct vcpu_event ev = svm_event_decode(soft[i]);

		assert_int_equal(ev.type, VCPU_EVENT_SOFT_EXC);
		assert_int_equal(ev.insn_len, 0);
		assert_int_equal(svm_eventinj(&ev), soft[i]);
		ev = svm_event_decode(hard[i]);
		assert_int_equal(ev.type, VCPU_EVENT_EXCEPTION);
	}
	/* INT 3 (CD 03) is type 4: a software interrupt, not #BP */
	assert_int_equal(svm_event_decode(0x80000403ull).type, VCPU_EVENT_SOFT_INTR);
}

/* 0x3 (shadow and GUEST_INTERRUPT_MASK) -> 0x2; 0x1 -> 0; 0 stays. */
static void shadow_retire(void **state)
{
	(void)state;
	assert_int_equal(svm_int_shadow_retire(0x3), 0x2);
	assert_int_equal(svm_int_shadow_retire(0x1), 0);
	assert_int_equal(svm_int_shadow_retire(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_page_fault),
		cmocka_unit_test(decode_interrupts),
		cmocka_unit_test(invalid),
		cmocka_unit_test(soft_exception_as_exception),
		cmocka_unit_test(int3_into_are_software),
		cmocka_unit_test(shadow_retire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
