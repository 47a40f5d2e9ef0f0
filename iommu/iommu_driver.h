/* SPDX-License-Identifier: MIT */
/*
 * The contract between the generic IOMMU layer (iommu/iommu.c) and an implementation of it
 * (iommu/vtd/ today, iommu/smmuv3/ next). Only iommu/ includes this header; everything else
 * uses iommu/iommu.h. Why an ops table rather than one implementation chosen at link time:
 * docs/iommu-layer.md.
 *
 * An implementation embeds struct iommu_domain in its own domain (VT-d: struct vtd_domain) and
 * reaches its own from the generic one with container_of(). It registers each unit it brought
 * up with its ops; from then on the generic functions validate what they can without the
 * hardware and call the unit's ops, which may rely on that:
 *   every op gets a domain its own domain_alloc made (so @d->ops is the op's own table);
 *   map: @d translated, @prot READ (and WRITE) only, @iova, @pa, @size IOMMU_PAGE_SIZE aligned,
 *        @size not 0; unmap: @d translated; translate: @d translated;
 *   set_nesting_parent: @d translated and not a nesting parent yet (the op only decides whether
 *        it may become one; the generic layer records it);
 *   irq_target, irq_block, irq_message: @i below @irq->count; irq_alloc: @count in
 *        1..IOMMU_IRQ_MAX, *@out zeroed; irq_free: @irq->count not 0 (the generic layer zeroes
 *        *@irq afterwards).
 * The ops return what iommu/iommu.h documents for the function of the same name.
 */
#ifndef SKIFF_IOMMU_IOMMU_DRIVER_H
#define SKIFF_IOMMU_IOMMU_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "iommu/iommu.h"

struct iommu_ops;

/* The generic part of every domain: what the generic layer keeps and checks itself. */
struct iommu_domain {
	const struct iommu_ops *ops; /* its unit's implementation */
	unsigned int unit;	     /* unit index */
	enum iommu_domain_type type;
	bool nesting_parent; /* iommu_domain_set_nesting_parent() made it one */
	uint64_t faults;     /* DMA faults of its devices (iommu_report_fault()) */
	iommu_fault_handler_t fault_handler;
	void *fault_arg;
};

struct iommu_ops {
	/* A new domain on @unit; the generic layer then fills in ops, unit and type. */
	int (*domain_alloc)(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
			    struct iommu_domain **out);
	void (*domain_free)(struct iommu_domain *d);
	int (*attach_dev)(struct iommu_domain *d, struct pci_bdf bdf);
	int (*detach_dev)(struct iommu_domain *d, struct pci_bdf bdf);
	int (*map)(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t size,
		   unsigned int prot);
	int64_t (*unmap)(struct iommu_domain *d, uint64_t iova, uint64_t size);
	int (*translate)(const struct iommu_domain *d, uint64_t iova, uint64_t *pa, uint64_t *leaf,
			 unsigned int *prot);
	unsigned int (*domain_hwid)(const struct iommu_domain *d);
	int (*set_nesting_parent)(struct iommu_domain *d);
	int (*nested_attach)(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid,
			     uint64_t fs_root, unsigned int fs_levels);
	int (*nested_detach)(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid);
	/* *@out zeroed by the generic layer. */
	int (*hw_info)(unsigned int unit, struct iommu_hw_info *out);
	int (*irq_alloc)(unsigned int unit, struct pci_bdf bdf, unsigned int count,
			 struct iommu_irq *out);
	int (*irq_target)(const struct iommu_irq *irq, unsigned int i, uint32_t apic_id,
			  uint8_t vector);
	int (*irq_block)(const struct iommu_irq *irq, unsigned int i);
	int (*irq_message)(const struct iommu_irq *irq, unsigned int i, uint64_t *addr,
			   uint32_t *data);
	int (*irq_free)(const struct iommu_irq *irq);
	unsigned int (*irq_count)(unsigned int unit, struct pci_bdf bdf);
	/* Read @unit's pending fault records (iommu_report_fault() for each of a domain's). */
	void (*fault_poll)(unsigned int unit);
	/* Audit every unit of this implementation; called once per implementation. */
	long (*audit)(void);
};

/*
 * iommu_register_unit - from now on unit @unit is driven by @ops (every op set). Returns 0,
 * -EINVAL (@unit not below IOMMU_MAX_UNITS), -EBUSY (@unit has an implementation already).
 */
int iommu_register_unit(unsigned int unit, const struct iommu_ops *ops);

/* iommu_unregister_unit - unit @unit is no longer driven (its implementation turned it off). */
void iommu_unregister_unit(unsigned int unit);

/*
 * iommu_report_fault - the fault-event path of @d's unit read @f, a fault of a requester id
 * of @d's devices: counted for @d when it is IOMMU_FAULT_DMA, then handed to @d's fault handler
 * if it has one. Called with interrupts off.
 */
void iommu_report_fault(struct iommu_domain *d, const struct iommu_fault *f);

#endif
