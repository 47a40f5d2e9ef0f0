// SPDX-License-Identifier: MIT
/*
 * The registry of the VT-d units skiff drives (one state per DRHD index, registered by the
 * bring-up in vtd_iommu.c once the unit translates) and the write-back of table memory every
 * file that builds tables for a unit needs. Depends on nothing else of iommu/vtd/, so that the
 * bring-up, interrupt remapping and the fault-event path can all use it without a cycle.
 */
#include <stddef.h>

#include "iommu/vtd/vtd_internal.h"
#include "kernel/acpi/dmar.h"

#define CACHE_LINE 64u

static struct vtd_state *units[DMAR_MAX_DRHD];

struct vtd_state *vtd_state_of(unsigned int unit)
{
	return unit < DMAR_MAX_DRHD && units[unit] && units[unit]->enabled ? units[unit] : NULL;
}

bool vtd_state_enabled(unsigned int unit)
{
	return vtd_state_of(unit) != NULL;
}

void vtd_state_register(struct vtd_state *vs)
{
	units[vs->unit.index] = vs;
}

void vtd_sync(const struct vtd_state *vs, uint64_t pa, uint64_t len)
{
	if (vs->unit.caps.c)
		return;
	for (uint64_t a = pa & ~(uint64_t)(CACHE_LINE - 1); a < pa + len; a += CACHE_LINE)
		__asm__ volatile("clflush %0" : "+m"(*(volatile char *)a));
	__asm__ volatile("mfence" ::: "memory");
}
