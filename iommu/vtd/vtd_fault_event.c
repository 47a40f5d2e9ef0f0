// SPDX-License-Identifier: MIT
/*
 * The fault-event path (VT-d 7.3, 11.4.9): one interrupt vector for every unit's fault events;
 * each event (or a poll) reads the unit's primary fault recording registers from FSTS.FRI on,
 * clears each record, logs it (rate-limited), hands it to the generic layer for the domain whose
 * context entry its requester id hits (counted there, and given to the domain's fault handler),
 * and keeps it in a ring until someone takes it.
 */
#include "iommu/vtd/vtd_fault_event.h"

#include "iommu/vtd/vtd_context.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/acpi/dmar.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "kernel/time.h"

#define NS_PER_S       1000000000ull
#define FAULT_TEXT_LEN 160

static struct vtd_fault_event ring[VTD_FAULT_RING]; /* faults read, not yet taken */
static unsigned int ring_first, ring_count, ring_lost;
static int fault_vector = -1;

static void fault_event(void *arg);

void vtd_fault_event_setup(struct vtd_state *vs)
{
	struct msi_message msi;

	if (fault_vector < 0)
		fault_vector = irq_alloc(fault_event, NULL);
	if (fault_vector < 0 || apic_msi((uint8_t)fault_vector, &msi)) {
		log_warn("vtd%u: no fault event interrupt; faults are found by polling",
			 vs->unit.index);
		return;
	}
	vtd_write32(&vs->unit, VTD_FEDATA_REG, msi.data);
	vtd_write32(&vs->unit, VTD_FEADDR_REG, (uint32_t)msi.address);
	vtd_write32(&vs->unit, VTD_FEUADDR_REG, (uint32_t)(msi.address >> 32));
	vtd_write32(&vs->unit, VTD_FECTL_REG, 0); /* IM clear: interrupts on */
}

/* At most VTD_FAULT_LOG_PER_SEC lines a second per unit; the rest are counted and said later. */
static bool may_log(struct vtd_state *vs)
{
	uint64_t now = time_ns();

	if (now - vs->log_window_start >= NS_PER_S) {
		if (vs->log_suppressed)
			log_warn("vtd%u: %u DMA faults not shown", vs->unit.index,
				 vs->log_suppressed);
		vs->log_window_start = now;
		vs->log_lines = 0;
		vs->log_suppressed = 0;
	}
	if (vs->log_lines < VTD_FAULT_LOG_PER_SEC) {
		vs->log_lines++;
		return true;
	}
	vs->log_suppressed++;
	return false;
}

static void keep(unsigned int unit, const struct vtd_fault *f)
{
	if (ring_count == VTD_FAULT_RING) {
		ring_lost++;
		return;
	}
	ring[(ring_first + ring_count) % VTD_FAULT_RING] = (struct vtd_fault_event){ unit, *f };
	ring_count++;
}

/* Hands @f, a fault of a requester id @d has, to the generic layer (count and handler). */
static void report(const struct vtd_state *vs, struct vtd_domain *d, const struct vtd_fault *f)
{
	static const unsigned int access[] = {
		[VTD_FAULT_WRITE] = IOMMU_WRITE,
		[VTD_FAULT_READ] = IOMMU_READ,
		[VTD_FAULT_PAGE_REQ] = 0,
		[VTD_FAULT_ATOMIC] = IOMMU_RW,
	};
	struct iommu_fault gf = {
		.kind = f->intr ? IOMMU_FAULT_IRQ : IOMMU_FAULT_DMA,
		.source = vtd_sid_bdf(vs->segment, f->sid),
		.addr = f->addr,
		.access = f->intr ? 0 : access[f->access],
		.reason = f->reason,
		.pasid_valid = f->pasid_present,
		.pasid = f->pasid,
	};

	iommu_report_fault(&d->dom, &gf);
}

/* Reads, clears, logs and keeps every fault record of @vs (VT-d 7.3, 11.4.9.x). */
static void poll_unit(struct vtd_state *vs)
{
	const struct vtd_caps *c = &vs->unit.caps;
	uint32_t fsts = vtd_read32(&vs->unit, VTD_FSTS_REG);

	if (!(fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO)))
		return;
	for (uint32_t k = 0; k < c->nr_fault_regs; k++) {
		uint32_t i = (VTD_FSTS_FRI(fsts) + k) % c->nr_fault_regs, off;
		uint64_t lo, hi;
		struct vtd_fault f;
		struct vtd_domain *owner, *d;
		char text[FAULT_TEXT_LEN];

		if (vtd_frcd_offset(c->cap, i, &off))
			break;
		hi = vtd_read64(&vs->unit, off + VTD_FRCD_HI_OFFSET);
		if (!(hi & VTD_FRCD_HI_F))
			continue;
		lo = vtd_read64(&vs->unit, off);
		vtd_write32(&vs->unit, off + VTD_FRCD_F_DW_OFFSET, VTD_FRCD_F_DW_CLEAR);
		vtd_fault_decode(lo, hi, &f);
		vs->faults++;
		owner = vtd_context_owner(vs, f.sid);
		d = f.intr ? NULL : owner;
		if (owner)
			report(vs, owner, &f);
		if (may_log(vs)) {
			vtd_fault_describe(&f, text, sizeof(text));
			if (f.intr)
				log_warn("vtd%u: interrupt fault: %s", vs->unit.index, text);
			else
				log_warn("vtd%u: DMA fault: %s (domain %d)", vs->unit.index, text,
					 d ? d->did : -1);
		}
		keep(vs->unit.index, &f);
	}
	if (fsts & VTD_FSTS_PFO) {
		log_warn("vtd%u: primary fault overflow: faults were lost", vs->unit.index);
		vtd_write32(&vs->unit, VTD_FSTS_REG, VTD_FSTS_PFO);
	}
}

static void poll_all(void)
{
	for (unsigned int i = 0; i < DMAR_MAX_DRHD; i++) {
		struct vtd_state *vs = vtd_state_of(i);

		if (vs)
			poll_unit(vs);
	}
}

void vtd_fault_poll(unsigned int unit)
{
	struct vtd_state *vs = vtd_state_of(unit);

	if (!vs)
		return;
	irq_disable();
	poll_unit(vs);
	irq_enable();
}

/* The fault event interrupt (FECTL/FEDATA/FEADDR, VT-d 7.3.2): every unit shares one vector. */
static void fault_event(void *arg)
{
	(void)arg;
	poll_all();
}

static void log_fault(const struct vtd_fault_event *e, void *arg)
{
	struct vtd_fault_log *log = arg;

	if (log->n < VTD_FAULT_LOG_MAX)
		log->f[log->n] = e->fault;
	log->n++;
}

unsigned int vtd_fault_take_log(struct vtd_fault_log *log)
{
	log->n = 0;
	vtd_fault_take(log_fault, log);
	return log->n;
}

unsigned int vtd_fault_take(void (*seen)(const struct vtd_fault_event *e, void *arg), void *arg)
{
	unsigned int n = 0;

	irq_disable();
	poll_all();
	while (ring_count) {
		struct vtd_fault_event e = ring[ring_first];

		ring_first = (ring_first + 1) % VTD_FAULT_RING;
		ring_count--;
		if (seen)
			seen(&e, arg);
		n++;
	}
	if (ring_lost) {
		log_warn("vtd: %u DMA faults were read but not kept (ring full)", ring_lost);
		ring_lost = 0;
	}
	irq_enable();
	return n;
}

uint64_t vtd_fault_interrupts(void)
{
	return fault_vector > 0 ? irq_count(fault_vector) : 0;
}
