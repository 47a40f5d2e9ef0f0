/* SPDX-License-Identifier: MIT */
/*
 * VT-d's interrupt operations behind the generic layer (iommu/iommu.h, iommu_irq_*: the checks
 * the generic layer made before each is called are in iommu/iommu_driver.h).
 */
#ifndef SKIFF_IOMMU_VTD_IR_API_H
#define SKIFF_IOMMU_VTD_IR_API_H

#include <stdint.h>

#include "iommu/iommu.h"

/* vtd_irq_alloc - iommu_irq_alloc(): a block of vtd_ir.h owned by @bdf's requester id, if the
 * platform's topology knows @bdf (its source validation, vtd_ir_device_source()). */
int vtd_irq_alloc(unsigned int unit, struct pci_bdf bdf, unsigned int count, struct iommu_irq *out);

/* vtd_irq_target - iommu_irq_target(): entry @i in remapped format (9.10), fixed delivery,
 * source-validated, written by vtd_ir_write(). */
int vtd_irq_target(const struct iommu_irq *irq, unsigned int i, uint32_t apic_id, uint8_t vector);

/* vtd_irq_block - iommu_irq_block(): entry @i not present (vtd_ir_clear()). */
int vtd_irq_block(const struct iommu_irq *irq, unsigned int i);

/* vtd_irq_message - iommu_irq_message(): the remappable-format message (5.1.2.2) naming entry
 * @i as its handle, with SHV set and subhandle 0. */
int vtd_irq_message(const struct iommu_irq *irq, unsigned int i, uint64_t *addr, uint32_t *data);

/* vtd_irq_free - iommu_irq_free(): the block cleared and released (vtd_ir_free()). */
int vtd_irq_free(const struct iommu_irq *irq);

/* vtd_irq_count - iommu_irq_count(): entries of @unit owned by @bdf's requester id. */
unsigned int vtd_irq_count(unsigned int unit, struct pci_bdf bdf);

#endif
