// SPDX-License-Identifier: MIT
/*
 * A guest's local APIC in x2APIC mode (SDM vol. 3A ch. 11): the register file behind the x2APIC
 * MSRs, IRR/ISR/TMR and priorities (11.8), the ESR and error LVT (11.5.3), IPIs (11.6, 11.12.9),
 * and the LVT timer on top of vmm/vplat/lapic_timer.c. What the guest sees is in lapic.h.
 */
#include "vmm/vplat/lapic.h"

#include <errno.h>
#include <string.h>

/* LVT entries in the order of their MSRs, from X2APIC_MSR_LVT_TIMER. */
enum lvt {
	LVT_TIMER,
	LVT_THERMAL,
	LVT_PMC,
	LVT_LINT0,
	LVT_LINT1,
	LVT_ERROR,
	NR_LVT,
};
_Static_assert(X2APIC_MSR_LVT_TIMER + LVT_ERROR == X2APIC_MSR_LVT_ERROR, "LVT MSR order");
_Static_assert(NR_LVT == VLAPIC_NR_LVT, "LVT count");

#define LVT_DM_FIELDS	(LAPIC_LVT_VECTOR | LAPIC_LVT_DELIVERY_MODE | LAPIC_LVT_MASK)
#define LVT_LINT_FIELDS (LVT_DM_FIELDS | LAPIC_LVT_POLARITY | LAPIC_LVT_TRIGGER)

/* Bits a write sets in each entry (figure 11-8); the read-only ones are ignored, others #GP. */
static const uint32_t lvt_writable[NR_LVT] = {
	[LVT_TIMER] = LAPIC_LVT_VECTOR | LAPIC_LVT_MASK | LAPIC_LVT_TIMER_MODE,
	[LVT_THERMAL] = LVT_DM_FIELDS,
	[LVT_PMC] = LVT_DM_FIELDS,
	[LVT_LINT0] = LVT_LINT_FIELDS,
	[LVT_LINT1] = LVT_LINT_FIELDS,
	[LVT_ERROR] = LAPIC_LVT_VECTOR | LAPIC_LVT_MASK,
};
static const uint32_t lvt_read_only[NR_LVT] = {
	[LVT_TIMER] = LAPIC_LVT_DELIVERY_STATUS,
	[LVT_THERMAL] = LAPIC_LVT_DELIVERY_STATUS,
	[LVT_PMC] = LAPIC_LVT_DELIVERY_STATUS,
	[LVT_LINT0] = LAPIC_LVT_DELIVERY_STATUS | LAPIC_LVT_REMOTE_IRR,
	[LVT_LINT1] = LAPIC_LVT_DELIVERY_STATUS | LAPIC_LVT_REMOTE_IRR,
	[LVT_ERROR] = LAPIC_LVT_DELIVERY_STATUS,
};

#define VERSION                                                        \
	(FIELD_PREP(LAPIC_VERSION_VERSION, LAPIC_VERSION_INTEGRATED) | \
	 FIELD_PREP(LAPIC_VERSION_MAX_LVT, NR_LVT - 1))
#define SVR_WRITABLE	    (LAPIC_SVR_VECTOR | LAPIC_SVR_ENABLE)
#define APIC_BASE_MODE	    (APIC_BASE_EN | APIC_BASE_EXTD)
#define MAXPHYADDR_MIN	    32u
#define MAXPHYADDR_MAX	    52u
#define X2APIC_MSR_ISR_LAST (X2APIC_MSR_ISR0 + LAPIC_VEC_WORDS - 1)
#define X2APIC_MSR_TMR_LAST (X2APIC_MSR_TMR0 + LAPIC_VEC_WORDS - 1)
#define X2APIC_MSR_IRR_LAST (X2APIC_MSR_IRR0 + LAPIC_VEC_WORDS - 1)

static void vec_set(uint32_t *reg, unsigned int vector)
{
	reg[vector / LAPIC_VEC_WORD_BITS] |= 1u << (vector % LAPIC_VEC_WORD_BITS);
}

static void vec_clear(uint32_t *reg, unsigned int vector)
{
	reg[vector / LAPIC_VEC_WORD_BITS] &= ~(1u << (vector % LAPIC_VEC_WORD_BITS));
}

/* The highest vector set in @reg, or -1. */
static int vec_highest(const uint32_t *reg)
{
	for (int i = LAPIC_VEC_WORDS - 1; i >= 0; i--)
		if (reg[i])
			return i * (int)LAPIC_VEC_WORD_BITS + (int)LAPIC_VEC_WORD_BITS - 1 -
			       __builtin_clz(reg[i]);
	return -1;
}

