// SPDX-License-Identifier: MIT
/*
 * Invariant audit of programmed VT-d translation structures. The contract is in vtd_audit.h;
 * entry formats come from vtd_entries.h (root, context, PASID structures), and each entry is
 * judged by vtd_entry_fault.h (paging entries decoded, the fault reason of the others) as the
 * walker judges it, so the audit and the walker agree on what the hardware would refuse.
 */
#include "iommu/vtd/vtd_audit.h"

#include <errno.h>
#include <string.h>

#include "iommu/vtd/vtd_entry_fault.h"
#include "kernel/bits.h"

#define TABLE_BYTES 4096u
#define PT_ENTRIES  512u
#define PATH_DEPTH  16u
#define FS_LEVELS_4 4u
#define FS_LEVELS_5 5u
/* Reserved bits that make a paging entry's pointer unusable: address bits, or PS refused. */
#define PTE_PTR_RSVD (GENMASK(51, 12) | (1ull << 7))
#define SS_PTE_R     (1ull << 0)
#define SS_PTE_W     (1ull << 1)
#define FS_PTE_RW    (1ull << 1)
#define FS_PTE_US    (1ull << 2)
#define HASH_MULT    0x9e3779b97f4a7c15ull

/* What a table is, for the sharing checks. */
enum kind {
	K_CONTEXT = 1,
	K_PASID_DIR,
	K_PASID_TABLE,
	K_SS, /* second-stage page table */
	K_FS, /* first-stage page table */
};

enum seen_res {
	SEEN_NEW,     /* first visit (or an alias inside the same domain): descend */
	SEEN_SAME,    /* the same domain's table at the same place: already audited */
	SEEN_SHARED,  /* reached from a parent of another domain or kind */
	SEEN_RECHECK, /* audited before, but not yet as a nesting parent: that rule alone */
};

struct audit {
	const struct vtd_audit_cfg *cfg;
	const struct vtd_audit_ops *ops;
	struct vtd_walk_ctx wctx;
	long count;
	uint64_t entries, max_entries;
	bool limit_reported, stop;
	bool quiet; /* re-visiting a table for NEST_PARENT_RO: report nothing else */
	uint64_t path[PATH_DEPTH];
	unsigned int depth;
	/* Where the audit is, for the reports. */
	uint8_t bus, devfn;
	bool has_pasid;
	uint32_t pasid;
};

/* One page table being audited. */
struct pt_dom {
	bool fs;			      /* first-stage format */
	bool scalable;			      /* second stage: scalable-mode rules */
	uint16_t did;			      /* the domain */
	unsigned int flags;		      /* VTD_PTE_DECODE_* for the decoders */
	unsigned int levels;		      /* of the top table */
	bool nest_parent;		      /* second stage of a nesting parent: no RO leaf */
	const struct vtd_walk_ss_req *parent; /* nested first stage: its second stage */
};

static void emit(struct audit *a, struct vtd_audit_violation *v, enum vtd_audit_rule rule)
{
	if (a->quiet && rule != VTD_AUDIT_NEST_PARENT_RO && rule != VTD_AUDIT_LIMIT)
		return; /* reported on the table's first visit */
	v->rule = rule;
	a->count++;
	if (a->ops->report)
		a->ops->report(a->ops->arg, v);
}

/* A violation about the entry at @addr, with the device / PASID the audit is under. */
static void entry_v(const struct audit *a, struct vtd_audit_violation *v, enum vtd_walk_struct what,
		    unsigned int level, uint64_t addr, const uint64_t *val, unsigned int nwords)
{
	*v = (struct vtd_audit_violation){
		.what = what,
		.level = (uint8_t)level,
		.nwords = (uint8_t)nwords,
		.addr = addr,
		.bus = a->bus,
		.devfn = a->devfn,
		.has_pasid = a->has_pasid,
		.pasid = a->has_pasid ? a->pasid : 0,
	};
	for (unsigned int i = 0; i < nwords && i < ARRAY_SIZE(v->val); i++)
		v->val[i] = val[i];
}

