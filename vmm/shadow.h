/* SPDX-License-Identifier: MIT */
/*
 * Shadow first stage: the fallback for remapping units without nested translation (no
 * ECAP.NEST; QEMU's emulated VT-d has none). A guest that runs its own IOMMU driver owns a
 * first-stage table (x86-64 4- or 5-level paging, VT-d 3.6 and 9.7) whose addresses - the
 * root (FSPTPTR), every table pointer and every leaf - are guest physical. With nesting the
 * hardware translates each of them through the VM's second stage (VT-d 3.8); here skiff does
 * that composition in software and programs the result, IOVA -> host physical, into one host
 * domain. The composition is rebuilt for a range whenever the guest invalidates it (the guest's
 * IOTLB invalidation, VT-d 6.5.2), so the host table follows the guest's.
 *
 * The second stage is the VM's device view (vmm/dev_view.h), reached through a lookup
 * callback, so its policy (MSI window, emulated MMIO, read-only ranges) applies unchanged:
 *  - a guest table page is walked only when the view maps it read-write, as SPR17's rule for
 *    nested translation demands ("every first-stage table page in read-write second-stage
 *    memory"; the hardware sets A/D bits in those pages, 3.6.2). A table page that is not in
 *    the view, or only read-only, or unreadable, is not walked: its subtree stays unmapped
 *    (DMA there faults, as the hardware would fault on the table access) and it is counted,
 *    the first one's guest-physical address reported;
 *  - a leaf's guest-physical range is mapped only where the view maps it, with the AND of the
 *    guest's permissions and the view's: P gives read, R/W at every level gives write (3.6.2;
 *    9.7). A leaf into a hole, a left-out range or emulated MMIO is not mapped;
 *  - nothing in the interrupt range 0xFEE00000-0xFEEFFFFF is mapped, neither as IOVA (DMA
 *    there is an interrupt request, 3.15) nor as guest-physical output (a translation there
 *    faults, 87h);
 *  - large guest leaves (2 MiB, 1 GiB) are split where the view's ranges end, and pieces that
 *    continue each other in IOVA, host address and permissions are merged into one map call,
 *    across guest leaves too, so the host table can use large leaves again.
 * Requests through the host table are requests without PASID, which VT-d translates as user
 * requests (9.4 RID_PRIV = 0): a leaf whose path lacks U/S is left out (the hardware faults
 * 81h). Execute (XD) is not composed: the host domain grants no execute. The guest tables are
 * only read; A/D bits are not set in them (guest drivers preset them, as Linux does).
 * Entries with reserved bits set (PS in a PML5E / PML4E, PS in a PDPE without 1 GiB support,
 * address bits 20:13 / 29:13 of a large leaf) are left out, as the hardware faults on them
 * (72h); addresses beyond the guest's width are the view's business (not mapped there).
 *
 * Only the lower canonical half is composed (IOVAs below 2^47, or 2^56 with 5 levels), and only
 * below the host domain's width.
 *
 * The work is bounded. The guest's table is a graph, not a tree: one table may sit under every
 * entry of the table above, so four table pages whose 512 entries all point at the next level
 * describe 2^36 4 KiB leaves. VT-d walks such a table one DMA at a time; a composition walks
 * all of it, so each call (shadow_build(), shadow_invalidate()) counts its steps - a guest
 * entry read, a piece of a leaf composed with the view (one lookup, at most one map) - and
 * stops at cfg.budget with -E2BIG, leaving its range unmapped as any error does, and one log
 * line naming the VM, the PASID and the range (rate-limited per shadow). Aliasing is legal
 * (many IOVAs to one page, one table under many entries), so the bound is on work, not on
 * distinct pages: see shadow_budget().
 *
 * No allocation; the refusal's log line is the only output. Runs on the host under tests.
 */
#ifndef SKIFF_VMM_SHADOW_H
#define SKIFF_VMM_SHADOW_H

#include <stdbool.h>
#include <stdint.h>

