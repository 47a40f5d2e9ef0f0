// SPDX-License-Identifier: MIT
/*
 * VT-d interrupt remapping table entries (VT-d rev 5.0): remapped IRTEs (9.10) and posted IRTEs
 * (9.11), with their source validation, against golden words worked out by hand from the
 * specification's bit tables (each vector's comment shows the field arithmetic; none was
 * produced by running the encoder), the refusals (each distinct errno, and their order), P = 0
 * then set-present, reserved bits, and round trips decode(encode(x)) == x over sweeps of every
 * field. IRTA_REG, remappable-format MSI and the posted-interrupt descriptor:
 * test_vtd_ir_formats.c.
 *
 * Cross-checked against other implementations' bit positions:
 *  - Linux include/linux/dmar.h struct irte: present 0, fpd 1, dst_mode 2, redir_hint 3,
 *    trigger_mode 4, dlvry_mode 7:5, avail 11:8, pst (IM) 15, vector 23:16, dest_id 63:32;
 *    posted: p_urgent 14, pda_l 63:38; sid 79:64, sq 81:80, svt 83:82, pda_h 127:96.
 *  - QEMU's vtd_remap_irq_get (hw/i386/intel_iommu.c) reads an xAPIC DST as (dest & 0xff00) >> 8.
 *
 * Sources: iommu/vtd/vtd_irte.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_irte.h"
#include "tests/unit/vtd_irte_fixture.h"

/* The machines' capabilities the tests rely on, decoded from the raw registers. */
static void caps_premises(void **state)
{
	(void)state;
	assert_true(gnr.ir && gnr.eim && gnr.pi);
	assert_true(qemu.ir);
	assert_false(qemu.eim || qemu.pi);
	assert_false(noir.ir);
}

/* ---- Source validation ---- */

static void source_helpers(void **state)
{
	struct vtd_irte_source s;

	(void)state;
	s = vtd_irte_source_rid(RID_3A_02_0);
	assert_int_equal(s.svt, VTD_SVT_SID);
	assert_int_equal(s.sq, VTD_SQ_ALL_BITS);
	assert_int_equal(s.sid, 0x3a10);
	assert_int_equal(vtd_irte_source_validate(&s), 0);

	s = vtd_irte_source_bridge(0x05, 0x07); /* 0x05 << 8 | 0x07 = 0x0507 */
	assert_int_equal(s.svt, VTD_SVT_BUS);
	assert_int_equal(s.sq, VTD_SQ_ALL_BITS);
	assert_int_equal(s.sid, SID_BUS_05_07);
	assert_int_equal(vtd_irte_source_validate(&s), 0);

	s = vtd_irte_source_bridge(0x09, 0x09); /* one bus: first == last */
	assert_int_equal(s.sid, 0x0909);
	assert_int_equal(vtd_irte_source_validate(&s), 0);
}

static void source_refusals(void **state)
{
	struct vtd_irte_source s;

	(void)state;
	s = (struct vtd_irte_source){ .svt = VTD_SVT_NONE, .sid = RID_EDU };
	assert_int_equal(vtd_irte_source_validate(&s), -EINVAL);
	s = (struct vtd_irte_source){ .svt = VTD_SVT_RESERVED, .sid = RID_EDU };
	assert_int_equal(vtd_irte_source_validate(&s), -EINVAL);
	for (uint8_t sq = 1; sq <= 3; sq++) {
		s = vtd_irte_source_rid(RID_EDU);
		s.sq = sq;
		assert_int_equal(vtd_irte_source_validate(&s), -EINVAL);
		s = vtd_irte_source_bridge(1, 2);
		s.sq = sq;
		assert_int_equal(vtd_irte_source_validate(&s), -EINVAL);
	}
	s = vtd_irte_source_bridge(0x07, 0x05); /* first bus above the last */
	assert_int_equal(vtd_irte_source_validate(&s), -EINVAL);
}

/* ---- Remapped format: golden vectors ---- */

