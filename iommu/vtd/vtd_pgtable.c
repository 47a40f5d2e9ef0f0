// SPDX-License-Identifier: MIT
/*
 * VT-d domain page tables: second stage (VT-d rev 5.0, 9.8) and first stage (9.7). See
 * vtd_pgtable.h for the contract; this file follows it with these internal rules:
 *  - an entry is written completely with one store (a new table is filled before the entry
 *    pointing to it is written); non-present entries are exactly 0;
 *  - a non-leaf entry counts the present entries of its table in bits 61:52 (VTD_PGT_COUNT_*),
 *    so emptiness and completeness are known without scanning 512 entries;
 *  - a table other than the root is never empty between calls (unmap frees emptied tables,
 *    a failing map removes the empty tables it created), so a present table entry always
 *    has something mapped below it;
 *  - freed tables wait in a gather, linked through ignored bits of their entries 0-5;
 *  - callers serialise calls on one table (the library takes no locks).
 */
#include "iommu/vtd/vtd_pgtable.h"

#include <errno.h>
#include <stddef.h>

#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"

#define INDEX_MASK (VTD_PGT_ENTRIES - 1)
#define LAST_INDEX (VTD_PGT_ENTRIES - 1)

/* Input widths: 12 offset bits plus 9 per level (3.6, 3.7): 39, 48, 57. */
#define LEVEL_WIDTH(levels) (VTD_PGT_PAGE_SHIFT + VTD_PGT_INDEX_BITS * (levels))
/* First-stage domains use the lower canonical half: one bit less than the paging width. */
#define FS_CANONICAL_BITS 1
#define MIN_AW_BITS	  (VTD_PGT_PAGE_SHIFT + 1)
#define FS_MIN_LEVELS	  4

/* Leaf levels: 2 MiB leaves live in level-2 tables, 1 GiB leaves in level-3 tables. */
#define LEVEL_4K 1
#define LEVEL_2M 2
#define LEVEL_1G 3

/*
 * A gather's pending list: the next page's frame number (40 bits) is spread over bits 58:52 of
 * entries 0-5 of a freed table, 7 bits each. Those bits are ignored in every first-stage (9.7)
 * and second-stage (9.8, ignored 61:52) entry, present or not, so linking changes no
 * translation while hardware may still walk the table.
 */
#define LINK_SHIFT   52
#define LINK_BITS    7
#define LINK_FIELD   (((1ull << LINK_BITS) - 1) << LINK_SHIFT)
#define LINK_ENTRIES 6
_Static_assert(LINK_ENTRIES *LINK_BITS >= VTD_PGT_OA_BITS - VTD_PGT_PAGE_SHIFT,
	       "the link holds a frame number");

/* Splitting one edge can take a 1 GiB leaf to 2 MiB and a 2 MiB leaf to 4 KiB; two edges. */
#define MAX_SPLITS 4

#define PROT_SS_ONLY (VTD_PGT_SNP | VTD_PGT_IPAT | VTD_PGT_EMT_MASK)
#define PROT_FS_ONLY (VTD_PGT_PWT | VTD_PGT_PCD)
#define PROT_ALL     (VTD_PGT_R | VTD_PGT_W | VTD_PGT_X | PROT_SS_ONLY | PROT_FS_ONLY)
#define FEATURES_ALL \
	(VTD_PGT_F_2M | VTD_PGT_F_1G | VTD_PGT_F_EXEC | VTD_PGT_F_FS5LP | VTD_PGT_F_SSADE)
#define COUNT_ONE (1ull << VTD_PGT_COUNT_SHIFT)
_Static_assert((VTD_PGT_COUNT_MASK >> VTD_PGT_COUNT_SHIFT) >= VTD_PGT_ENTRIES,
	       "the count field holds 512");

static inline unsigned int level_shift(unsigned int level)
{
	return VTD_PGT_PAGE_SHIFT + VTD_PGT_INDEX_BITS * (level - 1);
}

static inline uint64_t level_size(unsigned int level)
{
	return 1ull << level_shift(level);
}

static inline unsigned int level_index(uint64_t iova, unsigned int level)
{
	return (unsigned int)(iova >> level_shift(level)) & INDEX_MASK;
}

static inline uint64_t *table_at(const struct vtd_pgt *p, uint64_t pa)
{
	return p->ops.table(p->ops.ctx, pa);
}

static inline void pte_store(uint64_t *e, uint64_t v)
{
	WRITE_ONCE_RELEASE(*e, v);
}

static inline bool pte_present(const struct vtd_pgt *p, uint64_t e)
{
	return e & p->present;
}

