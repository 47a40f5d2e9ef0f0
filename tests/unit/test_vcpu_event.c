// SPDX-License-Identifier: MIT
/*
 * vmm/vcpu_event.c: an exception raised while an event waits to be delivered, by the exception
 * classes of Intel SDM vol. 3A 6.15 (table 6-4: contributory 0, 10-13, 21; page faults 14, 20;
 * benign the rest and every interrupt) and their combination (table 6-5, "Interrupt 8"); a
 * software event (INT n, INT3, INTO, INT1) is its instruction's, which runs again (SDM vol. 2A
 * "INT n/INTO/INT3/INT1", APM vol. 2 15.20).
 * Sources: vmm/vcpu_event.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <cmocka.h>

#include "vmm/vcpu_event.h"

#define DE  0
#define DB  1
#define NMI 2
#define UD  6
#define DF  8
#define TS  10
#define GP  13
#define PF  14
#define VE  20
#define CP  21

static struct vcpu_event exc(uint8_t vector)
{
	return (struct vcpu_event){ .valid = true, .type = VCPU_EVENT_EXCEPTION, .vector = vector };
}

static void decide_nothing_waiting(void **state)
{
	const struct vcpu_event none = { 0 };

	(void)state;
	assert_int_equal(vcpu_event_decide(&none, GP), VCPU_EVENT_ACT_INJECT);
	assert_int_equal(vcpu_event_decide(&none, DF), VCPU_EVENT_ACT_INJECT);
}

/* Table 6-5, row by row. */
static void decide_table(void **state)
{
	struct vcpu_event de = exc(DE), gp = exc(GP), pf = exc(PF), ve = exc(VE), ud = exc(UD),
			  df = exc(DF), cp = exc(CP);

	(void)state;
	/* first benign: serial, whatever comes */
	assert_int_equal(vcpu_event_decide(&ud, GP), VCPU_EVENT_ACT_HOLD);
	assert_int_equal(vcpu_event_decide(&ud, PF), VCPU_EVENT_ACT_HOLD);
	/* first contributory: benign serial, contributory #DF, page fault serial */
	assert_int_equal(vcpu_event_decide(&gp, DB), VCPU_EVENT_ACT_HOLD);
	assert_int_equal(vcpu_event_decide(&gp, TS), VCPU_EVENT_ACT_DOUBLE_FAULT);
	assert_int_equal(vcpu_event_decide(&de, GP), VCPU_EVENT_ACT_DOUBLE_FAULT);
	assert_int_equal(vcpu_event_decide(&cp, DE), VCPU_EVENT_ACT_DOUBLE_FAULT);
	assert_int_equal(vcpu_event_decide(&gp, PF), VCPU_EVENT_ACT_HOLD);
	/* first page fault: benign serial, contributory and page fault #DF */
	assert_int_equal(vcpu_event_decide(&pf, UD), VCPU_EVENT_ACT_HOLD);
	assert_int_equal(vcpu_event_decide(&pf, GP), VCPU_EVENT_ACT_DOUBLE_FAULT);
	assert_int_equal(vcpu_event_decide(&pf, PF), VCPU_EVENT_ACT_DOUBLE_FAULT);
	assert_int_equal(vcpu_event_decide(&ve, PF), VCPU_EVENT_ACT_DOUBLE_FAULT);
	/* first #DF: contributory or page fault shut down, benign serial */
	assert_int_equal(vcpu_event_decide(&df, GP), VCPU_EVENT_ACT_TRIPLE_FAULT);
	assert_int_equal(vcpu_event_decide(&df, PF), VCPU_EVENT_ACT_TRIPLE_FAULT);
	assert_int_equal(vcpu_event_decide(&df, UD), VCPU_EVENT_ACT_HOLD);
}

/* Only hardware exceptions have classes: an NMI or interrupt 14 is benign. */
static void decide_interrupts_benign(void **state)
{
	const struct vcpu_event nmi = { .valid = true, .type = VCPU_EVENT_NMI, .vector = NMI },
				intr = { .valid = true, .type = VCPU_EVENT_EXT_INTR, .vector = PF };

	(void)state;
	assert_int_equal(vcpu_event_decide(&nmi, GP), VCPU_EVENT_ACT_HOLD);
	assert_int_equal(vcpu_event_decide(&intr, PF), VCPU_EVENT_ACT_HOLD);
}

/* INT 13, INT3 (#BP), INTO (#OF), INT1 waiting: the new exception is their instruction's fault
 * and takes their place, whatever its class (a #PF after INT 13 is no #DF). */
static void decide_software_replaced(void **state)
{
	const struct vcpu_event soft = { .valid = true,
					 .type = VCPU_EVENT_SOFT_INTR,
					 .vector = GP },
				bp = { .valid = true, .type = VCPU_EVENT_SOFT_EXC, .vector = 3 },
				icebp = { .valid = true,
					  .type = VCPU_EVENT_PRIV_SOFT_EXC,
					  .vector = DB };

	(void)state;
	assert_int_equal(vcpu_event_decide(&soft, GP), VCPU_EVENT_ACT_INJECT);
	assert_int_equal(vcpu_event_decide(&soft, PF), VCPU_EVENT_ACT_INJECT);
	assert_int_equal(vcpu_event_decide(&bp, PF), VCPU_EVENT_ACT_INJECT);
	assert_int_equal(vcpu_event_decide(&icebp, GP), VCPU_EVENT_ACT_INJECT);
}

/* INT 0x80 interrupted by an exit: with its length (2, VMX) it is injected again; without it
 * (SVM) it is not, and the INT at RIP runs again; likewise INT3. */
