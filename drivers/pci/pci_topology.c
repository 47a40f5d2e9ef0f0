// SPDX-License-Identifier: MIT
/* The enumerated PCI topology: lookups and the bridge tree (pure; host-tested). */
#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"

void pci_link_parents(struct pci_topology *t)
{
	for (unsigned int i = 0; i < t->count; i++) {
		struct pci_device *d = &t->devices[i];
		unsigned int best_span = ~0u;

		for (unsigned int k = 0; k < t->count; k++) {
			const struct pci_device *b = &t->devices[k];
			unsigned int span = (unsigned int)(b->subordinate_bus - b->secondary_bus);

			if (k == i || b->header_type != PCI_HEADER_BRIDGE ||
			    b->bdf.segment != d->bdf.segment || b->secondary_bus == 0 ||
			    d->bdf.bus < b->secondary_bus || d->bdf.bus > b->subordinate_bus ||
			    span >= best_span)
				continue;
			best_span = span;
			d->parent = (int)k;
		}
	}
}

int pci_find(const struct pci_topology *t, struct pci_bdf bdf)
{
	for (unsigned int i = 0; i < t->count; i++) {
		const struct pci_bdf *b = &t->devices[i].bdf;

		if (b->segment == bdf.segment && b->bus == bdf.bus && b->dev == bdf.dev &&
		    b->fn == bdf.fn)
			return (int)i;
	}
	return PCI_NO_INDEX;
}