static inline bool pte_is_leaf(const struct vtd_pgt *p, uint64_t e, unsigned int level)
{
	return level == LEVEL_4K || ((p->leaf_mask & (1u << level)) && (e & p->ps));
}

static inline unsigned int pte_count(uint64_t e)
{
	return (unsigned int)((e & VTD_PGT_COUNT_MASK) >> VTD_PGT_COUNT_SHIFT);
}

/*
 * Add @delta to the count in the non-leaf entry @pe (a hardware-visible entry: only ignored
 * bits change). With SSADE the unit may set A in the same word meanwhile, so the update is a
 * locked read-modify-write; otherwise nothing else writes the entry (first-stage non-leaf
 * entries are created with A set, so the unit has nothing to update in them).
 */
static void count_add(const struct vtd_pgt *p, uint64_t *pe, int delta)
{
	uint64_t d = (uint64_t)(int64_t)delta << VTD_PGT_COUNT_SHIFT;

	if (p->features & VTD_PGT_F_SSADE)
		__atomic_fetch_add(pe, d, __ATOMIC_RELAXED);
	else
		pte_store(pe, *pe + d);
}

static void sync_entries(const struct vtd_pgt *p, uint64_t table_pa, unsigned int first,
			 unsigned int end)
{
	if (p->ops.sync && end > first)
		p->ops.sync(p->ops.ctx, table_pa + first * sizeof(uint64_t),
			    (uint64_t)(end - first) * sizeof(uint64_t));
}

/* ---- gathers ---- */

/* The gather helpers accept NULL: a caller without a gather owes the hardware nothing. */
static void gather_add(struct vtd_pgt_gather *g, uint64_t start, uint64_t end)
{
	if (!g)
		return;
	if (g->start == g->end) {
		g->start = start;
		g->end = end;
		return;
	}
	if (start < g->start)
		g->start = start;
	if (end > g->end)
		g->end = end;
}

static void gather_leaf(struct vtd_pgt_gather *g, uint64_t size)
{
	if (g && size > g->max_leaf)
		g->max_leaf = size;
}

static void link_write(const struct vtd_pgt *p, uint64_t pa, uint64_t next)
{
	uint64_t *t = table_at(p, pa);
	uint64_t pfn = next >> VTD_PGT_PAGE_SHIFT;

	for (unsigned int i = 0; i < LINK_ENTRIES; i++) {
		uint64_t bits = (pfn >> (LINK_BITS * i)) << LINK_SHIFT & LINK_FIELD;

		pte_store(&t[i], (t[i] & ~LINK_FIELD) | bits);
	}
}

static uint64_t link_read(const struct vtd_pgt *p, uint64_t pa)
{
	const uint64_t *t = table_at(p, pa);
	uint64_t pfn = 0;

	for (unsigned int i = 0; i < LINK_ENTRIES; i++)
		pfn |= ((t[i] & LINK_FIELD) >> LINK_SHIFT) << (LINK_BITS * i);
	return pfn << VTD_PGT_PAGE_SHIFT;
}

/* A table page was unlinked: keep it for after the invalidation, or free it now without @g. */
static void table_release(struct vtd_pgt *p, struct vtd_pgt_gather *g, uint64_t pa)
{
	p->tables--;
	if (!g) {
		p->ops.free_table(p->ops.ctx, pa);
		return;
	}
	link_write(p, pa, g->freed);
	g->freed = pa;
	g->nr_freed++;
	g->nonleaf = true;
	g->flush = true;
}

void vtd_pgt_gather_init(struct vtd_pgt_gather *g)
{
	*g = (struct vtd_pgt_gather){ 0 };
}

unsigned int vtd_pgt_gather_psi(const struct vtd_pgt_gather *g, uint64_t *addr)
{
	uint64_t diff;
	unsigned int bits;

	if (g->start >= g->end) {
		*addr = 0;
		return 0;
	}
	diff = (g->start ^ (g->end - 1)) >> VTD_PGT_PAGE_SHIFT;
	bits = diff ? 64 - (unsigned int)__builtin_clzll(diff) : 0;
	*addr = g->start & ~((1ull << (bits + VTD_PGT_PAGE_SHIFT)) - 1);
	return bits;
}

void vtd_pgt_gather_release(struct vtd_pgt *p, struct vtd_pgt_gather *g)
{
	uint64_t pa = g->freed;

	for (uint64_t i = 0; i < g->nr_freed; i++) {
		uint64_t next = link_read(p, pa);

		p->ops.free_table(p->ops.ctx, pa);
		pa = next;
	}
	vtd_pgt_gather_init(g);
}

