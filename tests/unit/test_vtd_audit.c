// SPDX-License-Identifier: MIT
/*
 * The table audit (iommu/vtd/vtd_audit.c) on tables built in a fake physical memory (the arena
 * of tests/unit/vtd_fixture.h, whose addresses are not host pointers). Root, context, PASID
 * directory and PASID table entries come from the encoders of vtd_entries.h; paging entries are
 * written by hand (second stage: R = bit 0, W = bit 1, PS = bit 7; first stage: P = bit 0,
 * R/W = bit 1, U/S = bit 2, PS = bit 7).
 *
 * Two clean configurations, one legacy (two devices sharing a domain, a second domain with a
 * 3-level table and a 2 MiB leaf, a pass-through device) and one scalable (second stage through
 * RID_PASID, a first stage with an upper-half address, a nested PASID whose first-stage tables
 * are guest physical, pass-through, a device in the upper root half), audit with 0 violations.
 * Then each planted violation - reserved bit, non-leaf entry without W / U/S, pointer outside
 * owned memory, leaf the domain did not ask for, loop, table shared between domains or
 * structures, nested table the second stage does not translate, a nested first-stage table in
 * read-only memory, a read-only leaf of a nesting parent under SPR17 (also when the parent's
 * table was audited before as a plain second stage), the budget - is found exactly once, with
 * the details a report needs.
 *
 * Sources: iommu/vtd/vtd_audit.c iommu/vtd/vtd_walk.c iommu/vtd/vtd_entries.c iommu/vtd/vtd_entry_fault.c tests/unit/vtd_fixture.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/vtd_fixture.h"

#include "iommu/vtd/vtd_audit.h"
#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"
#include "tests/unit/vtd_units.h"

#define PAGE 4096ull
#define HAW  46u

#define RW (VTD_WALK_R | VTD_WALK_W)

static struct vtd_caps caps;

/* What the domains asked for: leaf_allowed() accepts exactly these. */
struct want {
	uint16_t did;
	uint64_t iova, pa, size;
	unsigned int perms;
};
static struct want wants[32];
static unsigned int nwants;
static unsigned int leaf_calls;

/* What the audit reported. */
static struct vtd_audit_violation found[16];
static unsigned int nfound;
static struct vtd_audit_seen seen[256];
static struct vtd_audit_cfg cfg;

static bool leaf_allowed(void *arg, uint16_t did, uint64_t iova, uint64_t pa, uint64_t size,
			 unsigned int perms)
{
	(void)arg;
	leaf_calls++;
	for (unsigned int i = 0; i < nwants; i++)
		if (wants[i].did == did && wants[i].iova == iova && wants[i].pa == pa &&
		    wants[i].size == size && wants[i].perms == perms)
			return true;
	return false;
}

static void report(void *arg, const struct vtd_audit_violation *v)
{
	(void)arg;
	if (nfound < sizeof(found) / sizeof(found[0]))
		found[nfound] = *v;
	nfound++;
}

static const struct vtd_audit_ops ops = {
	.table = vtd_fx_table,
	.owned = vtd_fx_owned,
	.leaf_allowed = leaf_allowed,
	.report = report,
};

static void want(uint16_t did, uint64_t iova, uint64_t pa, uint64_t size, unsigned int perms)
{
	assert_true(nwants < sizeof(wants) / sizeof(wants[0]));
	wants[nwants++] = (struct want){ did, iova, pa, size, perms };
}

static int reset(void **state)
{
	(void)state;
	nwants = 0;
	nfound = 0;
	vtd_fx_reset();
	memset(found, 0, sizeof(found));
	caps = vtd_unit_nesting();
	caps.pt = true;
	caps.rps = true;
	cfg = (struct vtd_audit_cfg){
		.caps = &caps,
		.haw = HAW,
		.seen = seen,
		.seen_cap = sizeof(seen) / sizeof(seen[0]),
	};
	return 0;
}

static long audit(void)
{
	nfound = 0;
	leaf_calls = 0;
	return vtd_audit(&cfg, &ops);
}

/* The audit reports exactly one violation, of @rule. */
static const struct vtd_audit_violation *expect_one(enum vtd_audit_rule rule)
{
	assert_int_equal(audit(), 1);
	assert_int_equal(nfound, 1);
	assert_int_equal(found[0].rule, rule);
	return &found[0];
}

