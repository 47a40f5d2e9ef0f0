// SPDX-License-Identifier: MIT
/*
 * The software VT-d walker (iommu/vtd/vtd_walk.c) in scalable mode against tables in a fake
 * physical memory (the arena of tests/unit/vtd_fixture.h) whose addresses are not host
 * pointers, read only through the walker's table callback. Root, context, PASID directory and
 * PASID table entries are built with the encoders of vtd_entries.h; paging entries are written
 * by hand, each with its bit arithmetic in a comment (second stage: R = bit 0, W = bit 1,
 * PS = bit 7; first stage: P = bit 0, R/W = bit 1, U/S = bit 2, PS = bit 7).
 *
 * Covered: scalable mode through RID_PASID to a second stage, a first stage with 4 and 5
 * levels, pass-through and nested translation (first-stage tables at guest-physical addresses
 * translated by the second stage); each not-present level with its own reason; reserved bits;
 * supervisor requests and the first stage's permissions. Legacy mode: test_vtd_walk.c.
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

/* ---- Scalable mode ---- */

struct sm {
	uint64_t root, dir, ss;
};

/* Device 00:04.0 in scalable mode: context entry with @rid_pasid / @flags, PDTS 0. */
static void sm_setup(struct sm *s, uint32_t rid_pasid, uint32_t flags)
{
	struct vtd_sm_context_config cfg = { .rid_pasid = rid_pasid, .flags = flags };

	s->root = vtd_fx_alloc_page();
	s->dir = vtd_fx_alloc_page();
	cfg.pasid_dir = s->dir;
	vtd_fx_sm_dev(s->root, 0, 0x20, &cfg);
}

/* A second-stage PASID entry (DID 3, AW 48) for @pasid with its own empty table. */
static void sm_ss_pasid(struct sm *s, uint32_t pasid, uint32_t flags)
{
	struct vtd_pasid_entry_config cfg = {
		.pgtt = VTD_PGTT_SS,
		.did = 3,
		.aw = VTD_AW_48,
		.flags = flags,
	};

	s->ss = vtd_fx_alloc_page();
	cfg.ss_root = s->ss;
	vtd_fx_pasid(s->dir, pasid, &cfg);
}

static void test_sm_ss_rid_pasid(void **state)
{
	uint64_t iova = (1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | 0x123;
	struct sm s;
	struct vtd_walk_req req;

	(void)state;
	/* RID_PASID 0x41: directory entry 1 (PASID bits 19:6), PASID table entry 1 (bits 5:0) */
	sm_setup(&s, 0x41, 0);
	sm_ss_pasid(&s, 0x41, 0);
	vtd_fx_map(VTD_FX_SS, s.ss, 4, iova, 1, 0x123456000ull | SS_RW);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R | VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x123456123ull);
	assert_int_equal(vtd_wfx.res.did, 3);
	assert_int_equal(vtd_wfx.res.pgtt, VTD_PGTT_SS);
	assert_int_equal(vtd_wfx.res.pasid, 0x41);
	assert_int_equal(vtd_wfx.res.perms, VTD_WALK_R | VTD_WALK_W | VTD_WALK_X); /* X: no SSEE */

	assert_int_equal(vtd_wfx.res.nsteps, 4 + 4);
	assert_int_equal(vtd_wfx.steps[1].what, VTD_WS_CONTEXT);
	assert_int_equal(vtd_wfx.steps[1].nwords, 4);
	assert_int_equal(vtd_wfx.steps[1].addr,
			 (vtd_wfx.steps[0].val[0] & ADDR) + (0x20 & 0x7f) * 32);
	assert_int_equal(vtd_wfx.steps[2].what, VTD_WS_PASID_DIR);
	assert_int_equal(vtd_wfx.steps[2].addr, s.dir + 1 * 8);
	assert_int_equal(vtd_wfx.steps[3].what, VTD_WS_PASID);
	assert_int_equal(vtd_wfx.steps[3].nwords, 8);
	assert_int_equal(vtd_wfx.steps[3].addr, (vtd_wfx.steps[2].val[0] & ADDR) + 1 * 64);
	assert_int_equal(vtd_wfx.steps[4].what, VTD_WS_SS);
	assert_int_equal(vtd_wfx.steps[4].level, 4);
}

