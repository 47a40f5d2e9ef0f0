// SPDX-License-Identifier: MIT
/*
 * Context entries and PASID structures for attached devices (VT-d 9.1-9.6). Every entry is
 * built whole with P = 0, written, made present last, written back for the unit, and then the
 * invalidation of 6.5.3 runs; teardown clears P first and invalidates before memory is reused.
 * A device behind a bridge that takes ownership of its requests gets the same entries for each
 * DMA alias (vtd_dma_aliases(); VT-d 3.4.1), all in its domain.
 */
#include "iommu/vtd/vtd_context.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/vtd/vtd_entries.h"
#include "kernel/bits.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define DEVFNS 256

/* Copies an entry built with P = 0 into table memory and writes it back for the unit. */
static void install(const struct vtd_state *vs, void *slot, const void *entry, size_t size)
{
	memcpy(slot, entry, size);
	vtd_sync(vs, (uint64_t)slot, size);
}

/* Clears the word holding P first, then the rest, and writes the entry back for the unit. */
static void clear_entry(const struct vtd_state *vs, uint64_t *slot, size_t words)
{
	WRITE_ONCE(*slot, 0);
	__asm__ volatile("" ::: "memory");
	for (size_t i = 1; i < words; i++)
		slot[i] = 0;
	vtd_sync(vs, (uint64_t)slot, words * sizeof(uint64_t));
}

/* The context table holding @devfn on @bus, created (and linked into the root table) if needed. */
static int context_table(struct vtd_state *vs, uint8_t bus, uint8_t devfn, uint64_t *table)
{
	bool scalable = vs->unit.mode == VTD_MODE_SCALABLE;
	unsigned int half = scalable ? vtd_sm_root_half(devfn) : 0;
	struct vtd_root_entry *re = (struct vtd_root_entry *)vs->root + bus, e;
	int err;

	if (vs->context[bus][half]) {
		*table = vs->context[bus][half];
		return 0;
	}
	err = page_alloc_zeroed(table);
	if (err)
		return err;
	vtd_sync(vs, *table, PAGE_SIZE_4K);
	if (scalable) {
		err = vtd_sm_root_entry_encode(half ? 0 : *table, half ? *table : 0, &e);
		/* Only this half's word changes: the other half stays present meanwhile. */
		if (!err) {
			if (half)
				re->hi = e.hi;
			else
				re->lo = e.lo;
			vtd_sm_root_entry_set_present(re, half);
		}
	} else {
		err = vtd_root_entry_encode(*table, &e);
		if (!err) {
			*re = e;
			vtd_root_entry_set_present(re);
		}
	}
	if (err) {
		pmm_free(&kernel_pmm, *table, 1);
		return err;
	}
	vtd_sync(vs, (uint64_t)re, sizeof(*re));
	vs->context[bus][half] = *table;
	return 0;
}

static int attach_legacy(struct vtd_domain *d, struct vtd_attachment *a, uint64_t table)
{
	const struct vtd_caps *c = &d->vs->unit.caps;
	struct vtd_context_entry *slot =
		(struct vtd_context_entry *)table + vtd_context_index(vtd_devfn(a->bdf));
	struct vtd_context_config cfg = {
		.tt = d->dom.type == IOMMU_DOMAIN_PASSTHROUGH ? VTD_TT_PT : VTD_TT_SS,
		.did = d->did,
		.aw = d->dom.type == IOMMU_DOMAIN_PASSTHROUGH ? vtd_aw_largest(c) :
								vtd_aw_from_levels(d->pgt.levels),
		.ss_root = d->dom.type == IOMMU_DOMAIN_PASSTHROUGH ? 0 : d->pgt.root,
	};
	struct vtd_context_entry e;
	int err = vtd_context_validate(&cfg, c, d->vs->haw_bits);

	if (!err)
		err = vtd_context_entry_encode(&cfg, &e);
	if (err)
		return err;
	install(d->vs, slot, &e, sizeof(e));
	vtd_context_entry_set_present(slot);
	vtd_sync(d->vs, (uint64_t)slot, sizeof(*slot));
	return 0;
}