/* ---- Legacy configuration ---- */

struct legacy {
	uint64_t root, ss1, ss2;
};

/*
 * Domain 1 (AW 48): devices 00:01.0 and 00:02.0, 4 KiB pages 0x1000 -> 0x80001000 (R/W) and
 * 0x200000 -> 0x9000 (R), a 1 GiB page at 1 GiB -> 4 GiB (R/W).
 * Domain 2 (AW 39): device 00:03.0, a 2 MiB page at 4 MiB -> 0xc0000000 (R/W).
 * Device 01:00.0: pass-through.
 */
static void legacy_build(struct legacy *l)
{
	struct vtd_context_config c1 = { .tt = VTD_TT_SS, .did = 1, .aw = VTD_AW_48 };
	struct vtd_context_config c2 = { .tt = VTD_TT_SS, .did = 2, .aw = VTD_AW_39 };
	struct vtd_context_config pt = { .tt = VTD_TT_PT, .did = 9, .aw = VTD_AW_48 };

	l->root = vtd_fx_alloc_page();
	l->ss1 = vtd_fx_alloc_page();
	l->ss2 = vtd_fx_alloc_page();
	c1.ss_root = l->ss1;
	c2.ss_root = l->ss2;
	vtd_fx_legacy_dev(l->root, 0, 0x08, &c1);
	vtd_fx_legacy_dev(l->root, 0, 0x10, &c1);
	vtd_fx_legacy_dev(l->root, 0, 0x18, &c2);
	vtd_fx_legacy_dev(l->root, 1, 0x00, &pt);

	vtd_fx_map(VTD_FX_SS, l->ss1, 4, 0x1000, 1, 0x80001000ull | SS_RW);
	want(1, 0x1000, 0x80001000ull, PAGE, RW);
	vtd_fx_map(VTD_FX_SS, l->ss1, 4, 0x200000, 1, 0x9000ull | SS_R);
	want(1, 0x200000, 0x9000, PAGE, VTD_WALK_R);
	/* PDPE leaf: 4 GiB | PS (bit 7) | W | R = 0x100000083 */
	vtd_fx_map(VTD_FX_SS, l->ss1, 4, 1ull << 30, 3, 0x100000000ull | SS_PS | SS_RW);
	want(1, 1ull << 30, 0x100000000ull, 1ull << 30, RW);
	/* PDE leaf: 0xc0000000 | PS | W | R = 0xc0000083 */
	vtd_fx_map(VTD_FX_SS, l->ss2, 3, 4ull << 20, 2, 0xc0000000ull | SS_PS | SS_RW);
	want(2, 4ull << 20, 0xc0000000ull, 2ull << 20, RW);

	cfg.mode = VTD_WALK_LEGACY;
	cfg.root = l->root;
}

static void test_legacy_clean(void **state)
{
	struct legacy l;

	(void)state;
	legacy_build(&l);
	assert_int_equal(audit(), 0);
	assert_int_equal(nfound, 0);
	assert_int_equal(leaf_calls, 4); /* domain 1 is audited once for its two devices */

	/*
	 * An alias inside domain 1: PDE 5 points at the page table PDE 0 uses, so IOVA 0xa01000
	 * also maps 0x80001000. Allowed (same domain), and audited again at the new address.
	 */
	vtd_fx_at(vtd_fx_table_at(l.ss1, 4, 0x1000, 2))[5] =
		vtd_fx_table_at(l.ss1, 4, 0x1000, 1) | SS_RW;
	want(1, (5ull << 21) | 0x1000, 0x80001000ull, PAGE, RW);
	assert_int_equal(audit(), 0);
	assert_int_equal(leaf_calls, 5);

	/* without leaf_allowed(), leaves must be owned: 0x80001000 etc. are not */
	{
		struct vtd_audit_ops no_leaf = ops;

		no_leaf.leaf_allowed = NULL;
		nfound = 0;
		assert_int_equal(vtd_audit(&cfg, &no_leaf), 5);
		assert_int_equal(found[0].rule, VTD_AUDIT_NOT_OWNED);
	}
	/* without seen storage the clean tables stay clean */
	cfg.seen = NULL;
	assert_int_equal(audit(), 0);
}

