// SPDX-License-Identifier: MIT
/*
 * The SPR17 decision per unit (iommu/vtd/vtd_errata.h) for each iommu.spr17= value, on units
 * with and without ECAP.NEST taken from real machines (../shared/vtd-registers.tsv), and the
 * boot log's description of it.
 * Sources: iommu/vtd/vtd_errata.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_errata.h"
#include "tests/unit/vtd_units.h"

#define FAM6	0x6u
#define SPR	0x8fu /* Sapphire Rapids, 06_8FH */
#define GNR	0xadu /* Granite Rapids, 06_ADH (173) */
#define AMD_FAM 0x19u

/* Granite Rapids dmar0 (tests/unit/vtd_units.h): ECAP 0x3fef9ea6f0efdf, bit 26 (NEST) is in
 * nibble 6 = 0xe = 1110b: bits 27:24 = 1110, so bit 26 = 1. */
static struct vtd_caps nest_unit(void)
{
	return vtd_unit_gnr();
}

/* Lunar Lake dmar0: ECAP 0x12ca9a00f0ef5e, nibble 6 = 0x0: bit 26 = 0. */
static struct vtd_caps plain_unit(void)
{
	return vtd_unit_lnl();
}

static void sapphire_rapids_is_06_8f_only(void **state)
{
	(void)state;
	assert_true(vtd_cpu_sapphire_rapids(FAM6, SPR));
	assert_false(vtd_cpu_sapphire_rapids(FAM6, GNR));
	assert_false(vtd_cpu_sapphire_rapids(AMD_FAM, SPR)); /* same model, other family */
	assert_false(vtd_cpu_sapphire_rapids(FAM6, 0x8e));   /* Kaby Lake: one model below */
}

static void auto_follows_ecap_nest(void **state)
{
	struct vtd_caps nest = nest_unit(), plain = plain_unit();
	struct vtd_spr17 s;

	(void)state;
	assert_true(nest.nest);
	assert_false(plain.nest);

	assert_int_equal(vtd_spr17_decide(VTD_SPR17_AUTO, &nest, FAM6, SPR, &s), 0);
	assert_true(s.present);
	assert_int_equal(s.reason, VTD_SPR17_NESTING);
	assert_true(s.sapphire_rapids);

	/* Like Linux: present on any unit with nesting, whatever the CPU. */
	assert_int_equal(vtd_spr17_decide(VTD_SPR17_AUTO, &nest, FAM6, GNR, &s), 0);
	assert_true(s.present);
	assert_int_equal(s.reason, VTD_SPR17_NESTING);
	assert_false(s.sapphire_rapids);

	/* Without nesting the erratum cannot bite, even on Sapphire Rapids. */
	assert_int_equal(vtd_spr17_decide(VTD_SPR17_AUTO, &plain, FAM6, SPR, &s), 0);
	assert_false(s.present);
	assert_int_equal(s.reason, VTD_SPR17_NO_NEST);
	assert_true(s.sapphire_rapids);
}

static void on_and_off_override_the_unit(void **state)
{
	struct vtd_caps nest = nest_unit(), plain = plain_unit();
	struct vtd_spr17 s;

	(void)state;
	assert_int_equal(vtd_spr17_decide(VTD_SPR17_ON, &plain, FAM6, GNR, &s), 0);
	assert_true(s.present);
	assert_int_equal(s.reason, VTD_SPR17_FORCED_ON);
	assert_int_equal(vtd_spr17_decide(VTD_SPR17_ON, &nest, FAM6, SPR, &s), 0);
	assert_true(s.present);
	assert_int_equal(s.reason, VTD_SPR17_FORCED_ON);

	assert_int_equal(vtd_spr17_decide(VTD_SPR17_OFF, &nest, FAM6, SPR, &s), 0);
	assert_false(s.present);
	assert_int_equal(s.reason, VTD_SPR17_FORCED_OFF);
	assert_int_equal(vtd_spr17_decide(VTD_SPR17_OFF, &plain, FAM6, GNR, &s), 0);
	assert_false(s.present);
	assert_int_equal(s.reason, VTD_SPR17_FORCED_OFF);
}

static void unknown_option_is_refused(void **state)
{
	struct vtd_caps nest = nest_unit();
	struct vtd_spr17 s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(vtd_spr17_decide((enum vtd_spr17_option)3, &nest, FAM6, SPR, &s), -EINVAL);
	assert_false(s.present);
	assert_int_equal(s.family, 0);
}

static void describe(enum vtd_spr17_option o, const struct vtd_caps *c, uint32_t family,
		     uint32_t model, char *line, size_t size)
{
	struct vtd_spr17 s;
	int n;

	assert_int_equal(vtd_spr17_decide(o, c, family, model, &s), 0);
	n = vtd_spr17_describe(&s, line, size);
	assert_int_equal(n, (int)strlen(line));
}

static void descriptions_name_reason_and_cpu(void **state)
{
	struct vtd_caps nest = nest_unit(), plain = plain_unit();
	char line[160];

	(void)state;
	describe(VTD_SPR17_AUTO, &nest, FAM6, SPR, line, sizeof(line));
	assert_string_equal(line, "present (nesting supported; CPU: Sapphire Rapids 06_8FH)");
	describe(VTD_SPR17_AUTO, &nest, FAM6, GNR, line, sizeof(line));
	assert_string_equal(line, "present (nesting supported; CPU: 06_ADH, treated as affected "
				  "as Linux does)");
	describe(VTD_SPR17_AUTO, &plain, FAM6, SPR, line, sizeof(line));
	assert_string_equal(line, "not applicable (no ECAP.NEST)");
	describe(VTD_SPR17_ON, &plain, FAM6, GNR, line, sizeof(line));
	assert_string_equal(line, "forced on by iommu.spr17=on");
	describe(VTD_SPR17_OFF, &nest, FAM6, SPR, line, sizeof(line));
	assert_string_equal(line, "FORCED OFF by iommu.spr17=off: read-only second-stage pages "
				  "may be corrupted under nesting");
}

static void description_truncates_safely(void **state)
{
	struct vtd_caps nest = nest_unit();
	struct vtd_spr17 s;
	char line[8];

	(void)state;
	assert_int_equal(vtd_spr17_decide(VTD_SPR17_AUTO, &nest, FAM6, SPR, &s), 0);
	/* "present (nesting supported; CPU: Sapphire Rapids 06_8FH)" is 56 characters. */
	assert_int_equal(vtd_spr17_describe(&s, line, sizeof(line)), 56);
	assert_string_equal(line, "present");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sapphire_rapids_is_06_8f_only),
		cmocka_unit_test(auto_follows_ecap_nest),
		cmocka_unit_test(on_and_off_override_the_unit),
		cmocka_unit_test(unknown_option_is_refused),
		cmocka_unit_test(descriptions_name_reason_and_cpu),
		cmocka_unit_test(description_truncates_safely),
	};

	return cmocka_run_group_tests_name("vtd_errata", tests, NULL, NULL);
}
