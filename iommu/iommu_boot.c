// SPDX-License-Identifier: MIT
#include "iommu/iommu_boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/iommu.h"
#include "iommu/vtd/vtd_iommu.h"
#include "iommu/vtd/vtd_probe.h"
#include "kernel/log.h"

#define PAGE_MASK (IOMMU_PAGE_SIZE - 1)

static struct iommu_domain **rmrr_domains; /* per PCI device, NULL when none */
static bool remapping;
static enum iommu_ro_policy ro_policy = IOMMU_RO_SKIP;

enum iommu_ro_policy iommu_ro_policy(void)
{
	return ro_policy;
}

/* The platform's units are DMAR DRHDs: VT-d drives them (an IORT's SMMUv3 nodes, later). */
int iommu_unit_probe(unsigned int unit, uint64_t base)
{
	return vtd_probe(unit, base);
}

int iommu_unit_describe(unsigned int unit, char *id, size_t id_size, char *caps, size_t caps_size)
{
	return vtd_probe_describe(unit, id, id_size, caps, caps_size);
}

/* Identity maps every RMRR naming device @i (ranges widened to whole pages). */
static struct iommu_domain *rmrr_domain(const struct platform *p, unsigned int i)
{
	const struct pci_device *dev = &p->pci->devices[i];
	uint64_t mask = p->device_info[i].rmrr_mask;
	struct iommu_domain *d = NULL;
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

int iommu_boot(struct platform *p, const struct iommu_boot_options *o)
{
	int units = vtd_iommu_init(p, o);

	ro_policy = o->ro_policy;
	remapping = units > 0;
	log_info("iommu: read-only guest ranges under a nesting parent: %s (iommu.ro_policy)",
		 ro_policy == IOMMU_RO_REFUSE ? "refuse nesting while there are any" :
						"left out of the device view");
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
	unsigned int irtes;
	int n;

	if (!remapping || dev->unit == PCI_NO_INDEX || !iommu_unit_enabled((unsigned int)dev->unit))
		return "not remapped";
	irtes = iommu_irq_count((unsigned int)dev->unit, dev->bdf);
	if (rmrr_domains && rmrr_domains[i])
		n = snprintf(buf, size, "rmrr domain %u", iommu_domain_hwid(rmrr_domains[i]));
	else
		n = snprintf(buf, size, "blocked");
	if (irtes && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", %u IRTE%s", irtes, irtes == 1 ? "" : "s");
	return buf;
}