static void test_legacy_reserved(void **state)
{
	struct legacy l;
	const struct vtd_audit_violation *v;

	(void)state;
	legacy_build(&l);
	*vtd_fx_entry_at(l.ss1, 4, 0x1000, 3) |= SS_11; /* bit 11 of an SS-PDPE: reserved */
	v = expect_one(VTD_AUDIT_RESERVED);
	assert_int_equal(v->reason, VTD_FR_SS_RSVD);
	assert_int_equal(v->what, VTD_WS_SS);
	assert_int_equal(v->level, 3);
	assert_int_equal(v->did, 1);
	assert_int_equal(v->addr, vtd_fx_table_at(l.ss1, 4, 0x1000, 3));
	assert_int_equal(v->val[0] & SS_11, SS_11);
	*vtd_fx_entry_at(l.ss1, 4, 0x1000, 3) &= ~SS_11;

	/* a 2 MiB leaf with address bit 12 set (below its size): reserved, address unchanged */
	*vtd_fx_entry_at(l.ss2, 3, 4ull << 20, 2) |= 1ull << 12;
	v = expect_one(VTD_AUDIT_RESERVED);
	assert_int_equal(v->level, 2);
	assert_int_equal(v->iova, 4ull << 20);
	*vtd_fx_entry_at(l.ss2, 3, 4ull << 20, 2) &= ~(1ull << 12);

	/* the context entry of 00:03.0: bit 4 reserved (LCT.3) */
	vtd_fx_at(vtd_root_entry_ctp((struct vtd_root_entry *)vtd_fx_at(l.root)) + 0x18 * 16)[0] |=
		1ull << 4;
	v = expect_one(VTD_AUDIT_RESERVED);
	assert_int_equal(v->reason, VTD_FR_CTX_RSVD);
	assert_int_equal(v->what, VTD_WS_CONTEXT);
	assert_int_equal(v->devfn, 0x18);
}

static void test_legacy_nonleaf_no_write(void **state)
{
	struct legacy l;
	const struct vtd_audit_violation *v;

	(void)state;
	legacy_build(&l);
	*vtd_fx_entry_at(l.ss2, 3, 4ull << 20, 3) &= ~SS_W; /* the SS-PDPE above the 2 MiB page */
	v = expect_one(VTD_AUDIT_NONLEAF_PERM);
	assert_int_equal(v->level, 3);
	assert_int_equal(v->did, 2);
	assert_int_equal(v->target, vtd_fx_table_at(l.ss2, 3, 4ull << 20, 2));
}

static void test_legacy_not_owned(void **state)
{
	struct legacy l;
	const struct vtd_audit_violation *v;

	(void)state;
	legacy_build(&l);
	/* domain 1's PML4E 0 points outside: reported once although two devices use domain 1 */
	*vtd_fx_entry_at(l.ss1, 4, 0x1000, 4) = VTD_FX_OUTSIDE | SS_RW;
	v = expect_one(VTD_AUDIT_NOT_OWNED);
	assert_int_equal(v->target, VTD_FX_OUTSIDE);
	assert_int_equal(v->level, 4);
	assert_int_equal(v->addr, l.ss1);
	assert_int_equal(v->devfn, 0x08);

	cfg.root = VTD_FX_OUTSIDE; /* the root table itself */
	v = expect_one(VTD_AUDIT_NOT_OWNED);
	assert_int_equal(v->what, VTD_WS_NONE);
	assert_int_equal(v->target, VTD_FX_OUTSIDE);
}

static void test_legacy_leaf_denied(void **state)
{
	struct legacy l;
	const struct vtd_audit_violation *v;

	(void)state;
	legacy_build(&l);
	/* domain 2's 2 MiB page moved to 0xe0000000, which the domain never asked for */
	*vtd_fx_entry_at(l.ss2, 3, 4ull << 20, 2) = 0xe0000000ull | SS_PS | SS_RW;
	v = expect_one(VTD_AUDIT_LEAF_DENIED);
	assert_int_equal(v->did, 2);
	assert_int_equal(v->iova, 4ull << 20);
	assert_int_equal(v->target, 0xe0000000ull);
	/* the read-only page of domain 1 made writable: also not what was asked */
	*vtd_fx_entry_at(l.ss2, 3, 4ull << 20, 2) = 0xc0000000ull | SS_PS | SS_RW;
	*vtd_fx_entry_at(l.ss1, 4, 0x200000, 1) |= SS_W;
	v = expect_one(VTD_AUDIT_LEAF_DENIED);
	assert_int_equal(v->iova, 0x200000);
}

