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

#endif
