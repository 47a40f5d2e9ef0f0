/* SPDX-License-Identifier: MIT */
/*
 * VT-d DMA-remapping page tables for one domain (VT-d specification rev 5.0: 9.7 first-stage
 * paging entries, 9.8 second-stage paging entries, 3.6 / 3.7 first- and second-stage
 * translation, 6.5 invalidation). The entry formats and the VT-d rules, over the generic
 * page-table engine (kernel/mm/pgtable.h), which does the walking: a pure library that reaches
 * table memory only through struct vtd_pgt_ops, never dereferences a physical address itself
 * and runs unchanged on the host, where tests give it a fake arena.
 *
 * One domain page table is a root table, a level count (3, 4 or 5), a format (second or first
 * stage) and feature flags derived from the unit's capabilities. Levels are numbered from the
 * leaf: level 1 holds 4 KiB leaves (SS-PTE / PTE), level 2 2 MiB leaves (PDE), level 3 1 GiB
 * leaves (PDPTE), levels 4 and 5 only point to tables (PML4E, PML5E).
 *
 * Design, in short (details at each function):
 *  - map uses the largest leaf that the IOVA, the physical address, the remaining length and
 *    the capabilities allow; a failing map (-EEXIST, -ENOMEM) removes everything it mapped;
 *  - when a map completes a 2 MiB (1 GiB) region whose 512 leaves are contiguous, aligned
 *    and carry identical bits, the table is replaced by one large leaf (if allowed) and freed;
 *  - unmap splits a partly covered large leaf (allocating before touching anything, so
 *    -ENOMEM changes nothing), frees tables that become empty, skips holes;
 *  - every change is accumulated in a struct vtd_pgt_gather: the IOVA range to invalidate,
 *    whether present entries changed and whether non-leaf entries did (IH), and the table pages
 *    that must not be reused before the invalidation completed (VT-d 6.5: hardware may still
 *    walk a table reachable through stale paging-structure-cache entries until then).
 */
#ifndef SKIFF_IOMMU_VTD_VTD_PGTABLE_H
#define SKIFF_IOMMU_VTD_VTD_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "kernel/mm/pgtable.h"

/* Geometry shared by both formats (9.7, 9.8): a table is one 4 KiB page of 512 8-byte entries. */
#define VTD_PGT_PAGE_SHIFT 12
#define VTD_PGT_PAGE_SIZE  (1ull << VTD_PGT_PAGE_SHIFT)
#define VTD_PGT_INDEX_BITS 9
#define VTD_PGT_ENTRIES	   (1u << VTD_PGT_INDEX_BITS)
#define VTD_PGT_SIZE_4K	   VTD_PGT_PAGE_SIZE
#define VTD_PGT_SIZE_2M	   (1ull << 21)
#define VTD_PGT_SIZE_1G	   (1ull << 30)
#define VTD_PGT_MIN_LEVELS 3
#define VTD_PGT_MAX_LEVELS 5
#define VTD_PGT_OA_BITS	   52 /* output addresses are bits 51:12 of an entry */

_Static_assert(VTD_PGT_ENTRIES * sizeof(uint64_t) == VTD_PGT_PAGE_SIZE, "one table is one page");

/* Address fields, both formats: a table or 4 KiB page 51:12, a 2 MiB leaf 51:21, 1 GiB 51:30. */
#define VTD_PTE_ADDR_MASK    0x000ffffffffff000ull
#define VTD_PTE_ADDR_2M_MASK 0x000fffffffe00000ull
#define VTD_PTE_ADDR_1G_MASK 0x000fffffc0000000ull

/*
 * Second-stage paging entries (9.8, tables 9-x: SS-PML5E, SS-PML4E, SS-PDPE, SS-PDE, SS-PTE).
 * An entry is present when R or W is set. X counts only when the PASID entry enables
 * second-stage execute (SSEE); EMT and IPAT only when it enables memory types (EMTE); A and D
 * are written by hardware only with SSADE; SNP is reserved unless ECAP.SC = 1.
 */
