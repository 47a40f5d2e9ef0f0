// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_live_tables.h"

#include <errno.h>
#include <stdlib.h>

#include "iommu/vtd/vtd_audit.h"
#include "iommu/vtd/vtd_internal.h"
#include "kernel/acpi/dmar.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define AUDIT_SEEN_SLOTS 4096

/* Table memory is read where it is (identity map); only frames skiff allocated count. */
static const uint64_t *live_table(void *arg, uint64_t pa, size_t bytes)
{
	uint64_t first = pa & ~(PMM_FRAME_SIZE - 1);
	uint64_t frames = (pa + bytes - first + PMM_FRAME_SIZE - 1) / PMM_FRAME_SIZE;

	(void)arg;
	return pmm_is_allocated(&kernel_pmm, first, frames) ? (const uint64_t *)pa : NULL;
}

static bool owned(void *arg, uint64_t pa, uint64_t size)
{
	return live_table(arg, pa, size) != NULL;
}

static enum vtd_walk_mode walk_mode(const struct vtd_state *vs)
{
	return vs->unit.mode == VTD_MODE_SCALABLE ? VTD_WALK_SCALABLE : VTD_WALK_LEGACY;
}

int vtd_live_predict(unsigned int unit, struct pci_bdf bdf, uint64_t iova, unsigned int access,
		     struct vtd_walk_result *out)
{
	const struct vtd_state *vs = vtd_state_of(unit);
	struct vtd_walk_ctx ctx;
	struct vtd_walk_req req;

	if (!vs)
		return -ENODEV;
	ctx = (struct vtd_walk_ctx){ .table = live_table,
				     .caps = &vs->unit.caps,
				     .haw = vs->haw_bits };
	req = (struct vtd_walk_req){ .mode = walk_mode(vs),
				     .root = vs->root,
				     .bus = bdf.bus,
				     .devfn = vtd_devfn(bdf),
				     .iova = iova,
				     .access = access };
	*out = (struct vtd_walk_result){ 0 };
	return vtd_walk(&ctx, &req, out);
}

/* A leaf is allowed when the domain with that DID maps the same IOVA to the same place with
 * the same permissions in skiff's own bookkeeping (vtd_pgt_translate), and is not read-only in
 * a nesting parent while SPR17 is in force: that rule holds for every nesting parent, also one
 * whose first stage skiff composes in software and that no NESTED PASID entry names. */
static bool leaf_allowed(void *arg, uint16_t did, uint64_t iova, uint64_t pa, uint64_t size,
			 unsigned int perms)
{
	const struct vtd_state *vs = arg;

	for (unsigned int i = 0; i < VTD_MAX_DOMAINS; i++) {
		const struct vtd_domain *d = vs->domains[i];
		struct vtd_pgt_xlate x;

		if (!d || d->did != did || d->dom.type != IOMMU_DOMAIN_TRANSLATED)
			continue;
		if (vtd_pgt_translate(&d->pgt, iova, &x) || x.pa != pa || x.size != size)
			return false;
		if (d->dom.nesting_parent && vs->spr17 && !(perms & VTD_WALK_W))
			return false;
		return ((perms & VTD_WALK_W) != 0) == ((x.prot & VTD_PGT_W) != 0) &&
		       (perms & VTD_WALK_R);
	}
	return false;
}

static void report(void *arg, const struct vtd_audit_violation *v)
{
	const struct vtd_state *vs = arg;

	log_err("vtd%u: audit: %s: entry at %#llx = %#llx (bus %02x devfn %02x DID %d IOVA %#llx)",
		vs->unit.index, vtd_audit_rule_name(v->rule), (unsigned long long)v->addr,
		(unsigned long long)v->val[0], v->bus, v->devfn, v->has_did ? v->did : -1,
		(unsigned long long)v->iova);
}

long vtd_live_audit(void)
{
	struct vtd_audit_seen *seen = calloc(AUDIT_SEEN_SLOTS, sizeof(*seen));
	long total = 0;

	if (!seen)
		return -ENOMEM;
	for (unsigned int u = 0; u < DMAR_MAX_DRHD; u++) {
		struct vtd_state *vs = vtd_state_of(u);
		struct vtd_audit_cfg cfg;
		struct vtd_audit_ops ops = { .table = live_table,
					     .owned = owned,
					     .leaf_allowed = leaf_allowed,
					     .report = report,
					     .arg = vs };
		long n;

		if (!vs)
			continue;
		cfg = (struct vtd_audit_cfg){ .mode = walk_mode(vs),
					      .root = vs->root,
					      .caps = &vs->unit.caps,
					      .haw = vs->haw_bits,
					      .spr17_off = !vs->spr17,
					      .seen = seen,
					      .seen_cap = AUDIT_SEEN_SLOTS };
		n = vtd_audit(&cfg, &ops);
		if (n < 0) {
			free(seen);
			return n;
		}
		total += n;
	}
	free(seen);
	return total;
}
