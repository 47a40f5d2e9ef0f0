// SPDX-License-Identifier: MIT
/*
 * VT-d translation structures (VT-d rev 5.0, chapter 9): root (9.1, 9.2), context (9.3, 9.4)
 * and PASID directory (9.5) entries, and the address-width helpers, against golden words worked
 * out by hand from the specification's bit tables (each vector's comment shows the field
 * arithmetic; none was produced by running the encoder), the P = 0 then set-present order, the
 * validators' refusals (each distinct errno), round trips through the decoders, and reserved
 * bits left 0. PASID table entries (9.6): test_vtd_pasid_entry.c, test_vtd_pasid_validate.c.
 *
 * Cross-checked against other implementations' bit positions:
 *  - Linux drivers/iommu/intel/pasid.h: pasid_set_domain_id (val[1] 15:0),
 *    pasid_set_address_width (val[0] 4:2), pasid_set_translation_type (val[0] 8:6),
 *    pasid_set_ssade (val[0] bit 9), pasid_set_slptr / pasid_set_flptr (val[0] / val[2] 63:12),
 *    pasid_set_page_snoop (val[1] bit 23), pasid_set_pgsnp (val[1] bit 24), pasid_set_sre
 *    (val[2] bit 0), pasid_set_flpm (val[2] 3:2), pasid_set_wpe (val[2] bit 4), pasid_set_nxe
 *    (val[2] bit 5), pasid_set_eafe (val[2] bit 7): the PASID entry vectors of
 *    test_vtd_pasid_entry.c.
 *    pKVM-IA's pasid_set_ssee: SSEE is val[0] bit 5.
 *  - Linux drivers/iommu/intel/iommu.{h,c}: context_set_translation_type (lo 3:2),
 *    context_set_address_width (hi 2:0), context_set_domain_id (hi 23:8), context_pdts (lo
 *    11:9), context_set_sm_dte (lo bit 2), CONTEXT_PASIDE (lo bit 3), context_set_sm_pre (lo
 *    bit 4), context_set_sm_rid2pasid (hi 19:0; one version also set hi bit 20, RID_PRIV),
 *    root_entry_lctp / root_entry_uctp (lo / hi 63:12, present in bit 0 of each).
 *  - QEMU hw/i386/intel_iommu_internal.h reserved masks: VTD_CONTEXT_ENTRY_RSVD_LO 0xff0,
 *    VTD_CONTEXT_ENTRY_RSVD_HI 0xffffffffff000080, VTD_SM_CONTEXT_ENTRY_RSVD_VAL0 0x1e0,
 *    VTD_SM_CONTEXT_ENTRY_RSVD_VAL1 0xffffffffffe00000, VTD_ROOT_ENTRY_RSVD 0xffe: the RSV_*
 *    masks of tests/unit/vtd_entries_fixture.h.
 * ERE (bit 129) and SMEP (bit 134) come from the specification's table only.
 *
 * Sources: iommu/vtd/vtd_entries.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_entries.h"
#include "tests/unit/vtd_entries_fixture.h"

/* ---- Helpers: widths, indices, table sizes ---- */

static void aw_helpers(void **state)
{
	(void)state;
	assert_int_equal(vtd_aw_width(VTD_AW_39), 39);
	assert_int_equal(vtd_aw_width(VTD_AW_48), 48);
	assert_int_equal(vtd_aw_width(VTD_AW_57), 57);
	assert_int_equal(vtd_aw_width(0), 0);
	assert_int_equal(vtd_aw_width(4), 0);
	assert_int_equal(vtd_aw_levels(VTD_AW_39), 3);
	assert_int_equal(vtd_aw_levels(VTD_AW_57), 5);
	assert_int_equal(vtd_aw_levels(0), 0);
	assert_int_equal(vtd_aw_from_levels(3), VTD_AW_39);
	assert_int_equal(vtd_aw_from_levels(4), VTD_AW_48);
	assert_int_equal(vtd_aw_from_levels(5), VTD_AW_57);
	assert_int_equal(vtd_aw_from_levels(2), 0);
	assert_int_equal(vtd_aw_from_levels(6), 0);
	assert_int_equal(vtd_aw_from_width(39), VTD_AW_39);
	assert_int_equal(vtd_aw_from_width(48), VTD_AW_48);
	assert_int_equal(vtd_aw_from_width(57), VTD_AW_57);
	assert_int_equal(vtd_aw_from_width(42), -ERANGE);
	assert_int_equal(vtd_aw_from_width(30), -ERANGE);
}

