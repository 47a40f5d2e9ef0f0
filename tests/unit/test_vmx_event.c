// SPDX-License-Identifier: MIT
/*
 * vmm/vmx/vmx_event.c against Intel SDM vol. 3C: the IDT-vectoring information and the VM-entry
 * interruption information (25.9.3, 25.8.3 table 25-16: vector 7:0, type 10:8 - 0 external
 * interrupt, 2 NMI, 3 hardware exception, 4 software interrupt, 5 privileged software exception,
 * 6 software exception -, error code valid 11, valid 31) and the interruptibility state (25.4.2
 * table 25-3: STI 0, MOV SS 1, SMI 2, NMI 3, enclave 4).
 * Sources: vmm/vmx/vmx_event.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vmm/vmx/vmx_event.h"

/* #GP(0x18) during delivery: 0x0d | 3 << 8 | 1 << 11 | 1 << 31 = 0x80000b0d. The instruction
 * length is not kept for a hardware exception. */
static void decode_exception(void **state)
{
	struct vcpu_event ev = vmx_event_decode(0x80000b0du, 0x18, 3);

	(void)state;
	assert_true(ev.valid);
	assert_int_equal(ev.type, VCPU_EVENT_EXCEPTION);
	assert_int_equal(ev.vector, 0x0d);
	assert_true(ev.has_error);
	assert_int_equal(ev.error, 0x18);
	assert_int_equal(ev.insn_len, 0);
	assert_false(vmx_event_has_insn_len(&ev));
	assert_int_equal(vmx_entry_intr_info(&ev), 0x80000b0du);
}

/* INT 0x80 (2 bytes): 0x80 | 4 << 8 | V = 0x80000480; INT3: 3 | 6 << 8 | V = 0x80000603;
 * INT1: 1 | 5 << 8 | V = 0x80000501. Each keeps its length and encodes back to itself. */
static void decode_software(void **state)
{
	const uint32_t raw[] = { 0x80000480u, 0x80000603u, 0x80000501u };
	const uint8_t type[] = { VCPU_EVENT_SOFT_INTR, VCPU_EVENT_SOFT_EXC,
				 VCPU_EVENT_PRIV_SOFT_EXC };
	const uint32_t len[] = { 2, 1, 1 };

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		struct vcpu_event ev = vmx_event_decode(raw[i], 0, len[i]);

		assert_true(ev.valid);
		assert_int_equal(ev.type, type[i]);
		assert_int_equal(ev.insn_len, len[i]);
		assert_true(vmx_event_has_insn_len(&ev));
		assert_int_equal(vmx_entry_intr_info(&ev), raw[i]);
	}
}

/* External interrupt 0x41: 0x80000041; NMI: 2 | 2 << 8 | V = 0x80000202. */
static void decode_interrupts(void **state)
{
	struct vcpu_event intr = vmx_event_decode(0x80000041u, 0, 0),
			  nmi = vmx_event_decode(0x80000202u, 0, 0);

	(void)state;
	assert_int_equal(intr.type, VCPU_EVENT_EXT_INTR);
	assert_int_equal(intr.vector, 0x41);
	assert_int_equal(nmi.type, VCPU_EVENT_NMI);
	assert_int_equal(vmx_entry_intr_info(&intr), 0x80000041u);
	assert_int_equal(vmx_entry_intr_info(&nmi), 0x80000202u);
}

static void invalid(void **state)
{
	struct vcpu_event ev = vmx_event_decode(0x00000b0du, 0x18, 0);

	(void)state;
	assert_false(ev.valid);
	assert_int_equal(vmx_entry_intr_info(&ev), 0);
}

/* 0x1f (all five) -> 0x1c; 0x2 (MOV SS) -> 0; 0x8 (NMI) stays. */
static void interruptibility_retire(void **state)
{
	(void)state;
	assert_int_equal(vmx_interruptibility_retire(0x1f), 0x1c);
	assert_int_equal(vmx_interruptibility_retire(0x2), 0);
	assert_int_equal(vmx_interruptibility_retire(0x8), 0x8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_exception),	   cmocka_unit_test(decode_software),
		cmocka_unit_test(decode_interrupts),	   cmocka_unit_test(invalid),
		cmocka_unit_test(interruptibility_retire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
