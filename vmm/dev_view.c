// SPDX-License-Identifier: MIT
/*
 * The device view of a VM's gmem: the one place the DMA policy is applied (see dev_view.h).
 */
#include "kernel/bits.h"
#include "vmm/dev_view.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* SPR17 decides only on a domain that would be a nesting parent, on a unit with the erratum. */
static bool spr17_applies(const struct dev_view_req *req)
{
	return req->want_nesting && req->spr17;
}

/* The decision for range @r under @req, into @e. Returns 0, or -EINVAL for an unknown kind. */
static int decide(const struct gmem_range *r, const struct dev_view_req *req,
		  struct dev_view_entry *e)
{
	e->range = *r;
	switch (r->kind) {
	case GMEM_RAM:
		e->action = DEV_VIEW_MAP_RW;
		e->reason = DEV_VIEW_WHY_RAM;
		return 0;
	case GMEM_MMIO_PASSTHRU:
		e->action = DEV_VIEW_MAP_RW;
		e->reason = DEV_VIEW_WHY_PASSTHRU;
		return 0;
	case GMEM_MSI:
		e->action = DEV_VIEW_LEFT_OUT;
		e->reason = DEV_VIEW_WHY_MSI;
		return 0;
	case GMEM_MMIO_EMULATED:
		e->action = DEV_VIEW_LEFT_OUT;
		e->reason = DEV_VIEW_WHY_EMULATED;
		return 0;
	case GMEM_ROM:
		if (!req->want_nesting) {
			e->action = DEV_VIEW_MAP_RO;
			e->reason = DEV_VIEW_WHY_ROM;
		} else if (!spr17_applies(req)) {
			e->action = DEV_VIEW_MAP_RO;
			e->reason = DEV_VIEW_WHY_ROM_NO_SPR17;
		} else if (req->policy == IOMMU_RO_SKIP) {
			e->action = DEV_VIEW_LEFT_OUT;
			e->reason = DEV_VIEW_WHY_SPR17_SKIP;
		} else {
			e->action = DEV_VIEW_MAP_RO;
			e->reason = DEV_VIEW_WHY_SPR17_REFUSE;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

int dev_view_derive(const struct gmem *g, const struct dev_view_req *req, struct dev_view *out)
{
	if (!out)
		return -EINVAL;
	*out = (struct dev_view){ .refused_by = DEV_VIEW_NO_RANGE };
	if (!g || !req || !g->sealed || g->nr > GMEM_MAX_RANGES ||
	    (req->policy != IOMMU_RO_SKIP && req->policy != IOMMU_RO_REFUSE))
		return -EINVAL;

	out->req = *req;
	for (unsigned int i = 0; i < g->nr; i++) {
		struct dev_view_entry *e = &out->entry[i];

		if (decide(&g->range[i], req, e)) {
			*out = (struct dev_view){ .refused_by = DEV_VIEW_NO_RANGE };
			return -EINVAL;
		}
		if (e->reason == DEV_VIEW_WHY_SPR17_REFUSE && !out->nesting_refused) {
			out->nesting_refused = true;
			out->refused_by = i;
		}
	}
	out->nr = g->nr;
	out->nesting_parent = req->want_nesting && !out->nesting_refused;
	return 0;
}

unsigned int dev_view_prot(enum dev_view_action action)
{
	switch (action) {
	case DEV_VIEW_MAP_RW:
		return IOMMU_READ | IOMMU_WRITE;
	case DEV_VIEW_MAP_RO:
		return IOMMU_READ;
	default:
		return 0;
	}
}

/* Bytes from @gpa to the first mapped range above it (the whole rest of the space if none). */
static uint64_t gap_from(const struct dev_view *v, uint64_t gpa)
{
	uint64_t gap = UINT64_MAX - gpa;

	for (unsigned int i = 0; i < v->nr && i < GMEM_MAX_RANGES; i++) {
		const struct dev_view_entry *e = &v->entry[i];

		if (e->action != DEV_VIEW_LEFT_OUT && e->range.gpa > gpa &&
		    e->range.gpa - gpa < gap)
			gap = e->range.gpa - gpa;
	}
	return gap;
}

int dev_view_lookup(const struct dev_view *v, uint64_t gpa, uint64_t *hpa, unsigned int *prot,
		    uint64_t *run)
{
	if (!v)
		return -EINVAL;
	for (unsigned int i = 0; i < v->nr && i < GMEM_MAX_RANGES; i++) {
		const struct dev_view_entry *e = &v->entry[i];
		uint64_t off = gpa - e->range.gpa;

		if (gpa < e->range.gpa || off >= e->range.size || e->action == DEV_VIEW_LEFT_OUT)
			continue;
		if (hpa)
			*hpa = e->range.hpa + off;
		if (prot)
			*prot = dev_view_prot(e->action);
		if (run)
			*run = e->range.size - off;
		return 0;
	}
	if (run)
		*run = gap_from(v, gpa);
	return -ENOENT;
}

int dev_view_format(char *buf, size_t size, const struct dev_view_entry *e)
{
	const struct gmem_range *r = &e->range;

	return snprintf(buf, size, "%s 0x%llx-0x%llx %s: %s (%s)", r->name,
			(unsigned long long)r->gpa, (unsigned long long)(r->gpa + r->size - 1),
			gmem_kind_name(r->kind), dev_view_action_name(e->action),
			dev_view_reason_text(e->reason));
}

const char *dev_view_action_name(enum dev_view_action action)
{
	static const char *const names[] = {
		[DEV_VIEW_MAP_RW] = "map read-write",
		[DEV_VIEW_MAP_RO] = "map read-only",
		[DEV_VIEW_LEFT_OUT] = "left out",
	};

	if ((unsigned int)action < ARRAY_SIZE(names))
		return names[action];
	return "?";
}

const char *dev_view_reason_text(enum dev_view_reason reason)
{
	static const char *const texts[] = {
		[DEV_VIEW_WHY_RAM] = "guest RAM",
		[DEV_VIEW_WHY_PASSTHRU] = "passthrough BAR, peer-to-peer DMA",
		[DEV_VIEW_WHY_ROM] = "read-only to the guest",
		[DEV_VIEW_WHY_ROM_NO_SPR17] =
			"read-only to the guest; SPR17 not in force, allowed under a nesting parent",
		[DEV_VIEW_WHY_SPR17_SKIP] =
			"SPR17: read-only range under a nesting parent, iommu.ro_policy=skip",
		[DEV_VIEW_WHY_SPR17_REFUSE] =
			"SPR17: read-only range, nesting refused, iommu.ro_policy=refuse",
		[DEV_VIEW_WHY_MSI] = "MSI window: device writes are interrupt requests (VT-d 3.15)",
		[DEV_VIEW_WHY_EMULATED] = "emulated MMIO: no host backing",
	};

	if ((unsigned int)reason < ARRAY_SIZE(texts))
		return texts[reason];
	return "?";
}

const char *dev_view_policy_name(enum iommu_ro_policy policy)
{
	switch (policy) {
	case IOMMU_RO_SKIP:
		return "skip";
	case IOMMU_RO_REFUSE:
		return "refuse";
	default:
		return "?";
	}
}
