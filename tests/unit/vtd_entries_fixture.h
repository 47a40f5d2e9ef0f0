/* SPDX-License-Identifier: MIT */
/*
 * What the translation-structure tests (test_vtd_entries.c: root, context and PASID directory
 * entries; test_vtd_pasid_entry.c and test_vtd_pasid_validate.c: PASID table entries) share:
 * the reserved bits of each word from the specification's tables, the units they check
 * against, two PASID entries, and PASID entry assertions (word assertions: test_asserts.h).
 * Header only (static): each test program has its own copy. Every failed expectation is a
 * cmocka assertion.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_ENTRIES_FIXTURE_H
#define SKIFF_TESTS_UNIT_VTD_ENTRIES_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_entries.h"
#include "tests/unit/test_asserts.h"
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

static inline int entries_setup(void **state)
{
	(void)state;
	gnr = vtd_unit_gnr();
	lnl = vtd_unit_lnl();
	return 0;
}

static inline void assert_pe_reserved_clear(const struct vtd_pasid_entry *e)
{
	assert_int_equal(e->val[0] & RSV_PE_W0, 0);
	assert_int_equal(e->val[1] & (RSV_PE_W1 | PE_W1_MT_BITS), 0);
	assert_int_equal(e->val[2] & RSV_PE_W2, 0);
	for (int i = 3; i < 8; i++)
		assert_int_equal(e->val[i], 0);
}

static inline void assert_pe_config_equal(const struct vtd_pasid_entry_config *a,
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

/* A second-stage PASID entry: DID 0x2a, AW 48, SSPTPTR 0x12345000, PWSNP. */
static const struct vtd_pasid_entry_config ss_basic = {
	.pgtt = VTD_PGTT_SS,
	.did = 0x2a,
	.aw = VTD_AW_48,
	.ss_root = 0x12345000,
	.flags = VTD_PE_FLAG_PWSNP,
};

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

#endif