static void limit(struct audit *a)
{
	struct vtd_audit_violation v = { 0 };

	if (a->limit_reported)
		return;
	a->limit_reported = true;
	emit(a, &v, VTD_AUDIT_LIMIT);
}

/* Count one present entry; false once the budget is spent (the audit stops). */
static bool budget(struct audit *a)
{
	if (a->stop)
		return false;
	if (++a->entries > a->max_entries) {
		limit(a);
		a->stop = true;
		return false;
	}
	return true;
}

static bool on_path(const struct audit *a, uint64_t pa)
{
	for (unsigned int i = 0; i < a->depth && i < PATH_DEPTH; i++)
		if (a->path[i] == pa)
			return true;
	return false;
}

static void push(struct audit *a, uint64_t pa)
{
	if (a->depth < PATH_DEPTH)
		a->path[a->depth] = pa;
	a->depth++;
}

static void pop(struct audit *a)
{
	a->depth--;
}

static bool is_page_table(enum kind k)
{
	return k == K_SS || k == K_FS;
}

static enum seen_res seen_check(struct audit *a, enum kind kind, uint64_t pa, uint16_t did,
				unsigned int level, uint64_t iova, bool nest_parent)
{
	struct vtd_audit_seen *seen = a->cfg->seen;
	size_t cap = a->cfg->seen_cap;
	size_t h;

	if (!seen || !cap)
		return SEEN_NEW;
	h = (size_t)(((pa >> VTD_PAGE_SHIFT) * HASH_MULT) >> 17) % cap;
	for (size_t n = 0; n < cap; n++) {
		struct vtd_audit_seen *s = &seen[(h + n) % cap];

		if (!s->used) {
			*s = (struct vtd_audit_seen){
				.pa = pa,
				.iova = iova,
				.did = did,
				.kind = (uint8_t)kind,
				.level = (uint8_t)level,
				.nest_parent = nest_parent,
				.used = true,
			};
			return SEEN_NEW;
		}
		if (s->pa != pa)
			continue;
		if (is_page_table(kind) && s->kind == kind && s->did == did && s->level == level) {
			if (s->iova != iova)
				return SEEN_NEW;
			if (!nest_parent || s->nest_parent)
				return SEEN_SAME;
			s->nest_parent = true;
			return SEEN_RECHECK;
		}
		return SEEN_SHARED;
	}
	limit(a);
	return SEEN_NEW;
}

/*
 * The entry described by @v points to a table of @kind at @pa (@size bytes). Check it (loop,
 * ownership, sharing) and return its first min(@size, 4 KiB) bytes to descend into, or NULL
 * (a violation was reported, or it was audited already). A page table of a nesting parent
 * (@nest_parent) audited before without that role sets *@recheck: descend for that rule only.
 */
static const uint64_t *enter_table(struct audit *a, struct vtd_audit_violation *v, enum kind kind,
				   uint64_t pa, uint64_t size, uint16_t did, unsigned int level,
				   uint64_t iova, bool nest_parent, bool *recheck)
{
	const uint64_t *t;

	if (recheck)
		*recheck = false;
	v->target = pa;
	if (on_path(a, pa)) {
		emit(a, v, VTD_AUDIT_LOOP);
		return NULL;
	}
	if (!a->ops->owned(a->ops->arg, pa, size)) {
		emit(a, v, VTD_AUDIT_NOT_OWNED);
		return NULL;
	}
	switch (seen_check(a, kind, pa, did, level, iova, nest_parent)) {
	case SEEN_SAME:
		return NULL;
	case SEEN_SHARED:
		emit(a, v, VTD_AUDIT_SHARED);
		return NULL;
	case SEEN_RECHECK:
		if (recheck)
			*recheck = true;
		break;
	case SEEN_NEW:
		break;
	}
	t = a->ops->table(a->ops->arg, pa, size < TABLE_BYTES ? size : TABLE_BYTES);
	if (!t)
		emit(a, v, VTD_AUDIT_UNREADABLE);
	return t;
}

