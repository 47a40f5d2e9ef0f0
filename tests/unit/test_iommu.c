// SPDX-License-Identifier: MIT
/*
 * The generic IOMMU layer (iommu/iommu.c) over two fake implementations: which unit's ops a
 * call reaches, the checks made before any op runs (an invalid call never reaches the
 * implementation), the generic part of a domain (unit, type, nesting-parent mark, fault count
 * and handler), and one audit per implementation.
 * Sources: iommu/iommu.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/iommu_driver.h"
#include "kernel/bits.h"

#define UNIT_A	    0u /* driven by fake A */
#define UNIT_A2	    5u /* also by fake A */
#define UNIT_B	    3u /* driven by fake B */
#define UNIT_NONE   1u /* nobody's */
#define FAKE_HWID   42u
#define IOVA	    0x100000ull
#define PA	    0x2000000ull
#define PAGE	    IOMMU_PAGE_SIZE
#define AUDIT_A	    2 /* violations fake A's audit finds */
#define AUDIT_B	    3
#define IRQ_FIRST   16u
#define FAULT_ADDR  0xdead000ull
#define FAULT_FR    0x05u
#define FAULT_PASID 7u

/* What one fake implementation saw. */
struct fake {
	unsigned int allocs, maps, unmaps, translates, nestings, audits, polls, irq_allocs;
	unsigned int irq_frees, irq_targets, last_unit;
	int alloc_err, nesting_err;
	long audit_result;
	uint64_t map_iova, map_pa, map_size;
	unsigned int map_prot;
};

struct fake_domain {
	struct iommu_domain dom;
	struct fake *impl;
};

static struct fake fake_a, fake_b;

static struct fake *impl_of(const struct iommu_domain *d)
{
	return container_of(d, const struct fake_domain, dom)->impl;
}

static int alloc_in(struct fake *f, unsigned int unit, struct iommu_domain **out)
{
	struct fake_domain *d;

	f->allocs++;
	f->last_unit = unit;
	if (f->alloc_err)
		return f->alloc_err;
	d = calloc(1, sizeof(*d));
	assert_non_null(d);
	d->impl = f;
	*out = &d->dom;
	return 0;
}

static int alloc_a(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
		   struct iommu_domain **out)
{
	(void)type;
	(void)aw_bits;
	return alloc_in(&fake_a, unit, out);
}

static int alloc_b(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
		   struct iommu_domain **out)
{
	(void)type;
	(void)aw_bits;
	return alloc_in(&fake_b, unit, out);
}

static void domain_free(struct iommu_domain *d)
{
	free(container_of(d, struct fake_domain, dom));
}

static int attach_dev(struct iommu_domain *d, struct pci_bdf bdf)
{
	(void)d;
	(void)bdf;
	return 0;
}

static int map(struct iommu_domain *d, uint64_t iova, uint64_t pa, uint64_t size, unsigned int prot)
{
	struct fake *f = impl_of(d);

	f->maps++;
	f->map_iova = iova;
	f->map_pa = pa;
	f->map_size = size;
	f->map_prot = prot;
	return 0;
}

static int64_t unmap(struct iommu_domain *d, uint64_t iova, uint64_t size)
{
	(void)iova;
	impl_of(d)->unmaps++;
	return (int64_t)size;
}

static int translate(const struct iommu_domain *d, uint64_t iova, uint64_t *pa, uint64_t *leaf,
		     unsigned int *prot)
{
	impl_of(d)->translates++;
	*pa = iova;
	*leaf = PAGE;
	*prot = IOMMU_RW;
	return 0;
}

static unsigned int domain_hwid(const struct iommu_domain *d)
{
	(void)d;
	return FAKE_HWID;
}

static int set_nesting_parent(struct iommu_domain *d)
{
	struct fake *f = impl_of(d);

	f->nestings++;
	return f->nesting_err;
}

static int nested_attach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid,
			 uint64_t fs_root, unsigned int fs_levels)
{
	(void)parent;
	(void)bdf;
	(void)pasid;
	(void)fs_root;
	(void)fs_levels;
	return -EOPNOTSUPP;
}

