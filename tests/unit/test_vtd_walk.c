// SPDX-License-Identifier: MIT
/*
 * The software VT-d walker (iommu/vtd/vtd_walk.c) in legacy mode against tables in a fake physical
 * memory (the arena of tests/unit/vtd_fixture.h) whose addresses are not host pointers, read
 * only through the walker's table callback. Root, context, PASID directory and PASID table
 * entries are built with the encoders of vtd_entries.h; paging entries are written by hand, each
 * with its bit arithmetic in a comment (second stage: R = bit 0, W = bit 1, PS = bit 7; first
 * stage: P = bit 0, R/W = bit 1, U/S = bit 2, PS = bit 7).
 *
 * Covered: legacy second stage with 3 and 4 levels and 4 KiB / 2 MiB / 1 GiB leaves at offsets,
 * legacy pass-through; each not-present level with its own reason; a write to a read-only page;
 * addresses beyond the width; reserved bits; pointers outside the owned memory; the steps
 * recorded and the reason-only helper; a second stage walked on its own (vtd_walk_ss()).
 * Scalable mode: test_vtd_walk_sm.c.
 *
 * Sources: iommu/vtd/vtd_walk.c iommu/vtd/vtd_entry_fault.c iommu/vtd/vtd_entries.c iommu/vtd/vtd_caps.c tests/unit/vtd_fixture.c tests/unit/vtd_walk_fixture.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/vtd_fixture.h"
#include "tests/unit/vtd_walk_fixture.h"

#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_regs.h"
#include "iommu/vtd/vtd_walk.h"
#include "kernel/bits.h"

#define HAW VTD_WALK_FX_HAW

/* ---- Legacy mode ---- */

/* A legacy device 00:02.0 in domain 5 with a 4-level (AW 48) second stage; returns the root. */
static uint64_t legacy_setup(uint8_t aw, uint64_t *ss_root)
{
	uint64_t root = vtd_fx_alloc_page();
	struct vtd_context_config cfg = { .tt = VTD_TT_SS, .did = 5, .aw = aw };

	*ss_root = vtd_fx_alloc_page();
	cfg.ss_root = *ss_root;
	vtd_fx_legacy_dev(root, 0, 0x10, &cfg);
	return root;
}

static void test_legacy_4level_4k(void **state)
{
	/* iova: PML4 index 1 (bits 47:39), PDPT 2 (38:30), PD 3 (29:21), PT 4 (20:12), +0xabc */
	uint64_t iova = (1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | 0xabc;
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);
	/* leaf: page 0x7654321000 | W (bit 1) | R (bit 0) */
	vtd_fx_map(VTD_FX_SS, ss, 4, iova, 1, 0x7654321000ull | SS_RW);
	req = vtd_wfx_legacy_req(root, 0, 0x10, iova, VTD_WALK_R | VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x7654321abcull);
	assert_int_equal(vtd_wfx.res.size, 4096);
	assert_int_equal(vtd_wfx.res.perms, VTD_WALK_R | VTD_WALK_W);
	assert_int_equal(vtd_wfx.res.did, 5);
	assert_int_equal(vtd_wfx.res.pgtt, VTD_PGTT_SS);
	assert_int_equal(vtd_walk_fault_reason(&vtd_wfx.ctx, &req), 0);

	/* root entry, context entry, then PML4E, PDPE, PDE, PTE */
	assert_int_equal(vtd_wfx.res.nsteps, 6);
	assert_int_equal(vtd_wfx.steps[0].what, VTD_WS_ROOT);
	assert_int_equal(vtd_wfx.steps[0].addr, root); /* bus 0: entry 0 */
	assert_int_equal(vtd_wfx.steps[0].nwords, 2);
	assert_int_equal(vtd_wfx.steps[1].what, VTD_WS_CONTEXT);
	assert_int_equal(vtd_wfx.steps[1].addr, (vtd_wfx.steps[0].val[0] & ADDR) + 0x10 * 16);
	for (unsigned int l = 4; l >= 1; l--) {
		const struct vtd_walk_step *s = &vtd_wfx.steps[2 + 4 - l];

		assert_int_equal(s->what, VTD_WS_SS);
		assert_int_equal(s->level, l);
		assert_int_equal(s->addr,
				 vtd_fx_table_at(ss, 4, iova, l) + vtd_fx_index(iova, l) * 8);
		assert_int_equal(s->val[0], *vtd_fx_entry_at(ss, 4, iova, l));
	}
	assert_int_equal(vtd_wfx.steps[5].val[0], 0x7654321003ull);
}