/* Report a reserved-field or invalid-programming code from a vtd_*_entry_fault() function. */
static void report_entry_fault(struct audit *a, struct vtd_audit_violation *v, int reason)
{
	bool invalid = reason == VTD_FR_CTX_INVALID || reason == VTD_FR_SM_CTX_INVALID ||
		       reason == VTD_FR_SM_PASID_INVALID || reason == VTD_FR_SM_CTX_RID_PASID;

	v->reason = (uint8_t)reason;
	emit(a, v, invalid ? VTD_AUDIT_INVALID : VTD_AUDIT_RESERVED);
}

/* ---- Page tables of both stages ---- */

static void audit_pt(struct audit *a, const struct pt_dom *d, uint64_t table_pa, const uint64_t *t,
		     unsigned int level, uint64_t iova_base);

/* Audit a table enter_table() gave; a re-visit for NEST_PARENT_RO reports only that rule. */
static void descend(struct audit *a, const struct pt_dom *d, uint64_t table_pa, const uint64_t *t,
		    unsigned int level, uint64_t iova_base, bool recheck)
{
	bool quiet = a->quiet;

	a->quiet = quiet || recheck;
	audit_pt(a, d, table_pa, t, level, iova_base);
	a->quiet = quiet;
}

/*
 * Nested: the first-stage table at guest-physical @gpa, which the second stage translates to
 * a page with @perms, must be writable (the hardware sets A/D bits in its entries).
 */
static void check_fs_table_writable(struct audit *a, struct vtd_audit_violation *v, uint64_t gpa,
				    unsigned int perms)
{
	if (perms & VTD_WALK_W)
		return;
	v->target = gpa;
	v->reason = VTD_FR_SM_NEST_FS_WRITE;
	emit(a, v, VTD_AUDIT_NESTED_FS_RO);
	v->reason = 0;
}

static void audit_pt(struct audit *a, const struct pt_dom *d, uint64_t table_pa, const uint64_t *t,
		     unsigned int level, uint64_t iova_base)
{
	const struct vtd_audit_ops *ops = a->ops;

	push(a, table_pa);
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i];
		uint64_t iova = iova_base + ((uint64_t)i << vtd_level_shift(level));
		uint64_t shown = d->fs ? vtd_fs_canonical(iova, d->levels) : iova;
		struct vtd_audit_violation v;
		struct vtd_pte_info pte;
		const uint64_t *next_t;
		uint64_t next;
		bool recheck;

		if (d->fs)
			vtd_fs_pte_decode(&a->wctx, d->flags, level, e, &pte);
		else
			vtd_ss_pte_decode(&a->wctx, d->flags, level, e, &pte);
		if (!pte.present)
			continue;
		if (!budget(a))
			break;
		entry_v(a, &v, d->fs ? VTD_WS_FS : VTD_WS_SS, level, table_pa + i * VTD_PTE_BYTES,
			&e, 1);
		v.has_did = true;
		v.did = d->did;
		v.iova = shown;
		if (pte.reserved) {
			v.reason = d->fs       ? VTD_FR_SM_FS_RSVD :
				   d->scalable ? VTD_FR_SM_SS_RSVD :
						 VTD_FR_SS_RSVD;
			emit(a, &v, VTD_AUDIT_RESERVED);
			v.reason = 0;
		}
		if (pte.leaf) {
			bool ok;

			v.target = pte.addr;
			if (d->nest_parent && !(pte.perms & VTD_WALK_W))
				emit(a, &v, VTD_AUDIT_NEST_PARENT_RO);
			if (a->quiet)
				continue;
			if (ops->leaf_allowed)
				ok = ops->leaf_allowed(ops->arg, d->did, shown, pte.addr, pte.size,
						       pte.perms);
			else
				ok = ops->owned(ops->arg, pte.addr, pte.size);
			if (!ok)
				emit(a, &v,
				     ops->leaf_allowed ? VTD_AUDIT_LEAF_DENIED :
							 VTD_AUDIT_NOT_OWNED);
			continue;
		}
		if (d->fs ? !(e & FS_PTE_RW) || !(e & FS_PTE_US) :
			    (e & (SS_PTE_R | SS_PTE_W)) != (SS_PTE_R | SS_PTE_W)) {
			v.target = pte.addr;
			emit(a, &v, VTD_AUDIT_NONLEAF_PERM);
		}
		if (pte.reserved & PTE_PTR_RSVD)
			continue; /* the pointer itself is malformed: reported above */
		next = pte.addr;
		if (d->parent) {
			struct vtd_walk_ss_req s = *d->parent;
			struct vtd_walk_result r = { .steps = NULL };

			s.use = VTD_WALK_SS_FS_TABLE;
			s.iova = next;
			s.access = VTD_WALK_R;
			if (vtd_walk_ss(&a->wctx, &s, &r)) {
				v.target = next;
				v.reason = r.reason;
				emit(a, &v, VTD_AUDIT_NESTED_XLATE);
				continue;
			}
			check_fs_table_writable(a, &v, next, r.perms);
			next = r.pa;
		}
		next_t = enter_table(a, &v, d->fs ? K_FS : K_SS, next, TABLE_BYTES, d->did,
				     level - 1, iova, d->nest_parent, &recheck);
		if (next_t)
			descend(a, d, next, next_t, level - 1, iova, recheck);
		if (a->stop)
			break;
	}
	pop(a);
}

