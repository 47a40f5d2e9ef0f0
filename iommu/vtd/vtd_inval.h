/* SPDX-License-Identifier: MIT */
/*
 * VT-d invalidation descriptors (VT-d specification rev 5.0, 6.5.2): pure encoders for every
 * descriptor type skiff queues, and the choice between page-selective and domain-selective
 * IOTLB invalidation for a range.
 *
 * Every encoder writes a 128-bit descriptor (struct vtd_inv_desc). Descriptor types 1-8 are
 * all 128-bit layouts; a queue set up for 256-bit descriptors (IQA_REG.DW = 1, required in
 * scalable mode) takes them with bits 255:128 zero: vtd_inv_desc_widen() makes that form.
 *
 * Encoders validate their arguments against the spec and the unit's capabilities and refuse
 * (-EINVAL, descriptor zeroed) rather than encode a reserved granularity, a reserved field
 * or a value the unit does not support: hardware (and QEMU, which checks reserved bits of
 * every descriptor) answers those with FSTS.IQE and stops the queue.
 *
 * Layout, bit by bit (lo = bits 63:0, hi = bits 127:64; bits 11:9 of lo extend the type for
 * types above 15, unused here):
 *
 *   type 1 context-cache     lo: 3:0 type, 5:4 G, 31:16 DID, 47:32 SID, 49:48 FM
 *   type 2 IOTLB             lo: 3:0 type, 5:4 G, 6 DW, 7 DR, 31:16 DID
 *                            hi: 5:0 AM, 6 IH, 63:12 ADDR
 *   type 3 device-TLB        lo: 3:0 type, 15:12 PFSID[3:0], 20:16 MIP, 47:32 SID,
 *                                63:52 PFSID[15:4]
 *                            hi: 0 S, 63:12 ADDR
 *   type 4 interrupt entry   lo: 3:0 type, 4 G, 31:27 IM, 47:32 IIDX
 *   type 5 invalidation wait lo: 3:0 type, 4 IF, 5 SW, 6 FN, 7 PD, 63:32 status data
 *                            hi: 63:2 status address
 *   type 6 PASID-based IOTLB lo: 3:0 type, 5:4 G, 31:16 DID, 51:32 PASID
 *                            hi: 5:0 AM, 6 IH, 63:12 ADDR
 *   type 7 PASID-cache       lo: 3:0 type, 5:4 G, 31:16 DID, 51:32 PASID
 *   type 8 PASID-based dTLB  lo: 3:0 type, 8:4 MIP, 15:12 PFSID[3:0], 31:16 SID, 51:32 PASID,
 *                                63:52 PFSID[15:4]
 *                            hi: 0 G, 11 S, 63:12 ADDR
 */
#ifndef SKIFF_IOMMU_VTD_INVAL_H
#define SKIFF_IOMMU_VTD_INVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"

/* A 128-bit descriptor: lo is bits 63:0, hi bits 127:64. */
struct vtd_inv_desc {
	uint64_t lo, hi;
};

/* A 256-bit descriptor (IQA_REG.DW = 1): qw[0] is bits 63:0 ... qw[3] bits 255:192. */
struct vtd_inv_desc256 {
	uint64_t qw[4];
};
_Static_assert(sizeof(struct vtd_inv_desc) == 16, "VT-d 6.5.2: 128-bit descriptor");
_Static_assert(sizeof(struct vtd_inv_desc256) == 32, "VT-d 6.5.2: 256-bit descriptor");

/* Descriptor types (lo bits 3:0). */
#define VTD_INV_TYPE_MASK    0xfull
#define VTD_INV_TYPE_CC	     0x1ull /* context-cache (6.5.2.1) */
#define VTD_INV_TYPE_IOTLB   0x2ull /* IOTLB (6.5.2.3) */
#define VTD_INV_TYPE_DEVTLB  0x3ull /* device-TLB (6.5.2.5) */
#define VTD_INV_TYPE_IEC     0x4ull /* interrupt entry cache (6.5.2.7) */
#define VTD_INV_TYPE_WAIT    0x5ull /* invalidation wait (6.5.2.8) */
#define VTD_INV_TYPE_PIOTLB  0x6ull /* PASID-based IOTLB (6.5.2.4) */
#define VTD_INV_TYPE_PC	     0x7ull /* PASID-cache (6.5.2.2) */
#define VTD_INV_TYPE_PDEVTLB 0x8ull /* PASID-based device-TLB (6.5.2.6) */