#define SHADOW_PAGE_SIZE     0x1000ull
#define SHADOW_TABLE_WORDS   512u /* entries of one 4 KiB guest table */
#define SHADOW_MIN_IOVA_BITS 32u
#define SHADOW_MAX_IOVA_BITS 57u
#define SHADOW_ALL	     UINT64_MAX /* the @size of shadow_invalidate() for everything */

/*
 * The step budget of one composition call (shadow_budget()). A guest that maps each 4 KiB page
 * of its memory once, with 4 KiB leaves, costs about two steps a page (its PTE, read, and its
 * piece, composed; the tables above add 1/512 of that). SHADOW_STEPS_PER_PAGE allows four such
 * mappings of all of its memory in one call; SHADOW_STEPS_MIN lets even a small VM identity-map
 * the whole 32-bit DMA space with 4 KiB leaves twice (4 GiB: 2^20 PTEs and 2^20 pieces, plus
 * 2816 entries of the PML4, PDPT and four PDs). The fan-out above would take 2^36 steps.
 */
#define SHADOW_STEPS_PER_PAGE 8ull
#define SHADOW_STEPS_MIN      (1ull << 22)

/* Why a guest leaf (or part of it) or an entry was left out of the host table. */
enum shadow_skip {
	SHADOW_SKIP_NOT_IN_VIEW = 0, /* guest-physical output not mapped by the device view */
	SHADOW_SKIP_MSI,	     /* IOVA or guest-physical output in the interrupt range */
	SHADOW_SKIP_WIDTH,	     /* IOVA at or beyond the host domain's width */
	SHADOW_SKIP_SUPERVISOR,	     /* U/S = 0 on the path: a user request would fault */
	SHADOW_SKIP_RSVD,	     /* reserved bits set in the entry (leaf or not) */
	SHADOW_NR_SKIPS,
};

/* Why a guest table page was not walked. */
enum shadow_bad_table {
	SHADOW_TABLE_NOT_IN_VIEW = 0, /* the device view does not map its guest-physical page */
	SHADOW_TABLE_READ_ONLY,	      /* the view maps it read-only (SPR17's rule) */
	SHADOW_TABLE_UNREADABLE,      /* the read_table callback had no memory for it */
	SHADOW_NR_BAD_TABLES,
};

/* What one shadow_build() or shadow_invalidate() did. */
struct shadow_stats {
	uint64_t leaves;			   /* guest leaves of which some page was mapped */
	uint64_t pages;				   /* 4 KiB pages mapped */
	uint64_t maps;				   /* map callback calls */
	uint64_t steps;				   /* work done: entries read, pieces composed */
	uint64_t skipped[SHADOW_NR_SKIPS];	   /* leaves or entries left out, once per reason */
	uint64_t bad_tables[SHADOW_NR_BAD_TABLES]; /* table pages not walked, by reason */
	uint64_t first_bad_table;		   /* guest-physical address of the first of them */
	enum shadow_bad_table first_bad_why;	   /* and why; both valid when any was counted */
};

/*
 * The callbacks; all get @arg. The caller binds them to its gmem, device view and host domain.
 */
struct shadow_ops {
	/*
	 * The 512 entries of the guest table page at guest-physical @gpa (4 KiB aligned), or NULL
	 * when there is no memory behind it. Called only for pages the view maps read-write.
	 */
	const uint64_t *(*read_table)(void *arg, uint64_t gpa);
	/*
	 * The device view at guest-physical @gpa, with dev_view_lookup()'s contract: 0 with the
	 * host-physical @hpa, @prot (IOMMU_READ | IOMMU_WRITE of iommu/iommu.h) and @run (bytes,
	 * > 0, to the end of the view's range), -ENOENT when the view does not map @gpa, or another
	 * negative errno (which ends the composition with that error). With -ENOENT @run (0 on
	 * entry) may be set to the bytes from @gpa to the next guest-physical address the view maps
	 * (UINT64_MAX when none): the composition then skips the gap at once instead of asking again
	 * for every 4 KiB page of it, which bounds the work a guest can cause with large leaves
	 * into holes.
	 */
	int (*lookup)(void *arg, uint64_t gpa, uint64_t *hpa, unsigned int *prot, uint64_t *run);
	/* Map IOVA [@iova, @iova + @size) to host [@hpa, ...) with @prot, as iommu_map(). */
	int (*map)(void *arg, uint64_t iova, uint64_t hpa, uint64_t size, unsigned int prot);
	/* Unmap what lies in [@iova, @iova + @size), as iommu_unmap(): bytes, or -ENOENT / errno. */
	int64_t (*unmap)(void *arg, uint64_t iova, uint64_t size);
	void *arg;
};

