// SPDX-License-Identifier: MIT
/*
 * VT-d invalidation descriptor encoders (VT-d 6.5.2) and the range-to-invalidation chooser.
 * Every expected descriptor was assembled by hand from the spec's field positions (the sum
 * is in the comment next to it); none was produced by running the encoder.
 * Sources: iommu/vtd/vtd_inval.c iommu/vtd/vtd_caps.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_inval.h"

/*
 * A unit that has everything the encoders look at:
 * CAP = PSI (bit 39) 0x0000008000000000 | MAMV 18 (53:48) 0x0012000000000000
 *     | DWD (bit 54) 0x0040000000000000 | DRD (bit 55) 0x0080000000000000
 *     = 0x00d2008000000000 (18 is QEMU's MAMV: 1 GiB)
 * ECAP = MHMV 15 (23:20) 0x0000000000f00000 | DIT (bit 41) 0x0000020000000000
 *      | PDS (bit 42) 0x0000040000000000 = 0x0000060000f00000
 */
#define FULL_CAP  0x00d2008000000000ull
#define FULL_ECAP 0x0000060000f00000ull
#define FULL_MAMV 18u
#define VER_5_0	  0x50u

struct fixture {
	struct vtd_caps full, bare; /* bare: CAP = ECAP = 0 (no PSI, MAMV 0, no drain, ...) */
};

static struct fixture fx;

static int setup(void **state)
{
	vtd_caps_decode(VER_5_0, FULL_CAP, FULL_ECAP, &fx.full);
	vtd_caps_decode(VER_5_0, 0, 0, &fx.bare);
	*state = &fx;
	return 0;
}

#define assert_desc(d, want_lo, want_hi)             \
	do {                                         \
		assert_int_equal((d).lo, (want_lo)); \
		assert_int_equal((d).hi, (want_hi)); \
	} while (0)

/* A refused descriptor comes back zeroed. */
#define assert_refused(call, d)                          \
	do {                                             \
		(d).lo = (d).hi = 0x5a5a5a5a5a5a5a5aull; \
		assert_int_equal((call), -EINVAL);       \
		assert_desc(d, 0, 0);                    \
	} while (0)

static void context_cache(void **state)
{
	struct vtd_inv_desc d;

	(void)state;
	/* type 1 | G 01 << 4 = 0x11 */
	assert_int_equal(vtd_inval_cc(&d, VTD_CC_G_GLOBAL, 0, 0, 0), 0);
	assert_desc(d, 0x11ull, 0);
	/* type 1 | G 10 << 4 (0x20) | DID 0xffff << 16 (0xffff0000) */
	assert_int_equal(vtd_inval_cc(&d, VTD_CC_G_DOMAIN, 0xffff, 0, 0), 0);
	assert_desc(d, 0x00000000ffff0021ull, 0);
	/* type 1 | G 11 << 4 (0x30) | DID 0x1234 << 16 | SID 0xffff << 32 | FM 3 << 48 */
	assert_int_equal(vtd_inval_cc(&d, VTD_CC_G_DEVICE, 0x1234, 0xffff, 3), 0);
	assert_desc(d, 0x0003ffff12340031ull, 0);
	/* SID 0x0008 (00:01.0), FM 0: 1 | 0x30 | 0x00050000 | 0x0008 << 32 */
	assert_int_equal(vtd_inval_cc(&d, VTD_CC_G_DEVICE, 5, 0x0008, 0), 0);
	assert_desc(d, 0x0000000800050031ull, 0);
}

static void context_cache_refusals(void **state)
{
	struct vtd_inv_desc d;

	(void)state;
	assert_refused(vtd_inval_cc(&d, 0, 0, 0, 0), d); /* G 00 is reserved */
	assert_refused(vtd_inval_cc(&d, 4, 0, 0, 0), d);
	assert_refused(vtd_inval_cc(&d, VTD_CC_G_DEVICE, 1, 0x10, 4), d); /* FM is 2 bits */
	assert_refused(vtd_inval_cc(&d, VTD_CC_G_GLOBAL, 1, 0, 0), d);	  /* DID unused */
	assert_refused(vtd_inval_cc(&d, VTD_CC_G_DOMAIN, 1, 0x10, 0), d); /* SID unused */
	assert_refused(vtd_inval_cc(&d, VTD_CC_G_DOMAIN, 1, 0, 1), d);	  /* FM unused */
}