/* ---- configuration ---- */

int vtd_pgt_cfg_from_caps(const struct vtd_caps *caps, enum vtd_pgt_format format,
			  unsigned int aw_bits, struct vtd_pgt_cfg *cfg)
{
	*cfg = (struct vtd_pgt_cfg){ .format = format, .aw_bits = aw_bits };
	if (aw_bits < MIN_AW_BITS || aw_bits > LEVEL_WIDTH(VTD_PGT_MAX_LEVELS))
		return -EINVAL;
	if (format == VTD_PGT_SECOND_STAGE) {
		if (aw_bits > caps->mgaw)
			return -ERANGE;
		/* SAGAW bit n: (n + 2)-level tables (11.4.2; VTD_SAGAW_39 is bit 1). */
		for (unsigned int l = VTD_PGT_MIN_LEVELS; l <= VTD_PGT_MAX_LEVELS; l++)
			if (LEVEL_WIDTH(l) >= aw_bits && (caps->sagaw & (1u << (l - 2)))) {
				cfg->levels = l;
				break;
			}
		if (!cfg->levels)
			return -ERANGE;
		if (caps->sllps & VTD_SLLPS_2M) {
			cfg->features |= VTD_PGT_F_2M;
			if (caps->sllps & VTD_SLLPS_1G)
				cfg->features |= VTD_PGT_F_1G;
		}
		return 0;
	}
	if (format != VTD_PGT_FIRST_STAGE)
		return -EINVAL;
	cfg->features = VTD_PGT_F_2M | (caps->fs1gp ? VTD_PGT_F_1G : 0) |
			(caps->fs5lp ? VTD_PGT_F_FS5LP : 0);
	if (aw_bits <= LEVEL_WIDTH(FS_MIN_LEVELS) - FS_CANONICAL_BITS)
		cfg->levels = FS_MIN_LEVELS;
	else if (caps->fs5lp && aw_bits <= LEVEL_WIDTH(VTD_PGT_MAX_LEVELS) - FS_CANONICAL_BITS)
		cfg->levels = VTD_PGT_MAX_LEVELS;
	else
		return -ERANGE;
	return 0;
}

int vtd_pgt_create(struct vtd_pgt *p, const struct vtd_pgt_cfg *cfg, const struct vtd_pgt_ops *ops)
{
	unsigned int width, levels = cfg->levels;
	uint32_t features = cfg->features;
	int err;

	if (!ops->alloc_table || !ops->free_table || !ops->table || (features & ~FEATURES_ALL))
		return -EINVAL;
	if (cfg->format == VTD_PGT_SECOND_STAGE && (features & VTD_PGT_F_1G) &&
	    !(features & VTD_PGT_F_2M))
		return -EINVAL;
	if (cfg->format == VTD_PGT_FIRST_STAGE && (features & VTD_PGT_F_SSADE))
		return -EINVAL;
	*p = (struct vtd_pgt){ .ops = *ops, .levels = (uint8_t)levels, .format = cfg->format };
	if (cfg->format == VTD_PGT_SECOND_STAGE) {
		if (levels < VTD_PGT_MIN_LEVELS || levels > VTD_PGT_MAX_LEVELS ||
		    (features & VTD_PGT_F_FS5LP))
			return -EINVAL;
		width = LEVEL_WIDTH(levels);
		p->present = VTD_SS_R | VTD_SS_W;
		p->ps = VTD_SS_PS;
		/* Permissions are decided at the leaf: non-leaf entries allow everything. */
		p->nonleaf = VTD_SS_R | VTD_SS_W | ((features & VTD_PGT_F_EXEC) ? VTD_SS_X : 0);
	} else if (cfg->format == VTD_PGT_FIRST_STAGE) {
		if (levels < FS_MIN_LEVELS || levels > VTD_PGT_MAX_LEVELS ||
		    (levels == VTD_PGT_MAX_LEVELS && !(features & VTD_PGT_F_FS5LP)))
			return -EINVAL;
		width = LEVEL_WIDTH(levels) - FS_CANONICAL_BITS;
		features |= VTD_PGT_F_2M; /* 9.7: 2 MiB first-stage pages need no capability */
		p->present = VTD_FS_P;
		p->ps = VTD_FS_PS;
		p->nonleaf = VTD_FS_P | VTD_FS_RW | VTD_FS_US | VTD_FS_A;
	} else {
		return -EINVAL;
	}
	if (cfg->aw_bits && (cfg->aw_bits < MIN_AW_BITS || cfg->aw_bits > width))
		return -EINVAL;
	if (cfg->oa_bits && (cfg->oa_bits <= VTD_PGT_PAGE_SHIFT || cfg->oa_bits > VTD_PGT_OA_BITS))
		return -EINVAL;
	p->aw_bits = (uint8_t)(cfg->aw_bits ? cfg->aw_bits : width);
	p->oa_bits = (uint8_t)(cfg->oa_bits ? cfg->oa_bits : VTD_PGT_OA_BITS);
	p->features = features;
	p->leaf_mask =
		(uint8_t)((1u << LEVEL_4K) | ((features & VTD_PGT_F_2M) ? 1u << LEVEL_2M : 0) |
			  ((features & VTD_PGT_F_1G) ? 1u << LEVEL_1G : 0));
	err = ops->alloc_table(ops->ctx, &p->root);
	if (err)
		return err;
	p->root_table = ops->table(ops->ctx, p->root);
	p->tables = 1;
	return 0;
}

