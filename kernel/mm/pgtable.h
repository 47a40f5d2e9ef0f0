/* SPDX-License-Identifier: MIT */
/*
 * One engine for every radix page table skiff builds: its own CPU tables (kernel/arch/x86/paging.c),
 * a VM's EPT or NPT (vmm/cpu_pgtable.c), a VT-d domain's first or second stage
 * (iommu/vtd/vtd_pgtable.c), and later the SMMUv3 stage-1 / stage-2 tables. A pure library: it
 * reaches table memory only through struct pgt_ops, never dereferences a physical address
 * itself and runs unchanged on the host (tests/unit/test_pgtable.c).
 *
 * What differs between those tables is said by two descriptions:
 *  - struct pgt_format, the entry encoding of one hardware format, a constant next to the
 *    entry bits in that format's own file: geometry (page and index bits), the output-address
 *    field, the present test, how a leaf above level 1 (a block) is told from a table entry,
 *    which leaf bits a split hands down, and the ignored bits the engine may use for itself;
 *  - struct pgt, one table: its format, callbacks, root, level count, the levels that may hold
 *    leaves, the bits of a table entry, and what the engine may do (merge, split, locked
 *    updates when the hardware writes entries too).
 * Levels are numbered from the leaf: level 1 holds the smallest pages (2^page_shift bytes), a
 * level-n entry maps 2^(page_shift + index_bits * (n - 1)) bytes, the root is level @levels.
 *
 * A leaf is written as address | attributes | (level 1 ? format.page : format.block), where the
 * attributes come from the user's own encoder; a table entry as address | pgt.table_bits.
 *
 * The engine's code is kernel/mm/pgtable_engine.h, written once: kernel/mm/pgtable.c compiles it
 * with the format read from each table (the pgt_*() functions below, for any format), and a user
 * whose speed matters compiles it again with its format as a constant (iommu/vtd/vtd_pgtable.c).
 *
 * Rules the engine keeps for every format:
 *  - an entry is written whole with one single-copy store; an entry that makes a table
 *    reachable (a new table, a split) is a release store after the table's contents; non-present
 *    entries it writes are exactly 0;
 *  - in a table that can shrink (ops.free_table set), no table other than the root is empty
 *    between calls: unmap frees the tables it empties and a failing map removes what it did, so
 *    a present table entry always has something mapped below it. A table without free_table
 *    only grows: a failing map keeps what it mapped and linked (the kernel's own tables);
 *  - callers serialise calls on one table (the engine takes no locks) and own invalidation:
 *    struct pgt_gather says what changed.
 *
 * Fitting Arm VMSAv8-64 with the 4 KiB granule (Arm ARM D8.3, SMMUv3 stage 1 and stage 2):
 * page_shift 12, index_bits 9, levels 4 (Arm's lookup levels 0-3 are levels 4-1 here), 3 for a
 * 39-bit input; present = bit 0 (valid); type_mask = bit 1 with block = 0 (a level 1-2 block
 * descriptor) and page = bit 1 (a level-3 page descriptor); table_bits = bits 1:0 plus the
 * hierarchical controls wanted (APTable, XNTable ...); addr_mask = bits 47:12 (FEAT_LPA2's
 * 52-bit addresses put OA[51:50] in bits 9:8, which one mask cannot say: that would need an
 * address encoder in the format); split_keep = every attribute but AF and the dirty state if
 * a split should reset those; count_mask = table-descriptor bits 11:2 where neither FEAT_LPA2
 * nor FEAT_HAFT claims them, else 0 (emptiness is then found by scanning); link_mask = bits
 * 58:55 (ignored in invalid descriptors, reserved for software in block and page descriptors).
 * Replacing a live block by a table or the reverse needs break-before-make unless the SMMU
 * has BBML2 (SMMU_IDR3.BBML): without it a table is set up without PGT_SPLIT and PGT_MERGE.
 * With hardware update of AF and dirty state (SMMU_IDR0.HTTU) it takes PGT_HW_WRITES. A
 * stage-2 start level of concatenated tables (up to 16 pages) is the one thing not expressed:
 * it needs a root index wider than index_bits; without it the walk starts one level higher.
 */
#ifndef SKIFF_KERNEL_MM_PGTABLE_H
#define SKIFF_KERNEL_MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PGT_MAX_LEVELS 5
#define PGT_LEVEL_PAGE 1 /* the level of the smallest leaves */