static void iotlb(void **state)
{
	struct fixture *f = *state;
	struct vtd_caps one;
	struct vtd_inv_desc d;

	/* type 2 | G 01 << 4 (0x10) | DW 0x40 | DR 0x80 = 0xd2 */
	assert_int_equal(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_GLOBAL, 0, 0, 0, false), 0);
	assert_desc(d, 0xd2ull, 0);
	/* Without CAP.DRD/DWD: 2 | 0x10 = 0x12 */
	assert_int_equal(vtd_inval_iotlb(&d, &f->bare, VTD_IOTLB_G_GLOBAL, 0, 0, 0, false), 0);
	assert_desc(d, 0x12ull, 0);
	/* CAP.DRD (bit 55) alone: DR 0x80 | 0x12 = 0x92; CAP.DWD (bit 54) alone: DW 0x40 | 0x12 */
	vtd_caps_decode(VER_5_0, 0x0080000000000000ull, 0, &one);
	assert_int_equal(vtd_inval_iotlb(&d, &one, VTD_IOTLB_G_GLOBAL, 0, 0, 0, false), 0);
	assert_desc(d, 0x92ull, 0);
	vtd_caps_decode(VER_5_0, 0x0040000000000000ull, 0, &one);
	assert_int_equal(vtd_inval_iotlb(&d, &one, VTD_IOTLB_G_GLOBAL, 0, 0, 0, false), 0);
	assert_desc(d, 0x52ull, 0);
	/* 2 | G 10 << 4 (0x20) | 0xc0 | DID 0xffff << 16 */
	assert_int_equal(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_DOMAIN, 0xffff, 0, 0, false), 0);
	assert_desc(d, 0x00000000ffff00e2ull, 0);
	/*
	 * Page-selective, AM at MAMV (18), address with bit 63 set (aligned to 2^30 bytes), IH:
	 * lo = 2 | G 11 << 4 (0x30) | 0xc0 | DID 1 << 16 = 0x100f2
	 * hi = 0x8000000000000000 | IH 0x40 | AM 18 (0x12) = 0x8000000000000052
	 */
	assert_int_equal(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_PAGE, 1, 0x8000000000000000ull,
					 FULL_MAMV, true),
			 0);
	assert_desc(d, 0x00000000000100f2ull, 0x8000000000000052ull);
	/* One page at the top of the address space: hi = ADDR 0xfffffffffffff000, AM 0, IH 0 */
	assert_int_equal(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_PAGE, 0xffff,
					 0xfffffffffffff000ull, 0, false),
			 0);
	assert_desc(d, 0x00000000ffff00f2ull, 0xfffffffffffff000ull);
	/* 2 MiB at 0x40200000 (AM 9): hi = 0x40200000 | 9 */
	assert_int_equal(
		vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_PAGE, 3, 0x40200000ull, 9, false), 0);
	assert_desc(d, 0x00000000000300f2ull, 0x0000000040200009ull);
}

static void iotlb_refusals(void **state)
{
	struct fixture *f = *state;
	struct vtd_inv_desc d;

	assert_refused(vtd_inval_iotlb(&d, &f->full, 0, 0, 0, 0, false), d); /* G 00 reserved */
	assert_refused(vtd_inval_iotlb(&d, &f->full, 4, 0, 0, 0, false), d);
	/* Address not aligned to 2^AM pages: 0x1000 with AM 1 needs 8 KiB alignment. */
	assert_refused(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_PAGE, 1, 0x1000, 1, false), d);
	/* Not even page aligned. */
	assert_refused(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_PAGE, 1, 0x800, 0, false), d);
	/* AM above MAMV. */
	assert_refused(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_PAGE, 1, 0, FULL_MAMV + 1, false),
		       d);
	/* No CAP.PSI: page-selective is not available at all. */
	assert_refused(vtd_inval_iotlb(&d, &f->bare, VTD_IOTLB_G_PAGE, 1, 0x1000, 0, false), d);
	/* Fields the granularity does not use. */
	assert_refused(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_GLOBAL, 1, 0, 0, false), d);
	assert_refused(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_DOMAIN, 1, 0x1000, 0, false), d);
	assert_refused(vtd_inval_iotlb(&d, &f->full, VTD_IOTLB_G_DOMAIN, 1, 0, 0, true), d);
}

