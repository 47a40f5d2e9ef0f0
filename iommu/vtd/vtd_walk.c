// SPDX-License-Identifier: MIT
/*
 * Software VT-d translation walker. The contract is in vtd_walk.h; this file says, at each
 * check, which fault reason it reports and why that one.
 *
 * Sources for the reason codes (enum vtd_fault_reason, vtd_fault.h):
 *  - legacy codes 01h-0Eh: the specification's legacy fault table (VirtualBox's iommu-intel.h
 *    VTDADDRFAULT labels it LRT.1 08h, LRT.2 01h, LRT.3 0Ah, LCT.1 09h, LCT.2 02h, LCT.3 0Bh,
 *    LCT.4.x 03h, LCT.5 0Dh, LSL.1 07h, LSL.2 0Ch, LGN.1 04h, LGN.2 05h, LGN.3 06h, LGN.4 0Eh),
 *    QEMU's VTDFaultReason (hw/i386/intel_iommu_internal.h) and Linux's dma_remap_fault_reasons;
 *  - scalable-mode codes 30h-91h: Linux's dma_remap_sm_fault_reasons (drivers/iommu/dmar.c)
 *    and VirtualBox's labels (RTA.x 30h-33h, SRT.x 38h-3Ah, SCT.x 40h-48h, SPD.x 50h-52h,
 *    SPT.x 58h-5Dh, SFL.x 70h-77h / 90h-91h, SSL.x 78h-7Dh, SGN.x 80h-89h); QEMU's newer
 *    VTD_FR_* (PASID_DIR_ACCESS_ERR 50h, PASID_DIR_ENTRY_P 51h, PASID_TABLE_ACCESS_ERR 58h,
 *    PASID_ENTRY_P 59h, PASID_TABLE_ENTRY_INV 5Bh, FS_PAGING_ENTRY_INV 70h / _P 71h / _RSVD 72h,
 *    PASID_ENTRY_FSPTPTR_INV 73h, FS_NON_CANONICAL 80h ("SNG.1"), FS_PAGING_ENTRY_US 81h,
 *    SM_WRITE 85h, SM_INTERRUPT_ADDR 87h).
 * Where the sources disagree or say nothing, the choice is noted at the check.
 */
#include "iommu/vtd/vtd_walk.h"

#include <errno.h>
#include <string.h>

#include "iommu/vtd/vtd_entry_fault.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/arch/x86/msi.h"
#include "kernel/bits.h"

#define LEVEL_MASK  0x1ffull
#define FS_LEVELS_4 4u
#define FS_LEVELS_5 5u

/* First-stage entry bits the hardware updates (9.7): accessed, dirty. */
#define FS_A (1ull << 5)
#define FS_D (1ull << 6)

#define ACCESS_ALL (VTD_WALK_R | VTD_WALK_W | VTD_WALK_X)
#define PERMS_ALL  (VTD_WALK_R | VTD_WALK_W | VTD_WALK_X | VTD_WALK_U)

struct walk {
	const struct vtd_walk_ctx *ctx;
	struct vtd_walk_result *out;
};

/* A finished translation of one stage. */
struct xlate {
	uint64_t pa, size;
	unsigned int perms;
	unsigned int level; /* level of the leaf */
	uint64_t leaf_addr; /* physical address of the leaf entry */
};

/* What the first-stage walk needs from the PASID entry and the request. */
struct fs_req {
	uint64_t root;
	unsigned int levels;
	uint64_t iova;
	unsigned int access;
	bool priv, wpe, smep, nxe;
	const struct vtd_walk_ss_req *parent; /* nested: the second stage; NULL otherwise */
};

/* The index of @iova's entry in a paging table at @level (9.7, 9.8). */
static unsigned int pte_index(uint64_t iova, unsigned int level)
{
	return (unsigned int)((iova >> vtd_level_shift(level)) & LEVEL_MASK);
}

/* ---- The walk ---- */

static const uint64_t *read_entry(struct walk *w, uint64_t pa, size_t bytes)
{
	return w->ctx->table(w->ctx->arg, pa, bytes);
}

