/* SPDX-License-Identifier: MIT */
/*
 * Scalable-mode translation structures for host tests (VT-d 9.2 root, 9.4 context, 9.5 PASID
 * directory, 9.6 PASID table entries), built with the encoders of iommu/vtd/vtd_entries.h in a
 * test's own arena of fake "physical" pages. Shared by the walker and audit tests.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_SM_FIXTURE_H
#define SKIFF_TESTS_UNIT_VTD_SM_FIXTURE_H

#include <stdint.h>

#include "iommu/vtd/vtd_entries.h"

/* The test's table memory: where the page at @pa is, and a fresh zeroed page. */
struct vtd_sm_fixture {
	uint64_t *(*at)(uint64_t pa);
	uint64_t (*alloc_page)(void);
};

/*
 * vtd_sm_fixture_dev - a present scalable-mode context entry @cfg for @bus:@devfn under the root
 * table at @root, creating the context table of that root-entry half when it is missing (the
 * other half is kept).
 */
void vtd_sm_fixture_dev(const struct vtd_sm_fixture *f, uint64_t root, uint8_t bus, uint8_t devfn,
			const struct vtd_sm_context_config *cfg);

/* vtd_sm_fixture_pasid_slot - the PASID table entry of @pasid under the directory at @dir
 * (the PASID table is created and its directory entry made present when missing). */
struct vtd_pasid_entry *vtd_sm_fixture_pasid_slot(const struct vtd_sm_fixture *f, uint64_t dir,
						  uint32_t pasid);

/* vtd_sm_fixture_pasid - encode @cfg into @pasid's slot and set it present. */
void vtd_sm_fixture_pasid(const struct vtd_sm_fixture *f, uint64_t dir, uint32_t pasid,
			  const struct vtd_pasid_entry_config *cfg);

#endif