#define VTD_SS_R	 (1ull << 0)
#define VTD_SS_W	 (1ull << 1)
#define VTD_SS_X	 (1ull << 2)
#define VTD_SS_EMT_SHIFT 3
#define VTD_SS_EMT_MASK	 (7ull << VTD_SS_EMT_SHIFT) /* leaf: extended memory type */
#define VTD_SS_IPAT	 (1ull << 6)		    /* leaf: ignore PAT */
#define VTD_SS_PS	 (1ull << 7)		    /* SS-PDPE / SS-PDE: 1 GiB / 2 MiB leaf */
#define VTD_SS_A	 (1ull << 8)
#define VTD_SS_D	 (1ull << 9)
#define VTD_SS_SNP	 (1ull << 11) /* leaf: force snoop */

/*
 * Software bits: in a non-leaf entry (both formats) bits 61:52 hold how many entries of the
 * table it points to are present. Hardware ignores them: 9.8 marks bits 61:52 of every
 * second-stage entry ignored, 9.7 bits 62:52 of every first-stage non-leaf entry. A table walk
 * (an audit, a debug dump) takes the next table's address from VTD_PTE_ADDR_MASK only.
 */
#define VTD_PGT_COUNT_SHIFT 52
#define VTD_PGT_COUNT_MASK  (0x3ffull << VTD_PGT_COUNT_SHIFT)

/* First-stage paging entries (9.7: the x86-64 4-level / 5-level paging format). */
#define VTD_FS_P   (1ull << 0)
#define VTD_FS_RW  (1ull << 1)
#define VTD_FS_US  (1ull << 2)
#define VTD_FS_PWT (1ull << 3)
#define VTD_FS_PCD (1ull << 4)
#define VTD_FS_A   (1ull << 5)
#define VTD_FS_D   (1ull << 6)
#define VTD_FS_PS  (1ull << 7) /* PDPE / PDE: 1 GiB / 2 MiB leaf (bit 7 of a 4 KiB PTE is PAT) */
#define VTD_FS_XD  (1ull << 63)

/* Memory types for the second-stage EMT field (the PAT encodings, Intel SDM vol. 3A 12.12). */
#define VTD_EMT_UC 0u
#define VTD_EMT_WC 1u
#define VTD_EMT_WT 4u
#define VTD_EMT_WP 5u
#define VTD_EMT_WB 6u

enum vtd_pgt_format {
	VTD_PGT_SECOND_STAGE = 0, /* 9.8; 3, 4 or 5 levels (SAGAW bits 1, 2, 3) */
	VTD_PGT_FIRST_STAGE = 1,  /* 9.7; 4 levels, or 5 with CAP.FS5LP */
};

/*
 * Permissions and attributes of a mapping (the @prot of vtd_pgt_map(), reported back by
 * vtd_pgt_translate()). R is required in both formats: a first-stage entry cannot express
 * write-only (P implies read), and skiff follows Linux in refusing second-stage write-only
 * too so both formats behave alike (Linux eea53c5816889, "iommu/vt-d: Remove WO permissions
 * on second-level paging entries"). X needs VTD_PGT_F_EXEC.
 */
#define VTD_PGT_R	  (1u << 0)
#define VTD_PGT_W	  (1u << 1)
#define VTD_PGT_X	  (1u << 2)
#define VTD_PGT_SNP	  (1u << 3) /* second stage only: SNP (caller checks ECAP.SC) */
#define VTD_PGT_IPAT	  (1u << 4) /* second stage only: IPAT */
#define VTD_PGT_PWT	  (1u << 5) /* first stage only: PWT */
#define VTD_PGT_PCD	  (1u << 6) /* first stage only: PCD */
#define VTD_PGT_EMT_SHIFT 8	    /* second stage only: EMT, a VTD_EMT_* value (default 0) */
#define VTD_PGT_EMT_MASK  (7u << VTD_PGT_EMT_SHIFT)
#define VTD_PGT_EMT(t)	  (((uint32_t)(t) << VTD_PGT_EMT_SHIFT) & VTD_PGT_EMT_MASK)
#define VTD_PGT_RW	  (VTD_PGT_R | VTD_PGT_W)

