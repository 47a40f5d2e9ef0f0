// SPDX-License-Identifier: MIT
/*
 * VT-d translation structures (VT-d rev 5.0, chapter 9): root (9.1, 9.2), context (9.3, 9.4),
 * PASID directory (9.5) and PASID table (9.6) entries against golden words worked out by hand
 * from the specification's bit tables (each vector's comment shows the field arithmetic; none
 * was produced by running the encoder), the P = 0 then set-present order, the validators'
 * refusals (each distinct errno), round trips through the decoders, and reserved bits left 0.
 *
 * Cross-checked against other implementations' bit positions:
 *  - Linux drivers/iommu/intel/pasid.h: pasid_set_domain_id (val[1] 15:0),
 *    pasid_set_address_width (val[0] 4:2), pasid_set_translation_type (val[0] 8:6),
 *    pasid_set_ssade (val[0] bit 9), pasid_set_slptr / pasid_set_flptr (val[0] / val[2] 63:12),
 *    pasid_set_page_snoop (val[1] bit 23), pasid_set_pgsnp (val[1] bit 24), pasid_set_sre
 *    (val[2] bit 0), pasid_set_flpm (val[2] 3:2), pasid_set_wpe (val[2] bit 4), pasid_set_nxe
 *    (val[2] bit 5), pasid_set_eafe (val[2] bit 7): the PASID entry vectors below.
 *    pKVM-IA's pasid_set_ssee: SSEE is val[0] bit 5.
 *  - Linux drivers/iommu/intel/iommu.{h,c}: context_set_translation_type (lo 3:2),
 *    context_set_address_width (hi 2:0), context_set_domain_id (hi 23:8), context_pdts (lo
 *    11:9), context_set_sm_dte (lo bit 2), CONTEXT_PASIDE (lo bit 3), context_set_sm_pre (lo
 *    bit 4), context_set_sm_rid2pasid (hi 19:0; one version also set hi bit 20, RID_PRIV),
 *    root_entry_lctp / root_entry_uctp (lo / hi 63:12, present in bit 0 of each).
 *  - QEMU hw/i386/intel_iommu_internal.h reserved masks: VTD_CONTEXT_ENTRY_RSVD_LO 0xff0,
 *    VTD_CONTEXT_ENTRY_RSVD_HI 0xffffffffff000080, VTD_SM_CONTEXT_ENTRY_RSVD_VAL0 0x1e0,
 *    VTD_SM_CONTEXT_ENTRY_RSVD_VAL1 0xffffffffffe00000, VTD_ROOT_ENTRY_RSVD 0xffe: the RSV_*
 *    masks below.
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
#include "tests/unit/vtd_units.h"

#define HAW 46u /* a host address width for the tests: pointers below 2^46 */

#define BIT51	  (1ull << 51)
#define PTR_MAX52 0x000ffffffffff000ull /* bits 51:12 all set */
#define FILL	  0xa5

/* Reserved bits of each word, from the specification's tables (QEMU agrees where noted). */
#define RSV_RE_LO     0xffeull		    /* 11:1 (QEMU VTD_ROOT_ENTRY_RSVD) */
#define RSV_RE_HI     0xffffffffffffffffull /* 127:64 */
#define RSV_SMRE_HI   0xffeull		    /* 75:65 */
#define RSV_CE_LO     0xff0ull		    /* 11:4 (QEMU) */
#define RSV_CE_HI     0xffffffffff000080ull /* 71, 127:88 (QEMU) */
#define RSV_SMCE_W0   0x1e0ull		    /* 8:5 (QEMU) */
#define RSV_SMCE_W1   0xffffffffffe00000ull /* 127:85 (QEMU) */
#define RSV_PDE	      0xffcull		    /* 11:2 */
#define RSV_PE_W0     0xc00ull		    /* 11:10 */
#define RSV_PE_W1     0x7f0000ull	    /* 86:80 */
#define RSV_PE_W2     0xf00ull		    /* 139:136 */
#define PE_W1_MT_BITS 0xfffffffffe000000ull /* 127:89: CD EMTE EMT PWT PCD PAT, left 0 */

/* The units of tests/unit/vtd_units.h: Granite Rapids dmar0 and Lunar Lake dmar0. */
static struct vtd_caps gnr, lnl;

static int setup(void **state)
{
	(void)state;
	gnr = vtd_unit_gnr();
	lnl = vtd_unit_lnl();
	return 0;
}

static void assert_words(const uint64_t *got, const uint64_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void assert_all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < size; i++)
		assert_int_equal(b[i], 0);
}

static void assert_pe_reserved_clear(const struct vtd_pasid_entry *e)
{
	assert_int_equal(e->val[0] & RSV_PE_W0, 0);
	assert_int_equal(e->val[1] & (RSV_PE_W1 | PE_W1_MT_BITS), 0);
	assert_int_equal(e->val[2] & RSV_PE_W2, 0);
	for (int i = 3; i < 8; i++)
		assert_int_equal(e->val[i], 0);
}