/* What a unit's CAP.SAGAW and MGAW allow: GNR offers AW 48 and 57 with MGAW 57, LNL only AW 48
 * with MGAW 42 (CAP bits 21:16 = 0x29). */
static void aw_of_unit(void **state)
{
	struct vtd_caps none = gnr;

	(void)state;
	assert_false(vtd_aw_supported(&gnr, VTD_AW_39));
	assert_true(vtd_aw_supported(&gnr, VTD_AW_48));
	assert_true(vtd_aw_supported(&gnr, VTD_AW_57));
	assert_false(vtd_aw_supported(&gnr, 0));
	assert_false(vtd_aw_supported(&gnr, 4));
	assert_false(vtd_aw_supported(&lnl, VTD_AW_57));
	assert_int_equal(vtd_aw_largest(&gnr), VTD_AW_57);
	assert_int_equal(vtd_aw_largest(&lnl), VTD_AW_48);
	none.sagaw = 0;
	assert_int_equal(vtd_aw_largest(&none), 0);
	assert_int_equal(vtd_aw_input_width(&gnr, VTD_AW_48), 48);
	assert_int_equal(vtd_aw_input_width(&gnr, VTD_AW_57), 57);
	assert_int_equal(vtd_aw_input_width(&lnl, VTD_AW_48), 42);
	none.mgaw = 0;
	assert_int_equal(vtd_aw_input_width(&none, VTD_AW_39), 39);
}

/* A paging entry at level n maps 2^(12 + 9 (n - 1)) bytes: 4 KiB, 2 MiB, 1 GiB, 512 GiB, 256 TiB */
static void level_shifts(void **state)
{
	(void)state;
	assert_int_equal(vtd_level_shift(1), 12);
	assert_int_equal(vtd_level_shift(2), 21);
	assert_int_equal(vtd_level_shift(3), 30);
	assert_int_equal(vtd_level_shift(4), 39);
	assert_int_equal(vtd_level_shift(5), 48);
}

static void indices_and_sizes(void **state)
{
	(void)state;
	assert_int_equal(vtd_context_index(0x00), 0);
	assert_int_equal(vtd_context_index(0xff), 0xff);
	/* Scalable mode: devfn 0x7f is the last of the lower half, 0x80 the first of the upper. */
	assert_int_equal(vtd_sm_root_half(0x00), VTD_SM_ROOT_LOWER);
	assert_int_equal(vtd_sm_root_half(0x7f), VTD_SM_ROOT_LOWER);
	assert_int_equal(vtd_sm_root_half(0x80), VTD_SM_ROOT_UPPER);
	assert_int_equal(vtd_sm_root_half(0xff), VTD_SM_ROOT_UPPER);
	assert_int_equal(vtd_sm_context_index(0x7f), 0x7f);
	assert_int_equal(vtd_sm_context_index(0x80), 0);
	assert_int_equal(vtd_sm_context_index(0xff), 0x7f);
	/* PASID 0xfffff: directory index 0xfffff >> 6 = 0x3fff, table index 0x3f. */
	assert_int_equal(vtd_pasid_dir_index(0xfffff), 0x3fff);
	assert_int_equal(vtd_pasid_table_index(0xfffff), 0x3f);
	/* PASID 0x41 = 1 * 64 + 1. */
	assert_int_equal(vtd_pasid_dir_index(0x41), 1);
	assert_int_equal(vtd_pasid_table_index(0x41), 1);
	assert_int_equal(vtd_pasid_dir_index(0), 0);
	/* PDTS x: 2^(x + 7) entries of 8 bytes. */
	assert_int_equal(vtd_pasid_dir_entries(0), 128);
	assert_int_equal(vtd_pasid_dir_entries(7), 16384);
	assert_int_equal(vtd_pasid_dir_bytes(0), 1024);
	assert_int_equal(vtd_pasid_dir_bytes(7), 131072);
	/* 2^20 PASIDs: 2^14 directory entries: PDTS 7. 2^13 PASIDs fit PDTS 0 (128 x 64). */
	assert_int_equal(vtd_pdts_for_pasid_bits(20), 7);
	assert_int_equal(vtd_pdts_for_pasid_bits(14), 1);
	assert_int_equal(vtd_pdts_for_pasid_bits(13), 0);
	assert_int_equal(vtd_pdts_for_pasid_bits(0), 0);
	assert_int_equal(vtd_pdts_for_pasid_bits(21), -ERANGE);
	assert_int_equal(sizeof(struct vtd_root_entry) * VTD_ROOT_ENTRIES, 4096);
	assert_int_equal(sizeof(struct vtd_sm_context_entry) * VTD_SM_CONTEXT_ENTRIES, 4096);
	assert_int_equal(sizeof(struct vtd_pasid_entry) * VTD_PASID_TABLE_ENTRIES, 4096);
}