static void record(struct walk *w, enum vtd_walk_struct what, unsigned int level, uint64_t addr,
		   const uint64_t *val, unsigned int nwords)
{
	struct vtd_walk_result *o = w->out;

	if (o->steps && o->nsteps < o->max_steps) {
		struct vtd_walk_step *s = &o->steps[o->nsteps];

		*s = (struct vtd_walk_step){
			.what = what,
			.level = (uint8_t)level,
			.nwords = (uint8_t)nwords,
			.addr = addr,
		};
		for (unsigned int i = 0; i < nwords && i < ARRAY_SIZE(s->val); i++)
			s->val[i] = val[i];
	}
	o->nsteps++;
}

static int fault(struct walk *w, int reason, enum vtd_walk_struct where, unsigned int level,
		 uint64_t entry_addr)
{
	w->out->reason = (uint8_t)reason;
	w->out->where = where;
	w->out->level = (uint8_t)level;
	w->out->entry_addr = entry_addr;
	return -EFAULT;
}

/* The reason for a request lacking @missing (VTD_WALK_*) at the end of a translation. */
static int perm_reason(bool scalable, unsigned int missing)
{
	if (missing & VTD_WALK_R)
		return scalable ? VTD_FR_SM_NO_READ : VTD_FR_NO_READ; /* SGN.7 / LGN.3 */
	if (missing & VTD_WALK_W)
		return scalable ? VTD_FR_SM_NO_WRITE : VTD_FR_NO_WRITE; /* SGN.6 / LGN.2 */
	return VTD_FR_SM_NO_EXEC;					/* SGN.3 */
}

/*
 * A second-stage walk of @s->iova. Codes by @use:
 *  - width: legacy 04h (LGN.1), scalable 83h (SGN.4); a nested guest-physical address 74h
 *    ("first-level entry address beyond MGAW in nested translation");
 *  - the table SSPTPTR / SLPTPTR points to unreadable: legacy 03h (LCT.4.3, as QEMU and
 *    VirtualBox), scalable 7Bh (SSL.4, "invalid second-level page table pointer"); a lower
 *    table unreadable: 07h (LSL.1) / 78h (SSL.1);
 *  - entry not present (R = W = 0): legacy the request's missing permission 05h / 06h (QEMU:
 *    LGN.2 / LGN.3 cover R = W = 0), scalable 79h (SSL.2, Linux: "read/write permission error
 *    in second-level paging entry"; VirtualBox maps a not-present entry there too); nested
 *    table reads 75h (FSPTPTR) / 76h (lower tables), Linux "read permission error in FL-PML4 /
 *    first-level paging entry in nested translation";
 *  - reserved bits: 0Ch (LSL.2) / 7Ah (Linux "non-zero reserved field set in second-level
 *    paging entry"; VirtualBox labels 79h reserved and 7Ah unsupported large page - both are
 *    reserved-field cases here);
 *  - permissions after the leaf: 05h / 06h legacy, 85h / 86h / 82h scalable (SGN.6 / 7 / 3);
 *    nested table reads without R: 75h / 76h.
 */