static void destroy_level(struct vtd_pgt *p, uint64_t table_pa, unsigned int level)
{
	const uint64_t *t = table_at(p, table_pa);

	if (level > LEVEL_4K)
		for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
			if (pte_present(p, t[i]) && !pte_is_leaf(p, t[i], level))
				destroy_level(p, t[i] & VTD_PTE_ADDR_MASK, level - 1);
	p->ops.free_table(p->ops.ctx, table_pa);
}

void vtd_pgt_destroy(struct vtd_pgt *p)
{
	if (!p->tables)
		return;
	destroy_level(p, p->root, p->levels);
	p->tables = 0;
	p->root = 0;
	p->root_table = NULL;
}

uint64_t vtd_pgt_tables(const struct vtd_pgt *p)
{
	return p->tables;
}

/* ---- leaf encoding (9.7, 9.8) ---- */

static bool emt_valid(unsigned int emt)
{
	return emt == VTD_EMT_UC || emt == VTD_EMT_WC || emt == VTD_EMT_WT || emt == VTD_EMT_WP ||
	       emt == VTD_EMT_WB;
}

/* The bits of a leaf for @prot, without the address and PS; -EINVAL when @prot is invalid. */
static int leaf_bits(const struct vtd_pgt *p, uint32_t prot, uint64_t *bits)
{
	bool exec = prot & VTD_PGT_X;

	if ((prot & ~PROT_ALL) || !(prot & VTD_PGT_R) || (exec && !(p->features & VTD_PGT_F_EXEC)))
		return -EINVAL;
	if (p->format == VTD_PGT_SECOND_STAGE) {
		unsigned int emt = (prot & VTD_PGT_EMT_MASK) >> VTD_PGT_EMT_SHIFT;

		if ((prot & PROT_FS_ONLY) || !emt_valid(emt))
			return -EINVAL;
		*bits = VTD_SS_R | ((prot & VTD_PGT_W) ? VTD_SS_W : 0) | (exec ? VTD_SS_X : 0) |
			((uint64_t)emt << VTD_SS_EMT_SHIFT) |
			((prot & VTD_PGT_IPAT) ? VTD_SS_IPAT : 0) |
			((prot & VTD_PGT_SNP) ? VTD_SS_SNP : 0);
		return 0;
	}
	if (prot & PROT_SS_ONLY)
		return -EINVAL;
	*bits = VTD_FS_P | VTD_FS_US | VTD_FS_A | ((prot & VTD_PGT_W) ? VTD_FS_RW | VTD_FS_D : 0) |
		((prot & VTD_PGT_PWT) ? VTD_FS_PWT : 0) | ((prot & VTD_PGT_PCD) ? VTD_FS_PCD : 0) |
		((p->features & VTD_PGT_F_EXEC) && !exec ? VTD_FS_XD : 0);
	return 0;
}

/* The VTD_PGT_* permissions and attributes of leaf @e (the inverse of leaf_bits()). */
static uint32_t leaf_prot(const struct vtd_pgt *p, uint64_t e)
{
	if (p->format == VTD_PGT_SECOND_STAGE)
		return ((e & VTD_SS_R) ? VTD_PGT_R : 0) | ((e & VTD_SS_W) ? VTD_PGT_W : 0) |
		       ((e & VTD_SS_X) ? VTD_PGT_X : 0) | ((e & VTD_SS_SNP) ? VTD_PGT_SNP : 0) |
		       ((e & VTD_SS_IPAT) ? VTD_PGT_IPAT : 0) |
		       VTD_PGT_EMT((e & VTD_SS_EMT_MASK) >> VTD_SS_EMT_SHIFT);
	/* P implies read (9.7); XD counts only with execute control (F_EXEC, NXE). */
	return VTD_PGT_R | ((e & VTD_FS_RW) ? VTD_PGT_W : 0) |
	       ((p->features & VTD_PGT_F_EXEC) && !(e & VTD_FS_XD) ? VTD_PGT_X : 0) |
	       ((e & VTD_FS_PWT) ? VTD_PGT_PWT : 0) | ((e & VTD_FS_PCD) ? VTD_PGT_PCD : 0);
}

