// SPDX-License-Identifier: MIT
/*
 * The IOMMU API's interrupts of passthrough devices (iommu/iommu.h) on VT-d: IRTE blocks from
 * vtd_ir.h, remapped-format entries (9.10) with source validation, remappable messages
 * (5.1.2.2).
 */
#include "iommu/vtd/vtd_ir_api.h"

#include <errno.h>

#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_ir.h"
#include "iommu/vtd/vtd_irte.h"

#define ADDR_HI_SHIFT 32

int vtd_irq_alloc(unsigned int unit, struct pci_bdf bdf, unsigned int count, struct iommu_irq *out)
{
	struct vtd_irte_source src;
	uint16_t first;
	int err;

	if (vtd_ir_device_source(bdf, &src))
		return -ENODEV;
	err = vtd_ir_alloc(unit, vtd_sid(bdf), count, &first);
	if (err)
		return err;
	*out = (struct iommu_irq){
		.unit = unit, .bdf = bdf, .first = first, .count = (uint16_t)count
	};
	return 0;
}

int vtd_irq_target(const struct iommu_irq *irq, unsigned int i, uint32_t apic_id, uint8_t vector)
{
	struct vtd_irte_remap_config cfg = { .dst = apic_id,
					     .vector = vector,
					     .dlm = VTD_DLM_FIXED };

	if (vtd_ir_device_source(irq->bdf, &cfg.src))
		return -ENODEV;
	return vtd_ir_write(irq->unit, (uint16_t)(irq->first + i), &cfg);
}

int vtd_irq_block(const struct iommu_irq *irq, unsigned int i)
{
	return vtd_ir_clear(irq->unit, (uint16_t)(irq->first + i));
}

int vtd_irq_message(const struct iommu_irq *irq, unsigned int i, uint64_t *addr, uint32_t *data)
{
	struct vtd_msi_remappable r = { .handle = (uint16_t)(irq->first + i), .shv = true };
	struct vtd_msi_msg m;
	int err = vtd_msi_remappable_encode(&r, &m);

	if (err)
		return err;
	*addr = (uint64_t)m.addr_hi << ADDR_HI_SHIFT | m.addr_lo;
	*data = m.data;
	return 0;
}

int vtd_irq_free(const struct iommu_irq *irq)
{
	return vtd_ir_free(irq->unit, irq->first, irq->count);
}

unsigned int vtd_irq_count(unsigned int unit, struct pci_bdf bdf)
{
	return vtd_ir_owned(unit, vtd_sid(bdf));
}
