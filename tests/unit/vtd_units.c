// SPDX-License-Identifier: MIT
/* The remapping units of the host tests: see vtd_units.h. */
#include "tests/unit/vtd_units.h"

#include "iommu/vtd/vtd_regs.h"

#define ECAP_IR (1ull << 3)

static struct vtd_caps decoded(uint32_t ver, uint64_t cap, uint64_t ecap)
{
	struct vtd_caps c;

	vtd_caps_decode(ver, cap, ecap, &c);
	return c;
}

struct vtd_caps vtd_unit_gnr(void)
{
	return decoded(VTD_UNIT_VER_7_0, VTD_UNIT_GNR_CAP, VTD_UNIT_GNR_ECAP);
}

struct vtd_caps vtd_unit_lnl(void)
{
	return decoded(VTD_UNIT_VER_7_0, VTD_UNIT_LNL_CAP, VTD_UNIT_LNL_ECAP);
}

struct vtd_caps vtd_unit_qemu(bool ir)
{
	return decoded(VTD_UNIT_VER_1_0, VTD_UNIT_QEMU_CAP,
		       ir ? VTD_UNIT_QEMU_ECAP : VTD_UNIT_QEMU_ECAP & ~ECAP_IR);
}

struct vtd_caps vtd_unit_nesting(void)
{
	return (struct vtd_caps){
		.mgaw = 48,
		.sagaw = VTD_SAGAW_39 | VTD_SAGAW_48,
		.sllps = VTD_SLLPS_2M | VTD_SLLPS_1G,
		.domain_bits = 16,
		.smts = true,
		.fsts = true,
		.ssts = true,
		.nest = true,
		.pasid = true,
		.pasid_bits = 20,
	};
}
