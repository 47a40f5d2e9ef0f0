/* SPDX-License-Identifier: MIT */
/*
 * VT-d's domain operations behind the generic layer (iommu/iommu_driver.h: the checks the
 * generic layer made before each is called, and what each returns, are there and in
 * iommu/iommu.h under the generic function's name).
 */
#ifndef SKIFF_IOMMU_VTD_DOMAIN_H
#define SKIFF_IOMMU_VTD_DOMAIN_H

#include <stdint.h>

#include "iommu/iommu_driver.h"

/* vtd_domain_alloc - iommu_domain_create() on VT-d unit @unit: a domain id (CAP.ND), and for a
 * translated domain page tables in the unit's format (@aw_bits 0: 47 bits first stage, MGAW
 * second stage). */
int vtd_domain_alloc(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
		     struct iommu_domain **out);

/* vtd_domain_free - iommu_domain_destroy(): every device detached, tables and DID freed. */
void vtd_domain_free(struct iommu_domain *d);

/* vtd_map - iommu_map(): the SPR17 refusal, then the tables and the IOTLB invalidation
 * (VT-d 6.5.2.3, 6.1 for CAP.CM = 1). */
int vtd_map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t size, unsigned int prot);

/* vtd_unmap - iommu_unmap(): tables, IOTLB invalidation, then the freed tables released. */
int64_t vtd_unmap(struct iommu_domain *d, uint64_t iova, uint64_t size);

/* vtd_translate - iommu_translate() in skiff's copy of @d's tables. */
int vtd_translate(const struct iommu_domain *d, uint64_t iova, uint64_t *pa, uint64_t *leaf,
		  unsigned int *prot);

/* vtd_domain_did - iommu_domain_hwid(): @d's DID. */
unsigned int vtd_domain_did(const struct iommu_domain *d);

/* vtd_set_nesting_parent - whether @d may become a nesting parent: -EOPNOTSUPP unless its
 * tables are second stage, -EBUSY with mappings or attached devices, else 0. */
int vtd_set_nesting_parent(struct iommu_domain *d);

#endif