/* ---- map ---- */

/* A table a map descended into where large leaves are allowed: perhaps complete now. */
struct merge_cand {
	uint64_t *pte;	   /* the entry pointing to the candidate */
	uint64_t *child;   /* the candidate table */
	uint64_t child_pa; /* its address */
	uint64_t table_pa; /* the table holding @pte */
	uint64_t base;	   /* the IOVA @pte covers from */
	unsigned int idx;  /* @pte's index */
};

struct map_op {
	struct vtd_pgt *p;
	struct vtd_pgt_gather *g;
	uint64_t bits;	     /* leaf bits without address and PS */
	uint64_t fail_at;    /* where a failed map stopped: [iova, fail_at) was mapped */
	uint64_t leaf_sizes; /* OR of the leaf sizes written */
	bool new_tables;
	/*
	 * Per level, the first and the last (if another) table descended into where large leaves
	 * are allowed: the only tables a map can complete.
	 */
	struct merge_cand first[VTD_PGT_MAX_LEVELS + 1], last[VTD_PGT_MAX_LEVELS + 1];
};

/*
 * Map [@iova, @iova + @size), inside the region of table @t at @level whose entry is @pe (NULL
 * for the root), in ascending order. On failure sets op->fail_at and unlinks the tables it
 * created that are still empty.
 */
static int map_level(struct map_op *op, uint64_t *pe, uint64_t table_pa, uint64_t *t,
		     unsigned int level, uint64_t iova, uint64_t pa, uint64_t size)
{
	struct vtd_pgt *p = op->p;
	unsigned int shift = level_shift(level);
	uint64_t step = 1ull << shift, present = p->present;
	bool leaf_ok = p->leaf_mask & (1u << level);
	uint64_t bits = op->bits | (level > LEVEL_4K ? p->ps : 0);
	unsigned int idx = level_index(iova, level), first = idx;
	int added = 0, err = 0;

	while (size) {
		uint64_t chunk = step - (iova & (step - 1));
		uint64_t e = t[idx], child_pa;
		uint64_t *child;

		if (chunk > size)
			chunk = size;
		if (level == LEVEL_4K || (leaf_ok && chunk == step && !(pa & (step - 1)))) {
			/* A run of leaves: every entry up to the end of the range or table. */
			unsigned int n = VTD_PGT_ENTRIES - idx, k = 0;

			if (size >> shift < n)
				n = (unsigned int)(size >> shift);
			for (; k < n && !(t[idx + k] & present); k++)
				WRITE_ONCE(t[idx + k], (pa + ((uint64_t)k << shift)) | bits);
			added += (int)k;
			op->leaf_sizes |= step;
			iova += (uint64_t)k << shift;
			pa += (uint64_t)k << shift;
			size -= (uint64_t)k << shift;
			idx += k;
			if (k < n) {
				err = -EEXIST;
				op->fail_at = iova;
				break;
			}
			continue;
		} else {
			if (!pte_present(p, e)) {
				err = p->ops.alloc_table(p->ops.ctx, &child_pa);
				if (err) {
					op->fail_at = iova;
					break;
				}
				p->tables++;
				op->new_tables = true;
				child = table_at(p, child_pa);
				pte_store(&t[idx], child_pa | p->nonleaf);
				added++;
			} else if (chunk == step || pte_is_leaf(p, e, level)) {
				/* A leaf, or a fully covered table (never empty): mapped. */
				err = -EEXIST;
				op->fail_at = iova;
				break;
			} else {
				child_pa = e & VTD_PTE_ADDR_MASK;
				child = table_at(p, child_pa);
			}
			err = map_level(op, &t[idx], child_pa, child, level - 1, iova, pa, chunk);
			if (err) {
				if (!pte_count(t[idx])) {
					/* Created by this map and failed before its first entry. */
					pte_store(&t[idx], 0);
					added--;
					gather_add(op->g, iova, iova + chunk);
					table_release(p, op->g, child_pa);
				}
				idx++;
				break;
			}
			if (leaf_ok) {
				struct merge_cand *c = &op->last[level];

				if (!op->first[level].pte)
					c = &op->first[level];
				c->pte = &t[idx];
				c->child = child;
				c->child_pa = child_pa;
				c->table_pa = table_pa;
				c->base = iova & ~(step - 1);
				c->idx = idx;
			}
		}
		iova += chunk;
		pa += chunk;
		size -= chunk;
		idx++;
	}
	if (pe && added)
		count_add(p, pe, added);
	sync_entries(p, table_pa, first, idx);
	return err;
}