static void assert_pe_config_equal(const struct vtd_pasid_entry_config *a,
				   const struct vtd_pasid_entry_config *b)
{
	assert_int_equal(a->pgtt, b->pgtt);
	assert_int_equal(a->did, b->did);
	assert_int_equal(a->aw, b->aw);
	assert_int_equal(a->ss_root, b->ss_root);
	assert_int_equal(a->fs_root, b->fs_root);
	assert_int_equal(a->fs_paging, b->fs_paging);
	assert_int_equal(a->flags, b->flags);
}

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

/* ---- PASID table entry (9.6) ---- */

static const struct vtd_pasid_entry_config ss_basic = {
	.pgtt = VTD_PGTT_SS,
	.did = 0x2a,
	.aw = VTD_AW_48,
	.ss_root = 0x12345000,
	.flags = VTD_PE_FLAG_PWSNP,
};

static void pasid_entry_second_stage(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c;

	(void)state;
	/* SSPTPTR 0x12345000 | PGTT 010b << 6 (0x80) | AW 2 << 2 (0x8) = 0x12345088;
	 * DID 0x2a | PWSNP 1 << 23 (bit 87) = 0x80002a. */
	assert_int_equal(vtd_pasid_entry_encode(&ss_basic, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x12345088, 0x80002a, 0, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* Every second-stage field at its extreme: SSPTPTR bits 51:12 set, SSADE 0x200, PGTT 0x80,
	 * SSEE 0x20, AW 3 << 2 = 0xc, FPD 0x2: low 12 bits 0x2ae -> 0x000ffffffffff2ae;
	 * DID 0xffff | PWSNP 0x800000 | PGSNP 1 << 24 (bit 88) = 0x180ffff. */
	c = (struct vtd_pasid_entry_config){
		.pgtt = VTD_PGTT_SS,
		.did = 0xffff,
		.aw = VTD_AW_57,
		.ss_root = PTR_MAX52,
		.flags = VTD_PE_FLAG_FPD | VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP |
			 VTD_PE_FLAG_SSADE | VTD_PE_FLAG_SSEE,
	};
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x000ffffffffff2ae, 0x180ffff, 0, 0, 0, 0, 0, 0 },
		     8);
	assert_pe_reserved_clear(&e);
	assert_int_equal(vtd_pasid_entry_pgtt(&e), VTD_PGTT_SS);
	assert_int_equal(vtd_pasid_entry_did(&e), 0xffff);
	assert_int_equal(vtd_pasid_entry_ss_root(&e), PTR_MAX52);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), 0);

	/* Pointer with only address bit 51: word 0 = 0x0008000000000000 | 0x80 | AW 1 << 2 (0x4). */
	c = (struct vtd_pasid_entry_config){ .pgtt = VTD_PGTT_SS,
					     .aw = VTD_AW_39,
					     .ss_root = BIT51 };
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x0008000000000084, 0, 0, 0, 0, 0, 0, 0 }, 8);
}

static void pasid_entry_first_stage(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c = {
		.pgtt = VTD_PGTT_FS,
		.did = 1,
		.fs_root = 0x23456000,
		.fs_paging = VTD_FSPM_4LEVEL,
		.flags = VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_NXE | VTD_PE_FLAG_EAFE |
			 VTD_PE_FLAG_PWSNP,
	};

	(void)state;
	/* PGTT 001b << 6 = 0x40, AW 0; DID 1 | PWSNP 0x800000 = 0x800001;
	 * FSPTPTR 0x23456000 (bits 191:140 = word 2 bits 63:12) | EAFE 0x80 (135) | NXE 0x20 (133)
	 * | WPE 0x10 (132) | FSPM 0 | SRE 0x1 (128) = 0x234560b1. */
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x40, 0x800001, 0x234560b1, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* 5-level, every first-stage flag, FSPTPTR with address bit 51, DID 0xffff, AW 3, FPD,
	 * PGSNP: word 0 = 0x40 | 0xc | 0x2 = 0x4e; word 1 = 0xffff | 0x1000000 = 0x100ffff;
	 * word 2 = 0x0008000000000000 | EAFE 0x80 | SMEP 0x40 | NXE 0x20 | WPE 0x10 | FSPM 1 << 2
	 * (0x4) | ERE 0x2 | SRE 0x1 = 0x00080000000000f7. */
	c = (struct vtd_pasid_entry_config){
		.pgtt = VTD_PGTT_FS,
		.did = 0xffff,
		.aw = VTD_AW_57,
		.fs_root = BIT51,
		.fs_paging = VTD_FSPM_5LEVEL,
		.flags = VTD_PE_FLAG_FPD | VTD_PE_FLAG_PGSNP | VTD_PE_FLAGS_FS,
	};
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val,
		     (const uint64_t[]){ 0x4e, 0x100ffff, 0x00080000000000f7, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), BIT51);
	assert_int_equal(vtd_pasid_entry_ss_root(&e), 0);
	assert_int_equal(vtd_pasid_entry_pgtt(&e), VTD_PGTT_FS);
}