static void device_tlb(void **state)
{
	struct fixture *f = *state;
	struct vtd_devtlb_target t = { .sid = 0xffff, .pfsid = 0xabcd, .mip = 31 };
	struct vtd_devtlb_target plain = { .sid = 0x0100, .pfsid = 0, .mip = 0 };
	struct vtd_inv_desc d;

	/*
	 * lo = type 3 | PFSID[3:0] 0xd << 12 (0xd000) | MIP 31 << 16 (0x1f0000)
	 *    | SID 0xffff << 32 | PFSID[15:4] 0xabc << 52 = 0xabc0ffff001fd003
	 * hi = 0x12345000, S 0 (one page)
	 */
	assert_int_equal(vtd_inval_devtlb(&d, &f->full, &t, 0x12345000, 0), 0);
	assert_desc(d, 0xabc0ffff001fd003ull, 0x0000000012345000ull);
	/* 8 KiB (order 1): S set, bit 12 clear: hi = 0x2000 | 1; lo = 3 | SID 0x100 << 32 */
	assert_int_equal(vtd_inval_devtlb(&d, &f->bare, &plain, 0x2000, 1), 0);
	assert_desc(d, 0x0000010000000003ull, 0x0000000000002001ull);
	/* 64 KiB (order 4) at 0x10000: bits 14:12 set, bit 15 clear: 0x10000 | 0x7000 | 1 */
	assert_int_equal(vtd_inval_devtlb(&d, &f->bare, &plain, 0x10000, 4), 0);
	assert_desc(d, 0x0000010000000003ull, 0x0000000000017001ull);
	/* Whole device TLB (order 52): bits 62:12 set, bit 63 clear, S: 0x7ffffffffffff001 */
	assert_int_equal(vtd_inval_devtlb(&d, &f->bare, &plain, 0, VTD_INV_MAX_ORDER), 0);
	assert_desc(d, 0x0000010000000003ull, 0x7ffffffffffff001ull);
	/* A page with bit 63 set, S 0. */
	assert_int_equal(vtd_inval_devtlb(&d, &f->bare, &plain, 0x8000000000000000ull, 0), 0);
	assert_desc(d, 0x0000010000000003ull, 0x8000000000000000ull);
}

static void device_tlb_refusals(void **state)
{
	struct fixture *f = *state;
	struct vtd_devtlb_target t = { .sid = 0x0100, .pfsid = 0, .mip = 0 };
	struct vtd_devtlb_target vf = { .sid = 0x0101, .pfsid = 0x0100, .mip = 0 };
	struct vtd_inv_desc d;

	/* PFSID is reserved without ECAP.DIT. */
	assert_refused(vtd_inval_devtlb(&d, &f->bare, &vf, 0x1000, 0), d);
	assert_int_equal(vtd_inval_devtlb(&d, &f->full, &vf, 0x1000, 0), 0);
	/* MIP is 5 bits. */
	t.mip = 32;
	assert_refused(vtd_inval_devtlb(&d, &f->full, &t, 0x1000, 0), d);
	t.mip = 0;
	assert_refused(vtd_inval_devtlb(&d, &f->full, &t, 0x1000, 1), d); /* needs 8 KiB align */
	assert_refused(vtd_inval_devtlb(&d, &f->full, &t, 0x1800, 0), d);
	assert_refused(vtd_inval_devtlb(&d, &f->full, &t, 0, VTD_INV_MAX_ORDER + 1), d);
	assert_refused(vtd_inval_devtlb(&d, &f->full, &t, 0x1000, VTD_INV_MAX_ORDER), d);
}