/* Fields shared by several types. */
#define VTD_INV_G_SHIFT	    4 /* 2-bit granularity of types 1, 2, 6, 7 */
#define VTD_INV_G_MASK	    (0x3ull << VTD_INV_G_SHIFT)
#define VTD_INV_DID_SHIFT   16 /* types 1, 2, 6, 7 */
#define VTD_INV_DID_MASK    (0xffffull << VTD_INV_DID_SHIFT)
#define VTD_INV_PASID_SHIFT 32 /* types 6, 7, 8 */
#define VTD_INV_PASID_MASK  (0xfffffull << VTD_INV_PASID_SHIFT)
#define VTD_INV_PASID_MAX   0xfffffu		  /* PASIDs are 20 bits */
#define VTD_INV_ADDR_MASK   0xfffffffffffff000ull /* hi 63:12, types 2, 3, 6, 8 */
#define VTD_INV_AM_MASK	    0x3full		  /* hi 5:0, types 2, 6 */
#define VTD_INV_IH	    (1ull << 6)		  /* hi, types 2, 6: invalidation hint */
#define VTD_INV_PAGE_SHIFT  12
#define VTD_INV_ADDR_BITS   64
#define VTD_INV_MAX_ORDER   (VTD_INV_ADDR_BITS - VTD_INV_PAGE_SHIFT) /* 2^52 pages span 2^64 */

/* Type 1, context-cache (6.5.2.1). */
#define VTD_INV_CC_SID_SHIFT 32
#define VTD_INV_CC_SID_MASK  (0xffffull << VTD_INV_CC_SID_SHIFT)
#define VTD_INV_CC_FM_SHIFT  48
#define VTD_INV_CC_FM_MASK   (0x3ull << VTD_INV_CC_FM_SHIFT)
#define VTD_INV_CC_FM_MAX    3u /* 0: no SID bits masked ... 3: SID bits 2:0 masked */

/* Type 2, IOTLB (6.5.2.3). */
#define VTD_INV_IOTLB_DW (1ull << 6) /* drain writes (honoured when CAP.DWD) */
#define VTD_INV_IOTLB_DR (1ull << 7) /* drain reads (honoured when CAP.DRD) */

/* Types 3 and 8, device-TLB (6.5.2.5, 6.5.2.6). */
#define VTD_INV_PFSID_LO_SHIFT	  12 /* lo 15:12 hold PFSID 3:0 */
#define VTD_INV_PFSID_LO_BITS	  4
#define VTD_INV_PFSID_HI_SHIFT	  52	/* lo 63:52 hold PFSID 15:4 */
#define VTD_INV_MIP_MAX		  0x1fu /* 5-bit Max Invs Pending */
#define VTD_INV_DEVTLB_MIP_SHIFT  16
#define VTD_INV_DEVTLB_SID_SHIFT  32
#define VTD_INV_DEVTLB_S	  (1ull << 0) /* hi: size field in the address */
#define VTD_INV_PDEVTLB_MIP_SHIFT 4
#define VTD_INV_PDEVTLB_SID_SHIFT 16
#define VTD_INV_PDEVTLB_G	  (1ull << 0)  /* hi: global (all PASIDs) */
#define VTD_INV_PDEVTLB_S	  (1ull << 11) /* hi: size field in the address */

/* Type 4, interrupt entry cache (6.5.2.7). */
#define VTD_INV_IEC_G_INDEX    (1ull << 4) /* 0: global, 1: index-selective */
#define VTD_INV_IEC_IM_SHIFT   27
#define VTD_INV_IEC_IIDX_SHIFT 32

/* Type 5, invalidation wait (6.5.2.8): flags for vtd_inval_wait(). */
#define VTD_INV_WAIT_IF		(1ull << 4) /* interrupt on completion */
#define VTD_INV_WAIT_SW		(1ull << 5) /* status write */
#define VTD_INV_WAIT_FN		(1ull << 6) /* fence: later descriptors wait for this one */
#define VTD_INV_WAIT_PD		(1ull << 7) /* page-request drain (needs ECAP.PDS) */
#define VTD_INV_WAIT_DATA_SHIFT 32
#define VTD_INV_WAIT_ADDR_MASK	0xfffffffffffffffcull /* hi 63:2: dword aligned */

/* Every wait flag. */
#define VTD_INV_WAIT_FLAGS (VTD_INV_WAIT_IF | VTD_INV_WAIT_SW | VTD_INV_WAIT_FN | VTD_INV_WAIT_PD)