static void software_reinjection(void **state)
{
	struct vcpu_event intn = { .valid = true, .type = VCPU_EVENT_SOFT_INTR, .vector = 0x80 },
			  bp = { .valid = true, .type = VCPU_EVENT_SOFT_EXC, .vector = 3 };
	struct vcpu_events ev = { 0 };

	(void)state;
	vcpu_event_exit(&ev, &intn);
	assert_false(ev.inject.valid);
	vcpu_event_exit(&ev, &bp);
	assert_false(ev.inject.valid);
	intn.insn_len = 2;
	vcpu_event_exit(&ev, &intn);
	assert_true(ev.inject.valid);
	assert_int_equal(ev.inject.vector, 0x80);
	assert_int_equal(ev.inject.insn_len, 2);
	/* the delivery faulted (#PF reflected): the #PF alone, nothing held behind it */
	assert_int_equal(vcpu_event_exception(&ev, PF, true, 0), 0);
	assert_int_equal(ev.inject.type, VCPU_EVENT_EXCEPTION);
	assert_int_equal(ev.inject.vector, PF);
	assert_false(ev.held.valid);
}

/* #GP held behind an injected interrupt; the next exit interrupts the guest's own INT n (length
 * unknown): the interrupt was delivered, so #GP is next and the INT n runs again after it. */
static void held_after_dropped_software(void **state)
{
	const struct vcpu_event irq = { .valid = true,
					.type = VCPU_EVENT_EXT_INTR,
					.vector = 0x41 },
				intn = { .valid = true,
					 .type = VCPU_EVENT_SOFT_INTR,
					 .vector = 0x80 };
	struct vcpu_events ev = { 0 };

	(void)state;
	vcpu_event_exit(&ev, &irq);
	assert_int_equal(vcpu_event_exception(&ev, GP, true, 0), 0);
	assert_true(ev.held.valid);
	vcpu_event_exit(&ev, &intn);
	assert_true(ev.inject.valid);
	assert_int_equal(ev.inject.vector, GP);
	assert_false(ev.held.valid);
}

/* Re-injected interrupt 0x41, then #GP(0x18) from the handler: held, delivered after it. */
static void exception_held_behind_reinjection(void **state)
{
	const struct vcpu_event irq = { .valid = true,
					.type = VCPU_EVENT_EXT_INTR,
					.vector = 0x41 },
				none = { 0 };
	struct vcpu_events ev = { 0 };

	(void)state;
	vcpu_event_exit(&ev, &irq);
	assert_true(ev.inject.valid);
	assert_int_equal(vcpu_event_exception(&ev, GP, true, 0x18), 0);
	assert_int_equal(ev.inject.vector, 0x41);
	assert_int_equal(ev.inject.type, VCPU_EVENT_EXT_INTR);
	assert_true(ev.held.valid);
	assert_int_equal(ev.held.vector, GP);
	assert_int_equal(ev.held.error, 0x18);
	/* a second exception while one is held */
	assert_int_equal(vcpu_event_exception(&ev, UD, false, 0), -EBUSY);
	assert_int_equal(ev.held.vector, GP);
	/* the interrupt was interrupted again: it stays first, #GP stays held */
	vcpu_event_exit(&ev, &irq);
	assert_int_equal(ev.inject.vector, 0x41);
	assert_true(ev.held.valid);
	/* delivered: #GP comes next, then nothing */
	vcpu_event_exit(&ev, &none);
	assert_true(ev.inject.valid);
	assert_int_equal(ev.inject.vector, GP);
	assert_true(ev.inject.has_error);
	assert_int_equal(ev.inject.error, 0x18);
	assert_false(ev.held.valid);
	vcpu_event_exit(&ev, &none);
	assert_false(ev.inject.valid);
}

/* Re-injected #PF(error 2), then #GP: #DF with error code 0 replaces it. */
static void double_fault(void **state)
{
	struct vcpu_event pf = exc(PF);
	struct vcpu_events ev = { 0 };

	(void)state;
	pf.has_error = true;
	pf.error = 2;
	vcpu_event_exit(&ev, &pf);
	assert_int_equal(vcpu_event_exception(&ev, GP, true, 0), 0);
	assert_int_equal(ev.inject.type, VCPU_EVENT_EXCEPTION);
	assert_int_equal(ev.inject.vector, DF);
	assert_true(ev.inject.has_error);
	assert_int_equal(ev.inject.error, 0);
	assert_false(ev.held.valid);
	/* and a #PF while #DF waits: a triple fault, nothing changed */
	assert_int_equal(vcpu_event_exception(&ev, PF, true, 0), -ENOTRECOVERABLE);
	assert_int_equal(ev.inject.vector, DF);
	assert_false(ev.held.valid);
}

static void no_event_waiting(void **state)
{
	struct vcpu_events ev = { 0 };

	(void)state;
	assert_int_equal(vcpu_event_exception(&ev, UD, false, 0x1234), 0);
	assert_true(ev.inject.valid);
	assert_int_equal(ev.inject.vector, UD);
	assert_false(ev.inject.has_error);
	assert_int_equal(ev.inject.error, 0);
	assert_int_equal(vcpu_event_exception(&ev, 32, false, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decide_nothing_waiting),
		cmocka_unit_test(decide_table),
		cmocka_unit_test(decide_interrupts_benign),
		cmocka_unit_test(decide_software_replaced),
		cmocka_unit_test(software_reinjection),
		cmocka_unit_test(held_after_dropped_software),
		cmocka_unit_test(exception_held_behind_reinjection),
		cmocka_unit_test(double_fault),
		cmocka_unit_test(no_event_waiting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