/* Feature flags (struct vtd_pgt_cfg.features), from the unit's capabilities and the domain. */
#define VTD_PGT_F_2M (1u << 0) /* 2 MiB leaves: SS CAP.SLLPS bit 0; first stage always */
#define VTD_PGT_F_1G (1u << 1) /* 1 GiB leaves: SS CAP.SLLPS bit 1; first stage CAP.FS1GP */
/*
 * Execute control: VTD_PGT_X is allowed and honoured. Second stage: the PASID entry has
 * SSEE = 1 (X in leaves, and in non-leaf entries, which must allow it too). First stage: the
 * PASID entry has NXE = 1 and leaves without X get XD. Without it no first-stage entry has XD:
 * rev 5.0 removed Execute-Requested requests and deprecated NXE and XD, and earlier revisions
 * made XD reserved while NXE = 0 (Linux e995fcde6070, "iommu/vt-d: Remove control over
 * Execute-Requested requests", dropped DMA_FL_PTE_XD for that reason).
 */
#define VTD_PGT_F_EXEC	(1u << 2)
#define VTD_PGT_F_FS5LP (1u << 3) /* CAP.FS5LP: a first-stage table may have 5 levels */
/*
 * Second stage with SSADE = 1 in the PASID entry (dirty tracking): the unit writes A/D into
 * entries, so the library updates entries it does not replace with locked read-modify-writes,
 * and does not merge (a merged-away table may still receive D bits until the flush).
 */
#define VTD_PGT_F_SSADE (1u << 4)

struct vtd_pgt_ops {
	/*
	 * Allocate one zeroed 4 KiB-aligned table page below 2^52 (zeroes visible to the
	 * remapping hardware, i.e. written back when ECAP.C = 0); 0 or a negative errno.
	 */
	int (*alloc_table)(void *ctx, uint64_t *pa);
	/* Give back a page alloc_table() returned. */
	void (*free_table)(void *ctx, uint64_t pa);
	/* Where the table page at @pa is read and written; stable while the page is allocated. */
	uint64_t *(*table)(void *ctx, uint64_t pa);
	/*
	 * Optional (NULL when ECAP.C = 1): make [@pa, @pa + @len) of a table visible to a remapping
	 * unit whose page walks do not snoop (clflush). Called for a table's changed entries before
	 * the entry that makes them reachable is synced.
	 */
	void (*sync)(void *ctx, uint64_t pa, uint64_t len);
	void *ctx;
};

struct vtd_pgt_cfg {
	enum vtd_pgt_format format;
	unsigned int levels;  /* second stage 3, 4, 5; first stage 4, 5 (5 needs F_FS5LP) */
	unsigned int aw_bits; /* domain input width: IOVAs below 2^aw_bits; 0 = what levels allow */
	unsigned int oa_bits; /* output width (host address width): 0 = 52 */
	uint32_t features;    /* VTD_PGT_F_* */
};

/* One domain's page table. Fields are read-only for callers (vtd_pgt_* maintain them). */
struct vtd_pgt {
	struct pgt_ops ops;   /* the struct vtd_pgt_ops given to vtd_pgt_create() */
	uint64_t root;	      /* physical address of the top table (SSPTPTR / FSPTPTR) */
	uint64_t *root_table; /* where ops.table() has the root */
	uint64_t nonleaf;     /* the bits of every non-leaf entry besides its address and count */
	uint64_t present;     /* VTD_SS_R | VTD_SS_W, or VTD_FS_P */
	uint64_t ps;	      /* VTD_SS_PS or VTD_FS_PS */
	uint32_t features;    /* VTD_PGT_F_* as configured (F_2M forced on for the first stage) */
	uint8_t format;	      /* enum vtd_pgt_format */
	uint8_t levels;	      /* 3, 4 or 5 */
	uint8_t aw_bits;      /* IOVAs are below 2^aw_bits */
	uint8_t oa_bits;      /* physical addresses are below 2^oa_bits */
	uint8_t leaf_mask;    /* bit n set: leaves allowed at level n (bit 1 always) */
	/*
	 * The engine's table (kernel/mm/pgtable.h), made by vtd_pgt_create() with the root,
	 * levels, leaf levels and non-leaf bits above, which never change; it keeps the table
	 * count (vtd_pgt_tables()). Kept here rather than built per call: the map is hot.
	 */
	struct pgt core;
};