static void pasid_entry_pass_through(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c = {
		.pgtt = VTD_PGTT_PT,
		.did = 0x2a,
		.aw = VTD_AW_48,
		.flags = VTD_PE_FLAG_PWSNP,
	};

	(void)state;
	/* PGTT 100b << 6 = 0x100 | AW 2 << 2 = 0x108; DID 0x2a | PWSNP = 0x80002a. */
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x108, 0x80002a, 0, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* Nothing but PGTT: word 0 = 0x100. */
	c = (struct vtd_pasid_entry_config){ .pgtt = VTD_PGTT_PT };
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x100, 0, 0, 0, 0, 0, 0, 0 }, 8);
}

/*
 * Nested (PGTT 011b): SSPTPTR is the second-stage (nesting parent) root, host physical;
 * FSPTPTR the guest's first-stage root, a guest-physical address.
 */
static const struct vtd_pasid_entry_config nested_basic = {
	.pgtt = VTD_PGTT_NESTED,
	.did = 0x2a,
	.aw = VTD_AW_48,
	.ss_root = 0x12345000,
	.fs_root = 0x23456000,
	.fs_paging = VTD_FSPM_4LEVEL,
};

static void pasid_entry_nested(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c;

	(void)state;
	/* 4-level first stage: word 0 = SSPTPTR 0x12345000 | PGTT 011b << 6 (0xc0) | AW 2 << 2
	 * (0x8) = 0x123450c8; word 1 = DID 0x2a; word 2 = FSPTPTR 0x23456000 | FSPM 0 = 0x23456000. */
	assert_int_equal(vtd_pasid_entry_encode(&nested_basic, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x123450c8, 0x2a, 0x23456000, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);
	assert_false(vtd_pasid_entry_present(&e));
	assert_int_equal(vtd_pasid_entry_pgtt(&e), VTD_PGTT_NESTED);
	assert_int_equal(vtd_pasid_entry_did(&e), 0x2a);
	assert_int_equal(vtd_pasid_entry_ss_root(&e), 0x12345000);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), 0x23456000);

	/* 5-level first stage over a 57-bit second stage: word 0 = 0x12345000 | 0xc0 | AW 3 << 2
	 * (0xc) = 0x123450cc; word 2 = 0x23456000 | FSPM 1 << 2 (0x4) = 0x23456004. */
	c = nested_basic;
	c.aw = VTD_AW_57;
	c.fs_paging = VTD_FSPM_5LEVEL;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x123450cc, 0x2a, 0x23456004, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* 5-level first stage over a 48-bit second stage is still a well-formed entry: word 0 =
	 * 0x123450c8 (AW 2), word 2 = 0x23456004 (FSPM 1). */
	c.aw = VTD_AW_48;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x123450c8, 0x2a, 0x23456004, 0, 0, 0, 0, 0 }, 8);

	/* Every field at its extreme: SSPTPTR bits 51:12 (0x000ffffffffff000) | SSADE 0x200 |
	 * PGTT 0xc0 | SSEE 0x20 | AW 3 << 2 (0xc) | FPD 0x2 -> low 12 bits 0x2ee:
	 * 0x000ffffffffff2ee; word 1 = DID 0xffff | PWSNP 0x800000 | PGSNP 0x1000000 = 0x180ffff;
	 * word 2 = FSPTPTR bit 51 (0x0008000000000000) | EAFE 0x80 | SMEP 0x40 | NXE 0x20 |
	 * WPE 0x10 | FSPM 1 << 2 (0x4) | ERE 0x2 | SRE 0x1 = 0x00080000000000f7. */
	c = (struct vtd_pasid_entry_config){
		.pgtt = VTD_PGTT_NESTED,
		.did = 0xffff,
		.aw = VTD_AW_57,
		.ss_root = PTR_MAX52,
		.fs_root = BIT51,
		.fs_paging = VTD_FSPM_5LEVEL,
		.flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS,
	};
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val,
		     (const uint64_t[]){ 0x000ffffffffff2ee, 0x180ffff, 0x00080000000000f7, 0, 0, 0,
					 0, 0 },
		     8);
	assert_pe_reserved_clear(&e);
	assert_false(vtd_pasid_entry_present(&e));
	assert_int_equal(vtd_pasid_entry_ss_root(&e), PTR_MAX52);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), BIT51);
}

/*
 * One flag (or pair) at a time on nested_basic (words 0x123450c8, 0x2a, 0x23456000): the word
 * each lands in, nothing else moved, and what vtd_pasid_entry_validate() says on Granite Rapids
 * (it lacks ERS).
 */
