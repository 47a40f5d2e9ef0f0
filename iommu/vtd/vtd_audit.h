/* SPDX-License-Identifier: MIT */
/*
 * An invariant audit of programmed VT-d translation structures (VT-d specification rev 5.0,
 * chapter 9): it visits every present entry reachable from a root table - root, context, PASID
 * directory, PASID table entries and the paging entries of both stages - and reports each
 * violation of the rules below through a callback. Pure: table memory is reached through the
 * same kind of callback as vtd_walk.h's, so it runs on the host and in skiff alike.
 *
 * Rules (each violation is reported once, at the entry that breaks it; nothing below an entry
 * whose pointer is unusable is visited, so one planted fault gives one report):
 *   RESERVED     a present entry has a reserved bit set, as vtd_entry_fault.h judges it: the
 *                vtd_*_entry_fault() functions for root, context and PASID structures,
 *                vtd_ss_pte_decode() / vtd_fs_pte_decode() for paging entries (bits 51:HAW,
 *                SNP / TM / PS where reserved, low address bits of large leaves, ...). @reason is
 *                what the hardware would report.
 *   INVALID      a present entry the hardware refuses as invalid programming (TT / PGTT / AW /
 *                FSPM the unit lacks, RID_PASID without ECAP.RPS); @reason as above.
 *   NOT_OWNED    a table pointer (context table, PASID directory, PASID table, page tables of
 *                both stages, the root table itself) outside memory skiff owns (ops->owned);
 *                leaves too when no ops->leaf_allowed is given.
 *   UNREADABLE   owned, but ops->table() gave no memory for it.
 *   LEAF_DENIED  ops->leaf_allowed() refused a leaf: the domain did not ask for it.
 *   NONLEAF_PERM a non-leaf second-stage entry without both R and W (skiff's tables decide
 *                permissions at the leaf, as Linux's), or a non-leaf first-stage entry without
 *                R/W or U/S (requests without PASID are user requests: 81h otherwise).
 *   SHARED       a table reachable from two parents that are not the same domain's: page tables
 *                may be shared only by parents with the same DID and stage at the same level
 *                (several devices in one domain); context tables, PASID directories and PASID
 *                tables never (Linux shares PASID tables between DMA aliases; skiff does not).
 *   LOOP         a table reachable from itself (found on the current path; visits are bounded).
 *   NESTED_XLATE nested: the second stage does not translate a first-stage table's guest-physical
 *                address; @reason is what the hardware would report (74h / 75h / 76h / ...).
 *   NESTED_FS_RO nested: a first-stage table page (FSPTPTR's, or a non-leaf first-stage entry's)
 *                translates through the second stage to a page without W. The hardware writes
 *                A/D (and EA) bits into first-stage entries: without W that is fault 77h
 *                (@reason), or with erratum SPR17 a write into memory mapped read-only.
 *                Reported at the entry holding the pointer, @target the table's guest-physical
 *                address; the table is still audited below (it is readable).
 *   NEST_PARENT_RO a leaf without W in a second-stage table that serves as a nesting parent
 *                (the SSPTPTR of a PASID entry with PGTT = 011b), while erratum SPR17 is in
 *                force (cfg->spr17_off false; Intel doc 772415, SPR17: in nested mode the IOMMU
 *                may set A/D bits in first-stage entries even where the second stage is
 *                read-only, so no read-only second-stage page may exist under nesting). A
 *                table reached first as a plain second stage and then as a nesting parent of
 *                the same domain is visited again for this rule alone.
 *   LIMIT        the entry budget or the table-tracking storage ran out: the audit is incomplete
 *                (reported once).
 * A table reached again by the same domain at the same level and input address (two devices of
 * one domain) is not visited twice; reached by the same domain at another input address (an
 * alias inside the domain) it is visited again, so leaf_allowed() sees every input address.
 */
#ifndef SKIFF_IOMMU_VTD_AUDIT_H
#define SKIFF_IOMMU_VTD_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_walk.h"

enum vtd_audit_rule {
	VTD_AUDIT_RESERVED = 1,
	VTD_AUDIT_INVALID,
	VTD_AUDIT_NOT_OWNED,
	VTD_AUDIT_UNREADABLE,
	VTD_AUDIT_LEAF_DENIED,
	VTD_AUDIT_NONLEAF_PERM,
	VTD_AUDIT_SHARED,
	VTD_AUDIT_LOOP,
	VTD_AUDIT_NESTED_XLATE,
	VTD_AUDIT_NESTED_FS_RO,
	VTD_AUDIT_NEST_PARENT_RO,
	VTD_AUDIT_LIMIT,
};