/* ---- Root entries (9.1, 9.2) ---- */

static void root_entry_legacy(void **state)
{
	struct vtd_root_entry e;

	(void)state;
	/* CTP = 0x12345000 in bits 63:12, P = 0: lo = 0x12345000, hi = 0. */
	assert_int_equal(vtd_root_entry_encode(0x12345000, &e), 0);
	assert_int_equal(e.lo, 0x12345000);
	assert_int_equal(e.hi, 0);
	assert_false(vtd_root_entry_present(&e));
	vtd_root_entry_set_present(&e);
	/* P = 1: lo = 0x12345001. */
	assert_int_equal(e.lo, 0x12345001);
	assert_int_equal(e.hi, 0);
	assert_true(vtd_root_entry_present(&e));
	assert_int_equal(vtd_root_entry_ctp(&e), 0x12345000);

	/* CTP with bits 51:12 set: lo = 0x000ffffffffff000. */
	assert_int_equal(vtd_root_entry_encode(PTR_MAX52, &e), 0);
	assert_int_equal(e.lo, 0x000ffffffffff000);
	assert_int_equal(e.lo & RSV_RE_LO, 0);
	assert_int_equal(e.hi & RSV_RE_HI, 0);

	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_root_entry_encode(0x12345800, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
}

static void root_entry_scalable(void **state)
{
	struct vtd_root_entry e;

	(void)state;
	/* LCTP = 0x11111000 (lo 63:12), UCTP = 0x22222000 (bits 127:76 = hi 63:12). */
	assert_int_equal(vtd_sm_root_entry_encode(0x11111000, 0x22222000, &e), 0);
	assert_int_equal(e.lo, 0x11111000);
	assert_int_equal(e.hi, 0x22222000);
	assert_false(vtd_sm_root_entry_present(&e, VTD_SM_ROOT_LOWER));
	assert_false(vtd_sm_root_entry_present(&e, VTD_SM_ROOT_UPPER));

	/* LP is bit 0: lo = 0x11111001; the upper half is untouched. */
	vtd_sm_root_entry_set_present(&e, VTD_SM_ROOT_LOWER);
	assert_int_equal(e.lo, 0x11111001);
	assert_int_equal(e.hi, 0x22222000);
	assert_true(vtd_sm_root_entry_present(&e, VTD_SM_ROOT_LOWER));
	assert_false(vtd_sm_root_entry_present(&e, VTD_SM_ROOT_UPPER));
	/* UP is bit 64 = hi bit 0: hi = 0x22222001. */
	vtd_sm_root_entry_set_present(&e, VTD_SM_ROOT_UPPER);
	assert_int_equal(e.hi, 0x22222001);
	assert_true(vtd_sm_root_entry_present(&e, VTD_SM_ROOT_UPPER));
	assert_int_equal(vtd_sm_root_entry_ctp(&e, VTD_SM_ROOT_LOWER), 0x11111000);
	assert_int_equal(vtd_sm_root_entry_ctp(&e, VTD_SM_ROOT_UPPER), 0x22222000);

	/* UCTP with address bit 51 set is entry bit 64 + 51 = 115: hi = 0x0008000000001000. */
	assert_int_equal(vtd_sm_root_entry_encode(0, BIT51 | 0x1000, &e), 0);
	assert_int_equal(e.lo, 0);
	assert_int_equal(e.hi, 0x0008000000001000);
	assert_int_equal(e.hi & RSV_SMRE_HI, 0);

	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_sm_root_entry_encode(0x1000, 0x2001, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	assert_int_equal(vtd_sm_root_entry_encode(0x1080, 0x2000, &e), -EINVAL);
}

/* ---- Legacy context entry (9.3) ---- */

static void context_entry_vectors(void **state)
{
	struct vtd_context_entry e;
	struct vtd_context_config c = {
		.tt = VTD_TT_SS, .did = 0x2a, .aw = VTD_AW_48, .ss_root = 0x12345000
	};

	(void)state;
	/* TT = 00, SLPTPTR = 0x12345000: lo = 0x12345000; AW = 2 (66:64), DID = 0x2a (87:72):
	 * hi = 0x2a << 8 | 2 = 0x2a02. */
	assert_int_equal(vtd_context_entry_encode(&c, &e), 0);
	assert_int_equal(e.lo, 0x12345000);
	assert_int_equal(e.hi, 0x2a02);
	assert_false(vtd_context_entry_present(&e));
	/* P = 1, SLPTPTR = 0x12345000, AW = 2 (48-bit), DID = 0x2a: lo = 0x12345001, hi = 0x2a02 */
	vtd_context_entry_set_present(&e);
	assert_int_equal(e.lo, 0x12345001);
	assert_int_equal(e.hi, 0x2a02);
	assert_true(vtd_context_entry_present(&e));

	/* TT = 01 (bits 3:2 -> 0x4), FPD (0x2), SLPTPTR bits 51:12 set: lo = 0x000ffffffffff006;
	 * AW = 3, DID = 0xffff: hi = 0xffff << 8 | 3 = 0xffff03. */
	c = (struct vtd_context_config){ .tt = VTD_TT_SS_DEVTLB,
					 .did = 0xffff,
					 .aw = VTD_AW_57,
					 .ss_root = PTR_MAX52,
					 .fpd = true };
	assert_int_equal(vtd_context_entry_encode(&c, &e), 0);
	assert_int_equal(e.lo, 0x000ffffffffff006);
	assert_int_equal(e.hi, 0xffff03);
	assert_int_equal(e.lo & RSV_CE_LO, 0);
	assert_int_equal(e.hi & RSV_CE_HI, 0);

	/* Pass-through: TT = 10 -> lo = 0x8; AW = 3, DID = 1: hi = 0x100 | 3 = 0x103. */
	c = (struct vtd_context_config){ .tt = VTD_TT_PT, .did = 1, .aw = VTD_AW_57 };
	assert_int_equal(vtd_context_entry_encode(&c, &e), 0);
	assert_int_equal(e.lo, 0x8);
	assert_int_equal(e.hi, 0x103);
}

static void context_entry_malformed(void **state)
{
	struct vtd_context_entry e;
	const struct vtd_context_config good = { .tt = VTD_TT_SS, .did = 5, .aw = VTD_AW_48 };
	struct vtd_context_config c;

	(void)state;
	c = good;
	c.tt = (enum vtd_context_tt)3; /* 11b is reserved */
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_context_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c = good;
	c.aw = 0;
	assert_int_equal(vtd_context_entry_encode(&c, &e), -EINVAL);
	c.aw = 4;
	assert_int_equal(vtd_context_entry_encode(&c, &e), -EINVAL);
	c = good;
	c.ss_root = 0x12345100;
	assert_int_equal(vtd_context_entry_encode(&c, &e), -EINVAL);
	c = good;
	c.tt = VTD_TT_PT;
	c.ss_root = 0x1000; /* ignored by pass-through: refused rather than silently dropped */
	assert_int_equal(vtd_context_entry_encode(&c, &e), -EINVAL);
}

static void context_validate(void **state)
{
	struct vtd_context_config c = {
		.tt = VTD_TT_SS, .did = 0x2a, .aw = VTD_AW_48, .ss_root = 0x12345000
	};
	struct vtd_caps caps;

	(void)state;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	assert_int_equal(vtd_context_validate(&c, &lnl, HAW), 0);
	assert_int_equal(vtd_context_validate(&c, &gnr, 0), -EINVAL);
	/* Granite Rapids' SAGAW is 48 + 57: 39-bit is out of range. */
	c.aw = VTD_AW_39;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), -ERANGE);
	/* Pass-through takes the largest SAGAW width (9.3): 57 on Granite Rapids, 48 on Lunar
	 * Lake. */
	c = (struct vtd_context_config){ .tt = VTD_TT_PT, .did = 1, .aw = VTD_AW_48 };
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), -ERANGE);
	assert_int_equal(vtd_context_validate(&c, &lnl, HAW), 0);
	c.aw = VTD_AW_57;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	assert_int_equal(vtd_context_validate(&c, &lnl, HAW), -ERANGE);
	caps = gnr;
	caps.pt = false;
	assert_int_equal(vtd_context_validate(&c, &caps, HAW), -EOPNOTSUPP);
	c = (struct vtd_context_config){ .tt = VTD_TT_SS_DEVTLB, .did = 1, .aw = VTD_AW_48 };
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	caps = gnr;
	caps.dt = false;
	assert_int_equal(vtd_context_validate(&c, &caps, HAW), -EOPNOTSUPP);
	/* Lunar Lake: ND = 2, 8-bit domain ids. */
	c = (struct vtd_context_config){ .tt = VTD_TT_SS, .did = 0xff, .aw = VTD_AW_48 };
	assert_int_equal(vtd_context_validate(&c, &lnl, HAW), 0);
	c.did = 0x100;
	assert_int_equal(vtd_context_validate(&c, &lnl, HAW), -EINVAL);
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	c.did = 0xffff;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	/* Caching mode reserves DID 0. */
	c.did = 0;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	caps = gnr;
	caps.cm = true;
	assert_int_equal(vtd_context_validate(&c, &caps, HAW), -EINVAL);
	/* The second-stage root must lie below 2^HAW. */
	c.did = 1;
	c.ss_root = 1ull << HAW;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), -EINVAL);
	c.ss_root = (1ull << HAW) - 0x1000;
	assert_int_equal(vtd_context_validate(&c, &gnr, HAW), 0);
	/* Malformed comes first, before what the unit lacks. */
	c.aw = 0;
	assert_int_equal(vtd_context_validate(&c, &caps, HAW), -EINVAL);
}

