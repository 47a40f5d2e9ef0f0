/* SPDX-License-Identifier: MIT */
/*
 * NESTED translation on a VT-d unit (PASID entry PGTT = 011b, VT-d 3.8, 9.6): a device's PASID
 * entry points at a first stage the guest owns (a guest-physical root) nested in the second stage
 * of a nesting-parent domain (iommu_domain_set_nesting_parent()). The entry is built whole with
 * P = 0, P is set last and the invalidations of iommu/vtd/vtd_nested_plan.h run in Linux's
 * order; teardown runs them in reverse. Kernel code: it writes table memory and queues
 * descriptors on the unit.
 *
 * The device must be attached to the parent (iommu_attach(), scalable mode): its PASID
 * structures are the ones iommu_attach() made, one PASID table for PASIDs 0-63. RID_PASID's slot
 * holds the device's second-stage entry while attached; to run requests without PASID nested,
 * take that entry down with vtd_nested_detach() first. Other PASIDs need a context entry with
 * PASIDE (9.4).
 */
#ifndef SKIFF_IOMMU_VTD_NESTED_H
#define SKIFF_IOMMU_VTD_NESTED_H

#include <stdint.h>

#include "drivers/pci/pci.h"
#include "iommu/iommu.h"
#include "iommu/vtd/vtd_entries.h"

/* The first-stage requests a guest may make (VTD_PE_FLAG_* of iommu/vtd/vtd_entries.h). */
#define VTD_NESTED_FS_FLAGS (VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_EAFE)

/*
 * vtd_nested_attach - make @pasid of the PCI function @bdf translate through the guest's first
 * stage rooted at guest-physical @fs_root (4 KiB aligned) with @fs_levels (4 or 5) paging levels,
 * nested in @parent's second stage, tagged with @parent's DID (VT-d 3.8, 9.6). @fs_flags: any of
 * VTD_NESTED_FS_FLAGS (SRE needs ECAP.SRS, WPE only with SRE, EAFE needs ECAP.EAFS); PWSNP is
 * set when the unit's walks snoop (ECAP.SMPWC); FPD, PGSNP and SSADE stay clear. Logs one line
 * naming the unit, BDF, PASID and DID. Returns 0, or the first failure in this order:
 *   -EOPNOTSUPP the unit is not in scalable mode or lacks ECAP.NEST (QEMU's model does);
 *   -EINVAL     @fs_levels not 4 or 5, a flag outside VTD_NESTED_FS_FLAGS, @parent not a
 *               nesting parent;
 *   -ENODEV     @bdf is not attached to @parent;
 *   -ERANGE     @pasid beyond the device's PASID table (0-63), or not RID_PASID while the
 *               device's context entry has no PASIDE, or not below 2^ECAP.PSS+1;
 *   then what vtd_pasid_entry_validate() refuses: -EINVAL (WPE without SRE, @fs_root misaligned or
 *               beyond the parent's AW width), -EOPNOTSUPP (a flag without its capability),
 *               -ERANGE (5 levels without CAP.FS5LP);
 *   -EBUSY      @pasid's entry is present;
 *   -EIO, -ETIMEDOUT the invalidation failed (the entry stays present; the error is logged).
 */
int vtd_nested_attach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid,
		      uint64_t fs_root, unsigned int fs_levels, uint32_t fs_flags);

/*
 * vtd_nested_detach - take down the present NESTED (or second-stage) entry of @pasid of @bdf
 * under @parent: clear P, PASID-cache, domain-selective IOTLB and (when the context entry
 * enables the device TLB, DTE) device-TLB invalidation, wait, then zero the entry. Logs one
 * line. Returns 0, -ENODEV (@bdf not attached to @parent), -ERANGE (@pasid beyond the device's
 * PASID table), -ENOENT (the entry is not present), -EINVAL (its DID is not @parent's, or its
 * PGTT is neither NESTED nor second stage), -EOPNOTSUPP (not scalable mode), or an invalidation
 * error (-EIO, -ETIMEDOUT: P stays clear, the entry is not zeroed, and the error is logged).
 */
int vtd_nested_detach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid);

#endif
