/* SPDX-License-Identifier: MIT */
/*
 * What the walker tests (test_vtd_walk.c, legacy mode; test_vtd_walk_sm.c, scalable mode)
 * share: a unit, a walk context over the arena of vtd_fixture.h, a result with step storage,
 * request builders and the fault expectation. Every failed expectation is a cmocka assertion.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_WALK_FIXTURE_H
#define SKIFF_TESTS_UNIT_VTD_WALK_FIXTURE_H

#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_walk.h"

#define VTD_WALK_FX_HAW 46u /* the host address width of the tests' unit */

/* The walker state of the running test (vtd_wfx). */
struct vtd_walk_fx {
	struct vtd_caps caps;	 /* the unit */
	struct vtd_walk_ctx ctx; /* over the arena, with @caps and VTD_WALK_FX_HAW */
	struct vtd_walk_step steps[VTD_WALK_MAX_STEPS];
	struct vtd_walk_result res; /* records into @steps */
};

extern struct vtd_walk_fx vtd_wfx;

/*
 * vtd_wfx_reset - cmocka setup: a fresh arena and vtd_wfx, whose unit is everything the walker
 * can model (the nesting unit of vtd_units.h with MGAW 57, SAGAW 39/48/57, FS1GP, FS5LP, PT,
 * RPS, SRS, ERS). Returns 0.
 */
int vtd_wfx_reset(void **state);

/* vtd_wfx_legacy_req - a legacy-mode request from @bus:@devfn for @iova with @access. */
struct vtd_walk_req vtd_wfx_legacy_req(uint64_t root, uint8_t bus, uint8_t devfn, uint64_t iova,
				       unsigned int access);

/* vtd_wfx_sm_req - the same request in scalable mode, without PASID. */
struct vtd_walk_req vtd_wfx_sm_req(uint64_t root, uint8_t bus, uint8_t devfn, uint64_t iova,
				   unsigned int access);

/* vtd_wfx_expect_fault - vtd_walk() on vtd_wfx faults with @reason at @where / @level; the
 * reason-only helper agrees. */
void vtd_wfx_expect_fault(const struct vtd_walk_req *req, int reason, enum vtd_walk_struct where,
			  unsigned int level);

/* vtd_wfx_pasid_nested - a nested PASID entry (PGTT = 011b) for @pasid under @dir: the
 * second stage at @ss_root, the guest's first stage at the guest-physical @fs_root_gpa. */
void vtd_wfx_pasid_nested(uint64_t dir, uint32_t pasid, uint16_t did, uint8_t aw, uint64_t ss_root,
			  uint64_t fs_root_gpa, enum vtd_fspm fspm);

#endif