static void context_decode(void **state)
{
	struct vtd_context_config in = { .tt = VTD_TT_SS_DEVTLB,
					 .did = 0xffff,
					 .aw = VTD_AW_57,
					 .ss_root = BIT51,
					 .fpd = true };
	struct vtd_context_config out;
	struct vtd_context_entry e;

	(void)state;
	assert_int_equal(vtd_context_entry_encode(&in, &e), 0);
	vtd_context_entry_set_present(&e);
	assert_int_equal(vtd_context_entry_decode(&e, &out), 0);
	assert_int_equal(out.tt, in.tt);
	assert_int_equal(out.did, in.did);
	assert_int_equal(out.aw, in.aw);
	assert_int_equal(out.ss_root, in.ss_root);
	assert_true(out.fpd);

	/* Bits 70:67 are available to software, not reserved. */
	e.hi |= 0x78;
	assert_int_equal(vtd_context_entry_decode(&e, &out), 0);
	assert_int_equal(out.aw, VTD_AW_57);
	assert_int_equal(out.did, 0xffff);
	/* Bit 71 and bits 11:4 are reserved. */
	e.hi |= 0x80;
	assert_int_equal(vtd_context_entry_decode(&e, &out), -EINVAL);
	e.hi &= ~0x80ull;
	e.lo |= 0x10;
	assert_int_equal(vtd_context_entry_decode(&e, &out), -EINVAL);
	/* TT = 11b is reserved. */
	e = (struct vtd_context_entry){ .lo = 0xc, .hi = 0x2 };
	assert_int_equal(vtd_context_entry_decode(&e, &out), -EINVAL);
	assert_int_equal(out.tt, 3);
}

