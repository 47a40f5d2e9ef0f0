// SPDX-License-Identifier: MIT
/*
 * One entry as the remapping hardware judges it. The contract is in vtd_entry_fault.h; the fault
 * reason codes, and where each comes from, are listed at the top of vtd_walk.c, and each check
 * here says which one it reports.
 */
#include "iommu/vtd/vtd_entry_fault.h"

#include <errno.h>

#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"

#define PTE_ADDR     GENMASK(51, 12) /* paging entries: address bits 51:12 (9.7, 9.8) */
#define OA_BITS_MAX  52u
#define FS_LEVELS_5  5u
#define FS_VA_BITS_4 48u
#define FS_VA_BITS_5 57u

/* Second-stage paging entry bits (9.8). */
#define SS_R   (1ull << 0)
#define SS_W   (1ull << 1)
#define SS_X   (1ull << 2)
#define SS_PS  (1ull << 7)
#define SS_SNP (1ull << 11)
#define SS_TM  (1ull << 62)

/* First-stage paging entry bits (9.7, the x86-64 format). */
#define FS_P  (1ull << 0)
#define FS_RW (1ull << 1)
#define FS_US (1ull << 2)
#define FS_PS (1ull << 7)
#define FS_XD (1ull << 63)
/* A large first-stage leaf has PAT in bit 12: its reserved address bits start at 13. */
#define FS_LARGE_RSVD_LOW 13u

static unsigned int haw_bits(const struct vtd_walk_ctx *ctx)
{
	return ctx->haw && ctx->haw < OA_BITS_MAX ? ctx->haw : OA_BITS_MAX;
}

bool vtd_ptr_beyond_haw(const struct vtd_walk_ctx *ctx, uint64_t ptr)
{
	return (ptr >> haw_bits(ctx)) != 0;
}

/* Address bits 51:HAW of a paging entry: reserved (9.7, 9.8). */
static uint64_t pte_addr_rsvd(const struct vtd_walk_ctx *ctx, uint64_t e)
{
	unsigned int haw = haw_bits(ctx);

	return haw < OA_BITS_MAX ? e & GENMASK(OA_BITS_MAX - 1, haw) : 0;
}

/* ---- Paging entries ---- */

uint64_t vtd_fs_canonical(uint64_t iova, unsigned int levels)
{
	unsigned int bits = levels == FS_LEVELS_5 ? FS_VA_BITS_5 : FS_VA_BITS_4;

	return (uint64_t)((int64_t)(iova << (64 - bits)) >> (64 - bits));
}

void vtd_ss_pte_decode(const struct vtd_walk_ctx *ctx, unsigned int flags, unsigned int level,
		       uint64_t e, struct vtd_pte_info *pte)
{
	bool scalable = flags & VTD_PTE_DECODE_SCALABLE;
	bool leaf = level == 1;
	uint64_t rsvd = pte_addr_rsvd(ctx, e);
	uint64_t size = 0;

	*pte = (struct vtd_pte_info){ 0 };
	if (e & SS_R)
		pte->perms |= VTD_WALK_R;
	if (e & SS_W)
		pte->perms |= VTD_WALK_W;
	if ((flags & VTD_PTE_DECODE_SSEE) && (e & SS_X))
		pte->perms |= VTD_WALK_X;
	pte->present = pte->perms != 0;

	/* PS: a leaf in an SS-PDE (2 MiB) or SS-PDPE (1 GiB) the unit supports (CAP.SLLPS). */
	if (level >= 2 && (e & SS_PS)) {
		bool ok = (level == 2 && (ctx->caps->sllps & VTD_SLLPS_2M)) ||
			  (level == 3 && (ctx->caps->sllps & VTD_SLLPS_1G));

		if (ok)
			leaf = true;
		else
			rsvd |= SS_PS;
	}
	if (leaf) {
		size = 1ull << vtd_level_shift(level);
		if (level >= 2)
			rsvd |= e & GENMASK(vtd_level_shift(level) - 1, VTD_PAGE_SHIFT);
		/* SNP: a leaf bit in scalable mode or with ECAP.SC (QEMU clears it then). */
		if (!scalable && !ctx->caps->sc)
			rsvd |= e & SS_SNP;
		/* TM: legacy-mode leaves with ECAP.DT only. */
		if (scalable || !ctx->caps->dt)
			rsvd |= e & SS_TM;
		pte->addr = e & PTE_ADDR & ~(size - 1);
	} else {
		rsvd |= e & (SS_SNP | SS_TM);
		pte->addr = e & PTE_ADDR;
	}
	pte->leaf = leaf && !(rsvd & SS_PS);
	pte->size = size;
	pte->reserved = rsvd;
}