static void remap_golden_xapic_fixed(void **state)
{
	/* edu at 00:01.0, vector 0x30 to xAPIC id 1, fixed, physical, edge. */
	struct vtd_irte_remap_config cfg = {
		.src = vtd_irte_source_rid(RID_EDU),
		.dst = 1,
		.vector = 0x30,
		.dlm = VTD_DLM_FIXED,
	};
	struct vtd_irte e;

	(void)state;
	assert_int_equal(vtd_irte_remap_encode(&cfg, false, &qemu, &e), 0);
	/* lo: V 0x30 << 16 = 0x300000; DST bits 15:8 = 1: 1 << (32 + 8) = 0x100_0000_0000;
	 * P, FPD, DM, RH, TM, DLM (fixed = 000b), IM all 0. */
	assert_int_equal(e.lo, 0x0000010000300000ull);
	/* hi: SID 0x0008; SQ 00b; SVT 01b << (82 - 64 = 18) = 0x40000. */
	assert_int_equal(e.hi, 0x0000000000040008ull);
	assert_false(vtd_irte_present(&e));
	assert_false(vtd_irte_posted(&e));
}

static void remap_golden_x2apic_all_flags(void **state)
{
	/* 3a:02.0, vector 0xef, lowest priority, logical, RH, level, FPD, x2APIC id 0x12345. */
	struct vtd_irte_remap_config cfg = {
		.src = vtd_irte_source_rid(RID_3A_02_0),
		.dst = 0x12345,
		.vector = 0xef,
		.dlm = VTD_DLM_LOWEST_PRIORITY,
		.dm_logical = true,
		.rh = true,
		.tm_level = true,
		.fpd = true,
	};
	struct vtd_irte e;

	(void)state;
	assert_int_equal(vtd_irte_remap_encode(&cfg, true, &gnr, &e), 0);
	/* lo: FPD 0x2 | DM 0x4 | RH 0x8 | TM 0x10 | DLM 001b << 5 = 0x20 -> 0x3e;
	 * V 0xef << 16 = 0xef0000; DST 0x12345 << 32 = 0x0001_2345_0000_0000. */
	assert_int_equal(e.lo, 0x0001234500ef003eull);
	/* hi: SID 0x3a10 | SVT 01b << 18 = 0x40000 -> 0x43a10. */
	assert_int_equal(e.hi, 0x0000000000043a10ull);
}

static void remap_golden_bridge_nmi(void **state)
{
	/* A device behind a PCIe-to-PCI bridge with buses 5..7: NMI to xAPIC id 0xff. */
	struct vtd_irte_remap_config cfg = {
		.src = vtd_irte_source_bridge(0x05, 0x07),
		.dst = 0xff,
		.dlm = VTD_DLM_NMI,
	};
	struct vtd_irte e;

	(void)state;
	assert_int_equal(vtd_irte_remap_encode(&cfg, false, &gnr, &e), 0);
	/* lo: DLM 100b << 5 = 0x80; V 0 (ignored with NMI); DST 0xff << 40 = 0xff00_0000_0000. */
	assert_int_equal(e.lo, 0x0000ff0000000080ull);
	/* hi: SID 0x0507 | SQ 00b | SVT 10b << 18 = 0x80000 -> 0x80507. */
	assert_int_equal(e.hi, 0x0000000000080507ull);
}

static void remap_golden_dlm_values(void **state)
{
	/* Every defined DLM lands in bits 7:5: value << 5. */
	static const struct {
		uint8_t dlm, vector;
		uint64_t lo;
	} v[] = {
		{ VTD_DLM_FIXED, 0x20, 0x0000000000200000ull },		  /* 0 << 5, V 0x20 */
		{ VTD_DLM_LOWEST_PRIORITY, 0x20, 0x0000000000200020ull }, /* 1 << 5 = 0x20 */
		{ VTD_DLM_SMI, 0, 0x0000000000000040ull },		  /* 2 << 5 = 0x40 */
		{ VTD_DLM_NMI, 0, 0x0000000000000080ull },		  /* 4 << 5 = 0x80 */
		{ VTD_DLM_INIT, 0, 0x00000000000000a0ull },		  /* 5 << 5 = 0xa0 */
		{ VTD_DLM_EXTINT, 0, 0x00000000000000e0ull },		  /* 7 << 5 = 0xe0 */
	};
	struct vtd_irte e;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct vtd_irte_remap_config cfg = {
			.src = vtd_irte_source_rid(RID_EDU),
			.vector = v[i].vector,
			.dlm = v[i].dlm,
		};

		assert_int_equal(vtd_irte_remap_encode(&cfg, false, &qemu, &e), 0);
		assert_int_equal(e.lo, v[i].lo); /* DST 0: xAPIC id 0 */
		assert_int_equal(e.hi, 0x40008ull);
	}
}

