/* SPDX-License-Identifier: MIT */
/*
 * The remapping units the host tests run against: real ones, with their VER, CAP and ECAP
 * registers as the machines report them (../shared/vtd-registers.tsv; QEMU's from its boot
 * report), and one built by hand for the walker and audit tests. The register values are golden
 * vectors; test_vtd_caps.c checks what vtd_caps_decode() makes of them, the other tests take the
 * decoded units from here.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_UNITS_H
#define SKIFF_TESTS_UNIT_VTD_UNITS_H

#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"

#define VTD_UNIT_VER_1_0 0x10u
#define VTD_UNIT_VER_7_0 0x70u

/*
 * Granite Rapids (Xeon 6 6515P), Dell PowerEdge R770, dmar0, VER 7.0. CAP: ND 6 (16-bit DIDs),
 * SAGAW 48+57, MGAW 57, FS5LP, PI, CM 0, RWBF 0, FRO 0xee, NFR 0. ECAP: SMTS FSTS SSTS NEST PT
 * SC SMPWC SSADS SRS EAFS DT PRS PASID (PSS 19) RPS IR EIM; no ERS.
 */
#define VTD_UNIT_GNR_CAP  0xf9ed008cee780c66ull
#define VTD_UNIT_GNR_ECAP 0x3fef9ea6f0efdfull

/*
 * Lunar Lake, Dell Pro 16 Plus, dmar0, VER 7.0. CAP: ND 2 (8-bit DIDs), SAGAW 48, MGAW 42, no
 * FS5LP. ECAP: SMTS FSTS SSTS PT DT RPS; no NEST SC SMPWC SSADS SRS EAFS PRS PASID.
 */
#define VTD_UNIT_LNL_CAP  0xc9de008cee690462ull
#define VTD_UNIT_LNL_ECAP 0x12ca9a00f0ef5eull

/* QEMU 10's intel-iommu (the README's boot report), VER 1.0: ECAP.IR, no EIM, no PI. */
#define VTD_UNIT_QEMU_CAP  0x00d2008c222f0606ull
#define VTD_UNIT_QEMU_ECAP 0x0000480080f00f4aull

/* vtd_unit_gnr - the Granite Rapids unit above, decoded. */
struct vtd_caps vtd_unit_gnr(void);

/* vtd_unit_lnl - the Lunar Lake unit above, decoded. */
struct vtd_caps vtd_unit_lnl(void);

/* vtd_unit_qemu - QEMU's unit above, decoded; with @ir false, as if ECAP.IR (bit 3) were 0. */
struct vtd_caps vtd_unit_qemu(bool ir);

/*
 * vtd_unit_nesting - a scalable-mode unit built by hand (no registers behind it): both stages
 * and nesting (SMTS, FSTS, SSTS, NEST), MGAW 48, SAGAW 39 and 48, 2 MiB and 1 GiB second-stage
 * pages, 16-bit DIDs, 20-bit PASIDs; nothing else. A test sets what else its unit has.
 */
struct vtd_caps vtd_unit_nesting(void);

#endif