static unsigned int vec_class(unsigned int v)
{
	return (unsigned int)FIELD_GET(LAPIC_VECTOR_CLASS, v);
}

static bool x2apic_mode(const struct vlapic *a)
{
	return (a->apic_base & APIC_BASE_MODE) == APIC_BASE_MODE;
}

static bool sw_enabled(const struct vlapic *a)
{
	return a->svr & LAPIC_SVR_ENABLE;
}

static uint32_t ldr(const struct vlapic *a)
{
	return (uint32_t)(FIELD_PREP(X2APIC_LDR_CLUSTER, FIELD_GET(X2APIC_ID_CLUSTER, a->cfg.id)) |
			  1u << FIELD_GET(X2APIC_ID_MEMBER, a->cfg.id));
}

/* Every register but ID and IA32_APIC_BASE to its RESET value (11.4.7.1, 11.12.5.1). */
static void reset_registers(struct vlapic *a)
{
	a->tpr = 0;
	a->svr = LAPIC_SVR_RESET;
	memset(a->isr, 0, sizeof(a->isr));
	memset(a->tmr, 0, sizeof(a->tmr));
	memset(a->irr, 0, sizeof(a->irr));
	a->esr = 0;
	a->esr_pending = 0;
	a->icr = 0;
	for (unsigned int i = 0; i < NR_LVT; i++)
		a->lvt[i] = LAPIC_LVT_RESET;
	lapic_timer_reset(&a->timer);
}

int vlapic_init(struct vlapic *a, const struct vlapic_config *cfg)
{
	if (cfg->id == X2APIC_BROADCAST || cfg->maxphyaddr < MAXPHYADDR_MIN ||
	    cfg->maxphyaddr > MAXPHYADDR_MAX)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (lapic_timer_init(&a->timer, cfg->tsc_hz, cfg->timer_hz))
		return -EINVAL;
	a->cfg = *cfg;
	a->apic_base = APIC_BASE_ADDR_DEFAULT | APIC_BASE_MODE | (cfg->bsp ? APIC_BASE_BSP : 0);
	reset_registers(a);
	return 0;
}

void vlapic_init_signal(struct vlapic *a)
{
	reset_registers(a);
}

/* Into the IRR, its TMR bit saying the trigger (11.8.4). */
static void set_irr(struct vlapic *a, unsigned int vector, bool level)
{
	vec_set(a->irr, vector);
	if (level)
		vec_set(a->tmr, vector);
	else
		vec_clear(a->tmr, vector);
}

/* Errors @bits detected (11.5.3): latched for the next ESR write, and the error LVT's vector. */
static void report_error(struct vlapic *a, uint32_t bits)
{
	uint32_t lvt = a->lvt[LVT_ERROR];
	unsigned int vector = (unsigned int)FIELD_GET(LAPIC_LVT_VECTOR, lvt);

	a->esr_pending |= bits;
	if (lvt & LAPIC_LVT_MASK)
		return;
	if (vector < LAPIC_FIRST_VECTOR) {
		a->esr_pending |= LAPIC_ESR_RECV_ILLEGAL; /* no further error interrupt */
		return;
	}
	set_irr(a, vector, false);
}

int vlapic_deliver(struct vlapic *a, uint8_t vector, bool level)
{
	if (!x2apic_mode(a) || !sw_enabled(a)) {
		a->stats.dropped++;
		return -ENODEV;
	}
	if (vector < LAPIC_FIRST_VECTOR) {
		report_error(a, LAPIC_ESR_RECV_ILLEGAL);
		return -EINVAL;
	}
	set_irr(a, vector, level);
	return 0;
}

uint32_t vlapic_ppr(const struct vlapic *a)
{
	int isrv = vec_highest(a->isr);
	unsigned int isr_class = isrv < 0 ? 0 : vec_class((unsigned int)isrv);

	if (vec_class(a->tpr) >= isr_class)
		return a->tpr;
	return (uint32_t)FIELD_PREP(LAPIC_VECTOR_CLASS, isr_class);
}

bool vlapic_pending(const struct vlapic *a, uint8_t *vector)
{
	int irrv = vec_highest(a->irr);

	if (irrv < 0 || vec_class((unsigned int)irrv) <= vec_class(vlapic_ppr(a)))
		return false;
	*vector = (uint8_t)irrv;
	return true;
}

