// SPDX-License-Identifier: MIT
/*
 * vmm/vplat/lapic.c, the guest's local APIC in x2APIC mode, against Intel SDM vol. 3A ch. 11:
 * the RESET state (11.4.7.1, 11.12.5.1), priorities (11.8.3.1: PPR from TPR and the highest
 * in-service class; 11.8.4: only a class above PPR's is dispatched), EOI (11.8.5), nested
 * interrupts, the ESR and error LVT (11.5.3, 11.6.3.1), SELF IPI and the ICR with each shorthand,
 * destination mode and delivery mode (11.6.1, 11.12.9, 11.12.10.2) through a recording VM
 * callback, software disable (11.4.7.2), every #GP case (11.12.1.2, 11.12.1.3) and the
 * IA32_APIC_BASE transitions (11.12.5, figure 11-27). The timer is in test_vlapic_timer.c.
 * Sources: vmm/vplat/lapic.c vmm/vplat/lapic_timer.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vplat/lapic.h"

#define ID	    0x23u /* cluster 2, member 3 */
#define LDR_OF_ID   0x00020008u
#define TSC_HZ	    1000000000ull
#define TIMER_HZ    100000000ull
#define MAXPHYADDR  39u
#define NOW	    1000u
#define SVR_ON	    0x1ffu /* software enabled, spurious vector 0xFF */
#define ERROR_VEC   0xfeu
#define VERSION_REG 0x50014u
#define EXTINT                           \
	FIELD_PREP(                      \
		LAPIC_LVT_DELIVERY_MODE, \
		LAPIC_DM_EXTINT) /* version 14H, max LVT entry 5, no EOI-broadcast suppression */

/* The VM's callback: what it was asked to send, and whether a destination exists. */
struct vm {
	unsigned int calls;
	struct vlapic_ipi last;
	const struct vlapic *from;
	bool exists;
};

static struct vm vm;
static struct vlapic a;

static bool fake_send_ipi(void *ctx, const struct vlapic *from, const struct vlapic_ipi *ipi)
{
	struct vm *v = ctx;

	v->calls++;
	v->last = *ipi;
	v->from = from;
	return v->exists;
}

static struct vlapic_config config(uint32_t id, bool bsp)
{
	return (struct vlapic_config){ .id = id,
				       .bsp = bsp,
				       .maxphyaddr = MAXPHYADDR,
				       .tsc_hz = TSC_HZ,
				       .timer_hz = TIMER_HZ,
				       .ops = { .send_ipi = fake_send_ipi, .ctx = &vm } };
}

static int setup(void **state)
{
	struct vlapic_config cfg = config(ID, true);

	(void)state;
	memset(&vm, 0, sizeof(vm));
	assert_int_equal(vlapic_init(&a, &cfg), 0);
	return 0;
}

static uint64_t rd(uint32_t msr)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vlapic_msr_read(&a, msr, NOW, &v), 0);
	return v;
}

static void wr(uint32_t msr, uint64_t value)
{
	assert_int_equal(vlapic_msr_write(&a, msr, value, NOW), 0);
}

static void enable(void)
{
	wr(X2APIC_MSR_SVR, SVR_ON);
}

/* The vector bit @v of the ISR, TMR or IRR through its MSR (@first: its word 0). */
static bool vec_bit(uint32_t first, unsigned int v)
{
	return (rd(first + v / 32) >> (v % 32)) & 1;
}

/* ESR as software reads it (11.5.3): write 0 to latch, then read. */
static uint64_t esr(void)
{
	wr(X2APIC_MSR_ESR, 0);
	return rd(X2APIC_MSR_ESR);
}

static void expect_pending(uint8_t want)
{
	uint8_t v = 0;

	assert_true(vlapic_pending(&a, &v));
	assert_int_equal(v, want);
}

static void expect_none_pending(void)
{
	uint8_t v = 0;

	assert_false(vlapic_pending(&a, &v));
}

/* Deliver @v, have the vCPU take it (it must be the one dispatched). */
static void take(uint8_t v)
{
	assert_int_equal(vlapic_deliver(&a, v, false), 0);
	expect_pending(v);
	assert_int_equal(vlapic_ack(&a, v), 0);
}

/* A refused access: the code, and the APIC exactly as before. */
static void expect_write_refused(uint32_t msr, uint64_t value, int code)
{
	struct vlapic before;

	memcpy(&before, &a, sizeof(a));
	assert_int_equal(vlapic_msr_write(&a, msr, value, NOW), code);
	assert_memory_equal(&before, &a, sizeof(a));
}

static void expect_write_gp(uint32_t msr, uint64_t value)
{
	expect_write_refused(msr, value, -EINVAL);
}

static void expect_read_gp(uint32_t msr)
{
	struct vlapic before;
	uint64_t v = 0x5a5a;

	memcpy(&before, &a, sizeof(a));
	assert_int_equal(vlapic_msr_read(&a, msr, NOW, &v), -EINVAL);
	assert_int_equal(v, 0x5a5a);
	assert_memory_equal(&before, &a, sizeof(a));
}