/* ---- Remapped format: refusals ---- */

static int remap_try(const struct vtd_irte_remap_config *cfg, bool eime,
		     const struct vtd_caps *caps)
{
	struct vtd_irte e;
	int err;

	memset(&e, FILL, sizeof(e));
	err = vtd_irte_remap_encode(cfg, eime, caps, &e);
	if (err)
		assert_all_zero(&e, sizeof(e));
	return err;
}

static void remap_refusals(void **state)
{
	const struct vtd_irte_remap_config good = {
		.src = vtd_irte_source_rid(RID_EDU),
		.dst = 2,
		.vector = 0x40,
		.dlm = VTD_DLM_FIXED,
	};
	struct vtd_irte_remap_config c;

	(void)state;
	assert_int_equal(remap_try(&good, false, &qemu), 0);
	assert_int_equal(remap_try(&good, true, &gnr), 0);

	/* -EINVAL: no source validation, reserved SVT, SQ other than 00b, reversed buses. */
	c = good;
	c.src.svt = VTD_SVT_NONE;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c.src.svt = VTD_SVT_RESERVED;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c = good;
	c.src.sq = 1;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c = good;
	c.src = vtd_irte_source_bridge(3, 2);
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);

	/* -EINVAL: reserved delivery modes 011b, 110b, and anything above 111b. */
	c = good;
	c.dlm = 3;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c.dlm = 6;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c.dlm = 8;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);

	/* -EINVAL: vectors 0-15 with fixed and lowest priority; 16 is the first allowed. */
	c = good;
	c.vector = 15;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c.vector = 0;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c.dlm = VTD_DLM_LOWEST_PRIORITY;
	c.vector = 15;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);
	c.vector = 16;
	assert_int_equal(remap_try(&c, false, &qemu), 0);
	/* ... and a vector with a mode that ignores it. */
	c.dlm = VTD_DLM_NMI;
	c.vector = 2;
	assert_int_equal(remap_try(&c, false, &qemu), -EINVAL);

	/* -EOPNOTSUPP: no ECAP.IR; EIME on a unit without ECAP.EIM. */
	assert_int_equal(remap_try(&good, false, &noir), -EOPNOTSUPP);
	assert_int_equal(remap_try(&good, true, &qemu), -EOPNOTSUPP);

	/* -ERANGE: an xAPIC destination above 255; the same id is fine in x2APIC form. */
	c = good;
	c.dst = 0x100;
	assert_int_equal(remap_try(&c, false, &gnr), -ERANGE);
	assert_int_equal(remap_try(&c, true, &gnr), 0);
	c.dst = 0xff;
	assert_int_equal(remap_try(&c, false, &gnr), 0);
}

static void remap_refusal_order(void **state)
{
	struct vtd_irte_remap_config c = {
		.src = vtd_irte_source_rid(RID_EDU),
		.dst = 0x100,
		.vector = 0x40,
	};

	(void)state;
	/* -EINVAL before -EOPNOTSUPP before -ERANGE. */
	c.src.svt = VTD_SVT_NONE;
	assert_int_equal(remap_try(&c, false, &noir), -EINVAL);
	c.src.svt = VTD_SVT_SID;
	assert_int_equal(remap_try(&c, false, &noir), -EOPNOTSUPP);
	assert_int_equal(remap_try(&c, false, &qemu), -ERANGE);
}