int vlapic_ack(struct vlapic *a, uint8_t vector)
{
	uint8_t pending;

	if (!vlapic_pending(a, &pending) || pending != vector)
		return -EINVAL;
	vec_clear(a->irr, vector);
	vec_set(a->isr, vector);
	return 0;
}

/* EOI (11.8.5): the highest in-service vector is done; nothing when none is. */
static void eoi(struct vlapic *a)
{
	int isrv = vec_highest(a->isr);

	if (isrv >= 0)
		vec_clear(a->isr, (unsigned int)isrv);
}

bool vlapic_accepts(const struct vlapic *a, uint32_t dest, bool logical)
{
	uint32_t own = ldr(a);

	if (dest == X2APIC_BROADCAST)
		return true;
	if (!logical)
		return dest == a->cfg.id;
	return FIELD_GET(X2APIC_LDR_CLUSTER, dest) == FIELD_GET(X2APIC_LDR_CLUSTER, own) &&
	       (dest & own & X2APIC_LDR_MEMBERS);
}

uint64_t vlapic_timer_deadline(const struct vlapic *a)
{
	if (a->lvt[LVT_TIMER] & LAPIC_LVT_MASK)
		return 0;
	return lapic_timer_deadline(&a->timer);
}

bool vlapic_timer_expire(struct vlapic *a, uint64_t now)
{
	uint32_t lvt = a->lvt[LVT_TIMER];
	unsigned int vector = (unsigned int)FIELD_GET(LAPIC_LVT_VECTOR, lvt);

	if (!lapic_timer_expire(&a->timer, now) || (lvt & LAPIC_LVT_MASK))
		return false;
	if (vector < LAPIC_FIRST_VECTOR) {
		report_error(a, LAPIC_ESR_RECV_ILLEGAL);
		return false;
	}
	set_irr(a, vector, false);
	return true;
}

/* Whether a delivery mode this model sends may leave the APIC; errors reported. */
static bool sendable(struct vlapic *a, uint64_t icr)
{
	unsigned int mode = (unsigned int)FIELD_GET(LAPIC_ICR_DELIVERY_MODE, icr);

	switch (mode) {
	case LAPIC_DM_FIXED:
		if (FIELD_GET(LAPIC_ICR_VECTOR, icr) >= LAPIC_FIRST_VECTOR)
			return true;
		report_error(a, LAPIC_ESR_SEND_ILLEGAL);
		break;
	case LAPIC_DM_LOWEST: /* before the vector check (11.6.3.1) */
		report_error(a, LAPIC_ESR_REDIRECTABLE_IPI);
		break;
	case LAPIC_DM_NMI:
	case LAPIC_DM_INIT:
	case LAPIC_DM_STARTUP:
		return true;
	default: /* SMI: the platform has no SMM; 3 and 7 are reserved */
		break;
	}
	a->stats.ipi_refused++;
	return false;
}

/* An ICR write (11.6.1, 11.12.9): the IPI to this APIC and through the VM to the others. */
static void send_ipi(struct vlapic *a, uint64_t icr)
{
	struct vlapic_ipi ipi = {
		.delivery_mode = (unsigned int)FIELD_GET(LAPIC_ICR_DELIVERY_MODE, icr),
		.dest = (uint32_t)FIELD_GET(LAPIC_ICR_DEST, icr),
	};
	bool logical = icr & LAPIC_ICR_LOGICAL, to_self, to_others, taken = false;

	if (!sendable(a, icr))
		return;
	/* INIT level de-assert: not sent by Pentium 4 and later processors (11.6.1). */
	if (ipi.delivery_mode == LAPIC_DM_INIT && (icr & LAPIC_ICR_TRIGGER) &&
	    !(icr & LAPIC_ICR_LEVEL))
		return;
	if (ipi.delivery_mode == LAPIC_DM_FIXED || ipi.delivery_mode == LAPIC_DM_STARTUP)
		ipi.vector = (uint8_t)FIELD_GET(LAPIC_ICR_VECTOR, icr);
	switch (FIELD_GET(LAPIC_ICR_SHORTHAND, icr)) {
	case LAPIC_SHORTHAND_NONE:
		to_self = vlapic_accepts(a, ipi.dest, logical);
		to_others = logical || ipi.dest != a->cfg.id;
		ipi.dest_kind = ipi.dest == X2APIC_BROADCAST ? VLAPIC_DEST_ALL :
				logical			     ? VLAPIC_DEST_LOGICAL :
							       VLAPIC_DEST_PHYSICAL;
		break;
	case LAPIC_SHORTHAND_SELF:
		to_self = true;
		to_others = false;
		break;
	default:
		to_self = FIELD_GET(LAPIC_ICR_SHORTHAND, icr) == LAPIC_SHORTHAND_ALL;
		to_others = true;
		ipi.dest_kind = VLAPIC_DEST_ALL;
		ipi.dest = X2APIC_BROADCAST;
		break;
	}
	if (to_self && ipi.delivery_mode != LAPIC_DM_FIXED) {
		a->stats.ipi_refused++; /* NMI, INIT, start-up to itself: not modelled */
		to_self = false;
		if (!to_others)
			return;
	}
	if (to_self) {
		vlapic_deliver(a, ipi.vector, false);
		taken = true;
	}
	if (to_others && a->cfg.ops.send_ipi)
		taken |= a->cfg.ops.send_ipi(a->cfg.ops.ctx, a, &ipi);
	a->stats.ipi_sent++;
	if (!taken)
		a->stats.ipi_absent++;
}

