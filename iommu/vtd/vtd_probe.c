// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_probe.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/acpi/dmar.h"

static struct vtd_caps probed[DMAR_MAX_DRHD];
static bool have[DMAR_MAX_DRHD];

int vtd_probe(unsigned int unit, uint64_t base)
{
	uint32_t ver;
	uint64_t cap, ecap;

	if (unit >= DMAR_MAX_DRHD)
		return -EINVAL;
	ver = *(volatile uint32_t *)(base + VTD_VER_REG);
	cap = *(volatile uint64_t *)(base + VTD_CAP_REG);
	ecap = *(volatile uint64_t *)(base + VTD_ECAP_REG);
	vtd_caps_decode(ver, cap, ecap, &probed[unit]);
	have[unit] = true;
	return 0;
}

int vtd_probe_describe(unsigned int unit, char *id, size_t id_size, char *caps, size_t caps_size)
{
	const struct vtd_caps *c;

	if (unit >= DMAR_MAX_DRHD || !have[unit])
		return -ENODEV;
	c = &probed[unit];
	snprintf(id, id_size, "VT-d %u.%u CAP %#018llx ECAP %#018llx", c->ver_major, c->ver_minor,
		 (unsigned long long)c->cap, (unsigned long long)c->ecap);
	vtd_caps_describe(c, caps, caps_size);
	return 0;
}