static void interrupt_entry_cache(void **state)
{
	struct fixture *f = *state;
	struct vtd_inv_desc d;

	/* type 4, G (bit 4) 0 */
	assert_int_equal(vtd_inval_iec(&d, &f->bare, VTD_IEC_G_GLOBAL, 0, 0), 0);
	assert_desc(d, 0x4ull, 0);
	/* 4 | G 0x10 | IM 4 << 27 (0x20000000) | IIDX 0xfff0 << 32 */
	assert_int_equal(vtd_inval_iec(&d, &f->full, VTD_IEC_G_INDEX, 0xfff0, 4), 0);
	assert_desc(d, 0x0000fff020000014ull, 0);
	/* One entry, the last index: 4 | 0x10 | 0xffff << 32 (MHMV 0 allows IM 0) */
	assert_int_equal(vtd_inval_iec(&d, &f->bare, VTD_IEC_G_INDEX, 0xffff, 0), 0);
	assert_desc(d, 0x0000ffff00000014ull, 0);
	/* IM at MHMV 15: 4 | 0x10 | 15 << 27 (0x78000000) | 0x8000 << 32 */
	assert_int_equal(vtd_inval_iec(&d, &f->full, VTD_IEC_G_INDEX, 0x8000, 15), 0);
	assert_desc(d, 0x0000800078000014ull, 0);

	assert_refused(vtd_inval_iec(&d, &f->bare, VTD_IEC_G_INDEX, 0, 1), d); /* IM > MHMV 0 */
	assert_refused(vtd_inval_iec(&d, &f->full, VTD_IEC_G_INDEX, 0, 16), d);
	assert_refused(vtd_inval_iec(&d, &f->full, VTD_IEC_G_INDEX, 1, 1), d); /* misaligned */
	assert_refused(vtd_inval_iec(&d, &f->full, VTD_IEC_G_GLOBAL, 1, 0), d);
	assert_refused(vtd_inval_iec(&d, &f->full, 2, 0, 0), d);
}

static void wait(void **state)
{
	struct fixture *f = *state;
	struct vtd_inv_desc d;

	/* 5 | SW 0x20 | FN 0x40 | data 0xffffffff << 32; hi = the status address */
	assert_int_equal(vtd_inval_wait(&d, &f->bare, VTD_INV_WAIT_SW | VTD_INV_WAIT_FN,
					0xffffffffu, 0xfffffffffffffffcull),
			 0);
	assert_desc(d, 0xffffffff00000065ull, 0xfffffffffffffffcull);
	/* 5 | IF 0x10 */
	assert_int_equal(vtd_inval_wait(&d, &f->bare, VTD_INV_WAIT_IF, 0, 0), 0);
	assert_desc(d, 0x15ull, 0);
	/* 5 | SW 0x20 | PD 0x80 | 1 << 32, with ECAP.PDS */
	assert_int_equal(vtd_inval_wait(&d, &f->full, VTD_INV_WAIT_SW | VTD_INV_WAIT_PD, 1, 0x1004),
			 0);
	assert_desc(d, 0x00000001000000a5ull, 0x0000000000001004ull);
	/* A bare fence: 5 | 0x40 */
	assert_int_equal(vtd_inval_wait(&d, &f->bare, VTD_INV_WAIT_FN, 0, 0), 0);
	assert_desc(d, 0x45ull, 0);
}

static void wait_refusals(void **state)
{
	struct fixture *f = *state;
	struct vtd_inv_desc d;

	/* The status address must be 4-byte aligned. */
	assert_refused(vtd_inval_wait(&d, &f->full, VTD_INV_WAIT_SW, 1, 0x1002), d);
	assert_refused(vtd_inval_wait(&d, &f->full, VTD_INV_WAIT_SW, 1, 0x1001), d);
	/* PD without ECAP.PDS (QEMU treats bit 7 as reserved then). */
	assert_refused(vtd_inval_wait(&d, &f->bare, VTD_INV_WAIT_PD, 0, 0), d);
	/* Bits that are no flag. */
	assert_refused(vtd_inval_wait(&d, &f->full, 1ull << 8, 0, 0), d);
	assert_refused(vtd_inval_wait(&d, &f->full, VTD_INV_TYPE_WAIT, 0, 0), d);
	/* Status data or address without SW. */
	assert_refused(vtd_inval_wait(&d, &f->full, VTD_INV_WAIT_FN, 1, 0), d);
	assert_refused(vtd_inval_wait(&d, &f->full, VTD_INV_WAIT_IF, 0, 0x1000), d);
}