static int pasid_entry_config(const struct vtd_domain *d, struct vtd_pasid_entry_config *cfg)
{
	const struct vtd_caps *c = &d->vs->unit.caps;

	/* First stage and pass-through get the unit's widest AW, as Linux writes iommu->agaw:
	 * QEMU 10 bounds (and canonical-checks) first-stage input addresses by this field. */
	*cfg = (struct vtd_pasid_entry_config){
		.did = d->did,
		.aw = vtd_aw_largest(c),
		.flags = c->smpwc ? VTD_PE_FLAG_PWSNP : 0,
	};
	if (d->dom.type == IOMMU_DOMAIN_PASSTHROUGH) {
		cfg->pgtt = VTD_PGTT_PT;
	} else if (d->pgt.format == VTD_PGT_FIRST_STAGE) {
		cfg->pgtt = VTD_PGTT_FS;
		cfg->fs_root = d->pgt.root;
		cfg->fs_paging = d->pgt.levels == 5 ? VTD_FSPM_5LEVEL : VTD_FSPM_4LEVEL;
	} else {
		cfg->pgtt = VTD_PGTT_SS;
		cfg->aw = vtd_aw_from_levels(d->pgt.levels);
		cfg->ss_root = d->pgt.root;
	}
	return vtd_pasid_entry_validate(cfg, c, d->vs->haw_bits);
}

/* PASID table with RID_PASID's entry, directory pointing at it, then the context entry. */
static int attach_scalable(struct vtd_domain *d, struct vtd_attachment *a, uint64_t table)
{
	const struct vtd_caps *c = &d->vs->unit.caps;
	struct vtd_sm_context_entry *slot =
		(struct vtd_sm_context_entry *)table + vtd_sm_context_index(vtd_devfn(a->bdf));
	struct vtd_pasid_entry_config pcfg;
	struct vtd_sm_context_config ccfg = { .rid_pasid = VTD_RID_PASID };
	struct vtd_pasid_entry pe;
	struct vtd_pasid_dir_entry de;
	struct vtd_sm_context_entry ce;
	struct vtd_pasid_entry *pslot;
	struct vtd_pasid_dir_entry *dslot;
	int err = pasid_entry_config(d, &pcfg);

	if (!err)
		err = vtd_pasid_entry_encode(&pcfg, &pe);
	if (!err)
		err = page_alloc_zeroed(&a->pasid_table);
	if (!err)
		err = page_alloc_zeroed(&a->pasid_dir);
	if (!err)
		err = vtd_pasid_dir_entry_encode(a->pasid_table, false, &de);
	ccfg.pasid_dir = a->pasid_dir;
	if (!err)
		err = vtd_sm_context_validate(&ccfg, c, d->vs->haw_bits);
	if (!err)
		err = vtd_sm_context_entry_encode(&ccfg, &ce);
	if (err)
		return err;

	pslot = (struct vtd_pasid_entry *)a->pasid_table + vtd_pasid_table_index(VTD_RID_PASID);
	install(d->vs, pslot, &pe, sizeof(pe));
	vtd_pasid_entry_set_present(pslot);
	vtd_sync(d->vs, (uint64_t)pslot, sizeof(*pslot));
	dslot = (struct vtd_pasid_dir_entry *)a->pasid_dir + vtd_pasid_dir_index(VTD_RID_PASID);
	install(d->vs, dslot, &de, sizeof(de));
	vtd_pasid_dir_entry_set_present(dslot);
	vtd_sync(d->vs, (uint64_t)dslot, sizeof(*dslot));
	install(d->vs, slot, &ce, sizeof(ce));
	vtd_sm_context_entry_set_present(slot);
	vtd_sync(d->vs, (uint64_t)slot, sizeof(*slot));
	return 0;
}

/* After a context (and PASID) entry changed: context cache for the device, PASID cache for
 * RID_PASID, IOTLB for the domain - one submission (6.5.3.3, 6.5.3.5). */
static int flush_device(struct vtd_domain *d, struct pci_bdf bdf)
{
	struct vtd_unit *u = &d->vs->unit;
	struct vtd_inv_desc desc[3];
	unsigned int n = 0;
	int err = vtd_inval_cc(&desc[n++], VTD_CC_G_DEVICE, d->did, vtd_sid(bdf), 0);

	if (!err && u->mode == VTD_MODE_SCALABLE)
		err = vtd_inval_pc(&desc[n++], VTD_PC_G_PASID, d->did, VTD_RID_PASID);
	if (!err)
		err = d->vs->format == VTD_PGT_FIRST_STAGE ||
				      d->dom.type == IOMMU_DOMAIN_PASSTHROUGH ?
			      (u->mode == VTD_MODE_SCALABLE ?
				       vtd_inval_piotlb(&desc[n++], &u->caps, VTD_PIOTLB_G_PASID,
							d->did, VTD_RID_PASID, 0, 0, false) :
				       vtd_inval_iotlb(&desc[n++], &u->caps, VTD_IOTLB_G_DOMAIN,
						       d->did, 0, 0, false)) :
			      vtd_inval_iotlb(&desc[n++], &u->caps, VTD_IOTLB_G_DOMAIN, d->did, 0,
					      0, false);
	return err ? err : vtd_invalidate(u, desc, n);
}