/* Enter and audit a page table whose top table pointer sits in the entry @v describes. */
static void audit_domain(struct audit *a, struct vtd_audit_violation *v, const struct pt_dom *d,
			 uint64_t root)
{
	const uint64_t *t;
	bool recheck;

	t = enter_table(a, v, d->fs ? K_FS : K_SS, root, TABLE_BYTES, d->did, d->levels, 0,
			d->nest_parent, &recheck);
	if (t)
		descend(a, d, root, t, d->levels, 0, recheck);
}

/* ---- Legacy mode ---- */

static void audit_context_table(struct audit *a, uint64_t ctp, const uint64_t *t)
{
	push(a, ctp);
	for (unsigned int devfn = 0; devfn < VTD_CONTEXT_ENTRIES && !a->stop; devfn++) {
		const uint64_t *w = &t[devfn * VTD_CONTEXT_ENTRY_WORDS];
		struct vtd_context_entry ce = { .lo = w[0], .hi = w[1] };
		struct vtd_context_config cfg;
		struct vtd_audit_violation v;
		struct pt_dom d;
		int rc;

		if (!vtd_context_entry_present(&ce))
			continue;
		if (!budget(a))
			break;
		a->devfn = (uint8_t)devfn;
		entry_v(a, &v, VTD_WS_CONTEXT, 0, ctp + devfn * VTD_CONTEXT_ENTRY_BYTES, w,
			VTD_CONTEXT_ENTRY_WORDS);
		rc = vtd_context_entry_fault(&a->wctx, &ce, &cfg);
		if (rc) {
			report_entry_fault(a, &v, rc);
			continue;
		}
		v.has_did = true;
		v.did = cfg.did;
		if (cfg.tt == VTD_TT_PT)
			continue;
		d = (struct pt_dom){
			.did = cfg.did,
			.levels = vtd_aw_levels(cfg.aw),
		};
		audit_domain(a, &v, &d, cfg.ss_root);
	}
	pop(a);
}

/* ---- Scalable mode ---- */

