// SPDX-License-Identifier: MIT
/*
 * The generic IOMMU layer (iommu/iommu.h): which implementation drives each unit, the checks
 * every implementation would otherwise repeat, and the generic part of a domain (its unit,
 * type, nesting-parent mark, fault count and handler). Everything else is the unit's ops
 * (iommu/iommu_driver.h). Pure C on top of the ops: runs on the host (tests/unit/test_iommu.c).
 */
#include "iommu/iommu_driver.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static const struct iommu_ops *unit_ops[IOMMU_MAX_UNITS];

static const struct iommu_ops *ops_of(unsigned int unit)
{
	return unit < IOMMU_MAX_UNITS ? unit_ops[unit] : NULL;
}

int iommu_register_unit(unsigned int unit, const struct iommu_ops *ops)
{
	if (unit >= IOMMU_MAX_UNITS)
		return -EINVAL;
	if (unit_ops[unit])
		return -EBUSY;
	unit_ops[unit] = ops;
	return 0;
}

void iommu_unregister_unit(unsigned int unit)
{
	if (unit < IOMMU_MAX_UNITS)
		unit_ops[unit] = NULL;
}

bool iommu_unit_enabled(unsigned int unit)
{
	return ops_of(unit) != NULL;
}

int iommu_hw_info(unsigned int unit, struct iommu_hw_info *out)
{
	const struct iommu_ops *ops = ops_of(unit);

	memset(out, 0, sizeof(*out));
	return ops ? ops->hw_info(unit, out) : -ENODEV;
}

int iommu_domain_create(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
			struct iommu_domain **out)
{
	const struct iommu_ops *ops = ops_of(unit);
	struct iommu_domain *d;
	int err;

	if (!ops)
		return -ENODEV;
	if (type != IOMMU_DOMAIN_TRANSLATED && type != IOMMU_DOMAIN_PASSTHROUGH)
		return -EINVAL;
	err = ops->domain_alloc(unit, type, aw_bits, &d);
	if (err)
		return err;
	d->ops = ops;
	d->unit = unit;
	d->type = type;
	*out = d;
	return 0;
}

void iommu_domain_destroy(struct iommu_domain *d)
{
	d->ops->domain_free(d);
}

int iommu_map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t size, unsigned int prot)
{
	if (d->type != IOMMU_DOMAIN_TRANSLATED || !(prot & IOMMU_READ) || (prot & ~IOMMU_RW))
		return -EINVAL;
	if (!size || ((iova | pa | size) & (IOMMU_PAGE_SIZE - 1)))
		return -EINVAL;
	return d->ops->map(d, iova, pa, size, prot);
}

int64_t iommu_unmap(struct iommu_domain *d, uint64_t iova, uint64_t size)
{
	if (d->type != IOMMU_DOMAIN_TRANSLATED)
		return -EINVAL;
	return d->ops->unmap(d, iova, size);
}

int iommu_translate(const struct iommu_domain *d, uint64_t iova, uint64_t *pa, uint64_t *leaf,
		    unsigned int *prot)
{
	if (d->type != IOMMU_DOMAIN_TRANSLATED)
		return -ENOENT;
	return d->ops->translate(d, iova, pa, leaf, prot);
}

int iommu_attach(struct iommu_domain *d, struct pci_bdf bdf)
{
	return d->ops->attach_dev(d, bdf);
}

int iommu_detach(struct iommu_domain *d, struct pci_bdf bdf)
{
	return d->ops->detach_dev(d, bdf);
}

unsigned int iommu_domain_hwid(const struct iommu_domain *d)
{
	return d->ops->domain_hwid(d);
}

uint64_t iommu_domain_faults(const struct iommu_domain *d)
{
	return d->faults;
}

unsigned int iommu_domain_unit(const struct iommu_domain *d)
{
	return d->unit;
}

