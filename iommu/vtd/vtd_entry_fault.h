/* SPDX-License-Identifier: MIT */
/*
 * What the remapping hardware makes of one entry on its own (VT-d specification rev 5.0,
 * chapter 9): a paging entry decoded with the bits that are reserved on the unit, and for each
 * root, context, PASID directory and PASID table entry the fault reason it earns. The walker
 * (vtd_walk.c) and the audit (vtd_audit.c) both judge entries with these functions, so they agree
 * on what the hardware would refuse. Pure: only the unit's description in the struct
 * vtd_walk_ctx is read (caps, haw), never its table callback.
 *
 * Paging entries (no dependency on vtd_pgtable.h; decoded here from 9.7 / 9.8):
 *  - second stage: R bit 0, W bit 1, X bit 2 (only with the PASID entry's SSEE), PS bit 7,
 *    address 51:12. Present when R or W (or X with SSEE) is set. Reserved, as QEMU's
 *    VTD_SPTE_*_RSVD_MASK: bits 51:HAW; bit 11 (SNP) in non-leaf entries, and in leaves unless
 *    scalable mode or ECAP.SC; bit 62 (TM) unless a legacy-mode leaf with ECAP.DT; PS in SS-PML5E
 *    and SS-PML4E, and in SS-PDPE / SS-PDE when CAP.SLLPS lacks 1 GiB / 2 MiB; address bits below
 *    a large leaf's size (20:12, 29:12). Bits 10:8, 6:3, 61:52 and 63 are ignored.
 *  - first stage (x86-64 paging): P bit 0, R/W bit 1, U/S bit 2, PS bit 7, XD bit 63. Reserved:
 *    bits 51:HAW; PS in PML5E / PML4E, in PDPE without CAP.FS1GP; bits 20:13 / 29:13 of a
 *    2 MiB / 1 GiB leaf. XD is honoured only when the PASID entry's NXE is 1 and is otherwise
 *    ignored (rev 5.0 deprecates NXE / XD with execute requests; earlier revisions called XD
 *    reserved when NXE = 0 - see vtd_entry_fault.c).
 *
 * Structure entries: 0 when the present entry is well formed, else the fault reason (enum
 * vtd_fault_reason) the hardware reports for it: a reserved-field or an invalid-programming
 * code. The decoded fields go to @cfg. They cover what the entry alone decides; checks that
 * depend on the request (its PASID, privilege, access) stay in vtd_walk().
 */
#ifndef SKIFF_IOMMU_VTD_ENTRY_FAULT_H
#define SKIFF_IOMMU_VTD_ENTRY_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_walk.h"

/* A paging entry decoded (9.7, 9.8). */
struct vtd_pte_info {
	bool present;
	bool leaf;	    /* level 1, or PS = 1 where PS is allowed */
	uint64_t addr;	    /* next table, or the leaf's first byte */
	uint64_t size;	    /* leaf: 4 KiB, 2 MiB, 1 GiB */
	unsigned int perms; /* this entry's VTD_WALK_R / W / X / U */
	uint64_t reserved;  /* the reserved bits that are set (0: none) */
};

/* Flags of the paging entry decoders: what the PASID entry or the mode says about the entry. */
#define VTD_PTE_DECODE_SCALABLE (1u << 0) /* SS: scalable mode (SNP allowed in leaves, no TM) */
#define VTD_PTE_DECODE_SSEE	(1u << 1) /* SS: X counts (present, permission) */
#define VTD_PTE_DECODE_NXE	(1u << 2) /* FS: XD is honoured */

/*
 * vtd_ptr_beyond_haw - does the table pointer @ptr (bits 63:12 of an entry) reach at or above
 * 2^HAW on the unit of @ctx (ctx->haw 0: 52 bits)? Such a pointer is a reserved-field fault.
 */
bool vtd_ptr_beyond_haw(const struct vtd_walk_ctx *ctx, uint64_t ptr);

/*
 * vtd_fs_canonical - @iova sign-extended from the input width of a @levels-level first stage
 * (48 bits with 4 levels, 57 with 5; 3.6): a first-stage input address is canonical when it
 * equals this (80h otherwise).
 */
uint64_t vtd_fs_canonical(uint64_t iova, unsigned int levels);

/* vtd_ss_pte_decode - second-stage entry @e at @level (1-5) for the unit of @ctx into @pte. */
void vtd_ss_pte_decode(const struct vtd_walk_ctx *ctx, unsigned int flags, unsigned int level,
		       uint64_t e, struct vtd_pte_info *pte);

/* vtd_fs_pte_decode - first-stage entry @e at @level (1-5) for the unit of @ctx into @pte. */
void vtd_fs_pte_decode(const struct vtd_walk_ctx *ctx, unsigned int flags, unsigned int level,
		       uint64_t e, struct vtd_pte_info *pte);

/*
 * vtd_root_entry_fault - root entry @e (9.1; legacy 0Ah reserved) or the @half of a
 * scalable-mode root entry (9.2; 3Ah reserved) in @mode; @ctp gets the context-table pointer
 * even when the entry faults.
 */
int vtd_root_entry_fault(const struct vtd_walk_ctx *ctx, enum vtd_walk_mode mode,
			 const struct vtd_root_entry *e, enum vtd_sm_root_half half, uint64_t *ctp);

/* vtd_context_entry_fault - legacy context entry (9.3): 0Bh reserved (also SLPTPTR beyond
 * HAW), 03h a TT or AW the unit lacks. */
int vtd_context_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_context_entry *e,
			    struct vtd_context_config *cfg);

/* vtd_sm_context_entry_fault - scalable-mode context entry (9.4): 42h reserved (also a feature
 * bit the unit lacks, PASIDDIRPTR beyond HAW). */
int vtd_sm_context_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_sm_context_entry *e,
			       struct vtd_sm_context_config *cfg);

/* vtd_pasid_dir_entry_fault - PASID directory entry (9.5): 52h reserved (also the PASID table
 * pointer beyond HAW). */
int vtd_pasid_dir_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_pasid_dir_entry *e);

/* vtd_pasid_entry_fault - PASID table entry (9.6): 5Ah reserved (also memory-type fields without
 * ECAP.MTS, host pointers beyond HAW), 5Bh invalid (reserved PGTT / FSPM, a PGTT, AW or 5-level
 * FSPM the unit lacks). */
int vtd_pasid_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_pasid_entry *e,
			  struct vtd_pasid_entry_config *cfg);

#endif