static void test_legacy_loop(void **state)
{
	struct legacy l;
	const struct vtd_audit_violation *v;
	uint64_t pd;

	(void)state;
	legacy_build(&l);
	pd = vtd_fx_table_at(l.ss1, 4, 0x1000, 2);
	/* PDE 7 of domain 1 points back at its own PML4 table: R | W, a table reachable from
	 * itself */
	vtd_fx_at(pd)[7] = l.ss1 | SS_RW;
	v = expect_one(VTD_AUDIT_LOOP);
	assert_int_equal(v->addr, pd + 7 * 8);
	assert_int_equal(v->target, l.ss1);
	assert_int_equal(v->level, 2);
}

static void test_legacy_shared(void **state)
{
	struct legacy l;
	const struct vtd_audit_violation *v;

	(void)state;
	legacy_build(&l);
	/* domain 2's PDE 9 points at domain 1's page table (level 1): shared across domains */
	vtd_fx_at(vtd_fx_table_at(l.ss2, 3, 4ull << 20, 2))[9] =
		vtd_fx_table_at(l.ss1, 4, 0x1000, 1) | SS_RW;
	v = expect_one(VTD_AUDIT_SHARED);
	assert_int_equal(v->did, 2);
	assert_int_equal(v->target, vtd_fx_table_at(l.ss1, 4, 0x1000, 1));
	vtd_fx_at(vtd_fx_table_at(l.ss2, 3, 4ull << 20, 2))[9] = 0;

	/* the root entry of bus 2 points at bus 0's context table */
	((struct vtd_root_entry *)vtd_fx_at(l.root))[2] =
		((struct vtd_root_entry *)vtd_fx_at(l.root))[0];
	v = expect_one(VTD_AUDIT_SHARED);
	assert_int_equal(v->what, VTD_WS_ROOT);
	assert_int_equal(v->bus, 2);
}

static void test_legacy_limit(void **state)
{
	struct legacy l;

	(void)state;
	legacy_build(&l);
	cfg.max_entries = 3; /* root entry, two context entries: the budget ends there */
	expect_one(VTD_AUDIT_LIMIT);
	cfg.max_entries = 0;
	cfg.seen_cap = 2; /* fewer slots than tables: reported once, the audit goes on */
	expect_one(VTD_AUDIT_LIMIT);
	assert_int_equal(vtd_audit(NULL, &ops), -EINVAL);
	cfg.mode = 7;
	assert_int_equal(vtd_audit(&cfg, &ops), -EINVAL);
	assert_string_equal(vtd_audit_rule_name(VTD_AUDIT_LOOP), "table reachable from itself");
}

/* ---- Scalable configuration ---- */

struct sm {
	uint64_t root, dir, dir_upper, fs, nss;
	uint64_t fs_hpa[5]; /* nested first-stage tables by level */
};

static uint64_t gpa_of(uint64_t hpa)
{
	return hpa - VTD_FX_BASE;
}

/*
 * Device 00:04.0 (PASIDE, RID_PASID 0), PDTS 0:
 *   PASID 0  second stage, DID 3, AW 48: 0x1000 -> 0x80001000 R/W;
 *   PASID 1  first stage, DID 4, 4 levels: 0x2000 -> 0x80002000 R/W/U and the upper-half
 *            0xffff800000003000 -> 0x80003000 read-only user;
 *   PASID 2  nested, DID 5: first-stage tables at guest-physical addresses (their arena
 *            offsets), 0x5000 -> GPA 0x40000000; the second stage maps the tables' GPAs back
 *            and GPA 0x40000000 -> 0x70000000;
 *   PASID 3  pass-through.
 * Device 00:84.0 (upper root half): RID_PASID 0 pass-through.
 */