/* ---- Posted format ---- */

static void posted_golden(void **state)
{
	/* edu, vector 0x41 posted urgently into the descriptor at 0x12_3456_7880. */
	struct vtd_irte_posted_config cfg = {
		.src = vtd_irte_source_rid(RID_EDU),
		.pda = 0x0000001234567880ull,
		.vector = 0x41,
		.urg = true,
	};
	struct vtd_irte e;

	(void)state;
	assert_int_equal(vtd_irte_posted_encode(&cfg, &gnr, HAW, &e), 0);
	/* lo: IM 1 << 15 = 0x8000 | URG 1 << 14 = 0x4000 -> 0xc000; V 0x41 << 16 = 0x410000;
	 * PDA bits 31:6 at 63:38, i.e. (pda & 0xffffffc0) << 32 = 0x34567880 << 32
	 * = 0x3456_7880_0000_0000 (0x80: bits 7 set, 6:0 clear: 64-byte aligned). */
	assert_int_equal(e.lo, 0x345678800041c000ull);
	/* hi: SID 0x0008 | SVT 01b << 18 = 0x40000; PDA 63:32 = 0x12 at 127:96: 0x12 << 32. */
	assert_int_equal(e.hi, 0x0000001200040008ull);
	assert_true(vtd_irte_posted(&e));
	assert_false(vtd_irte_present(&e));
}

static void posted_golden_bridge_fpd_top_pda(void **state)
{
	/* Buses 5..7, FPD, not urgent, vector 0xff, descriptor at 2^64 - 64 with HAW 64. */
	struct vtd_irte_posted_config cfg = {
		.src = vtd_irte_source_bridge(0x05, 0x07),
		.pda = 0xffffffffffffffc0ull,
		.vector = 0xff,
		.fpd = true,
	};
	struct vtd_irte e;

	(void)state;
	assert_int_equal(vtd_irte_posted_encode(&cfg, &gnr, 64, &e), 0);
	/* lo: FPD 0x2 | IM 0x8000 | V 0xff << 16 = 0xff0000; PDA 31:6 all ones -> bits 63:38
	 * all ones = 0xffff_ffc0_0000_0000. */
	assert_int_equal(e.lo, 0xffffffc000ff8002ull);
	/* hi: SID 0x0507 | SVT 10b << 18 = 0x80000; PDA 63:32 = 0xffffffff << 32. */
	assert_int_equal(e.hi, 0xffffffff00080507ull);
}

static int posted_try(const struct vtd_irte_posted_config *cfg, const struct vtd_caps *caps,
		      unsigned int haw)
{
	struct vtd_irte e;
	int err;

	memset(&e, FILL, sizeof(e));
	err = vtd_irte_posted_encode(cfg, caps, haw, &e);
	if (err)
		assert_all_zero(&e, sizeof(e));
	return err;
}

