/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_VMM_GMEM_SELFTEST_H
#define SKIFF_VMM_GMEM_SELFTEST_H

#include "kernel/platform/platform.h"

/*
 * gmem_selftest - "selftest=gmem": a VM memory map's device view programmed for QEMU's edu
 * device under the boot's iommu.ro_policy and SPR17 decision, checked by DMA; one
 * "PASS gmem.<check>" / "FAIL gmem.<check>: <why>" line per check (list in gmem_selftest.c).
 */
void gmem_selftest(struct platform *p);

#endif
