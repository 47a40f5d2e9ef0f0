// SPDX-License-Identifier: MIT
#include "iommu/iommu_boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/iommu.h"
#include "iommu/vtd/vtd_iommu.h"
#include "kernel/log.h"

#define PAGE_MASK 0xfffull

static struct iommu_domain **rmrr_domains; /* per PCI device, NULL when none */
static bool remapping;

/* Identity maps every RMRR naming device @i (ranges widened to whole pages). */
static struct iommu_domain *rmrr_domain(const struct platform *p, unsigned int i)
{
	const struct pci_device *dev = &p->pci->devices[i];
	uint64_t mask = p->device_info[i].rmrr_mask;
	struct iommu_domain *d;
	int err = iommu_domain_create((unsigned int)dev->unit, IOMMU_DOMAIN_TRANSLATED, 0, &d);

	for (unsigned int r = 0; !err && r < p->dmar->nr_rmrr; r++) {
		uint64_t base = p->dmar->rmrr[r].base & ~PAGE_MASK;
		uint64_t end = (p->dmar->rmrr[r].limit | PAGE_MASK) + 1;

		if (mask >> r & 1)
			err = iommu_map(d, base, base, end - base, IOMMU_RW);
	}
	if (!err)
		err = iommu_attach(d, dev->bdf);
	if (err) {
		log_err("iommu: %02x:%02x.%x: RMRR domain failed: %s; device blocked", dev->bdf.bus,
			dev->bdf.dev, dev->bdf.fn, strerror(-err));
		if (d)
			iommu_domain_destroy(d);
		return NULL;
	}
	return d;
}

int iommu_boot(struct platform *p, bool prefer_legacy, bool prefer_registers)
{
	int units = vtd_iommu_init(p, prefer_legacy, prefer_registers);

	remapping = units > 0;
	if (!remapping || !p->pci)
		return units;
	rmrr_domains = calloc(p->pci->count ? p->pci->count : 1, sizeof(*rmrr_domains));
	for (unsigned int i = 0; rmrr_domains && i < p->pci->count; i++)
		if (p->device_info[i].rmrr_mask && p->pci->devices[i].unit != PCI_NO_INDEX)
			rmrr_domains[i] = rmrr_domain(p, i);
	return units;
}

const char *iommu_device_state(const struct platform *p, unsigned int i, char *buf, size_t size)
{
	const struct pci_device *dev = &p->pci->devices[i];

	if (!remapping || dev->unit == PCI_NO_INDEX || !vtd_state_enabled((unsigned int)dev->unit))
		return "not remapped";
	if (rmrr_domains && rmrr_domains[i]) {
		snprintf(buf, size, "rmrr domain %u", iommu_domain_did(rmrr_domains[i]));
		return buf;
	}
	return "blocked";
}
