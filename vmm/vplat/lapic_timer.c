// SPDX-License-Identifier: MIT
/*
 * The local APIC timer's counter, worked out from the guest TSC (SDM vol. 3A 11.5.4, 11.5.4.1).
 *
 * While running, the count was from_count at guest TSC start and falls by one every
 * (tsc_hz << shift) / timer_hz TSC ticks. Elapsed counts are rounded down and the TSC value of a
 * count rounded up, so "counts(x) >= c" holds exactly when "x >= tsc_of(c)": the expiry the
 * model reports is the first TSC value at which the count has reached 0. 128-bit arithmetic
 * keeps every product exact (frequencies up to 2^40 Hz, divisor up to 2^7, counts up to 2^65);
 * its divisions are done here by div_u128() (libgcc's __udivti3/__umodti3 use SSE, docs/sse.md).
 */
#include "vmm/vplat/lapic_timer.h"

#include <errno.h>

#include "vmm/vplat/lapic_regs.h"

typedef unsigned __int128 u128;

/* The divide configuration's bits 3 and 1:0 as a 3-bit code; code 7 divides by 1 (figure 11-10). */
#define TDCR_CODE_HIGH_BIT 2u
#define TDCR_SHIFT_MASK	   7u

static unsigned int tdcr_shift(uint32_t tdcr)
{
	unsigned int code = (unsigned int)(FIELD_GET(LAPIC_TDCR_LOW, tdcr) |
					   FIELD_GET(LAPIC_TDCR_HIGH, tdcr) << TDCR_CODE_HIGH_BIT);

	return (code + 1) & TDCR_SHIFT_MASK;
}

/*
 * @n / @d (@d non-zero), the remainder in @rem: the CPU's 64-bit division when @n fits in 64
 * bits (the usual case), else long division, one bit of @n at a time.
 */
static u128 div_u128(u128 n, uint64_t d, uint64_t *rem)
{
	u128 q = 0, r = 0;

	if (!(n >> 64)) {
		*rem = (uint64_t)n % d;
		return (uint64_t)n / d;
	}
	for (int i = 127; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (u128)1 << i;
		}
	}
	*rem = (uint64_t)r;
	return q;
}

static u128 div_floor(u128 n, uint64_t d)
{
	uint64_t rem;

	return div_u128(n, d, &rem);
}

/* Counts elapsed from guest TSC @from to @to (none when @to is not later). */
static u128 counts_between(const struct lapic_timer *t, uint64_t from, uint64_t to)
{
	if (to <= from)
		return 0;
	return div_floor((u128)(to - from) * t->timer_hz, t->tsc_hz << t->shift);
}

/* @base plus the TSC ticks @counts take (rounded up), saturated at the largest TSC value. */
static uint64_t tsc_after(const struct lapic_timer *t, uint64_t base, u128 counts)
{
	u128 ticks = div_floor(counts * (t->tsc_hz << t->shift) + t->timer_hz - 1, t->timer_hz);

	if (ticks > (u128)(UINT64_MAX - base))
		return UINT64_MAX;
	return base + (uint64_t)ticks;
}

int lapic_timer_init(struct lapic_timer *t, uint64_t tsc_hz, uint64_t timer_hz)
{
	if (!timer_hz || timer_hz > tsc_hz || tsc_hz > LAPIC_TIMER_MAX_HZ)
		return -EINVAL;
	t->tsc_hz = tsc_hz;
	t->timer_hz = timer_hz;
	lapic_timer_reset(t);
	return 0;
}

void lapic_timer_reset(struct lapic_timer *t)
{
	t->mode = LAPIC_TIMER_ONE_SHOT;
	t->tdcr = 0;
	t->shift = tdcr_shift(0);
	t->initial = 0;
	t->running = false;
	t->start = 0;
	t->from_count = 0;
	t->next = 0;
	t->tsc_deadline = 0;
}

uint32_t lapic_timer_current(const struct lapic_timer *t, uint64_t now)
{
	uint64_t phase;
	u128 elapsed;

	if (!t->running)
		return 0;
	elapsed = counts_between(t, t->start, now);
	if (elapsed < t->from_count)
		return (uint32_t)(t->from_count - elapsed);
	if (t->mode != LAPIC_TIMER_PERIODIC)
		return 0;
	/* Reloaded from the initial count each time it reached 0. */
	div_u128(elapsed - t->from_count, t->initial, &phase);
	return (uint32_t)(t->initial - phase);
}

/* Go on counting from the current count at @now: start again there, expiry worked out anew. */
static void restart_at(struct lapic_timer *t, uint64_t now)
{
	t->from_count = lapic_timer_current(t, now);
	t->start = now;
	t->running = t->from_count != 0;
}

static void arm(struct lapic_timer *t)
{
	t->next = tsc_after(t, t->start, t->from_count);
}

bool lapic_timer_expire(struct lapic_timer *t, uint64_t now)
{
	u128 elapsed, periods;

	if (t->mode == LAPIC_TIMER_TSC_DEADLINE) {
		if (!t->tsc_deadline || now < t->tsc_deadline)
			return false;
		t->tsc_deadline = 0;
		return true;
	}
	if (!t->running || now < t->next)
		return false;
	if (t->mode != LAPIC_TIMER_PERIODIC) {
		t->running = false;
		return true;
	}
	/* Expiry k (k >= 1) is where from_count + (k - 1) * initial counts have elapsed. */
	elapsed = counts_between(t, t->start, now);
	periods = elapsed < t->from_count ? 0 : div_floor(elapsed - t->from_count, t->initial) + 1;
	t->next = tsc_after(t, t->start, t->from_count + periods * t->initial);
	return true;
}

uint64_t lapic_timer_deadline(const struct lapic_timer *t)
{
	if (t->mode == LAPIC_TIMER_TSC_DEADLINE)
		return t->tsc_deadline;
	return t->running ? t->next : 0;
}

void lapic_timer_set_mode(struct lapic_timer *t, unsigned int mode, uint64_t now)
{
	if (mode == t->mode)
		return;
	if (mode == LAPIC_TIMER_TSC_DEADLINE || t->mode == LAPIC_TIMER_TSC_DEADLINE) {
		t->mode = mode;
		t->initial = 0;
		t->running = false;
		t->tsc_deadline = 0;
		return;
	}
	if (t->running)
		restart_at(t, now);
	t->mode = mode;
	if (t->running)
		arm(t);
}

void lapic_timer_set_initial(struct lapic_timer *t, uint32_t count, uint64_t now)
{
	if (t->mode == LAPIC_TIMER_TSC_DEADLINE)
		return;
	t->initial = count;
	t->start = now;
	t->from_count = count;
	t->running = count != 0;
	if (t->running)
		arm(t);
}

void lapic_timer_set_divide(struct lapic_timer *t, uint32_t tdcr, uint64_t now)
{
	if (t->running)
		restart_at(t, now); /* at the old rate */
	t->tdcr = tdcr;
	t->shift = tdcr_shift(tdcr);
	if (t->running)
		arm(t);
}

void lapic_timer_set_tsc_deadline(struct lapic_timer *t, uint64_t deadline)
{
	if (t->mode == LAPIC_TIMER_TSC_DEADLINE)
		t->tsc_deadline = deadline;
}

uint64_t lapic_timer_tsc_deadline(const struct lapic_timer *t)
{
	return t->mode == LAPIC_TIMER_TSC_DEADLINE ? t->tsc_deadline : 0;
}