void vtd_fs_pte_decode(const struct vtd_walk_ctx *ctx, unsigned int flags, unsigned int level,
		       uint64_t e, struct vtd_pte_info *pte)
{
	bool leaf = level == 1;
	uint64_t rsvd = pte_addr_rsvd(ctx, e);
	uint64_t size = 0;

	*pte = (struct vtd_pte_info){ 0 };
	pte->present = e & FS_P;
	pte->perms = VTD_WALK_R;
	if (e & FS_RW)
		pte->perms |= VTD_WALK_W;
	if (e & FS_US)
		pte->perms |= VTD_WALK_U;
	/*
	 * XD only counts with the PASID entry's NXE. Rev 5.0 deprecates execute requests, NXE and
	 * XD (Linux dropped pasid_set_nxe and DMA_FL_PTE_XD in 2024, "iommu/vt-d: Remove control
	 * over Execute-Requested requests"); earlier revisions made XD reserved when NXE = 0 (Linux's
	 * old comment on pasid_set_nxe: "required when XD bit ... is about to be set"). QEMU ignores
	 * bits 63:52. Here XD with NXE = 0 is ignored, not reserved.
	 */
	if (!((flags & VTD_PTE_DECODE_NXE) && (e & FS_XD)))
		pte->perms |= VTD_WALK_X;

	if (level >= 2 && (e & FS_PS)) {
		bool ok = level == 2 || (level == 3 && ctx->caps->fs1gp);

		if (ok)
			leaf = true;
		else
			rsvd |= FS_PS;
	}
	if (leaf) {
		size = 1ull << vtd_level_shift(level);
		if (level >= 2)
			rsvd |= e & GENMASK(vtd_level_shift(level) - 1, FS_LARGE_RSVD_LOW);
		pte->addr = e & PTE_ADDR & ~(size - 1);
	} else {
		pte->addr = e & PTE_ADDR;
	}
	pte->leaf = leaf && !(rsvd & FS_PS);
	pte->size = size;
	pte->reserved = rsvd;
}

/* ---- Structure entries ---- */

int vtd_root_entry_fault(const struct vtd_walk_ctx *ctx, enum vtd_walk_mode mode,
			 const struct vtd_root_entry *e, enum vtd_sm_root_half half, uint64_t *ctp)
{
	if (mode == VTD_WALK_LEGACY) {
		/* 9.1: bits 11:1 and 127:64 reserved; CTP bits 63:HAW reserved. */
		*ctp = vtd_root_entry_ctp(e);
		if ((e->lo & ~(VTD_RE_P | VTD_RE_CTP_MASK)) || e->hi ||
		    vtd_ptr_beyond_haw(ctx, *ctp))
			return VTD_FR_ROOT_RSVD;
		return 0;
	}
	/* 9.2: each half has its own present bit, bits 11:1 reserved and a CTP below 2^HAW. */
	*ctp = vtd_sm_root_entry_ctp(e, half);
	if (half == VTD_SM_ROOT_UPPER) {
		if (e->hi & ~(VTD_SMRE_UP | VTD_SMRE_UCTP_MASK))
			return VTD_FR_SM_ROOT_RSVD;
	} else if (e->lo & ~(VTD_SMRE_LP | VTD_SMRE_LCTP_MASK)) {
		return VTD_FR_SM_ROOT_RSVD;
	}
	return vtd_ptr_beyond_haw(ctx, *ctp) ? VTD_FR_SM_ROOT_RSVD : 0;
}

int vtd_context_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_context_entry *e,
			    struct vtd_context_config *cfg)
{
	const struct vtd_caps *caps = ctx->caps;

	if (vtd_context_entry_decode(e, cfg)) {
		/*
		 * The decoder refuses reserved bits and TT = 11b alike. Reserved bits are 0Bh
		 * (LCT.3), a reserved TT is invalid programming, 03h (LCT.4): decode again with TT
		 * cleared to tell them apart.
		 */
		struct vtd_context_entry tt0 = *e;
		struct vtd_context_config ignored;

		tt0.lo &= ~VTD_CE_LO_TT_MASK;
		if (vtd_context_entry_decode(&tt0, &ignored))
			return VTD_FR_CTX_RSVD;
		return VTD_FR_CTX_INVALID;
	}
	/* SLPTPTR bits 63:HAW are reserved (QEMU VTD_CONTEXT_ENTRY_RSVD_LO(aw)); ignored with PT. */
	if (cfg->tt != VTD_TT_PT && vtd_ptr_beyond_haw(ctx, cfg->ss_root))
		return VTD_FR_CTX_RSVD;
	/* LCT.4: TT the unit lacks (device TLB without ECAP.DT, PT without ECAP.PT), AW not in
	 * SAGAW (for PT too: the unit still reads AW, 9.3). */
	if (cfg->tt == VTD_TT_SS_DEVTLB && !caps->dt)
		return VTD_FR_CTX_INVALID;
	if (cfg->tt == VTD_TT_PT && !caps->pt)
		return VTD_FR_CTX_INVALID;
	if (!vtd_aw_supported(caps, cfg->aw))
		return VTD_FR_CTX_INVALID;
	return 0;
}