static void reset_state(void **state)
{
	struct vlapic_config cfg = config(ID, false);

	(void)state;
	assert_int_equal(rd(MSR_IA32_APIC_BASE),
			 0xfee00000u | APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP);
	assert_int_equal(rd(X2APIC_MSR_ID), ID);
	assert_int_equal(rd(X2APIC_MSR_VERSION), VERSION_REG);
	assert_int_equal(rd(X2APIC_MSR_LDR), LDR_OF_ID);
	assert_int_equal(rd(X2APIC_MSR_SVR), 0xff);
	assert_int_equal(rd(X2APIC_MSR_TPR), 0);
	assert_int_equal(rd(X2APIC_MSR_PPR), 0);
	assert_int_equal(rd(X2APIC_MSR_ESR), 0);
	assert_int_equal(rd(X2APIC_MSR_ICR), 0);
	for (uint32_t i = 0; i < LAPIC_VEC_WORDS; i++) {
		assert_int_equal(rd(X2APIC_MSR_ISR0 + i), 0);
		assert_int_equal(rd(X2APIC_MSR_TMR0 + i), 0);
		assert_int_equal(rd(X2APIC_MSR_IRR0 + i), 0);
	}
	for (uint32_t m = X2APIC_MSR_LVT_TIMER; m <= X2APIC_MSR_LVT_ERROR; m++)
		assert_int_equal(rd(m), 0x10000); /* masked (11.5.1) */
	assert_int_equal(rd(X2APIC_MSR_TMICT), 0);
	assert_int_equal(rd(X2APIC_MSR_TMCCT), 0);
	assert_int_equal(rd(X2APIC_MSR_TDCR), 0);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE), 0);
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	expect_none_pending();
	/* Not the BSP: the bit is clear. */
	assert_int_equal(vlapic_init(&a, &cfg), 0);
	assert_int_equal(rd(MSR_IA32_APIC_BASE), 0xfee00000u | APIC_BASE_EN | APIC_BASE_EXTD);
}

static void init_refusals(void **state)
{
	struct vlapic b;
	struct vlapic_config cfg = config(X2APIC_BROADCAST, false);

	(void)state;
	assert_int_equal(vlapic_init(&b, &cfg), -EINVAL);
	cfg = config(0, true);
	cfg.maxphyaddr = 31;
	assert_int_equal(vlapic_init(&b, &cfg), -EINVAL);
	cfg.maxphyaddr = 53;
	assert_int_equal(vlapic_init(&b, &cfg), -EINVAL);
	cfg = config(0, true);
	cfg.timer_hz = 0;
	assert_int_equal(vlapic_init(&b, &cfg), -EINVAL);
	cfg.timer_hz = TSC_HZ + 1;
	assert_int_equal(vlapic_init(&b, &cfg), -EINVAL);
	cfg = config(0xfffffffeu, false); /* the largest usable ID */
	assert_int_equal(vlapic_init(&b, &cfg), 0);
}

/* The logical ID (11.12.10.2) for IDs across clusters and members. */
static void ldr_from_id(void **state)
{
	static const uint32_t ids[][2] = {
		{ 0, 0x00000001 },	 { 1, 0x00000002 },	    { 15, 0x00008000 },
		{ 16, 0x00010001 },	 { 0x23, 0x00020008 },	    { 0xffff, 0x0fff8000 },
		{ 0xfffff, 0xffff8000 }, { 0x1234567, 0x34560080 }, /* ID 31:20 not in the LDR */
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct vlapic_config cfg = config(ids[i][0], false);

		assert_int_equal(vlapic_init(&a, &cfg), 0);
		assert_int_equal(rd(X2APIC_MSR_LDR), ids[i][1]);
	}
}

/* PPR = TPR when TPR's class is at least the highest in-service class, else that class. */
static void ppr_rule(void **state)
{
	(void)state;
	enable();
	assert_int_equal(vlapic_ppr(&a), 0);
	wr(X2APIC_MSR_TPR, 0x35);
	assert_int_equal(rd(X2APIC_MSR_PPR), 0x35); /* nothing in service */
	wr(X2APIC_MSR_TPR, 0);
	take(0x41);
	assert_int_equal(rd(X2APIC_MSR_PPR), 0x40); /* ISR class, sub-class 0 */
	wr(X2APIC_MSR_TPR, 0x35);
	assert_int_equal(rd(X2APIC_MSR_PPR), 0x40);
	wr(X2APIC_MSR_TPR, 0x4f);
	assert_int_equal(rd(X2APIC_MSR_PPR), 0x4f); /* equal class: TPR whole */
	wr(X2APIC_MSR_TPR, 0x52);
	assert_int_equal(rd(X2APIC_MSR_PPR), 0x52);
	assert_int_equal(rd(X2APIC_MSR_TPR), 0x52);
}

