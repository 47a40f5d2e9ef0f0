// SPDX-License-Identifier: MIT
/* A vCPU's events at the next entry: see vcpu_event.h. */
#include "vmm/vcpu_event.h"

#include <errno.h>

/* Exception vectors (SDM vol. 3A 6.3.1, table 6-1). */
#define EXC_DE	       0
#define EXC_DF	       8
#define EXC_TS	       10
#define EXC_NP	       11
#define EXC_SS	       12
#define EXC_GP	       13
#define EXC_PF	       14
#define EXC_VE	       20
#define EXC_CP	       21
#define EXC_MAX_VECTOR 31
#define DF_ERROR       0 /* #DF's error code is always 0 (6.15 "Interrupt 8") */

/* Exception classes (6.15 table 6-4). */
enum exc_class { CLASS_BENIGN, CLASS_CONTRIBUTORY, CLASS_PAGE_FAULT, CLASS_DOUBLE_FAULT };

static enum exc_class class_of(uint8_t vector)
{
	switch (vector) {
	case EXC_DE:
	case EXC_TS:
	case EXC_NP:
	case EXC_SS:
	case EXC_GP:
	case EXC_CP:
		return CLASS_CONTRIBUTORY;
	case EXC_PF:
	case EXC_VE:
		return CLASS_PAGE_FAULT;
	case EXC_DF:
		return CLASS_DOUBLE_FAULT;
	default:
		return CLASS_BENIGN;
	}
}

/* INT n, INT3, INTO, INT1: raised by an instruction at RIP, which has not completed. */
static bool is_software(const struct vcpu_event *ev)
{
	return ev->type == VCPU_EVENT_SOFT_INTR || ev->type == VCPU_EVENT_SOFT_EXC ||
	       ev->type == VCPU_EVENT_PRIV_SOFT_EXC;
}

enum vcpu_event_action vcpu_event_decide(const struct vcpu_event *first, uint8_t vector)
{
	enum exc_class a, b = class_of(vector);

	if (!first->valid || is_software(first))
		return VCPU_EVENT_ACT_INJECT;
	a = first->type == VCPU_EVENT_EXCEPTION ? class_of(first->vector) : CLASS_BENIGN;
	if (b == CLASS_BENIGN || b == CLASS_DOUBLE_FAULT || a == CLASS_BENIGN)
		return VCPU_EVENT_ACT_HOLD;
	if (a == CLASS_DOUBLE_FAULT)
		return VCPU_EVENT_ACT_TRIPLE_FAULT;
	if (a == CLASS_CONTRIBUTORY && b == CLASS_PAGE_FAULT)
		return VCPU_EVENT_ACT_HOLD;
	return VCPU_EVENT_ACT_DOUBLE_FAULT;
}

int vcpu_event_exception(struct vcpu_events *ev, uint8_t vector, bool has_error, uint32_t error)
{
	const struct vcpu_event exc = { .valid = true,
					.has_error = has_error,
					.type = VCPU_EVENT_EXCEPTION,
					.vector = vector,
					.error = has_error ? error : 0 };

	if (vector > EXC_MAX_VECTOR)
		return -EINVAL;
	switch (vcpu_event_decide(&ev->inject, vector)) {
	case VCPU_EVENT_ACT_INJECT:
		ev->inject = exc;
		return 0;
	case VCPU_EVENT_ACT_HOLD:
		if (ev->held.valid)
			return -EBUSY;
		ev->held = exc;
		return 0;
	case VCPU_EVENT_ACT_DOUBLE_FAULT:
		ev->inject = (struct vcpu_event){ .valid = true,
						  .has_error = true,
						  .type = VCPU_EVENT_EXCEPTION,
						  .vector = EXC_DF,
						  .error = DF_ERROR };
		return 0;
	default:
		return -ENOTRECOVERABLE;
	}
}

void vcpu_event_exit(struct vcpu_events *ev, const struct vcpu_event *interrupted)
{
	if (interrupted->valid && !(is_software(interrupted) && !interrupted->insn_len)) {
		ev->inject = *interrupted;
		return;
	}
	ev->inject = ev->held;
	ev->held = (struct vcpu_event){ 0 };
}