static void pasid_iotlb(void **state)
{
	struct fixture *f = *state;
	struct vtd_inv_desc d;

	/* 6 | G 10 << 4 (0x20) | DID 0xffff << 16 | PASID 0xfffff << 32 */
	assert_int_equal(
		vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PASID, 0xffff, 0xfffff, 0, 0, false),
		0);
	assert_desc(d, 0x000fffffffff0026ull, 0);
	/*
	 * Page-selective-within-PASID, 1 GiB at 0x40000000 (AM 18), IH:
	 * lo = 6 | G 11 << 4 (0x30) | DID 2 << 16 | PASID 1 << 32 = 0x0000000100020036
	 * hi = 0x40000000 | IH 0x40 | 18 (0x12) = 0x40000052
	 */
	assert_int_equal(vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PAGE, 2, 1, 0x40000000,
					  FULL_MAMV, true),
			 0);
	assert_desc(d, 0x0000000100020036ull, 0x0000000040000052ull);
	/* bit 63 set, one page: hi = 0x8000000000000000; PASID 0 */
	assert_int_equal(vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PAGE, 0, 0,
					  0x8000000000000000ull, 0, false),
			 0);
	assert_desc(d, 0x36ull, 0x8000000000000000ull);

	/* Granularities 00 and 01 are reserved (QEMU 10: FSTS.IQE for G 0). */
	assert_refused(vtd_inval_piotlb(&d, &f->full, 0, 1, 1, 0, 0, false), d);
	assert_refused(vtd_inval_piotlb(&d, &f->full, 1, 1, 1, 0, 0, false), d);
	assert_refused(vtd_inval_piotlb(&d, &f->full, 4, 1, 1, 0, 0, false), d);
	assert_refused(vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PASID, 1, 0x100000, 0, 0, false),
		       d);
	assert_refused(vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PAGE, 1, 1, 0x1000, 1, false),
		       d);
	assert_refused(
		vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PAGE, 1, 1, 0, FULL_MAMV + 1, false),
		d);
	assert_refused(vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PASID, 1, 1, 0x1000, 0, false),
		       d);
	assert_refused(vtd_inval_piotlb(&d, &f->full, VTD_PIOTLB_G_PASID, 1, 1, 0, 0, true), d);
}

static void pasid_cache(void **state)
{
	struct vtd_inv_desc d;

	(void)state;
	/* 7 | G 00 | DID 7 << 16 */
	assert_int_equal(vtd_inval_pc(&d, VTD_PC_G_DOMAIN, 7, 0), 0);
	assert_desc(d, 0x0000000000070007ull, 0);
	/* 7 | G 01 << 4 (0x10) | DID 0xffff << 16 | PASID 0xfffff << 32 */
	assert_int_equal(vtd_inval_pc(&d, VTD_PC_G_PASID, 0xffff, 0xfffff), 0);
	assert_desc(d, 0x000fffffffff0017ull, 0);
	/* 7 | G 11 << 4 (0x30) */
	assert_int_equal(vtd_inval_pc(&d, VTD_PC_G_GLOBAL, 0, 0), 0);
	assert_desc(d, 0x37ull, 0);

	assert_refused(vtd_inval_pc(&d, 2, 1, 0), d); /* G 10 is reserved */
	assert_refused(vtd_inval_pc(&d, 4, 1, 0), d);
	assert_refused(vtd_inval_pc(&d, VTD_PC_G_PASID, 1, 0x100000), d);
	assert_refused(vtd_inval_pc(&d, VTD_PC_G_DOMAIN, 1, 5), d);
	assert_refused(vtd_inval_pc(&d, VTD_PC_G_GLOBAL, 1, 0), d);
	assert_refused(vtd_inval_pc(&d, VTD_PC_G_GLOBAL, 0, 1), d);
}

