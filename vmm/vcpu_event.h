/* SPDX-License-Identifier: MIT */
/*
 * The events a vCPU delivers at its next VM entry, backend-neutral: the event whose delivery an
 * exit interrupted (SVM EXITINTINFO, AMD APM vol. 2 15.7.2; VMX IDT-vectoring information, Intel
 * SDM vol. 3C 28.2.4) is delivered again first; an exception an exit handler raises meanwhile is
 * combined with it by the exception classes of SDM vol. 3A 6.15 (table 6-5, "Interrupt 8 -
 * Double Fault Exception"): both contributory, or a page fault then a contributory exception or
 * a page fault, become #DF; a contributory exception or page fault while delivering #DF is a
 * triple fault; any other pair is handled serially - the interrupted event is delivered and the
 * new exception is held until an exit shows that delivery completed.
 *
 * Software events (INT n, INT3, INTO, INT1) are the exception: the exit left RIP at their
 * instruction, which has not completed. An exception raised while one waits is the
 * instruction's own fault (SDM vol. 2A "INT n/INTO/INT3/INT1": #GP, #NP, #SS, #PF during the
 * gate's delivery), and replaces it: the instruction runs again once the handler returns. One
 * whose instruction length is unknown (0: SVM without next-RIP save, APM vol. 2 15.20 "software
 * interrupts cannot be properly injected") is not delivered again either, for injecting it would
 * push RIP - the instruction itself - as the return address and run it twice: the guest
 * executes the instruction again instead, as KVM does on SVM without next-RIP save. Pure: runs
 * on the host under tests (tests/unit/test_vcpu_event.c).
 */
#ifndef SKIFF_VMM_VCPU_EVENT_H
#define SKIFF_VMM_VCPU_EVENT_H

#include <stdbool.h>
#include <stdint.h>

/* What kind of event (the backends' event types map one to one onto these). */
enum vcpu_event_type {
	VCPU_EVENT_EXT_INTR,	  /* external (maskable) interrupt */
	VCPU_EVENT_NMI,		  /* non-maskable interrupt */
	VCPU_EVENT_EXCEPTION,	  /* hardware exception */
	VCPU_EVENT_SOFT_INTR,	  /* INT n */
	VCPU_EVENT_SOFT_EXC,	  /* INT3, INTO */
	VCPU_EVENT_PRIV_SOFT_EXC, /* INT1 (ICEBP) */
};

/* One event; @insn_len is the length of the instruction that raised a software event. */
struct vcpu_event {
	bool valid;
	bool has_error;
	uint8_t type; /* enum vcpu_event_type */
	uint8_t vector;
	uint8_t insn_len;
	uint32_t error;
};

/* A vCPU's events: @inject is delivered at the next entry, @held after it (an exception). */
struct vcpu_events {
	struct vcpu_event inject;
	struct vcpu_event held;
};

/* What to do with a new exception, given the event already to be delivered. */
enum vcpu_event_action {
	VCPU_EVENT_ACT_INJECT,	     /* nothing else to deliver: inject it */
	VCPU_EVENT_ACT_HOLD,	     /* serial: deliver the first, hold the new one */
	VCPU_EVENT_ACT_DOUBLE_FAULT, /* replace both with #DF (error code 0) */
	VCPU_EVENT_ACT_TRIPLE_FAULT, /* the guest shuts down */
};

/*
 * vcpu_event_decide - what the exception @vector (0..31) raised while @first (may be invalid)
 * waits to be delivered becomes, by SDM vol. 3A 6.15 table 6-5. Only a hardware exception
 * (VCPU_EVENT_EXCEPTION) @first can be contributory, a page fault (#PF, #VE) or #DF; interrupts
 * are benign. A software event @first is the faulting instruction's: the exception is injected
 * in its place (VCPU_EVENT_ACT_INJECT).
 */
enum vcpu_event_action vcpu_event_decide(const struct vcpu_event *first, uint8_t vector);

/*
 * vcpu_event_exception - raise exception @vector (0..31; error code @error when @has_error) in
 * @ev by vcpu_event_decide(). Returns 0, -EINVAL (@vector above 31), -EBUSY (an exception is
 * held already; @ev unchanged) or -ENOTRECOVERABLE (a triple fault: @ev unchanged, the caller stops
 * the guest).
 */
int vcpu_event_exception(struct vcpu_events *ev, uint8_t vector, bool has_error, uint32_t error);

/*
 * vcpu_event_exit - after a VM exit (not an entry failure): the event injected at that entry was
 * consumed; @interrupted (may be invalid), the event whose delivery the exit interrupted, is
 * the next to inject - unless it is a software event of unknown instruction length, which its
 * instruction at RIP raises again; with none, a held exception is (its first event was
 * delivered).
 */
void vcpu_event_exit(struct vcpu_events *ev, const struct vcpu_event *interrupted);

#endif