static int nested_detach(struct iommu_domain *parent, struct pci_bdf bdf, uint32_t pasid)
{
	(void)parent;
	(void)bdf;
	(void)pasid;
	return -EOPNOTSUPP;
}

static int hw_info(unsigned int unit, struct iommu_hw_info *out)
{
	out->name = "fake";
	out->stage = IOMMU_STAGE_SECOND;
	out->flags = unit == UNIT_A ? IOMMU_HW_NO_RO_UNDER_NESTING : IOMMU_HW_NESTING;
	return 0;
}

static int irq_alloc(unsigned int unit, struct pci_bdf bdf, unsigned int count,
		     struct iommu_irq *out)
{
	fake_a.irq_allocs++;
	*out = (struct iommu_irq){
		.unit = unit, .bdf = bdf, .first = IRQ_FIRST, .count = (uint16_t)count
	};
	return 0;
}

static int irq_target(const struct iommu_irq *irq, unsigned int i, uint32_t apic_id, uint8_t vector)
{
	(void)irq;
	(void)i;
	(void)apic_id;
	(void)vector;
	fake_a.irq_targets++;
	return 0;
}

static int irq_block(const struct iommu_irq *irq, unsigned int i)
{
	(void)irq;
	(void)i;
	return 0;
}

static int irq_message(const struct iommu_irq *irq, unsigned int i, uint64_t *addr, uint32_t *data)
{
	*addr = irq->first + i;
	*data = 0;
	return 0;
}

static int irq_free(const struct iommu_irq *irq)
{
	(void)irq;
	fake_a.irq_frees++;
	return 0;
}

static unsigned int irq_count(unsigned int unit, struct pci_bdf bdf)
{
	(void)bdf;
	return unit == UNIT_A ? 1 : 0;
}

static void fault_poll(unsigned int unit)
{
	(void)unit;
	fake_a.polls++;
}

static long audit_a(void)
{
	fake_a.audits++;
	return fake_a.audit_result;
}

static long audit_b(void)
{
	fake_b.audits++;
	return fake_b.audit_result;
}

#define FAKE_OPS(alloc_fn, audit_fn)                                                            \
	{                                                                                       \
		.domain_alloc = alloc_fn, .domain_free = domain_free, .attach_dev = attach_dev, \
		.detach_dev = attach_dev, .map = map, .unmap = unmap, .translate = translate,   \
		.domain_hwid = domain_hwid, .set_nesting_parent = set_nesting_parent,           \
		.nested_attach = nested_attach, .nested_detach = nested_detach,                 \
		.hw_info = hw_info, .irq_alloc = irq_alloc, .irq_target = irq_target,           \
		.irq_block = irq_block, .irq_message = irq_message, .irq_free = irq_free,       \
		.irq_count = irq_count, .fault_poll = fault_poll, .audit = audit_fn             \
	}

static const struct iommu_ops ops_a = FAKE_OPS(alloc_a, audit_a);
static const struct iommu_ops ops_b = FAKE_OPS(alloc_b, audit_b);

static const struct pci_bdf DEV = { .segment = 0, .bus = 0, .dev = 2, .fn = 0 };

static int setup(void **state)
{
	(void)state;
	memset(&fake_a, 0, sizeof(fake_a));
	memset(&fake_b, 0, sizeof(fake_b));
	assert_int_equal(iommu_register_unit(UNIT_A, &ops_a), 0);
	assert_int_equal(iommu_register_unit(UNIT_A2, &ops_a), 0);
	assert_int_equal(iommu_register_unit(UNIT_B, &ops_b), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned int u = 0; u < IOMMU_MAX_UNITS; u++)
		iommu_unregister_unit(u);
	return 0;
}

static struct iommu_domain *create(unsigned int unit, enum iommu_domain_type type)
{
	struct iommu_domain *d = NULL;

	assert_int_equal(iommu_domain_create(unit, type, 0, &d), 0);
	assert_non_null(d);
	return d;
}