static void test_sm_ss_faults(void **state)
{
	uint64_t iova = (2ull << 30) | (5ull << 12);
	struct sm s;
	struct vtd_walk_req req;

	(void)state;
	sm_setup(&s, 0, 0);
	sm_ss_pasid(&s, 0, 0);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R);

	/* Each paging level not present: 79h (SSL.2) in scalable mode. */
	for (unsigned int l = 4; l >= 1; l--) {
		if (l < 4)
			vtd_fx_map(VTD_FX_SS, s.ss, 4, iova, l + 1, vtd_fx_alloc_page() | SS_RW);
		vtd_wfx_expect_fault(&req, VTD_FR_SM_SS_PERM, VTD_WS_SS, l);
	}
	vtd_fx_map(VTD_FX_SS, s.ss, 4, iova, 1, 0x77000ull | SS_R); /* read-only page */
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	req.access = VTD_WALK_W;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NO_WRITE, VTD_WS_SS, 1);
	*vtd_fx_entry_at(s.ss, 4, iova, 1) = 0x77000ull | SS_W; /* write-only page */
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	req.access = VTD_WALK_R;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NO_READ, VTD_WS_SS, 1);

	*vtd_fx_entry_at(s.ss, 4, iova, 3) |= SS_11; /* reserved in a non-leaf entry */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_SS_RSVD, VTD_WS_SS, 3);
	*vtd_fx_entry_at(s.ss, 4, iova, 3) &= ~SS_11;

	req.iova = 1ull << 48; /* beyond AW 48 (SGN.4) */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_ADDR_BEYOND_MAX, VTD_WS_NONE, 0);

	req.iova = iova;
	*vtd_fx_entry_at(s.ss, 4, iova, 4) =
		VTD_FX_OUTSIDE | SS_RW; /* lower table outside: SSL.1 */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_SS_ACCESS, VTD_WS_SS, 3);
	vtd_fx_pasid_slot(s.dir, 0)->val[0] =
		(vtd_fx_pasid_slot(s.dir, 0)->val[0] & ~ADDR) | VTD_FX_OUTSIDE;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_SSPTPTR, VTD_WS_SS, 4); /* SSPTPTR outside: SSL.4 */
}

static void test_sm_not_present(void **state)
{
	struct sm s;
	struct vtd_walk_req req;
	struct vtd_sm_context_config cfg = { .flags = VTD_SMCE_FLAG_PASIDE };

	(void)state;
	sm_setup(&s, 0, VTD_SMCE_FLAG_PASIDE);
	sm_ss_pasid(&s, 0, 0);
	vtd_fx_map(VTD_FX_SS, s.ss, 4, 0, 1, 0x1000ull | SS_RW);

	req = vtd_wfx_sm_req(s.root, 2, 0x20, 0, VTD_WALK_R); /* bus 2: no root entry */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_ROOT_NOT_PRESENT, VTD_WS_ROOT, 0);
	req = vtd_wfx_sm_req(s.root, 0, 0xa0, 0,
			     VTD_WALK_R); /* devfn 0xa0: upper half (UP) clear */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_ROOT_NOT_PRESENT, VTD_WS_ROOT, 0);
	req = vtd_wfx_sm_req(s.root, 0, 0x21, 0,
			     VTD_WALK_R); /* lower half present, entry 0x21 not */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_CTX_NOT_PRESENT, VTD_WS_CONTEXT, 0);

	req = vtd_wfx_sm_req(s.root, 0, 0x20, 0, VTD_WALK_R);
	req.has_pasid = true;
	req.pasid = 0x80; /* directory entry 2: not present */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PDIR_NOT_PRESENT, VTD_WS_PASID_DIR, 0);
	req.pasid = 0x5; /* directory entry 0 present, PASID table entry 5 not */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_NOT_PRESENT, VTD_WS_PASID, 0);
	req.pasid = 0;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	req.pasid = 128 * 64; /* PDTS 0: 128 directory entries hold PASIDs below 8192 */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_CTX_PASID_RANGE, VTD_WS_CONTEXT, 0);

	/* a request with PASID to a context entry without PASIDE */
	cfg.pasid_dir = s.dir;
	cfg.flags = 0;
	vtd_fx_sm_dev(s.root, 0, 0x28, &cfg);
	req.devfn = 0x28;
	req.pasid = 0;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_CTX_PASIDE, VTD_WS_CONTEXT, 0);
	req.has_pasid = false;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);

	vtd_wfx.caps.smts = false; /* scalable mode on a unit without ECAP.SMTS (RTA.1) */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_RTADDR_INVALID, VTD_WS_NONE, 0);
}

