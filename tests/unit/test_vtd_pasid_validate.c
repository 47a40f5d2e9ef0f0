// SPDX-License-Identifier: MIT
/*
 * vtd_pasid_entry_validate() (VT-d rev 5.0, 9.6 and the capabilities of 11.4.2 / 11.4.3): can
 * a unit use a PASID table entry - translation types, flags, address widths, DIDs and pointers,
 * nested entries - with each refusal's own errno and the order in which the first failure
 * decides, on the real units of vtd_units.h and on hand-trimmed ones.
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

/* ---- Can the unit use the PASID table entry (9.6)? ---- */

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pasid_validate_translation_types),
		cmocka_unit_test(pasid_validate_flags),
		cmocka_unit_test(pasid_validate_widths),
		cmocka_unit_test(pasid_validate_did_and_pointers),
		cmocka_unit_test(pasid_validate_nested),
		cmocka_unit_test(pasid_validate_order),
	};

	return cmocka_run_group_tests(tests, entries_setup, NULL);
}