static void sm_build(struct sm *s)
{
	struct vtd_sm_context_config c = { .flags = VTD_SMCE_FLAG_PASIDE };
	struct vtd_pasid_entry_config ss = { .pgtt = VTD_PGTT_SS, .did = 3, .aw = VTD_AW_48 };
	struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS, .did = 4 };
	struct vtd_pasid_entry_config pt = { .pgtt = VTD_PGTT_PT, .did = 6 };
	struct vtd_pasid_entry_config nested = {
		.pgtt = VTD_PGTT_NESTED, .did = 5, .aw = VTD_AW_48, .fs_paging = VTD_FSPM_4LEVEL
	};
	uint64_t iova = 0x5000;

	s->root = vtd_fx_alloc_page();
	s->dir = vtd_fx_alloc_page();
	s->dir_upper = vtd_fx_alloc_page();
	c.pasid_dir = s->dir;
	vtd_fx_sm_dev(s->root, 0, 0x20, &c);
	c.pasid_dir = s->dir_upper;
	c.flags = 0;
	vtd_fx_sm_dev(s->root, 0, 0x84, &c);
	vtd_fx_pasid(s->dir_upper, 0, &pt);

	ss.ss_root = vtd_fx_alloc_page();
	vtd_fx_pasid(s->dir, 0, &ss);
	vtd_fx_map(VTD_FX_SS, ss.ss_root, 4, 0x1000, 1, 0x80001000ull | SS_RW);
	want(3, 0x1000, 0x80001000ull, PAGE, RW);

	s->fs = fs.fs_root = vtd_fx_alloc_page();
	vtd_fx_pasid(s->dir, 1, &fs);
	/* PTE: 0x80002000 | U/S | R/W | P = 0x80002007 */
	vtd_fx_map(VTD_FX_FS, s->fs, 4, 0x2000, 1, 0x80002000ull | FS_PRU);
	want(4, 0x2000, 0x80002000ull, PAGE, RW | VTD_WALK_X | VTD_WALK_U);
	/* PML4 index 256: the upper half; PTE 0x80003000 | U/S | P = 0x80003005 */
	vtd_fx_map(VTD_FX_FS, s->fs, 4, 0xffff800000003000ull, 1, 0x80003000ull | FS_US | FS_P);
	want(4, 0xffff800000003000ull, 0x80003000ull, PAGE, VTD_WALK_R | VTD_WALK_X | VTD_WALK_U);

	vtd_fx_pasid(s->dir, 3, &pt);

	/* Nested: SSPTPTR the nesting parent's table, FSPTPTR the guest-physical PML4. */
	s->nss = nested.ss_root = vtd_fx_alloc_page();
	for (unsigned int lv = 4; lv >= 1; lv--)
		s->fs_hpa[lv] = vtd_fx_alloc_page();
	nested.fs_root = gpa_of(s->fs_hpa[4]);
	vtd_fx_pasid(s->dir, 2, &nested);
	for (unsigned int lv = 4; lv >= 2; lv--)
		vtd_fx_at(s->fs_hpa[lv])[vtd_fx_index(iova, lv)] =
			gpa_of(s->fs_hpa[lv - 1]) | FS_PRU;
	vtd_fx_at(s->fs_hpa[1])[vtd_fx_index(iova, 1)] = 0x40000000ull | FS_PRU;
	want(5, iova, 0x40000000ull, PAGE, RW | VTD_WALK_X | VTD_WALK_U);
	for (unsigned int lv = 4; lv >= 1; lv--) {
		vtd_fx_map(VTD_FX_SS, s->nss, 4, gpa_of(s->fs_hpa[lv]), 1, s->fs_hpa[lv] | SS_RW);
		want(5, gpa_of(s->fs_hpa[lv]), s->fs_hpa[lv], PAGE, RW);
	}
	vtd_fx_map(VTD_FX_SS, s->nss, 4, 0x40000000ull, 1, 0x70000000ull | SS_RW);
	want(5, 0x40000000ull, 0x70000000ull, PAGE, RW);

	cfg.mode = VTD_WALK_SCALABLE;
	cfg.root = s->root;
}