/* The highest IRR vector is dispatched; lower ones wait for EOI. */
static void highest_first(void **state)
{
	(void)state;
	enable();
	assert_int_equal(vlapic_deliver(&a, 0x31, false), 0);
	assert_int_equal(vlapic_deliver(&a, 0x95, false), 0);
	assert_int_equal(vlapic_deliver(&a, 0x50, false), 0);
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x31) && vec_bit(X2APIC_MSR_IRR0, 0x95) &&
		    vec_bit(X2APIC_MSR_IRR0, 0x50));
	expect_pending(0x95);
	assert_int_equal(vlapic_ack(&a, 0x95), 0);
	assert_false(vec_bit(X2APIC_MSR_IRR0, 0x95));
	assert_true(vec_bit(X2APIC_MSR_ISR0, 0x95));
	expect_none_pending(); /* 0x50 is below class 9 */
	wr(X2APIC_MSR_EOI, 0);
	assert_false(vec_bit(X2APIC_MSR_ISR0, 0x95));
	expect_pending(0x50);
	assert_int_equal(vlapic_ack(&a, 0x50), 0);
	wr(X2APIC_MSR_EOI, 0);
	expect_pending(0x31);
}

/* A higher class interrupts one in service; EOI ends the highest in service first. */
static void nested(void **state)
{
	(void)state;
	enable();
	take(0x40);
	take(0x60); /* class 6 above PPR 0x40 */
	assert_true(vec_bit(X2APIC_MSR_ISR0, 0x40) && vec_bit(X2APIC_MSR_ISR0, 0x60));
	assert_int_equal(rd(X2APIC_MSR_PPR), 0x60);
	assert_int_equal(vlapic_deliver(&a, 0x45, false), 0);
	assert_int_equal(vlapic_deliver(&a, 0x6f, false), 0);
	expect_none_pending(); /* 0x6f: same class as 0x60 in service */
	wr(X2APIC_MSR_EOI, 0);
	assert_false(vec_bit(X2APIC_MSR_ISR0, 0x60));
	assert_true(vec_bit(X2APIC_MSR_ISR0, 0x40));
	expect_pending(0x6f);
	assert_int_equal(vlapic_ack(&a, 0x6f), 0);
	wr(X2APIC_MSR_EOI, 0);
	expect_none_pending(); /* 0x45: same class as 0x40 */
	wr(X2APIC_MSR_EOI, 0);
	assert_int_equal(rd(X2APIC_MSR_ISR0 + 2), 0);
	expect_pending(0x45);
	/* EOI with nothing in service changes nothing. */
	wr(X2APIC_MSR_EOI, 0);
	expect_pending(0x45);
}

/* TPR masks by class: a vector is dispatched only when its class is above TPR's. */
static void tpr_masks_by_class(void **state)
{
	(void)state;
	enable();
	wr(X2APIC_MSR_TPR, 0x50);
	assert_int_equal(vlapic_deliver(&a, 0x5f, false), 0);
	expect_none_pending();
	wr(X2APIC_MSR_TPR, 0x4f);
	expect_pending(0x5f);
	wr(X2APIC_MSR_TPR, 0xf0);
	assert_int_equal(vlapic_deliver(&a, 0xff, false), 0);
	expect_none_pending(); /* class 15 is never above TPR class 15 */
	wr(X2APIC_MSR_TPR, 0xef);
	expect_pending(0xff);
	wr(X2APIC_MSR_TPR, 0);
	expect_pending(0xff);
}

static void ack_refusals(void **state)
{
	struct vlapic before;

	(void)state;
	enable();
	assert_int_equal(vlapic_ack(&a, 0x80), -EINVAL); /* nothing pending */
	assert_int_equal(vlapic_deliver(&a, 0x80, false), 0);
	assert_int_equal(vlapic_deliver(&a, 0x70, false), 0);
	memcpy(&before, &a, sizeof(a));
	assert_int_equal(vlapic_ack(&a, 0x70), -EINVAL); /* not the one dispatched */
	assert_memory_equal(&before, &a, sizeof(a));
	wr(X2APIC_MSR_TPR, 0x80);
	assert_int_equal(vlapic_ack(&a, 0x80), -EINVAL); /* masked by TPR */
}

static void trigger_mode_in_tmr(void **state)
{
	(void)state;
	enable();
	assert_int_equal(vlapic_deliver(&a, 0x77, true), 0);
	assert_true(vec_bit(X2APIC_MSR_TMR0, 0x77));
	assert_int_equal(vlapic_deliver(&a, 0x77, false), 0);
	assert_false(vec_bit(X2APIC_MSR_TMR0, 0x77));
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x77));
}

