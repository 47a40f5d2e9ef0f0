// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_caps.h"

#include <stdio.h>

#include "iommu/vtd/vtd_regs.h"

#define DOMAIN_BITS_PER_ND 2

void vtd_caps_decode(uint32_t ver, uint64_t cap, uint64_t ecap, struct vtd_caps *out)
{
	*out = (struct vtd_caps){
		.ver = ver,
		.cap = cap,
		.ecap = ecap,
		.ver_major = VTD_VER_MAJOR(ver),
		.ver_minor = VTD_VER_MINOR(ver),
		.mgaw = VTD_CAP_MGAW(cap) + 1,
		.sagaw = VTD_CAP_SAGAW(cap),
		.sllps = VTD_CAP_SLLPS(cap),
		.domain_bits = VTD_ND_BASE_BITS + DOMAIN_BITS_PER_ND * VTD_CAP_ND(cap),
		.nr_fault_regs = VTD_CAP_NFR(cap) + 1,
		.fault_reg_offset = VTD_CAP_FRO(cap) * VTD_FRO_UNIT,
		.pasid_bits = VTD_ECAP_PASID(ecap) ? VTD_ECAP_PSS(ecap) + 1 : 0,
		.cm = VTD_CAP_CM(cap),
		.psi = VTD_CAP_PSI(cap),
		.fs1gp = VTD_CAP_FS1GP(cap),
		.fs5lp = VTD_CAP_FS5LP(cap),
		.pi = VTD_CAP_PI(cap),
		.esrtps = VTD_CAP_ESRTPS(cap),
		.esirtps = VTD_CAP_ESIRTPS(cap),
		.c = VTD_ECAP_C(ecap),
		.qi = VTD_ECAP_QI(ecap),
		.dt = VTD_ECAP_DT(ecap),
		.ir = VTD_ECAP_IR(ecap),
		.eim = VTD_ECAP_EIM(ecap),
		.pt = VTD_ECAP_PT(ecap),
		.sc = VTD_ECAP_SC(ecap),
		.nest = VTD_ECAP_NEST(ecap),
		.prs = VTD_ECAP_PRS(ecap),
		.ers = VTD_ECAP_ERS(ecap),
		.srs = VTD_ECAP_SRS(ecap),
		.eafs = VTD_ECAP_EAFS(ecap),
		.pasid = VTD_ECAP_PASID(ecap),
		.smts = VTD_ECAP_SMTS(ecap),
		.ssts = VTD_ECAP_SSTS(ecap),
		.fsts = VTD_ECAP_FSTS(ecap),
		.smpwc = VTD_ECAP_SMPWC(ecap),
		.rps = VTD_ECAP_RPS(ecap),
	};
}

/* Names of the set bits of @bits ("39,48"), or "none". */
static const char *bit_names(unsigned int bits, const char *const names[], unsigned int count,
			     char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < count; i++)
		if (names[i] && (bits >> i & 1) && len < size)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "," : "",
						names[i]);
	return len ? out : "none";
}

int vtd_caps_describe(const struct vtd_caps *c, char *buf, size_t size)
{
	static const char *const sagaw_names[] = { NULL, "39", "48", "57" };
	static const char *const sllps_names[] = { "2M", "1G" };
	char sagaw[16], sllps[16];

	return snprintf(buf, size,
			"SAGAW %s MGAW %u SLLPS %s DID %u bits CM %d PSI %d PI %d FS1GP %d SMTS %d "
			"FLTS %d SLTS %d NEST %d PASID %u PT %d IR %d EIM %d QI %d SC %d",
			bit_names(c->sagaw, sagaw_names, 4, sagaw, sizeof(sagaw)), c->mgaw,
			bit_names(c->sllps, sllps_names, 2, sllps, sizeof(sllps)), c->domain_bits,
			c->cm, c->psi, c->pi, c->fs1gp, c->smts, c->fsts, c->ssts, c->nest,
			c->pasid_bits, c->pt, c->ir, c->eim, c->qi, c->sc);
}