static void test_sm_reserved(void **state)
{
	struct sm s;
	struct vtd_walk_req req;
	struct vtd_root_entry *re;
	struct vtd_sm_context_entry *ce;
	struct vtd_pasid_dir_entry *de;
	struct vtd_pasid_entry *pe;

	(void)state;
	sm_setup(&s, 0, 0);
	sm_ss_pasid(&s, 0, 0);
	vtd_fx_map(VTD_FX_SS, s.ss, 4, 0, 1, 0x1000ull | SS_RW);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, 0, VTD_WALK_R);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	re = (struct vtd_root_entry *)vtd_fx_at(s.root);
	ce = (struct vtd_sm_context_entry *)vtd_fx_at(vtd_sm_root_entry_ctp(re, VTD_SM_ROOT_LOWER) +
						      0x20 * 32);
	de = (struct vtd_pasid_dir_entry *)vtd_fx_at(s.dir);
	pe = vtd_fx_pasid_slot(s.dir, 0);

	re->lo |= 1ull << 1; /* bits 11:1 of the lower half: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_ROOT_RSVD, VTD_WS_ROOT, 0);
	re->lo &= ~(1ull << 1);
	re->hi |= 1ull << 1; /* the upper half's reserved bit: not this request's half */
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	re->hi &= ~(1ull << 1);

	ce->val[0] |= 1ull << 5; /* bits 8:5: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_CTX_RSVD, VTD_WS_CONTEXT, 0);
	ce->val[0] &= ~(1ull << 5);
	ce->val[3] = 1; /* bits 255:192: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_CTX_RSVD, VTD_WS_CONTEXT, 0);
	ce->val[3] = 0;

	de->val |= 1ull << 2; /* bits 11:2: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PDIR_RSVD, VTD_WS_PASID_DIR, 0);
	de->val &= ~(1ull << 2);

	pe->val[0] |= 1ull << 10; /* bits 11:10: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_RSVD, VTD_WS_PASID, 0);
	pe->val[0] &= ~(1ull << 10);
	pe->val[5] = 1; /* bits 511:192: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_RSVD, VTD_WS_PASID, 0);
	pe->val[5] = 0;
	pe->val[1] |= VTD_PE_W1_CD; /* a memory-type field without ECAP.MTS: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_RSVD, VTD_WS_PASID, 0);
	pe->val[1] &= ~VTD_PE_W1_CD;
	pe->val[0] &= ~VTD_PE_W0_PGTT_MASK; /* PGTT = 000b: invalid programming (SPT.4) */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_INVALID, VTD_WS_PASID, 0);
	pe->val[0] |= FIELD_PREP(VTD_PE_W0_PGTT_MASK, VTD_PGTT_SS);
	vtd_wfx.caps.ssts = false; /* a PGTT the unit lacks */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_INVALID, VTD_WS_PASID, 0);
	vtd_wfx.caps.ssts = true;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
}

/* A first-stage PASID entry (DID 4) for RID_PASID 0 of device 00:04.0. */
static uint64_t sm_fs_setup(struct sm *s, enum vtd_fspm fspm, uint32_t ctx_flags, uint32_t pe_flags)
{
	struct vtd_pasid_entry_config cfg = {
		.pgtt = VTD_PGTT_FS,
		.did = 4,
		.fs_paging = fspm,
		.flags = pe_flags,
	};
	uint64_t fs = vtd_fx_alloc_page();

	sm_setup(s, 0, ctx_flags);
	cfg.fs_root = fs;
	vtd_fx_pasid(s->dir, 0, &cfg);
	return fs;
}