static void registration_is_checked(void **state)
{
	(void)state;
	assert_int_equal(iommu_register_unit(IOMMU_MAX_UNITS, &ops_a), -EINVAL);
	assert_int_equal(iommu_register_unit(UNIT_B, &ops_a), -EBUSY);
	assert_true(iommu_unit_enabled(UNIT_B));
	assert_false(iommu_unit_enabled(UNIT_NONE));
	assert_false(iommu_unit_enabled(IOMMU_MAX_UNITS));
	iommu_unregister_unit(UNIT_B);
	assert_false(iommu_unit_enabled(UNIT_B));
	assert_int_equal(iommu_register_unit(UNIT_B, &ops_b), 0);
}

static void a_unit_nobody_drives_is_enodev(void **state)
{
	struct iommu_domain *d = NULL;
	struct iommu_hw_info info;
	struct iommu_irq irq;

	(void)state;
	memset(&info, 0xff, sizeof(info));
	assert_int_equal(iommu_domain_create(UNIT_NONE, IOMMU_DOMAIN_TRANSLATED, 0, &d), -ENODEV);
	assert_null(d);
	assert_int_equal(iommu_hw_info(UNIT_NONE, &info), -ENODEV);
	assert_null(info.name);
	assert_int_equal(info.flags, 0);
	assert_int_equal(iommu_fault_poll(UNIT_NONE), -ENODEV);
	assert_int_equal(iommu_irq_alloc(UNIT_NONE, DEV, 1, &irq), -ENODEV);
	assert_int_equal(iommu_irq_count(UNIT_NONE, DEV), 0);
	assert_int_equal(fake_a.allocs + fake_b.allocs + fake_a.irq_allocs + fake_a.polls, 0);
}

static void each_unit_reaches_its_implementation(void **state)
{
	struct iommu_domain *a, *b;
	struct iommu_hw_info info;

	(void)state;
	a = create(UNIT_A2, IOMMU_DOMAIN_TRANSLATED);
	b = create(UNIT_B, IOMMU_DOMAIN_PASSTHROUGH);
	assert_int_equal(fake_a.allocs, 1);
	assert_int_equal(fake_a.last_unit, UNIT_A2);
	assert_int_equal(fake_b.allocs, 1);
	assert_ptr_equal(a->ops, &ops_a);
	assert_ptr_equal(b->ops, &ops_b);
	assert_int_equal(iommu_domain_unit(a), UNIT_A2);
	assert_int_equal(iommu_domain_unit(b), UNIT_B);
	assert_int_equal(a->type, IOMMU_DOMAIN_TRANSLATED);
	assert_int_equal(b->type, IOMMU_DOMAIN_PASSTHROUGH);
	assert_int_equal(iommu_domain_hwid(a), FAKE_HWID);
	assert_int_equal(iommu_hw_info(UNIT_A, &info), 0);
	assert_string_equal(info.name, "fake");
	assert_int_equal(info.flags, IOMMU_HW_NO_RO_UNDER_NESTING);
	assert_int_equal(iommu_hw_info(UNIT_B, &info), 0);
	assert_int_equal(info.flags, IOMMU_HW_NESTING);
	assert_int_equal(iommu_fault_poll(UNIT_A), 0);
	assert_int_equal(fake_a.polls, 1);
	iommu_domain_destroy(a);
	iommu_domain_destroy(b);
}

static void create_checks_type_and_passes_errors(void **state)
{
	struct iommu_domain *d = NULL;

	(void)state;
	assert_int_equal(iommu_domain_create(UNIT_A, (enum iommu_domain_type)7, 0, &d), -EINVAL);
	assert_int_equal(fake_a.allocs, 0);
	fake_a.alloc_err = -ENOSPC;
	assert_int_equal(iommu_domain_create(UNIT_A, IOMMU_DOMAIN_TRANSLATED, 0, &d), -ENOSPC);
	assert_null(d);
	assert_int_equal(fake_a.allocs, 1);
}