/* Vectors 0-15: not in the IRR, "received illegal vector", the error LVT's vector raised. */
static void illegal_vector_received(void **state)
{
	(void)state;
	enable();
	assert_int_equal(vlapic_deliver(&a, 15, false), -EINVAL);
	assert_int_equal(rd(X2APIC_MSR_IRR0), 0);
	assert_int_equal(rd(X2APIC_MSR_ESR), 0); /* not latched until ESR is written */
	assert_int_equal(esr(), LAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(esr(), 0); /* the write cleared it */
	expect_none_pending();	    /* error LVT masked */
	wr(X2APIC_MSR_LVT_ERROR, ERROR_VEC);
	assert_int_equal(vlapic_deliver(&a, 0, false), -EINVAL);
	expect_pending(ERROR_VEC);
	/* An error LVT with an illegal vector: one more error, no interrupt, no loop. */
	assert_int_equal(vlapic_ack(&a, ERROR_VEC), 0);
	wr(X2APIC_MSR_EOI, 0);
	wr(X2APIC_MSR_LVT_ERROR, 3);
	assert_int_equal(esr(), LAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(vlapic_deliver(&a, 1, false), -EINVAL);
	expect_none_pending();
	assert_int_equal(esr(), LAPIC_ESR_RECV_ILLEGAL);
}

/* Software-disabled (11.4.7.2): LVT masks set and held, fixed interrupts dropped. */
static void software_disable(void **state)
{
	(void)state;
	assert_int_equal(vlapic_deliver(&a, 0x40, false), -ENODEV); /* SVR 0xFF at RESET */
	assert_int_equal(a.stats.dropped, 1);
	wr(X2APIC_MSR_LVT_LINT0, EXTINT); /* unmasked: held masked */
	assert_int_equal(rd(X2APIC_MSR_LVT_LINT0), EXTINT | LAPIC_LVT_MASK);
	enable();
	wr(X2APIC_MSR_LVT_LINT0, EXTINT);
	wr(X2APIC_MSR_LVT_TIMER, 0xec);
	assert_int_equal(rd(X2APIC_MSR_LVT_LINT0), EXTINT);
	assert_int_equal(vlapic_deliver(&a, 0x40, false), 0);
	wr(X2APIC_MSR_SVR, 0xff);
	for (uint32_t m = X2APIC_MSR_LVT_TIMER; m <= X2APIC_MSR_LVT_ERROR; m++)
		assert_true(rd(m) & LAPIC_LVT_MASK);
	assert_int_equal(rd(X2APIC_MSR_LVT_TIMER), 0x100ec);
	/* The IRR is held and can still be dispatched; new ones are dropped. */
	expect_pending(0x40);
	assert_int_equal(vlapic_deliver(&a, 0x50, false), -ENODEV);
	assert_int_equal(a.stats.dropped, 2);
}

/* Read-only bits inside writable registers are ignored, not #GP. */
static void read_only_bits_ignored(void **state)
{
	(void)state;
	enable();
	/* NMI, with delivery status and remote IRR set */
	wr(X2APIC_MSR_LVT_LINT0, 0x0400 | LAPIC_LVT_DELIVERY_STATUS | LAPIC_LVT_REMOTE_IRR);
	assert_int_equal(rd(X2APIC_MSR_LVT_LINT0), 0x0400);
	wr(X2APIC_MSR_LVT_LINT1, 0xa400); /* NMI, level, polarity: all writable */
	assert_int_equal(rd(X2APIC_MSR_LVT_LINT1), 0xa400);
	wr(X2APIC_MSR_LVT_ERROR, 0x10000 | 0x1000 | 0x33);
	assert_int_equal(rd(X2APIC_MSR_LVT_ERROR), 0x10033);
	wr(X2APIC_MSR_LVT_THERMAL, 0x0200 | 0x40); /* SMI */
	assert_int_equal(rd(X2APIC_MSR_LVT_THERMAL), 0x0240);
	wr(X2APIC_MSR_LVT_PMC, 0x0400);
	assert_int_equal(rd(X2APIC_MSR_LVT_PMC), 0x0400);
	wr(MSR_IA32_APIC_BASE, 0xfee00000u | APIC_BASE_EN | APIC_BASE_EXTD); /* BSP cleared */
	assert_true(rd(MSR_IA32_APIC_BASE) & APIC_BASE_BSP);
	wr(X2APIC_MSR_ICR, (uint64_t)7 << 32 | 0x1000 | 0x4041); /* delivery status set */
	assert_int_equal(rd(X2APIC_MSR_ICR), (uint64_t)7 << 32 | 0x4041);
}

static void self_ipi(void **state)
{
	(void)state;
	enable();
	wr(X2APIC_MSR_SELF_IPI, 0x40);
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x40));
	assert_false(vec_bit(X2APIC_MSR_TMR0, 0x40));
	assert_int_equal(vm.calls, 0);
	assert_int_equal(a.stats.ipi_sent, 1);
	expect_pending(0x40);
	wr(X2APIC_MSR_SELF_IPI, 0x0f); /* illegal: "send illegal vector", nothing sent */
	assert_int_equal(esr(), LAPIC_ESR_SEND_ILLEGAL);
	assert_int_equal(rd(X2APIC_MSR_IRR0), 0);
	assert_int_equal(a.stats.ipi_refused, 1);
	expect_read_gp(X2APIC_MSR_SELF_IPI);
	expect_write_gp(X2APIC_MSR_SELF_IPI, 0x140);
}

static uint64_t icr(uint32_t dest, unsigned int shorthand, unsigned int mode, bool logical,
		    uint8_t vector)
{
	return (uint64_t)dest << 32 | FIELD_PREP(LAPIC_ICR_SHORTHAND, shorthand) |
	       FIELD_PREP(LAPIC_ICR_DELIVERY_MODE, mode) | (logical ? LAPIC_ICR_LOGICAL : 0) |
	       LAPIC_ICR_LEVEL | vector;
}