static void test_sm_fs_4level(void **state)
{
	/* PML4 1, PDPT 2, PD 3, PT 4, offset 0x456: a lower-half canonical address */
	uint64_t iova = (1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | 0x456;
	struct sm s;
	uint64_t fs;
	struct vtd_walk_req req;

	(void)state;
	fs = sm_fs_setup(&s, VTD_FSPM_4LEVEL, 0, 0);
	/* PTE: page 0x2345000 | U/S (bit 2) | R/W (bit 1) | P (bit 0) = 0x2345007 */
	vtd_fx_map(VTD_FX_FS, fs, 4, iova, 1, 0x2345000ull | FS_PRU);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R | VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x2345456ull);
	assert_int_equal(vtd_wfx.res.size, 4096);
	assert_int_equal(vtd_wfx.res.pgtt, VTD_PGTT_FS);
	assert_int_equal(vtd_wfx.res.did, 4);
	assert_int_equal(vtd_wfx.res.perms, VTD_WALK_R | VTD_WALK_W | VTD_WALK_X | VTD_WALK_U);
	assert_int_equal(vtd_wfx.res.nsteps, 4 + 4);
	assert_int_equal(vtd_wfx.steps[4].what, VTD_WS_FS);
	assert_int_equal(vtd_wfx.steps[7].val[0], 0x2345007ull);

	/* 2 MiB leaf (PDE with PS) at PD index 5: page 0x600000 | PS | U/S | R/W | P = 0x600087 */
	vtd_fx_map(VTD_FX_FS, fs, 4, 5ull << 21, 2, 0x600000ull | FS_PS | FS_PRU);
	req.iova = (5ull << 21) | 0x1234;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x601234ull);
	assert_int_equal(vtd_wfx.res.size, 2ull << 20);

	/* bit 47 set and 63:48 clear: not canonical for 4 levels (SGN.1) */
	req.iova = 1ull << 47;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NON_CANONICAL, VTD_WS_NONE, 0);
	assert_int_equal(vtd_wfx.res.nsteps, 4);
}

static void test_sm_fs_5level(void **state)
{
	/* PML5 index 1 (bits 56:48), PML4 0, PDPT 0, PD 0, PT 9 */
	uint64_t iova = (1ull << 48) | (9ull << 12) | 0x10;
	struct sm s;
	uint64_t fs;
	struct vtd_walk_req req;

	(void)state;
	fs = sm_fs_setup(&s, VTD_FSPM_5LEVEL, 0, 0);
	vtd_fx_map(VTD_FX_FS, fs, 5, iova, 1, 0x3000ull | FS_PRU);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x3010ull);
	assert_int_equal(vtd_wfx.res.nsteps, 4 + 5);
	assert_int_equal(vtd_wfx.steps[4].level, 5);

	/* 1 GiB leaf under the same PML4E: PDPT index 7 */
	vtd_fx_map(VTD_FX_FS, fs, 5, (1ull << 48) | (7ull << 30), 3,
		   0x80000000ull | FS_PS | FS_PRU);
	req.iova = (1ull << 48) | (7ull << 30) | 0x1234567;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x81234567ull);
	assert_int_equal(vtd_wfx.res.size, 1ull << 30);

	req.iova = 1ull << 56; /* bit 56 set, 63:57 clear: not canonical for 5 levels */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NON_CANONICAL, VTD_WS_NONE, 0);
	vtd_wfx.caps.fs5lp = false; /* FSPM 5-level on a unit without CAP.FS5LP */
	req.iova = iova;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_INVALID, VTD_WS_PASID, 0);
}

static void test_sm_fs_faults(void **state)
{
	uint64_t iova = (3ull << 30) | (1ull << 21) | (2ull << 12);
	struct sm s;
	uint64_t fs;
	struct vtd_walk_req req;

	(void)state;
	fs = sm_fs_setup(&s, VTD_FSPM_4LEVEL, 0, 0);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R);
	for (unsigned int l = 4; l >= 1; l--) { /* each level not present (SFL.2) */
		if (l < 4)
			vtd_fx_map(VTD_FX_FS, fs, 4, iova, l + 1, vtd_fx_alloc_page() | FS_PRU);
		vtd_wfx_expect_fault(&req, VTD_FR_SM_FS_NOT_PRESENT, VTD_WS_FS, l);
	}
	vtd_fx_map(VTD_FX_FS, fs, 4, iova, 1, 0x4000ull | FS_P | FS_US); /* read-only user page */
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.perms, VTD_WALK_R | VTD_WALK_X | VTD_WALK_U);
	req.access = VTD_WALK_W;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NO_WRITE, VTD_WS_FS, 1);

	/* U/S = 0 in the PDE: a request without PASID is a user request (RID_PRIV = 0) */
	req.access = VTD_WALK_R;
	*vtd_fx_entry_at(fs, 4, iova, 2) &= ~FS_US;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_USER_SUPERVISOR, VTD_WS_FS, 1);
	*vtd_fx_entry_at(fs, 4, iova, 2) |= FS_US;

	*vtd_fx_entry_at(fs, 4, iova, 4) |= FS_PS; /* PS in a PML4E: reserved */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_FS_RSVD, VTD_WS_FS, 4);
	*vtd_fx_entry_at(fs, 4, iova, 4) &= ~FS_PS;
	*vtd_fx_entry_at(fs, 4, iova, 1) |= 1ull << 47; /* address bit 47 above HAW 46 */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_FS_RSVD, VTD_WS_FS, 1);
	*vtd_fx_entry_at(fs, 4, iova, 1) &= ~(1ull << 47);

	*vtd_fx_entry_at(fs, 4, iova, 3) = VTD_FX_OUTSIDE | FS_PRU; /* the PD outside (SFL.1) */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_FS_ACCESS, VTD_WS_FS, 2);
	vtd_fx_pasid_slot(s.dir, 0)->val[2] =
		(vtd_fx_pasid_slot(s.dir, 0)->val[2] & ~ADDR) | VTD_FX_OUTSIDE;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_FSPTPTR, VTD_WS_FS, 4); /* FSPTPTR outside */

	/* an execute request needs ERE in the PASID entry (SPT.5) */
	req.access = VTD_WALK_R | VTD_WALK_X;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_ERE, VTD_WS_PASID, 0);
}

