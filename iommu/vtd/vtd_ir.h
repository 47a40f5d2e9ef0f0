/* SPDX-License-Identifier: MIT */
/*
 * Interrupt remapping on the VT-d units skiff drives (VT-d specification rev 5.0, chapter 5):
 * one interrupt remapping table per unit, named by IRTA_REG and latched with GCMD.SIRTP
 * (11.4), the interrupt entry cache invalidated globally (6.5.2.7), then GCMD.IRE with CFI
 * left clear, so that compatibility-format interrupt requests are blocked (5.1.2.1) and every
 * device interrupt must name an IRTE that skiff wrote. The entries are handed out in blocks to
 * devices (owner: their requester id, for the boot report) and written as vtd_irte.h says
 * (P = 0, fields, P, index-selective IEC invalidation).
 *
 * What is not remapped: skiff masks every IOAPIC pin and the 8259s (kernel/arch/x86/apic.c) and uses no
 * pin; the units' own fault events are never subject to interrupt remapping (5.1.6), so skiff's
 * fault event keeps its compatibility-format FEADDR/FEDATA.
 *
 * Interrupt remapping needs queued invalidation: the interrupt entry cache has no register-based
 * invalidation (6.5.2.7). A unit using register-based invalidation keeps remapping off.
 */
#ifndef SKIFF_IOMMU_VTD_IR_H
#define SKIFF_IOMMU_VTD_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_irte.h"

#define VTD_IR_ENTRIES	 1024u /* IRTEs per unit: IRTA.S = 9, 16 KiB */
#define VTD_IR_BLOCK_MAX 32u   /* most entries one block holds: a multi-message MSI's 32 */

/* What a unit's interrupt remapping is, for logs and the self-test. */
struct vtd_ir_info {
	bool enabled;	      /* GSTS.IRES */
	bool eime;	      /* IRTA.EIME: x2APIC (32-bit) destinations */
	uint8_t s;	      /* IRTA.S */
	unsigned int entries; /* 2^(S + 1) */
	unsigned int in_use;  /* entries allocated */
	uint64_t table;	      /* host physical */
};

/*
 * vtd_ir_enable - turn interrupt remapping on for @vs (translation already on, queued
 * invalidation in use); @pci (may be NULL) is the platform's PCI topology, kept for
 * vtd_ir_device_source(). Allocate and zero the table (VTD_IR_ENTRIES, 4 KiB aligned), program
 * IRTA_REG (EIME when vtd_ir_eime() says so for the boot CPU's APIC mode), GCMD.SIRTP until
 * GSTS.IRTPS, a global interrupt-entry-cache invalidation, GCMD.CFI cleared if firmware set
 * it, then GCMD.IRE until GSTS.IRES. Logs one line with the mode, the size and what stays
 * outside remapping. On any failure the unit's IRE is cleared again and the table freed (no
 * half-programmed unit); DMA remapping is unaffected. Returns 0, -EOPNOTSUPP (no ECAP.IR, or
 * register-based invalidation: logged), -ENOMEM, -ETIMEDOUT, -EIO, or the encoder's error.
 */
int vtd_ir_enable(struct vtd_state *vs, const struct pci_topology *pci);

/*
 * vtd_ir_disable - clear GCMD.IRE on unit @unit (a DRHD index) and wait for GSTS.IRES to
 * clear; the table stays allocated (a device may still hold entries) but is unused. Nothing
 * when remapping is off there.
 */
void vtd_ir_disable(unsigned int unit);

/* vtd_ir_get_info - @unit's interrupt remapping state; false (and *@out zeroed) when off. */
bool vtd_ir_get_info(unsigned int unit, struct vtd_ir_info *out);

/*
 * vtd_ir_alloc - reserve @count (1..VTD_IR_BLOCK_MAX) consecutive IRTEs on @unit for the
 * device with requester id @owner; the first index is a multiple of @count rounded up to a
 * power of two (multi-message MSI adds the message number to it, 5.1.2.2). The entries are
 * not present. Logs the allocation. Returns 0 with *@first, -ENODEV (remapping off on @unit),
 * -EINVAL (@count), -ENOSPC.
 */
int vtd_ir_alloc(unsigned int unit, uint16_t owner, unsigned int count, uint16_t *first);

/*
 * vtd_ir_write - make IRTE @index of @unit (allocated) say @cfg (remapped format, 9.10) and be
 * present. A present entry whose source stays the same is changed with one 64-bit store of
 * its low word (vector, destination, delivery: a retarget); otherwise the entry goes through
 * P = 0 first. Either way an index-selective IEC invalidation follows before the return, so
 * the next request uses the new entry. Returns 0, -ENODEV, -ENOENT (@index not allocated),
 * vtd_irte_remap_encode()'s errors (nothing written), or the invalidation's (-EIO,
 * -ETIMEDOUT; the entry is written).
 */
int vtd_ir_write(unsigned int unit, uint16_t index, const struct vtd_irte_remap_config *cfg);

/*
 * vtd_ir_clear - make IRTE @index of @unit not present (P = 0, then every field 0) and
 * invalidate its IEC entry. Returns 0, -ENODEV, -ENOENT, -EIO, -ETIMEDOUT.
 */
int vtd_ir_clear(unsigned int unit, uint16_t index);

/*
 * vtd_ir_free - clear and release the @count entries from @first (one vtd_ir_alloc() block).
 * Logs the release. Returns 0, -ENODEV, -ENOENT (not one allocated block), or the
 * invalidation's error (the entries are released anyway: they are not present).
 */
int vtd_ir_free(unsigned int unit, uint16_t first, unsigned int count);

/*
 * vtd_ir_device_source - the source validation for interrupts of the PCI function @bdf
 * (vtd_ir_source_for() on the topology vtd_ir_enable() kept). Returns 0, or -ENODEV when @bdf
 * is not in it.
 */
int vtd_ir_device_source(struct pci_bdf bdf, struct vtd_irte_source *out);

/* vtd_ir_owned - IRTEs of @unit allocated to requester id @owner. */
unsigned int vtd_ir_owned(unsigned int unit, uint16_t owner);

#endif