static int ss_walk(struct walk *w, const struct vtd_walk_ss_req *s, struct xlate *x)
{
	enum vtd_walk_ss_use use = s->use;
	bool nested = use != VTD_WALK_SS_REQUEST;
	bool table_read = use == VTD_WALK_SS_FS_ROOT || use == VTD_WALK_SS_FS_TABLE;
	enum vtd_walk_struct what = table_read ? VTD_WS_SS_NESTED : VTD_WS_SS;
	unsigned int flags =
		(s->scalable ? VTD_PTE_DECODE_SCALABLE : 0) | (s->ssee ? VTD_PTE_DECODE_SSEE : 0);
	/* Without SSEE the X bit is ignored and execute is not restricted (9.6). */
	unsigned int x_free = s->ssee ? 0 : VTD_WALK_X;
	unsigned int perms = VTD_WALK_R | VTD_WALK_W | VTD_WALK_X;
	int nested_read =
		use == VTD_WALK_SS_FS_ROOT ? VTD_FR_SM_NEST_FS_ROOT_READ : VTD_FR_SM_NEST_FS_READ;
	uint64_t table = s->root;
	unsigned int level;
	struct vtd_pte_info pte = { 0 };
	uint64_t ea = 0;

	if (s->width < 64 && (s->iova >> s->width)) {
		int r = nested	    ? VTD_FR_SM_NEST_FS_AW :
			s->scalable ? VTD_FR_SM_ADDR_BEYOND_MAX :
				      VTD_FR_ADDR_BEYOND_AW;

		return fault(w, r, VTD_WS_NONE, 0, 0);
	}
	for (level = s->levels; level >= 1; level--) {
		const uint64_t *p;
		uint64_t e;

		ea = table + pte_index(s->iova, level) * VTD_PTE_BYTES;
		p = read_entry(w, ea, VTD_PTE_BYTES);
		if (!p) {
			int r;

			if (level == s->levels)
				r = s->scalable ? VTD_FR_SM_SSPTPTR : VTD_FR_CTX_INVALID;
			else
				r = s->scalable ? VTD_FR_SM_SS_ACCESS : VTD_FR_SS_ACCESS;
			return fault(w, r, what, level, ea);
		}
		e = *p;
		record(w, what, level, ea, &e, 1);
		vtd_ss_pte_decode(w->ctx, flags, level, e, &pte);
		if (!pte.present) {
			int r;

			if (table_read)
				r = nested_read;
			else if (s->scalable)
				r = VTD_FR_SM_SS_PERM;
			else
				r = perm_reason(false, s->access);
			return fault(w, r, what, level, ea);
		}
		if (pte.reserved)
			return fault(w, s->scalable ? VTD_FR_SM_SS_RSVD : VTD_FR_SS_RSVD, what,
				     level, ea);
		perms &= pte.perms | x_free;
		if (pte.leaf)
			break;
		table = pte.addr;
	}
	if (level < 1) /* level 1 entries are always leaves: unreachable, for the analyser */
		return fault(w, VTD_FR_SS_RSVD, what, 1, ea);

	if (s->access & ~perms) {
		int r = table_read ? nested_read : perm_reason(s->scalable, s->access & ~perms);

		return fault(w, r, what, level, ea);
	}
	x->size = pte.size;
	x->pa = pte.addr | (s->iova & (pte.size - 1));
	x->perms = perms;
	x->level = level;
	x->leaf_addr = ea;
	return 0;
}

/*
 * Nested: the unit must set A in a first-stage entry it uses with A = 0, and D in the leaf of a
 * write with D = 0 (3.6.2, 3.8); that update is a write to the first-stage table page, so the
 * second stage must grant W there: fault reason 77h (Linux "write
 * permission error in first-level paging entry in nested translation") at the second-stage
 * leaf that maps the table page (@t). Erratum SPR17 is the hardware doing the write anyway;
 * skiff's device views give nesting parents no read-only leaves (vmm/dev_view.h). Entries the
 * guest wrote with A (and D) already set need no update. EA (with EAFE) is not modelled.
 */
static int nested_ad_fault(struct walk *w, const struct xlate *t)
{
	return fault(w, VTD_FR_SM_NEST_FS_WRITE, VTD_WS_SS_NESTED, (uint8_t)t->level, t->leaf_addr);
}

/*
 * A first-stage walk (3.6, 9.7). Codes: non-canonical input 80h (SGN.1); the table FSPTPTR
 * points to unreadable 73h (Linux "error attempting to access FL-PML4 entry", QEMU
 * PASID_ENTRY_FSPTPTR_INV), a lower one 70h (SFL.1); not present 71h (SFL.2); reserved 72h
 * (SFL.3); a user request without U/S 81h (SGN.2); a write without R/W 85h (SGN.6); an execute
 * request without execute permission 82h (SGN.3). Nested: each table address is translated
 * through the parent second stage first (codes of ss_walk() for VTD_WALK_SS_FS_ROOT /
 * VTD_WALK_SS_FS_TABLE), and the final address for VTD_WALK_SS_NESTED_FINAL.
 */
