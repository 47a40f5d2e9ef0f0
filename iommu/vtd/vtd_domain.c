// SPDX-License-Identifier: MIT
/* Domains on VT-d: domain ids (CAP.ND), page tables (iommu/vtd/vtd_pgtable.c), map and unmap
 * with the IOTLB invalidation VT-d 6.5.2.3 / 6.5.2.4 prescribes before tables are reused, and
 * the nesting-parent rule of erratum SPR17 (iommu/vtd/vtd_errata.h). */
#include "iommu/vtd/vtd_domain.h"

#include <errno.h>
#include <stdlib.h>

#include "iommu/vtd/vtd_context.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define BITS_PER_WORD	   64u
#define FS_DEFAULT_AW_BITS 47 /* 4-level first stage, lower canonical half */

static int alloc_did(struct vtd_state *vs, uint16_t *did)
{
	uint64_t n = 1ull << vs->unit.caps.domain_bits;

	for (uint64_t i = 1; i < n; i++)
		if (!(vs->did_used[i / BITS_PER_WORD] >> (i % BITS_PER_WORD) & 1)) {
			vs->did_used[i / BITS_PER_WORD] |= 1ull << (i % BITS_PER_WORD);
			*did = (uint16_t)i;
			return 0;
		}
	return -ENOSPC;
}

static void free_did(struct vtd_state *vs, uint16_t did)
{
	vs->did_used[did / BITS_PER_WORD] &= ~(1ull << (did % BITS_PER_WORD));
}

/* Table pages for the page-table library: zeroed frames, written back for the unit. */
static int pgt_alloc(void *ctx, uint64_t *pa)
{
	int err = page_alloc_zeroed(pa);

	if (!err)
		vtd_sync(ctx, *pa, PAGE_SIZE_4K);
	return err;
}

static void pgt_free(void *ctx, uint64_t pa)
{
	(void)ctx;
	pmm_free(&kernel_pmm, pa, 1);
}

static uint64_t *pgt_table(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)pa; /* skiff runs identity mapped */
}

static void pgt_sync(void *ctx, uint64_t pa, uint64_t len)
{
	vtd_sync(ctx, pa, len);
}

static int create_tables(struct vtd_domain *d, unsigned int aw_bits)
{
	const struct vtd_caps *c = &d->vs->unit.caps;
	struct vtd_pgt_ops ops = {
		.alloc_table = pgt_alloc,
		.free_table = pgt_free,
		.table = pgt_table,
		.sync = c->c ? NULL : pgt_sync,
		.ctx = d->vs,
	};
	struct vtd_pgt_cfg cfg;
	int err;

	if (!aw_bits)
		aw_bits = d->vs->format == VTD_PGT_FIRST_STAGE ? FS_DEFAULT_AW_BITS : c->mgaw;
	err = vtd_pgt_cfg_from_caps(c, d->vs->format, aw_bits, &cfg);
	if (!err) {
		cfg.oa_bits = d->vs->haw_bits;
		err = vtd_pgt_create(&d->pgt, &cfg, &ops);
	}
	return err;
}

static int register_domain(struct vtd_state *vs, struct vtd_domain *d)
{
	for (unsigned int i = 0; i < VTD_MAX_DOMAINS; i++)
		if (!vs->domains[i]) {
			vs->domains[i] = d;
			return 0;
		}
	return -ENOSPC;
}

int vtd_domain_alloc(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
		     struct iommu_domain **out)
{
	struct vtd_state *vs = vtd_state_of(unit);
	struct vtd_domain *d;
	int err;

	if (!vs)
		return -ENODEV;
	if (type == IOMMU_DOMAIN_PASSTHROUGH && !vs->unit.caps.pt)
		return -EOPNOTSUPP;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->vs = vs;
	err = alloc_did(vs, &d->did);
	if (err) {
		free(d);
		return err;
	}
	if (type == IOMMU_DOMAIN_TRANSLATED)
		err = create_tables(d, aw_bits);
	if (!err)
		err = register_domain(vs, d);
	if (err) {
		if (d->pgt.root)
			vtd_pgt_destroy(&d->pgt);
		free_did(vs, d->did);
		free(d);
		return err;
	}
	*out = &d->dom;
	return 0;
}

int vtd_flush_domain_range(struct vtd_domain *d, uint64_t start, uint64_t end, bool ih)
{
	struct vtd_unit *u = &d->vs->unit;
	struct vtd_inv_desc desc[VTD_PSI_PLAN_MAX];
	struct vtd_psi_plan plan;
	bool pasid_based = d->vs->format == VTD_PGT_FIRST_STAGE;
	unsigned int n = 0;
	int err = vtd_inval_plan_range(start, end - start, u->caps.psi, VTD_CAP_MAMV(u->caps.cap),
				       &plan);

	if (err)
		return err;
	if (plan.count == 0)
		err = pasid_based ? vtd_inval_piotlb(&desc[n++], &u->caps, VTD_PIOTLB_G_PASID,
						     d->did, VTD_RID_PASID, 0, 0, false) :
				    vtd_inval_iotlb(&desc[n++], &u->caps, VTD_IOTLB_G_DOMAIN,
						    d->did, 0, 0, false);
	for (unsigned int i = 0; !err && i < plan.count; i++)
		err = pasid_based ? vtd_inval_piotlb(&desc[n++], &u->caps, VTD_PIOTLB_G_PAGE,
						     d->did, VTD_RID_PASID, plan.psi[i].addr,
						     plan.psi[i].am, ih) :
				    vtd_inval_iotlb(&desc[n++], &u->caps, VTD_IOTLB_G_PAGE, d->did,
						    plan.psi[i].addr, plan.psi[i].am, ih);
	return err ? err : vtd_invalidate(u, desc, n);
}