static void test_sm_fs_supervisor(void **state)
{
	uint64_t iova = 0x7000;
	struct sm s;
	uint64_t fs;
	struct vtd_walk_req req;

	(void)state;
	/* context: PASIDE; PASID entry without SRE */
	fs = sm_fs_setup(&s, VTD_FSPM_4LEVEL, VTD_SMCE_FLAG_PASIDE, 0);
	vtd_fx_map(VTD_FX_FS, fs, 4, iova, 1, 0x9000ull | FS_P); /* supervisor read-only page */
	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R);
	req.has_pasid = true;
	req.priv = true;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_SRE, VTD_WS_PASID, 0);
	vtd_fx_pasid_slot(s.dir, 0)->val[2] |= VTD_PE_W2_SRE;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	req.access = VTD_WALK_W; /* WPE = 0: a supervisor write ignores R/W */
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	vtd_fx_pasid_slot(s.dir, 0)->val[2] |= VTD_PE_W2_WPE;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NO_WRITE, VTD_WS_FS, 1);
	req.priv = false; /* the same page for a user request: U/S = 0 */
	req.access = VTD_WALK_R;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_USER_SUPERVISOR, VTD_WS_FS, 1);
}

static void test_sm_passthrough(void **state)
{
	struct sm s;
	struct vtd_pasid_entry_config cfg = { .pgtt = VTD_PGTT_PT, .did = 6 };
	struct vtd_walk_req req;

	(void)state;
	sm_setup(&s, 0, 0);
	vtd_fx_pasid(s.dir, 0, &cfg);
	req = vtd_wfx_sm_req(s.root, 0, 0x20, 0x123456789ull, VTD_WALK_R | VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x123456789ull);
	assert_int_equal(vtd_wfx.res.pgtt, VTD_PGTT_PT);
	assert_int_equal(vtd_wfx.res.did, 6);
	assert_int_equal(vtd_wfx.res.nsteps, 4);
}

/* Guest-physical address of an arena page in the nested tests: its offset in the arena. */
static uint64_t gpa_of(uint64_t hpa)
{
	return hpa - VTD_FX_BASE;
}

/*
 * Nested: the first-stage tables live in arena pages whose guest-physical addresses (their
 * offsets in the arena) the second stage maps back to them with 4 KiB leaves; the final
 * guest-physical page 0x40000000 maps to host page 0x70000000.
 */
