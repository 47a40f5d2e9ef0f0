/* SPDX-License-Identifier: MIT */
/*
 * skiff's IOMMU API: a domain is one DMA address space (one set of page tables); devices
 * attached to it see it. The API hides the hardware and its mode (VT-d legacy or scalable,
 * first or second stage today; SMMUv3 later). Every remapping unit has a unit index (its
 * position in the firmware's list of units: the DMAR's DRHDs on x86); each unit is driven by
 * the implementation that registered it at bring-up (iommu/iommu_driver.h,
 * docs/iommu-layer.md). These functions check their arguments once and hand the call to that
 * implementation.
 *
 * A nesting parent is a translated second-stage domain whose tables sit under a first stage the
 * guest owns (VT-d NESTED, PASID entry PGTT = 011b, or skiff's shadow composition where the unit
 * lacks ECAP.NEST). On a unit whose hardware information has IOMMU_HW_NO_RO_UNDER_NESTING (on
 * VT-d: erratum SPR17 in force, iommu/vtd/vtd_errata.h) such a domain never holds a read-only
 * leaf: iommu_map() refuses one rather than map it read-write.
 */
#ifndef SKIFF_IOMMU_H
#define SKIFF_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"

#define IOMMU_READ  (1u << 0)
#define IOMMU_WRITE (1u << 1)
#define IOMMU_RW    (IOMMU_READ | IOMMU_WRITE)

#define IOMMU_PAGE_SIZE 0x1000ull /* the granule of iommu_map(): 4 KiB */
#define IOMMU_MAX_UNITS 64u	  /* unit indexes 0..63 */

enum iommu_domain_type {
	IOMMU_DOMAIN_TRANSLATED,  /* DMA addresses go through the domain's page tables */
	IOMMU_DOMAIN_PASSTHROUGH, /* DMA addresses are physical addresses (skiff's own devices) */
};

struct iommu_domain;

/*
 * iommu_domain_create - a new, empty domain on remapping unit @unit (a unit index), with
 * @aw_bits of DMA address width (0: the unit's widest). Returns 0 and @out, -ENODEV for a unit
 * skiff does not drive, -EINVAL for an unknown @type, -EOPNOTSUPP for a type the unit cannot do
 * (pass-through without ECAP.PT), -ERANGE for a width it cannot translate, -ENOSPC when the
 * unit's hardware domain ids (VT-d CAP.ND) are used up, -ENOMEM.
 */
int iommu_domain_create(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
			struct iommu_domain **out);

/*
 * iommu_map - map [@iova, @iova + @size) to [@pa, @pa + @size) with @prot (IOMMU_READ, and
 * IOMMU_WRITE); all IOMMU_PAGE_SIZE aligned, @size not 0. Invalidates what the hardware may
 * have cached before it returns. Returns 0, -EINVAL (alignment, @prot without READ or with
 * other bits, a pass-through domain), -EPERM (@prot without WRITE on a nesting parent of a unit
 * with IOMMU_HW_NO_RO_UNDER_NESTING: logged once per domain with the unit, hardware domain id
 * and IOVA range; nothing is mapped), -ERANGE (beyond the domain's width), -EEXIST (part
 * already mapped: nothing of the range is mapped), -ENOMEM, or an invalidation error (-EIO,
 * -ETIMEDOUT; the mapping then stays).
 */
int iommu_map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t size, unsigned int prot);

/*
 * iommu_unmap - remove the mappings inside [@iova, @iova + @size), invalidate the IOTLB for
 * the range, and only then free emptied tables. Returns the bytes unmapped, -ENOENT when
 * nothing was mapped there, -EINVAL (also: a pass-through domain), -ERANGE, -ENOMEM (splitting
 * a large page), -EIO, -ETIMEDOUT.
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
 * view: the implementation's table walker does that). Returns 0 with the physical address, the
 * leaf size in bytes and IOMMU_* permissions, or -ENOENT (also for a pass-through domain).
 */
