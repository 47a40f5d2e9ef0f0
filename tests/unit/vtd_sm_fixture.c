// SPDX-License-Identifier: MIT
/* Scalable-mode structures for host tests: see vtd_sm_fixture.h. */
#include "tests/unit/vtd_sm_fixture.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#define ROOT_ENTRY_BYTES      16ull /* 9.2 */
#define SM_CONTEXT_BYTES      32ull /* 9.4 */
#define PASID_DIR_ENTRY_BYTES 8ull  /* 9.5 */
#define PASID_ENTRY_BYTES     64ull /* 9.6 */

void vtd_sm_fixture_dev(const struct vtd_sm_fixture *f, uint64_t root, uint8_t bus, uint8_t devfn,
			const struct vtd_sm_context_config *cfg)
{
	struct vtd_root_entry *re = (struct vtd_root_entry *)f->at(root + bus * ROOT_ENTRY_BYTES);
	enum vtd_sm_root_half half = vtd_sm_root_half(devfn);
	struct vtd_sm_context_entry *ce;

	if (!vtd_sm_root_entry_present(re, half)) {
		bool lp = vtd_sm_root_entry_present(re, VTD_SM_ROOT_LOWER);
		bool up = vtd_sm_root_entry_present(re, VTD_SM_ROOT_UPPER);
		uint64_t ct = f->alloc_page();
		uint64_t lctp = half == VTD_SM_ROOT_LOWER ?
					ct :
					vtd_sm_root_entry_ctp(re, VTD_SM_ROOT_LOWER);
		uint64_t uctp = half == VTD_SM_ROOT_UPPER ?
					ct :
					vtd_sm_root_entry_ctp(re, VTD_SM_ROOT_UPPER);
		struct vtd_root_entry tmp;

		assert_int_equal(vtd_sm_root_entry_encode(lctp, uctp, &tmp), 0);
		*re = tmp;
		if (lp || half == VTD_SM_ROOT_LOWER)
			vtd_sm_root_entry_set_present(re, VTD_SM_ROOT_LOWER);
		if (up || half == VTD_SM_ROOT_UPPER)
			vtd_sm_root_entry_set_present(re, VTD_SM_ROOT_UPPER);
	}
	ce = (struct vtd_sm_context_entry *)f->at(vtd_sm_root_entry_ctp(re, half) +
						  vtd_sm_context_index(devfn) * SM_CONTEXT_BYTES);
	assert_int_equal(vtd_sm_context_entry_encode(cfg, ce), 0);
	vtd_sm_context_entry_set_present(ce);
}

struct vtd_pasid_entry *vtd_sm_fixture_pasid_slot(const struct vtd_sm_fixture *f, uint64_t dir,
						  uint32_t pasid)
{
	struct vtd_pasid_dir_entry *de = (struct vtd_pasid_dir_entry *)f->at(
		dir + vtd_pasid_dir_index(pasid) * PASID_DIR_ENTRY_BYTES);

	if (!vtd_pasid_dir_entry_present(de)) {
		struct vtd_pasid_dir_entry tmp;

		assert_int_equal(vtd_pasid_dir_entry_encode(f->alloc_page(), false, &tmp), 0);
		*de = tmp;
		vtd_pasid_dir_entry_set_present(de);
	}
	return (struct vtd_pasid_entry *)f->at(vtd_pasid_dir_entry_table(de) +
					       vtd_pasid_table_index(pasid) * PASID_ENTRY_BYTES);
}

void vtd_sm_fixture_pasid(const struct vtd_sm_fixture *f, uint64_t dir, uint32_t pasid,
			  const struct vtd_pasid_entry_config *cfg)
{
	struct vtd_pasid_entry *pe = vtd_sm_fixture_pasid_slot(f, dir, pasid);

	assert_int_equal(vtd_pasid_entry_encode(cfg, pe), 0);
	vtd_pasid_entry_set_present(pe);
}