/*
 * What a map or unmap changed and what the caller owes the hardware (VT-d 6.5): the engine's
 * gather (struct pgt_gather, kernel/mm/pgtable.h), under the name VT-d callers use. Initialise
 * with vtd_pgt_gather_init(), pass to any number of map/unmap calls on one struct vtd_pgt, then:
 *  - if @flush (or if only new entries were written but CAP.CM = 1, 6.1): invalidate the IOTLB
 *    for [@start, @end) (vtd_pgt_gather_psi() gives a page-selective address and mask),
 *    with IH = 0 when @nonleaf (paging-structure caches hold non-leaf entries), and the
 *    device TLBs;
 *  - then call vtd_pgt_gather_release(), which frees the @nr_freed table pages kept back
 *    until the invalidation completed (they are linked through ignored bits 58:52 of their own
 *    entries 0-5, which changes no translation, so no memory is needed to hold them).
 * @start == @end: nothing changed; @max_leaf is the largest leaf (4 KiB, 2 MiB, 1 GiB) written,
 * removed, split or merged.
 */
#define vtd_pgt_gather pgt_gather

/* What vtd_pgt_translate() found. */
struct vtd_pgt_xlate {
	uint64_t pa;	/* the physical address @iova translates to */
	uint64_t size;	/* the leaf's size: 4 KiB, 2 MiB or 1 GiB */
	uint64_t entry; /* the leaf entry, as stored */
	uint32_t prot;	/* VTD_PGT_* decoded from the leaf */
	unsigned int level;
};

/*
 * vtd_pgt_cfg_from_caps - a configuration for a domain of @aw_bits (13..57) on a unit with
 * capabilities @caps (VT-d 11.4.2).
 * Second stage: the fewest levels whose width (39/48/57) holds @aw_bits among those SAGAW
 * offers; @aw_bits must not exceed MGAW; 2 MiB / 1 GiB leaves from SLLPS bits 0 / 1 (1 GiB
 * only together with 2 MiB). First stage: 4 levels (47-bit lower canonical half) or 5 (56
 * bits) with FS5LP; 2 MiB leaves always, 1 GiB with FS1GP. Execute is left off.
 * Returns 0, -EINVAL for a bad @format or @aw_bits, -ERANGE when the unit cannot translate
 * that width.
 */
int vtd_pgt_cfg_from_caps(const struct vtd_caps *caps, enum vtd_pgt_format format,
			  unsigned int aw_bits, struct vtd_pgt_cfg *cfg);

/*
 * vtd_pgt_create - check @cfg, allocate the root table and set up @p with a copy of @ops.
 * Second stage: levels 3, 4 or 5, @cfg->aw_bits at most 39, 48 or 57. First stage: levels 4
 * or 5 (5 only with VTD_PGT_F_FS5LP), aw_bits at most 47 or 56: first-stage input addresses
 * must be canonical and the domain uses the lower half, as Linux does (aperture_end =
 * __DOMAIN_MAX_ADDR(gaw - 1) for first-level domains); 2 MiB leaves are always allowed there.
 * VTD_PGT_F_1G requires VTD_PGT_F_2M (a split 1 GiB leaf becomes 2 MiB leaves).
 * Returns 0, -EINVAL for a bad configuration or missing ops, or alloc_table()'s error.
 */
int vtd_pgt_create(struct vtd_pgt *p, const struct vtd_pgt_cfg *cfg, const struct vtd_pgt_ops *ops);

/*
 * vtd_pgt_destroy - free every table page, the root included. No remapping hardware may
 * reference the tables any more (the domain is detached and its caches were invalidated), and
 * gathers holding pages of @p must have been released.
 */
void vtd_pgt_destroy(struct vtd_pgt *p);

