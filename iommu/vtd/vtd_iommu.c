// SPDX-License-Identifier: MIT
/*
 * VT-d units behind the IOMMU API: bring-up in the order VT-d 6.6 / 11.4.4 and Linux's
 * intel-iommu follow (queued invalidation on, root table pointer set, global invalidation of
 * the context, PASID and IOTLB caches unless CAP.ESRTPS does it, translation on, then interrupt
 * remapping: vtd_ir.h), domain ids, and the fault recording registers.
 */
#include "iommu/vtd/vtd_iommu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_ir.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/apic.h"
#include "kernel/irq.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/time.h"

#define CACHE_LINE    64u
#define BITS_PER_WORD 64u
#define FRCD_HI_F     (1ull << 63) /* bit 127 of a fault record: fault, write 1 to clear */
#define FRCD_SIZE     16u

#define NS_PER_S 1000000000ull

static struct vtd_state *units[DMAR_MAX_DRHD];
static struct vtd_fault_event ring[VTD_FAULT_RING]; /* faults read, not yet taken */
static unsigned int ring_first, ring_count, ring_lost;
static int fault_vector = -1;

struct vtd_state *vtd_state_of(unsigned int unit)
{
	return unit < DMAR_MAX_DRHD && units[unit] && units[unit]->enabled ? units[unit] : NULL;
}

bool vtd_state_enabled(unsigned int unit)
{
	return vtd_state_of(unit) != NULL;
}

void vtd_sync(const struct vtd_state *vs, uint64_t pa, uint64_t len)
{
	if (vs->unit.caps.c)
		return;
	for (uint64_t a = pa & ~(uint64_t)(CACHE_LINE - 1); a < pa + len; a += CACHE_LINE)
		__asm__ volatile("clflush %0" : "+m"(*(volatile char *)a));
	__asm__ volatile("mfence" ::: "memory");
}

/* Global invalidation of every cache a new root table makes stale (VT-d 6.5.3, 6.6). */
static int invalidate_all(struct vtd_state *vs)
{
	struct vtd_inv_desc d[3];
	unsigned int n = 0;
	int err = vtd_inval_cc(&d[n++], VTD_CC_G_GLOBAL, 0, 0, 0);

	if (!err && vs->unit.mode == VTD_MODE_SCALABLE)
		err = vtd_inval_pc(&d[n++], VTD_PC_G_GLOBAL, 0, 0);
	if (!err)
		err = vtd_inval_iotlb(&d[n++], &vs->unit.caps, VTD_IOTLB_G_GLOBAL, 0, 0, 0, false);
	return err ? err : vtd_invalidate(&vs->unit, d, n);
}

static void clear_faults(struct vtd_state *vs)
{
	for (uint32_t i = 0; i < vs->unit.caps.nr_fault_regs; i++) {
		uint32_t off;

		if (!vtd_frcd_offset(vs->unit.caps.cap, i, &off))
			vtd_write32(&vs->unit, off + VTD_FRCD_F_DW_OFFSET, VTD_FRCD_F_DW_CLEAR);
	}
	vtd_write32(&vs->unit, VTD_FSTS_REG,
		    VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE);
}

static void fault_event(void *arg);

/* Fault events go to skiff's fault vector on the boot CPU; without one they stay masked and
 * faults are read when someone polls. */
static void setup_fault_event(struct vtd_state *vs)
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

/* Tables ready -> QI on -> SRTP -> global invalidation (!ESRTPS) -> TE; undone on failure. */
static int enable_unit(struct vtd_state *vs)
{
	struct vtd_unit *u = &vs->unit;
	int err = page_alloc_zeroed(&vs->root);

	vtd_sync(vs, vs->root, PAGE_SIZE_4K);
	if (!err) {
		vtd_unit_disable(u); /* whatever firmware left: start from a known state */
		clear_faults(vs);
		if (u->use_qi)
			err = vtd_qi_enable(u);
	}
	if (!err)
		err = vtd_set_root_table(u, vs->root);
	if (!err && !u->caps.esrtps)
		err = invalidate_all(vs);
	if (!err)
		err = vtd_gcmd(u, VTD_GCMD_TE, true);
	if (!err)
		setup_fault_event(vs);
	if (err) {
		vtd_unit_disable(u);
		return err;
	}
	vs->enabled = true;
	return 0;
}

