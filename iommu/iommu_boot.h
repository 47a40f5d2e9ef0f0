/* SPDX-License-Identifier: MIT */
/* What skiff does with DMA remapping at boot, and how the boot report shows it. */
#ifndef SKIFF_IOMMU_BOOT_H
#define SKIFF_IOMMU_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/iommu.h"
#include "kernel/platform/platform.h"

/* How an erratum with a command-line option (iommu.spr17=) is decided. */
enum iommu_erratum_option {
	IOMMU_ERRATUM_AUTO = 0, /* where the implementation finds it applies (the default) */
	IOMMU_ERRATUM_ON,  /* on every unit (research: its workaround where it does not apply) */
	IOMMU_ERRATUM_OFF, /* on none (research: unsafe where it applies) */
};

/* What the command line asks of DMA remapping (kernel/options.c lists the options). */
struct iommu_boot_options {
	bool prefer_legacy;		 /* iommu.mode=legacy: VT-d legacy mode (research) */
	bool prefer_registers;		 /* iommu.qi=0: register-based invalidation (research) */
	enum iommu_erratum_option spr17; /* iommu.spr17=auto|on|off: VT-d erratum SPR17 */
	enum iommu_ro_policy ro_policy;	 /* iommu.ro_policy=skip|refuse */
	uint32_t cpu_family, cpu_model;	 /* CPUID leaf 1 display family / model, for errata */
};

/*
 * iommu_unit_probe - identify the remapping unit the platform lists as unit @unit (on x86 the
 * DMAR's DRHD @unit: VT-d), whose registers the platform mapped at @base: on VT-d, read and
 * keep VER, CAP and ECAP. Touches nothing else; runs before iommu_boot(), also with iommu=off.
 * Returns 0, or a negative errno when the unit cannot be identified.
 */
int iommu_unit_probe(unsigned int unit, uint64_t base);

/*
 * iommu_unit_describe - the boot report's words for probed unit @unit: what it is into @id
 * (e.g. "VT-d 1.0 CAP 0x... ECAP 0x...") and the capabilities the report lists into @caps.
 * Returns 0, or -ENODEV when iommu_unit_probe() did not identify @unit.
 */
int iommu_unit_describe(unsigned int unit, char *id, size_t id_size, char *caps, size_t caps_size);

/*
 * iommu_boot - turn on every remapping unit (VT-d, in the mode and with the invalidation @o
 * asks for), decide erratum SPR17 for each (one log line per unit with the decision and why,
 * a warning when forced off), keep @o->ro_policy for iommu_ro_policy(), then give each device an
 * RMRR names a domain with those ranges identity-mapped (VT-d 8.4: firmware may keep DMAing
 * there). Every other device is blocked until something attaches it. skiff keeps no
 * DMA-capable device of its own yet (its console is a port-I/O UART).
 * Returns the number of units enabled.
 */
int iommu_boot(struct platform *p, const struct iommu_boot_options *o);

/* iommu_device_state - "blocked", "rmrr domain N" or "not remapped" for device @i of @p. */
const char *iommu_device_state(const struct platform *p, unsigned int i, char *buf, size_t size);

#endif