static void pasid_entry_nested_flags(void **state)
{
	const struct {
		uint32_t flags;
		uint64_t w0, w1, w2;
		int gnr_rc;
	} v[] = {
		/* none */
		{ 0, 0x123450c8, 0x2a, 0x23456000, 0 },
		/* FPD bit 1: 0x123450c8 | 0x2 */
		{ VTD_PE_FLAG_FPD, 0x123450ca, 0x2a, 0x23456000, 0 },
		/* SSADE bit 9: 0x123450c8 | 0x200 */
		{ VTD_PE_FLAG_SSADE, 0x123452c8, 0x2a, 0x23456000, 0 },
		/* SSEE bit 5: 0x123450c8 | 0x20; needs ERS */
		{ VTD_PE_FLAG_SSEE, 0x123450e8, 0x2a, 0x23456000, -EOPNOTSUPP },
		/* PWSNP bit 87 = word 1 bit 23: 0x2a | 0x800000 */
		{ VTD_PE_FLAG_PWSNP, 0x123450c8, 0x80002a, 0x23456000, 0 },
		/* PGSNP bit 88 = word 1 bit 24: 0x2a | 0x1000000 */
		{ VTD_PE_FLAG_PGSNP, 0x123450c8, 0x100002a, 0x23456000, 0 },
		/* PWSNP + PGSNP: 0x2a | 0x800000 | 0x1000000 */
		{ VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP, 0x123450c8, 0x180002a, 0x23456000, 0 },
		/* SRE bit 128 = word 2 bit 0: 0x23456000 | 0x1 */
		{ VTD_PE_FLAG_SRE, 0x123450c8, 0x2a, 0x23456001, 0 },
		/* SRE + WPE bit 132 = word 2 bit 4: 0x23456000 | 0x1 | 0x10 */
		{ VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE, 0x123450c8, 0x2a, 0x23456011, 0 },
		/* ERE bit 129 = word 2 bit 1: | 0x2; needs ERS */
		{ VTD_PE_FLAG_ERE, 0x123450c8, 0x2a, 0x23456002, -EOPNOTSUPP },
		/* NXE bit 133 = word 2 bit 5: | 0x20 */
		{ VTD_PE_FLAG_NXE, 0x123450c8, 0x2a, 0x23456020, 0 },
		/* SMEP bit 134 = word 2 bit 6: | 0x40; needs ERS */
		{ VTD_PE_FLAG_SMEP, 0x123450c8, 0x2a, 0x23456040, -EOPNOTSUPP },
		/* EAFE bit 135 = word 2 bit 7: | 0x80 */
		{ VTD_PE_FLAG_EAFE, 0x123450c8, 0x2a, 0x23456080, 0 },
		/* SSADE + SRE + WPE + EAFE + PWSNP + PGSNP, all Granite Rapids offers for both stages:
		 * word 0 0x123452c8, word 1 0x180002a, word 2 0x23456000 | 0x80 | 0x10 | 0x1. */
		{ VTD_PE_FLAG_SSADE | VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_EAFE |
			  VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP,
		  0x123452c8, 0x180002a, 0x23456091, 0 },
	};
	struct vtd_pasid_entry_config c, out;
	struct vtd_pasid_entry e;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		c = nested_basic;
		c.flags = v[i].flags;
		assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
		assert_words(e.val, (const uint64_t[]){ v[i].w0, v[i].w1, v[i].w2, 0, 0, 0, 0, 0 },
			     8);
		assert_pe_reserved_clear(&e);
		assert_false(vtd_pasid_entry_present(&e));
		assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), v[i].gnr_rc);
		assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);
		assert_pe_config_equal(&out, &c);
	}
}

/* A nested entry goes live only through set_present: P clear after encode, only bit 0 moves. */
static void pasid_entry_nested_present_last(void **state)
{
	struct vtd_pasid_entry table[VTD_PASID_TABLE_ENTRIES];
	struct vtd_pasid_entry e;
	unsigned int idx = vtd_pasid_table_index(0x81); /* 1 */

	(void)state;
	memset(table, 0, sizeof(table));
	assert_int_equal(vtd_pasid_entry_encode(&nested_basic, &e), 0);
	assert_int_equal(e.val[0] & 1, 0);
	assert_false(vtd_pasid_entry_present(&table[idx])); /* a free slot: caller may install */
	memcpy(&table[idx], &e, sizeof(e));
	assert_false(vtd_pasid_entry_present(&table[idx]));
	vtd_pasid_entry_set_present(&table[idx]);
	/* 0x123450c8 -> 0x123450c9; words 1 and 2 untouched. */
	assert_words(table[idx].val,
		     (const uint64_t[]){ 0x123450c9, 0x2a, 0x23456000, 0, 0, 0, 0, 0 }, 8);
	assert_true(vtd_pasid_entry_present(&table[idx])); /* occupied: caller refuses, -EBUSY */
	assert_false(vtd_pasid_entry_present(&table[idx - 1]));
	assert_false(vtd_pasid_entry_present(&table[idx + 1]));
	/* Setting P again changes nothing. */
	vtd_pasid_entry_set_present(&table[idx]);
	assert_int_equal(table[idx].val[0], 0x123450c9);
}

/* The entry goes live only through set_present, on table memory the caller filled with P = 0. */
static void pasid_entry_present_last(void **state)
{
	struct vtd_pasid_entry table[VTD_PASID_TABLE_ENTRIES];
	struct vtd_pasid_entry e;
	unsigned int idx = vtd_pasid_table_index(0x47); /* 7 */

	(void)state;
	memset(table, 0, sizeof(table));
	assert_int_equal(vtd_pasid_entry_encode(&ss_basic, &e), 0);
	assert_false(vtd_pasid_entry_present(&e));
	assert_int_equal(e.val[0] & 1, 0);
	for (int i = 7; i >= 0; i--) /* the caller's copy: any order, P still 0 */
		table[idx].val[i] = e.val[i];
	assert_false(vtd_pasid_entry_present(&table[idx]));
	vtd_pasid_entry_set_present(&table[idx]);
	/* Only P (bit 0) changed: 0x12345088 -> 0x12345089. */
	assert_words(table[idx].val, (const uint64_t[]){ 0x12345089, 0x80002a, 0, 0, 0, 0, 0, 0 },
		     8);
	assert_true(vtd_pasid_entry_present(&table[idx]));
	assert_false(vtd_pasid_entry_present(&table[idx - 1]));
	assert_false(vtd_pasid_entry_present(&table[idx + 1]));
}