/* Invalidates what @g says changed (new entries too when CAP.CM = 1, 6.1), then frees the
 * tables it held back. */
static int finish(struct vtd_domain *d, struct vtd_pgt_gather *g)
{
	int err = 0;

	if (g->start < g->end && (g->flush || d->vs->unit.caps.cm))
		err = vtd_flush_domain_range(d, g->start, g->end, !g->nonleaf);
	/* After a failed invalidation the hardware may still hold the tables: keep them. */
	if (!err)
		vtd_pgt_gather_release(&d->pgt, g);
	return err;
}

static uint32_t pgt_prot(unsigned int prot)
{
	return (prot & IOMMU_READ ? VTD_PGT_R : 0) | (prot & IOMMU_WRITE ? VTD_PGT_W : 0);
}

/* SPR17: a read-only leaf under a nesting parent is refused, never made read-write. */
static bool spr17_refuses(struct vtd_domain *d, uint64_t iova, uint64_t size, unsigned int prot)
{
	if (!d->dom.nesting_parent || !d->vs->spr17 || (prot & IOMMU_WRITE))
		return false;
	if (!d->spr17_logged)
		log_warn("vtd%u: domain %u is a nesting parent under erratum SPR17: read-only map "
			 "of IOVA %#llx-%#llx refused (further refusals not logged)",
			 d->vs->unit.index, d->did, (unsigned long long)iova,
			 (unsigned long long)(iova + size - 1));
	d->spr17_logged = true;
	return true;
}

int vtd_map(struct iommu_domain *dom, uint64_t iova, uint64_t pa, uint64_t size, unsigned int prot)
{
	struct vtd_domain *d = to_vtd_domain(dom);
	struct vtd_pgt_gather g;
	int err, ferr;

	if (spr17_refuses(d, iova, size, prot))
		return -EPERM;
	vtd_pgt_gather_init(&g);
	err = vtd_pgt_map(&d->pgt, iova, pa, size, pgt_prot(prot), &g);
	ferr = finish(d, &g);
	return err ? err : ferr;
}

int64_t vtd_unmap(struct iommu_domain *dom, uint64_t iova, uint64_t size)
{
	struct vtd_domain *d = to_vtd_domain(dom);
	struct vtd_pgt_gather g;
	int64_t n;
	int err;

	vtd_pgt_gather_init(&g);
	n = vtd_pgt_unmap(&d->pgt, iova, size, &g);
	err = finish(d, &g);
	return n < 0 ? n : (err ? err : n);
}

void vtd_domain_free(struct iommu_domain *dom)
{
	struct vtd_domain *d = to_vtd_domain(dom);

	while (d->nr_attached)
		vtd_context_detach(d, &d->attached[d->nr_attached - 1]);
	if (dom->type == IOMMU_DOMAIN_TRANSLATED)
		vtd_pgt_destroy(&d->pgt);
	free_did(d->vs, d->did);
	for (unsigned int i = 0; i < VTD_MAX_DOMAINS; i++)
		if (d->vs->domains[i] == d)
			d->vs->domains[i] = NULL;
	free(d);
}

int vtd_translate(const struct iommu_domain *dom, uint64_t iova, uint64_t *pa, uint64_t *leaf,
		  unsigned int *prot)
{
	struct vtd_pgt_xlate x;
	int err = vtd_pgt_translate(&to_vtd_domain_const(dom)->pgt, iova, &x);

	if (err)
		return err;
	*pa = x.pa;
	*leaf = x.size;
	*prot = (x.prot & VTD_PGT_R ? IOMMU_READ : 0) | (x.prot & VTD_PGT_W ? IOMMU_WRITE : 0);
	return 0;
}

unsigned int vtd_domain_did(const struct iommu_domain *dom)
{
	return to_vtd_domain_const(dom)->did;
}

/* Whether any entry of @d's root table is present: a domain without one maps nothing. */
static bool has_mappings(const struct vtd_domain *d)
{
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		if (d->pgt.root_table[i] & d->pgt.present)
			return true;
	return false;
}

int vtd_set_nesting_parent(struct iommu_domain *dom)
{
	const struct vtd_domain *d = to_vtd_domain(dom);

	if (d->pgt.format != VTD_PGT_SECOND_STAGE)
		return -EOPNOTSUPP;
	if (d->nr_attached || has_mappings(d))
		return -EBUSY;
	return 0;
}