static void test_legacy_3level_2m(void **state)
{
	/* AW 39: PDPT index 5 (bits 38:30), PD 7 (29:21), offset 0x12345 inside the 2 MiB page */
	uint64_t iova = (5ull << 30) | (7ull << 21) | 0x12345;
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_39, &ss);
	/* PDE leaf: 2 MiB page 0x40000000 | PS (bit 7) | W | R = 0x40000083 */
	vtd_fx_map(VTD_FX_SS, ss, 3, iova, 2, 0x40000000ull | SS_PS | SS_RW);
	assert_int_equal(*vtd_fx_entry_at(ss, 3, iova, 2), 0x40000083ull);
	req = vtd_wfx_legacy_req(root, 0, 0x10, iova, VTD_WALK_R);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x40012345ull);
	assert_int_equal(vtd_wfx.res.size, 2ull << 20);
	assert_int_equal(vtd_wfx.res.nsteps, 2 + 2);
	assert_int_equal(vtd_wfx.steps[3].level, 2);
}

static void test_legacy_4level_1g(void **state)
{
	/* PML4 index 0, PDPT index 3 (bits 38:30), offset 0x1234567 inside the 1 GiB page */
	uint64_t iova = (3ull << 30) | 0x1234567;
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);
	/* PDPE leaf: 1 GiB page 0x140000000 | PS | W | R = 0x140000083 */
	vtd_fx_map(VTD_FX_SS, ss, 4, iova, 3, 0x140000000ull | SS_PS | SS_RW);
	req = vtd_wfx_legacy_req(root, 0, 0x10, iova, VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x141234567ull);
	assert_int_equal(vtd_wfx.res.size, 1ull << 30);
	assert_int_equal(vtd_wfx.res.nsteps, 2 + 2);
}

static void test_legacy_passthrough(void **state)
{
	uint64_t root = vtd_fx_alloc_page();
	struct vtd_context_config cfg = { .tt = VTD_TT_PT, .did = 9, .aw = VTD_AW_57 };
	struct vtd_walk_req req;

	(void)state;
	vtd_fx_legacy_dev(root, 3, 0xf8, &cfg);
	req = vtd_wfx_legacy_req(root, 3, 0xf8, 0xdeadbeef123ull, VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0xdeadbeef123ull);
	assert_int_equal(vtd_wfx.res.pgtt, VTD_PGTT_PT);
	assert_int_equal(vtd_wfx.res.did, 9);
	assert_int_equal(vtd_wfx.res.nsteps, 2);
	assert_int_equal(vtd_wfx.steps[0].addr, root + 3 * 16);
}

static void test_legacy_not_present(void **state)
{
	uint64_t iova = (1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12);
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);

	req = vtd_wfx_legacy_req(root, 1, 0x10, iova, VTD_WALK_R); /* bus 1: no root entry */
	vtd_wfx_expect_fault(&req, VTD_FR_ROOT_NOT_PRESENT, VTD_WS_ROOT, 0);
	assert_int_equal(vtd_wfx.res.entry_addr, root + 16);
	req = vtd_wfx_legacy_req(root, 0, 0x11, iova, VTD_WALK_R); /* 00:02.1: no context entry */
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_NOT_PRESENT, VTD_WS_CONTEXT, 0);

	/* Each paging level in turn: R = W = 0 reads as the missing permission (LGN.2 / LGN.3). */
	for (unsigned int l = 4; l >= 1; l--) {
		if (l < 4)
			vtd_fx_map(VTD_FX_SS, ss, 4, iova, l + 1, vtd_fx_alloc_page() | SS_RW);
		req = vtd_wfx_legacy_req(root, 0, 0x10, iova, VTD_WALK_R);
		vtd_wfx_expect_fault(&req, VTD_FR_NO_READ, VTD_WS_SS, l);
		req.access = VTD_WALK_W;
		vtd_wfx_expect_fault(&req, VTD_FR_NO_WRITE, VTD_WS_SS, l);
		assert_int_equal(vtd_wfx.res.entry_addr,
				 vtd_fx_table_at(ss, 4, iova, l) + vtd_fx_index(iova, l) * 8);
	}
}