static int fs_walk(struct walk *w, const struct fs_req *f, struct xlate *x)
{
	unsigned int flags = f->nxe ? VTD_PTE_DECODE_NXE : 0;
	unsigned int perms = PERMS_ALL;
	uint64_t table = f->root, e = 0;
	struct vtd_pte_info pte = { 0 };
	struct xlate t = { .perms = PERMS_ALL };
	unsigned int level;
	uint64_t ea = 0;
	int rc;

	if (vtd_fs_canonical(f->iova, f->levels) != f->iova)
		return fault(w, VTD_FR_SM_NON_CANONICAL, VTD_WS_NONE, 0, 0);
	for (level = f->levels; level >= 1; level--) {
		const uint64_t *p;

		if (f->parent) {
			struct vtd_walk_ss_req s = *f->parent;

			s.iova = table;
			s.access = VTD_WALK_R;
			s.use = level == f->levels ? VTD_WALK_SS_FS_ROOT : VTD_WALK_SS_FS_TABLE;
			rc = ss_walk(w, &s, &t);
			if (rc)
				return rc;
			table = t.pa;
		}
		ea = table + pte_index(f->iova, level) * VTD_PTE_BYTES;
		p = read_entry(w, ea, VTD_PTE_BYTES);
		if (!p)
			return fault(w,
				     level == f->levels ? VTD_FR_SM_FSPTPTR : VTD_FR_SM_FS_ACCESS,
				     VTD_WS_FS, level, ea);
		e = *p;
		record(w, VTD_WS_FS, level, ea, &e, 1);
		vtd_fs_pte_decode(w->ctx, flags, level, e, &pte);
		if (!pte.present)
			return fault(w, VTD_FR_SM_FS_NOT_PRESENT, VTD_WS_FS, level, ea);
		if (pte.reserved)
			return fault(w, VTD_FR_SM_FS_RSVD, VTD_WS_FS, level, ea);
		if (!(e & FS_A) && !(t.perms & VTD_WALK_W))
			return nested_ad_fault(w, &t);
		perms &= pte.perms;
		if (pte.leaf)
			break;
		table = pte.addr;
	}
	if (level < 1)
		return fault(w, VTD_FR_SM_FS_RSVD, VTD_WS_FS, 1, ea);

	/* Access rights (3.6.2 / SDM 4.6 as VT-d adopts them): user, then write, then execute. */
	if (!f->priv && !(perms & VTD_WALK_U))
		return fault(w, VTD_FR_SM_USER_SUPERVISOR, VTD_WS_FS, level, ea);
	if (f->priv && !f->wpe)
		perms |= VTD_WALK_W; /* supervisor writes ignore R/W unless WPE */
	if (f->priv && f->smep && (perms & VTD_WALK_U))
		perms &= ~VTD_WALK_X; /* SMEP: no supervisor execute from user pages */
	if ((f->access & VTD_WALK_W) && !(perms & VTD_WALK_W))
		return fault(w, VTD_FR_SM_NO_WRITE, VTD_WS_FS, level, ea);
	if ((f->access & VTD_WALK_X) && !(perms & VTD_WALK_X))
		return fault(w, VTD_FR_SM_NO_EXEC, VTD_WS_FS, level, ea);
	if ((f->access & VTD_WALK_W) && !(e & FS_D) && !(t.perms & VTD_WALK_W))
		return nested_ad_fault(w, &t);

	x->size = pte.size;
	x->pa = pte.addr | (f->iova & (pte.size - 1));
	x->perms = perms;
	x->level = level;
	x->leaf_addr = ea;
	if (f->parent) {
		struct vtd_walk_ss_req s = *f->parent;
		struct xlate g;

		s.iova = x->pa;
		s.access = f->access;
		s.use = VTD_WALK_SS_NESTED_FINAL;
		rc = ss_walk(w, &s, &g);
		if (rc)
			return rc;
		x->pa = g.pa;
		if (g.size < x->size)
			x->size = g.size;
		x->perms &= g.perms | VTD_WALK_U;
		x->level = g.level;
		x->leaf_addr = g.leaf_addr;
	}
	return 0;
}

static bool in_intr_range(uint64_t pa)
{
	return pa >= X86_MSI_BASE && pa <= X86_MSI_LAST;
}

static void set_xlate(struct vtd_walk_result *o, const struct xlate *x)
{
	o->pa = x->pa;
	o->size = x->size;
	o->perms = x->perms;
}