static void pasid_device_tlb(void **state)
{
	struct fixture *f = *state;
	struct vtd_devtlb_target t = { .sid = 0x0100, .pfsid = 0xabcd, .mip = 31 };
	struct vtd_devtlb_target plain = { .sid = 0xffff, .pfsid = 0, .mip = 0 };
	struct vtd_inv_desc d;

	/*
	 * lo = type 8 | MIP 31 << 4 (0x1f0) | PFSID[3:0] 0xd << 12 (0xd000) | SID 0x100 << 16
	 *    | PASID 0xfffff << 32 | PFSID[15:4] 0xabc << 52 = 0xabcfffff0100d1f8
	 * hi = 0x8000000000000000 (one page, S and G clear)
	 */
	assert_int_equal(
		vtd_inval_pdevtlb(&d, &f->full, &t, 0xfffff, 0x8000000000000000ull, 0, false), 0);
	assert_desc(d, 0xabcfffff0100d1f8ull, 0x8000000000000000ull);
	/*
	 * Everything, global: bits 62:12 set | S (bit 11) 0x800 | G 1 = 0x7ffffffffffff801;
	 * lo = 8 | SID 0xffff << 16 | PASID 3 << 32 = 0x00000003ffff0008
	 */
	assert_int_equal(vtd_inval_pdevtlb(&d, &f->bare, &plain, 3, 0, VTD_INV_MAX_ORDER, true), 0);
	assert_desc(d, 0x00000003ffff0008ull, 0x7ffffffffffff801ull);
	/* 16 KiB (order 2) at 0x4000: bit 12 set, bit 13 clear | S: 0x4000 | 0x1000 | 0x800 */
	assert_int_equal(vtd_inval_pdevtlb(&d, &f->bare, &plain, 0, 0x4000, 2, false), 0);
	assert_desc(d, 0x00000000ffff0008ull, 0x0000000000005800ull);

	assert_refused(vtd_inval_pdevtlb(&d, &f->bare, &t, 1, 0, 0, false), d); /* PFSID, no DIT */
	assert_refused(vtd_inval_pdevtlb(&d, &f->full, &t, 0x100000, 0, 0, false), d);
	assert_refused(vtd_inval_pdevtlb(&d, &f->full, &t, 1, 0x2000, 2, false), d);
	assert_refused(vtd_inval_pdevtlb(&d, &f->full, &t, 1, 0, VTD_INV_MAX_ORDER + 1, false), d);
}

/* 256-bit descriptors: bits 127:0 unchanged, bits 255:128 zero, for every type. */
static void widened(void **state)
{
	struct fixture *f = *state;
	struct vtd_devtlb_target t = { .sid = 0xffff, .pfsid = 0xabcd, .mip = 31 };
	struct vtd_inv_desc d[8];
	struct vtd_inv_desc256 w;

	assert_int_equal(vtd_inval_cc(&d[0], VTD_CC_G_DEVICE, 0x1234, 0xffff, 3), 0);
	assert_int_equal(vtd_inval_iotlb(&d[1], &f->full, VTD_IOTLB_G_PAGE, 1,
					 0x8000000000000000ull, FULL_MAMV, true),
			 0);
	assert_int_equal(vtd_inval_devtlb(&d[2], &f->full, &t, 0x12345000, 0), 0);
	assert_int_equal(vtd_inval_iec(&d[3], &f->full, VTD_IEC_G_INDEX, 0xfff0, 4), 0);
	assert_int_equal(vtd_inval_wait(&d[4], &f->full, VTD_INV_WAIT_SW | VTD_INV_WAIT_FN,
					0xffffffffu, 0xfffffffffffffffcull),
			 0);
	assert_int_equal(vtd_inval_piotlb(&d[5], &f->full, VTD_PIOTLB_G_PAGE, 2, 1, 0x40000000,
					  FULL_MAMV, true),
			 0);
	assert_int_equal(vtd_inval_pc(&d[6], VTD_PC_G_PASID, 0xffff, 0xfffff), 0);
	assert_int_equal(vtd_inval_pdevtlb(&d[7], &f->full, &t, 0xfffff, 0, 1, true), 0);

	static const uint64_t want[8][2] = {
		{ 0x0003ffff12340031ull, 0 },
		{ 0x00000000000100f2ull, 0x8000000000000052ull },
		{ 0xabc0ffff001fd003ull, 0x0000000012345000ull },
		{ 0x0000fff020000014ull, 0 },
		{ 0xffffffff00000065ull, 0xfffffffffffffffcull },
		{ 0x0000000100020036ull, 0x0000000040000052ull },
		{ 0x000fffffffff0017ull, 0 },
		/* 8 | 0x1f0 | 0xd000 | SID 0xffff << 16 | PASID 0xfffff << 32 | 0xabc << 52;
		 * hi: order 1 at 0: S 0x800 | G 1 */
		{ 0xabcfffffffffd1f8ull, 0x0000000000000801ull },
	};
	for (unsigned int i = 0; i < 8; i++) {
		memset(&w, 0xa5, sizeof(w));
		vtd_inv_desc_widen(&d[i], &w);
		assert_int_equal(w.qw[0], want[i][0]);
		assert_int_equal(w.qw[1], want[i][1]);
		assert_int_equal(w.qw[2], 0);
		assert_int_equal(w.qw[3], 0);
	}
}

