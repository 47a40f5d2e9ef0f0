/* SPDX-License-Identifier: MIT */
/*
 * VT-d remapping unit registers (VT-d specification rev 5.0, 11.4): offsets, access widths,
 * and every CAP_REG / ECAP_REG field as a named mask. Registers are read and written with the
 * width given here (QEMU's model aborts on a wrong width).
 */
#ifndef SKIFF_IOMMU_VTD_REGS_H
#define SKIFF_IOMMU_VTD_REGS_H

#include <stdint.h>

#include "kernel/bits.h"

/* Register offsets (11.4, table 11-1) and widths. */
#define VTD_VER_REG	0x000  /* 32 */
#define VTD_CAP_REG	0x008  /* 64 */
#define VTD_ECAP_REG	0x010  /* 64 */
#define VTD_GCMD_REG	0x018  /* 32 */
#define VTD_GSTS_REG	0x01c  /* 32 */
#define VTD_RTADDR_REG	0x020  /* 64 */
#define VTD_CCMD_REG	0x028  /* 64 */
#define VTD_FSTS_REG	0x034  /* 32 */
#define VTD_FECTL_REG	0x038  /* 32 */
#define VTD_FEDATA_REG	0x03c  /* 32 */
#define VTD_FEADDR_REG	0x040  /* 32 */
#define VTD_FEUADDR_REG 0x044  /* 32 */
#define VTD_IQH_REG	0x080  /* 64 */
#define VTD_IQT_REG	0x088  /* 64 */
#define VTD_IQA_REG	0x090  /* 64 */
#define VTD_ICS_REG	0x09c  /* 32 */
#define VTD_IQERCD_REG	0x0b0  /* 64 */
#define VTD_IRTA_REG	0x0b8  /* 64: interrupt remapping table address (11.4) */
#define VTD_REG_SET_MIN 0x1000 /* a unit's registers span at least one 4 KiB page */

/* GCMD_REG / GSTS_REG (11.4.4, 11.4.5): command bit n is reported by status bit n. */
#define VTD_GCMD_TE    (1u << 31) /* translation enable (persistent) */
#define VTD_GCMD_SRTP  (1u << 30) /* set root table pointer (one-shot) */
#define VTD_GCMD_SFL   (1u << 29) /* one-shot */
#define VTD_GCMD_EAFL  (1u << 28) /* persistent */
#define VTD_GCMD_WBF   (1u << 27) /* one-shot */
#define VTD_GCMD_QIE   (1u << 26) /* queued invalidation enable (persistent) */
#define VTD_GCMD_IRE   (1u << 25) /* interrupt remapping enable (persistent) */
#define VTD_GCMD_SIRTP (1u << 24) /* one-shot */
#define VTD_GCMD_CFI   (1u << 23) /* compatibility format interrupts (persistent) */
/* GSTS_REG names for the interrupt remapping status bits (same positions as the commands). */
#define VTD_GSTS_IRES  VTD_GCMD_IRE   /* interrupt remapping enabled */
#define VTD_GSTS_IRTPS VTD_GCMD_SIRTP /* interrupt remapping table pointer latched */
#define VTD_GSTS_CFIS  VTD_GCMD_CFI   /* compatibility format interrupts pass through */
#define VTD_GSTS_PERSISTENT \
	(VTD_GCMD_TE | VTD_GCMD_EAFL | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI)

/* RTADDR_REG (11.4.6). */
#define VTD_RTADDR_PTR_MASK	0xfffffffffffff000ull
#define VTD_RTADDR_TTM_SHIFT	10
#define VTD_RTADDR_TTM_LEGACY	(0ull << VTD_RTADDR_TTM_SHIFT)
#define VTD_RTADDR_TTM_SCALABLE (1ull << VTD_RTADDR_TTM_SHIFT)

