// SPDX-License-Identifier: MIT
#include "iommu/iommu_selftest.h"

#include <string.h>

#include "iommu/vtd/vtd_ir_selftest.h"
#include "iommu/vtd/vtd_selftest.h"
#include "kernel/bits.h"

/* One self-test a line. */
/* clang-format off */
static const struct iommu_selftest selftests[] = {
	{ "vtd", vtd_selftest },
	{ "irq", vtd_ir_selftest },
};
/* clang-format on */

const struct iommu_selftest *iommu_selftest_find(const char *name, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(selftests); i++)
		if (strlen(selftests[i].name) == n && !strncmp(selftests[i].name, name, n))
			return &selftests[i];
	return NULL;
}