static void self_ipi(struct vlapic *a, unsigned int vector)
{
	if (vector < LAPIC_FIRST_VECTOR) {
		report_error(a, LAPIC_ESR_SEND_ILLEGAL);
		a->stats.ipi_refused++;
		return;
	}
	vlapic_deliver(a, (uint8_t)vector, false);
	a->stats.ipi_sent++;
}

/* IA32_APIC_BASE (11.4.4) and the transitions of figure 11-27 (11.12.5). */
static int write_apic_base(struct vlapic *a, uint64_t value)
{
	uint64_t valid =
		GENMASK(a->cfg.maxphyaddr - 1, APIC_BASE_ADDR_LOW) | APIC_BASE_BSP | APIC_BASE_MODE;
	bool was_x2apic = x2apic_mode(a);

	if (value & ~valid)
		return -EINVAL;
	switch (value & APIC_BASE_MODE) {
	case APIC_BASE_MODE: /* x2APIC: only from x2APIC (disabled -> x2APIC is illegal) */
		if (!was_x2apic)
			return -EINVAL;
		break;
	case APIC_BASE_EN: /* xAPIC: illegal from x2APIC, not offered from disabled */
		return was_x2apic ? -EINVAL : -EOPNOTSUPP;
	case APIC_BASE_EXTD: /* the invalid state */
		return -EINVAL;
	default: /* disabled: its registers are lost (11.4.3) */
		reset_registers(a);
		break;
	}
	a->apic_base = (value & ~APIC_BASE_BSP) | (a->cfg.bsp ? APIC_BASE_BSP : 0);
	return 0;
}

static enum lvt lvt_of(uint32_t msr)
{
	return (enum lvt)(msr - X2APIC_MSR_LVT_TIMER);
}

static int write_lvt(struct vlapic *a, enum lvt i, uint32_t value, uint64_t now)
{
	uint32_t entry = value & lvt_writable[i];

	if (value & ~(lvt_writable[i] | lvt_read_only[i]))
		return -EINVAL;
	if (!sw_enabled(a))
		entry |= LAPIC_LVT_MASK; /* 11.4.7.2: the mask cannot be cleared */
	if (i == LVT_TIMER) {
		unsigned int mode = (unsigned int)FIELD_GET(LAPIC_LVT_TIMER_MODE, value);

		if (mode > LAPIC_TIMER_TSC_DEADLINE)
			return -EINVAL;
		vlapic_timer_expire(a, now); /* under the entry as it was */
		lapic_timer_set_mode(&a->timer, mode, now);
	}
	a->lvt[i] = entry;
	return 0;
}