static void test_legacy_write_read_only(void **state)
{
	uint64_t iova = 0x5000;
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);
	vtd_fx_map(VTD_FX_SS, ss, 4, iova, 1, 0x9000ull | SS_R); /* R (bit 0) only */
	req = vtd_wfx_legacy_req(root, 0, 0x10, iova, VTD_WALK_W);
	vtd_wfx_expect_fault(&req, VTD_FR_NO_WRITE, VTD_WS_SS, 1);
	req.access = VTD_WALK_R;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.perms, VTD_WALK_R);

	/* A non-leaf entry without W takes W from every page below it (permissions AND). */
	vtd_fx_map(VTD_FX_SS, ss, 4, 0x6000, 1, 0xa000ull | SS_RW);
	*vtd_fx_entry_at(ss, 4, 0x6000, 2) &= ~SS_W;
	req = vtd_wfx_legacy_req(root, 0, 0x10, 0x6000, VTD_WALK_W);
	vtd_wfx_expect_fault(&req, VTD_FR_NO_WRITE, VTD_WS_SS, 1);
}

static void test_legacy_beyond_width(void **state)
{
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_39, &ss);
	req = vtd_wfx_legacy_req(root, 0, 0x10, 1ull << 39,
				 VTD_WALK_R); /* first address above 2^39 - 1 */
	vtd_wfx_expect_fault(&req, VTD_FR_ADDR_BEYOND_AW, VTD_WS_NONE, 0);
	assert_int_equal(vtd_wfx.res.nsteps, 2);

	/* MGAW below the AW's width wins: MGAW 40 with AW 48 */
	vtd_wfx.caps.mgaw = 40;
	root = legacy_setup(VTD_AW_48, &ss);
	req = vtd_wfx_legacy_req(root, 0, 0x10, 1ull << 40, VTD_WALK_R);
	vtd_wfx_expect_fault(&req, VTD_FR_ADDR_BEYOND_AW, VTD_WS_NONE, 0);
}

static void test_legacy_reserved(void **state)
{
	uint64_t iova = 0x40201000; /* PDPT 1, PD 1, PT 1 */
	uint64_t ss, root;
	struct vtd_walk_req req = { 0 };
	struct vtd_root_entry *re;
	struct vtd_context_entry *ce;

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);
	vtd_fx_map(VTD_FX_SS, ss, 4, iova, 1, 0x8000ull | SS_RW);
	req = vtd_wfx_legacy_req(root, 0, 0x10, iova, VTD_WALK_R);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	re = (struct vtd_root_entry *)vtd_fx_at(root);
	ce = (struct vtd_context_entry *)vtd_fx_at(vtd_root_entry_ctp(re) + 0x10 * 16);

	re->hi |= 1; /* bit 64: reserved in a legacy root entry */
	vtd_wfx_expect_fault(&req, VTD_FR_ROOT_RSVD, VTD_WS_ROOT, 0);
	re->hi = 0;
	re->lo |= 1ull << HAW; /* CTP bit 46 with HAW 46: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_ROOT_RSVD, VTD_WS_ROOT, 0);
	re->lo &= ~(1ull << HAW);

	ce->lo |= 1ull << 4; /* bit 4: reserved (11:4) */
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_RSVD, VTD_WS_CONTEXT, 0);
	ce->lo &= ~(1ull << 4);
	ce->lo |= 3ull << 2; /* TT = 11b: reserved value, invalid programming (LCT.4) */
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_INVALID, VTD_WS_CONTEXT, 0);
	ce->lo &= ~(3ull << 2);

	*vtd_fx_entry_at(ss, 4, iova, 3) |=
		SS_11; /* SS-PDPE bit 11: reserved in a non-leaf entry */
	vtd_wfx_expect_fault(&req, VTD_FR_SS_RSVD, VTD_WS_SS, 3);
	*vtd_fx_entry_at(ss, 4, iova, 3) &= ~SS_11;
	*vtd_fx_entry_at(ss, 4, iova, 1) |= 1ull << 50; /* leaf address bit 50, above HAW 46 */
	vtd_wfx_expect_fault(&req, VTD_FR_SS_RSVD, VTD_WS_SS, 1);
	*vtd_fx_entry_at(ss, 4, iova, 1) &= ~(1ull << 50);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);

	/* PS in an SS-PDE on a unit without 2 MiB pages (CAP.SLLPS bit 0 clear): reserved */
	vtd_wfx.caps.sllps = 0;
	vtd_fx_map(VTD_FX_SS, ss, 4, 0x40000000ull * 3, 2, 0x200000ull | SS_PS | SS_RW);
	req.iova = 0x40000000ull * 3;
	vtd_wfx_expect_fault(&req, VTD_FR_SS_RSVD, VTD_WS_SS, 2);
}