static void pasid_entry_malformed(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c;
	const struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS, .fs_root = 0x1000 };
	const struct vtd_pasid_entry_config pt = { .pgtt = VTD_PGTT_PT };

	(void)state;
	c = ss_basic;
	c.pgtt = (enum vtd_pgtt)0;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c.pgtt = (enum vtd_pgtt)5;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Second stage: AW 1..3, no first-stage field or flag. */
	c = ss_basic;
	c.aw = 0;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c.aw = 4;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.fs_root = 0x1000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.fs_paging = VTD_FSPM_5LEVEL;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.flags |= VTD_PE_FLAG_SRE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.ss_root = 0x12345008;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* First stage: no second-stage field or flag, FSPM 0..1, AW 0..3, WPE only with SRE. */
	c = fs;
	c.ss_root = 0x2000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.flags = VTD_PE_FLAG_SSADE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.fs_paging = (enum vtd_fspm)2;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.aw = 4;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.fs_root = 0x1800;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.flags = VTD_PE_FLAG_WPE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c.flags = VTD_PE_FLAG_WPE | VTD_PE_FLAG_SRE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	c = fs;
	c.flags = 1u << 11;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Pass-through: no table, no stage flag. */
	c = pt;
	c.ss_root = 0x1000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = pt;
	c.fs_root = 0x1000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = pt;
	c.flags = VTD_PE_FLAG_SSADE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c.flags = VTD_PE_FLAG_NXE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Nested: AW 1..3, FSPM 0..1, both pointers 4 KiB aligned, WPE only with SRE. */
	c = nested_basic;
	c.aw = 0;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c.aw = 4;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.fs_paging = (enum vtd_fspm)2;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.ss_root = 0x12345800;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.fs_root = 0x23456008;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.flags = VTD_PE_FLAG_WPE;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c.flags = 1u << 11;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Every defined flag is allowed in a nested entry. */
	c.flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
}

static void pasid_validate_translation_types(void **state)
{
	const struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS,
						   .did = 1,
						   .fs_root = 0x1000 };
	const struct vtd_pasid_entry_config pt = { .pgtt = VTD_PGTT_PT, .did = 1 };
	const struct vtd_pasid_entry_config nested = { .pgtt = VTD_PGTT_NESTED,
						       .did = 1,
						       .aw = VTD_AW_48,
						       .ss_root = 0x1000,
						       .fs_root = 0x2000 };
	struct vtd_caps caps;

	(void)state;
	assert_int_equal(vtd_pasid_entry_validate(&ss_basic, &gnr, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&pt, &gnr, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&nested, &gnr, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&fs, &lnl, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&nested, &lnl, HAW), -EOPNOTSUPP); /* no NEST */
	assert_int_equal(vtd_pasid_entry_validate(&pt, &gnr, 0), -EINVAL);

	caps = gnr;
	caps.fsts = false;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &caps, HAW), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_entry_validate(&nested, &caps, HAW), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_entry_validate(&ss_basic, &caps, HAW), 0);
	caps = gnr;
	caps.ssts = false;
	assert_int_equal(vtd_pasid_entry_validate(&ss_basic, &caps, HAW), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_entry_validate(&nested, &caps, HAW), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_entry_validate(&fs, &caps, HAW), 0);
	caps = gnr;
	caps.pt = false;
	assert_int_equal(vtd_pasid_entry_validate(&pt, &caps, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.smts = false;
	assert_int_equal(vtd_pasid_entry_validate(&ss_basic, &caps, HAW), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_entry_validate(&pt, &caps, HAW), -EOPNOTSUPP);
}

static void pasid_validate_flags(void **state)
{
	struct vtd_pasid_entry_config ss = ss_basic;
	struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS, .did = 1, .fs_root = 0x1000 };
	struct vtd_caps caps;

	(void)state;
	/* Granite Rapids has SMPWC, SC, SSADS, SRS, EAFS but not ERS. */
	ss.flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAG_SSADE;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), 0);
	ss.flags = VTD_PE_FLAG_SSEE;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), -EOPNOTSUPP);
	fs.flags = VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_NXE | VTD_PE_FLAG_EAFE;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), 0);
	fs.flags = VTD_PE_FLAG_ERE;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), -EOPNOTSUPP);
	fs.flags = VTD_PE_FLAG_SMEP;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.ers = true;
	fs.flags = VTD_PE_FLAG_ERE | VTD_PE_FLAG_SMEP;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &caps, HAW), 0);
	ss.flags = VTD_PE_FLAG_SSEE;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &caps, HAW), 0);

	/* Lunar Lake lacks SMPWC, SC, SSADS, SRS, EAFS. */
	ss.flags = VTD_PE_FLAG_PWSNP;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), -EOPNOTSUPP);
	ss.flags = VTD_PE_FLAG_PGSNP;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), -EOPNOTSUPP);
	ss.flags = VTD_PE_FLAG_SSADE;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), -EOPNOTSUPP);
	ss.flags = VTD_PE_FLAG_FPD;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), 0);
	fs.flags = VTD_PE_FLAG_SRE;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &lnl, HAW), -EOPNOTSUPP);
	fs.flags = VTD_PE_FLAG_EAFE;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &lnl, HAW), -EOPNOTSUPP);
	fs.flags = VTD_PE_FLAG_NXE | VTD_PE_FLAG_FPD;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &lnl, HAW), 0);
}