int iommu_translate(const struct iommu_domain *d, uint64_t iova, uint64_t *pa, uint64_t *leaf,
		    unsigned int *prot);

/* iommu_domain_hwid - the hardware domain id of @d (VT-d: its DID), for logs. */
unsigned int iommu_domain_hwid(const struct iommu_domain *d);

/* iommu_domain_faults - DMA faults recorded for devices of @d since it was created. */
uint64_t iommu_domain_faults(const struct iommu_domain *d);

/* iommu_domain_unit - the remapping unit (unit index) @d was created on. */
unsigned int iommu_domain_unit(const struct iommu_domain *d);

/*
 * iommu_domain_set_nesting_parent - make @d a nesting parent (see the top of this file): from
 * now on its second stage may sit under a guest-owned first stage, and iommu_map() applies the
 * rule of IOMMU_HW_NO_RO_UNDER_NESTING to it. Only an empty domain can become one, so it never
 * holds a read-only leaf from before. Returns 0 (also when @d is one already), -EOPNOTSUPP
 * unless @d is a translated domain with second-stage tables (VT-d 9.8), -EBUSY when @d has
 * mappings or attached devices.
 */
int iommu_domain_set_nesting_parent(struct iommu_domain *d);

/* iommu_domain_is_nesting_parent - whether iommu_domain_set_nesting_parent() made @d one. */
bool iommu_domain_is_nesting_parent(const struct iommu_domain *d);

/*
 * iommu_nested_attach - make @pasid of the PCI function @bdf (attached to @parent) translate
 * through a first stage its guest owns, rooted at guest-physical @fs_root (4 KiB aligned) with
 * @fs_levels (4 or 5) paging levels, nested in @parent's second stage (VT-d: a NESTED PASID
 * entry, PGTT = 011b, 9.6). Returns 0, -EOPNOTSUPP where the unit cannot nest (no
 * IOMMU_HW_NESTING), -EINVAL (@fs_levels, @parent not a nesting parent), -ENODEV (@bdf not
 * attached to @parent), -ERANGE (@pasid), -EBUSY (@pasid already bound), or the
 * implementation's checks and invalidation errors (iommu/vtd/vtd_nested.h).
 */
int iommu_nested_attach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid,
			uint64_t fs_root, unsigned int fs_levels);

/* iommu_nested_detach - undo iommu_nested_attach() of @pasid of @bdf under @parent. Returns 0,
 * -EOPNOTSUPP, -ENODEV, -ERANGE, -ENOENT (nothing bound), or an invalidation error. */
int iommu_nested_detach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid);

/* ---- What a unit can do (like iommufd's IOMMU_GET_HW_INFO) ---- */

/* The stage a unit's translated domains use. */
enum iommu_stage {
	IOMMU_STAGE_FIRST,  /* VT-d first stage (9.7), SMMUv3 stage 1 */
	IOMMU_STAGE_SECOND, /* VT-d second stage (9.8), SMMUv3 stage 2 */
};

/* The unit nests a guest-owned first stage in a second stage in hardware (VT-d ECAP.NEST in
 * scalable mode): iommu_nested_attach() can work there. */
#define IOMMU_HW_NESTING (1u << 0)
/* A nesting parent of the unit may hold no read-only leaf (VT-d: erratum SPR17 in force,
 * decided at boot from iommu.spr17= and ECAP.NEST). */
#define IOMMU_HW_NO_RO_UNDER_NESTING (1u << 1)

struct iommu_hw_info {
	const char *name;	    /* the implementation's log name of its units: "vtd" (vtd0) */
	const char *domain_id_name; /* what its hardware domain ids are called: "DID" */
	const char *mode;	    /* its translation mode, in its specification's words */
	enum iommu_stage stage;	    /* what translated domains of the unit use */
	uint32_t flags;		    /* IOMMU_HW_* */
};

/*
 * iommu_hw_info - what unit @unit (a unit index) is and can do, as the VMM needs to know it.
 * Returns 0 and *@out, or -ENODEV (and *@out zeroed) for a unit skiff does not drive.
 */
