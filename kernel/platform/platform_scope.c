// SPDX-License-Identifier: MIT
#include "kernel/platform/platform_scope.h"

#include "drivers/pci/pci_regs.h"

#define RMRR_MASK_BITS 64

int scope_target(const struct pci_topology *t, uint16_t segment, const struct dmar_scope *s)
{
	struct pci_bdf bdf = { .segment = segment, .bus = s->start_bus };
	int idx = PCI_NO_INDEX;

	if (s->type != DMAR_SCOPE_PCI_ENDPOINT && s->type != DMAR_SCOPE_PCI_SUB_HIERARCHY)
		return PCI_NO_INDEX;
	for (unsigned int i = 0; i < s->path_len; i++) {
		bdf.dev = s->path[i][0];
		bdf.fn = s->path[i][1];
		idx = pci_find(t, bdf);
		if (idx == PCI_NO_INDEX)
			return PCI_NO_INDEX;
		if (i + 1 < s->path_len) {
			if (t->devices[idx].header_type != PCI_HEADER_BRIDGE)
				return PCI_NO_INDEX;
			bdf.bus = t->devices[idx].secondary_bus;
		}
	}
	return idx;
}

bool scope_covers(const struct pci_topology *t, uint16_t segment, const struct dmar_scope *s,
		  int dev)
{
	int target = scope_target(t, segment, s);
	const struct pci_device *b, *d = &t->devices[dev];

	if (target == PCI_NO_INDEX)
		return false;
	if (target == dev)
		return true;
	if (s->type != DMAR_SCOPE_PCI_SUB_HIERARCHY)
		return false;
	b = &t->devices[target];
	return b->header_type == PCI_HEADER_BRIDGE && d->bdf.segment == segment &&
	       b->secondary_bus != 0 && d->bdf.bus >= b->secondary_bus &&
	       d->bdf.bus <= b->subordinate_bus;
}

static bool list_covers(const struct dmar_table *d, struct dmar_scope_list l, uint16_t segment,
			const struct pci_topology *t, int dev)
{
	if (t->devices[dev].bdf.segment != segment)
		return false;
	for (unsigned int i = 0; i < l.count; i++)
		if (scope_covers(t, segment, &d->scopes[l.first + i], dev))
			return true;
	return false;
}

int unit_for_device(const struct dmar_table *d, const struct pci_topology *t, int dev)
{
	int catch_all = PCI_NO_INDEX;

	for (unsigned int u = 0; u < d->nr_drhd; u++) {
		const struct dmar_drhd *h = &d->drhd[u];

		if (h->flags & DRHD_FLAG_INCLUDE_PCI_ALL) {
			if (h->segment == t->devices[dev].bdf.segment && catch_all == PCI_NO_INDEX)
				catch_all = (int)u;
			continue;
		}
		if (list_covers(d, h->scopes, h->segment, t, dev))
			return (int)u;
	}
	return catch_all;
}

uint64_t rmrr_mask_for_device(const struct dmar_table *d, const struct pci_topology *t, int dev)
{
	uint64_t mask = 0;

	for (unsigned int i = 0; i < d->nr_rmrr && i < RMRR_MASK_BITS; i++)
		if (list_covers(d, d->rmrr[i].scopes, d->rmrr[i].segment, t, dev))
			mask |= 1ull << i;
	return mask;
}

/* The bridge at the top of @dev's branch (its root port), or @dev itself at the top. */
static int root_port_of(const struct pci_topology *t, int dev)
{
	int steps = 0;

	while (t->devices[dev].parent != PCI_NO_INDEX && steps++ < PCI_MAX_DEVICES)
		dev = t->devices[dev].parent;
	return dev;
}

bool ats_allowed(const struct dmar_table *d, const struct pci_topology *t, int dev)
{
	int port = root_port_of(t, dev);

	for (unsigned int i = 0; i < d->nr_atsr; i++) {
		const struct dmar_atsr *a = &d->atsr[i];

		if (a->segment != t->devices[dev].bdf.segment)
			continue;
		if ((a->flags & ATSR_FLAG_ALL_PORTS) ||
		    list_covers(d, a->scopes, a->segment, t, port))
			return true;
	}
	return false;
}

bool satc_lists(const struct dmar_table *d, const struct pci_topology *t, int dev)
{
	for (unsigned int i = 0; i < d->nr_satc; i++)
		if (list_covers(d, d->satc[i].scopes, d->satc[i].segment, t, dev))
			return true;
	return false;
}