static void pasid_validate_widths(void **state)
{
	struct vtd_pasid_entry_config ss = ss_basic;
	struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS, .did = 1, .fs_root = 0x1000 };
	struct vtd_pasid_entry_config pt = { .pgtt = VTD_PGTT_PT, .did = 1 };

	(void)state;
	ss.flags = 0; /* Lunar Lake lacks SMPWC */
	/* SAGAW: Granite Rapids 48 + 57, Lunar Lake 48. */
	ss.aw = VTD_AW_39;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), -ERANGE);
	ss.aw = VTD_AW_57;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), -ERANGE);
	/* AW may be 0 for first stage and pass-through; when set it must be in SAGAW. */
	assert_int_equal(vtd_pasid_entry_validate(&pt, &lnl, HAW), 0);
	pt.aw = VTD_AW_48;
	assert_int_equal(vtd_pasid_entry_validate(&pt, &lnl, HAW), 0);
	pt.aw = VTD_AW_57;
	assert_int_equal(vtd_pasid_entry_validate(&pt, &lnl, HAW), -ERANGE);
	fs.aw = VTD_AW_39;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), -ERANGE);
	/* 5-level first stage needs CAP.FS5LP: Granite Rapids has it, Lunar Lake not. */
	fs.aw = 0;
	fs.fs_paging = VTD_FSPM_5LEVEL;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), 0);
	assert_int_equal(vtd_pasid_entry_validate(&fs, &lnl, HAW), -ERANGE);
}

static void pasid_validate_did_and_pointers(void **state)
{
	struct vtd_pasid_entry_config ss = ss_basic;
	struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS, .did = 1, .fs_root = 0x1000 };
	struct vtd_pasid_entry_config nested = { .pgtt = VTD_PGTT_NESTED,
						 .did = 1,
						 .aw = VTD_AW_48,
						 .ss_root = 0x1000,
						 .fs_root = 0x2000 };
	struct vtd_caps caps;

	(void)state;
	ss.flags = 0; /* Lunar Lake lacks SMPWC */
	/* Lunar Lake: 8-bit domain ids. */
	ss.did = 0xff;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), 0);
	ss.did = 0x100;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &lnl, HAW), -EINVAL);
	ss.did = 0xffff;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), 0);
	/* Caching mode reserves DID 0. */
	ss.did = 0;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), 0);
	caps = gnr;
	caps.cm = true;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &caps, HAW), -EINVAL);
	ss.did = 1;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &caps, HAW), 0);

	/* Host-physical pointers below 2^HAW. */
	ss.ss_root = 1ull << HAW;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), -EINVAL);
	ss.ss_root = (1ull << HAW) - 0x1000;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, HAW), 0);
	ss.ss_root = BIT51;
	assert_int_equal(vtd_pasid_entry_validate(&ss, &gnr, 52), 0);
	fs.fs_root = 1ull << HAW;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, HAW), -EINVAL);
	fs.fs_root = BIT51;
	assert_int_equal(vtd_pasid_entry_validate(&fs, &gnr, 52), 0);
	/* Nested: the first-stage root is guest physical, bounded by the second stage's 48 bits
	 * rather than by HAW. */
	nested.fs_root = (1ull << 48) - 0x1000;
	assert_int_equal(vtd_pasid_entry_validate(&nested, &gnr, 40), 0);
	nested.fs_root = 1ull << 48;
	assert_int_equal(vtd_pasid_entry_validate(&nested, &gnr, 52), -EINVAL);
	nested.fs_root = 0x2000;
	nested.ss_root = 1ull << 40;
	assert_int_equal(vtd_pasid_entry_validate(&nested, &gnr, 40), -EINVAL);
}

/*
 * What a nested entry asks of the unit, on copies of the Granite Rapids caps (NEST, FSTS,
 * SSTS, SRS, EAFS, SMPWC, SC, SSADS, FS5LP, SAGAW 48 + 57) with one capability taken away.
 */
