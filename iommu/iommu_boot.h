/* SPDX-License-Identifier: MIT */
/* What skiff does with DMA remapping at boot, and how the boot report shows it. */
#ifndef SKIFF_IOMMU_BOOT_H
#define SKIFF_IOMMU_BOOT_H

#include <stdbool.h>

#include "kernel/platform/platform.h"

/*
 * iommu_boot - turn on every remapping unit (VT-d; legacy mode when @prefer_legacy,
 * register-based invalidation when @prefer_registers: both for research), then give
 * each device an RMRR names a domain with those ranges identity-mapped (VT-d 8.4: firmware may
 * keep DMAing there). Every other device is blocked until something attaches it. skiff keeps no
 * DMA-capable device of its own yet (its console is a port-I/O UART).
 * Returns the number of units enabled.
 */
int iommu_boot(struct platform *p, bool prefer_legacy, bool prefer_registers);

/* iommu_device_state - "blocked", "rmrr domain N" or "not remapped" for device @i of @p. */
const char *iommu_device_state(const struct platform *p, unsigned int i, char *buf, size_t size);

#endif