static void set_owner(struct vtd_state *vs, struct pci_bdf bdf, struct vtd_domain *d)
{
	struct vtd_domain **bus = vs->owner[bdf.bus];

	if (!bus && d)
		bus = vs->owner[bdf.bus] = calloc(DEVFNS, sizeof(*bus));
	if (bus)
		bus[vtd_devfn(bdf)] = d;
}

struct vtd_domain *vtd_context_owner(const struct vtd_state *vs, uint16_t sid)
{
	struct pci_bdf bdf = vtd_sid_bdf(vs->segment, sid);
	struct vtd_domain **bus = vs->owner[bdf.bus];

	return bus ? bus[vtd_devfn(bdf)] : NULL;
}

/* @d's entry for requester id @sid, or NULL. */
static struct vtd_attachment *find_rid(struct vtd_domain *d, uint16_t sid)
{
	for (unsigned int i = 0; i < d->nr_attached; i++)
		if (vtd_sid(d->attached[i].bdf) == sid)
			return &d->attached[i];
	return NULL;
}

/* The ids @bdf's DMA reaches the unit with (own id first); the own id alone when the function
 * is not in the platform's topology. */
static int dma_rids(const struct vtd_state *vs, struct pci_bdf bdf, uint16_t *rid)
{
	int dev = vs->pci ? pci_find(vs->pci, bdf) : PCI_NO_INDEX;

	if (dev == PCI_NO_INDEX) {
		rid[0] = vtd_sid(bdf);
		return 1;
	}
	return vtd_dma_aliases(vs->pci, dev, rid, VTD_DMA_ALIASES_MAX);
}

static void free_pasid_pages(struct vtd_attachment *a)
{
	if (a->pasid_table)
		pmm_free(&kernel_pmm, a->pasid_table, 1);
	if (a->pasid_dir)
		pmm_free(&kernel_pmm, a->pasid_dir, 1);
	a->pasid_table = a->pasid_dir = 0;
}

/* A new entry of @d for requester id @bdf, present, owned by @d, not yet invalidated. */
static int program_rid(struct vtd_domain *d, struct pci_bdf bdf)
{
	struct vtd_state *vs = d->vs;
	struct vtd_attachment *a = &d->attached[d->nr_attached];
	uint64_t table;
	int err;

	*a = (struct vtd_attachment){ .bdf = bdf };
	err = context_table(vs, bdf.bus, vtd_devfn(bdf), &table);
	if (!err)
		err = vs->unit.mode == VTD_MODE_SCALABLE ? attach_scalable(d, a, table) :
							   attach_legacy(d, a, table);
	if (err) {
		free_pasid_pages(a);
		return err;
	}
	d->nr_attached++;
	set_owner(vs, bdf, d);
	return 0;
}

/* Tears down the entries of @d from index @first on (the ones an attach added). */
static void undo_from(struct vtd_domain *d, unsigned int first)
{
	while (d->nr_attached > first)
		vtd_context_detach(d, &d->attached[d->nr_attached - 1]);
}

/* Every id free or @d's own, and room for the new ones: else nothing is programmed. */
static int check_rids(struct vtd_domain *d, const uint16_t *rid, int n)
{
	const struct vtd_attachment *own = find_rid(d, rid[0]);
	unsigned int fresh = 0;

	if (own && own->device)
		return -EBUSY;
	for (int i = 0; i < n; i++) {
		const struct vtd_domain *o = vtd_context_owner(d->vs, rid[i]);

		if (o && o != d)
			return -EBUSY;
		fresh += !o;
	}
	return d->nr_attached + fresh > VTD_MAX_ATTACHED ? -ENOSPC : 0;
}

