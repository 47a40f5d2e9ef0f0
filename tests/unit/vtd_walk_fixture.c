// SPDX-License-Identifier: MIT
/* The walker tests' shared state and helpers: see vtd_walk_fixture.h. */
#include "tests/unit/vtd_walk_fixture.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_regs.h"
#include "tests/unit/vtd_fixture.h"
#include "tests/unit/vtd_units.h"

struct vtd_walk_fx vtd_wfx;

int vtd_wfx_reset(void **state)
{
	struct vtd_walk_fx *w = &vtd_wfx;

	(void)state;
	vtd_fx_reset();
	*w = (struct vtd_walk_fx){ .caps = vtd_unit_nesting() };
	w->caps.mgaw = 57;
	w->caps.sagaw |= VTD_SAGAW_57;
	w->caps.fs1gp = true;
	w->caps.fs5lp = true;
	w->caps.pt = true;
	w->caps.rps = true;
	w->caps.srs = true;
	w->caps.ers = true;
	w->ctx = (struct vtd_walk_ctx){ .table = vtd_fx_table,
					.caps = &w->caps,
					.haw = VTD_WALK_FX_HAW };
	w->res = (struct vtd_walk_result){ .steps = w->steps, .max_steps = VTD_WALK_MAX_STEPS };
	return 0;
}

struct vtd_walk_req vtd_wfx_legacy_req(uint64_t root, uint8_t bus, uint8_t devfn, uint64_t iova,
				       unsigned int access)
{
	return (struct vtd_walk_req){
		.mode = VTD_WALK_LEGACY,
		.root = root,
		.bus = bus,
		.devfn = devfn,
		.iova = iova,
		.access = access,
	};
}

struct vtd_walk_req vtd_wfx_sm_req(uint64_t root, uint8_t bus, uint8_t devfn, uint64_t iova,
				   unsigned int access)
{
	struct vtd_walk_req r = vtd_wfx_legacy_req(root, bus, devfn, iova, access);

	r.mode = VTD_WALK_SCALABLE;
	return r;
}

void vtd_wfx_expect_fault(const struct vtd_walk_req *req, int reason, enum vtd_walk_struct where,
			  unsigned int level)
{
	struct vtd_walk_fx *w = &vtd_wfx;

	assert_int_equal(vtd_walk(&w->ctx, req, &w->res), -EFAULT);
	assert_int_equal(w->res.reason, reason);
	assert_int_equal(w->res.where, where);
	assert_int_equal(w->res.level, level);
	assert_int_equal(vtd_walk_fault_reason(&w->ctx, req), reason);
}

void vtd_wfx_pasid_nested(uint64_t dir, uint32_t pasid, uint16_t did, uint8_t aw, uint64_t ss_root,
			  uint64_t fs_root_gpa, enum vtd_fspm fspm)
{
	const struct vtd_pasid_entry_config cfg = {
		.pgtt = VTD_PGTT_NESTED,
		.did = did,
		.aw = aw,
		.ss_root = ss_root,
		.fs_root = fs_root_gpa,
		.fs_paging = fspm,
	};

	vtd_fx_pasid(dir, pasid, &cfg);
}