/* CCMD_REG (11.4.7.1): register-based context-cache invalidation. */
#define VTD_CCMD_ICC	    (1ull << 63) /* set to start; the unit clears it when done */
#define VTD_CCMD_CIRG_SHIFT 61		 /* granularity: the descriptor's G values 1-3 */
#define VTD_CCMD_FM_SHIFT   32
#define VTD_CCMD_SID_SHIFT  16

/* IVA_REG / IOTLB_REG (11.4.8.1) at ECAP.IRO * 16 and + 8: register-based IOTLB invalidation. */
#define VTD_IVA_OFFSET	     0x0
#define VTD_IOTLB_OFFSET     0x8
#define VTD_IRO_UNIT	     16
#define VTD_IVA_MASK	     0xfffffffffffff07full /* ADDR 63:12, IH 6, AM 5:0 */
#define VTD_IOTLB_IVT	     (1ull << 63)	   /* set to start; cleared when done */
#define VTD_IOTLB_IIRG_SHIFT 60			   /* granularity: the descriptor's G values 1-3 */
#define VTD_IOTLB_DR	     (1ull << 49)
#define VTD_IOTLB_DW	     (1ull << 48)
#define VTD_IOTLB_DID_SHIFT  32

/* IQA_REG (11.4.8.3), IQT_REG (11.4.8.2), ICS_REG (11.4.8.4). */
#define VTD_IQA_ADDR_MASK 0xfffffffffffff000ull
#define VTD_IQA_DW_256	  (1ull << 11) /* 256-bit descriptors (required in scalable mode) */
#define VTD_IQA_QS_MASK	  0x7ull       /* queue size: 2^QS 4 KiB pages */
#define VTD_IQT_QT_MASK	  0x7fff0ull   /* tail offset in bytes, 16-byte units */
#define VTD_ICS_IWC	  (1u << 0)    /* invalidation wait descriptor complete */

/* VER_REG (11.4.1). */
#define VTD_VER_MINOR(v) FIELD_GET(GENMASK(3, 0), v)
#define VTD_VER_MAJOR(v) FIELD_GET(GENMASK(7, 4), v)

/* CAP_REG (11.4.2). */
#define VTD_CAP_ND(c)	   FIELD_GET(GENMASK(2, 0), c) /* domain-id bits: 4 + 2 * ND */
#define VTD_CAP_AFL(c)	   FIELD_GET(GENMASK(3, 3), c)
#define VTD_CAP_RWBF(c)	   FIELD_GET(GENMASK(4, 4), c)
#define VTD_CAP_PLMR(c)	   FIELD_GET(GENMASK(5, 5), c)
#define VTD_CAP_PHMR(c)	   FIELD_GET(GENMASK(6, 6), c)
#define VTD_CAP_CM(c)	   FIELD_GET(GENMASK(7, 7), c)
#define VTD_CAP_SAGAW(c)   FIELD_GET(GENMASK(12, 8), c) /* bit 1: 39-bit/3-level, 2: 48/4, 3: 57/5 */
#define VTD_CAP_MGAW(c)	   FIELD_GET(GENMASK(21, 16), c) /* width - 1 */
#define VTD_CAP_ZLR(c)	   FIELD_GET(GENMASK(22, 22), c)
#define VTD_CAP_FRO(c)	   FIELD_GET(GENMASK(33, 24), c) /* fault recording offset in 16-byte units */
#define VTD_CAP_SLLPS(c)   FIELD_GET(GENMASK(37, 34), c) /* bit 0: 2 MiB, bit 1: 1 GiB */
#define VTD_CAP_PSI(c)	   FIELD_GET(GENMASK(39, 39), c)
#define VTD_CAP_NFR(c)	   FIELD_GET(GENMASK(47, 40), c) /* fault recording registers - 1 */
#define VTD_CAP_MAMV(c)	   FIELD_GET(GENMASK(53, 48), c)
#define VTD_CAP_DWD(c)	   FIELD_GET(GENMASK(54, 54), c)
#define VTD_CAP_DRD(c)	   FIELD_GET(GENMASK(55, 55), c)
#define VTD_CAP_FS1GP(c)   FIELD_GET(GENMASK(56, 56), c)
#define VTD_CAP_PI(c)	   FIELD_GET(GENMASK(59, 59), c)
#define VTD_CAP_FS5LP(c)   FIELD_GET(GENMASK(60, 60), c)
#define VTD_CAP_ECMDS(c)   FIELD_GET(GENMASK(61, 61), c)
#define VTD_CAP_ESIRTPS(c) FIELD_GET(GENMASK(62, 62), c)
#define VTD_CAP_ESRTPS(c)  FIELD_GET(GENMASK(63, 63), c)