static void log_aliases(const struct vtd_domain *d, struct pci_bdf bdf, const uint16_t *rid, int n)
{
	for (int i = 1; i < n; i++) {
		struct pci_bdf a = vtd_sid_bdf(bdf.segment, rid[i]);

		log_info("vtd%u: %02x:%02x.%x in domain %u: DMA alias %02x:%02x.%x (requester id "
			 "%#06x) programmed too",
			 d->vs->unit.index, bdf.bus, bdf.dev, bdf.fn, d->did, a.bus, a.dev, a.fn,
			 rid[i]);
	}
}

int vtd_attach_dev(struct iommu_domain *dom, struct pci_bdf bdf)
{
	struct vtd_domain *d = to_vtd_domain(dom);
	struct vtd_state *vs = d->vs;
	unsigned int first = d->nr_attached;
	uint16_t rid[VTD_DMA_ALIASES_MAX];
	struct vtd_attachment *own;
	int n, err;

	if (bdf.segment != vs->segment)
		return -ENODEV;
	n = dma_rids(vs, bdf, rid);
	err = n < 0 ? n : check_rids(d, rid, n);
	for (int i = 0; !err && i < n; i++)
		if (!vtd_context_owner(vs, rid[i]))
			err = program_rid(d, vtd_sid_bdf(vs->segment, rid[i]));
	for (unsigned int i = first; !err && i < d->nr_attached; i++) {
		err = flush_device(d, d->attached[i].bdf);
		if (err)
			log_err("vtd%u: %02x:%02x.%x: attach to domain %u failed to invalidate; "
				"detached",
				vs->unit.index, bdf.bus, bdf.dev, bdf.fn, d->did);
	}
	if (err) {
		undo_from(d, first);
		return err;
	}
	for (int i = 0; i < n; i++)
		find_rid(d, rid[i])->users++;
	own = find_rid(d, rid[0]);
	own->device = true;
	own->nr_aliases = (unsigned int)n - 1;
	memcpy(own->alias, rid + 1, own->nr_aliases * sizeof(*rid));
	log_aliases(d, bdf, rid, n);
	return 0;
}

int vtd_context_detach(struct vtd_domain *d, struct vtd_attachment *a)
{
	struct vtd_state *vs = d->vs;
	uint8_t devfn = vtd_devfn(a->bdf);
	bool scalable = vs->unit.mode == VTD_MODE_SCALABLE;
	uint64_t table = vs->context[a->bdf.bus][scalable ? vtd_sm_root_half(devfn) : 0];
	struct pci_bdf bdf = a->bdf;
	int err;

	if (scalable) {
		uint64_t *pslot = (uint64_t *)((struct vtd_pasid_entry *)a->pasid_table +
					       vtd_pasid_table_index(VTD_RID_PASID));

		clear_entry(vs, pslot, sizeof(struct vtd_pasid_entry) / sizeof(uint64_t));
		clear_entry(vs,
			    (uint64_t *)((struct vtd_sm_context_entry *)table +
					 vtd_sm_context_index(devfn)),
			    sizeof(struct vtd_sm_context_entry) / sizeof(uint64_t));
	} else {
		clear_entry(
			vs,
			(uint64_t *)((struct vtd_context_entry *)table + vtd_context_index(devfn)),
			sizeof(struct vtd_context_entry) / sizeof(uint64_t));
	}
	err = flush_device(d, bdf);
	if (err)
		log_err("vtd%u: %02x:%02x.%x: detach from domain %u: invalidation failed (%s); its "
			"PASID pages are not reused",
			vs->unit.index, bdf.bus, bdf.dev, bdf.fn, d->did, strerror(-err));
	else
		free_pasid_pages(a);
	set_owner(vs, bdf, NULL);
	*a = d->attached[--d->nr_attached];
	return err;
}

int vtd_detach_dev(struct iommu_domain *dom, struct pci_bdf bdf)
{
	struct vtd_domain *d = to_vtd_domain(dom);
	struct vtd_attachment *own =
		bdf.segment == d->vs->segment ? find_rid(d, vtd_sid(bdf)) : NULL;
	uint16_t rid[VTD_DMA_ALIASES_MAX];
	unsigned int n;
	int err = 0;

	if (!own || !own->device)
		return -ENOENT;
	rid[0] = vtd_sid(bdf);
	n = own->nr_aliases + 1;
	memcpy(rid + 1, own->alias, own->nr_aliases * sizeof(*rid));
	own->device = false;
	own->nr_aliases = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct vtd_attachment *a = find_rid(d, rid[i]);
		int e = 0;

		if (a && --a->users == 0)
			e = vtd_context_detach(d, a);
		err = err ? err : e;
	}
	return err;
}
