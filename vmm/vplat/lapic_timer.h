/* SPDX-License-Identifier: MIT */
/*
 * The local APIC timer's counter (Intel SDM vol. 3A 11.5.4): one-shot and periodic countdown of
 * the initial count at the APIC timer frequency divided by the divide configuration, and the
 * TSC-deadline mode (11.5.4.1), all in the guest's TSC. Pure and lazy: it holds when the count was
 * last known and works out the count and the next expiry for any guest TSC value it is given; it
 * raises nothing itself (vmm/vplat/lapic.c turns an expiry into the LVT timer interrupt).
 *
 * Units: every time is a guest TSC value (ticks at tsc_hz); counts are APIC timer ticks at
 * timer_hz / divisor. A time before the last start counts as the start (no count elapsed).
 */
#ifndef SKIFF_VMM_VPLAT_LAPIC_TIMER_H
#define SKIFF_VMM_VPLAT_LAPIC_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* Largest frequency either clock may have (about 1.1 THz): keeps the arithmetic in 128 bits. */
#define LAPIC_TIMER_MAX_HZ (1ull << 40)

struct lapic_timer {
	uint64_t tsc_hz;    /* guest TSC frequency */
	uint64_t timer_hz;  /* the APIC timer's input clock (the "bus clock") */
	unsigned int mode;  /* LAPIC_TIMER_ONE_SHOT, _PERIODIC or _TSC_DEADLINE */
	unsigned int shift; /* log2 of the divisor (0 .. 7) */
	uint32_t tdcr;	    /* divide configuration register as written */
	uint32_t initial;   /* initial count register */
	bool running;	    /* counting (one-shot or periodic, not yet expired for one-shot) */
	uint64_t start;	    /* guest TSC at which the count was from_count */
	uint32_t from_count;
	uint64_t next;	       /* guest TSC of the next expiry not yet taken (running) */
	uint64_t tsc_deadline; /* IA32_TSC_DEADLINE; 0 disarmed (TSC-deadline mode) */
};

/*
 * lapic_timer_init - @t in its RESET state (11.4.7.1: one-shot, count 0, divide by 2, disarmed)
 * for a guest TSC of @tsc_hz and an APIC timer clock of @timer_hz (both Hz). Returns 0, or
 * -EINVAL unless 0 < timer_hz <= tsc_hz <= LAPIC_TIMER_MAX_HZ.
 */
int lapic_timer_init(struct lapic_timer *t, uint64_t tsc_hz, uint64_t timer_hz);

/* lapic_timer_reset - back to the RESET state, the clocks kept (INIT, 11.4.7.3). */
void lapic_timer_reset(struct lapic_timer *t);

/*
 * lapic_timer_expire - take the expiries due at guest TSC @now: returns true when at least one
 * was due (the LVT timer interrupt is then raised once: the IRR holds one). One-shot stops,
 * periodic moves on to the first expiry after @now (those in between are one interrupt), and
 * TSC-deadline disarms and clears IA32_TSC_DEADLINE (11.5.4.1).
 */
bool lapic_timer_expire(struct lapic_timer *t, uint64_t now);

/* lapic_timer_deadline - guest TSC of the next expiry, or 0 when none is armed. */
uint64_t lapic_timer_deadline(const struct lapic_timer *t);

/*
 * lapic_timer_set_mode - the LVT timer's mode field changed to @mode at @now (after
 * lapic_timer_expire(@now)). A change to or from TSC-deadline mode disarms the timer and
 * zeroes the initial count (11.5.4.1); one-shot <-> periodic keeps counting from the current
 * count. @mode must be a valid mode (the caller refuses the reserved one).
 */
void lapic_timer_set_mode(struct lapic_timer *t, unsigned int mode, uint64_t now);

/*
 * lapic_timer_set_initial - a write of @count to the initial count register at @now: starts
 * the countdown from @count (0 stops it); ignored in TSC-deadline mode (11.5.4).
 */
void lapic_timer_set_initial(struct lapic_timer *t, uint32_t count, uint64_t now);

/*
 * lapic_timer_set_divide - a write of @tdcr (only LAPIC_TDCR_VALID bits; the caller refuses
 * others) at @now: a running count goes on from its current value at the new rate.
 */
void lapic_timer_set_divide(struct lapic_timer *t, uint32_t tdcr, uint64_t now);

/* lapic_timer_current - the current count register at @now (0 stopped, and in TSC-deadline). */
uint32_t lapic_timer_current(const struct lapic_timer *t, uint64_t now);

/*
 * lapic_timer_set_tsc_deadline - a write of @deadline to IA32_TSC_DEADLINE: arms the timer
 * (0 disarms) in TSC-deadline mode, ignored in the others (11.5.4.1). A deadline already past
 * expires at the next lapic_timer_expire().
 */
void lapic_timer_set_tsc_deadline(struct lapic_timer *t, uint64_t deadline);

/* lapic_timer_tsc_deadline - IA32_TSC_DEADLINE as read: 0 outside TSC-deadline mode. */
uint64_t lapic_timer_tsc_deadline(const struct lapic_timer *t);

#endif
