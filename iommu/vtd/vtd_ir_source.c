// SPDX-License-Identifier: MIT
/* The source an IRTE validates for a PCI function; the contract is in vtd_ir_source.h. */
#include "iommu/vtd/vtd_ir_source.h"

#include <errno.h>

#include "drivers/pci/pci_regs.h"

#define RID_BUS_SHIFT 8
#define RID_DEV_SHIFT 3

static uint16_t requester_id(const struct pci_device *d)
{
	return (uint16_t)(d->bdf.bus << RID_BUS_SHIFT | d->bdf.dev << RID_DEV_SHIFT | d->bdf.fn);
}

static bool pcie_to_pci_bridge(const struct pci_device *b)
{
	return b->cap_exp && b->exp_type == VTD_PCI_EXP_TYPE_PCI_BRIDGE;
}

struct vtd_irte_source vtd_ir_source_for(const struct pci_topology *t, int dev)
{
	const struct pci_device *owner = &t->devices[dev];
	int b = owner->parent;

	for (unsigned int steps = 0; b != PCI_NO_INDEX && steps < t->count; steps++) {
		const struct pci_device *bridge = &t->devices[b];

		if (bridge->header_type == PCI_HEADER_BRIDGE &&
		    (pcie_to_pci_bridge(bridge) || !bridge->cap_exp))
			owner = bridge;
		b = bridge->parent;
	}
	if (owner == &t->devices[dev])
		return vtd_irte_source_rid(requester_id(owner));
	if (pcie_to_pci_bridge(owner))
		return vtd_irte_source_bridge(owner->secondary_bus, owner->subordinate_bus);
	return vtd_irte_source_rid(requester_id(owner));
}

/* The id @bridge gives the requests it takes ownership of; false when it forwards them as is. */
static bool dma_alias_of_bridge(const struct pci_device *bridge, uint16_t *rid)
{
	if (bridge->header_type != PCI_HEADER_BRIDGE)
		return false;
	if (pcie_to_pci_bridge(bridge)) {
		*rid = (uint16_t)(bridge->secondary_bus << RID_BUS_SHIFT);
		return true;
	}
	if (bridge->cap_exp && bridge->exp_type != VTD_PCI_EXP_TYPE_PCIE_BRIDGE)
		return false;
	*rid = requester_id(bridge);
	return true;
}

/* Appends @id to @rid[0..*n) unless it is there already. */
static int add_alias(uint16_t *rid, unsigned int *n, unsigned int max, uint16_t id)
{
	for (unsigned int i = 0; i < *n; i++)
		if (rid[i] == id)
			return 0;
	if (*n == max)
		return -ENOSPC;
	rid[(*n)++] = id;
	return 0;
}

int vtd_dma_aliases(const struct pci_topology *t, int dev, uint16_t *rid, unsigned int max)
{
	unsigned int n = 0;
	int b = t->devices[dev].parent, err;

	if (!max)
		return -EINVAL;
	err = add_alias(rid, &n, max, requester_id(&t->devices[dev]));
	for (unsigned int steps = 0; !err && b != PCI_NO_INDEX && steps < t->count; steps++) {
		uint16_t id;

		if (dma_alias_of_bridge(&t->devices[b], &id))
			err = add_alias(rid, &n, max, id);
		b = t->devices[b].parent;
	}
	return err ? err : (int)n;
}