static int walk_legacy(struct walk *w, const struct vtd_walk_req *req)
{
	struct vtd_walk_result *o = w->out;
	struct vtd_root_entry re;
	struct vtd_context_entry ce;
	struct vtd_context_config cfg;
	struct vtd_walk_ss_req s;
	struct xlate x;
	const uint64_t *p;
	uint64_t addr, ctp;
	int rc;

	/* RTA.2 (31h): a request with PASID while TTM selects legacy mode. */
	if (req->has_pasid)
		return fault(w, VTD_FR_SM_TTM_PASID, VTD_WS_NONE, 0, 0);

	/* Root entry (9.1): LRT.1 08h unreadable, LRT.2 01h not present, LRT.3 0Ah reserved. */
	addr = req->root + (uint64_t)req->bus * VTD_ROOT_ENTRY_BYTES;
	p = read_entry(w, addr, VTD_ROOT_ENTRY_BYTES);
	if (!p)
		return fault(w, VTD_FR_ROOT_ACCESS, VTD_WS_ROOT, 0, addr);
	memcpy(&re, p, sizeof(re));
	record(w, VTD_WS_ROOT, 0, addr, p, VTD_ROOT_ENTRY_WORDS);
	if (!vtd_root_entry_present(&re))
		return fault(w, VTD_FR_ROOT_NOT_PRESENT, VTD_WS_ROOT, 0, addr);
	rc = vtd_root_entry_fault(w->ctx, VTD_WALK_LEGACY, &re, VTD_SM_ROOT_LOWER, &ctp);
	if (rc)
		return fault(w, rc, VTD_WS_ROOT, 0, addr);

	/* Context entry (9.3): LCT.1 09h, LCT.2 02h, LCT.3 0Bh, LCT.4 03h. */
	addr = ctp + (uint64_t)vtd_context_index(req->devfn) * VTD_CONTEXT_ENTRY_BYTES;
	p = read_entry(w, addr, VTD_CONTEXT_ENTRY_BYTES);
	if (!p)
		return fault(w, VTD_FR_CTX_ACCESS, VTD_WS_CONTEXT, 0, addr);
	memcpy(&ce, p, sizeof(ce));
	record(w, VTD_WS_CONTEXT, 0, addr, p, VTD_CONTEXT_ENTRY_WORDS);
	if (!vtd_context_entry_present(&ce))
		return fault(w, VTD_FR_CTX_NOT_PRESENT, VTD_WS_CONTEXT, 0, addr);
	if (ce.lo & VTD_CE_LO_FPD)
		o->fpd = true;
	rc = vtd_context_entry_fault(w->ctx, &ce, &cfg);
	if (rc)
		return fault(w, rc, VTD_WS_CONTEXT, 0, addr);
	o->did = cfg.did;

	if (cfg.tt == VTD_TT_PT) {
		o->pgtt = VTD_PGTT_PT;
		o->pa = req->iova;
		o->size = VTD_PAGE_SIZE;
		o->perms = VTD_WALK_R | VTD_WALK_W;
		return 0;
	}
	s = (struct vtd_walk_ss_req){
		.root = cfg.ss_root,
		.levels = vtd_aw_levels(cfg.aw),
		.width = vtd_aw_input_width(w->ctx->caps, cfg.aw),
		.iova = req->iova,
		.access = req->access & ~VTD_WALK_X, /* legacy mode has no execute requests */
	};
	rc = ss_walk(w, &s, &x);
	if (rc)
		return rc;
	/* LGN.4 (0Eh): a translated address in the interrupt range. */
	if (in_intr_range(x.pa))
		return fault(w, VTD_FR_INTR_ADDR, VTD_WS_SS, x.level, x.leaf_addr);
	o->pgtt = VTD_PGTT_SS;
	x.perms &= ~VTD_WALK_X;
	set_xlate(o, &x);
	return 0;
}