/*
 * If the table under @c (at @level - 1) holds 512 leaves whose addresses are contiguous from
 * one aligned to the entry's region and whose other bits are identical, make the entry at
 * @level one large leaf with those bits and release the table.
 */
static void merge(struct vtd_pgt *p, const struct merge_cand *c, unsigned int level,
		  struct vtd_pgt_gather *g)
{
	const uint64_t *t = c->child;
	uint64_t e0, step = level_size(level - 1), region = level_size(level), addr, attrs;

	if (pte_count(*c->pte) != VTD_PGT_ENTRIES)
		return;
	e0 = t[0];
	addr = e0 & VTD_PTE_ADDR_MASK;
	attrs = e0 & ~VTD_PTE_ADDR_MASK;
	if (!pte_is_leaf(p, e0, level - 1) || (addr & (region - 1)))
		return;
	/* Equality with the expected entry checks presence, leaf size, address and bits. */
	for (unsigned int i = LAST_INDEX; i > 0; i--)
		if (t[i] != ((addr + i * step) | attrs))
			return;
	pte_store(c->pte, addr | attrs | p->ps);
	sync_entries(p, c->table_pa, c->idx, c->idx + 1);
	gather_add(g, c->base, c->base + region);
	gather_leaf(g, region);
	table_release(p, g, c->child_pa);
}

/* ---- unmap ---- */

struct unmap_op {
	struct vtd_pgt *p;
	struct vtd_pgt_gather *g;
	const uint64_t *reserve; /* pages for splits, allocated beforehand */
	unsigned int nr_reserve, used;
	uint64_t unmapped;   /* bytes removed */
	uint64_t lo, hi;     /* the range of leaves removed or split (lo == hi: none) */
	uint64_t leaf_sizes; /* OR of their sizes */
	bool nonleaf;
};

/* Leaves of @leaf bytes covering [@start, @end) were removed or split. */
static void note_leaves(struct unmap_op *op, uint64_t start, uint64_t end, uint64_t leaf)
{
	if (op->lo == op->hi) {
		op->lo = start;
		op->hi = end;
	} else {
		if (start < op->lo)
			op->lo = start;
		if (end > op->hi)
			op->hi = end;
	}
	op->leaf_sizes |= leaf;
}

/* Fill the new table @t with the 512 leaves at @level that together map what leaf @e maps. */
static void split_fill(const struct vtd_pgt *p, uint64_t *t, uint64_t e, unsigned int level)
{
	uint64_t step = level_size(level), addr = e & VTD_PTE_ADDR_MASK;
	uint64_t attrs = e & ~VTD_PTE_ADDR_MASK;

	if (level == LEVEL_4K)
		attrs &= ~p->ps; /* bit 7 of a 4 KiB leaf is ignored (SS) or PAT (FS) */
	for (unsigned int i = 0; i < VTD_PGT_ENTRIES; i++)
		t[i] = (addr + i * step) | attrs;
}