int iommu_hw_info(unsigned int unit, struct iommu_hw_info *out);

/* iommu_unit_enabled - whether skiff drives unit @unit (translation on). */
bool iommu_unit_enabled(unsigned int unit);

/* ---- Faults (like Linux's iommu_set_fault_handler) ---- */

enum iommu_fault_kind {
	IOMMU_FAULT_DMA, /* a DMA request the domain's tables did not allow: iommu_domain_faults() */
	IOMMU_FAULT_IRQ, /* an interrupt request interrupt remapping blocked (not counted) */
};

/* One fault the unit recorded for a requester id of a domain's devices. */
struct iommu_fault {
	enum iommu_fault_kind kind;
	struct pci_bdf source; /* the requester id the request carried (a device or its alias) */
	uint64_t addr;	       /* DMA: the faulting page's address (IOVA); IRQ: 0 */
	unsigned int access;   /* DMA: IOMMU_READ / IOMMU_WRITE (both: an atomic), 0 otherwise */
	unsigned int reason;   /* the unit's fault reason code (VT-d: FR, 7.1.3) */
	bool pasid_valid;      /* the request carried @pasid */
	uint32_t pasid;
};

/* Called for each fault of @d's devices as the unit's fault records are read: from the fault
 * event interrupt or from iommu_fault_poll(), with interrupts off. It may not call the API. */
typedef void (*iommu_fault_handler_t)(struct iommu_domain *d, const struct iommu_fault *f,
				      void *arg);

/* iommu_domain_set_fault_handler - @fn (NULL: none) gets every later fault of @d with @arg. */
void iommu_domain_set_fault_handler(struct iommu_domain *d, iommu_fault_handler_t fn, void *arg);

/*
 * iommu_fault_poll - read unit @unit's pending fault records now, as its fault event interrupt
 * does (each logged, counted and handed to its domain's handler), so that a domain's owner sees
 * every fault its devices caused before it looks. Returns 0 or -ENODEV.
 */
int iommu_fault_poll(unsigned int unit);

/*
 * iommu_audit - check the tables skiff programmed into every unit against skiff's rules (the
 * implementation's audit: on VT-d, iommu/vtd/vtd_live_tables.h). Each violation is logged once.
 * Returns the number of violations (0: clean), or a negative errno when a unit could not be
 * audited.
 */
long iommu_audit(void);

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
	unsigned int unit; /* remapping unit (unit index) */
	struct pci_bdf bdf;
	uint16_t first; /* the first entry's index (the messages' handle) */
	uint16_t count;
};

/*
 * iommu_irq_alloc - @count (1..IOMMU_IRQ_MAX) entries on unit @unit for the PCI function @bdf,
 * none delivering yet (not present). Their source validation is set now: the function's
 * requester id, or the bus range or requester id of the bridge that owns its requests
 * (iommu/vtd/vtd_ir_source.h). Logged. Returns 0 with *@out, -EINVAL (@count), -ENODEV (no
 * interrupt remapping on @unit, or @bdf not in the platform's PCI topology), -ENOSPC.
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
 * the vector number to the data, which the unit adds to the handle). Returns 0, -EINVAL, or
 * -ENODEV (the unit is no longer driven).
 */
int iommu_irq_message(const struct iommu_irq *irq, unsigned int i, uint64_t *addr, uint32_t *data);

/*
 * iommu_irq_free - make every entry of @irq not present and release them (logged); *@irq is
 * zeroed. Disable the device's MSI/MSI-X first (drivers/pci/pci_msi.h). Returns 0, -ENOENT
 * (not an allocated block), -ENODEV, or an invalidation error (the entries are released).
 */
int iommu_irq_free(struct iommu_irq *irq);

/* iommu_irq_count - entries allocated to @bdf on unit @unit (0 without remapping). */
unsigned int iommu_irq_count(unsigned int unit, struct pci_bdf bdf);

#endif