static int walk_scalable(struct walk *w, const struct vtd_walk_req *req)
{
	const struct vtd_caps *caps = w->ctx->caps;
	struct vtd_walk_result *o = w->out;
	enum vtd_sm_root_half half = vtd_sm_root_half(req->devfn);
	struct vtd_root_entry re;
	struct vtd_sm_context_entry ce;
	struct vtd_sm_context_config ccfg;
	struct vtd_pasid_dir_entry pde;
	struct vtd_pasid_entry pe;
	struct vtd_pasid_entry_config pcfg;
	struct vtd_walk_ss_req s;
	struct xlate x;
	const uint64_t *p;
	uint64_t addr, ctp;
	uint32_t pasid;
	bool priv;
	int rc;

	/* RTA.1 (30h): scalable mode on a unit without ECAP.SMTS. */
	if (!caps->smts)
		return fault(w, VTD_FR_SM_RTADDR_INVALID, VTD_WS_NONE, 0, 0);

	/* Root entry (9.2): SRT.1 38h, SRT.2 39h (the half's LP / UP), SRT.3 3Ah. */
	addr = req->root + (uint64_t)req->bus * VTD_ROOT_ENTRY_BYTES;
	p = read_entry(w, addr, VTD_ROOT_ENTRY_BYTES);
	if (!p)
		return fault(w, VTD_FR_SM_ROOT_ACCESS, VTD_WS_ROOT, 0, addr);
	memcpy(&re, p, sizeof(re));
	record(w, VTD_WS_ROOT, 0, addr, p, VTD_ROOT_ENTRY_WORDS);
	if (!vtd_sm_root_entry_present(&re, half))
		return fault(w, VTD_FR_SM_ROOT_NOT_PRESENT, VTD_WS_ROOT, 0, addr);
	rc = vtd_root_entry_fault(w->ctx, VTD_WALK_SCALABLE, &re, half, &ctp);
	if (rc)
		return fault(w, rc, VTD_WS_ROOT, 0, addr);

	/* Context entry (9.4): SCT.1 40h, SCT.2 41h, SCT.3 42h. */
	addr = ctp + (uint64_t)vtd_sm_context_index(req->devfn) * VTD_SM_CONTEXT_ENTRY_BYTES;
	p = read_entry(w, addr, VTD_SM_CONTEXT_ENTRY_BYTES);
	if (!p)
		return fault(w, VTD_FR_SM_CTX_ACCESS, VTD_WS_CONTEXT, 0, addr);
	memcpy(&ce, p, sizeof(ce));
	record(w, VTD_WS_CONTEXT, 0, addr, p, VTD_SM_CONTEXT_ENTRY_WORDS);
	if (!vtd_sm_context_entry_present(&ce))
		return fault(w, VTD_FR_SM_CTX_NOT_PRESENT, VTD_WS_CONTEXT, 0, addr);
	if (ce.val[0] & VTD_SMCE_W0_FPD)
		o->fpd = true;
	rc = vtd_sm_context_entry_fault(w->ctx, &ce, &ccfg);
	if (rc)
		return fault(w, rc, VTD_WS_CONTEXT, 0, addr);

	/*
	 * The PASID: a request's own needs PASIDE (SCT.6, 45h) and must fall inside the
	 * directory (SCT.7, 46h); without one RID_PASID is used (SCT.9, 48h when it is not usable:
	 * non-zero without ECAP.RPS, or outside the directory) and RID_PRIV gives the privilege.
	 */
	if (req->has_pasid) {
		if (!(ccfg.flags & VTD_SMCE_FLAG_PASIDE))
			return fault(w, VTD_FR_SM_CTX_PASIDE, VTD_WS_CONTEXT, 0, addr);
		pasid = req->pasid;
		priv = req->priv;
		if ((pasid >> VTD_PASID_BITS_MAX) ||
		    vtd_pasid_dir_index(pasid) >= vtd_pasid_dir_entries(ccfg.pdts))
			return fault(w, VTD_FR_SM_CTX_PASID_RANGE, VTD_WS_CONTEXT, 0, addr);
	} else {
		pasid = ccfg.rid_pasid;
		priv = ccfg.flags & VTD_SMCE_FLAG_RID_PRIV;
		if ((pasid && !caps->rps) ||
		    vtd_pasid_dir_index(pasid) >= vtd_pasid_dir_entries(ccfg.pdts))
			return fault(w, VTD_FR_SM_CTX_RID_PASID, VTD_WS_CONTEXT, 0, addr);
	}
	o->pasid = pasid;

	/* PASID directory entry (9.5): SPD.1 50h, SPD.2 51h, SPD.3 52h. */
	addr = ccfg.pasid_dir + (uint64_t)vtd_pasid_dir_index(pasid) * VTD_PASID_DIR_ENTRY_BYTES;
	p = read_entry(w, addr, VTD_PASID_DIR_ENTRY_BYTES);
	if (!p)
		return fault(w, VTD_FR_SM_PDIR_ACCESS, VTD_WS_PASID_DIR, 0, addr);
	memcpy(&pde, p, sizeof(pde));
	record(w, VTD_WS_PASID_DIR, 0, addr, p, VTD_PASID_DIR_ENTRY_WORDS);
	if (!vtd_pasid_dir_entry_present(&pde))
		return fault(w, VTD_FR_SM_PDIR_NOT_PRESENT, VTD_WS_PASID_DIR, 0, addr);
	if (vtd_pasid_dir_entry_fpd(&pde))
		o->fpd = true;
	rc = vtd_pasid_dir_entry_fault(w->ctx, &pde);
	if (rc)
		return fault(w, rc, VTD_WS_PASID_DIR, 0, addr);

	/* PASID table entry (9.6): SPT.1 58h, SPT.2 59h, SPT.3 5Ah, SPT.4 5Bh, 5Ch, 5Dh. */
	addr = vtd_pasid_dir_entry_table(&pde) +
	       (uint64_t)vtd_pasid_table_index(pasid) * VTD_PASID_ENTRY_BYTES;
	p = read_entry(w, addr, VTD_PASID_ENTRY_BYTES);
	if (!p)
		return fault(w, VTD_FR_SM_PASID_ACCESS, VTD_WS_PASID, 0, addr);
	memcpy(&pe, p, sizeof(pe));
	record(w, VTD_WS_PASID, 0, addr, p, VTD_PASID_ENTRY_WORDS);
	if (!vtd_pasid_entry_present(&pe))
		return fault(w, VTD_FR_SM_PASID_NOT_PRESENT, VTD_WS_PASID, 0, addr);
	if (pe.val[0] & VTD_PE_W0_FPD)
		o->fpd = true;
	rc = vtd_pasid_entry_fault(w->ctx, &pe, &pcfg);
	if (rc)
		return fault(w, rc, VTD_WS_PASID, 0, addr);
	o->did = pcfg.did;
	o->pgtt = pcfg.pgtt;
	if (pcfg.pgtt == VTD_PGTT_FS || pcfg.pgtt == VTD_PGTT_NESTED) {
		if ((req->access & VTD_WALK_X) && !(pcfg.flags & VTD_PE_FLAG_ERE))
			return fault(w, VTD_FR_SM_PASID_ERE, VTD_WS_PASID, 0, addr);
		if (priv && !(pcfg.flags & VTD_PE_FLAG_SRE))
			return fault(w, VTD_FR_SM_PASID_SRE, VTD_WS_PASID, 0, addr);
	}

	s = (struct vtd_walk_ss_req){
		.root = pcfg.ss_root,
		.levels = vtd_aw_levels(pcfg.aw),
		.width = vtd_aw_input_width(caps, pcfg.aw),
		.scalable = true,
		.ssee = pcfg.flags & VTD_PE_FLAG_SSEE,
		.iova = req->iova,
		.access = req->access,
	};
	switch (pcfg.pgtt) {
	case VTD_PGTT_PT:
		o->pa = req->iova;
		o->size = VTD_PAGE_SIZE;
		o->perms = ACCESS_ALL;
		return 0;
	case VTD_PGTT_SS:
		rc = ss_walk(w, &s, &x);
		break;
	case VTD_PGTT_FS:
	case VTD_PGTT_NESTED: {
		struct fs_req f = {
			.root = pcfg.fs_root,
			.levels = pcfg.fs_paging == VTD_FSPM_5LEVEL ? FS_LEVELS_5 : FS_LEVELS_4,
			.iova = req->iova,
			.access = req->access,
			.priv = priv,
			.wpe = pcfg.flags & VTD_PE_FLAG_WPE,
			.smep = pcfg.flags & VTD_PE_FLAG_SMEP,
			.nxe = pcfg.flags & VTD_PE_FLAG_NXE,
			.parent = pcfg.pgtt == VTD_PGTT_NESTED ? &s : NULL,
		};

		rc = fs_walk(w, &f, &x);
		break;
	}
	default: /* vtd_pasid_entry_fault() refused every other value */
		return fault(w, VTD_FR_SM_PASID_INVALID, VTD_WS_PASID, 0, addr);
	}
	if (rc)
		return rc;
	/* SGN.8 (87h): a translated address in the interrupt range. */
	if (in_intr_range(x.pa))
		return fault(w, VTD_FR_SM_INTR_ADDR,
			     pcfg.pgtt == VTD_PGTT_FS ? VTD_WS_FS : VTD_WS_SS, x.level,
			     x.leaf_addr);
	set_xlate(o, &x);
	return 0;
}

