// SPDX-License-Identifier: MIT
/*
 * The setup and teardown plans of a NESTED PASID entry (iommu/vtd/vtd_nested_plan.h): every
 * step and every descriptor, in order. Each expected descriptor was assembled by hand from the
 * field positions of VT-d 6.5.2 (the sum is next to it); none was produced by the encoders.
 * Sources: iommu/vtd/vtd_nested_plan.c iommu/vtd/vtd_inval.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_nested_plan.h"
#include "tests/unit/vtd_units.h"

#define CAP_RWBF (1ull << 4)
#define CAP_CM	 (1ull << 7)
#define CAP_DWD	 (1ull << 54)
#define CAP_DRD	 (1ull << 55)
#define ECAP_DIT (1ull << 41)

#define DID	  0x2au
#define PASID	  5u
#define RID_PASID 0u
#define SID	  0x0310u /* 03:02.0: bus 3 << 8 | dev 2 << 3 | fn 0 */

/* One expected step: an operation, and for INVALIDATE the descriptor. */
struct want {
	enum vtd_nested_op op;
	uint64_t lo, hi;
};

static struct vtd_caps caps_of(uint64_t cap, uint64_t ecap)
{
	struct vtd_caps c;

	vtd_caps_decode(0x70, cap, ecap, &c);
	return c;
}

static void check_plan(const struct vtd_nested_plan *p, const struct want *w, unsigned int n)
{
	assert_int_equal(p->count, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(p->step[i].op, w[i].op);
		assert_int_equal(p->step[i].desc.lo, w[i].lo);
		assert_int_equal(p->step[i].desc.hi, w[i].hi);
	}
}

/*
 * PASID-cache, PASID-selective-within-domain (type 7): type 0x7 | G 01b << 4 = 0x10
 * | DID 0x2a << 16 = 0x2a0000 | PASID 5 << 32 = 0x5_0000_0000 = 0x00000005002a0017.
 */
#define PC_D2A_P5 0x00000005002a0017ull
/* PASID-based IOTLB, PASID-selective (type 6): 0x6 | G 10b << 4 = 0x20 | 0x2a0000
 * | 0x5_0000_0000 = 0x00000005002a0026; hi (ADDR, AM, IH) 0. */
#define PIOTLB_D2A_P5 0x00000005002a0026ull

