// SPDX-License-Identifier: MIT
/*
 * NESTED PASID entries on a unit (VT-d 9.6, PGTT = 011b): find the device's slot under its
 * nesting parent, check the request against the unit (vtd_pasid_entry_validate), and carry out the
 * plan of iommu/vtd/vtd_nested_plan.h step by step on table memory and the invalidation queue.
 */
#include "iommu/vtd/vtd_nested.h"

#include <errno.h>
#include <string.h>

#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_nested_plan.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"
#include "kernel/log.h"

#define FS_LEVELS_4 4u
#define FS_LEVELS_5 5u

/* The device's slot for @pasid and its context entry's settings. */
struct nested_slot {
	struct vtd_pasid_entry *entry;
	struct vtd_sm_context_config ctx;
};

static const struct vtd_attachment *attachment_of(const struct vtd_domain *d, struct pci_bdf bdf)
{
	for (unsigned int i = 0; i < d->nr_attached; i++) {
		const struct pci_bdf *b = &d->attached[i].bdf;

		if (d->attached[i].device && b->segment == bdf.segment &&
		    vtd_sid(*b) == vtd_sid(bdf))
			return &d->attached[i];
	}
	return NULL;
}

/*
 * The PASID table slot of @pasid for the device of @a, and its scalable-mode context entry
 * (9.4). iommu_attach() gives each device one PASID table, for directory entry 0 (PASIDs 0-63).
 * Returns 0 or -ERANGE.
 */
static int find_slot(const struct vtd_domain *d, const struct vtd_attachment *a, uint32_t pasid,
		     struct nested_slot *out)
{
	const struct vtd_state *vs = d->vs;
	uint8_t devfn = vtd_devfn(a->bdf);
	const struct vtd_sm_context_entry *ce =
		(const struct vtd_sm_context_entry *)
			vs->context[a->bdf.bus][vtd_sm_root_half(devfn)] +
		vtd_sm_context_index(devfn);

	if (vtd_pasid_dir_index(pasid) != 0)
		return -ERANGE;
	/* Written by vtd_context.c from a checked config: its decoding cannot fail. */
	(void)vtd_sm_context_entry_decode(ce, &out->ctx);
	out->entry = (struct vtd_pasid_entry *)a->pasid_table + vtd_pasid_table_index(pasid);
	return 0;
}

/* Clears P (bit 0) with one 64-bit store; the other words stay as they are. */
static void clear_present(struct vtd_pasid_entry *slot)
{
	WRITE_ONCE(slot->val[0], slot->val[0] & ~VTD_PE_W0_P);
	__asm__ volatile("" ::: "memory");
}

/*
 * Carries out @plan on @slot (@entry: what WRITE_ENTRY copies), each memory step written back
 * for the unit before the next; descriptors are queued up to each WAIT and submitted with it
 * (vtd_invalidate() ends the submission with its wait descriptor). Stops at the first error.
 */
static int run_plan(struct vtd_state *vs, const struct vtd_nested_plan *plan,
		    struct vtd_pasid_entry *slot, const struct vtd_pasid_entry *entry)
{
	struct vtd_inv_desc batch[VTD_NESTED_PLAN_MAX];
	unsigned int n = 0;
	int err = 0;

	for (unsigned int i = 0; !err && i < plan->count; i++) {
		switch (plan->step[i].op) {
		case VTD_NESTED_WRITE_ENTRY:
			memcpy(slot, entry, sizeof(*slot));
			break;
		case VTD_NESTED_SET_P:
			vtd_pasid_entry_set_present(slot);
			break;
		case VTD_NESTED_CLEAR_P:
			clear_present(slot);
			break;
		case VTD_NESTED_INVALIDATE:
			batch[n++] = plan->step[i].desc;
			continue;
		case VTD_NESTED_WAIT:
			err = vtd_invalidate(&vs->unit, batch, n);
			n = 0;
			continue;
		case VTD_NESTED_FLUSH_WB:
			err = vtd_write_buffer_flush(&vs->unit);
			continue;
		case VTD_NESTED_ZERO_ENTRY:
			memset(slot, 0, sizeof(*slot));
			break;
		}
		vtd_sync(vs, (uint64_t)slot, sizeof(*slot));
	}
	return err;
}

static int check_request(const struct vtd_domain *parent, unsigned int fs_levels, uint32_t fs_flags)
{
	const struct vtd_caps *c = &parent->vs->unit.caps;

	if (parent->vs->unit.mode != VTD_MODE_SCALABLE || !c->nest)
		return -EOPNOTSUPP;
	if ((fs_levels != FS_LEVELS_4 && fs_levels != FS_LEVELS_5) ||
	    (fs_flags & ~VTD_NESTED_FS_FLAGS) || !parent->dom.nesting_parent)
		return -EINVAL;
	return 0;
}

/* RID_PASID always; other PASIDs only where the context entry accepts them (PASIDE, ECAP.PSS). */
static int check_pasid(const struct vtd_caps *c, const struct nested_slot *s, uint32_t pasid)
{
	if (pasid == VTD_RID_PASID)
		return 0;
	if (!(s->ctx.flags & VTD_SMCE_FLAG_PASIDE) || pasid >> c->pasid_bits)
		return -ERANGE;
	return 0;
}

