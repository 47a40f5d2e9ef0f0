/* SPDX-License-Identifier: MIT */
/* The self-tests the IOMMU implementations offer (selftest=NAME, kernel/selftest.c). */
#ifndef SKIFF_IOMMU_IOMMU_SELFTEST_H
#define SKIFF_IOMMU_IOMMU_SELFTEST_H

#include <stddef.h>

#include "kernel/platform/platform.h"

struct iommu_selftest {
	const char *name;		 /* what selftest= calls it */
	void (*run)(struct platform *p); /* one "PASS/FAIL <name>.<check>" line per check */
};

/*
 * iommu_selftest_find - the self-test named by the @n characters at @name (not NUL-terminated
 * there): "vtd" (DMA remapping, iommu/vtd/vtd_selftest.h) or "irq" (interrupt remapping,
 * iommu/vtd/vtd_ir_selftest.h). NULL for any other name.
 */
const struct iommu_selftest *iommu_selftest_find(const char *name, size_t n);

#endif
