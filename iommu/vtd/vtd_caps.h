/* SPDX-License-Identifier: MIT */
/* A remapping unit's capabilities, decoded from VER_REG, CAP_REG and ECAP_REG (VT-d 11.4). */
#ifndef SKIFF_IOMMU_VTD_CAPS_H
#define SKIFF_IOMMU_VTD_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtd_caps {
	uint32_t ver;
	uint64_t cap, ecap;
	uint8_t ver_major, ver_minor;
	uint8_t mgaw;	      /* maximum guest address width in bits */
	uint8_t sagaw;	      /* VTD_SAGAW_* bits */
	uint8_t sllps;	      /* VTD_SLLPS_* bits */
	uint32_t domain_bits; /* domain ids are this wide: 2^bits domains */
	uint32_t nr_fault_regs;
	uint32_t fault_reg_offset; /* bytes from the register base */
	uint32_t pasid_bits;	   /* 0 without ECAP.PASID */
	bool cm, psi, fs1gp, fs5lp, pi, esrtps, esirtps;
	bool c, qi, dt, ir, eim, pt, sc, nest, prs, ers, srs, eafs, pasid, smts, ssts, fsts, smpwc,
		rps;
};

/* vtd_caps_decode - decode the three registers as VT-d 11.4.1-11.4.3 define them. */
void vtd_caps_decode(uint32_t ver, uint64_t cap, uint64_t ecap, struct vtd_caps *out);

/*
 * vtd_caps_describe - one line naming the capabilities the boot report shows:
 * "SAGAW 39,48 MGAW 48 SLLPS 2M,1G DID 16 bits CM 1 PSI 1 PI 0 FS1GP 0 SMTS 1 FLTS 0 SLTS 1 NEST 0
 * PASID 20 PT 1 IR 1 EIM 1 QI 1 SC 1". Returns snprintf's result (the untruncated length).
 */
int vtd_caps_describe(const struct vtd_caps *c, char *buf, size_t size);

#endif