/* ---- Scalable-mode context entry (9.4) ---- */

static void sm_context_vectors(void **state)
{
	struct vtd_sm_context_config c = { .pasid_dir = 0x12345000,
					   .pdts = 7,
					   .rid_pasid = 0xfffff,
					   .flags = VTD_SMCE_FLAGS_ALL };
	struct vtd_sm_context_entry e;

	(void)state;
	/* PASIDDIRPTR 0x12345000 | PDTS 7 << 9 (0xe00) | PRE 0x10 | PASIDE 0x8 | DTE 0x4 |
	 * FPD 0x2 = 0x12345e1e; RID_PASID 0xfffff (83:64) | RID_PRIV 1 << 20 (bit 84) = 0x1fffff.
	 */
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x12345e1e, 0x1fffff, 0, 0 }, 4);
	assert_false(vtd_sm_context_entry_present(&e));
	vtd_sm_context_entry_set_present(&e);
	assert_words(e.val, (const uint64_t[]){ 0x12345e1f, 0x1fffff, 0, 0 }, 4);
	assert_true(vtd_sm_context_entry_present(&e));
	assert_int_equal(e.val[0] & RSV_SMCE_W0, 0);
	assert_int_equal(e.val[1] & RSV_SMCE_W1, 0);

	/* Directory pointer with address bit 51 set, PDTS 0, RID_PASID 0, no flags. */
	c = (struct vtd_sm_context_config){ .pasid_dir = BIT51 };
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x0008000000000000, 0, 0, 0 }, 4);

	/* One flag at a time lands on its own bit. */
	c = (struct vtd_sm_context_config){
		.pasid_dir = 0x5000, .pdts = 3, .rid_pasid = 0x40, .flags = VTD_SMCE_FLAG_PASIDE
	};
	/* 0x5000 | 3 << 9 (0x600) | PASIDE 0x8 = 0x5608; RID_PASID 0x40. */
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x5608, 0x40, 0, 0 }, 4);
}