static void test_legacy_invalid_aw(void **state)
{
	uint64_t ss, root;
	struct vtd_walk_req req;

	(void)state;
	root = legacy_setup(VTD_AW_39, &ss);
	vtd_wfx.caps.sagaw = VTD_SAGAW_48; /* the entry's AW 39 is not in SAGAW */
	req = vtd_wfx_legacy_req(root, 0, 0x10, 0, VTD_WALK_R);
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_INVALID, VTD_WS_CONTEXT, 0);
	vtd_wfx.caps.sagaw = VTD_SAGAW_39;
	vtd_wfx.caps.pt = false;
	((struct vtd_context_entry *)vtd_fx_at(vtd_root_entry_ctp((void *)vtd_fx_at(root)) +
					       0x10 * 16))
		->lo |= (uint64_t)VTD_TT_PT << 2; /* TT = 10b on a unit without ECAP.PT */
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_INVALID, VTD_WS_CONTEXT, 0);
}

static void test_legacy_outside_owned(void **state)
{
	uint64_t iova = (1ull << 39) | (2ull << 30);
	uint64_t ss, root;
	struct vtd_walk_req req;
	struct vtd_root_entry *re;
	struct vtd_context_entry *ce;
	uint64_t ctp;

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);
	vtd_fx_map(VTD_FX_SS, ss, 4, iova, 1, 0x8000ull | SS_RW);
	re = (struct vtd_root_entry *)vtd_fx_at(root);
	ctp = vtd_root_entry_ctp(re);
	ce = (struct vtd_context_entry *)vtd_fx_at(ctp + 0x10 * 16);

	req = vtd_wfx_legacy_req(VTD_FX_OUTSIDE, 0, 0x10, iova,
				 VTD_WALK_R); /* root table (LRT.1) */
	vtd_wfx_expect_fault(&req, VTD_FR_ROOT_ACCESS, VTD_WS_ROOT, 0);
	assert_int_equal(vtd_wfx.res.nsteps, 0);

	req.root = root;
	re->lo = (re->lo & ~ADDR) | VTD_FX_OUTSIDE; /* context table (LCT.1) */
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_ACCESS, VTD_WS_CONTEXT, 0);
	re->lo = (re->lo & ~ADDR) | ctp;

	ce->lo = (ce->lo & ~ADDR) | VTD_FX_OUTSIDE; /* SLPTPTR: LCT.4.3, invalid context entry */
	vtd_wfx_expect_fault(&req, VTD_FR_CTX_INVALID, VTD_WS_SS, 4);
	ce->lo = (ce->lo & ~ADDR) | ss;

	*vtd_fx_entry_at(ss, 4, iova, 4) = VTD_FX_OUTSIDE | SS_RW; /* the PDPT: LSL.1 */
	vtd_wfx_expect_fault(&req, VTD_FR_SS_ACCESS, VTD_WS_SS, 3);
	assert_int_equal(vtd_wfx.res.entry_addr, VTD_FX_OUTSIDE + 2 * 8);
}