static void test_sm_clean(void **state)
{
	struct sm s;

	(void)state;
	sm_build(&s);
	assert_int_equal(audit(), 0);
	assert_int_equal(nfound, 0);
	assert_int_equal(leaf_calls, nwants);

	/* the walker agrees: PASID 2 of 00:04.0 translates 0x5123 to 0x70000123 */
	{
		struct vtd_walk_ctx w = { .table = vtd_fx_table, .caps = &caps, .haw = HAW };
		struct vtd_walk_req req = {
			.mode = VTD_WALK_SCALABLE,
			.root = s.root,
			.devfn = 0x20,
			.has_pasid = true,
			.pasid = 2,
			.iova = 0x5123,
			.access = VTD_WALK_W,
		};
		struct vtd_walk_result r = { .steps = NULL };

		assert_int_equal(vtd_walk(&w, &req, &r), 0);
		assert_int_equal(r.pa, 0x70000123ull);
		assert_int_equal(r.pgtt, VTD_PGTT_NESTED);
	}
}

static void test_sm_pasid_reserved(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	vtd_fx_pasid_slot(s.dir, 1)->val[0] |= 1ull << 10; /* PASID entry bits 11:10: reserved */
	v = expect_one(VTD_AUDIT_RESERVED);
	assert_int_equal(v->reason, VTD_FR_SM_PASID_RSVD);
	assert_int_equal(v->what, VTD_WS_PASID);
	assert_true(v->has_pasid);
	assert_int_equal(v->pasid, 1);
	assert_int_equal(v->nwords, 8);
	vtd_fx_pasid_slot(s.dir, 1)->val[0] &= ~(1ull << 10);

	/* PS in a PML4E: reserved; nothing below it is visited */
	*vtd_fx_entry_at(s.fs, 4, 0x2000, 4) |= FS_PS;
	v = expect_one(VTD_AUDIT_RESERVED);
	assert_int_equal(v->reason, VTD_FR_SM_FS_RSVD);
	assert_int_equal(v->what, VTD_WS_FS);
	assert_int_equal(v->level, 4);
	*vtd_fx_entry_at(s.fs, 4, 0x2000, 4) &= ~FS_PS;

	/* PGTT 101b: invalid programming */
	vtd_fx_pasid_slot(s.dir, 3)->val[0] |= FIELD_PREP(VTD_PE_W0_PGTT_MASK, 5);
	v = expect_one(VTD_AUDIT_INVALID);
	assert_int_equal(v->reason, VTD_FR_SM_PASID_INVALID);
	assert_int_equal(v->pasid, 3);
}

static void test_sm_fs_nonleaf_user(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	*vtd_fx_entry_at(s.fs, 4, 0xffff800000003000ull, 3) &= ~FS_US; /* the PDPE lost U/S */
	v = expect_one(VTD_AUDIT_NONLEAF_PERM);
	assert_int_equal(v->what, VTD_WS_FS);
	assert_int_equal(v->level, 3);
	assert_int_equal(v->iova, 0xffff800000000000ull); /* canonical upper half */
	assert_int_equal(v->did, 4);
}

static void test_sm_nested_untranslated(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	/* the second stage no longer maps the first-stage PD's guest-physical page */
	*vtd_fx_entry_at(s.nss, 4, gpa_of(s.fs_hpa[2]), 1) = 0;
	v = expect_one(VTD_AUDIT_NESTED_XLATE);
	assert_int_equal(v->reason, VTD_FR_SM_NEST_FS_READ);
	assert_int_equal(v->target, gpa_of(s.fs_hpa[2]));
	assert_int_equal(v->level, 3);
	assert_int_equal(v->pasid, 2);

	/* and the root: FSPTPTR's page */
	*vtd_fx_entry_at(s.nss, 4, gpa_of(s.fs_hpa[2]), 1) = s.fs_hpa[2] | SS_RW;
	*vtd_fx_entry_at(s.nss, 4, gpa_of(s.fs_hpa[4]), 1) = 0;
	v = expect_one(VTD_AUDIT_NESTED_XLATE);
	assert_int_equal(v->reason, VTD_FR_SM_NEST_FS_ROOT_READ);
	assert_int_equal(v->what, VTD_WS_PASID);
}

/* Give domain @did's second-stage 4 KiB leaf for @iova in @root W or not (and want it so). */
static void set_w(uint64_t root, uint16_t did, uint64_t iova, bool w)
{
	uint64_t *e = vtd_fx_entry_at(root, 4, iova, 1);

	*e = w ? *e | SS_W : *e & ~SS_W;
	for (unsigned int i = 0; i < nwants; i++)
		if (wants[i].did == did && wants[i].iova == iova)
			wants[i].perms = w ? RW : VTD_WALK_R;
}