static void expect_sent(unsigned int mode, enum vlapic_dest kind, uint32_t dest, uint8_t vector)
{
	assert_int_equal(vm.calls, 1);
	assert_ptr_equal(vm.from, &a);
	assert_int_equal(vm.last.delivery_mode, mode);
	assert_int_equal(vm.last.dest_kind, kind);
	assert_int_equal(vm.last.dest, dest);
	assert_int_equal(vm.last.vector, vector);
	memset(&vm, 0, sizeof(vm));
}

static void icr_shorthands(void **state)
{
	(void)state;
	enable();
	/* Self: this APIC only. */
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_SELF, LAPIC_DM_FIXED, false, 0x41));
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x41));
	assert_int_equal(vm.calls, 0);
	/* All excluding self: the others, none here. */
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_OTHERS, LAPIC_DM_FIXED, false, 0x42));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_ALL, X2APIC_BROADCAST, 0x42);
	assert_false(vec_bit(X2APIC_MSR_IRR0, 0x42));
	assert_int_equal(a.stats.ipi_absent, 1);
	/* All including self: this one and the others (which exist now). */
	vm.exists = true;
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_ALL, LAPIC_DM_FIXED, false, 0x43));
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x43));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_ALL, X2APIC_BROADCAST, 0x43);
	assert_int_equal(a.stats.ipi_absent, 1);
	assert_int_equal(a.stats.ipi_sent, 3);
}

static void icr_destinations(void **state)
{
	struct vlapic_config lone = config(ID, true);

	(void)state;
	enable();
	/* Physical, its own ID: never leaves. */
	wr(X2APIC_MSR_ICR, icr(ID, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, false, 0x50));
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x50));
	assert_int_equal(vm.calls, 0);
	/* Physical, another ID that does not exist: counted, no error. */
	wr(X2APIC_MSR_ICR, icr(7, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, false, 0x51));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_PHYSICAL, 7, 0x51);
	assert_false(vec_bit(X2APIC_MSR_IRR0, 0x51));
	assert_int_equal(a.stats.ipi_absent, 1);
	assert_int_equal(esr(), 0);
	/* ... and one that does. */
	vm.exists = true;
	wr(X2APIC_MSR_ICR, icr(8, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, false, 0x52));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_PHYSICAL, 8, 0x52);
	assert_int_equal(a.stats.ipi_absent, 1);
	/* Logical, its own cluster and bit: this one, and the VM asked about the others. */
	wr(X2APIC_MSR_ICR, icr(0x00020009, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, true, 0x53));
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x53));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_LOGICAL, 0x00020009, 0x53);
	/* Logical, its cluster, not its bit; and another cluster with its bit. */
	wr(X2APIC_MSR_ICR, icr(0x00020001, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, true, 0x54));
	wr(X2APIC_MSR_ICR, icr(0x00030008, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, true, 0x55));
	assert_false(vec_bit(X2APIC_MSR_IRR0, 0x54) || vec_bit(X2APIC_MSR_IRR0, 0x55));
	assert_int_equal(vm.calls, 2);
	memset(&vm, 0, sizeof(vm));
	/* Broadcast ID in physical mode: all, this one included. */
	wr(X2APIC_MSR_ICR,
	   icr(X2APIC_BROADCAST, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, false, 0x56));
	assert_true(vec_bit(X2APIC_MSR_IRR0, 0x56));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_ALL, X2APIC_BROADCAST, 0x56);
	/* A VM with no callback (one vCPU): another ID is absent. */
	lone.ops.send_ipi = NULL;
	assert_int_equal(vlapic_init(&a, &lone), 0);
	enable();
	wr(X2APIC_MSR_ICR, icr(1, LAPIC_SHORTHAND_NONE, LAPIC_DM_FIXED, false, 0x57));
	assert_int_equal(a.stats.ipi_sent, 1);
	assert_int_equal(a.stats.ipi_absent, 1);
	assert_int_equal(vm.calls, 0);
}