/* The entry encoding of one hardware format; constant, and the same for all its tables. */
struct pgt_format {
	uint8_t page_shift; /* log2 of the smallest page; tables are aligned to it */
	uint8_t index_bits; /* log2 of the entries (8 bytes each) in one table */
	uint64_t addr_mask; /* output address in a table entry or level-1 leaf (a block: its top) */
	uint64_t present;   /* an entry is present when any of these bits is set */
	/*
	 * Above level 1, the bits that tell a block from a table entry. @block and @page are
	 * values of these bits: every leaf above level 1 carries @block, every level-1 leaf @page.
	 */
	uint64_t type_mask;
	uint64_t block; /* x86: PS; Arm: bit 1 clear */
	uint64_t page;	/* x86: nothing; Arm: bit 1 (the page descriptor) */
	/* Leaf bits a split copies to the smaller leaves (without hardware-written status: reset). */
	uint64_t split_keep;
	/*
	 * Software field of a table entry, ignored by the hardware, that counts the present
	 * entries of the table it points to (at least index_bits + 1 bits wide); 0 for none: the
	 * engine then scans a table to know whether it is empty or complete.
	 */
	uint64_t count_mask;
	/*
	 * Bits ignored by the hardware in every entry, present or not: a table waiting for
	 * its invalidation in a struct pgt_gather is chained through them, a frame number
	 * spread over its first entries. 0: no gathers (calls pass NULL, tables are freed at once).
	 */
	uint64_t link_mask;
};

struct pgt_ops {
	/* One zeroed table (aligned to the page size, visible to the walker); 0 or -errno. */
	int (*alloc_table)(void *ctx, uint64_t *pa);
	/* Give back a table alloc_table() returned; NULL: the table never shrinks. */
	void (*free_table)(void *ctx, uint64_t pa);
	/* Where the table at @pa is read and written; stable while it is allocated. */
	uint64_t *(*table)(void *ctx, uint64_t pa);
	/*
	 * Optional: make [@pa, @pa + @len) of a table visible to a walker that does not snoop.
	 * Called for a table's changed entries before the entry that makes them reachable.
	 */
	void (*sync)(void *ctx, uint64_t pa, uint64_t len);
	void *ctx;
};

/* struct pgt.flags: what the engine may do to this table. */
#define PGT_MERGE     (1u << 0) /* a map that completes a block's region makes it one block */
#define PGT_SPLIT     (1u << 1) /* an unmap of part of a block splits it (else -EINVAL) */
#define PGT_HW_WRITES (1u << 2) /* the walker writes entries (A/D): count updates are locked */

/* One table as the engine sees it; users build it from their own table's state. */
struct pgt {
	const struct pgt_format *fmt;
	const struct pgt_ops *ops;
	uint64_t root;	      /* the root table's address */
	uint64_t *root_table; /* where ops->table() has the root */
	uint64_t table_bits;  /* every table entry's bits besides address and count */
	uint8_t levels;	      /* 2 .. PGT_MAX_LEVELS */
	uint8_t leaf_mask;    /* bit n: leaves allowed at level n (bit 1 always) */
	uint8_t flags;	      /* PGT_* */
	/*
	 * Tables reachable from root, the root included. Last: a user's own count is usually
	 * next to other fields, and a copy of both in one wide load would wait for the store of
	 * the count by the call before.
	 */
	uint64_t tables;
};

/*
 * What map and unmap calls changed and what the caller owes the walker (Linux calls this an
 * IOTLB gather). Start with pgt_gather_init(), pass to any number of calls on one table, then:
 *  - if @flush, invalidate cached translations of [@start, @end), and the paging-structure
 *    caches too when @nonleaf;
 *  - then free the @nr_freed tables chained from @freed with pgt_free_chain(): a table unlinked
 *    from a live table waits there, because the walker may still use it until the invalidation
 *    completed (chained through the format's link bits, so no memory holds the list).
 * A call without a gather (NULL: no walker uses the table, or the caller's rules make an
 * immediate free safe) frees unlinked tables at once and accounts nothing.
 */
struct pgt_gather {
	uint64_t start, end; /* the smallest range covering every changed entry; equal: none */
	uint64_t max_leaf;   /* largest leaf written, removed, split or merged (bytes) */
	bool flush;	     /* a present entry was changed or removed */
	bool nonleaf;	     /* a table entry was written or removed */
	uint64_t freed;	     /* the last table released; each links to the one before */
	uint64_t nr_freed;   /* how many are chained */
};

/* What pgt_lookup() found: the leaf mapping an address. */
struct pgt_leaf {
	uint64_t entry; /* as stored */
	uint64_t pa;	/* the address the looked-up one translates to */
	uint64_t size;	/* the leaf's size in bytes */
	unsigned int level;
};

