/* SPDX-License-Identifier: MIT */
/*
 * A VM as far as memory and DMA go: its gmem (vmm/gmem.h) with the host frames behind its RAM
 * and ROM, and the IOMMU domain that is its device view (vmm/dev_view.h), derived once from the
 * sealed gmem under the boot's iommu.ro_policy and the unit's SPR17 decision. vCPUs come later
 * (issue 7). Kernel only.
 */
#ifndef SKIFF_VMM_VM_H
#define SKIFF_VMM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "iommu/iommu.h"
#include "vmm/dev_view.h"
#include "vmm/gmem.h"

#define VM_NAME_LEN 16

struct vm {
	char name[VM_NAME_LEN];
	struct gmem gmem;
	/* Host memory skiff allocated behind RAM and ROM ranges (gmem_seal() reorders ranges). */
	unsigned int nr_backing;
	struct {
		uint64_t hpa, frames;
	} backing[GMEM_MAX_RANGES];
	struct dev_view view;
	unsigned int unit;	  /* the remapping unit (unit index) of its devices */
	struct iommu_domain *dom; /* the device view, NULL until vm_device_view() */
};

/* vm_init - an empty VM named @name with a @gpa_bits-wide guest-physical space. 0 or -EINVAL. */
int vm_init(struct vm *vm, const char *name, unsigned int gpa_bits);

/*
 * vm_add_memory - add RAM or ROM (@kind) at [@gpa, @gpa + @size) (4 KiB aligned), backed by
 * zeroed host frames skiff allocates (2 MiB aligned when @size allows, so both views can use
 * large leaves). Returns 0, -EINVAL for another kind, -ENOMEM, or gmem_add()'s error (logged
 * with its reason; the frames are given back).
 */
int vm_add_memory(struct vm *vm, enum gmem_kind kind, uint64_t gpa, uint64_t size,
		  const char *name);

/*
 * vm_add_range - add a range without skiff-allocated backing: passthrough MMIO at host @hpa,
 * emulated MMIO or the MSI window (@hpa = GMEM_NO_BACKING). Returns gmem_add()'s result,
 * logged with its reason when refused.
 */
int vm_add_range(struct vm *vm, enum gmem_kind kind, uint64_t gpa, uint64_t size, uint64_t hpa,
		 const char *name);

/*
 * vm_host - where guest-physical @gpa of RAM or ROM is in skiff's (identity-mapped) address
 * space, for @len bytes inside one range; NULL otherwise.
 */
void *vm_host(const struct vm *vm, uint64_t gpa, uint64_t len);

/*
 * vm_device_view - seal the gmem, derive the device view for remapping unit @unit (a VM that
 * runs its own IOMMU driver asks @want_nesting) under iommu_ro_policy() and the unit's
 * IOMMU_HW_NO_RO_UNDER_NESTING (iommu_hw_info(): on VT-d, erratum SPR17), create the
 * second-stage domain and program the view into it (each range's decision logged).
 * Returns 0, or the first error (gmem_seal(), dev_view_derive(), iommu_domain_create(),
 * dev_view_apply()); nothing stays programmed then.
 */
int vm_device_view(struct vm *vm, unsigned int unit, bool want_nesting);

/* vm_assign - attach PCI function @bdf to the VM's device view. iommu_attach()'s errors. */
int vm_assign(struct vm *vm, struct pci_bdf bdf);

/* vm_destroy - destroy the domain (detaching its devices) and free the VM's frames. */
void vm_destroy(struct vm *vm);

#endif