static void invalid_maps_never_reach_the_implementation(void **state)
{
	struct iommu_domain *d = create(UNIT_A, IOMMU_DOMAIN_TRANSLATED),
			    *pt = create(UNIT_A, IOMMU_DOMAIN_PASSTHROUGH);
	uint64_t pa, leaf;
	unsigned int prot;

	(void)state;
	assert_int_equal(iommu_map(d, IOVA, PA, PAGE, IOMMU_WRITE), -EINVAL); /* no READ */
	assert_int_equal(iommu_map(d, IOVA, PA, PAGE, IOMMU_RW | (1u << 2)), -EINVAL);
	assert_int_equal(iommu_map(d, IOVA, PA, 0, IOMMU_RW), -EINVAL);
	assert_int_equal(iommu_map(d, IOVA + 1, PA, PAGE, IOMMU_RW), -EINVAL);
	assert_int_equal(iommu_map(d, IOVA, PA + PAGE / 2, PAGE, IOMMU_RW), -EINVAL);
	assert_int_equal(iommu_map(d, IOVA, PA, PAGE + 8, IOMMU_RW), -EINVAL);
	assert_int_equal(iommu_map(pt, IOVA, PA, PAGE, IOMMU_RW), -EINVAL);
	assert_int_equal(iommu_unmap(pt, IOVA, PAGE), -EINVAL);
	assert_int_equal(iommu_translate(pt, IOVA, &pa, &leaf, &prot), -ENOENT);
	assert_int_equal(fake_a.maps + fake_a.unmaps + fake_a.translates, 0);

	assert_int_equal(iommu_map(d, IOVA, PA, 2 * PAGE, IOMMU_READ), 0);
	assert_int_equal(fake_a.maps, 1);
	assert_int_equal(fake_a.map_iova, IOVA);
	assert_int_equal(fake_a.map_pa, PA);
	assert_int_equal(fake_a.map_size, 2 * PAGE);
	assert_int_equal(fake_a.map_prot, IOMMU_READ);
	assert_int_equal(iommu_unmap(d, IOVA, 2 * PAGE), 2 * PAGE);
	assert_int_equal(iommu_translate(d, IOVA, &pa, &leaf, &prot), 0);
	assert_int_equal(fake_a.unmaps + fake_a.translates, 2);
	iommu_domain_destroy(d);
	iommu_domain_destroy(pt);
}

static void nesting_parent_is_marked_once(void **state)
{
	struct iommu_domain *d = create(UNIT_A, IOMMU_DOMAIN_TRANSLATED),
			    *pt = create(UNIT_A, IOMMU_DOMAIN_PASSTHROUGH);

	(void)state;
	assert_int_equal(iommu_domain_set_nesting_parent(pt), -EOPNOTSUPP);
	assert_int_equal(fake_a.nestings, 0);
	fake_a.nesting_err = -EBUSY;
	assert_int_equal(iommu_domain_set_nesting_parent(d), -EBUSY);
	assert_false(iommu_domain_is_nesting_parent(d));
	fake_a.nesting_err = 0;
	assert_int_equal(iommu_domain_set_nesting_parent(d), 0);
	assert_true(iommu_domain_is_nesting_parent(d));
	assert_int_equal(iommu_domain_set_nesting_parent(d), 0); /* already: the op is not asked */
	assert_int_equal(fake_a.nestings, 2);
	iommu_domain_destroy(d);
	iommu_domain_destroy(pt);
}

struct seen {
	unsigned int calls;
	struct iommu_domain *d;
	struct iommu_fault f;
};

static void note(struct iommu_domain *d, const struct iommu_fault *f, void *arg)
{
	struct seen *s = arg;

	s->calls++;
	s->d = d;
	s->f = *f;
}

