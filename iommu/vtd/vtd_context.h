/* SPDX-License-Identifier: MIT */
/* Attaching devices to VT-d domains: context entries (legacy) and PASID structures (scalable). */
#ifndef SKIFF_IOMMU_VTD_CONTEXT_H
#define SKIFF_IOMMU_VTD_CONTEXT_H

#include "iommu/vtd/vtd_internal.h"

/*
 * vtd_context_detach - tear down @a (one of @d's attachments) in the order of VT-d 6.5.3 and
 * Linux's intel/pasid.c: clear P of the PASID entry (scalable), invalidate the PASID cache and
 * the IOTLB; clear the context entry, invalidate the context cache; only then free the PASID
 * structures. The attachment is removed from @d even when an invalidation fails (the error is
 * returned and logged; the entries are cleared either way).
 */
int vtd_context_detach(struct vtd_domain *d, struct vtd_attachment *a);

/*
 * vtd_context_owner - the domain whose context entry requester id @sid (bus 15:8, devfn 7:0)
 * of @vs's segment hits: an attached device's own id or one of its DMA aliases. NULL when no
 * domain of skiff's has it (its DMA is blocked).
 */
struct vtd_domain *vtd_context_owner(const struct vtd_state *vs, uint16_t sid);

/* vtd_attach_dev - iommu_attach() on VT-d: a context entry (legacy) or a scalable-mode context
 * entry with its PASID structures for @bdf and each of its DMA aliases, each invalidated. */
int vtd_attach_dev(struct iommu_domain *d, struct pci_bdf bdf);

/* vtd_detach_dev - iommu_detach() on VT-d: the entries of @bdf and of its aliases no other
 * device of @d uses, torn down (vtd_context_detach()). */
int vtd_detach_dev(struct iommu_domain *d, struct pci_bdf bdf);

#endif