static void icr_delivery_modes(void **state)
{
	(void)state;
	enable();
	vm.exists = true;
	/* Lowest priority: "redirectable IPI", even with an illegal vector, nothing sent. */
	wr(X2APIC_MSR_ICR, icr(1, LAPIC_SHORTHAND_NONE, LAPIC_DM_LOWEST, false, 0x60));
	wr(X2APIC_MSR_ICR, icr(1, LAPIC_SHORTHAND_NONE, LAPIC_DM_LOWEST, false, 0x02));
	assert_int_equal(esr(), LAPIC_ESR_REDIRECTABLE_IPI);
	/* Fixed with vector 0-15: "send illegal vector", nothing sent, not even to itself. */
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_ALL, LAPIC_DM_FIXED, false, 0x0e));
	assert_int_equal(esr(), LAPIC_ESR_SEND_ILLEGAL);
	assert_int_equal(rd(X2APIC_MSR_IRR0), 0);
	/* SMI and the reserved modes 3 and 7: refused quietly. */
	wr(X2APIC_MSR_ICR, icr(1, LAPIC_SHORTHAND_NONE, LAPIC_DM_SMI, false, 0));
	wr(X2APIC_MSR_ICR, icr(1, LAPIC_SHORTHAND_NONE, 3, false, 0x70));
	wr(X2APIC_MSR_ICR, icr(1, LAPIC_SHORTHAND_NONE, 7, false, 0x70));
	assert_int_equal(vm.calls, 0);
	assert_int_equal(a.stats.ipi_refused, 6);
	assert_int_equal(a.stats.ipi_sent, 0);
	assert_int_equal(esr(), 0);
	/* NMI, INIT and start-up go to the others; the vector only means something for SIPI. */
	wr(X2APIC_MSR_ICR, icr(2, LAPIC_SHORTHAND_NONE, LAPIC_DM_NMI, false, 0x99));
	expect_sent(LAPIC_DM_NMI, VLAPIC_DEST_PHYSICAL, 2, 0);
	wr(X2APIC_MSR_ICR,
	   icr(2, LAPIC_SHORTHAND_NONE, LAPIC_DM_INIT, false, 0) | LAPIC_ICR_TRIGGER);
	expect_sent(LAPIC_DM_INIT, VLAPIC_DEST_PHYSICAL, 2, 0);
	wr(X2APIC_MSR_ICR, icr(2, LAPIC_SHORTHAND_NONE, LAPIC_DM_STARTUP, false, 0x9a));
	expect_sent(LAPIC_DM_STARTUP, VLAPIC_DEST_PHYSICAL, 2, 0x9a);
	/* INIT level de-assert (level 0, trigger level): not sent at all. */
	wr(X2APIC_MSR_ICR, (uint64_t)2 << 32 | FIELD_PREP(LAPIC_ICR_DELIVERY_MODE, LAPIC_DM_INIT) |
				   LAPIC_ICR_TRIGGER);
	assert_int_equal(vm.calls, 0);
	assert_int_equal(a.stats.ipi_sent, 3);
	/* To itself: NMI refused; with "all including self" the others still get it. */
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_SELF, LAPIC_DM_NMI, false, 0));
	wr(X2APIC_MSR_ICR, icr(ID, LAPIC_SHORTHAND_NONE, LAPIC_DM_INIT, false, 0));
	assert_int_equal(vm.calls, 0);
	assert_int_equal(a.stats.ipi_refused, 8);
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_ALL, LAPIC_DM_NMI, false, 0));
	expect_sent(LAPIC_DM_NMI, VLAPIC_DEST_ALL, X2APIC_BROADCAST, 0);
	assert_int_equal(a.stats.ipi_refused, 9);
	assert_int_equal(rd(X2APIC_MSR_IRR0 + 0), 0);
	expect_none_pending();
}

static void icr_sent_while_software_disabled(void **state)
{
	(void)state;
	vm.exists = true;
	/* 11.4.7.2: a software-disabled APIC still sends IPIs; its own fixed one is dropped. */
	wr(X2APIC_MSR_ICR, icr(0, LAPIC_SHORTHAND_ALL, LAPIC_DM_FIXED, false, 0x61));
	expect_sent(LAPIC_DM_FIXED, VLAPIC_DEST_ALL, X2APIC_BROADCAST, 0x61);
	assert_int_equal(a.stats.dropped, 1);
	assert_int_equal(rd(X2APIC_MSR_IRR0 + 3), 0);
}

static void accepts(void **state)
{
	(void)state;
	assert_true(vlapic_accepts(&a, ID, false));
	assert_false(vlapic_accepts(&a, ID + 1, false));
	assert_false(vlapic_accepts(&a, LDR_OF_ID, false));
	assert_true(vlapic_accepts(&a, X2APIC_BROADCAST, false));
	assert_true(vlapic_accepts(&a, X2APIC_BROADCAST, true));
	assert_true(vlapic_accepts(&a, LDR_OF_ID, true));
	assert_true(vlapic_accepts(&a, 0x0002ffff, true));
	assert_false(vlapic_accepts(&a, 0x0002fff7, true));
	assert_false(vlapic_accepts(&a, 0x00030008, true));
	assert_false(vlapic_accepts(&a, ID, true));
}