/* Granularities, with their encodings (G fields). Values not listed are reserved. */
enum vtd_cc_gran {
	VTD_CC_G_GLOBAL = 1,
	VTD_CC_G_DOMAIN = 2, /* DID */
	VTD_CC_G_DEVICE = 3, /* DID, SID, FM */
};

enum vtd_iotlb_gran {
	VTD_IOTLB_G_GLOBAL = 1,
	VTD_IOTLB_G_DOMAIN = 2, /* DID */
	VTD_IOTLB_G_PAGE = 3,	/* DID, ADDR, AM, IH: page-selective-within-domain */
};

enum vtd_iec_gran {
	VTD_IEC_G_GLOBAL = 0,
	VTD_IEC_G_INDEX = 1, /* IIDX, IM */
};

/* 00 and 01 are reserved since rev 3.0 (they were the extended-context all-PASID forms). */
enum vtd_piotlb_gran {
	VTD_PIOTLB_G_PASID = 2, /* DID, PASID: non-global mappings of the PASID */
	VTD_PIOTLB_G_PAGE = 3,	/* DID, PASID, ADDR, AM, IH: page-selective-within-PASID */
};

/* 10 is reserved. */
enum vtd_pc_gran {
	VTD_PC_G_DOMAIN = 0, /* DID: every PASID of the domain */
	VTD_PC_G_PASID = 1,  /* DID, PASID */
	VTD_PC_G_GLOBAL = 3,
};

/* The device a device-TLB invalidation is sent to (types 3 and 8). */
struct vtd_devtlb_target {
	uint16_t sid;	/* requester id: bus 15:8, device 7:3, function 2:0 */
	uint16_t pfsid; /* the PF's SID for a VF when ECAP.DIT; must be 0 without DIT */
	uint8_t mip;	/* Max Invs Pending: the device's ATS Invalidate Queue Depth (0 = 32) */
};

/*
 * vtd_inval_cc - context-cache invalidation (type 1, 6.5.2.1).
 * @gran: VTD_CC_G_GLOBAL (did, sid, fm must be 0), VTD_CC_G_DOMAIN (sid, fm must be 0) or
 * VTD_CC_G_DEVICE; @fm masks the low SID bits (0-3, 6.5.2.1 table of FM values).
 * Returns 0, or -EINVAL (descriptor zeroed) for a reserved granularity, FM > 3 or a field
 * given for a granularity that does not use it.
 */
int vtd_inval_cc(struct vtd_inv_desc *d, unsigned int gran, uint16_t did, uint16_t sid,
		 unsigned int fm);

/*
 * vtd_inval_iotlb - IOTLB invalidation (type 2, 6.5.2.3). DR and DW are set whenever the unit
 * reports CAP.DRD / CAP.DWD, so the completion also drains DMA that used stale translations.
 * @gran: VTD_IOTLB_G_GLOBAL (did, addr, am, ih must be 0), VTD_IOTLB_G_DOMAIN (addr, am, ih
 * must be 0) or VTD_IOTLB_G_PAGE: 2^@am pages at @addr, which must be aligned to 2^@am pages;
 * page-selective needs CAP.PSI and @am <= CAP.MAMV. @ih: only leaf entries changed.
 * Returns 0, or -EINVAL (descriptor zeroed).
 */
int vtd_inval_iotlb(struct vtd_inv_desc *d, const struct vtd_caps *caps, unsigned int gran,
		    uint16_t did, uint64_t addr, unsigned int am, bool ih);

/*
 * vtd_inval_devtlb - device-TLB invalidation (type 3, 6.5.2.5) of 2^@order 4 KiB pages at
 * @addr (aligned to that size): order 0 leaves S clear; order n > 0 sets S and encodes the
 * size in the address as PCIe ATS does (address bits 12+n-2..12 set, bit 12+n-1 clear);
 * order VTD_INV_MAX_ORDER with @addr 0 invalidates the whole device TLB.
 * Returns 0, or -EINVAL (descriptor zeroed) for a misaligned address, order > VTD_INV_MAX_ORDER,
 * MIP > 31, or a non-zero PFSID on a unit without ECAP.DIT.
 */
int vtd_inval_devtlb(struct vtd_inv_desc *d, const struct vtd_caps *caps,
		     const struct vtd_devtlb_target *t, uint64_t addr, unsigned int order);

/*
 * vtd_inval_iec - interrupt entry cache invalidation (type 4, 6.5.2.7).
 * @gran: VTD_IEC_G_GLOBAL (iidx, im must be 0) or VTD_IEC_G_INDEX: 2^@im entries from @iidx,
 * which must be aligned to 2^@im; @im must not exceed ECAP.MHMV.
 * Returns 0, or -EINVAL (descriptor zeroed).
 */