static void posted_refusals(void **state)
{
	const struct vtd_irte_posted_config good = {
		.src = vtd_irte_source_rid(RID_EDU),
		.pda = 0x1000,
		.vector = 0x50,
	};
	struct vtd_irte_posted_config c;

	(void)state;
	assert_int_equal(posted_try(&good, &gnr, HAW), 0);

	/* -EINVAL: source, vector below 16, PDA not 64-byte aligned, HAW 0 or above 64. */
	c = good;
	c.src.svt = VTD_SVT_NONE;
	assert_int_equal(posted_try(&c, &gnr, HAW), -EINVAL);
	c = good;
	c.src.sq = 3;
	assert_int_equal(posted_try(&c, &gnr, HAW), -EINVAL);
	c = good;
	c.vector = 15;
	assert_int_equal(posted_try(&c, &gnr, HAW), -EINVAL);
	c.vector = 16;
	assert_int_equal(posted_try(&c, &gnr, HAW), 0);
	c = good;
	c.pda = 0x1020; /* 32-byte aligned only */
	assert_int_equal(posted_try(&c, &gnr, HAW), -EINVAL);
	c.pda = 0x1001;
	assert_int_equal(posted_try(&c, &gnr, HAW), -EINVAL);
	assert_int_equal(posted_try(&good, &gnr, 0), -EINVAL);
	assert_int_equal(posted_try(&good, &gnr, 65), -EINVAL);

	/* -EOPNOTSUPP: no CAP.PI (QEMU), no ECAP.IR. */
	assert_int_equal(posted_try(&good, &qemu, HAW), -EOPNOTSUPP);
	assert_int_equal(posted_try(&good, &noir, HAW), -EOPNOTSUPP);

	/* -ERANGE: the descriptor must end below 2^HAW. */
	c = good;
	c.pda = HAW_LIMIT;
	assert_int_equal(posted_try(&c, &gnr, HAW), -ERANGE);
	c.pda = HAW_LIMIT - 64; /* the last 64 bytes below 2^46 */
	assert_int_equal(posted_try(&c, &gnr, HAW), 0);

	/* Order: -EINVAL before -EOPNOTSUPP before -ERANGE. */
	c = good;
	c.pda = HAW_LIMIT;
	c.vector = 1;
	assert_int_equal(posted_try(&c, &qemu, HAW), -EINVAL);
	c.vector = 0x50;
	assert_int_equal(posted_try(&c, &qemu, HAW), -EOPNOTSUPP);
	assert_int_equal(posted_try(&c, &gnr, HAW), -ERANGE);
}

/* ---- P last ---- */

static void set_present_last(void **state)
{
	struct vtd_irte_remap_config rc = {
		.src = vtd_irte_source_rid(RID_EDU),
		.dst = 1,
		.vector = 0x30,
	};
	struct vtd_irte_posted_config pc = {
		.src = vtd_irte_source_rid(RID_EDU),
		.pda = 0x2000,
		.vector = 0x30,
	};
	struct vtd_irte built, slot;

	(void)state;
	assert_int_equal(vtd_irte_remap_encode(&rc, false, &qemu, &built), 0);
	slot = built;
	vtd_irte_set_present(&slot);
	assert_true(vtd_irte_present(&slot));
	assert_int_equal(slot.lo, built.lo | 1); /* only bit 0 changed */
	assert_int_equal(slot.hi, built.hi);

	assert_int_equal(vtd_irte_posted_encode(&pc, &gnr, HAW, &built), 0);
	slot = built;
	vtd_irte_set_present(&slot);
	assert_true(vtd_irte_present(&slot) && vtd_irte_posted(&slot));
	assert_int_equal(slot.lo, built.lo | 1);
	assert_int_equal(slot.hi, built.hi);
}

/* ---- Decoders ---- */

static void remap_decode_refusals(void **state)
{
	struct vtd_irte_remap_config cfg;
	struct vtd_irte e;

	(void)state;
	/* The edu golden entry (lo 0x0000010000300000, hi 0x40008) decodes; P does not matter. */
	e = (struct vtd_irte){ 0x0000010000300001ull, 0x40008ull };
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), 0);
	assert_int_equal(cfg.dst, 1);
	assert_int_equal(cfg.vector, 0x30);
	/* AVAIL 11:8 is software's: ignored. */
	e.lo |= 0xf00;
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), 0);
	/* Every reserved bit of the remapped format, one at a time. */
	for (unsigned int bit = 0; bit < 64; bit++) {
		struct vtd_irte r = { 0x0000010000300000ull, 0x40008ull };

		if (RSV_REMAP_LO >> bit & 1) {
			r.lo |= 1ull << bit;
			assert_int_equal(vtd_irte_remap_decode(&r, false, &cfg), -EINVAL);
		}
		r = (struct vtd_irte){ 0x0000010000300000ull, 0x40008ull };
		if (RSV_HI >> bit & 1) {
			r.hi |= 1ull << bit;
			assert_int_equal(vtd_irte_remap_decode(&r, false, &cfg), -EINVAL);
		}
		r = (struct vtd_irte){ 0x0000010000300000ull, 0x40008ull };
		if (XDST_RSVD_BITS >> bit & 1) {
			r.lo |= 1ull << bit;
			assert_int_equal(vtd_irte_remap_decode(&r, false, &cfg), -EINVAL);
			assert_int_equal(vtd_irte_remap_decode(&r, true, &cfg), 0);
		}
	}
	/* IM = 1: a posted entry. */
	e = (struct vtd_irte){ 0x0000010000308000ull, 0x40008ull };
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), -EINVAL);
	/* Reserved DLM 011b (3 << 5 = 0x60) and 110b (0xc0). */
	e = (struct vtd_irte){ 0x0000010000300060ull, 0x40008ull };
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), -EINVAL);
	e.lo = 0x00000100003000c0ull;
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), -EINVAL);
	/* SVT 11b (3 << 18 = 0xc0000) is reserved; SVT 00b decodes and the check refuses it. */
	e = (struct vtd_irte){ 0x0000010000300000ull, 0xc0008ull };
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), -EINVAL);
	e.hi = 0x0008;
	assert_int_equal(vtd_irte_remap_decode(&e, false, &cfg), 0);
	assert_int_equal(cfg.src.svt, VTD_SVT_NONE);
	assert_int_equal(vtd_irte_source_validate(&cfg.src), -EINVAL);
}

