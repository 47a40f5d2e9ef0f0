// SPDX-License-Identifier: MIT
/*
 * VT-d capability decoding (VT-d 11.4.1-11.4.3) against real register values reported by Linux
 * on real machines (../shared/vtd-registers.tsv). The expected fields were worked out by hand,
 * nibble by nibble, from the spec's bit positions; they are not the decoder's output.
 * Sources: iommu/vtd/vtd_caps.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_regs.h"
#include "tests/unit/vtd_units.h" /* the machines' registers */

static void granite_rapids(void **state)
{
	struct vtd_caps c;

	(void)state;
	vtd_caps_decode(VTD_UNIT_VER_7_0, VTD_UNIT_GNR_CAP, VTD_UNIT_GNR_ECAP, &c);
	assert_int_equal(c.ver_major, 7);
	assert_int_equal(c.ver_minor, 0);
	assert_int_equal(c.domain_bits, 16); /* ND = 6 */
	assert_int_equal(c.sagaw, VTD_SAGAW_48 | VTD_SAGAW_57);
	assert_int_equal(c.mgaw, 57);
	assert_int_equal(c.fault_reg_offset, 0xee0); /* FRO = 0xee */
	assert_int_equal(c.nr_fault_regs, 1);
	assert_int_equal(c.sllps, VTD_SLLPS_2M | VTD_SLLPS_1G);
	assert_true(c.psi);
	assert_false(c.cm);
	assert_true(c.fs1gp);
	assert_true(c.pi);
	assert_true(c.fs5lp);
	assert_true(c.esrtps);
	assert_true(c.esirtps);
	assert_true(c.c && c.qi && c.dt && c.ir && c.eim && c.pt && c.sc);
	assert_true(c.nest);
	assert_true(c.prs);
	assert_false(c.ers);
	assert_true(c.srs);
	assert_true(c.eafs);
	assert_true(c.pasid);
	assert_int_equal(c.pasid_bits, 20); /* PSS = 19 */
	assert_true(c.smts && c.ssts && c.fsts && c.smpwc && c.rps);
	assert_int_equal(VTD_ECAP_IRO(VTD_UNIT_GNR_ECAP), 0xef);
	assert_int_equal(VTD_ECAP_MHMV(VTD_UNIT_GNR_ECAP), 0xf);
	assert_int_equal(VTD_CAP_MAMV(VTD_UNIT_GNR_CAP), 45);
}

static void lunar_lake(void **state)
{
	struct vtd_caps c;

	(void)state;
	vtd_caps_decode(VTD_UNIT_VER_7_0, VTD_UNIT_LNL_CAP, VTD_UNIT_LNL_ECAP, &c);
	assert_int_equal(c.domain_bits, 8); /* ND = 2 */
	assert_int_equal(c.sagaw, VTD_SAGAW_48);
	assert_int_equal(c.mgaw, 42); /* the machine's DMAR reports HAW 42 too */
	assert_int_equal(c.sllps, VTD_SLLPS_2M | VTD_SLLPS_1G);
	assert_true(c.fs1gp && c.pi);
	assert_false(c.fs5lp);
	assert_false(c.c); /* page walks not coherent */
	assert_false(c.sc);
	assert_false(c.nest);
	assert_false(c.srs);
	assert_false(c.eafs);
	assert_false(c.pasid);
	assert_int_equal(c.pasid_bits, 0); /* PSS is 19, but ECAP.PASID is clear */
	assert_true(c.smts && c.ssts && c.fsts && c.rps);
	assert_false(c.smpwc);
}

static void describe_names_the_fields(void **state)
{
	struct vtd_caps c;
	char line[256];
	int n;

	(void)state;
	vtd_caps_decode(VTD_UNIT_VER_7_0, VTD_UNIT_LNL_CAP, VTD_UNIT_LNL_ECAP, &c);
	n = vtd_caps_describe(&c, line, sizeof(line));
	assert_int_equal(n, (int)strlen(line));
	assert_non_null(strstr(line, "SAGAW 48 MGAW 42 SLLPS 2M,1G DID 8 bits"));
	assert_non_null(strstr(line, "NEST 0 PASID 0"));
	vtd_caps_decode(0x10, 0, 0, &c);
	vtd_caps_describe(&c, line, sizeof(line));
	assert_non_null(strstr(line, "SAGAW none MGAW 1 SLLPS none DID 4 bits"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(granite_rapids),
		cmocka_unit_test(lunar_lake),
		cmocka_unit_test(describe_names_the_fields),
	};

	return cmocka_run_group_tests_name("vtd_caps", tests, NULL, NULL);
}