int vtd_inval_iec(struct vtd_inv_desc *d, const struct vtd_caps *caps, unsigned int gran,
		  uint16_t iidx, unsigned int im);

/*
 * vtd_inval_wait - invalidation wait (type 5, 6.5.2.8). @flags is any of VTD_INV_WAIT_IF,
 * _SW, _FN, _PD. With SW the unit writes @status_data to @status_addr (4-byte aligned) once
 * every earlier descriptor is done; without SW both must be 0. PD needs ECAP.PDS (QEMU
 * without it treats bit 7 as reserved and raises IQE).
 * Returns 0, or -EINVAL (descriptor zeroed).
 */
int vtd_inval_wait(struct vtd_inv_desc *d, const struct vtd_caps *caps, uint64_t flags,
		   uint32_t status_data, uint64_t status_addr);

/*
 * vtd_inval_piotlb - PASID-based IOTLB invalidation (type 6, 6.5.2.4).
 * @gran: VTD_PIOTLB_G_PASID (addr, am, ih must be 0) or VTD_PIOTLB_G_PAGE: 2^@am pages at
 * @addr, aligned to that size. Granularities 0 and 1 are reserved (QEMU raises IQE for them).
 * skiff holds @am to CAP.MAMV here as for type 2. @pasid <= VTD_INV_PASID_MAX.
 * Returns 0, or -EINVAL (descriptor zeroed).
 */
int vtd_inval_piotlb(struct vtd_inv_desc *d, const struct vtd_caps *caps, unsigned int gran,
		     uint16_t did, uint32_t pasid, uint64_t addr, unsigned int am, bool ih);

/*
 * vtd_inval_pc - PASID-cache invalidation (type 7, 6.5.2.2).
 * @gran: VTD_PC_G_DOMAIN (pasid must be 0), VTD_PC_G_PASID or VTD_PC_G_GLOBAL (did, pasid
 * must be 0); 2 is reserved. Returns 0, or -EINVAL (descriptor zeroed).
 */
int vtd_inval_pc(struct vtd_inv_desc *d, unsigned int gran, uint16_t did, uint32_t pasid);

/*
 * vtd_inval_pdevtlb - PASID-based device-TLB invalidation (type 8, 6.5.2.6): like
 * vtd_inval_devtlb() for @pasid's translations (S is bit 75 here); @global also drops global
 * mappings of every PASID. Returns 0, or -EINVAL (descriptor zeroed).
 */
int vtd_inval_pdevtlb(struct vtd_inv_desc *d, const struct vtd_caps *caps,
		      const struct vtd_devtlb_target *t, uint32_t pasid, uint64_t addr,
		      unsigned int order, bool global);

/* vtd_inv_desc_widen - the 256-bit form of @d: bits 127:0 as in @d, bits 255:128 zero. */
void vtd_inv_desc_widen(const struct vtd_inv_desc *d, struct vtd_inv_desc256 *out);

/*
 * A plan for invalidating a range of IOVAs in a domain's IOTLB: @count page-selective
 * descriptors (address, AM), or @count 0 for one domain-selective invalidation.
 */
#define VTD_PSI_PLAN_MAX 2
struct vtd_psi_plan {
	unsigned int count;
	struct {
		uint64_t addr;
		uint8_t am;
	} psi[VTD_PSI_PLAN_MAX];
};

/*
 * vtd_inval_plan_range - choose the invalidation for [@iova, @iova + @size) (6.5.2.3: AM = n
 * invalidates 2^n pages aligned to 2^n pages).
 *
 * The rule: the pages touched are first..last (4 KiB page numbers).
 *  1. Without @psi (CAP.PSI): domain-selective.
 *  2. One descriptor: the smallest naturally aligned block of 2^n pages holding both first and
 *     last (n = bit length of first XOR last). Taken when n <= @mamv (CAP.MAMV).
 *  3. Else two descriptors: the range crosses the 2^(n-1)-page boundary B inside that block;
 *     [first, B) and [B, last] each get their smallest aligned block. Taken when both orders
 *     are <= @mamv.
 *  4. Else domain-selective.
 * Blocks may cover pages outside the range (over-invalidation is harmless); no rule ever
 * covers fewer pages than the range.
 * Returns 0, or -EINVAL for @size 0 or a range past 2^64.
 */
int vtd_inval_plan_range(uint64_t iova, uint64_t size, bool psi, unsigned int mamv,
			 struct vtd_psi_plan *plan);

#endif