#define VTD_SAGAW_39	 (1u << 1)
#define VTD_SAGAW_48	 (1u << 2)
#define VTD_SAGAW_57	 (1u << 3)
#define VTD_SLLPS_2M	 (1u << 0)
#define VTD_SLLPS_1G	 (1u << 1)
#define VTD_FRO_UNIT	 16
#define VTD_ND_BASE_BITS 4

/* ECAP_REG (11.4.3). */
#define VTD_ECAP_C(e)	  FIELD_GET(GENMASK(0, 0), e)
#define VTD_ECAP_QI(e)	  FIELD_GET(GENMASK(1, 1), e)
#define VTD_ECAP_DT(e)	  FIELD_GET(GENMASK(2, 2), e)
#define VTD_ECAP_IR(e)	  FIELD_GET(GENMASK(3, 3), e)
#define VTD_ECAP_EIM(e)	  FIELD_GET(GENMASK(4, 4), e)
#define VTD_ECAP_PT(e)	  FIELD_GET(GENMASK(6, 6), e)
#define VTD_ECAP_SC(e)	  FIELD_GET(GENMASK(7, 7), e)
#define VTD_ECAP_IRO(e)	  FIELD_GET(GENMASK(17, 8), e) /* IOTLB registers offset in 16-byte units */
#define VTD_ECAP_MHMV(e)  FIELD_GET(GENMASK(23, 20), e)
#define VTD_ECAP_MTS(e)	  FIELD_GET(GENMASK(25, 25), e)
#define VTD_ECAP_NEST(e)  FIELD_GET(GENMASK(26, 26), e)
#define VTD_ECAP_PRS(e)	  FIELD_GET(GENMASK(29, 29), e)
#define VTD_ECAP_ERS(e)	  FIELD_GET(GENMASK(30, 30), e)
#define VTD_ECAP_SRS(e)	  FIELD_GET(GENMASK(31, 31), e)
#define VTD_ECAP_NWFS(e)  FIELD_GET(GENMASK(33, 33), e)
#define VTD_ECAP_EAFS(e)  FIELD_GET(GENMASK(34, 34), e)
#define VTD_ECAP_PSS(e)	  FIELD_GET(GENMASK(39, 35), e) /* PASID bits - 1 */
#define VTD_ECAP_PASID(e) FIELD_GET(GENMASK(40, 40), e)
#define VTD_ECAP_DIT(e)	  FIELD_GET(GENMASK(41, 41), e)
#define VTD_ECAP_PDS(e)	  FIELD_GET(GENMASK(42, 42), e)
#define VTD_ECAP_SMTS(e)  FIELD_GET(GENMASK(43, 43), e)
#define VTD_ECAP_VCS(e)	  FIELD_GET(GENMASK(44, 44), e)
#define VTD_ECAP_SSADS(e) FIELD_GET(GENMASK(45, 45), e)
#define VTD_ECAP_SSTS(e)  FIELD_GET(GENMASK(46, 46), e) /* second-stage translation (SLTS) */
#define VTD_ECAP_FSTS(e)  FIELD_GET(GENMASK(47, 47), e) /* first-stage translation (FLTS) */
#define VTD_ECAP_SMPWC(e) FIELD_GET(GENMASK(48, 48), e)
#define VTD_ECAP_RPS(e)	  FIELD_GET(GENMASK(49, 49), e)

#endif