static void unmap_level(struct unmap_op *op, uint64_t *pe, uint64_t table_pa, uint64_t *t,
			unsigned int level, uint64_t iova, uint64_t size)
{
	struct vtd_pgt *p = op->p;
	unsigned int shift = level_shift(level);
	uint64_t step = 1ull << shift, present = p->present;
	unsigned int idx = level_index(iova, level), first = idx;
	int removed = 0;

	while (size) {
		uint64_t chunk = step - (iova & (step - 1));
		uint64_t e = t[idx], base = iova & ~(step - 1), child_pa;
		uint64_t *child;

		if (chunk > size)
			chunk = size;
		if (chunk == step &&
		    (level == LEVEL_4K || !(e & present) || pte_is_leaf(p, e, level))) {
			/* A run of fully covered leaves and holes, up to a table entry. */
			unsigned int n = VTD_PGT_ENTRIES - idx, k, gone = 0, lo = 0, hi = 0;
			uint64_t ps = (p->leaf_mask & (1u << level)) ? p->ps : 0;

			if (size >> shift < n)
				n = (unsigned int)(size >> shift);
			for (k = 0; k < n; k++) {
				uint64_t x = t[idx + k];

				if (!(x & present))
					continue;
				if (level > LEVEL_4K && !(x & ps))
					break;
				WRITE_ONCE(t[idx + k], 0);
				if (!gone++)
					lo = k;
				hi = k;
			}
			if (gone) {
				removed += (int)gone;
				op->unmapped += (uint64_t)gone << shift;
				note_leaves(op, iova + ((uint64_t)lo << shift),
					    iova + ((uint64_t)(hi + 1) << shift), step);
			}
			iova += (uint64_t)k << shift;
			size -= (uint64_t)k << shift;
			idx += k;
			continue;
		}
		/* Not fully covered, or a table. */
		if (!pte_present(p, e)) {
			/* a hole */
		} else if (pte_is_leaf(p, e, level)) {
			/* A partly covered large leaf: split it, then unmap inside. */
			if (op->used == op->nr_reserve)
				break; /* not reached: vtd_pgt_unmap() counted the splits */
			child_pa = op->reserve[op->used++];
			child = table_at(p, child_pa);
			split_fill(p, child, e, level - 1);
			sync_entries(p, child_pa, 0, VTD_PGT_ENTRIES);
			pte_store(&t[idx], child_pa | p->nonleaf | VTD_PGT_ENTRIES * COUNT_ONE);
			p->tables++;
			op->nonleaf = true;
			note_leaves(op, base, base + step, step);
			unmap_level(op, &t[idx], child_pa, child, level - 1, iova, chunk);
		} else {
			child_pa = e & VTD_PTE_ADDR_MASK;
			child = table_at(p, child_pa);
			unmap_level(op, &t[idx], child_pa, child, level - 1, iova, chunk);
			if (!pte_count(t[idx])) {
				pte_store(&t[idx], 0);
				removed++;
				op->nonleaf = true;
				table_release(p, op->g, child_pa);
			}
		}
		iova += chunk;
		size -= chunk;
		idx++;
	}
	if (pe && removed)
		count_add(p, pe, -removed);
	sync_entries(p, table_pa, first, idx);
}

/* Unmap with the split pages @reserve; account the changes in @g. Returns bytes removed. */
static uint64_t unmap_range(struct vtd_pgt *p, uint64_t iova, uint64_t size,
			    struct vtd_pgt_gather *g, const uint64_t *reserve,
			    unsigned int nr_reserve)
{
	struct unmap_op op = { .p = p, .g = g, .reserve = reserve, .nr_reserve = nr_reserve };

	unmap_level(&op, NULL, p->root, p->root_table, p->levels, iova, size);
	/* Not reached either: every page reserved was used. */
	while (op.used < nr_reserve)
		p->ops.free_table(p->ops.ctx, reserve[op.used++]);
	if (op.lo != op.hi && g) {
		gather_add(g, op.lo, op.hi);
		gather_leaf(g, 1ull << (63 - __builtin_clzll(op.leaf_sizes)));
		g->flush = true;
		g->nonleaf |= op.nonleaf;
	}
	return op.unmapped;
}

struct split {
	unsigned int level;
	uint64_t base;
};

/*
 * Add to @out (holding @n) the large leaves an unmap of [@start, @end) splits on the way to
 * @addr: the leaf mapping @addr if it sticks out of the range, then the leaf of the next size
 * mapping @addr inside it if that one sticks out, and so on. Returns the new count.
 */
static unsigned int edge_splits(const struct vtd_pgt *p, uint64_t addr, uint64_t start,
				uint64_t end, struct split *out, unsigned int n)
{
	const uint64_t *t = p->root_table;

	for (unsigned int level = p->levels; level > LEVEL_4K; level--) {
		uint64_t e = t[level_index(addr, level)];

		if (!pte_present(p, e))
			return n;
		if (!pte_is_leaf(p, e, level)) {
			t = table_at(p, e & VTD_PTE_ADDR_MASK);
			continue;
		}
		for (unsigned int l = level; l > LEVEL_4K; l--) {
			uint64_t base = addr & ~(level_size(l) - 1);
			bool seen = false;

			if (base >= start && base + level_size(l) <= end)
				break;
			for (unsigned int i = 0; i < n; i++)
				seen |= out[i].level == l && out[i].base == base;
			if (!seen)
				out[n++] = (struct split){ l, base };
		}
		return n;
	}
	return n;
}