static void audit_pasid_entry(struct audit *a, struct vtd_audit_violation *v,
			      const struct vtd_pasid_entry_config *cfg)
{
	unsigned int fs_levels = cfg->fs_paging == VTD_FSPM_5LEVEL ? FS_LEVELS_5 : FS_LEVELS_4;
	struct vtd_walk_ss_req parent = {
		.root = cfg->ss_root,
		.levels = vtd_aw_levels(cfg->aw),
		.width = vtd_aw_input_width(a->cfg->caps, cfg->aw),
		.scalable = true,
		.ssee = cfg->flags & VTD_PE_FLAG_SSEE,
	};
	struct pt_dom ss = {
		.scalable = true,
		.did = cfg->did,
		.flags = VTD_PTE_DECODE_SCALABLE | (parent.ssee ? VTD_PTE_DECODE_SSEE : 0),
		.levels = parent.levels,
	};
	struct pt_dom fs = {
		.fs = true,
		.scalable = true,
		.did = cfg->did,
		.flags = cfg->flags & VTD_PE_FLAG_NXE ? VTD_PTE_DECODE_NXE : 0,
		.levels = fs_levels,
	};
	struct vtd_walk_result r = { .steps = NULL };

	switch (cfg->pgtt) {
	case VTD_PGTT_SS:
		audit_domain(a, v, &ss, cfg->ss_root);
		return;
	case VTD_PGTT_FS:
		audit_domain(a, v, &fs, cfg->fs_root);
		return;
	case VTD_PGTT_NESTED:
		ss.nest_parent = !a->cfg->spr17_off;
		audit_domain(a, v, &ss, cfg->ss_root);
		if (a->stop)
			return;
		/* FSPTPTR is guest physical: find the table through the second stage. */
		parent.use = VTD_WALK_SS_FS_ROOT;
		parent.iova = cfg->fs_root;
		parent.access = VTD_WALK_R;
		if (vtd_walk_ss(&a->wctx, &parent, &r)) {
			v->target = cfg->fs_root;
			v->reason = r.reason;
			emit(a, v, VTD_AUDIT_NESTED_XLATE);
			v->reason = 0;
			return;
		}
		check_fs_table_writable(a, v, cfg->fs_root, r.perms);
		fs.parent = &parent;
		audit_domain(a, v, &fs, r.pa);
		return;
	default: /* pass-through: no tables */
		return;
	}
}

static void audit_pasid_table(struct audit *a, uint64_t table, const uint64_t *t,
			      uint32_t pasid_base)
{
	push(a, table);
	for (unsigned int i = 0; i < VTD_PASID_TABLE_ENTRIES && !a->stop; i++) {
		const uint64_t *w = &t[i * VTD_PASID_ENTRY_WORDS];
		struct vtd_pasid_entry pe;
		struct vtd_pasid_entry_config cfg;
		struct vtd_audit_violation v;
		int rc;

		memcpy(&pe, w, sizeof(pe));
		if (!vtd_pasid_entry_present(&pe))
			continue;
		if (!budget(a))
			break;
		a->has_pasid = true;
		a->pasid = pasid_base + i;
		entry_v(a, &v, VTD_WS_PASID, 0, table + i * VTD_PASID_ENTRY_BYTES, w,
			VTD_PASID_ENTRY_WORDS);
		rc = vtd_pasid_entry_fault(&a->wctx, &pe, &cfg);
		if (rc) {
			report_entry_fault(a, &v, rc);
		} else {
			v.has_did = true;
			v.did = cfg.did;
			audit_pasid_entry(a, &v, &cfg);
		}
		a->has_pasid = false;
	}
	pop(a);
}