int vtd_iommu_init(const struct platform *p, bool prefer_legacy, bool prefer_registers)
{
	int enabled = 0;

	for (unsigned int i = 0; p->dmar && i < p->dmar->nr_drhd; i++) {
		const struct dmar_drhd *h = &p->dmar->drhd[i];
		struct vtd_state *vs;
		int err;

		if (!p->units[i].usable)
			continue;
		vs = calloc(1, sizeof(*vs));
		if (!vs) {
			log_err("vtd%u: no memory for its state; unit not used", i);
			continue;
		}
		vs->segment = h->segment;
		vs->haw_bits = p->dmar->haw_bits;
		vs->pci = p->pci; /* DMA aliases of devices behind bridges (vtd_context.c) */
		err = vtd_unit_init(&vs->unit, i, h->base, prefer_legacy, prefer_registers);
		if (!err) {
			size_t words = ((1ull << vs->unit.caps.domain_bits) + BITS_PER_WORD - 1) /
				       BITS_PER_WORD;

			vs->did_used = calloc(words, sizeof(uint64_t));
			err = vs->did_used ? 0 : -ENOMEM;
		}
		/* DID 0 is never handed out: it is reserved when CAP.CM = 1 (6.1). */
		if (!err)
			vs->did_used[0] = 1;
		vs->format = vs->unit.mode == VTD_MODE_SCALABLE && !vs->unit.caps.ssts ?
				     VTD_PGT_FIRST_STAGE :
				     VTD_PGT_SECOND_STAGE;
		if (!err)
			err = enable_unit(vs);
		if (err) {
			log_err("vtd%u: %#llx: not enabled: %s", i, (unsigned long long)h->base,
				strerror(-err));
			free(vs->did_used);
			free(vs);
			continue;
		}
		units[i] = vs;
		enabled++;
		log_info("vtd%u: %#llx enabled: %s mode, %s-stage domains, %u-bit domain ids, %s "
			 "invalidation",
			 i, (unsigned long long)h->base,
			 vs->unit.mode == VTD_MODE_SCALABLE ? "scalable" : "legacy",
			 vs->format == VTD_PGT_FIRST_STAGE ? "first" : "second",
			 vs->unit.caps.domain_bits, vs->unit.use_qi ? "queued" : "register-based");
		/* Without it the unit still remaps DMA; vtd_ir_enable() said why. */
		(void)vtd_ir_enable(vs, p->pci);
	}
	return enabled;
}

static struct iommu_domain *owner_of(const struct vtd_state *vs, uint16_t sid)
{
	struct iommu_domain **bus = vs->owner[sid >> 8];

	return bus ? bus[sid & 0xff] : NULL;
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
		struct iommu_domain *d;
		char text[160];

		if (vtd_frcd_offset(c->cap, i, &off))
			break;
		hi = vtd_read64(&vs->unit, off + sizeof(uint64_t));
		if (!(hi & VTD_FRCD_HI_F))
			continue;
		lo = vtd_read64(&vs->unit, off);
		vtd_write32(&vs->unit, off + VTD_FRCD_F_DW_OFFSET, VTD_FRCD_F_DW_CLEAR);
		vtd_fault_decode(lo, hi, &f);
		vs->faults++;
		d = f.intr ? NULL : owner_of(vs, f.sid);
		if (d)
			d->faults++;
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
	for (unsigned int i = 0; i < DMAR_MAX_DRHD; i++)
		if (units[i] && units[i]->enabled)
			poll_unit(units[i]);
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

void vtd_iommu_shutdown(void)
{
	for (unsigned int i = 0; i < DMAR_MAX_DRHD; i++)
		if (units[i] && units[i]->enabled) {
			vtd_ir_disable(i); /* IRE off while queued invalidation is still on */
			vtd_unit_disable(&units[i]->unit);
			units[i]->enabled = false;
		}
}