static void posted_decode_refusals(void **state)
{
	const struct vtd_irte good = { 0x345678800041c000ull, 0x0000001200040008ull };
	struct vtd_irte_posted_config cfg;
	struct vtd_irte e;

	(void)state;
	assert_int_equal(vtd_irte_posted_decode(&good, &cfg), 0);
	assert_int_equal(cfg.pda, 0x0000001234567880ull);
	assert_int_equal(cfg.vector, 0x41);
	assert_true(cfg.urg);
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (RSV_POSTED_LO >> bit & 1) {
			e = good;
			e.lo |= 1ull << bit;
			assert_int_equal(vtd_irte_posted_decode(&e, &cfg), -EINVAL);
		}
		if (RSV_POSTED_HI >> bit & 1) {
			e = good;
			e.hi |= 1ull << bit;
			assert_int_equal(vtd_irte_posted_decode(&e, &cfg), -EINVAL);
		}
	}
	e = good;
	e.lo &= ~VTD_IRTE_LO_IM; /* a remapped entry */
	assert_int_equal(vtd_irte_posted_decode(&e, &cfg), -EINVAL);
	e = good;
	e.hi |= 0xc0000; /* SVT 11b */
	assert_int_equal(vtd_irte_posted_decode(&e, &cfg), -EINVAL);
}

/* ---- Round trips ---- */

static const uint8_t dlms[] = { VTD_DLM_FIXED, VTD_DLM_LOWEST_PRIORITY, VTD_DLM_SMI, VTD_DLM_NMI,
				VTD_DLM_INIT,  VTD_DLM_EXTINT };
static const uint16_t sids[] = { 0x0000, 0x0008, 0x00ff, 0x3a10, 0xff00, 0xffff };

static struct vtd_irte_source sweep_source(size_t i)
{
	uint16_t sid = sids[i % (sizeof(sids) / sizeof(sids[0]))];

	if (i & 1) /* a bus range: first = sid >> 8 .. last = 0xff */
		return vtd_irte_source_bridge((uint8_t)(sid >> 8), 0xff);
	return vtd_irte_source_rid(sid);
}