/* The guest's first stage, as its PASID entry (or context) names it, and the host domain. */
struct shadow_cfg {
	uint64_t root;		/* FSPTPTR: guest-physical PML4 / PML5 table, 4 KiB aligned */
	unsigned int levels;	/* 4 or 5 (FSPM) */
	bool fs1gp;		/* 1 GiB guest leaves allowed (CAP.FS1GP as the guest sees it) */
	unsigned int iova_bits; /* the host domain maps IOVAs below 2^iova_bits (32..57) */
	uint64_t budget;	/* steps one call may take (> 0): shadow_budget() */
	const char *vm;		/* for the log line: the VM's name ... */
	uint32_t pasid;		/* ... and the PASID whose entry names the table */
};

struct shadow {
	struct shadow_cfg cfg;
	struct shadow_ops ops;
	uint64_t refusals; /* calls stopped at the budget; the log line is rate-limited by it */
};

struct gmem;

/*
 * shadow_budget - the steps one composition call of a VM with memory map @g may take:
 * SHADOW_STEPS_PER_PAGE for each 4 KiB page of its RAM and ROM, at least SHADOW_STEPS_MIN.
 */
uint64_t shadow_budget(const struct gmem *g);

/*
 * shadow_init - set up @s for the guest first stage @cfg composed through @ops. Nothing is
 * mapped yet. Returns 0, or -EINVAL for a NULL argument, callback or cfg->vm, a misaligned
 * root, levels other than 4 / 5, iova_bits outside 32..57, or a budget of 0.
 */
int shadow_init(struct shadow *s, const struct shadow_cfg *cfg, const struct shadow_ops *ops);

/*
 * shadow_build - compose the whole lower canonical half: unmap everything below the host
 * width, then walk the guest's table from the root and map what it composes to (rules at the
 * top). @st (may be NULL) gets what was done. Returns 0, -E2BIG when the walk needs more than
 * cfg.budget steps (logged), or the first error of a callback (lookup other than -ENOENT, map,
 * unmap other than -ENOENT); on -E2BIG, a map or a lookup error what this call mapped is
 * unmapped again, so the domain is left empty.
 */
int shadow_build(struct shadow *s, struct shadow_stats *st);

/*
 * shadow_invalidate - the guest invalidated its IOTLB for [@iova, @iova + @size) (4 KiB
 * aligned, @size > 0 a multiple of 4 KiB, or SHADOW_ALL for everything): re-compose that range.
 * An invalidation drops every cached translation that overlaps the range (VT-d 6.5.2.3), so the
 * range is first widened to the guest entries that hold its first and last page in the current
 * table (a leaf, or a not-present entry's whole region, or a table that is not walked), then
 * unmapped in the host domain and walked again; the rest of the host table is not touched.
 * The part beyond the composed space (lower canonical half, host width) is ignored.
 * @st as for shadow_build(). Returns 0, -EINVAL (misaligned, zero or wrapping range), or -E2BIG
 * or a callback's error as for shadow_build(): the range is then left unmapped (the old
 * composition is gone and this call's maps were undone), never half old and half new; DMA
 * there faults until an invalidation of it composes within the budget.
 */
int shadow_invalidate(struct shadow *s, uint64_t iova, uint64_t size, struct shadow_stats *st);

#endif
