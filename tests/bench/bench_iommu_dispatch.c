// SPDX-License-Identifier: MIT
/*
 * Host benchmark of the generic IOMMU layer's cost per call (iommu/iommu.c): iommu_map() and
 * iommu_unmap() (the checks, then one indirect call through the unit's ops) against calling the
 * same implementation function directly. The implementation here does almost nothing (it
 * counts), so the difference is what the layer adds to every map and unmap of a real one: add
 * it to the figures of bench_vtd_pgtable (a 4 KiB second-stage map with its tables present, a
 * 256 x 4 KiB map in one call). Per call: the median and the best over 7 rounds of batches of
 * BATCH calls, timed with clock_gettime(CLOCK_MONOTONIC). Results are checked, timings are not.
 * Sources: iommu/iommu.c
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "iommu/iommu_driver.h"
#include "tests/bench/bench.h"

#define UNIT   0u
#define PAGE   IOMMU_PAGE_SIZE
#define BATCH  (1u << 20)
#define ROUNDS 7
#define REPS   4 /* batches per round */

static struct iommu_domain domain;
static volatile uint64_t mapped; /* what the implementation did: keeps its calls real */

/* The implementation's map and unmap: opaque to the compiler, as a real one in another file is. */
__attribute__((noipa)) static int fake_map(struct iommu_domain *d, uint64_t iova, uint64_t pa,
					   uint64_t size, unsigned int prot)
{
	(void)d;
	(void)pa;
	(void)prot;
	mapped = mapped + (iova >> 12) + size;
	return 0;
}

__attribute__((noipa)) static int64_t fake_unmap(struct iommu_domain *d, uint64_t iova,
						 uint64_t size)
{
	(void)d;
	mapped = mapped - (iova >> 12) - size;
	return (int64_t)size;
}

static int fake_alloc(unsigned int unit, enum iommu_domain_type type, unsigned int aw_bits,
		      struct iommu_domain **out)
{
	(void)unit;
	(void)type;
	(void)aw_bits;
	*out = &domain;
	return 0;
}

static const struct iommu_ops ops = {
	.domain_alloc = fake_alloc,
	.map = fake_map,
	.unmap = fake_unmap,
};

static void direct(struct iommu_domain *d)
{
	for (unsigned int i = 0; i < BATCH; i++) {
		CHECK(fake_map(d, (uint64_t)i * PAGE, (uint64_t)i * PAGE, PAGE, IOMMU_RW) == 0);
		CHECK(fake_unmap(d, (uint64_t)i * PAGE, PAGE) == (int64_t)PAGE);
	}
}

static void generic(struct iommu_domain *d)
{
	for (unsigned int i = 0; i < BATCH; i++) {
		CHECK(iommu_map(d, (uint64_t)i * PAGE, (uint64_t)i * PAGE, PAGE, IOMMU_RW) == 0);
		CHECK(iommu_unmap(d, (uint64_t)i * PAGE, PAGE) == (int64_t)PAGE);
	}
}

int main(void)
{
	double t_direct[ROUNDS * REPS], t_generic[ROUNDS * REPS], direct_median, generic_median;
	struct iommu_domain *d;
	unsigned int n = 0;

	CHECK(iommu_register_unit(UNIT, &ops) == 0);
	CHECK(iommu_domain_create(UNIT, IOMMU_DOMAIN_TRANSLATED, 0, &d) == 0);
	CHECK(iommu_map(d, PAGE, PAGE, PAGE, IOMMU_WRITE) == -EINVAL); /* the checks run */
	for (unsigned int r = 0; r < ROUNDS; r++)
		for (unsigned int k = 0; k < REPS; k++, n++) {
			double t0 = bench_now_ns(), t1, t2;

			direct(d);
			t1 = bench_now_ns();
			generic(d);
			t2 = bench_now_ns();
			/* per call: a map and an unmap each */
			t_direct[n] = (t1 - t0) / BATCH / 2;
			t_generic[n] = (t2 - t1) / BATCH / 2;
		}
	CHECK(mapped == 0);
	direct_median = bench_median(t_direct, n); /* sorts: [0] is the best */
	generic_median = bench_median(t_generic, n);
	printf("Generic IOMMU layer (iommu/iommu.c) on this host: gcc -O2, per map or unmap call\n"
	       "to an implementation that only counts; median and best of %u batches of %u.\n\n",
	       n, BATCH);
	printf("  %-44s %8s %8s\n", "call", "median", "best");
	printf("  %-44s %8.2f %8.2f ns\n", "implementation called directly", direct_median,
	       t_direct[0]);
	printf("  %-44s %8.2f %8.2f ns\n", "iommu_map/iommu_unmap (checks + ops call)",
	       generic_median, t_generic[0]);
	printf("  %-44s %8.2f %8.2f ns\n", "the layer's cost per call",
	       generic_median - direct_median, t_generic[0] - t_direct[0]);
	return 0;
}
