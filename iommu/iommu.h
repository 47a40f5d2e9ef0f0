/* SPDX-License-Identifier: MIT */
/*
 * skiff's IOMMU domain API: a domain is one DMA address space (one set of page tables); devices
 * attached to it see it. The API hides the hardware and its mode (VT-d legacy or scalable,
 * first or second stage today; SMMUv3 later).
 *
 * A nesting parent is a translated second-stage domain whose tables sit under a first stage the
 * guest owns (VT-d NESTED, PASID entry PGTT = 011b, or skiff's shadow composition where the unit
 * lacks ECAP.NEST). Where erratum SPR17 is in force on its unit (iommu/vtd/vtd_errata.h) such a
 * domain never holds a read-only leaf: iommu_map() refuses one rather than map it read-write.
 */
#ifndef SKIFF_IOMMU_H
#define SKIFF_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"

#define IOMMU_READ  (1u << 0)
#define IOMMU_WRITE (1u << 1)
#define IOMMU_RW    (IOMMU_READ | IOMMU_WRITE)

enum iommu_domain_type {
	IOMMU_DOMAIN_TRANSLATED,  /* DMA addresses go through the domain's page tables */
	IOMMU_DOMAIN_PASSTHROUGH, /* DMA addresses are physical addresses (skiff's own devices) */
};

struct iommu_domain;

/*
 * iommu_domain_create - a new, empty domain on remapping unit @unit (a DRHD index), with
 * @aw_bits of DMA address width (0: the unit's widest). Returns 0 and @out, -ENODEV for a unit
 * skiff does not drive, -EOPNOTSUPP for a type the unit cannot do (pass-through without
 * ECAP.PT), -ERANGE for a width it cannot translate, -ENOSPC when the unit's domain ids
 * (CAP.ND) are used up, -ENOMEM.
 */
int iommu_domain_create(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
			struct iommu_domain **out);

/*
 * iommu_map - map [@iova, @iova + @size) to [@pa, @pa + @size) with @prot (IOMMU_READ, and
 * IOMMU_WRITE); all 4 KiB aligned. Invalidates what the hardware may have cached before it
 * returns. Returns 0, -EINVAL (alignment, @prot without READ, a pass-through domain), -EPERM
 * (@prot without WRITE on a nesting parent while SPR17 is in force on its unit: logged once per
 * domain with the unit, DID and IOVA range; nothing is mapped), -ERANGE (beyond the domain's
 * width), -EEXIST (part already mapped: nothing of the range is mapped), -ENOMEM, or an
 * invalidation error (-EIO, -ETIMEDOUT; the mapping then stays).
 */
int iommu_map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t size, unsigned int prot);

/*
 * iommu_unmap - remove the mappings inside [@iova, @iova + @size), invalidate the IOTLB for
 * the range, and only then free emptied tables. Returns the bytes unmapped, -ENOENT when
 * nothing was mapped there, -EINVAL, -ERANGE, -ENOMEM (splitting a large page), -EIO,
 * -ETIMEDOUT.
 */
int64_t iommu_unmap(struct iommu_domain *d, uint64_t iova, uint64_t size);

/*
 * iommu_attach - make the DMA of the PCI function @bdf go through @d (its unit must be the one
 * that covers @bdf), under its own requester id and every DMA alias a bridge on its path gives
 * it (a PCIe-to-PCI bridge's secondary bus 00.0, a conventional bridge's own id); devices of one
 * domain behind one bridge share the alias. Returns 0, -EBUSY when @bdf or one of its aliases
 * belongs to another domain (nothing is programmed then), -ENOSPC when the domain has no room
 * for more requester ids, -ENODEV when @d's unit does not cover it, -ENOMEM, or an invalidation
 * error (the device is then detached again).
 */
int iommu_attach(struct iommu_domain *d, struct pci_bdf bdf);

/* iommu_detach - block @bdf's DMA again: its context entries (own id, and aliases no other
 * device of @d still uses) are cleared and every cache of them invalidated. Returns 0, -ENOENT
 * when @bdf is not attached to @d, or an invalidation error. */
int iommu_detach(struct iommu_domain *d, struct pci_bdf bdf);

/* iommu_domain_destroy - detach every device, free the page tables and the domain id. */
void iommu_domain_destroy(struct iommu_domain *d);

/*
 * iommu_translate - what @iova maps to in @d's page tables (skiff's copy, not the hardware's
 * view: vtd_walk does that). Returns 0 with the physical address, the leaf size in bytes and
 * IOMMU_* permissions, or -ENOENT.
 */
int iommu_translate(const struct iommu_domain *d, uint64_t iova, uint64_t *pa, uint64_t *leaf,
		    unsigned int *prot);

/* iommu_domain_did - the hardware domain id (VT-d DID) of @d, for logs and fault attribution. */
uint16_t iommu_domain_did(const struct iommu_domain *d);

/* iommu_domain_faults - DMA faults recorded for devices of @d since it was created. */
uint64_t iommu_domain_faults(const struct iommu_domain *d);

/* iommu_domain_unit - the remapping unit (DRHD index) @d was created on. */
unsigned int iommu_domain_unit(const struct iommu_domain *d);