/* pgt_level_shift - log2 of the bytes one entry at @level maps in format @f. */
static inline unsigned int pgt_level_shift(const struct pgt_format *f, unsigned int level)
{
	return f->page_shift + f->index_bits * (level - 1);
}

/* pgt_level_size - the bytes one entry at @level maps in format @f. */
static inline uint64_t pgt_level_size(const struct pgt_format *f, unsigned int level)
{
	return 1ull << pgt_level_shift(f, level);
}

/* pgt_index - the index of @va's entry in its table at @level. */
static inline unsigned int pgt_index(const struct pgt_format *f, uint64_t va, unsigned int level)
{
	return (unsigned int)(va >> pgt_level_shift(f, level)) & ((1u << f->index_bits) - 1);
}

/* pgt_entries - the entries of one table of format @f. */
static inline unsigned int pgt_entries(const struct pgt_format *f)
{
	return 1u << f->index_bits;
}

/* pgt_present - is entry @e present? */
static inline bool pgt_present(const struct pgt_format *f, uint64_t e)
{
	return e & f->present;
}

/* pgt_is_leaf - does present entry @e at @level map memory (level 1, or a block)? */
static inline bool pgt_is_leaf(const struct pgt_format *f, unsigned int leaf_mask, uint64_t e,
			       unsigned int level)
{
	return level == PGT_LEVEL_PAGE ||
	       ((leaf_mask & (1u << level)) && (e & f->type_mask) == f->block);
}

/* pgt_gather_init - an empty gather: nothing to invalidate, nothing to free. */
static inline void pgt_gather_init(struct pgt_gather *g)
{
	*g = (struct pgt_gather){ 0 };
}

/*
 * pgt_alloc_root - allocate @t's root table: sets root, root_table and tables = 1.
 * Returns 0 or alloc_table()'s error.
 */
int pgt_alloc_root(struct pgt *t);

/*
 * pgt_destroy - free every table of @t, the root included; no walker may use @t any more and
 * no chain of @t's tables may be pending. Sets tables = 0, root = 0, root_table = NULL.
 */
void pgt_destroy(struct pgt *t);

/*
 * pgt_map - map [@va, @va + @size) to [@pa, @pa + @size) with leaf @attrs (the user's encoding,
 * without address and type bits). The caller checked the request: addresses and size aligned to
 * the page size, @size > 0, the range inside what @t's levels translate and what the format's
 * address field holds. Each piece gets the largest leaf that @va, @pa and the remaining length
 * are aligned to and leaf_mask allows. With PGT_MERGE, afterwards a block region this map
 * completed whose entries are leaves with contiguous addresses from an aligned one and
 * identical other bits becomes one block, cascading upwards, and its table is released: a table
 * then exists only where no block can stand for its region. Changes are accounted in @g.
 * Returns 0, -EEXIST when a page of the range is already mapped, -ENOMEM (or alloc_table()'s
 * error) when a table cannot be allocated. On an error nothing of the range stays mapped and the
 * table count is unchanged, unless the table never shrinks (no free_table): then what was mapped
 * and linked before the error stays.
 */
int pgt_map(struct pgt *t, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs,
	    struct pgt_gather *g);

/*
 * pgt_unmap - remove every mapping inside [@va, @va + @size) of a table that can shrink (aligned
 * as for pgt_map(), inside the translated range). Holes are skipped. A block the range covers
 * only partly is split into the leaves of the next size, repeatedly (PGT_SPLIT); the tables
 * the splits need are allocated before anything changes. Tables left empty are released
 * (through @g). Returns the bytes that were mapped and are now unmapped, -ENOENT when nothing
 * in the range was mapped, -EINVAL when a block would need a split without PGT_SPLIT, or
 * alloc_table()'s error; on an error nothing changed.
 */
int64_t pgt_unmap(struct pgt *t, uint64_t va, uint64_t size, struct pgt_gather *g);

/*
 * pgt_lookup - walk @t for @va as the hardware would. Returns 0 and fills @out, or -ENOENT
 * when @va is not mapped; @va must be inside the range @t's levels translate.
 */
int pgt_lookup(const struct pgt *t, uint64_t va, struct pgt_leaf *out);

/*
 * pgt_free_chain - free the @n tables chained from @head (struct pgt_gather.freed, .nr_freed)
 * once the walker cannot use them any more.
 */
void pgt_free_chain(const struct pgt *t, uint64_t head, uint64_t n);

#endif