static void audit_pasid_dir(struct audit *a, struct vtd_audit_violation *ctx_v, uint64_t dir,
			    unsigned int pdts, const uint64_t *first)
{
	unsigned int entries = vtd_pasid_dir_entries(pdts);
	unsigned int per_page = TABLE_BYTES / VTD_PASID_DIR_ENTRY_BYTES;
	const uint64_t *t = first;

	push(a, dir);
	for (unsigned int i = 0; i < entries && !a->stop; i++) {
		struct vtd_pasid_dir_entry pde;
		struct vtd_audit_violation v;
		const uint64_t *pt;
		uint64_t ptr;
		int rc;

		if (i && i % per_page == 0) {
			uint64_t page = dir + (uint64_t)i * VTD_PASID_DIR_ENTRY_BYTES;

			t = a->ops->table(a->ops->arg, page, TABLE_BYTES);
			if (!t) {
				ctx_v->target = page;
				emit(a, ctx_v, VTD_AUDIT_UNREADABLE);
				break;
			}
		}
		pde.val = t[i % per_page];
		if (!vtd_pasid_dir_entry_present(&pde))
			continue;
		if (!budget(a))
			break;
		entry_v(a, &v, VTD_WS_PASID_DIR, 0, dir + (uint64_t)i * VTD_PASID_DIR_ENTRY_BYTES,
			&pde.val, 1);
		ptr = vtd_pasid_dir_entry_table(&pde);
		rc = vtd_pasid_dir_entry_fault(&a->wctx, &pde);
		if (rc) {
			v.target = ptr;
			report_entry_fault(a, &v, rc);
			if (vtd_ptr_beyond_haw(&a->wctx, ptr))
				continue;
			v.reason = 0;
		}
		pt = enter_table(a, &v, K_PASID_TABLE, ptr, TABLE_BYTES, 0, 0, 0, false, NULL);
		if (pt)
			audit_pasid_table(a, ptr, pt, i << VTD_PASID_TABLE_INDEX_BITS);
	}
	pop(a);
}

static void audit_sm_context_table(struct audit *a, uint64_t ctp, const uint64_t *t,
				   enum vtd_sm_root_half half)
{
	push(a, ctp);
	for (unsigned int i = 0; i < VTD_SM_CONTEXT_ENTRIES && !a->stop; i++) {
		const uint64_t *w = &t[i * VTD_SM_CONTEXT_ENTRY_WORDS];
		struct vtd_sm_context_entry ce;
		struct vtd_sm_context_config cfg;
		struct vtd_audit_violation v;
		const uint64_t *dir;
		int rc;

		memcpy(&ce, w, sizeof(ce));
		if (!vtd_sm_context_entry_present(&ce))
			continue;
		if (!budget(a))
			break;
		a->devfn = (uint8_t)(i + (half == VTD_SM_ROOT_UPPER ? VTD_SM_ROOT_UPPER_DEVFN : 0));
		entry_v(a, &v, VTD_WS_CONTEXT, 0, ctp + i * VTD_SM_CONTEXT_ENTRY_BYTES, w,
			VTD_SM_CONTEXT_ENTRY_WORDS);
		rc = vtd_sm_context_entry_fault(&a->wctx, &ce, &cfg);
		if (rc) {
			report_entry_fault(a, &v, rc);
			continue;
		}
		/* SCT.9: a RID_PASID other than 0 needs ECAP.RPS. */
		if (cfg.rid_pasid && !a->cfg->caps->rps) {
			report_entry_fault(a, &v, VTD_FR_SM_CTX_RID_PASID);
			v.reason = 0;
		}
		dir = enter_table(a, &v, K_PASID_DIR, cfg.pasid_dir, vtd_pasid_dir_bytes(cfg.pdts),
				  0, 0, 0, false, NULL);
		if (dir)
			audit_pasid_dir(a, &v, cfg.pasid_dir, cfg.pdts, dir);
	}
	pop(a);
}

/* ---- Root table ---- */