/*
 * iommu_domain_set_nesting_parent - make @d a nesting parent (see the top of this file): from
 * now on its second stage may sit under a guest-owned first stage, and iommu_map() applies the
 * SPR17 rule to it. Only an empty domain can become one, so it never holds a read-only leaf
 * from before. Returns 0 (also when @d is one already), -EOPNOTSUPP unless @d is a translated
 * domain with second-stage tables (VT-d 9.8), -EBUSY when @d has mappings or attached devices.
 */
int iommu_domain_set_nesting_parent(struct iommu_domain *d);

/* iommu_domain_is_nesting_parent - whether iommu_domain_set_nesting_parent() made @d one. */
bool iommu_domain_is_nesting_parent(const struct iommu_domain *d);

/*
 * iommu_unit_spr17 - whether erratum SPR17 is in force on remapping unit @unit (DRHD index), as
 * decided at boot from iommu.spr17= and the unit's ECAP.NEST. False for a unit skiff does not
 * drive.
 */
bool iommu_unit_spr17(unsigned int unit);

/* What the device view of a VM does with read-only guest ranges under a nesting parent. */
enum iommu_ro_policy {
	IOMMU_RO_SKIP,	 /* leave them out of the device view (what QEMU does) */
	IOMMU_RO_REFUSE, /* refuse nesting while the VM has any (what Linux does) */
};

/* iommu_ro_policy - the policy iommu.ro_policy= chose at boot (IOMMU_RO_SKIP by default). */
enum iommu_ro_policy iommu_ro_policy(void);

/* ---- Interrupts of passthrough devices (interrupt remapping: VT-d chapter 5) ---- */

#define IOMMU_IRQ_MAX 32u /* entries one block holds: a multi-message MSI's 32 vectors */

/*
 * A block of interrupt remapping entries (IRTEs) one PCI function raises its MSI or MSI-X
 * vectors through. The device's message for vector i names entry @first + i; the entry says
 * which vector reaches which CPU and validates that the request comes from the function (or
 * the bridge that owns its requests). Guests never see or write it.
 */
struct iommu_irq {
	unsigned int unit; /* remapping unit (DRHD index) */
	struct pci_bdf bdf;
	uint16_t first; /* the first entry's index (the messages' handle) */
	uint16_t count;
};

/*
 * iommu_irq_alloc - @count (1..IOMMU_IRQ_MAX) entries on unit @unit for the PCI function @bdf,
 * none delivering yet (not present). Their source validation is set now: the function's
 * requester id, or the bus range or requester id of the bridge that owns its requests
 * (iommu/vtd/vtd_ir_source.h). Logged. Returns 0 with *@out, -ENODEV (no interrupt remapping
 * on @unit, or @bdf not in the platform's PCI topology), -EINVAL (@count), -ENOSPC.
 */
int iommu_irq_alloc(unsigned int unit, struct pci_bdf bdf, unsigned int count,
		    struct iommu_irq *out);

/*
 * iommu_irq_target - make entry @i of @irq deliver @vector (16..255; fixed delivery, edge,
 * physical destination mode) to the local APIC @apic_id (8 bits in xAPIC mode). The first call
 * makes the entry present; later calls retarget it (vector and destination, one atomic store)
 * without touching the device: this is what a guest's MSI programming, trapped by the VMM,
 * reaches. The unit's interrupt entry cache is invalidated before the return. Returns 0,
 * -EINVAL (@i, @vector), -ERANGE (@apic_id too wide for the unit's mode), -ENODEV, or an
 * invalidation error (-EIO, -ETIMEDOUT).
 */
int iommu_irq_target(const struct iommu_irq *irq, unsigned int i, uint32_t apic_id, uint8_t vector);

/*
 * iommu_irq_block - make entry @i of @irq deliver nothing again (not present), IEC invalidated.
 * Returns 0, -EINVAL, -ENODEV, -EIO, -ETIMEDOUT.
 */
int iommu_irq_block(const struct iommu_irq *irq, unsigned int i);

/*
 * iommu_irq_message - the message (remappable format, VT-d 5.1.2.2: address 0xFEE with the
 * handle and SHV, data = subhandle 0) the device writes for vector @i: for MSI-X, the table
 * entry of vector @i; for a multi-message MSI, message 0 serves the block (the function adds
 * the vector number to the data, which the unit adds to the handle). Returns 0, or -EINVAL.
 */
int iommu_irq_message(const struct iommu_irq *irq, unsigned int i, uint64_t *addr, uint32_t *data);

/*
 * iommu_irq_free - make every entry of @irq not present and release them (logged); *@irq is
 * zeroed. Disable the device's MSI/MSI-X first (drivers/pci/pci_msi.h). Returns 0, -ENODEV,
 * -ENOENT (not an allocated block), or an invalidation error (the entries are released).
 */
int iommu_irq_free(struct iommu_irq *irq);

/* iommu_irq_count - entries allocated to @bdf on unit @unit (0 without remapping). */
unsigned int iommu_irq_count(unsigned int unit, struct pci_bdf bdf);

#endif