static void sm_context_malformed(void **state)
{
	const struct vtd_sm_context_config good = { .pasid_dir = 0x10000, .pdts = 7 };
	struct vtd_sm_context_config c;
	struct vtd_sm_context_entry e;

	(void)state;
	c = good;
	c.pasid_dir = 0x10008;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c = good;
	c.pdts = 8;
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), -EINVAL);
	c = good;
	c.rid_pasid = 0x100000; /* 21 bits */
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), -EINVAL);
	/* PDTS 0: 128 directory entries cover PASIDs 0..0x1fff. */
	c = good;
	c.pdts = 0;
	c.rid_pasid = 0x1fff;
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), 0);
	c.rid_pasid = 0x2000;
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), -EINVAL);
	c = good;
	c.flags = 1u << 5;
	assert_int_equal(vtd_sm_context_entry_encode(&c, &e), -EINVAL);
}

static void sm_context_validate(void **state)
{
	struct vtd_sm_context_config c = { .pasid_dir = 0x12345000,
					   .pdts = 7,
					   .rid_pasid = 0xfffff,
					   .flags = VTD_SMCE_FLAGS_ALL };
	struct vtd_caps caps;

	(void)state;
	assert_int_equal(vtd_sm_context_validate(&c, &gnr, HAW), 0);
	assert_int_equal(vtd_sm_context_validate(&c, &gnr, 0), -EINVAL);
	caps = gnr;
	caps.smts = false;
	assert_int_equal(vtd_sm_context_validate(&c, &caps, HAW), -EOPNOTSUPP);

	/* Lunar Lake: DT yes; PASID, PRS, SRS no. */
	c = (struct vtd_sm_context_config){ .pasid_dir = 0x1000, .flags = VTD_SMCE_FLAG_DTE };
	assert_int_equal(vtd_sm_context_validate(&c, &lnl, HAW), 0);
	c.flags = VTD_SMCE_FLAG_PASIDE;
	assert_int_equal(vtd_sm_context_validate(&c, &lnl, HAW), -EOPNOTSUPP);
	c.flags = VTD_SMCE_FLAG_PRE;
	assert_int_equal(vtd_sm_context_validate(&c, &lnl, HAW), -EOPNOTSUPP);
	c.flags = VTD_SMCE_FLAG_RID_PRIV;
	assert_int_equal(vtd_sm_context_validate(&c, &lnl, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.dt = false;
	c.flags = VTD_SMCE_FLAG_DTE;
	assert_int_equal(vtd_sm_context_validate(&c, &caps, HAW), -EOPNOTSUPP);
	c.flags = VTD_SMCE_FLAG_FPD;
	assert_int_equal(vtd_sm_context_validate(&c, &lnl, HAW), 0);

	/* RID_PASID: reserved without ECAP.RPS; below 2^pasid_bits otherwise. */
	c = (struct vtd_sm_context_config){ .pasid_dir = 0x1000, .pdts = 7, .rid_pasid = 1 };
	assert_int_equal(vtd_sm_context_validate(&c, &lnl, HAW), -ERANGE); /* RPS, 0 PASID bits */
	caps = lnl;
	caps.rps = false;
	assert_int_equal(vtd_sm_context_validate(&c, &caps, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.pasid_bits = 8;
	c.rid_pasid = 0xff;
	assert_int_equal(vtd_sm_context_validate(&c, &caps, HAW), 0);
	c.rid_pasid = 0x100;
	assert_int_equal(vtd_sm_context_validate(&c, &caps, HAW), -ERANGE);

	/* The directory must lie below 2^HAW. */
	c = (struct vtd_sm_context_config){ .pasid_dir = 1ull << HAW };
	assert_int_equal(vtd_sm_context_validate(&c, &gnr, HAW), -EINVAL);
	c.pasid_dir = BIT51;
	assert_int_equal(vtd_sm_context_validate(&c, &gnr, 52), 0);
}

static void sm_context_decode(void **state)
{
	struct vtd_sm_context_config in = {
		.pasid_dir = PTR_MAX52,
		.pdts = 7, /* 0xabcde >> 6 = 0x2af3: needs 2^14 entries */
		.rid_pasid = 0xabcde,
		.flags = VTD_SMCE_FLAG_DTE | VTD_SMCE_FLAG_RID_PRIV
	};
	struct vtd_sm_context_config out;
	struct vtd_sm_context_entry e;

	(void)state;
	assert_int_equal(vtd_sm_context_entry_encode(&in, &e), 0);
	vtd_sm_context_entry_set_present(&e);
	assert_int_equal(vtd_sm_context_entry_decode(&e, &out), 0);
	assert_int_equal(out.pasid_dir, in.pasid_dir);
	assert_int_equal(out.pdts, 7);
	assert_int_equal(out.rid_pasid, 0xabcde);
	assert_int_equal(out.flags, in.flags);

	e.val[0] |= 1ull << 5; /* bits 8:5 reserved */
	assert_int_equal(vtd_sm_context_entry_decode(&e, &out), -EINVAL);
	e.val[0] &= ~(1ull << 5);
	e.val[1] |= 1ull << 21; /* bit 85 */
	assert_int_equal(vtd_sm_context_entry_decode(&e, &out), -EINVAL);
	e.val[1] &= ~(1ull << 21);
	e.val[3] = 1; /* bits 255:128 */
	assert_int_equal(vtd_sm_context_entry_decode(&e, &out), -EINVAL);
}

/* ---- PASID directory entry (9.5) ---- */

static void pasid_dir_entry(void **state)
{
	struct vtd_pasid_dir_entry e;

	(void)state;
	/* SMPTBLPTR 0x12345000 | FPD 0x2 = 0x12345002, P = 0. */
	assert_int_equal(vtd_pasid_dir_entry_encode(0x12345000, true, &e), 0);
	assert_int_equal(e.val, 0x12345002);
	assert_false(vtd_pasid_dir_entry_present(&e));
	vtd_pasid_dir_entry_set_present(&e);
	assert_int_equal(e.val, 0x12345003);
	assert_true(vtd_pasid_dir_entry_present(&e));
	assert_true(vtd_pasid_dir_entry_fpd(&e));
	assert_int_equal(vtd_pasid_dir_entry_table(&e), 0x12345000);
	assert_false(vtd_pasid_dir_entry_reserved(&e));

	/* Bits 51:12 set, no FPD. */
	assert_int_equal(vtd_pasid_dir_entry_encode(PTR_MAX52, false, &e), 0);
	assert_int_equal(e.val, 0x000ffffffffff000);
	assert_false(vtd_pasid_dir_entry_fpd(&e));
	assert_int_equal(e.val & RSV_PDE, 0);

	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_dir_entry_encode(0x12345004, false, &e), -EINVAL);
	assert_int_equal(e.val, 0);

	e.val = 0x12345000 | (1ull << 2);
	assert_true(vtd_pasid_dir_entry_reserved(&e));
	e.val = 0x12345000 | (1ull << 11);
	assert_true(vtd_pasid_dir_entry_reserved(&e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aw_helpers),
		cmocka_unit_test(aw_of_unit),
		cmocka_unit_test(level_shifts),
		cmocka_unit_test(indices_and_sizes),
		cmocka_unit_test(root_entry_legacy),
		cmocka_unit_test(root_entry_scalable),
		cmocka_unit_test(context_entry_vectors),
		cmocka_unit_test(context_entry_malformed),
		cmocka_unit_test(context_validate),
		cmocka_unit_test(context_decode),
		cmocka_unit_test(sm_context_vectors),
		cmocka_unit_test(sm_context_malformed),
		cmocka_unit_test(sm_context_validate),
		cmocka_unit_test(sm_context_decode),
		cmocka_unit_test(pasid_dir_entry),
	};

	return cmocka_run_group_tests(tests, entries_setup, NULL);
}