int vtd_nested_attach(struct iommu_domain *dom, struct pci_bdf bdf, uint32_t pasid,
		      uint64_t fs_root, unsigned int fs_levels, uint32_t fs_flags)
{
	const struct vtd_domain *parent = to_vtd_domain(dom);
	struct vtd_state *vs = parent->vs;
	const struct vtd_caps *c = &vs->unit.caps;
	struct vtd_pasid_entry_config cfg = {
		.pgtt = VTD_PGTT_NESTED,
		.did = parent->did,
		.aw = vtd_aw_from_levels(parent->pgt.levels),
		.ss_root = parent->pgt.root,
		.fs_root = fs_root,
		.fs_paging = fs_levels == FS_LEVELS_5 ? VTD_FSPM_5LEVEL : VTD_FSPM_4LEVEL,
		.flags = fs_flags | (c->smpwc ? VTD_PE_FLAG_PWSNP : 0),
	};
	const struct vtd_attachment *a;
	struct vtd_nested_plan plan;
	struct vtd_pasid_entry e;
	struct nested_slot s;
	int err = check_request(parent, fs_levels, fs_flags);

	if (err)
		return err;
	a = attachment_of(parent, bdf);
	if (!a)
		return -ENODEV;
	err = find_slot(parent, a, pasid, &s);
	if (!err)
		err = check_pasid(c, &s, pasid);
	if (!err)
		err = vtd_pasid_entry_validate(&cfg, c, vs->haw_bits);
	if (!err && vtd_pasid_entry_present(s.entry))
		err = -EBUSY;
	if (!err)
		err = vtd_pasid_entry_encode(&cfg, &e);
	if (!err)
		err = vtd_nested_plan_setup(c, parent->did, pasid, &plan);
	if (err)
		return err;
	err = run_plan(vs, &plan, s.entry, &e);
	if (err) {
		log_err("vtd%u: %02x:%02x.%x PASID %u: NESTED entry of domain %u is present but "
			"its invalidation failed: %s",
			vs->unit.index, bdf.bus, bdf.dev, bdf.fn, pasid, parent->did,
			strerror(-err));
		return err;
	}
	log_info("vtd%u: %02x:%02x.%x PASID %u: NESTED, domain %u: guest first stage at GPA "
		 "%#llx (%u-level) over second stage %#llx",
		 vs->unit.index, bdf.bus, bdf.dev, bdf.fn, pasid, parent->did,
		 (unsigned long long)fs_root, fs_levels, (unsigned long long)parent->pgt.root);
	return 0;
}

/*
 * The device-TLB target of @bdf when its context entry enables the device TLB (DTE, 9.4; without
 * DTE the unit answers no translation request, so the device caches nothing). The device is
 * taken as a PF: PFSID is its own requester id where ECAP.DIT asks for one. MIP 0 (32) is safe
 * for the one invalidation a teardown sends.
 */
static const struct vtd_devtlb_target *ats_target(const struct vtd_caps *c,
						  const struct nested_slot *s, struct pci_bdf bdf,
						  struct vtd_devtlb_target *t)
{
	if (!(s->ctx.flags & VTD_SMCE_FLAG_DTE))
		return NULL;
	*t = (struct vtd_devtlb_target){
		.sid = vtd_sid(bdf),
		.pfsid = VTD_ECAP_DIT(c->ecap) ? vtd_sid(bdf) : 0,
	};
	return t;
}

int vtd_nested_detach(struct iommu_domain *dom, struct pci_bdf bdf, uint32_t pasid)
{
	const struct vtd_domain *parent = to_vtd_domain(dom);
	struct vtd_state *vs = parent->vs;
	const struct vtd_caps *c = &vs->unit.caps;
	const struct vtd_attachment *a;
	struct vtd_devtlb_target t;
	struct vtd_nested_plan plan;
	struct nested_slot s;
	unsigned int pgtt;
	int err;

	if (vs->unit.mode != VTD_MODE_SCALABLE)
		return -EOPNOTSUPP;
	a = attachment_of(parent, bdf);
	if (!a)
		return -ENODEV;
	err = find_slot(parent, a, pasid, &s);
	if (err)
		return err;
	if (!vtd_pasid_entry_present(s.entry))
		return -ENOENT;
	pgtt = vtd_pasid_entry_pgtt(s.entry);
	if (vtd_pasid_entry_did(s.entry) != parent->did ||
	    (pgtt != VTD_PGTT_NESTED && pgtt != VTD_PGTT_SS))
		return -EINVAL;
	err = vtd_nested_plan_teardown(c, parent->did, pasid, VTD_RID_PASID,
				       ats_target(c, &s, bdf, &t), &plan);
	if (err)
		return err;
	err = run_plan(vs, &plan, s.entry, NULL);
	if (err) {
		log_err("vtd%u: %02x:%02x.%x PASID %u: teardown of domain %u's entry failed (%s); "
			"P is clear, the entry is kept",
			vs->unit.index, bdf.bus, bdf.dev, bdf.fn, pasid, parent->did,
			strerror(-err));
		return err;
	}
	log_info("vtd%u: %02x:%02x.%x PASID %u: %s entry of domain %u taken down", vs->unit.index,
		 bdf.bus, bdf.dev, bdf.fn, pasid,
		 pgtt == VTD_PGTT_NESTED ? "NESTED" : "second-stage", parent->did);
	return 0;
}