static void setup_caching_mode(void **state)
{
	struct vtd_caps c = caps_of(CAP_CM, 0);
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_WRITE_ENTRY, 0, 0 },
		{ VTD_NESTED_SET_P, 0, 0 },
		{ VTD_NESTED_INVALIDATE, PC_D2A_P5, 0 },
		{ VTD_NESTED_INVALIDATE, PIOTLB_D2A_P5, 0 },
		{ VTD_NESTED_WAIT, 0, 0 },
	};

	(void)state;
	assert_int_equal(vtd_nested_plan_setup(&c, DID, PASID, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

/* CM wins over RWBF as in Linux's pasid_flush_caches(): the invalidations drain the writes. */
static void setup_caching_mode_with_rwbf(void **state)
{
	struct vtd_caps c = caps_of(CAP_CM | CAP_RWBF, 0);
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_WRITE_ENTRY, 0, 0 },
		{ VTD_NESTED_SET_P, 0, 0 },
		{ VTD_NESTED_INVALIDATE, PC_D2A_P5, 0 },
		{ VTD_NESTED_INVALIDATE, PIOTLB_D2A_P5, 0 },
		{ VTD_NESTED_WAIT, 0, 0 },
	};

	(void)state;
	assert_int_equal(vtd_nested_plan_setup(&c, DID, PASID, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

static void setup_write_buffer_flush(void **state)
{
	struct vtd_caps c = caps_of(CAP_RWBF, 0);
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_WRITE_ENTRY, 0, 0 },
		{ VTD_NESTED_SET_P, 0, 0 },
		{ VTD_NESTED_FLUSH_WB, 0, 0 },
	};

	(void)state;
	assert_int_equal(vtd_nested_plan_setup(&c, DID, PASID, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

/* Real hardware (CM = 0, RWBF = 0; Granite Rapids CAP 0xf9ed008cee780c66: bits 7 and 4 clear,
 * low byte 0x66 = 0110_0110b): not-present to present needs nothing. */
static void setup_plain_hardware(void **state)
{
	struct vtd_caps c = vtd_unit_gnr();
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_WRITE_ENTRY, 0, 0 },
		{ VTD_NESTED_SET_P, 0, 0 },
	};

	(void)state;
	assert_false(c.cm);
	assert_int_equal(vtd_nested_plan_setup(&c, DID, PASID, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

/*
 * IOTLB, domain-selective (type 2) on a unit with CAP.DRD and CAP.DWD: 0x2 | G 10b << 4 = 0x20
 * | DW (bit 6) 0x40 | DR (bit 7) 0x80 | DID 0x2a << 16 = 0x2a0000 = 0x00000000002a00e2.
 */
#define IOTLB_DSI_D2A_DRAIN 0x00000000002a00e2ull

static void teardown_without_ats(void **state)
{
	struct vtd_caps c = caps_of(CAP_DRD | CAP_DWD, 0);
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_CLEAR_P, 0, 0 },
		{ VTD_NESTED_INVALIDATE, PC_D2A_P5, 0 },
		{ VTD_NESTED_INVALIDATE, IOTLB_DSI_D2A_DRAIN, 0 },
		{ VTD_NESTED_WAIT, 0, 0 },
		{ VTD_NESTED_ZERO_ENTRY, 0, 0 },
	};

	(void)state;
	assert_int_equal(vtd_nested_plan_teardown(&c, DID, PASID, RID_PASID, NULL, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

/*
 * PASID 5 with ATS: PASID-based device-TLB (type 8) of everything.
 * lo: 0x8 | MIP 0 | SID 0x0310 << 16 = 0x0310_0000 | PASID 5 << 32 = 0x5_0000_0000
 *   = 0x0000000503100008.
 * hi: order 52 at address 0: S (bit 11) 0x800 | address bits 62:12 set (bit 63 clear)
 *   0x7ffffffffffff000 = 0x7ffffffffffff800; G (bit 0) clear.
 * IOTLB without DRD/DWD: 0x2 | 0x20 | 0x2a0000 = 0x00000000002a0022.
 */
static void teardown_pasid_with_ats(void **state)
{
	struct vtd_caps c = caps_of(0, 0);
	struct vtd_devtlb_target t = { .sid = SID };
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_CLEAR_P, 0, 0 },
		{ VTD_NESTED_INVALIDATE, PC_D2A_P5, 0 },
		{ VTD_NESTED_INVALIDATE, 0x00000000002a0022ull, 0 },
		{ VTD_NESTED_INVALIDATE, 0x0000000503100008ull, 0x7ffffffffffff800ull },
		{ VTD_NESTED_WAIT, 0, 0 },
		{ VTD_NESTED_ZERO_ENTRY, 0, 0 },
	};

	(void)state;
	assert_int_equal(vtd_nested_plan_teardown(&c, DID, PASID, RID_PASID, &t, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

/*
 * RID_PASID with ATS, a VF on a unit with ECAP.DIT: device-TLB without PASID (type 3).
 * PASID-cache for PASID 0: 0x7 | 0x10 | 0x2a0000 = 0x00000000002a0017.
 * Device-TLB, SID 0x0382 (03:10.2), PFSID 0x0301 (03:00.1), MIP 5:
 * lo: 0x3 | PFSID[3:0] 1 << 12 = 0x1000 | MIP 5 << 16 = 0x50000 | SID 0x0382 << 32
 *   = 0x0000_0382_0000_0000 | PFSID[15:4] 0x030 << 52 = 0x0300_0000_0000_0000
 *   = 0x0300038200051003.
 * hi: S (bit 0) 1 | bits 62:12 set 0x7ffffffffffff000 = 0x7ffffffffffff001.
 */
static void teardown_rid_pasid_with_ats(void **state)
{
	struct vtd_caps c = caps_of(0, ECAP_DIT);
	struct vtd_devtlb_target t = { .sid = 0x0382, .pfsid = 0x0301, .mip = 5 };
	struct vtd_nested_plan p;
	const struct want w[] = {
		{ VTD_NESTED_CLEAR_P, 0, 0 },
		{ VTD_NESTED_INVALIDATE, 0x00000000002a0017ull, 0 },
		{ VTD_NESTED_INVALIDATE, 0x00000000002a0022ull, 0 },
		{ VTD_NESTED_INVALIDATE, 0x0300038200051003ull, 0x7ffffffffffff001ull },
		{ VTD_NESTED_WAIT, 0, 0 },
		{ VTD_NESTED_ZERO_ENTRY, 0, 0 },
	};

	(void)state;
	assert_int_equal(vtd_nested_plan_teardown(&c, DID, RID_PASID, RID_PASID, &t, &p), 0);
	check_plan(&p, w, sizeof(w) / sizeof(w[0]));
}

/* The teardown never zeroes the entry before the wait, and never invalidates before P is
 * clear: the order property, whatever the unit and device. */
static void teardown_order_holds_everywhere(void **state)
{
	const uint64_t caps[] = { 0, CAP_CM, CAP_RWBF, CAP_DRD | CAP_DWD };
	struct vtd_devtlb_target t = { .sid = SID };

	(void)state;
	for (unsigned int i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		for (int ats = 0; ats < 2; ats++) {
			struct vtd_caps c = caps_of(caps[i], 0);
			struct vtd_nested_plan p;

			assert_int_equal(vtd_nested_plan_teardown(&c, DID, PASID, RID_PASID,
								  ats ? &t : NULL, &p),
					 0);
			assert_true(p.count >= 4);
			assert_int_equal(p.step[0].op, VTD_NESTED_CLEAR_P);
			assert_int_equal(p.step[p.count - 2].op, VTD_NESTED_WAIT);
			assert_int_equal(p.step[p.count - 1].op, VTD_NESTED_ZERO_ENTRY);
			for (unsigned int s = 1; s < p.count - 2; s++)
				assert_int_equal(p.step[s].op, VTD_NESTED_INVALIDATE);
			assert_int_equal(p.count, ats ? 6u : 5u);
		}
}

static void refusals_leave_an_empty_plan(void **state)
{
	struct vtd_caps cm = caps_of(CAP_CM, 0), plain = caps_of(0, 0);
	struct vtd_devtlb_target vf = { .sid = SID, .pfsid = 0x0301 };
	struct vtd_devtlb_target deep = { .sid = SID, .mip = 32 };
	struct vtd_nested_plan p;

	(void)state;
	/* PASIDs are 20 bits. */
	assert_int_equal(vtd_nested_plan_setup(&cm, DID, 1u << 20, &p), -EINVAL);
	assert_int_equal(p.count, 0);
	assert_int_equal(vtd_nested_plan_teardown(&plain, DID, 1u << 20, RID_PASID, NULL, &p),
			 -EINVAL);
	assert_int_equal(p.count, 0);
	/* A PFSID without ECAP.DIT, a MIP beyond 5 bits. */
	assert_int_equal(vtd_nested_plan_teardown(&plain, DID, PASID, RID_PASID, &vf, &p), -EINVAL);
	assert_int_equal(p.count, 0);
	assert_int_equal(vtd_nested_plan_teardown(&plain, DID, RID_PASID, RID_PASID, &deep, &p),
			 -EINVAL);
	assert_int_equal(p.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(setup_caching_mode),
		cmocka_unit_test(setup_caching_mode_with_rwbf),
		cmocka_unit_test(setup_write_buffer_flush),
		cmocka_unit_test(setup_plain_hardware),
		cmocka_unit_test(teardown_without_ats),
		cmocka_unit_test(teardown_pasid_with_ats),
		cmocka_unit_test(teardown_rid_pasid_with_ats),
		cmocka_unit_test(teardown_order_holds_everywhere),
		cmocka_unit_test(refusals_leave_an_empty_plan),
	};

	return cmocka_run_group_tests_name("vtd_nested_plan", tests, NULL, NULL);
}