static void gp_reads(void **state)
{
	static const uint32_t msrs[] = {
		X2APIC_MSR_EOI,
		X2APIC_MSR_SELF_IPI,
		0x800,
		0x801,
		0x804,
		0x807,
		0x809,
		0x80c,
		0x80e,
		0x82e,
		X2APIC_MSR_LVT_CMCI,
		0x831,
		0x83a,
		0x83d,
		0x840,
		0x8ff,
		0x900,
		0xbff,
	};

	(void)state;
	enable();
	for (unsigned int i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
		expect_read_gp(msrs[i]);
}

static void gp_writes(void **state)
{
	static const uint32_t read_only[] = {
		X2APIC_MSR_ID,
		X2APIC_MSR_VERSION,
		X2APIC_MSR_PPR,
		X2APIC_MSR_LDR,
		X2APIC_MSR_ISR0,
		X2APIC_MSR_ISR0 + 7,
		X2APIC_MSR_TMR0 + 3,
		X2APIC_MSR_IRR0,
		X2APIC_MSR_IRR0 + 7,
		X2APIC_MSR_TMCCT,
		X2APIC_MSR_LVT_CMCI,
		0x831,
		0x800,
		0xbff,
	};
	static const struct {
		uint32_t msr;
		uint64_t value;
	} reserved[] = {
		{ X2APIC_MSR_EOI, 1 },
		{ X2APIC_MSR_EOI, 1ull << 32 },
		{ X2APIC_MSR_ESR, 0x40 },
		{ X2APIC_MSR_TPR, 0x100 },
		{ X2APIC_MSR_TPR, 1ull << 32 },
		{ X2APIC_MSR_SVR, SVR_ON | LAPIC_SVR_FOCUS_OFF }, /* not offered */
		{ X2APIC_MSR_SVR, SVR_ON | LAPIC_SVR_EOI_SUPPRESS },
		{ X2APIC_MSR_SVR, 0x21ff },
		{ X2APIC_MSR_LVT_TIMER, 0x80000 },
		{ X2APIC_MSR_LVT_TIMER, 0x60000 }, /* timer mode 11b */
		{ X2APIC_MSR_LVT_TIMER, 0x100 },   /* no delivery mode in the timer entry */
		{ X2APIC_MSR_LVT_TIMER, 0x4000 },
		{ X2APIC_MSR_LVT_ERROR, 0x400 },
		{ X2APIC_MSR_LVT_ERROR, 0x8000 },
		{ X2APIC_MSR_LVT_THERMAL, 0x2000 }, /* polarity: LINT only */
		{ X2APIC_MSR_LVT_PMC, 0x8000 },
		{ X2APIC_MSR_LVT_LINT0, 0x20000 },
		{ X2APIC_MSR_LVT_LINT1, 0x800 },
		{ X2APIC_MSR_LVT_LINT1, 1ull << 63 },
		{ X2APIC_MSR_ICR, 0x2000 | 0x40 },
		{ X2APIC_MSR_ICR, 0x10000 | 0x40 },
		{ X2APIC_MSR_ICR, 0x20000 | 0x40 },
		{ X2APIC_MSR_ICR, 0x100000 | 0x40 },
		{ X2APIC_MSR_ICR, 0x80000000u | 0x40 },
		{ X2APIC_MSR_TDCR, 0x4 },
		{ X2APIC_MSR_TDCR, 0x10 },
		{ X2APIC_MSR_TMICT, 1ull << 32 },
		{ X2APIC_MSR_SELF_IPI, 0x100 },
		{ X2APIC_MSR_SELF_IPI, 1ull << 40 | 0x40 },
	};

	(void)state;
	enable();
	wr(X2APIC_MSR_LVT_ERROR, ERROR_VEC);
	for (unsigned int i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
		expect_write_gp(read_only[i], 0);
		expect_write_gp(read_only[i], 0x40);
	}
	for (unsigned int i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		expect_write_gp(reserved[i].msr, reserved[i].value);
	/* None of them was taken for an error, an IPI or an interrupt. */
	assert_int_equal(esr(), 0);
	expect_none_pending();
	assert_int_equal(vm.calls, 0);
	/* The ICR's destination half is no reserved field. */
	wr(X2APIC_MSR_ICR, 0xffffffff00000000ull | LAPIC_ICR_LEVEL | 0x40);
}

static void not_the_apics(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(vlapic_msr_read(&a, 0x10, NOW, &v), -ENOENT);
	assert_int_equal(vlapic_msr_read(&a, 0x7ff, NOW, &v), -ENOENT);
	assert_int_equal(vlapic_msr_read(&a, 0xc00, NOW, &v), -ENOENT);
	assert_int_equal(v, 7);
	expect_write_refused(0x7ff, 0, -ENOENT);
	expect_write_refused(0xc00, 0, -ENOENT);
	expect_write_refused(0xc0000080u, 0, -ENOENT);
}

#define X2APIC_MODE (0xfee00000u | APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP)
#define XAPIC_MODE  (0xfee00000u | APIC_BASE_EN | APIC_BASE_BSP)
#define INVALID	    (0xfee00000u | APIC_BASE_EXTD | APIC_BASE_BSP)
#define DISABLED    (0xfee00000u | APIC_BASE_BSP)

static void apic_base_from_x2apic(void **state)
{
	(void)state;
	expect_write_gp(MSR_IA32_APIC_BASE, XAPIC_MODE);
	expect_write_gp(MSR_IA32_APIC_BASE, INVALID);
	expect_write_gp(MSR_IA32_APIC_BASE, X2APIC_MODE | 1);	  /* bit 0 */
	expect_write_gp(MSR_IA32_APIC_BASE, X2APIC_MODE | 0x80);  /* bit 7 */
	expect_write_gp(MSR_IA32_APIC_BASE, X2APIC_MODE | 0x200); /* bit 9 */
	expect_write_gp(MSR_IA32_APIC_BASE, X2APIC_MODE | 1ull << MAXPHYADDR);
	expect_write_gp(MSR_IA32_APIC_BASE, X2APIC_MODE | 1ull << 63);
	/* Staying in x2APIC mode, the base moved within MAXPHYADDR. */
	wr(MSR_IA32_APIC_BASE, X2APIC_MODE);
	wr(MSR_IA32_APIC_BASE, X2APIC_MODE | 1ull << (MAXPHYADDR - 1));
	assert_int_equal(rd(MSR_IA32_APIC_BASE), X2APIC_MODE | 1ull << (MAXPHYADDR - 1));
	assert_int_equal(rd(X2APIC_MSR_ID), ID);
}

static void apic_base_disable(void **state)
{
	(void)state;
	enable();
	wr(X2APIC_MSR_TPR, 0x20);
	wr(X2APIC_MSR_LVT_TIMER, 0xec);
	wr(X2APIC_MSR_TMICT, 1000);
	assert_int_equal(vlapic_deliver(&a, 0x40, false), 0);
	take(0x80);
	wr(MSR_IA32_APIC_BASE, DISABLED);
	assert_int_equal(rd(MSR_IA32_APIC_BASE), DISABLED);
	/* Registers lost (11.4.3), no interrupt, no timer, x2APIC MSRs #GP. */
	expect_none_pending();
	assert_int_equal(vlapic_timer_deadline(&a), 0);
	assert_int_equal(vlapic_deliver(&a, 0x40, false), -ENODEV);
	expect_read_gp(X2APIC_MSR_ID);
	expect_read_gp(X2APIC_MSR_TPR);
	expect_write_gp(X2APIC_MSR_EOI, 0);
	expect_write_gp(X2APIC_MSR_SELF_IPI, 0x40);
	assert_int_equal(rd(MSR_IA32_TSC_DEADLINE), 0);
	/* From disabled: x2APIC directly is illegal, xAPIC is not offered, disabled stays. */
	expect_write_gp(MSR_IA32_APIC_BASE, X2APIC_MODE);
	expect_write_gp(MSR_IA32_APIC_BASE, INVALID);
	expect_write_refused(MSR_IA32_APIC_BASE, XAPIC_MODE, -EOPNOTSUPP);
	wr(MSR_IA32_APIC_BASE, DISABLED);
	/* INIT keeps it disabled. */
	vlapic_init_signal(&a);
	assert_int_equal(rd(MSR_IA32_APIC_BASE), DISABLED);
	expect_read_gp(X2APIC_MSR_ID);
}

static void init_signal(void **state)
{
	(void)state;
	enable();
	wr(X2APIC_MSR_TPR, 0x30);
	wr(X2APIC_MSR_LVT_ERROR, ERROR_VEC);
	wr(MSR_IA32_APIC_BASE, X2APIC_MODE | 0x1000000);
	take(0x90);
	vlapic_init_signal(&a);
	assert_int_equal(rd(MSR_IA32_APIC_BASE), X2APIC_MODE | 0x1000000);
	assert_int_equal(rd(X2APIC_MSR_ID), ID);
	assert_int_equal(rd(X2APIC_MSR_LDR), LDR_OF_ID);
	assert_int_equal(rd(X2APIC_MSR_SVR), 0xff);
	assert_int_equal(rd(X2APIC_MSR_TPR), 0);
	assert_int_equal(rd(X2APIC_MSR_LVT_ERROR), 0x10000);
	assert_int_equal(rd(X2APIC_MSR_ISR0 + 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(reset_state, setup),
		cmocka_unit_test_setup(init_refusals, setup),
		cmocka_unit_test_setup(ldr_from_id, setup),
		cmocka_unit_test_setup(ppr_rule, setup),
		cmocka_unit_test_setup(highest_first, setup),
		cmocka_unit_test_setup(nested, setup),
		cmocka_unit_test_setup(tpr_masks_by_class, setup),
		cmocka_unit_test_setup(ack_refusals, setup),
		cmocka_unit_test_setup(trigger_mode_in_tmr, setup),
		cmocka_unit_test_setup(illegal_vector_received, setup),
		cmocka_unit_test_setup(software_disable, setup),
		cmocka_unit_test_setup(read_only_bits_ignored, setup),
		cmocka_unit_test_setup(self_ipi, setup),
		cmocka_unit_test_setup(icr_shorthands, setup),
		cmocka_unit_test_setup(icr_destinations, setup),
		cmocka_unit_test_setup(icr_delivery_modes, setup),
		cmocka_unit_test_setup(icr_sent_while_software_disabled, setup),
		cmocka_unit_test_setup(accepts, setup),
		cmocka_unit_test_setup(gp_reads, setup),
		cmocka_unit_test_setup(gp_writes, setup),
		cmocka_unit_test_setup(not_the_apics, setup),
		cmocka_unit_test_setup(apic_base_from_x2apic, setup),
		cmocka_unit_test_setup(apic_base_disable, setup),
		cmocka_unit_test_setup(init_signal, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