static void audit_root_table(struct audit *a, const uint64_t *t)
{
	static const enum vtd_sm_root_half halves[] = { VTD_SM_ROOT_LOWER, VTD_SM_ROOT_UPPER };
	bool scalable = a->cfg->mode == VTD_WALK_SCALABLE;
	unsigned int nhalves = scalable ? ARRAY_SIZE(halves) : 1;

	for (unsigned int bus = 0; bus < VTD_ROOT_ENTRIES && !a->stop; bus++) {
		const uint64_t *w = &t[bus * VTD_ROOT_ENTRY_WORDS];
		struct vtd_root_entry re = { .lo = w[0], .hi = w[1] };

		for (unsigned int h = 0; h < nhalves && !a->stop; h++) {
			enum vtd_sm_root_half half = halves[h];
			struct vtd_audit_violation v;
			const uint64_t *ct;
			uint64_t ctp;
			int rc;

			if (scalable ? !vtd_sm_root_entry_present(&re, half) :
				       !vtd_root_entry_present(&re))
				continue;
			if (!budget(a))
				break;
			a->bus = (uint8_t)bus;
			a->devfn = half == VTD_SM_ROOT_UPPER ? VTD_SM_ROOT_UPPER_DEVFN : 0;
			entry_v(a, &v, VTD_WS_ROOT, 0, a->cfg->root + bus * VTD_ROOT_ENTRY_BYTES, w,
				VTD_ROOT_ENTRY_WORDS);
			rc = vtd_root_entry_fault(&a->wctx, a->cfg->mode, &re, half, &ctp);
			if (rc) {
				v.target = ctp;
				report_entry_fault(a, &v, rc);
				if (vtd_ptr_beyond_haw(&a->wctx, ctp))
					continue;
				v.reason = 0;
			}
			ct = enter_table(a, &v, K_CONTEXT, ctp, TABLE_BYTES, 0, 0, 0, false, NULL);
			if (!ct)
				continue;
			if (scalable)
				audit_sm_context_table(a, ctp, ct, half);
			else
				audit_context_table(a, ctp, ct);
		}
	}
}

long vtd_audit(const struct vtd_audit_cfg *cfg, const struct vtd_audit_ops *ops)
{
	struct audit a;
	struct vtd_audit_violation v = { 0 };
	const uint64_t *t;

	if (!cfg || !ops || !ops->table || !ops->owned || !cfg->caps)
		return -EINVAL;
	if (cfg->mode != VTD_WALK_LEGACY && cfg->mode != VTD_WALK_SCALABLE)
		return -EINVAL;
	a = (struct audit){
		.cfg = cfg,
		.ops = ops,
		.wctx = { .table = ops->table,
			  .arg = ops->arg,
			  .caps = cfg->caps,
			  .haw = cfg->haw },
		.max_entries = cfg->max_entries ? cfg->max_entries : VTD_AUDIT_DEFAULT_MAX_ENTRIES,
	};
	if (cfg->seen)
		for (size_t i = 0; i < cfg->seen_cap; i++)
			cfg->seen[i].used = false;

	v.target = cfg->root;
	if (!ops->owned(ops->arg, cfg->root, TABLE_BYTES)) {
		emit(&a, &v, VTD_AUDIT_NOT_OWNED);
		return a.count;
	}
	t = ops->table(ops->arg, cfg->root, TABLE_BYTES);
	if (!t) {
		emit(&a, &v, VTD_AUDIT_UNREADABLE);
		return a.count;
	}
	push(&a, cfg->root);
	audit_root_table(&a, t);
	pop(&a);
	return a.count;
}

const char *vtd_audit_rule_name(enum vtd_audit_rule rule)
{
	static const char *const names[] = {
		[VTD_AUDIT_RESERVED] = "reserved bit set",
		[VTD_AUDIT_INVALID] = "invalid programming",
		[VTD_AUDIT_NOT_OWNED] = "pointer outside owned memory",
		[VTD_AUDIT_UNREADABLE] = "table unreadable",
		[VTD_AUDIT_LEAF_DENIED] = "leaf not allowed for the domain",
		[VTD_AUDIT_NONLEAF_PERM] = "non-leaf entry without full permissions",
		[VTD_AUDIT_SHARED] = "table shared between domains or structures",
		[VTD_AUDIT_LOOP] = "table reachable from itself",
		[VTD_AUDIT_NESTED_XLATE] = "nested first-stage table not translated",
		[VTD_AUDIT_NESTED_FS_RO] = "nested first-stage table in read-only memory",
		[VTD_AUDIT_NEST_PARENT_RO] = "read-only leaf in a nesting parent (SPR17)",
		[VTD_AUDIT_LIMIT] = "audit limit reached",
	};

	if ((unsigned int)rule < ARRAY_SIZE(names) && names[rule])
		return names[rule];
	return "?";
}