int64_t vtd_pgt_unmap(struct vtd_pgt *p, uint64_t iova, uint64_t size, struct vtd_pgt_gather *g)
{
	uint64_t end = iova + size, reserve[MAX_SPLITS], unmapped, big;
	struct split splits[MAX_SPLITS];
	unsigned int n = 0;
	bool start_walk;

	if (((iova | size) & (VTD_PGT_PAGE_SIZE - 1)) || !size)
		return -EINVAL;
	if (end < iova || end > (1ull << p->aw_bits))
		return -ERANGE;
	/*
	 * Count the splits. A leaf sticking out at one edge holds that edge: none can when the
	 * edge is aligned to the largest leaf size, and a leaf holding both edges is found from
	 * either one.
	 */
	big = level_size(31 - (unsigned int)__builtin_clz(p->leaf_mask));
	start_walk = iova & (big - 1);
	if (start_walk)
		n = edge_splits(p, iova, iova, end, splits, n);
	if ((end & (big - 1)) && !(start_walk && end - VTD_PGT_PAGE_SIZE == iova))
		n = edge_splits(p, end - VTD_PGT_PAGE_SIZE, iova, end, splits, n);
	for (unsigned int i = 0; i < n; i++) {
		int err = p->ops.alloc_table(p->ops.ctx, &reserve[i]);

		if (err) {
			/* Never linked: no hardware saw them, free at once. */
			while (i--)
				p->ops.free_table(p->ops.ctx, reserve[i]);
			return err;
		}
	}
	unmapped = unmap_range(p, iova, size, g, reserve, n);
	return unmapped ? (int64_t)unmapped : -ENOENT;
}

/* ---- map entry point (rolls back through unmap_range) ---- */

int vtd_pgt_map(struct vtd_pgt *p, uint64_t iova, uint64_t pa, uint64_t size, uint32_t prot,
		struct vtd_pgt_gather *g)
{
	struct map_op op;
	uint64_t end = iova + size;
	int err;

	if (((iova | pa | size) & (VTD_PGT_PAGE_SIZE - 1)) || !size)
		return -EINVAL;
	op.p = p;
	op.g = g;
	err = leaf_bits(p, prot, &op.bits);
	if (err)
		return err;
	if (end < iova || end > (1ull << p->aw_bits) || pa + size < pa ||
	    pa + size > (1ull << p->oa_bits))
		return -ERANGE;
	op.fail_at = iova;
	op.leaf_sizes = 0;
	op.new_tables = false;
	for (unsigned int l = LEVEL_2M; l <= p->levels; l++)
		op.first[l].pte = op.last[l].pte = NULL;
	err = map_level(&op, NULL, p->root, p->root_table, p->levels, iova, pa, size);
	if (err) {
		/*
		 * [iova, fail_at) was free before (else the map had stopped earlier) and is ours:
		 * removing it removes no other leaf, splits nothing, and frees exactly the tables
		 * this map created. Hardware may have used what was briefly there: flush.
		 */
		if (op.fail_at > iova)
			unmap_range(p, iova, op.fail_at - iova, g, NULL, 0);
		if (g && (op.fail_at > iova || op.new_tables)) {
			g->flush = true;
			g->nonleaf |= op.new_tables;
		}
		return err;
	}
	if (g) {
		gather_add(g, iova, end);
		gather_leaf(g, 1ull << (63 - __builtin_clzll(op.leaf_sizes)));
		g->nonleaf |= op.new_tables;
	}
	/*
	 * Bottom-up, so a 2 MiB merge can complete a 1 GiB region. Not with SSADE: until the
	 * flush, DMA through stale caches may still set D in the merged-away table, and that
	 * dirty state would be lost.
	 */
	for (unsigned int l = LEVEL_2M; l <= p->levels && !(p->features & VTD_PGT_F_SSADE); l++) {
		if (op.first[l].pte)
			merge(p, &op.first[l], l, g);
		if (op.last[l].pte)
			merge(p, &op.last[l], l, g);
	}
	return 0;
}

/* ---- translate ---- */

int vtd_pgt_translate(const struct vtd_pgt *p, uint64_t iova, struct vtd_pgt_xlate *out)
{
	const uint64_t *t;

	if (iova >> p->aw_bits)
		return -ENOENT;
	t = p->root_table;
	for (unsigned int level = p->levels; level >= LEVEL_4K; level--) {
		uint64_t e = t[level_index(iova, level)];
		uint64_t size = level_size(level);

		if (!pte_present(p, e))
			return -ENOENT;
		if (pte_is_leaf(p, e, level)) {
			out->pa = (e & VTD_PTE_ADDR_MASK & ~(size - 1)) | (iova & (size - 1));
			out->size = size;
			out->entry = e;
			out->prot = leaf_prot(p, e);
			out->level = level;
			return 0;
		}
		t = table_at(p, e & VTD_PTE_ADDR_MASK);
	}
	return -ENOENT;
}