int iommu_domain_set_nesting_parent(struct iommu_domain *d)
{
	int err;

	if (d->type != IOMMU_DOMAIN_TRANSLATED)
		return -EOPNOTSUPP;
	if (d->nesting_parent)
		return 0;
	err = d->ops->set_nesting_parent(d);
	if (!err)
		d->nesting_parent = true;
	return err;
}

bool iommu_domain_is_nesting_parent(const struct iommu_domain *d)
{
	return d->nesting_parent;
}

int iommu_nested_attach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid,
			uint64_t fs_root, unsigned int fs_levels)
{
	return parent->ops->nested_attach(parent, bdf, pasid, fs_root, fs_levels);
}

int iommu_nested_detach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid)
{
	return parent->ops->nested_detach(parent, bdf, pasid);
}

void iommu_domain_set_fault_handler(struct iommu_domain *d, iommu_fault_handler_t fn, void *arg)
{
	d->fault_handler = fn;
	d->fault_arg = arg;
}

void iommu_report_fault(struct iommu_domain *d, const struct iommu_fault *f)
{
	if (f->kind == IOMMU_FAULT_DMA)
		d->faults++;
	if (d->fault_handler)
		d->fault_handler(d, f, d->fault_arg);
}

int iommu_fault_poll(unsigned int unit)
{
	const struct iommu_ops *ops = ops_of(unit);

	if (!ops)
		return -ENODEV;
	ops->fault_poll(unit);
	return 0;
}

/* Whether a unit below @unit has @ops: each implementation is audited once. */
static bool seen_before(unsigned int unit, const struct iommu_ops *ops)
{
	for (unsigned int i = 0; i < unit; i++)
		if (unit_ops[i] == ops)
			return true;
	return false;
}

long iommu_audit(void)
{
	long total = 0;

	for (unsigned int u = 0; u < IOMMU_MAX_UNITS; u++) {
		long n;

		if (!unit_ops[u] || seen_before(u, unit_ops[u]))
			continue;
		n = unit_ops[u]->audit();
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

/* ---- Interrupts ---- */

static bool entry_valid(const struct iommu_irq *irq, unsigned int i)
{
	return irq->count && i < irq->count;
}

int iommu_irq_alloc(unsigned int unit, struct pci_bdf bdf, unsigned int count,
		    struct iommu_irq *out)
{
	const struct iommu_ops *ops = ops_of(unit);

	*out = (struct iommu_irq){ 0 };
	if (!count || count > IOMMU_IRQ_MAX)
		return -EINVAL;
	return ops ? ops->irq_alloc(unit, bdf, count, out) : -ENODEV;
}

int iommu_irq_target(const struct iommu_irq *irq, unsigned int i, uint32_t apic_id, uint8_t vector)
{
	const struct iommu_ops *ops = ops_of(irq->unit);

	if (!entry_valid(irq, i))
		return -EINVAL;
	return ops ? ops->irq_target(irq, i, apic_id, vector) : -ENODEV;
}

int iommu_irq_block(const struct iommu_irq *irq, unsigned int i)
{
	const struct iommu_ops *ops = ops_of(irq->unit);

	if (!entry_valid(irq, i))
		return -EINVAL;
	return ops ? ops->irq_block(irq, i) : -ENODEV;
}

int iommu_irq_message(const struct iommu_irq *irq, unsigned int i, uint64_t *addr, uint32_t *data)
{
	const struct iommu_ops *ops = ops_of(irq->unit);

	if (!entry_valid(irq, i))
		return -EINVAL;
	return ops ? ops->irq_message(irq, i, addr, data) : -ENODEV;
}

int iommu_irq_free(struct iommu_irq *irq)
{
	const struct iommu_ops *ops = ops_of(irq->unit);
	int err = !irq->count ? -ENOENT : ops ? ops->irq_free(irq) : -ENODEV;

	*irq = (struct iommu_irq){ 0 };
	return err;
}

unsigned int iommu_irq_count(unsigned int unit, struct pci_bdf bdf)
{
	const struct iommu_ops *ops = ops_of(unit);

	return ops ? ops->irq_count(unit, bdf) : 0;
}
