/* SPDX-License-Identifier: MIT */
/* The VT-d driver as the generic IOMMU layer sees it (iommu/iommu_driver.h). */
#ifndef SKIFF_IOMMU_VTD_OPS_H
#define SKIFF_IOMMU_VTD_OPS_H

#include "iommu/iommu_driver.h"

/* vtd_iommu_ops - the ops of every VT-d unit, registered by the bring-up (vtd_iommu.c). */
extern const struct iommu_ops vtd_iommu_ops;

#endif
