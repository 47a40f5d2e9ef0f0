/* SPDX-License-Identifier: MIT */
/*
 * SVM events in the vCPU's neutral form (vmm/vcpu_event.h): EXITINTINFO decoded (AMD APM vol. 2
 * 15.7.2 "Intercepts During IDT Interrupt Delivery"), EVENTINJ encoded (15.20 "Event
 * Injection"; both one format, appendix B table B-1), and the interrupt shadow a completed
 * instruction ends (15.21.5). Pure: runs on the host under tests (tests/unit/test_svm_event.c).
 */
#ifndef SKIFF_VMM_SVM_SVM_EVENT_H
#define SKIFF_VMM_SVM_SVM_EVENT_H

#include <stdint.h>

#include "vmm/vcpu_event.h"

/*
 * svm_event_decode - @intinfo (EXITINTINFO, 64 bits) as an event; invalid when its V bit is
 * clear. INTR, NMI and exceptions (type 3) map to their kinds, type 4 (INT n) to
 * VCPU_EVENT_SOFT_INTR; #BP and #OF, which SVM reports as type 3 but only INT3 and INTO raise
 * (15.7.2, table 15-1), to VCPU_EVENT_SOFT_EXC; the reserved types 1, 5..7 decode as exceptions.
 * A software event's insn_len is 0: without next-RIP save, and at the exits that can interrupt
 * an event's delivery even with it (15.7.1), the VMCB does not say how long the INT n, INT3 or
 * INTO at RIP is, so vcpu_event_exit() lets it execute again rather than re-injecting it.
 */
struct vcpu_event svm_event_decode(uint64_t intinfo);

/*
 * svm_eventinj - the EVENTINJ value (64 bits) that delivers @ev, 0 when @ev is invalid. SVM has
 * no software-exception types: INT3 / INTO / INT1 events are injected as exceptions (type 3).
 */
uint64_t svm_eventinj(const struct vcpu_event *ev);

/*
 * svm_int_shadow_retire - the VMCB's INTERRUPT_SHADOW field (offset 068h) after skiff completed
 * the exiting instruction: bit 0 (the STI / MOV SS shadow, which covers exactly one instruction)
 * cleared, the other bits (GUEST_INTERRUPT_MASK) kept.
 */
uint64_t svm_int_shadow_retire(uint64_t shadow);

#endif
