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
int vtd_context_detach(struct iommu_domain *d, struct vtd_attachment *a);

/*
 * vtd_context_owner - the domain whose context entry requester id @sid (bus 15:8, devfn 7:0)
 * of @vs's segment hits: an attached device's own id or one of its DMA aliases. NULL when no
 * domain of skiff's has it (its DMA is blocked).
 */
struct iommu_domain *vtd_context_owner(const struct vtd_state *vs, uint16_t sid);

#endif
