// SPDX-License-Identifier: MIT
/*
 * VT-d units behind the IOMMU API: bring-up in the order VT-d 6.6 / 11.4.4 and Linux's
 * intel-iommu follow (queued invalidation on, root table pointer set, global invalidation of
 * the context, PASID and IOTLB caches unless CAP.ESRTPS does it, translation on, fault events
 * routed: vtd_fault_event.h, then interrupt remapping: vtd_ir.h), domain ids, and shutdown.
 * The units' states live in the registry (vtd_state.c).
 */
#include "iommu/vtd/vtd_iommu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/vtd/vtd_errata.h"
#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_fault_event.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_ir.h"
#include "iommu/vtd/vtd_ops.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define BITS_PER_WORD  64u
#define SPR17_LINE_LEN 128

_Static_assert(DMAR_MAX_DRHD <= IOMMU_MAX_UNITS, "every DRHD index is a unit index");

/* iommu.spr17= in VT-d's terms. */
static const enum vtd_spr17_option spr17_options[] = {
	[IOMMU_ERRATUM_AUTO] = VTD_SPR17_AUTO,
	[IOMMU_ERRATUM_ON] = VTD_SPR17_ON,
	[IOMMU_ERRATUM_OFF] = VTD_SPR17_OFF,
};

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
		vtd_fault_event_setup(vs);
	if (err) {
		vtd_unit_disable(u);
		return err;
	}
	vs->enabled = true;
	return 0;
}

/* Decides SPR17 for every enabled unit (vtd_errata.h) and says so, one line each. */
static void decide_spr17(const struct iommu_boot_options *o)
{
	enum vtd_spr17_option option = (unsigned int)o->spr17 < ARRAY_SIZE(spr17_options) ?
					       spr17_options[o->spr17] :
					       VTD_SPR17_AUTO;

	for (unsigned int i = 0; i < DMAR_MAX_DRHD; i++) {
		struct vtd_state *vs = vtd_state_of(i);
		char why[SPR17_LINE_LEN];
		struct vtd_spr17 s;

		if (!vs)
			continue;
		/* @option is one of vtd_spr17_option's: the decision cannot fail. */
		(void)vtd_spr17_decide(option, &vs->unit.caps, o->cpu_family, o->cpu_model, &s);
		vs->spr17 = s.present;
		vtd_spr17_describe(&s, why, sizeof(why));
		if (s.reason == VTD_SPR17_FORCED_OFF)
			log_warn("vtd%u: SPR17: %s", i, why);
		else
			log_info("vtd%u: SPR17: %s", i, why);
	}
}

int vtd_iommu_init(const struct platform *p, const struct iommu_boot_options *o)
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
		err = vtd_unit_init(&vs->unit, i, h->base, o->prefer_legacy, o->prefer_registers);
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
		vtd_state_register(vs);
		/* i < DMAR_MAX_DRHD <= IOMMU_MAX_UNITS, registered once: cannot fail. */
		(void)iommu_register_unit(i, &vtd_iommu_ops);
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
	decide_spr17(o);
	return enabled;
}

void vtd_iommu_shutdown(void)
{
	for (unsigned int i = 0; i < DMAR_MAX_DRHD; i++) {
		struct vtd_state *vs = vtd_state_of(i);

		if (!vs)
			continue;
		vtd_ir_disable(i); /* IRE off while queued invalidation is still on */
		vtd_unit_disable(&vs->unit);
		vs->enabled = false;
		iommu_unregister_unit(i);
	}
}