int vtd_sm_context_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_sm_context_entry *e,
			       struct vtd_sm_context_config *cfg)
{
	const struct vtd_caps *caps = ctx->caps;

	if (vtd_sm_context_entry_decode(e, cfg))
		return VTD_FR_SM_CTX_RSVD;
	if (vtd_ptr_beyond_haw(ctx, cfg->pasid_dir))
		return VTD_FR_SM_CTX_RSVD;
	/* A control for a feature the unit lacks is a reserved field there (9.4). */
	if (((cfg->flags & VTD_SMCE_FLAG_DTE) && !caps->dt) ||
	    ((cfg->flags & VTD_SMCE_FLAG_PRE) && !caps->prs) ||
	    ((cfg->flags & VTD_SMCE_FLAG_PASIDE) && !caps->pasid) ||
	    ((cfg->flags & VTD_SMCE_FLAG_RID_PRIV) && !caps->srs))
		return VTD_FR_SM_CTX_RSVD;
	return 0;
}

int vtd_pasid_dir_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_pasid_dir_entry *e)
{
	if (vtd_pasid_dir_entry_reserved(e) ||
	    vtd_ptr_beyond_haw(ctx, vtd_pasid_dir_entry_table(e)))
		return VTD_FR_SM_PDIR_RSVD;
	return 0;
}

int vtd_pasid_entry_fault(const struct vtd_walk_ctx *ctx, const struct vtd_pasid_entry *e,
			  struct vtd_pasid_entry_config *cfg)
{
	const struct vtd_caps *caps = ctx->caps;
	bool mts = VTD_ECAP_MTS(caps->ecap);
	int rc = vtd_pasid_entry_decode(e, cfg);

	if (rc == -EINVAL) {
		/*
		 * Reserved bits (5Ah, SPT.3) or a reserved PGTT / FSPM value (invalid programming,
		 * 5Bh, SPT.4): decode again with PGTT and FSPM set to valid values.
		 */
		struct vtd_pasid_entry valid = *e;
		struct vtd_pasid_entry_config ignored;
		int rc2;

		valid.val[0] = (valid.val[0] & ~VTD_PE_W0_PGTT_MASK) |
			       FIELD_PREP(VTD_PE_W0_PGTT_MASK, VTD_PGTT_SS);
		valid.val[2] &= ~VTD_PE_W2_FSPM_MASK;
		rc2 = vtd_pasid_entry_decode(&valid, &ignored);
		if (rc2 == -EINVAL || (rc2 == -EOPNOTSUPP && !mts))
			return VTD_FR_SM_PASID_RSVD;
		return VTD_FR_SM_PASID_INVALID;
	}
	/* The memory-type fields exist only with ECAP.MTS; reserved otherwise. */
	if (rc == -EOPNOTSUPP && !mts)
		return VTD_FR_SM_PASID_RSVD;
	/* Host-physical table pointers: bits 63:HAW reserved (nested FSPTPTR is guest physical). */
	if ((cfg->pgtt == VTD_PGTT_SS || cfg->pgtt == VTD_PGTT_NESTED) &&
	    vtd_ptr_beyond_haw(ctx, cfg->ss_root))
		return VTD_FR_SM_PASID_RSVD;
	if (cfg->pgtt == VTD_PGTT_FS && vtd_ptr_beyond_haw(ctx, cfg->fs_root))
		return VTD_FR_SM_PASID_RSVD;
	/* SPT.4: a PGTT, second-stage AW or 5-level first stage the unit does not implement. */
	if (!vtd_pgtt_supported(caps, cfg->pgtt))
		return VTD_FR_SM_PASID_INVALID;
	if ((cfg->pgtt == VTD_PGTT_SS || cfg->pgtt == VTD_PGTT_NESTED) &&
	    !vtd_aw_supported(caps, cfg->aw))
		return VTD_FR_SM_PASID_INVALID;
	if ((cfg->pgtt == VTD_PGTT_FS || cfg->pgtt == VTD_PGTT_NESTED) &&
	    cfg->fs_paging == VTD_FSPM_5LEVEL && !caps->fs5lp)
		return VTD_FR_SM_PASID_INVALID;
	return 0;
}