static void faults_are_counted_and_handed_on(void **state)
{
	struct iommu_domain *d = create(UNIT_A, IOMMU_DOMAIN_TRANSLATED);
	struct iommu_fault dma = { .kind = IOMMU_FAULT_DMA,
				   .source = DEV,
				   .addr = FAULT_ADDR,
				   .access = IOMMU_WRITE,
				   .reason = FAULT_FR,
				   .pasid_valid = true,
				   .pasid = FAULT_PASID },
			   intr = { .kind = IOMMU_FAULT_IRQ, .source = DEV };
	struct seen s = { 0 };

	(void)state;
	iommu_report_fault(d, &dma); /* no handler yet: counted only */
	assert_int_equal(iommu_domain_faults(d), 1);
	iommu_domain_set_fault_handler(d, note, &s);
	iommu_report_fault(d, &dma);
	assert_int_equal(iommu_domain_faults(d), 2);
	assert_int_equal(s.calls, 1);
	assert_ptr_equal(s.d, d);
	assert_int_equal(s.f.addr, FAULT_ADDR);
	assert_int_equal(s.f.access, IOMMU_WRITE);
	assert_int_equal(s.f.reason, FAULT_FR);
	assert_int_equal(s.f.pasid, FAULT_PASID);
	assert_int_equal(s.f.source.dev, DEV.dev);
	iommu_report_fault(d, &intr); /* handed on, not a DMA fault of the domain */
	assert_int_equal(iommu_domain_faults(d), 2);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.f.kind, IOMMU_FAULT_IRQ);
	iommu_domain_set_fault_handler(d, NULL, NULL);
	iommu_report_fault(d, &dma);
	assert_int_equal(s.calls, 2);
	assert_int_equal(iommu_domain_faults(d), 3);
	iommu_domain_destroy(d);
}

static void irq_calls_are_checked(void **state)
{
	struct iommu_irq irq = { .count = 9 }, none = { 0 };
	uint64_t addr;
	uint32_t data;

	(void)state;
	assert_int_equal(iommu_irq_alloc(UNIT_A, DEV, 0, &irq), -EINVAL);
	assert_int_equal(irq.count, 0); /* zeroed */
	assert_int_equal(iommu_irq_alloc(UNIT_A, DEV, IOMMU_IRQ_MAX + 1, &irq), -EINVAL);
	assert_int_equal(fake_a.irq_allocs, 0);
	assert_int_equal(iommu_irq_alloc(UNIT_A, DEV, 2, &irq), 0);
	assert_int_equal(irq.first, IRQ_FIRST);
	assert_int_equal(iommu_irq_target(&irq, 2, 0, 0x40), -EINVAL);
	assert_int_equal(iommu_irq_block(&irq, 2), -EINVAL);
	assert_int_equal(iommu_irq_message(&irq, 2, &addr, &data), -EINVAL);
	assert_int_equal(iommu_irq_target(&none, 0, 0, 0x40), -EINVAL);
	assert_int_equal(fake_a.irq_targets, 0);
	assert_int_equal(iommu_irq_target(&irq, 1, 0, 0x40), 0);
	assert_int_equal(iommu_irq_message(&irq, 1, &addr, &data), 0);
	assert_int_equal(addr, IRQ_FIRST + 1);
	assert_int_equal(iommu_irq_count(UNIT_A, DEV), 1);
	assert_int_equal(iommu_irq_free(&none), -ENOENT);
	assert_int_equal(fake_a.irq_frees, 0);
	assert_int_equal(iommu_irq_free(&irq), 0);
	assert_int_equal(fake_a.irq_frees, 1);
	assert_int_equal(irq.count, 0);
	assert_int_equal(iommu_irq_free(&irq), -ENOENT); /* freed once */
}

static void each_implementation_is_audited_once(void **state)
{
	(void)state;
	fake_a.audit_result = AUDIT_A;
	fake_b.audit_result = AUDIT_B;
	assert_int_equal(iommu_audit(), AUDIT_A + AUDIT_B);
	assert_int_equal(fake_a.audits, 1); /* units 0 and 5 share fake A */
	assert_int_equal(fake_b.audits, 1);
	fake_a.audit_result = -ENOMEM;
	assert_int_equal(iommu_audit(), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(registration_is_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(a_unit_nobody_drives_is_enodev, setup, teardown),
		cmocka_unit_test_setup_teardown(each_unit_reaches_its_implementation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(create_checks_type_and_passes_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(invalid_maps_never_reach_the_implementation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(nesting_parent_is_marked_once, setup, teardown),
		cmocka_unit_test_setup_teardown(faults_are_counted_and_handed_on, setup, teardown),
		cmocka_unit_test_setup_teardown(irq_calls_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(each_implementation_is_audited_once, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("iommu", tests, NULL, NULL);
}