static void assert_plan(const struct vtd_psi_plan *p, unsigned int count, uint64_t addr0,
			unsigned int am0, uint64_t addr1, unsigned int am1)
{
	assert_int_equal(p->count, count);
	if (count > 0) {
		assert_int_equal(p->psi[0].addr, addr0);
		assert_int_equal(p->psi[0].am, am0);
	}
	if (count > 1) {
		assert_int_equal(p->psi[1].addr, addr1);
		assert_int_equal(p->psi[1].am, am1);
	}
}

static void plan_single_block(void **state)
{
	struct vtd_psi_plan p;

	(void)state;
	/* One byte: its page. */
	assert_int_equal(vtd_inval_plan_range(0x5000, 1, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 1, 0x5000, 0, 0, 0);
	/* Unaligned, inside page 5 (0x5123..0x5fff). */
	assert_int_equal(vtd_inval_plan_range(0x5123, 0xedd, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 1, 0x5000, 0, 0, 0);
	/* One byte more reaches page 6: pages 5, 6 (5 ^ 6 = 3, two bits): block 4..7, AM 2. */
	assert_int_equal(vtd_inval_plan_range(0x5123, 0xede, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 1, 0x4000, 2, 0, 0);
	/* An aligned 2 MiB: pages 0x200..0x3ff (xor 0x1ff): AM 9. */
	assert_int_equal(vtd_inval_plan_range(0x200000, 0x200000, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 1, 0x200000, 9, 0, 0);
	/* Exactly MAMV: 1 GiB at 1 GiB, pages 0x40000..0x7ffff (xor 0x3ffff, 18 bits). */
	assert_int_equal(vtd_inval_plan_range(0x40000000, 0x40000000, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 1, 0x40000000, 18, 0, 0);
	/* The last page of the address space. */
	assert_int_equal(vtd_inval_plan_range(0xfffffffffffff000ull, 0x1000, true, FULL_MAMV, &p),
			 0);
	assert_plan(&p, 1, 0xfffffffffffff000ull, 0, 0, 0);
	/* All of it: pages 0..2^52-1, AM 52, allowed by a MAMV of 63. */
	assert_int_equal(vtd_inval_plan_range(0, UINT64_MAX, true, 63, &p), 0);
	assert_plan(&p, 1, 0, 52, 0, 0);
	/* Straddling 1 GiB with a larger MAMV (45, Granite Rapids): one 2 GiB block. */
	assert_int_equal(vtd_inval_plan_range(0x3ffff000, 0x2000, true, 45, &p), 0);
	assert_plan(&p, 1, 0, 19, 0, 0);
}

static void plan_split_and_fallback(void **state)
{
	struct vtd_psi_plan p;

	(void)state;
	/* MAMV + 1: 2 GiB at 0 (order 19) splits at 1 GiB into two AM 18 blocks. */
	assert_int_equal(vtd_inval_plan_range(0, 0x80000000, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 2, 0, 18, 0x40000000, 18);
	/* Two pages straddling 1 GiB (pages 0x3ffff, 0x40000: order 19): one page each side. */
	assert_int_equal(vtd_inval_plan_range(0x3ffff000, 0x2000, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 2, 0x3ffff000, 0, 0x40000000, 0);
	/* 4 GiB at 0 (order 20): halves are order 19 > 18: domain-selective. */
	assert_int_equal(vtd_inval_plan_range(0, 0x100000000ull, true, FULL_MAMV, &p), 0);
	assert_plan(&p, 0, 0, 0, 0, 0);
	/* MAMV 0: pages 5, 6 split into two single pages ... */
	assert_int_equal(vtd_inval_plan_range(0x5000, 0x2000, true, 0, &p), 0);
	assert_plan(&p, 2, 0x5000, 0, 0x6000, 0);
	/* ... pages 5..7 cannot: the right half (6, 7) needs AM 1. */
	assert_int_equal(vtd_inval_plan_range(0x5000, 0x3000, true, 0, &p), 0);
	assert_plan(&p, 0, 0, 0, 0, 0);
	/* No CAP.PSI: always domain-selective. */
	assert_int_equal(vtd_inval_plan_range(0x5000, 1, false, FULL_MAMV, &p), 0);
	assert_plan(&p, 0, 0, 0, 0, 0);
}

static void plan_refusals(void **state)
{
	struct vtd_psi_plan p;

	(void)state;
	assert_int_equal(vtd_inval_plan_range(0x5000, 0, true, FULL_MAMV, &p), -EINVAL);
	assert_int_equal(vtd_inval_plan_range(0x5000, 0, false, FULL_MAMV, &p), -EINVAL);
	/* Past 2^64: 0xfffffffffffff000 + 0x2000. */
	assert_int_equal(vtd_inval_plan_range(0xfffffffffffff000ull, 0x2000, true, FULL_MAMV, &p),
			 -EINVAL);
	assert_int_equal(vtd_inval_plan_range(2, UINT64_MAX, true, FULL_MAMV, &p), -EINVAL);
}

/* The field masks, against the positions in the header's layout table. */
static void field_masks(void **state)
{
	(void)state;
	assert_int_equal(VTD_INV_G_MASK, 0x30ull);
	assert_int_equal(VTD_INV_DID_MASK, 0xffff0000ull);
	assert_int_equal(VTD_INV_PASID_MASK, 0x000fffff00000000ull);
	assert_int_equal(VTD_INV_CC_SID_MASK, 0x0000ffff00000000ull);
	assert_int_equal(VTD_INV_CC_FM_MASK, 0x0003000000000000ull);
	assert_int_equal(VTD_INV_IOTLB_DW | VTD_INV_IOTLB_DR, 0xc0ull);
	assert_int_equal(VTD_INV_WAIT_FLAGS, 0xf0ull);
	assert_int_equal(VTD_INV_PDEVTLB_S, 0x800ull);
	assert_int_equal(VTD_INV_MAX_ORDER, 52);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(context_cache),
		cmocka_unit_test(context_cache_refusals),
		cmocka_unit_test(iotlb),
		cmocka_unit_test(iotlb_refusals),
		cmocka_unit_test(device_tlb),
		cmocka_unit_test(device_tlb_refusals),
		cmocka_unit_test(interrupt_entry_cache),
		cmocka_unit_test(wait),
		cmocka_unit_test(wait_refusals),
		cmocka_unit_test(pasid_iotlb),
		cmocka_unit_test(pasid_cache),
		cmocka_unit_test(pasid_device_tlb),
		cmocka_unit_test(widened),
		cmocka_unit_test(plan_single_block),
		cmocka_unit_test(plan_split_and_fallback),
		cmocka_unit_test(plan_refusals),
		cmocka_unit_test(field_masks),
	};

	return cmocka_run_group_tests_name("vtd_inval", tests, setup, NULL);
}