static int write_x2apic(struct vlapic *a, uint32_t msr, uint64_t value, uint64_t now)
{
	uint32_t low = (uint32_t)value;

	if (msr == X2APIC_MSR_ICR) {
		if (value & LAPIC_ICR_RESERVED)
			return -EINVAL;
		a->icr = value & ~LAPIC_ICR_STATUS;
		send_ipi(a, value);
		return 0;
	}
	if (value & X2APIC_MSR_HIGH)
		return -EINVAL;
	switch (msr) {
	case X2APIC_MSR_TPR:
		if (low & ~LAPIC_TPR_VALID)
			return -EINVAL;
		a->tpr = low;
		return 0;
	case X2APIC_MSR_EOI:
		if (low)
			return -EINVAL;
		eoi(a);
		return 0;
	case X2APIC_MSR_SVR:
		if (low & ~SVR_WRITABLE)
			return -EINVAL;
		if (!(low & LAPIC_SVR_ENABLE))
			for (unsigned int i = 0; i < NR_LVT; i++)
				a->lvt[i] |= LAPIC_LVT_MASK;
		a->svr = low;
		return 0;
	case X2APIC_MSR_ESR:
		if (low)
			return -EINVAL;
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		return 0;
	case X2APIC_MSR_LVT_TIMER ... X2APIC_MSR_LVT_ERROR:
		return write_lvt(a, lvt_of(msr), low, now);
	case X2APIC_MSR_TMICT:
		vlapic_timer_expire(a, now);
		lapic_timer_set_initial(&a->timer, low, now);
		return 0;
	case X2APIC_MSR_TDCR:
		if (low & ~LAPIC_TDCR_VALID)
			return -EINVAL;
		vlapic_timer_expire(a, now);
		lapic_timer_set_divide(&a->timer, low, now);
		return 0;
	case X2APIC_MSR_SELF_IPI:
		if (low & ~X2APIC_SELF_IPI_VECTOR)
			return -EINVAL;
		self_ipi(a, low);
		return 0;
	default: /* read-only, or reserved */
		return -EINVAL;
	}
}

static int read_x2apic(struct vlapic *a, uint32_t msr, uint64_t now, uint64_t *value)
{
	switch (msr) {
	case X2APIC_MSR_ID:
		*value = a->cfg.id;
		return 0;
	case X2APIC_MSR_VERSION:
		*value = VERSION;
		return 0;
	case X2APIC_MSR_TPR:
		*value = a->tpr;
		return 0;
	case X2APIC_MSR_PPR:
		*value = vlapic_ppr(a);
		return 0;
	case X2APIC_MSR_LDR:
		*value = ldr(a);
		return 0;
	case X2APIC_MSR_SVR:
		*value = a->svr;
		return 0;
	case X2APIC_MSR_ISR0 ... X2APIC_MSR_ISR_LAST:
		*value = a->isr[msr - X2APIC_MSR_ISR0];
		return 0;
	case X2APIC_MSR_TMR0 ... X2APIC_MSR_TMR_LAST:
		*value = a->tmr[msr - X2APIC_MSR_TMR0];
		return 0;
	case X2APIC_MSR_IRR0 ... X2APIC_MSR_IRR_LAST:
		*value = a->irr[msr - X2APIC_MSR_IRR0];
		return 0;
	case X2APIC_MSR_ESR:
		*value = a->esr;
		return 0;
	case X2APIC_MSR_ICR:
		*value = a->icr;
		return 0;
	case X2APIC_MSR_LVT_TIMER ... X2APIC_MSR_LVT_ERROR:
		if (msr == X2APIC_MSR_LVT_TIMER)
			vlapic_timer_expire(a, now);
		*value = a->lvt[lvt_of(msr)];
		return 0;
	case X2APIC_MSR_TMICT:
		*value = a->timer.initial;
		return 0;
	case X2APIC_MSR_TMCCT:
		vlapic_timer_expire(a, now);
		*value = lapic_timer_current(&a->timer, now);
		return 0;
	case X2APIC_MSR_TDCR:
		*value = a->timer.tdcr;
		return 0;
	default: /* write-only (EOI, SELF IPI), or reserved */
		return -EINVAL;
	}
}

static bool x2apic_msr(uint32_t msr)
{
	return msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST;
}

int vlapic_msr_read(struct vlapic *a, uint32_t msr, uint64_t now, uint64_t *value)
{
	if (msr == MSR_IA32_APIC_BASE) {
		*value = a->apic_base;
		return 0;
	}
	if (msr == MSR_IA32_TSC_DEADLINE) {
		vlapic_timer_expire(a, now);
		*value = lapic_timer_tsc_deadline(&a->timer);
		return 0;
	}
	if (!x2apic_msr(msr))
		return -ENOENT;
	if (!x2apic_mode(a))
		return -EINVAL;
	return read_x2apic(a, msr, now, value);
}

int vlapic_msr_write(struct vlapic *a, uint32_t msr, uint64_t value, uint64_t now)
{
	if (msr == MSR_IA32_APIC_BASE)
		return write_apic_base(a, value);
	if (msr == MSR_IA32_TSC_DEADLINE) {
		vlapic_timer_expire(a, now);
		lapic_timer_set_tsc_deadline(&a->timer, value);
		vlapic_timer_expire(a, now); /* a deadline already past fires now (11.5.4.1) */
		return 0;
	}
	if (!x2apic_msr(msr))
		return -ENOENT;
	if (!x2apic_mode(a))
		return -EINVAL;
	return write_x2apic(a, msr, value, now);
}