static void pasid_validate_nested(void **state)
{
	struct vtd_pasid_entry_config c;
	struct vtd_caps caps;

	(void)state;
	c = nested_basic;
	c.flags = VTD_PE_FLAG_SSADE | VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_EAFE |
		  VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP | VTD_PE_FLAG_NXE | VTD_PE_FLAG_FPD;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), 0);

	/* The translation type: NEST, and both stages it nests. */
	caps = gnr;
	caps.nest = false;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.fsts = false;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.ssts = false;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.smts = false;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -EOPNOTSUPP);

	/* Each flag against the capability it needs; without the flag the entry is fine. */
	const struct {
		uint32_t flags;
		size_t off; /* the bool in struct vtd_caps to clear; SIZE_MAX: ECAP.SSADS */
	} need[] = {
		{ VTD_PE_FLAG_SRE, offsetof(struct vtd_caps, srs) },
		{ VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE, offsetof(struct vtd_caps, srs) },
		{ VTD_PE_FLAG_EAFE, offsetof(struct vtd_caps, eafs) },
		{ VTD_PE_FLAG_PWSNP, offsetof(struct vtd_caps, smpwc) },
		{ VTD_PE_FLAG_PGSNP, offsetof(struct vtd_caps, sc) },
		{ VTD_PE_FLAG_SSADE, SIZE_MAX },
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		caps = gnr;
		if (need[i].off == SIZE_MAX)
			caps.ecap &= ~(1ull << 45); /* ECAP.SSADS, bit 45 */
		else
			*(bool *)((char *)&caps + need[i].off) = false;
		c = nested_basic;
		c.flags = need[i].flags;
		assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), 0);
		assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -EOPNOTSUPP);
		c.flags = 0;
		assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), 0);
	}
	/* ERE, SMEP, SSEE need ECAP.ERS, which Granite Rapids lacks; with it they pass. */
	c = nested_basic;
	c.flags = VTD_PE_FLAG_ERE | VTD_PE_FLAG_SMEP | VTD_PE_FLAG_SSEE;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), -EOPNOTSUPP);
	caps = gnr;
	caps.ers = true;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), 0);

	/* WPE without SRE is malformed, whatever the unit. */
	c = nested_basic;
	c.flags = VTD_PE_FLAG_WPE;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), -EINVAL);

	/* Widths: AW must be in SAGAW (Granite Rapids: bit 2 = 48, bit 3 = 57). */
	c = nested_basic;
	c.aw = VTD_AW_39;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), -ERANGE);
	c.aw = VTD_AW_48;
	caps = gnr;
	caps.sagaw &= (uint8_t) ~(1u << VTD_AW_48);
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -ERANGE);
	c.aw = VTD_AW_57;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), 0);
	caps = gnr;
	caps.sagaw &= (uint8_t) ~(1u << VTD_AW_57);
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -ERANGE);
	/* 5-level first stage needs CAP.FS5LP. */
	c = nested_basic;
	c.fs_paging = VTD_FSPM_5LEVEL;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), 0);
	caps = gnr;
	caps.fs5lp = false;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), -ERANGE);
	c.fs_paging = VTD_FSPM_4LEVEL;
	assert_int_equal(vtd_pasid_entry_validate(&c, &caps, HAW), 0);

	/* The guest-physical first-stage root lies below 2^AW-width (48: 2^48; 57: 2^57), even
	 * above 2^HAW; the second-stage root is host physical and lies below 2^HAW. */
	c = nested_basic;
	c.fs_root = (1ull << 48) - 0x1000;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), 0);
	c.fs_root = 1ull << 48;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), -EINVAL);
	c.aw = VTD_AW_57;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), 0);
	c.fs_root = (1ull << 57) - 0x1000;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), 0);
	c.fs_root = 1ull << 57;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), -EINVAL);
	c = nested_basic;
	c.ss_root = 1ull << HAW;
	assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), -EINVAL);
}

/* The first failing check decides: malformed, then unsupported, then range, then values. */
static void pasid_validate_order(void **state)
{
	struct vtd_pasid_entry_config c = {
		.pgtt = VTD_PGTT_NESTED, .did = 0x100, .aw = VTD_AW_57, .ss_root = 0x1000
	};

	(void)state;
	/* Lunar Lake: no NEST (-EOPNOTSUPP), 57 not in SAGAW (-ERANGE), DID 0x100 (-EINVAL). */
	assert_int_equal(vtd_pasid_entry_validate(&c, &lnl, HAW), -EOPNOTSUPP);
	c.pgtt = VTD_PGTT_SS;
	assert_int_equal(vtd_pasid_entry_validate(&c, &lnl, HAW), -ERANGE);
	c.aw = VTD_AW_48;
	assert_int_equal(vtd_pasid_entry_validate(&c, &lnl, HAW), -EINVAL);
	c.did = 1;
	assert_int_equal(vtd_pasid_entry_validate(&c, &lnl, HAW), 0);
	/* Malformed beats everything. */
	c.pgtt = VTD_PGTT_NESTED;
	c.aw = VTD_AW_57;
	c.flags = VTD_PE_FLAG_WPE;
	assert_int_equal(vtd_pasid_entry_validate(&c, &lnl, HAW), -EINVAL);
}