/* Clear @out except the caller's step storage. */
static void result_init(struct vtd_walk_result *out)
{
	struct vtd_walk_step *steps = out->steps;
	unsigned int max_steps = out->max_steps;

	*out = (struct vtd_walk_result){ .steps = steps, .max_steps = steps ? max_steps : 0 };
}

static bool ctx_ok(const struct vtd_walk_ctx *ctx)
{
	return ctx && ctx->table && ctx->caps;
}

int vtd_walk(const struct vtd_walk_ctx *ctx, const struct vtd_walk_req *req,
	     struct vtd_walk_result *out)
{
	struct walk w = { .ctx = ctx, .out = out };

	if (!out)
		return -EINVAL;
	result_init(out);
	if (!ctx_ok(ctx) || !req || !req->access || (req->access & ~ACCESS_ALL))
		return -EINVAL;
	switch (req->mode) {
	case VTD_WALK_LEGACY:
		return walk_legacy(&w, req);
	case VTD_WALK_SCALABLE:
		return walk_scalable(&w, req);
	}
	return -EINVAL;
}

int vtd_walk_fault_reason(const struct vtd_walk_ctx *ctx, const struct vtd_walk_req *req)
{
	struct vtd_walk_result r = { .steps = NULL };
	int rc = vtd_walk(ctx, req, &r);

	if (rc == -EFAULT)
		return r.reason;
	return rc;
}