/*
 * A clean nested configuration under both SPR17 settings, and a read-only leaf of the nesting
 * parent that maps no first-stage table: clean only with SPR17 forced off.
 */
static void test_sm_nested_clean(void **state)
{
	struct sm s;

	(void)state;
	sm_build(&s);
	assert_int_equal(audit(), 0);
	cfg.spr17_off = true;
	assert_int_equal(audit(), 0);
	/* GPA 0x40000000 (the data page the first stage maps) read-only: allowed without SPR17 */
	set_w(s.nss, 5, 0x40000000ull, false);
	assert_int_equal(audit(), 0);
	assert_int_equal(leaf_calls, nwants);
}

/* SPR17: the nesting parent's leaf for GPA 0x40000000 lost W: one report, at that leaf. */
static void test_sm_nest_parent_ro(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	set_w(s.nss, 5, 0x40000000ull, false);
	v = expect_one(VTD_AUDIT_NEST_PARENT_RO);
	assert_int_equal(v->what, VTD_WS_SS);
	assert_int_equal(v->level, 1);
	assert_int_equal(v->did, 5);
	assert_int_equal(v->iova, 0x40000000ull);
	assert_int_equal(v->target, 0x70000000ull);
	assert_int_equal(v->addr, vtd_fx_table_at(s.nss, 4, 0x40000000ull, 1) +
					  vtd_fx_index(0x40000000ull, 1) * 8);
	assert_int_equal(v->val[0], 0x70000000ull | SS_R);
	assert_int_equal(v->pasid, 2);
	assert_string_equal(vtd_audit_rule_name(v->rule),
			    "read-only leaf in a nesting parent (SPR17)");

	/* the same read-only leaf in PASID 0's plain second stage (DID 3) is no violation */
	set_w(s.nss, 5, 0x40000000ull, true);
	set_w(vtd_fx_pasid_slot(s.dir, 0)->val[0] & ADDR, 3, 0x1000, false);
	assert_int_equal(audit(), 0);
}

/*
 * The nesting parent's table is also PASID 0's plain second stage (same domain, DID 5), and
 * PASID 0 is audited first: the table is visited again as a nesting parent for that rule alone.
 */
static void test_sm_nest_parent_seen_before(void **state)
{
	struct sm s;
	struct vtd_pasid_entry_config ss = { .pgtt = VTD_PGTT_SS, .did = 5, .aw = VTD_AW_48 };
	struct vtd_pasid_entry *pe;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	ss.ss_root = s.nss;
	pe = vtd_fx_pasid_slot(s.dir, 0);
	assert_int_equal(vtd_pasid_entry_encode(&ss, pe), 0);
	vtd_pasid_entry_set_present(pe);
	assert_int_equal(audit(), 0);
	/* each leaf is asked about once (the re-visit asks nothing); DID 3's leaf is unreachable */
	assert_int_equal(leaf_calls, nwants - 1);

	set_w(s.nss, 5, 0x40000000ull, false);
	v = expect_one(VTD_AUDIT_NEST_PARENT_RO);
	assert_int_equal(v->pasid, 2); /* found under the nested entry, not under PASID 0 */
	set_w(s.nss, 5, 0x40000000ull, true);

	/* a reserved bit in the shared table is reported once, on the first visit (PASID 0) */
	*vtd_fx_entry_at(s.nss, 4, 0x40000000ull, 2) |= SS_11;
	v = expect_one(VTD_AUDIT_RESERVED);
	assert_int_equal(v->pasid, 0);
}

/*
 * A first-stage table page (the PD) whose second-stage leaf lost W: the hardware could not set
 * A/D bits in it (77h). With SPR17 forced off that is the only finding; with SPR17 the same
 * leaf is also a read-only leaf of the nesting parent.
 */