static void test_legacy_misc(void **state)
{
	uint64_t ss, root;
	struct vtd_walk_req req;
	struct vtd_context_config cfg = { .tt = VTD_TT_SS, .did = 7, .aw = VTD_AW_48, .fpd = true };

	(void)state;
	root = legacy_setup(VTD_AW_48, &ss);
	vtd_fx_map(VTD_FX_SS, ss, 4, 0x1000, 1,
		   0xfee00000ull | SS_RW); /* output in the interrupt range */
	req = vtd_wfx_legacy_req(root, 0, 0x10, 0x1000, VTD_WALK_R);
	vtd_wfx_expect_fault(&req, VTD_FR_INTR_ADDR, VTD_WS_SS, 1);
	assert_false(vtd_wfx.res.fpd);

	req.has_pasid = true; /* a request with PASID in legacy mode (RTA.2) */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_TTM_PASID, VTD_WS_NONE, 0);

	cfg.ss_root = vtd_fx_alloc_page(); /* 00:03.0, FPD = 1, empty table */
	vtd_fx_legacy_dev(root, 0, 0x18, &cfg);
	req = vtd_wfx_legacy_req(root, 0, 0x18, 0x1000, VTD_WALK_W);
	vtd_wfx_expect_fault(&req, VTD_FR_NO_WRITE, VTD_WS_SS, 4);
	assert_true(vtd_wfx.res.fpd);

	/* Bad arguments; steps beyond max_steps are counted, not stored. */
	req.access = 0;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), -EINVAL);
	req.access = 0x10;
	assert_int_equal(vtd_walk_fault_reason(&vtd_wfx.ctx, &req), -EINVAL);
	req.access = VTD_WALK_R;
	vtd_wfx.ctx.caps = NULL;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), -EINVAL);
	vtd_wfx.ctx.caps = &vtd_wfx.caps;
	vtd_wfx.res.max_steps = 1;
	vtd_wfx.steps[1].what = VTD_WS_NONE;
	vtd_wfx_expect_fault(&req, VTD_FR_NO_READ, VTD_WS_SS, 4);
	assert_int_equal(vtd_wfx.res.nsteps, 3);
	assert_int_equal(vtd_wfx.steps[1].what, VTD_WS_NONE);
}

static void test_walk_ss_only(void **state)
{
	uint64_t ss;
	struct vtd_walk_ss_req sreq;

	(void)state;
	ss = vtd_fx_alloc_page();
	vtd_fx_map(VTD_FX_SS, ss, 3, 0x3000, 1, 0x5000ull | SS_R);
	sreq = (struct vtd_walk_ss_req){
		.root = ss,
		.levels = 3,
		.width = 39,
		.iova = 0x3abc,
		.access = VTD_WALK_R,
	};
	assert_int_equal(vtd_walk_ss(&vtd_wfx.ctx, &sreq, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x5abcull);
	assert_int_equal(vtd_wfx.res.perms, VTD_WALK_R);
	sreq.access = VTD_WALK_W;
	assert_int_equal(vtd_walk_ss(&vtd_wfx.ctx, &sreq, &vtd_wfx.res), -EFAULT);
	assert_int_equal(vtd_wfx.res.reason, VTD_FR_NO_WRITE);
	sreq.scalable = true;
	assert_int_equal(vtd_walk_ss(&vtd_wfx.ctx, &sreq, &vtd_wfx.res), -EFAULT);
	assert_int_equal(vtd_wfx.res.reason, VTD_FR_SM_NO_WRITE);
	sreq.use = VTD_WALK_SS_FS_TABLE; /* the same fault reading a nested first-stage table */
	sreq.access = VTD_WALK_R;
	sreq.iova = 0x4000;
	assert_int_equal(vtd_walk_ss(&vtd_wfx.ctx, &sreq, &vtd_wfx.res), -EFAULT);
	assert_int_equal(vtd_wfx.res.reason, VTD_FR_SM_NEST_FS_READ);
	sreq.levels = 2;
	assert_int_equal(vtd_walk_ss(&vtd_wfx.ctx, &sreq, &vtd_wfx.res), -EINVAL);
	assert_string_equal(vtd_walk_struct_name(VTD_WS_PASID_DIR), "PASID directory entry");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_legacy_4level_4k, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_3level_2m, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_4level_1g, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_passthrough, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_not_present, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_write_read_only, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_beyond_width, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_reserved, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_invalid_aw, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_outside_owned, vtd_wfx_reset),
		cmocka_unit_test_setup(test_legacy_misc, vtd_wfx_reset),
		cmocka_unit_test_setup(test_walk_ss_only, vtd_wfx_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