static void pasid_entry_round_trip(void **state)
{
	const struct vtd_pasid_entry_config cfgs[] = {
		ss_basic,
		{ .pgtt = VTD_PGTT_SS,
		  .did = 0xffff,
		  .aw = VTD_AW_57,
		  .ss_root = PTR_MAX52,
		  .flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS },
		{ .pgtt = VTD_PGTT_FS,
		  .did = 0x8000,
		  .fs_root = BIT51,
		  .fs_paging = VTD_FSPM_5LEVEL,
		  .flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_FS },
		{ .pgtt = VTD_PGTT_FS, .aw = VTD_AW_48, .fs_root = 0x7000 },
		{ .pgtt = VTD_PGTT_PT, .did = 0x1234, .aw = VTD_AW_39, .flags = VTD_PE_FLAG_FPD },
		nested_basic,
		{ .pgtt = VTD_PGTT_NESTED,
		  .did = 0xffff,
		  .aw = VTD_AW_57,
		  .ss_root = PTR_MAX52,
		  .fs_root = BIT51,
		  .fs_paging = VTD_FSPM_5LEVEL,
		  .flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS },
		{ .pgtt = VTD_PGTT_NESTED,
		  .did = 7,
		  .aw = VTD_AW_39,
		  .ss_root = 0x1000,
		  .fs_root = 0x7ffffff000,
		  .flags = VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_SSADE },
	};
	struct vtd_pasid_entry_config out;
	struct vtd_pasid_entry e;

	(void)state;
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		assert_int_equal(vtd_pasid_entry_encode(&cfgs[i], &e), 0);
		assert_pe_reserved_clear(&e);
		assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);
		assert_pe_config_equal(&out, &cfgs[i]);
		vtd_pasid_entry_set_present(&e);
		assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);
		assert_pe_config_equal(&out, &cfgs[i]);
		/* and back: the decoded config encodes to the same words, P clear again */
		struct vtd_pasid_entry again;

		assert_int_equal(vtd_pasid_entry_encode(&out, &again), 0);
		assert_false(vtd_pasid_entry_present(&again));
		again.val[0] |= 1; /* P, bit 0: the only difference from the live entry */
		assert_words(again.val, e.val, 8);
	}
}

static void pasid_entry_decode_refusals(void **state)
{
	struct vtd_pasid_entry_config out;
	struct vtd_pasid_entry e;

	(void)state;
	assert_int_equal(vtd_pasid_entry_encode(&ss_basic, &e), 0);
	assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);

	const struct {
		unsigned int word;
		uint64_t bit;
		int err;
	} flips[] = {
		{ 0, 1ull << 10, -EINVAL },	/* bit 10 reserved */
		{ 0, 1ull << 11, -EINVAL },	/* bit 11 reserved */
		{ 1, 1ull << 16, -EINVAL },	/* bit 80 reserved */
		{ 1, 1ull << 22, -EINVAL },	/* bit 86 reserved */
		{ 2, 1ull << 8, -EINVAL },	/* bit 136 reserved */
		{ 2, 1ull << 11, -EINVAL },	/* bit 139 reserved */
		{ 3, 1ull << 0, -EINVAL },	/* bit 192 reserved */
		{ 7, 1ull << 63, -EINVAL },	/* bit 511 reserved */
		{ 1, 1ull << 25, -EOPNOTSUPP }, /* CD, bit 89 */
		{ 1, 1ull << 32, -EOPNOTSUPP }, /* PAT, bit 96 */
		{ 1, 1ull << 63, -EOPNOTSUPP }, /* PAT, bit 127 */
	};
	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		struct vtd_pasid_entry bad = e;

		bad.val[flips[i].word] |= flips[i].bit;
		assert_int_equal(vtd_pasid_entry_decode(&bad, &out), flips[i].err);
	}

	/* PGTT 000b and 101b are reserved (bits 8:6); FSPM 10b too (bits 131:130). */
	struct vtd_pasid_entry bad = e;

	bad.val[0] &= ~(7ull << 6);
	assert_int_equal(vtd_pasid_entry_decode(&bad, &out), -EINVAL);
	assert_int_equal(out.pgtt, 0);
	bad.val[0] |= 5ull << 6;
	assert_int_equal(vtd_pasid_entry_decode(&bad, &out), -EINVAL);
	assert_int_equal(vtd_pasid_entry_pgtt(&bad), 5);
	bad = e;
	bad.val[2] |= 2ull << 2;
	assert_int_equal(vtd_pasid_entry_decode(&bad, &out), -EINVAL);
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
		cmocka_unit_test(pasid_entry_second_stage),
		cmocka_unit_test(pasid_entry_first_stage),
		cmocka_unit_test(pasid_entry_pass_through),
		cmocka_unit_test(pasid_entry_nested),
		cmocka_unit_test(pasid_entry_nested_flags),
		cmocka_unit_test(pasid_entry_nested_present_last),
		cmocka_unit_test(pasid_entry_present_last),
		cmocka_unit_test(pasid_entry_malformed),
		cmocka_unit_test(pasid_validate_translation_types),
		cmocka_unit_test(pasid_validate_flags),
		cmocka_unit_test(pasid_validate_widths),
		cmocka_unit_test(pasid_validate_did_and_pointers),
		cmocka_unit_test(pasid_validate_nested),
		cmocka_unit_test(pasid_validate_order),
		cmocka_unit_test(pasid_entry_round_trip),
		cmocka_unit_test(pasid_entry_decode_refusals),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