/* Present entries visited at most when the configuration gives 0. */
#define VTD_AUDIT_DEFAULT_MAX_ENTRIES (1ull << 24)

/* One finding. Fields that do not apply are 0. */
struct vtd_audit_violation {
	enum vtd_audit_rule rule;
	enum vtd_walk_struct what; /* the structure of the offending entry (NONE: the root table) */
	uint8_t level;		   /* paging level 1-5, 0 for other structures */
	uint8_t reason;		   /* RESERVED, INVALID, NESTED_XLATE: the fault reason */
	uint8_t nwords;		   /* valid words of @val */
	uint64_t addr;		   /* physical address of the entry (0 for the root table) */
	uint64_t val[8];	   /* the entry */
	uint64_t target;	   /* the table / leaf address concerned */
	uint8_t bus, devfn;	   /* the device whose path led here */
	bool has_pasid;		   /* scalable mode below a PASID table entry: */
	uint32_t pasid;		   /* ... its PASID */
	bool has_did;		   /* paging entries (and legacy context entries): */
	uint16_t did;		   /* ... the domain id */
	uint64_t iova;		   /* paging entries: the first input address the entry maps */
};

struct vtd_audit_ops {
	/* As struct vtd_walk_ctx.table: the memory at @pa, or NULL. Required. */
	const uint64_t *(*table)(void *arg, uint64_t pa, size_t bytes);
	/* Is [@pa, @pa + @size) memory skiff owns (may hold tables)? Required. */
	bool (*owned)(void *arg, uint64_t pa, uint64_t size);
	/*
	 * Is the leaf mapping [@iova, @iova + @size) of domain @did to @pa with @perms what the
	 * domain asked? @perms are the leaf entry's own VTD_WALK_R / W / X / U (non-leaf entries
	 * must grant everything: NONLEAF_PERM, so one bad non-leaf entry is one finding, not one per
	 * leaf below it); X only with SSEE (second stage) or without NXE / with XD = 0 (first
	 * stage). First-stage @iova is canonical; nested first-stage leaves give the guest-physical
	 * @pa. NULL: every leaf must lie in owned() memory.
	 */
	bool (*leaf_allowed)(void *arg, uint16_t did, uint64_t iova, uint64_t pa, uint64_t size,
			     unsigned int perms);
	/* Told each violation; may be NULL (only the count is wanted). */
	void (*report)(void *arg, const struct vtd_audit_violation *v);
	void *arg;
};

/* Storage for the tables seen (sharing checks); contents are the audit's own. */
struct vtd_audit_seen {
	uint64_t pa;
	uint64_t iova;
	uint16_t did;
	uint8_t kind;
	uint8_t level;
	bool nest_parent; /* audited as (part of) a nesting parent's second stage */
	bool used;
};

struct vtd_audit_cfg {
	enum vtd_walk_mode mode;
	uint64_t root;		     /* RTADDR_REG.RTA */
	const struct vtd_caps *caps; /* the unit */
	unsigned int haw;	     /* host address width (DMAR HAW + 1); 0 means 52 */
	/*
	 * Erratum SPR17 is forced off on the unit (iommu.spr17=off, research): nesting parents
	 * may hold read-only leaves (NEST_PARENT_RO is not checked). False by default: skiff
	 * treats SPR17 as present on every unit that supports nesting, as Linux does.
	 */
	bool spr17_off;
	/*
	 * Scratch for the sharing checks: one slot per table page (a hash table; give at least
	 * the number of tables, better twice that). NULL / 0: sharing is not checked (loops still
	 * are); running out reports LIMIT once.
	 */
	struct vtd_audit_seen *seen;
	size_t seen_cap;
	uint64_t max_entries; /* present entries visited at most; 0: the default above */
};

/*
 * vtd_audit - check every present entry reachable from @cfg->root (see the rules above).
 * Returns the number of violations reported, or -EINVAL for a bad argument (no table / owned
 * callback, no caps, an unknown mode).
 */
long vtd_audit(const struct vtd_audit_cfg *cfg, const struct vtd_audit_ops *ops);

/* vtd_audit_rule_name - "reserved bit", "not owned", ... for logs. */
const char *vtd_audit_rule_name(enum vtd_audit_rule rule);

#endif
