/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_IOMMU_VTD_SELFTEST_H
#define SKIFF_IOMMU_VTD_SELFTEST_H

#include "kernel/platform/platform.h"

/*
 * vtd_selftest - "selftest=vtd": DMA through the remapping hardware with QEMU's edu devices,
 * one "PASS vtd.<check>" / "FAIL vtd.<check>: <why>" line per check. It adapts to what the
 * platform offers (mode, stage, address width, large pages, one or two edu devices) and says
 * in the log which checks the platform does not allow.
 */
void vtd_selftest(struct platform *p);

#endif
