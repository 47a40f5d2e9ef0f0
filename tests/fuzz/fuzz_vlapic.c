// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the guest's local APIC (vmm/vplat/lapic.c, lapic_timer.c) driven the way
 * a hostile guest and the exit handlers drive it: random RDMSR/WRMSR of IA32_APIC_BASE,
 * IA32_TSC_DEADLINE and the x2APIC range, interrupts arriving (any vector, either trigger), the
 * vCPU taking the pending one (or claiming another), timer expiries at a guest TSC that moves on
 * (and sometimes jumps back), INIT. Two vCPUs: APIC A takes the steps, its IPIs reach APIC B
 * through the VM callback when B is named, else the callback says from the input whether some
 * other APIC exists. Clock frequencies and A's ID come from the input. Checked after every step,
 * on both APICs, against Intel SDM vol. 3A ch. 11 rather than the model's own code:
 *  - no IRR, ISR or TMR bit below 16 (11.5.2, 11.8.4); the ISR has at most one vector per
 *    priority class (nesting only above PPR); PPR is TPR or the highest in-service class
 *    (11.8.3.1); the pending vector is the highest IRR one and its class is above PPR's;
 *  - acking the pending vector moves it IRR -> ISR; acking any other changes nothing;
 *  - software-disabled: every LVT entry masked (11.4.7.2); globally disabled: nothing pending,
 *    no timer, every x2APIC MSR #GP (11.12.5);
 *  - a refused WRMSR (#GP, refused xAPIC, not an APIC MSR) changes nothing; EOI and SELF IPI
 *    never read; a successful WRMSR of TPR, SVR, divide configuration reads back as written,
 *    of an LVT entry as written but for the mask (held while disabled) and read-only bits;
 *  - only ESR bits 4-6 ever set (x2APIC: no illegal register address, 11.6.3.1);
 *  - the timer: no deadline while masked; after an expiry at @now the next deadline is later (or
 *    none); the current count never exceeds the initial count; TSC-deadline mode counts nothing;
 *  - an IPI handed to the VM has a delivery mode the model sends, a fixed vector of 16 or more,
 *    a destination of the kind it says, never only the sender itself;
 *  - and nothing trips ASan or UBSan.
 * Input: a header (A's ID 4 bytes, guest TSC Hz 5, timer Hz 5, the callback's answers 8), then
 * steps of one byte and their fields (see step()); tests/fuzz/make_vlapic_seeds.py writes seeds.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_input.h"
#include "vmm/vplat/lapic.h"

#define MAX_STEPS	   256
#define B_ID		   1u /* APIC B; A takes another ID */
#define MAXPHYADDR	   46u
#define HZ_BYTES	   5u
#define SEL_RANGE	   0x8000u /* MSR selector: a raw address in 800H-BFFH */
#define SEL_RAW		   0x4000u /* ... or any 32-bit MSR number (mostly not the APIC's) */
#define SEL_RANGE_OF	   0x3ffu
#define ACK_PENDING	   1u
#define EXPIRE_AT_DEADLINE 1u
#define LEVEL		   1u
#define LOW_VECTORS	   0xffffu /* vectors 0-15 in word 0 */
#define CLASS_VECTORS	   0xffffu /* a class's 16 vectors in its half word */
#define ESR_BITS	   (LAPIC_ESR_REDIRECTABLE_IPI | LAPIC_ESR_SEND_ILLEGAL | LAPIC_ESR_RECV_ILLEGAL)
#define LVT_FREE	   (LAPIC_LVT_MASK | LAPIC_LVT_DELIVERY_STATUS | LAPIC_LVT_REMOTE_IRR)

enum op {
	OP_READ,
	OP_WRITE,
	OP_DELIVER,
	OP_ACK,
	OP_TIME,
	OP_EXPIRE,
	OP_EOI,
	OP_INIT,
	OP_JUMP,
	NR_OPS
};

/* MSRs a selector picks by index: every register table 11-6 lists, and neighbours. */
static const uint32_t msrs[] = {
	MSR_IA32_APIC_BASE, MSR_IA32_TSC_DEADLINE, X2APIC_MSR_ID,	 X2APIC_MSR_VERSION,
	X2APIC_MSR_TPR,	    X2APIC_MSR_PPR,	   X2APIC_MSR_EOI,	 X2APIC_MSR_LDR,
	X2APIC_MSR_SVR,	    X2APIC_MSR_ISR0,	   X2APIC_MSR_ISR0 + 7,	 X2APIC_MSR_TMR0 + 2,
	X2APIC_MSR_IRR0,    X2APIC_MSR_IRR0 + 7,   X2APIC_MSR_ESR,	 X2APIC_MSR_LVT_CMCI,
	X2APIC_MSR_ICR,	    X2APIC_MSR_ICR + 1,	   X2APIC_MSR_LVT_TIMER, X2APIC_MSR_LVT_THERMAL,
	X2APIC_MSR_LVT_PMC, X2APIC_MSR_LVT_LINT0,  X2APIC_MSR_LVT_LINT1, X2APIC_MSR_LVT_ERROR,
	X2APIC_MSR_TMICT,   X2APIC_MSR_TMCCT,	   X2APIC_MSR_TDCR,	 X2APIC_MSR_SELF_IPI,
	X2APIC_MSR_ICR,	    X2APIC_MSR_SELF_IPI,   X2APIC_MSR_LVT_TIMER, X2APIC_MSR_TMICT,
};

#define require(cond)            \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

struct vm {
	struct vlapic a, b;
	uint64_t answers; /* the callback's "another APIC exists", one bit per call */
	unsigned int calls;
};

static struct vm vm;

static int highest(const uint32_t *reg)
{
	for (int w = LAPIC_VEC_WORDS - 1; w >= 0; w--)
		if (reg[w])
			return w * 32 + 31 - __builtin_clz(reg[w]);
	return -1;
}

static bool bit(const uint32_t *reg, unsigned int v)
{
	return (reg[v / 32] >> (v % 32)) & 1;
}

static bool x2apic(const struct vlapic *l)
{
	return (l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

static bool send_ipi(void *ctx, const struct vlapic *from, const struct vlapic_ipi *ipi)
{
	struct vm *v = ctx;
	bool b_named, exists;

	require(from == &v->a);
	switch (ipi->delivery_mode) {
	case LAPIC_DM_FIXED:
		require(ipi->vector >= LAPIC_FIRST_VECTOR);
		break;
	case LAPIC_DM_NMI:
	case LAPIC_DM_INIT:
		require(ipi->vector == 0);
		break;
	case LAPIC_DM_STARTUP:
		break;
	default:
		abort();
	}
	switch (ipi->dest_kind) {
	case VLAPIC_DEST_ALL:
		require(ipi->dest == X2APIC_BROADCAST);
		b_named = true;
		break;
	case VLAPIC_DEST_PHYSICAL:
		require(ipi->dest != X2APIC_BROADCAST && ipi->dest != from->cfg.id);
		b_named = vlapic_accepts(&v->b, ipi->dest, false);
		break;
	case VLAPIC_DEST_LOGICAL:
		require(ipi->dest != X2APIC_BROADCAST);
		b_named = vlapic_accepts(&v->b, ipi->dest, true);
		break;
	default:
		abort();
	}
	if (b_named && ipi->delivery_mode == LAPIC_DM_FIXED)
		vlapic_deliver(&v->b, ipi->vector, false);
	exists = (v->answers >> (v->calls++ % 64)) & 1;
	return b_named || exists;
}

static void check_apic(struct vlapic *l)
{
	int isrv = highest(l->isr), irrv = highest(l->irr);
	uint32_t ppr, want_ppr;
	uint8_t v = 0;
	bool pending;

	require(!(l->irr[0] & LOW_VECTORS) && !(l->isr[0] & LOW_VECTORS) &&
		!(l->tmr[0] & LOW_VECTORS));
	for (unsigned int c = 0; c < LAPIC_NR_CLASSES; c++)
		require(__builtin_popcount(l->isr[c / 2] >> (c % 2 * 16) & CLASS_VECTORS) <= 1);
	want_ppr = isrv >= 0 && (l->tpr >> 4) < ((unsigned int)isrv >> 4) ?
			   (unsigned int)isrv & 0xf0 :
			   l->tpr;
	ppr = vlapic_ppr(l);
	require(ppr == want_ppr);
	pending = vlapic_pending(l, &v);
	if (pending)
		require(v >= LAPIC_FIRST_VECTOR && (int)v == irrv && (v >> 4) > (ppr >> 4));
	else
		require(irrv < 0 || ((unsigned int)irrv >> 4) <= (ppr >> 4));
	if (!(l->svr & LAPIC_SVR_ENABLE))
		for (unsigned int i = 0; i < sizeof(l->lvt) / sizeof(l->lvt[0]); i++)
			require(l->lvt[i] & LAPIC_LVT_MASK);
	if (!x2apic(l))
		require(irrv < 0 && isrv < 0 && !vlapic_timer_deadline(l));
	require(!(l->esr & ~ESR_BITS) && !(l->esr_pending & ~ESR_BITS));
	if (l->lvt[0] & LAPIC_LVT_MASK)
		require(!vlapic_timer_deadline(l));
	if (l->timer.mode == LAPIC_TIMER_TSC_DEADLINE)
		require(!l->timer.initial && !l->timer.running);
}

static uint32_t pick_msr(struct fuzz_input *in)
{
	uint32_t sel = (uint32_t)fuzz_take(in, 2);

	if (sel & SEL_RANGE)
		return X2APIC_MSR_FIRST + (sel & SEL_RANGE_OF);
	if (sel & SEL_RAW)
		return (uint32_t)fuzz_take(in, 4);
	return msrs[sel % (sizeof(msrs) / sizeof(msrs[0]))];
}

static bool in_x2apic_range(uint32_t msr)
{
	return msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST;
}

static void do_read(struct vlapic *a, uint32_t msr, uint64_t now)
{
	uint64_t value = 0;
	int rc = vlapic_msr_read(a, msr, now, &value);

	if (msr == MSR_IA32_APIC_BASE || msr == MSR_IA32_TSC_DEADLINE)
		require(rc == 0);
	else if (!in_x2apic_range(msr))
		require(rc == -ENOENT);
	else if (!x2apic(a) || msr == X2APIC_MSR_EOI || msr == X2APIC_MSR_SELF_IPI)
		require(rc == -EINVAL);
	else
		require(rc == 0 || rc == -EINVAL);
	if (rc == 0 && msr != X2APIC_MSR_ICR && msr != MSR_IA32_APIC_BASE &&
	    msr != MSR_IA32_TSC_DEADLINE)
		require(!(value >> 32)); /* only the ICR is 64 bits wide */
	if (rc == 0 && msr == X2APIC_MSR_TMCCT && a->timer.mode != LAPIC_TIMER_TSC_DEADLINE)
		require(value <= a->timer.initial);
	if (rc == 0 && msr == X2APIC_MSR_TMCCT && a->timer.mode == LAPIC_TIMER_TSC_DEADLINE)
		require(value == 0);
}

static void do_write(struct vlapic *a, uint32_t msr, uint64_t value, uint64_t now)
{
	static struct vlapic before;
	bool was_x2apic = x2apic(a);
	uint64_t back = 0;
	int rc;

	memcpy(&before, a, sizeof(*a));
	rc = vlapic_msr_write(a, msr, value, now);
	if (!in_x2apic_range(msr) && msr != MSR_IA32_APIC_BASE && msr != MSR_IA32_TSC_DEADLINE)
		require(rc == -ENOENT);
	if (in_x2apic_range(msr) && !was_x2apic)
		require(rc == -EINVAL);
	if (rc) {
		require(rc == -EINVAL || rc == -ENOENT ||
			(rc == -EOPNOTSUPP && msr == MSR_IA32_APIC_BASE));
		require(!memcmp(&before, a, sizeof(*a)));
		return;
	}
	switch (msr) {
	case X2APIC_MSR_TPR:
	case X2APIC_MSR_SVR:
	case X2APIC_MSR_TDCR:
		require(vlapic_msr_read(a, msr, now, &back) == 0 && back == value);
		break;
	case X2APIC_MSR_LVT_TIMER ... X2APIC_MSR_LVT_ERROR:
		require(vlapic_msr_read(a, msr, now, &back) == 0);
		require(!((back ^ value) & ~LVT_FREE) && !(back & ~value & ~LAPIC_LVT_MASK));
		break;
	case X2APIC_MSR_EOI:
	case X2APIC_MSR_ESR:
		require(value == 0);
		break;
	default:
		break;
	}
}

static void do_ack(struct vlapic *a, struct fuzz_input *in)
{
	static struct vlapic before;
	unsigned int how = (unsigned int)fuzz_take(in, 1);
	uint8_t pending = 0, v = (uint8_t)fuzz_take(in, 1);
	bool has = vlapic_pending(a, &pending);

	if (how & ACK_PENDING && has) {
		require(vlapic_ack(a, pending) == 0);
		require(bit(a->isr, pending) && !bit(a->irr, pending));
		return;
	}
	memcpy(&before, a, sizeof(*a));
	if (has && v == pending)
		return;
	require(vlapic_ack(a, v) == -EINVAL);
	require(!memcmp(&before, a, sizeof(*a)));
}

static void do_expire(struct vlapic *a, uint64_t *now, unsigned int how)
{
	uint64_t deadline = vlapic_timer_deadline(a);
	bool fired;

	if (how & EXPIRE_AT_DEADLINE && deadline > *now)
		*now = deadline;
	fired = vlapic_timer_expire(a, *now);
	if (fired)
		require(bit(a->irr, (unsigned int)FIELD_GET(LAPIC_LVT_VECTOR, a->lvt[0])));
	if (deadline && deadline <= *now)
		require(fired || (a->lvt[0] & LAPIC_LVT_VECTOR) < LAPIC_FIRST_VECTOR);
	deadline = vlapic_timer_deadline(a);
	require(!deadline || deadline > *now || deadline == UINT64_MAX);
}

static void step(struct fuzz_input *in, uint64_t *now)
{
	struct vlapic *a = &vm.a;
	uint32_t msr;
	uint64_t v;

	switch (fuzz_take(in, 1) % NR_OPS) {
	case OP_READ:
		do_read(a, pick_msr(in), *now);
		break;
	case OP_WRITE:
		msr = pick_msr(in);
		v = fuzz_take(in, (unsigned int)(fuzz_take(in, 1) % 9));
		do_write(a, msr, v, *now);
		break;
	case OP_DELIVER: {
		uint8_t vector = (uint8_t)fuzz_take(in, 1);
		int rc = vlapic_deliver(a, vector, fuzz_take(in, 1) & LEVEL);

		require(rc == 0 || rc == -EINVAL || rc == -ENODEV);
		require(rc != -EINVAL || vector < LAPIC_FIRST_VECTOR);
		require(rc != 0 || bit(a->irr, vector));
		break;
	}
	case OP_ACK:
		do_ack(a, in);
		break;
	case OP_TIME:
		v = fuzz_take(in, 4);
		*now = *now > UINT64_MAX - v ? UINT64_MAX : *now + v;
		break;
	case OP_EXPIRE:
		do_expire(a, now, (unsigned int)fuzz_take(in, 1));
		break;
	case OP_EOI:
		do_write(a, X2APIC_MSR_EOI, 0, *now);
		break;
	case OP_INIT:
		vlapic_init_signal(a);
		break;
	default:
		*now = fuzz_take(in, 8);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct vlapic_config cfg = { .maxphyaddr = MAXPHYADDR,
				     .ops = { .send_ipi = send_ipi, .ctx = &vm } };
	uint64_t now = 0;

	memset(&vm, 0, sizeof(vm));
	cfg.id = (uint32_t)fuzz_take(&in, 4);
	cfg.bsp = true;
	cfg.tsc_hz = fuzz_take(&in, HZ_BYTES) % LAPIC_TIMER_MAX_HZ + 1;
	cfg.timer_hz = fuzz_take(&in, HZ_BYTES) % cfg.tsc_hz + 1;
	vm.answers = fuzz_take(&in, 8);
	if (cfg.id == B_ID || cfg.id == X2APIC_BROADCAST) {
		require(vlapic_init(&vm.a, &cfg) == (cfg.id == X2APIC_BROADCAST ? -EINVAL : 0));
		cfg.id = 0;
	}
	require(vlapic_init(&vm.a, &cfg) == 0);
	cfg.id = B_ID;
	cfg.bsp = false;
	cfg.ops.send_ipi = NULL;
	require(vlapic_init(&vm.b, &cfg) == 0);
	require(vlapic_msr_write(&vm.b, X2APIC_MSR_SVR, LAPIC_SVR_ENABLE, 0) == 0);
	for (unsigned int n = 0; n < MAX_STEPS && in.n; n++) {
		step(&in, &now);
		check_apic(&vm.a);
		check_apic(&vm.b);
	}
	return 0;
}
