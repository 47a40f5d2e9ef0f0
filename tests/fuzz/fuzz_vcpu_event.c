// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for a vCPU's pending events (vmm/vcpu_event.c) driven as the exit handlers
 * drive them: a sequence of exceptions raised (vcpu_event_exception(), any vector, the error
 * code the vector has or a random one) and exits, each with the event the exit interrupted
 * decoded from a random SVM EXITINTINFO (svm_event_decode()) or VMX IDT-vectoring information
 * (vmx_event_decode()), or none. Checked after every step:
 *  - both decoders against the field layouts (AMD APM vol. 2 15.7.2 and appendix B table B-1;
 *    Intel SDM vol. 3C 25.9.3): valid bit, vector, type, error code, instruction length;
 *  - the result and the events against a model written from SDM vol. 3A 6.15 tables 6-4 and
 *    6-5 (benign, contributory, page-fault and double-fault classes; serial, #DF or triple
 *    fault), -EINVAL above vector 31 and -EBUSY with an exception held already, the events then
 *    unchanged; and from SDM vol. 2A "INT n/INTO/INT3/INT1" and APM vol. 2 15.20 for software
 *    events: an exception raised while one waits is its instruction's fault and replaces it, and
 *    one interrupted with no instruction length is not delivered again (its instruction at RIP
 *    raises it again);
 *  - SVM has no software-exception type: an exception-type EXITINTINFO on vector 3 or 4 (#BP,
 *    #OF: INT3 and INTO only raise them, APM vol. 2 8.2.4, 8.2.5) decodes as one;
 *  - while every event that went in was one the CPU can report (an exception below 32 with the
 *    error code exactly when its vector has one, NMI on 2, INT1 / INT3 / INTO on 1 / 3 / 4, an
 *    interrupt from 16 up, software events' length at most 15): every event that comes out is
 *    such an event too, a held one is an exception behind a valid injected one, #DF carries
 *    error code 0, and the injected event survives encoding for entry and decoding again on both
 *    backends (vmx_entry_intr_info(), svm_eventinj(); SVM has no software-exception types).
 * Input: steps of one byte (the step: raise, SVM exit, VMX exit, exit with none) and its fields.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_x86.h"
#include "vmm/insn.h"
#include "vmm/svm/svm_event.h"
#include "vmm/vcpu_event.h"
#include "vmm/vmx/vmx_event.h"

#define MAX_STEPS	 64
#define INFO_VALID	 (1u << 31) /* both formats: bit 31 valid */
#define INFO_ERROR_VALID (1u << 11) /* and bit 11 error code valid */
#define INFO_VECTOR	 0xffu
#define INFO_TYPE_SHIFT	 8u
#define INFO_TYPE_MASK	 7u
#define SVM_ERROR_SHIFT	 32u
#define RAISE_RAW_ERROR	 (1u << 0) /* raise: the error-code bit from the input, not the vector */
#define RAISE_HAS_ERROR	 (1u << 1)
#define FIRST_INTR	 16u /* vectors 0-15 are no interrupt an APIC delivers (SDM 3A 11.5.2) */

enum step { STEP_RAISE, STEP_SVM_EXIT, STEP_VMX_EXIT, STEP_EXIT, NR_STEPS };

/* The event types by the field's type (SVM: APM table B-1; VMX: SDM 3C table 25-16). */
static const uint8_t svm_types[8] = {
	VCPU_EVENT_EXT_INTR,  VCPU_EVENT_EXCEPTION, VCPU_EVENT_NMI,	  VCPU_EVENT_EXCEPTION,
	VCPU_EVENT_SOFT_INTR, VCPU_EVENT_EXCEPTION, VCPU_EVENT_EXCEPTION, VCPU_EVENT_EXCEPTION,
};
static const uint8_t vmx_types[8] = {
	VCPU_EVENT_EXT_INTR,  VCPU_EVENT_EXCEPTION,	VCPU_EVENT_NMI,	     VCPU_EVENT_EXCEPTION,
	VCPU_EVENT_SOFT_INTR, VCPU_EVENT_PRIV_SOFT_EXC, VCPU_EVENT_SOFT_EXC, VCPU_EVENT_EXCEPTION,
};

#define SVM_TYPE_EXC 3u /* table B-1: exception */

/* SDM 3A 6.15 table 6-4 classes, and table 6-5: first event's class by second exception's. */
enum cls { BENIGN, CONTRIBUTORY, PAGE_FAULT, DOUBLE_FAULT };
enum outcome { SERIAL, TO_DF, TO_TRIPLE };
#define CONTRIBUTORY_SET \
	((1u << 0) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 21))
#define PAGE_FAULT_SET ((1u << 14) | (1u << 20)) /* #PF, #VE */
static const enum outcome table_6_5[4][3] = {
	[BENIGN] = { SERIAL, SERIAL, SERIAL },
	[CONTRIBUTORY] = { SERIAL, TO_DF, SERIAL },
	[PAGE_FAULT] = { SERIAL, TO_DF, TO_DF },
	[DOUBLE_FAULT] = { SERIAL, TO_TRIPLE, TO_TRIPLE },
};

#define require(cond)            \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static enum cls class_of(unsigned int vector)
{
	if (vector >= X86_NR_EXCEPTIONS)
		return BENIGN;
	if (vector == X86_EXC_DF)
		return DOUBLE_FAULT;
	return (CONTRIBUTORY_SET >> vector) & 1 ? CONTRIBUTORY :
	       (PAGE_FAULT_SET >> vector) & 1	? PAGE_FAULT :
						  BENIGN;
}

/* INT n, INT3, INTO, INT1 (SDM 3C table 25-16 types 4-6). */
static bool is_software(const struct vcpu_event *e)
{
	return e->type == VCPU_EVENT_SOFT_INTR || e->type == VCPU_EVENT_SOFT_EXC ||
	       e->type == VCPU_EVENT_PRIV_SOFT_EXC;
}

/* The type an SVM EXITINTINFO / EVENTINJ of @type_field and @vector decodes as. */
static uint8_t svm_type_of(unsigned int type_field, unsigned int vector)
{
	uint8_t type = svm_types[type_field & INFO_TYPE_MASK];

	if (type == VCPU_EVENT_EXCEPTION && (vector == X86_EXC_BP || vector == X86_EXC_OF))
		return VCPU_EVENT_SOFT_EXC;
	return type;
}

static bool same(const struct vcpu_event *a, const struct vcpu_event *b)
{
	return a->valid == b->valid && a->has_error == b->has_error && a->type == b->type &&
	       a->vector == b->vector && a->insn_len == b->insn_len && a->error == b->error;
}

static bool is_none(const struct vcpu_event *e)
{
	const struct vcpu_event none = { 0 };

	return same(e, &none);
}

/* An event the CPU can report or deliver (SDM 3A 6.3.1, 6.15; 3C 25.8.3). */
static bool architectural(const struct vcpu_event *e)
{
	if (!e->valid)
		return is_none(e);
	if (e->type != VCPU_EVENT_EXCEPTION && e->has_error)
		return false;
	if (!e->has_error && e->error)
		return false;
	switch (e->type) {
	case VCPU_EVENT_EXT_INTR:
		return e->vector >= FIRST_INTR && !e->insn_len;
	case VCPU_EVENT_NMI:
		return e->vector == X86_EXC_NMI && !e->insn_len;
	case VCPU_EVENT_EXCEPTION:
		return e->vector < X86_NR_EXCEPTIONS && e->vector != X86_EXC_NMI &&
		       e->has_error == x86_exc_has_error(e->vector) &&
		       (e->vector != X86_EXC_DF || !e->error) && !e->insn_len;
	case VCPU_EVENT_SOFT_INTR:
		return e->insn_len <= INSN_MAX_LEN;
	case VCPU_EVENT_SOFT_EXC:
		return (e->vector == X86_EXC_BP || e->vector == X86_EXC_OF) &&
		       e->insn_len <= INSN_MAX_LEN;
	case VCPU_EVENT_PRIV_SOFT_EXC:
		return e->vector == X86_EXC_DB && e->insn_len <= INSN_MAX_LEN;
	default:
		return false;
	}
}

static void check_decoded(const struct vcpu_event *e, uint64_t info, bool svm, uint32_t error,
			  uint8_t insn_len)
{
	unsigned int type_field = (info >> INFO_TYPE_SHIFT) & INFO_TYPE_MASK;

	if (!(info & INFO_VALID)) {
		require(is_none(e));
		return;
	}
	require(e->valid && e->vector == (info & INFO_VECTOR));
	require(e->type == (svm ? svm_type_of(type_field, e->vector) : vmx_types[type_field]));
	require(e->has_error == !!(info & INFO_ERROR_VALID));
	require(e->error == (e->has_error ? error : 0));
	require(e->insn_len == insn_len);
}

/* The model's vcpu_event_exception(). */
static int model_raise(struct vcpu_events *m, uint8_t vector, bool has_error, uint32_t error)
{
	const struct vcpu_event exc = { .valid = true,
					.has_error = has_error,
					.type = VCPU_EVENT_EXCEPTION,
					.vector = vector,
					.error = has_error ? error : 0 };
	enum cls first, second;

	if (vector >= X86_NR_EXCEPTIONS)
		return -EINVAL;
	if (!m->inject.valid || is_software(&m->inject)) {
		m->inject = exc;
		return 0;
	}
	first = m->inject.type == VCPU_EVENT_EXCEPTION ? class_of(m->inject.vector) : BENIGN;
	second = class_of(vector);
	if (second == DOUBLE_FAULT)
		second = BENIGN; /* table 6-5 has no #DF column: handled serially */
	switch (table_6_5[first][second]) {
	case SERIAL:
		if (m->held.valid)
			return -EBUSY;
		m->held = exc;
		return 0;
	case TO_DF:
		m->inject = (struct vcpu_event){ .valid = true,
						 .has_error = true,
						 .type = VCPU_EVENT_EXCEPTION,
						 .vector = X86_EXC_DF };
		return 0;
	default:
		return -ENOTRECOVERABLE;
	}
}

/* The model's vcpu_event_exit(). */
static void model_exit(struct vcpu_events *m, const struct vcpu_event *interrupted)
{
	if (interrupted->valid && (!is_software(interrupted) || interrupted->insn_len)) {
		m->inject = *interrupted;
		return;
	}
	m->inject = m->held;
	m->held = (struct vcpu_event){ 0 };
}

/* The injected event through both backends' entry encodings and back. */
static void check_round_trip(const struct vcpu_event *e)
{
	struct vcpu_event svm = *e, back;

	back = vmx_event_decode(vmx_entry_intr_info(e), e->error, e->insn_len);
	require(same(&back, e));
	if (svm.type == VCPU_EVENT_SOFT_EXC || svm.type == VCPU_EVENT_PRIV_SOFT_EXC)
		svm.type = VCPU_EVENT_EXCEPTION;
	if (svm.type == VCPU_EVENT_EXCEPTION)
		svm.type = svm_type_of(SVM_TYPE_EXC, svm.vector);
	svm.insn_len = 0;
	back = svm_event_decode(svm_eventinj(e));
	require(same(&back, &svm));
}

static void check_events(const struct vcpu_events *ev, const struct vcpu_events *model, bool clean)
{
	require(same(&ev->inject, &model->inject) && same(&ev->held, &model->held));
	require(!ev->held.valid || (ev->inject.valid && ev->held.type == VCPU_EVENT_EXCEPTION));
	if (!clean)
		return;
	require(architectural(&ev->inject) && architectural(&ev->held));
	if (ev->inject.valid)
		check_round_trip(&ev->inject);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct vcpu_events ev = { 0 }, model = { 0 };
	bool clean = true; /* every event so far was architectural */

	for (unsigned int n = 0; n < MAX_STEPS && in.n; n++) {
		struct vcpu_event got;
		uint64_t info;
		uint32_t error;
		uint8_t len;
		int rc;

		switch (fuzz_take(&in, 1) % NR_STEPS) {
		case STEP_RAISE: {
			uint8_t vector = (uint8_t)fuzz_take(&in, 1);
			unsigned int how = (unsigned int)fuzz_take(&in, 1);
			bool has_error = how & RAISE_RAW_ERROR ? how & RAISE_HAS_ERROR :
								 x86_exc_has_error(vector);
			struct vcpu_events before = ev;

			error = (uint32_t)fuzz_take(&in, 4);
			if (vector < X86_NR_EXCEPTIONS && has_error != x86_exc_has_error(vector))
				clean = false;
			if (vector == X86_EXC_NMI || (vector == X86_EXC_DF && error))
				clean = false; /* NMI is no exception; #DF's error code is 0 */
			rc = vcpu_event_exception(&ev, vector, has_error, error);
			require(rc == model_raise(&model, vector, has_error, error));
			if (rc) /* refused, held back or a triple fault: nothing changed */
				require(same(&ev.inject, &before.inject) &&
					same(&ev.held, &before.held));
			break;
		}
		case STEP_SVM_EXIT:
			info = fuzz_take(&in, 8);
			got = svm_event_decode(info);
			check_decoded(&got, info, true, (uint32_t)(info >> SVM_ERROR_SHIFT), 0);
			clean &= architectural(&got);
			vcpu_event_exit(&ev, &got);
			model_exit(&model, &got);
			break;
		case STEP_VMX_EXIT: {
			uint32_t idt = (uint32_t)fuzz_take(&in, 4), raw_len;
			uint8_t type;

			error = (uint32_t)fuzz_take(&in, 4);
			raw_len = (uint32_t)fuzz_take(&in, 4);
			got = vmx_event_decode(idt, error, raw_len);
			type = vmx_types[(idt >> INFO_TYPE_SHIFT) & INFO_TYPE_MASK];
			len = type == VCPU_EVENT_SOFT_INTR || type == VCPU_EVENT_SOFT_EXC ||
					      type == VCPU_EVENT_PRIV_SOFT_EXC ?
				      (uint8_t)raw_len :
				      0;
			check_decoded(&got, idt, false, error, idt & INFO_VALID ? len : 0);
			clean &= architectural(&got) &&
				 (!vmx_event_has_insn_len(&got) || raw_len <= INSN_MAX_LEN);
			vcpu_event_exit(&ev, &got);
			model_exit(&model, &got);
			break;
		}
		default:
			got = (struct vcpu_event){ 0 };
			vcpu_event_exit(&ev, &got);
			model_exit(&model, &got);
		}
		check_events(&ev, &model, clean);
	}
	return 0;
}