static void test_sm_nested(void **state)
{
	uint64_t iova = (1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | 0x321;
	uint64_t fs_hpa[5] = { 0 }; /* [level]: the first-stage table at that level */
	struct sm s;
	struct vtd_walk_req req;

	(void)state;
	sm_setup(&s, 0, 0);
	s.ss = vtd_fx_alloc_page();
	for (unsigned int l = 4; l >= 1; l--)
		fs_hpa[l] = vtd_fx_alloc_page();
	vtd_wfx_pasid_nested(s.dir, 0, 8, VTD_AW_48, s.ss, gpa_of(fs_hpa[4]), VTD_FSPM_4LEVEL);
	/* first-stage entries hold guest-physical addresses: next table GPA | U/S | R/W | P */
	for (unsigned int l = 4; l >= 2; l--)
		vtd_fx_at(fs_hpa[l])[vtd_fx_index(iova, l)] = gpa_of(fs_hpa[l - 1]) | FS_PRU;
	vtd_fx_at(fs_hpa[1])[vtd_fx_index(iova, 1)] =
		0x40000000ull | FS_PRU; /* leaf: GPA 0x40000000 */
	/* second stage: each table's GPA -> its host page, R | W */
	for (unsigned int l = 4; l >= 1; l--)
		vtd_fx_map(VTD_FX_SS, s.ss, 4, gpa_of(fs_hpa[l]), 1, fs_hpa[l] | SS_RW);
	vtd_fx_map(VTD_FX_SS, s.ss, 4, 0x40000000ull, 1, 0x70000000ull | SS_RW);

	req = vtd_wfx_sm_req(s.root, 0, 0x20, iova, VTD_WALK_R | VTD_WALK_W);
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);
	assert_int_equal(vtd_wfx.res.pa, 0x70000321ull);
	assert_int_equal(vtd_wfx.res.size, 4096);
	assert_int_equal(vtd_wfx.res.pgtt, VTD_PGTT_NESTED);
	assert_int_equal(vtd_wfx.res.did, 8);
	/* 4 structure entries, 4 x (4 second-stage + 1 first-stage), 4 for the final address */
	assert_int_equal(vtd_wfx.res.nsteps, 4 + 4 * 5 + 4);
	assert_int_equal(vtd_wfx.steps[4].what, VTD_WS_SS_NESTED);
	assert_int_equal(vtd_wfx.steps[7].val[0], fs_hpa[4] | SS_RW);
	assert_int_equal(vtd_wfx.steps[8].what, VTD_WS_FS);
	assert_int_equal(vtd_wfx.steps[8].addr, fs_hpa[4] + vtd_fx_index(iova, 4) * 8);
	assert_int_equal(vtd_wfx.steps[27].what, VTD_WS_SS);
	assert_int_equal(vtd_wfx.steps[27].val[0], 0x70000000ull | SS_RW);

	/* the final GPA read-only in the second stage: a write faults there */
	*vtd_fx_entry_at(s.ss, 4, 0x40000000ull, 1) &= ~SS_W;
	req.access = VTD_WALK_W;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NO_WRITE, VTD_WS_SS, 1);
	req.access = VTD_WALK_R;
	*vtd_fx_entry_at(s.ss, 4, 0x40000000ull, 1) = 0; /* the final GPA unmapped */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_SS_PERM, VTD_WS_SS, 1);
	*vtd_fx_entry_at(s.ss, 4, 0x40000000ull, 1) = 0x70000000ull | SS_RW;

	/* the PD's GPA unmapped in the second stage: reading a first-stage table (76h) */
	*vtd_fx_entry_at(s.ss, 4, gpa_of(fs_hpa[2]), 1) = 0;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NEST_FS_READ, VTD_WS_SS_NESTED, 1);
	*vtd_fx_entry_at(s.ss, 4, gpa_of(fs_hpa[2]), 1) = fs_hpa[2] | SS_RW;
	/* the root table's GPA unmapped: FSPTPTR (75h) */
	*vtd_fx_entry_at(s.ss, 4, gpa_of(fs_hpa[4]), 1) = 0;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NEST_FS_ROOT_READ, VTD_WS_SS_NESTED, 1);
	*vtd_fx_entry_at(s.ss, 4, gpa_of(fs_hpa[4]), 1) = fs_hpa[4] | SS_RW;
	assert_int_equal(vtd_walk(&vtd_wfx.ctx, &req, &vtd_wfx.res), 0);

	/*
	 * A first-stage entry pointing at GPA 2^45: below HAW 46 (not a reserved bit) but beyond the
	 * second stage's input width once MGAW is 44 (min(MGAW, AW 48) = 44): 74h.
	 */
	vtd_wfx.caps.mgaw = 44;
	vtd_fx_at(fs_hpa[3])[vtd_fx_index(iova, 3)] = (1ull << 45) | FS_PRU;
	vtd_wfx_expect_fault(&req, VTD_FR_SM_NEST_FS_AW, VTD_WS_NONE, 0);
	vtd_wfx.caps.nest = false; /* nested on a unit without ECAP.NEST */
	vtd_wfx_expect_fault(&req, VTD_FR_SM_PASID_INVALID, VTD_WS_PASID, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sm_ss_rid_pasid, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_ss_faults, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_not_present, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_reserved, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_fs_4level, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_fs_5level, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_fs_faults, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_fs_supervisor, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_passthrough, vtd_wfx_reset),
		cmocka_unit_test_setup(test_sm_nested, vtd_wfx_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
