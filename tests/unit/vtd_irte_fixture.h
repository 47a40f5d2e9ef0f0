/* SPDX-License-Identifier: MIT */
/*
 * What the interrupt-remapping format tests (test_vtd_irte.c: IRTEs; test_vtd_ir_formats.c:
 * IRTA_REG, remappable-format MSI, posted-interrupt descriptor) share: requester ids, reserved
 * bits from the specification's tables, and the units they check against. Header only
 * (static): each test program has its own copy.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_IRTE_FIXTURE_H
#define SKIFF_TESTS_UNIT_VTD_IRTE_FIXTURE_H

#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "tests/unit/test_asserts.h"
#include "tests/unit/vtd_units.h"

#define HAW	       46u		     /* host address width for the tests: below 2^46 */
#define HAW_LIMIT      (1ull << HAW)	     /* 2^46 */
#define FILL	       0xa5		     /* a failed encoder must zero its output */
#define RID_EDU	       0x0008u		     /* 00:01.0 */
#define RID_3A_02_0    0x3a10u		     /* bus 0x3a, device 2 (2 << 3 = 0x10), function 0 */
#define SID_BUS_05_07  0x0507u		     /* SVT 10b: buses 0x05..0x07 */
#define RSV_REMAP_LO   0x00000000ff007000ull /* 14:12, 31:24 */
#define RSV_POSTED_LO  0x0000003fff0030fcull /* 7:2, 13:12, 37:24 */
#define RSV_HI	       0xfffffffffff00000ull /* 127:84 */
#define RSV_POSTED_HI  0x00000000fff00000ull /* 95:84 */
#define XDST_RSVD_BITS 0xffff00ff00000000ull /* DST 31:16 and 7:0 with EIME = 0 */

/* tests/unit/vtd_units.h: Granite Rapids dmar0 (CAP.PI bit 59, ECAP.IR bit 3, ECAP.EIM bit 4);
 * QEMU 10's intel-iommu (ECAP.IR, no EIM, no PI), and the same without ECAP.IR. */
static struct vtd_caps gnr, qemu, noir;

static inline int irte_setup(void **state)
{
	(void)state;
	gnr = vtd_unit_gnr();
	qemu = vtd_unit_qemu(true);
	noir = vtd_unit_qemu(false);
	return 0;
}

/* Sweeps of the round trips: vectors an IRTE may carry, xAPIC and x2APIC destination ids. */
static const uint8_t vectors[] = { 16, 0x30, 0x7f, 0x80, 0xef, 0xff };
static const uint32_t xapic_ids[] = { 0, 1, 0x7f, 0xfe, 0xff };
static const uint32_t x2apic_ids[] = { 0, 1, 0xff, 0x100, 0x12345, 0xfffffffe, 0xffffffff };

#endif
