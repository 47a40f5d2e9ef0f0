// SPDX-License-Identifier: MIT
/* SVM events: see svm_event.h. */
#include "vmm/svm/svm_event.h"

#include "vmm/svm/svm_vmcb.h"

#define ERROR_MASK 0xffffffffull
#define EXC_BP	   3 /* raised by INT3 only (APM vol. 2 8.2.4) */
#define EXC_OF	   4 /* raised by INTO only (8.2.5) */

struct vcpu_event svm_event_decode(uint64_t intinfo)
{
	struct vcpu_event ev = { 0 };

	if (!(intinfo & SVM_EVENTINJ_V))
		return ev;
	ev.valid = true;
	ev.vector = (uint8_t)(intinfo & SVM_EVENTINJ_VECTOR);
	switch (intinfo & SVM_EVENTINJ_TYPE_MASK) {
	case SVM_EVENTINJ_TYPE_INTR:
		ev.type = VCPU_EVENT_EXT_INTR;
		break;
	case SVM_EVENTINJ_TYPE_NMI:
		ev.type = VCPU_EVENT_NMI;
		break;
	case SVM_EVENTINJ_TYPE_SOFT:
		ev.type = VCPU_EVENT_SOFT_INTR;
		break;
	default:
		ev.type = ev.vector == EXC_BP || ev.vector == EXC_OF ? VCPU_EVENT_SOFT_EXC :
								       VCPU_EVENT_EXCEPTION;
	}
	if (intinfo & SVM_EVENTINJ_EV) {
		ev.has_error = true;
		ev.error = (uint32_t)(intinfo >> SVM_EVENTINJ_ERR_SHIFT);
	}
	return ev;
}

uint64_t svm_eventinj(const struct vcpu_event *ev)
{
	uint64_t inj;

	if (!ev->valid)
		return 0;
	inj = ev->vector | SVM_EVENTINJ_V;
	switch (ev->type) {
	case VCPU_EVENT_EXT_INTR:
		inj |= SVM_EVENTINJ_TYPE_INTR;
		break;
	case VCPU_EVENT_NMI:
		inj |= SVM_EVENTINJ_TYPE_NMI;
		break;
	case VCPU_EVENT_SOFT_INTR:
		inj |= SVM_EVENTINJ_TYPE_SOFT;
		break;
	default:
		inj |= SVM_EVENTINJ_TYPE_EXC;
	}
	if (ev->has_error)
		inj |= SVM_EVENTINJ_EV | ((uint64_t)ev->error & ERROR_MASK)
						 << SVM_EVENTINJ_ERR_SHIFT;
	return inj;
}

uint64_t svm_int_shadow_retire(uint64_t shadow)
{
	return shadow & ~SVM_INT_SHADOW;
}