static void remap_round_trip(void **state)
{
	unsigned int n = 0;

	(void)state;
	for (int eime = 0; eime <= 1; eime++) {
		const uint32_t *ids = eime ? x2apic_ids : xapic_ids;
		size_t nids = eime ? sizeof(x2apic_ids) / sizeof(x2apic_ids[0]) :
				     sizeof(xapic_ids) / sizeof(xapic_ids[0]);

		for (size_t d = 0; d < sizeof(dlms); d++)
			for (size_t v = 0; v < sizeof(vectors); v++)
				for (unsigned int flags = 0; flags < 16; flags++)
					for (size_t i = 0; i < nids; i++) {
						struct vtd_irte_remap_config in = {
							.src = sweep_source(n),
							.dst = ids[i],
							.vector =
								dlms[d] <= VTD_DLM_LOWEST_PRIORITY ?
									vectors[v] :
									0,
							.dlm = dlms[d],
							.dm_logical = flags & 1,
							.rh = flags & 2,
							.tm_level = flags & 4,
							.fpd = flags & 8,
						};
						struct vtd_irte_remap_config out;
						struct vtd_irte e;

						assert_int_equal(
							vtd_irte_remap_encode(&in, eime, &gnr, &e),
							0);
						assert_int_equal(e.lo & (RSV_REMAP_LO | 1), 0);
						assert_int_equal(e.hi & RSV_HI, 0);
						if (!eime)
							assert_int_equal(e.lo & XDST_RSVD_BITS, 0);
						assert_int_equal(
							vtd_irte_remap_decode(&e, eime, &out), 0);
						assert_memory_equal(&in.src, &out.src,
								    sizeof(in.src));
						assert_int_equal(out.dst, in.dst);
						assert_int_equal(out.vector, in.vector);
						assert_int_equal(out.dlm, in.dlm);
						assert_int_equal(out.dm_logical, in.dm_logical);
						assert_int_equal(out.rh, in.rh);
						assert_int_equal(out.tm_level, in.tm_level);
						assert_int_equal(out.fpd, in.fpd);
						n++;
					}
	}
	/* 6 DLMs x 6 vectors x 16 flag sets x (5 xAPIC + 7 x2APIC ids): every one ran. */
	assert_int_equal(n, 6 * 6 * 16 * (5 + 7));
}

static void posted_round_trip(void **state)
{
	static const uint64_t pdas[] = {
		0,	     0x40,	   0x1000,	   0xffffffc0,
		0x100000000, 0x1234567880, HAW_LIMIT - 64, 0x0000155555555540ull,
	};
	unsigned int n = 0;

	(void)state;
	for (size_t p = 0; p < sizeof(pdas) / sizeof(pdas[0]); p++)
		for (size_t v = 0; v < sizeof(vectors); v++)
			for (unsigned int flags = 0; flags < 4; flags++) {
				struct vtd_irte_posted_config in = {
					.src = sweep_source(n),
					.pda = pdas[p],
					.vector = vectors[v],
					.urg = flags & 1,
					.fpd = flags & 2,
				};
				struct vtd_irte_posted_config out;
				struct vtd_irte e;

				assert_int_equal(vtd_irte_posted_encode(&in, &gnr, HAW, &e), 0);
				assert_int_equal(e.lo & (RSV_POSTED_LO | 1), 0);
				assert_int_equal(e.hi & RSV_POSTED_HI, 0);
				assert_int_equal(vtd_irte_posted_decode(&e, &out), 0);
				assert_memory_equal(&in.src, &out.src, sizeof(in.src));
				assert_int_equal(out.pda, in.pda);
				assert_int_equal(out.vector, in.vector);
				assert_int_equal(out.urg, in.urg);
				assert_int_equal(out.fpd, in.fpd);
				n++;
			}
	assert_int_equal(n, 8 * 6 * 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(caps_premises),
		cmocka_unit_test(source_helpers),
		cmocka_unit_test(source_refusals),
		cmocka_unit_test(remap_golden_xapic_fixed),
		cmocka_unit_test(remap_golden_x2apic_all_flags),
		cmocka_unit_test(remap_golden_bridge_nmi),
		cmocka_unit_test(remap_golden_dlm_values),
		cmocka_unit_test(remap_refusals),
		cmocka_unit_test(remap_refusal_order),
		cmocka_unit_test(posted_golden),
		cmocka_unit_test(posted_golden_bridge_fpd_top_pda),
		cmocka_unit_test(posted_refusals),
		cmocka_unit_test(set_present_last),
		cmocka_unit_test(remap_decode_refusals),
		cmocka_unit_test(posted_decode_refusals),
		cmocka_unit_test(remap_round_trip),
		cmocka_unit_test(posted_round_trip),
	};

	return cmocka_run_group_tests(tests, irte_setup, NULL);
}