static void test_sm_nested_fs_table_ro(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;
	uint64_t pd;

	(void)state;
	sm_build(&s);
	pd = gpa_of(s.fs_hpa[2]);
	cfg.spr17_off = true;
	set_w(s.nss, 5, pd, false);
	v = expect_one(VTD_AUDIT_NESTED_FS_RO);
	assert_int_equal(v->what, VTD_WS_FS);
	assert_int_equal(v->level, 3); /* the PDPE pointing at the PD */
	assert_int_equal(v->addr, s.fs_hpa[3] + vtd_fx_index(0x5000, 3) * 8);
	assert_int_equal(v->target, pd);
	assert_int_equal(v->reason, VTD_FR_SM_NEST_FS_WRITE);
	assert_int_equal(v->pasid, 2);

	cfg.spr17_off = false;
	assert_int_equal(audit(), 2);
	assert_int_equal(found[0].rule, VTD_AUDIT_NEST_PARENT_RO);
	assert_int_equal(found[0].iova, pd);
	assert_int_equal(found[1].rule, VTD_AUDIT_NESTED_FS_RO);

	/* the first-stage root (FSPTPTR's page) read-only: reported at the PASID entry */
	cfg.spr17_off = true;
	set_w(s.nss, 5, pd, true);
	set_w(s.nss, 5, gpa_of(s.fs_hpa[4]), false);
	v = expect_one(VTD_AUDIT_NESTED_FS_RO);
	assert_int_equal(v->what, VTD_WS_PASID);
	assert_int_equal(v->target, gpa_of(s.fs_hpa[4]));
	assert_int_equal(v->reason, VTD_FR_SM_NEST_FS_WRITE);
}

static void test_sm_shared_pasid_table(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	/* directory entry 1 (PASIDs 64-127) points at directory entry 0's PASID table */
	vtd_fx_at(s.dir)[1] = vtd_fx_at(s.dir)[0];
	v = expect_one(VTD_AUDIT_SHARED);
	assert_int_equal(v->what, VTD_WS_PASID_DIR);
	assert_int_equal(v->addr, s.dir + 8);

	/* the upper half's context entry pointing at the lower half's PASID directory */
	vtd_fx_at(s.dir)[1] = 0;
	{
		struct vtd_root_entry *re = (struct vtd_root_entry *)vtd_fx_at(s.root);
		uint64_t *ce = vtd_fx_at(vtd_sm_root_entry_ctp(re, VTD_SM_ROOT_UPPER) + 4 * 32);

		ce[0] = (ce[0] & ~ADDR) | s.dir;
		v = expect_one(VTD_AUDIT_SHARED);
		assert_int_equal(v->what, VTD_WS_CONTEXT);
		assert_int_equal(v->devfn, 0x84);
	}
}

static void test_sm_not_owned(void **state)
{
	struct sm s;
	const struct vtd_audit_violation *v;

	(void)state;
	sm_build(&s);
	vtd_fx_pasid_slot(s.dir, 0)->val[0] =
		(vtd_fx_pasid_slot(s.dir, 0)->val[0] & ~ADDR) | VTD_FX_OUTSIDE;
	v = expect_one(VTD_AUDIT_NOT_OWNED); /* SSPTPTR outside */
	assert_int_equal(v->what, VTD_WS_PASID);
	assert_int_equal(v->target, VTD_FX_OUTSIDE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_legacy_clean, reset),
		cmocka_unit_test_setup(test_legacy_reserved, reset),
		cmocka_unit_test_setup(test_legacy_nonleaf_no_write, reset),
		cmocka_unit_test_setup(test_legacy_not_owned, reset),
		cmocka_unit_test_setup(test_legacy_leaf_denied, reset),
		cmocka_unit_test_setup(test_legacy_loop, reset),
		cmocka_unit_test_setup(test_legacy_shared, reset),
		cmocka_unit_test_setup(test_legacy_limit, reset),
		cmocka_unit_test_setup(test_sm_clean, reset),
		cmocka_unit_test_setup(test_sm_pasid_reserved, reset),
		cmocka_unit_test_setup(test_sm_fs_nonleaf_user, reset),
		cmocka_unit_test_setup(test_sm_nested_untranslated, reset),
		cmocka_unit_test_setup(test_sm_nested_clean, reset),
		cmocka_unit_test_setup(test_sm_nest_parent_ro, reset),
		cmocka_unit_test_setup(test_sm_nest_parent_seen_before, reset),
		cmocka_unit_test_setup(test_sm_nested_fs_table_ro, reset),
		cmocka_unit_test_setup(test_sm_shared_pasid_table, reset),
		cmocka_unit_test_setup(test_sm_not_owned, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