int vtd_walk_ss(const struct vtd_walk_ctx *ctx, const struct vtd_walk_ss_req *sreq,
		struct vtd_walk_result *out)
{
	struct walk w = { .ctx = ctx, .out = out };
	struct vtd_walk_ss_req s;
	struct xlate x;
	int rc;

	if (!out)
		return -EINVAL;
	result_init(out);
	if (!ctx_ok(ctx) || !sreq || !sreq->access || (sreq->access & ~ACCESS_ALL) ||
	    sreq->levels < VTD_AW_39 + 2 || sreq->levels > VTD_WALK_MAX_LEVELS ||
	    (unsigned int)sreq->use > VTD_WALK_SS_FS_TABLE)
		return -EINVAL;
	s = *sreq;
	if (!s.scalable)
		s.access &= ~VTD_WALK_X;
	rc = ss_walk(&w, &s, &x);
	if (rc)
		return rc;
	out->pgtt = VTD_PGTT_SS;
	if (!s.scalable)
		x.perms &= ~VTD_WALK_X;
	set_xlate(out, &x);
	return 0;
}

const char *vtd_walk_struct_name(enum vtd_walk_struct what)
{
	static const char *const names[] = {
		[VTD_WS_NONE] = "request",
		[VTD_WS_ROOT] = "root entry",
		[VTD_WS_CONTEXT] = "context entry",
		[VTD_WS_PASID_DIR] = "PASID directory entry",
		[VTD_WS_PASID] = "PASID table entry",
		[VTD_WS_SS] = "second-stage entry",
		[VTD_WS_FS] = "first-stage entry",
		[VTD_WS_SS_NESTED] = "second-stage entry (nested table)",
	};

	if ((unsigned int)what < ARRAY_SIZE(names) && names[what])
		return names[what];
	return "?";
}