/*
 * vtd_pgt_map - map [@iova, @iova + @size) to [@pa, @pa + @size) with @prot (VTD_PGT_*).
 * @iova, @pa and @size are 4 KiB aligned, @size > 0. Each piece gets the largest leaf that the
 * IOVA, the physical address and the remaining length are aligned to and the features allow.
 * Leaf bits: second stage R, W, X (with F_EXEC), SNP, IPAT, EMT as asked, PS on large leaves;
 * first stage P, U/S, A, R/W and D when writable, XD only with F_EXEC when X was not asked,
 * PWT / PCD as asked, PS on large leaves. Non-leaf entries: second stage R|W (|X with F_EXEC);
 * first stage P|R/W|U/S|A; both with the table's entry count in bits 61:52. U/S is set at every first-stage level because requests without
 * PASID are translated as user-privilege requests and a user request to a U/S = 0 page faults
 * (fault reason 81h; Linux "iommu/vt-d: Set U/S bit in first level page table by default",
 * fixing b802d070a52a1). A and D are preset, as Linux does, so the hardware never has to set
 * them with locked updates of table memory.
 * After a successful map, a 2 MiB (1 GiB) region the map completed whose 512 entries are
 * leaves with contiguous addresses starting at an aligned one and identical other bits becomes
 * one large leaf when allowed, and its table is freed through @g; merges cascade upwards
 * (not with VTD_PGT_F_SSADE). The result is the same table as if the whole region had been
 * mapped by one call: a table exists only where no leaf can stand for its region.
 * Returns 0 or:
 *  -EINVAL  misalignment, zero size, @prot invalid for the format or features;
 *  -ERANGE  @iova + @size beyond 2^aw_bits or @pa + @size beyond 2^oa_bits;
 *  -EEXIST  a page of the range is already mapped;
 *  -ENOMEM  a table page could not be allocated.
 * On an error nothing of the range stays mapped and tables()'s count is unchanged: the map
 * works upwards and removes what it mapped (pages it had linked go to @g, which then asks for
 * a flush because hardware may have cached them meanwhile).
 * @g may be NULL only while no hardware uses the table: freed pages are then freed at once.
 */
int vtd_pgt_map(struct vtd_pgt *p, uint64_t iova, uint64_t pa, uint64_t size, uint32_t prot,
		struct vtd_pgt_gather *g);

/*
 * vtd_pgt_unmap - remove every mapping inside [@iova, @iova + @size); @iova and @size 4 KiB
 * aligned, @size > 0. Holes inside the range are skipped (only what is mapped is removed). A
 * large leaf that the range covers only partly is split into 512 leaves of the next size
 * (repeatedly, 1 GiB -> 2 MiB -> 4 KiB); the pages splits need are allocated before anything
 * changes, so -ENOMEM leaves the mapping unchanged. A table left empty is unlinked and freed
 * through @g (NULL: at once, as for vtd_pgt_map()).
 * Returns the number of bytes that were mapped and are now unmapped, -ENOENT when nothing in
 * the range was mapped, -EINVAL for misalignment or zero size, -ERANGE beyond 2^aw_bits,
 * -ENOMEM (nothing changed).
 */
int64_t vtd_pgt_unmap(struct vtd_pgt *p, uint64_t iova, uint64_t size, struct vtd_pgt_gather *g);

/*
 * vtd_pgt_translate - walk the tables for @iova as the hardware would (3.6 / 3.7).
 * Returns 0 and fills @out, or -ENOENT when @iova is not mapped (or beyond 2^aw_bits).
 */
int vtd_pgt_translate(const struct vtd_pgt *p, uint64_t iova, struct vtd_pgt_xlate *out);

/* vtd_pgt_tables - table pages in use (reachable from the root, the root included). */
uint64_t vtd_pgt_tables(const struct vtd_pgt *p);

/* vtd_pgt_gather_init - an empty gather: nothing to invalidate, nothing to free. */
void vtd_pgt_gather_init(struct vtd_pgt_gather *g);

/*
 * vtd_pgt_gather_psi - the page-selective invalidation covering @g (VT-d 6.5.2.3 / 6.5.2.4,
 * IOTLB and PASID-based IOTLB invalidate descriptors): the smallest naturally aligned block of
 * 2^AM 4 KiB pages holding [@g->start, @g->end). Returns AM and sets @addr to the block's
 * first IOVA (0 and 0 for an empty gather). An AM above CAP.MAMV needs a domain-selective
 * invalidation instead.
 */
unsigned int vtd_pgt_gather_psi(const struct vtd_pgt_gather *g, uint64_t *addr);

/*
 * vtd_pgt_gather_release - after the invalidation @g asked for completed, free the table pages
 * it kept back and empty @g. @p is the table every call that filled @g was made on.
 */
void vtd_pgt_gather_release(struct vtd_pgt *p, struct vtd_pgt_gather *g);

#endif
