/* SPDX-License-Identifier: MIT */
/*
 * The page-table engine's code (the contract is in kernel/mm/pgtable.h), written once and
 * compiled once per instance. kernel/mm/pgtable.c instantiates it with the format read from
 * each table (struct pgt.fmt): the generic pgt_*() functions every user may call. A user whose
 * speed matters instantiates it again with its format as a compile-time constant, so that the
 * compiler folds the geometry, masks and optional features into the code (iommu/vtd/
 * vtd_pgtable.c, one instance per VT-d format). Before each inclusion define:
 *
 *	PGT_FMT(t)   the const struct pgt_format * of table @t (a constant, or (t)->fmt)
 *	PGT_FN(name) the name of the instance's function @name (e.g. ss_##name)
 *
 * The inclusion defines static functions PGT_FN(alloc_root), PGT_FN(destroy), PGT_FN(map),
 * PGT_FN(unmap), PGT_FN(lookup) and PGT_FN(free_chain) with the signatures and contracts of
 * pgt_alloc_root() ... pgt_free_chain(), and undefines both macros.
 *
 * Internal rules besides the contract's:
 *  - with a count field, a table entry counts the present entries of its table, so emptiness
 *    and completeness are known without scanning; without one they are found by scanning;
 *  - a map works upwards in address order and notes the only tables it can complete (the first
 *    and last one it descended into at each level) for merging afterwards;
 *  - an unmap counts and allocates the tables its splits need before it changes anything.
 */
#include <errno.h>
#include <stddef.h>

#include "kernel/bits.h"
#include "kernel/mm/pgtable.h"

#if !defined(PGT_FMT) || !defined(PGT_FN)
#error "define PGT_FMT(t) and PGT_FN(name) before including kernel/mm/pgtable_engine.h"
#endif

/* ---- what every instance shares (once per translation unit) ---- */
#ifndef SKIFF_KERNEL_MM_PGTABLE_ENGINE_SHARED
#define SKIFF_KERNEL_MM_PGTABLE_ENGINE_SHARED

/* Each of the two edges of an unmap splits at most one block per level above level 1. */
#define PGT_MAX_SPLITS (2 * (PGT_MAX_LEVELS - 1))

static inline uint64_t *pgt_table_at(const struct pgt *t, uint64_t pa)
{
	return t->ops->table(t->ops->ctx, pa);
}

/* A store that makes what was written before it reachable (a table's contents). */
static inline void pgt_publish(uint64_t *e, uint64_t v)
{
	WRITE_ONCE_RELEASE(*e, v);
}

static inline uint64_t pgt_top_size(uint64_t sizes)
{
	return 1ull << (63 - __builtin_clzll(sizes));
}

static inline void pgt_sync(const struct pgt *t, uint64_t table_pa, unsigned int first,
			    unsigned int end)
{
	if (t->ops->sync && end > first)
		t->ops->sync(t->ops->ctx, table_pa + first * sizeof(uint64_t),
			     (uint64_t)(end - first) * sizeof(uint64_t));
}

static inline uint64_t pgt_leaf_type(const struct pgt_format *f, unsigned int level)
{
	return level > PGT_LEVEL_PAGE ? f->block : f->page;
}

static inline unsigned int pgt_count_of(const struct pgt_format *f, uint64_t e)
{
	return (unsigned int)((e & f->count_mask) >> __builtin_ctzll(f->count_mask));
}

/* How many first entries of a chained table hold the next table's frame number. */
static inline unsigned int pgt_link_entries(const struct pgt_format *f)
{
	unsigned int width = (unsigned int)__builtin_popcountll(f->link_mask);
	unsigned int frame_bits = 64 - (unsigned int)__builtin_clzll(f->addr_mask) - f->page_shift;

	return (frame_bits + width - 1) / width;
}

/* Whether the table @tab, which the entry @pe points to, has no present entry. */
static inline bool pgt_table_empty(const struct pgt_format *f, uint64_t pe, const uint64_t *tab)
{
	if (f->count_mask)
		return !pgt_count_of(f, pe);
	for (unsigned int i = 0; i < pgt_entries(f); i++)
		if (tab[i] & f->present)
			return false;
	return true;
}

/* Fill the new table @tab with the leaves at @level that together map what block @e maps. */
static inline void pgt_split_fill(const struct pgt_format *f, uint64_t *tab, uint64_t e,
				  unsigned int level)
{
	uint64_t step = pgt_level_size(f, level), addr = e & f->addr_mask;
	uint64_t attrs =
		(e & ~f->addr_mask & ~f->type_mask & f->split_keep) | pgt_leaf_type(f, level);

	for (unsigned int i = 0; i < pgt_entries(f); i++)
		tab[i] = (addr + i * step) | attrs;
}

/* The gather helpers accept NULL: a caller without a gather owes the walker nothing. */
static inline void pgt_gather_add(struct pgt_gather *g, uint64_t start, uint64_t end)
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

static inline void pgt_gather_leaf(struct pgt_gather *g, uint64_t size)
{
	if (g && size > g->max_leaf)
		g->max_leaf = size;
}

struct pgt_unmap_op {
	struct pgt *t;
	struct pgt_gather *g;
	const uint64_t *reserve; /* tables for splits, allocated beforehand */
	unsigned int nr_reserve, used;
	uint64_t unmapped;   /* bytes removed */
	uint64_t lo, hi;     /* the range of leaves removed or split (lo == hi: none) */
	uint64_t leaf_sizes; /* OR of their sizes */
	bool nonleaf;
};

/* Leaves of @leaf bytes covering [@start, @end) were removed or split. */
static inline void pgt_note_leaves(struct pgt_unmap_op *op, uint64_t start, uint64_t end,
				   uint64_t leaf)
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

/* A block an unmap splits: its level and the address it maps from. */
struct pgt_split {
	unsigned int level;
	uint64_t base;
};

/* A table a map descended into where blocks are allowed: perhaps complete now. */
struct pgt_merge_cand {
	uint64_t *pte;	   /* the entry pointing to the candidate */
	uint64_t *child;   /* the candidate table */
	uint64_t child_pa; /* its address */
	uint64_t table_pa; /* the table holding @pte */
	uint64_t base;	   /* the address @pte covers from */
	unsigned int idx;  /* @pte's index */
};

struct pgt_map_op {
	struct pgt *t;
	struct pgt_gather *g;
	uint64_t attrs;	     /* leaf bits without address and type */
	uint64_t fail_at;    /* where a failed map stopped: [va, fail_at) was mapped */
	uint64_t leaf_sizes; /* OR of the leaf sizes written */
	bool new_tables;
	bool merge;   /* PGT_MERGE */
	bool shrinks; /* ops->free_table: tables other than the root are never empty */
	/*
	 * Per level, the first and the last (if another) table descended into where blocks are
	 * allowed: the only tables a map can complete.
	 */
	struct pgt_merge_cand first[PGT_MAX_LEVELS + 1], last[PGT_MAX_LEVELS + 1];
};

#endif /* SKIFF_KERNEL_MM_PGTABLE_ENGINE_SHARED */

/* ---- the instance ---- */

static inline bool PGT_FN(is_leaf)(const struct pgt *t, uint64_t e, unsigned int level)
{
	return pgt_is_leaf(PGT_FMT(t), t->leaf_mask, e, level);
}

/*
 * Add @delta to the count in the table entry @pe (only ignored bits change). When the walker
 * may write the same word (A/D, PGT_HW_WRITES) the update is a locked read-modify-write.
 */
static inline void PGT_FN(count_add)(const struct pgt *t, uint64_t *pe, int delta)
{
	const struct pgt_format *f = PGT_FMT(t);
	uint64_t d;

	if (!f->count_mask)
		return;
	d = (uint64_t)(int64_t)delta << __builtin_ctzll(f->count_mask);
	if (t->flags & PGT_HW_WRITES)
		__atomic_fetch_add(pe, d, __ATOMIC_RELAXED);
	else
		pgt_publish(pe, *pe + d);
}

static void PGT_FN(link_write)(const struct pgt *t, uint64_t pa, uint64_t next)
{
	const struct pgt_format *f = PGT_FMT(t);
	unsigned int width = (unsigned int)__builtin_popcountll(f->link_mask);
	unsigned int shift = (unsigned int)__builtin_ctzll(f->link_mask);
	uint64_t *tab = pgt_table_at(t, pa), frame = next >> f->page_shift;

	for (unsigned int i = 0, n = pgt_link_entries(f); i < n; i++) {
		uint64_t bits = (frame >> (width * i)) << shift & f->link_mask;

		pgt_publish(&tab[i], (tab[i] & ~f->link_mask) | bits);
	}
}

static uint64_t PGT_FN(link_read)(const struct pgt *t, uint64_t pa)
{
	const struct pgt_format *f = PGT_FMT(t);
	unsigned int width = (unsigned int)__builtin_popcountll(f->link_mask);
	unsigned int shift = (unsigned int)__builtin_ctzll(f->link_mask);
	const uint64_t *tab = pgt_table_at(t, pa);
	uint64_t frame = 0;

	for (unsigned int i = 0, n = pgt_link_entries(f); i < n; i++)
		frame |= ((tab[i] & f->link_mask) >> shift) << (width * i);
	return frame << f->page_shift;
}

/* A table was unlinked: chain it for after the invalidation, or free it now without @g. */
static void PGT_FN(table_release)(struct pgt *t, struct pgt_gather *g, uint64_t pa)
{
	t->tables--;
	if (!g) {
		t->ops->free_table(t->ops->ctx, pa);
		return;
	}
	PGT_FN(link_write)(t, pa, g->freed);
	g->freed = pa;
	g->nr_freed++;
	g->nonleaf = true;
	g->flush = true;
}

static inline void PGT_FN(free_chain)(const struct pgt *t, uint64_t head, uint64_t n)
{
	uint64_t pa = head;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t next = PGT_FN(link_read)(t, pa);

		t->ops->free_table(t->ops->ctx, pa);
		pa = next;
	}
}

/* ---- root and teardown ---- */

static inline int PGT_FN(alloc_root)(struct pgt *t)
{
	int err = t->ops->alloc_table(t->ops->ctx, &t->root);

	if (err)
		return err;
	t->root_table = pgt_table_at(t, t->root);
	t->tables = 1;
	return 0;
}

static void PGT_FN(destroy_level)(struct pgt *t, uint64_t table_pa, unsigned int level)
{
	const struct pgt_format *f = PGT_FMT(t);
	const uint64_t *tab = pgt_table_at(t, table_pa);

	if (level > PGT_LEVEL_PAGE)
		for (unsigned int i = 0; i < pgt_entries(f); i++)
			if (pgt_present(f, tab[i]) && !PGT_FN(is_leaf)(t, tab[i], level))
				PGT_FN(destroy_level)(t, tab[i] & f->addr_mask, level - 1);
	t->ops->free_table(t->ops->ctx, table_pa);
}

static inline void PGT_FN(destroy)(struct pgt *t)
{
	if (!t->tables)
		return;
	PGT_FN(destroy_level)(t, t->root, t->levels);
	t->tables = 0;
	t->root = 0;
	t->root_table = NULL;
}

/* ---- unmap ---- */

static void PGT_FN(unmap_level)(struct pgt_unmap_op *op, uint64_t *pe, uint64_t table_pa,
				uint64_t *tab, unsigned int level, uint64_t va, uint64_t size)
{
	struct pgt *t = op->t;
	const struct pgt_format *f = PGT_FMT(t);
	unsigned int shift = pgt_level_shift(f, level), entries = pgt_entries(f);
	uint64_t step = 1ull << shift, present = f->present;
	unsigned int idx = pgt_index(f, va, level), first = idx;
	int removed = 0;

	while (size) {
		uint64_t chunk = step - (va & (step - 1));
		uint64_t e = tab[idx], base = va & ~(step - 1), child_pa;
		uint64_t *child;

		if (chunk > size)
			chunk = size;
		if (chunk == step &&
		    (level == PGT_LEVEL_PAGE || !(e & present) || PGT_FN(is_leaf)(t, e, level))) {
			/*
			 * A run of fully covered leaves and holes, up to a table entry: a present
			 * entry is a leaf when (x & type) == leaf (at level 1 always).
			 */
			unsigned int n = entries - idx, k, gone = 0, lo = 0, hi = 0;
			uint64_t type = 0, leaf = 0, *run = &tab[idx];

			if (level > PGT_LEVEL_PAGE) {
				type = f->type_mask;
				/* ~0: no value of the type bits is a leaf at this level. */
				leaf = (t->leaf_mask & (1u << level)) ? f->block : ~0ull;
			}

			if (size >> shift < n)
				n = (unsigned int)(size >> shift);
			for (k = 0; k < n; k++) {
				uint64_t x = run[k];

				if (!(x & present))
					continue;
				if ((x & type) != leaf)
					break;
				WRITE_ONCE(run[k], 0);
				lo = gone ? lo : k;
				hi = k;
				gone++;
			}
			if (gone) {
				removed += (int)gone;
				op->unmapped += (uint64_t)gone << shift;
				pgt_note_leaves(op, va + ((uint64_t)lo << shift),
						va + ((uint64_t)(hi + 1) << shift), step);
			}
			va += (uint64_t)k << shift;
			size -= (uint64_t)k << shift;
			idx += k;
			continue;
		}
		/* Not fully covered, or a table. */
		if (!(e & present)) {
			/* a hole */
		} else if (PGT_FN(is_leaf)(t, e, level)) {
			/* A partly covered block: split it, then unmap inside. */
			uint64_t full = f->count_mask ? (uint64_t)entries
								<< __builtin_ctzll(f->count_mask) :
							0;

			if (op->used == op->nr_reserve)
				break; /* not reached: the unmap counted the splits */
			child_pa = op->reserve[op->used++];
			child = pgt_table_at(t, child_pa);
			pgt_split_fill(f, child, e, level - 1);
			pgt_sync(t, child_pa, 0, entries);
			pgt_publish(&tab[idx], child_pa | t->table_bits | full);
			t->tables++;
			op->nonleaf = true;
			pgt_note_leaves(op, base, base + step, step);
			PGT_FN(unmap_level)(op, &tab[idx], child_pa, child, level - 1, va, chunk);
		} else {
			child_pa = e & f->addr_mask;
			child = pgt_table_at(t, child_pa);
			PGT_FN(unmap_level)(op, &tab[idx], child_pa, child, level - 1, va, chunk);
			if (pgt_table_empty(f, tab[idx], child)) {
				pgt_publish(&tab[idx], 0);
				removed++;
				op->nonleaf = true;
				PGT_FN(table_release)(t, op->g, child_pa);
			}
		}
		va += chunk;
		size -= chunk;
		idx++;
	}
	if (pe && removed)
		PGT_FN(count_add)(t, pe, -removed);
	pgt_sync(t, table_pa, first, idx);
}

/* Unmap with the split tables @reserve; account the changes in @g. Returns bytes removed. */
static uint64_t PGT_FN(unmap_range)(struct pgt *t, uint64_t va, uint64_t size, struct pgt_gather *g,
				    const uint64_t *reserve, unsigned int nr_reserve)
{
	struct pgt_unmap_op op = { .t = t, .g = g, .reserve = reserve, .nr_reserve = nr_reserve };

	PGT_FN(unmap_level)(&op, NULL, t->root, t->root_table, t->levels, va, size);
	/* Not reached either: every table reserved was used. */
	while (op.used < nr_reserve)
		t->ops->free_table(t->ops->ctx, reserve[op.used++]);
	if (op.lo != op.hi && g) {
		pgt_gather_add(g, op.lo, op.hi);
		pgt_gather_leaf(g, pgt_top_size(op.leaf_sizes));
		g->flush = true;
		g->nonleaf |= op.nonleaf;
	}
	return op.unmapped;
}

/*
 * Add to @out (holding @n) the blocks an unmap of [@start, @end) splits on the way to @addr:
 * the block mapping @addr if it sticks out of the range, then the leaf of the next size mapping
 * @addr inside it if that one sticks out, and so on. Returns the new count.
 */
static unsigned int PGT_FN(edge_splits)(const struct pgt *t, uint64_t addr, uint64_t start,
					uint64_t end, struct pgt_split *out, unsigned int n)
{
	const struct pgt_format *f = PGT_FMT(t);
	const uint64_t *tab = t->root_table;

	for (unsigned int level = t->levels; level > PGT_LEVEL_PAGE; level--) {
		uint64_t e = tab[pgt_index(f, addr, level)];

		if (!pgt_present(f, e))
			return n;
		if (!PGT_FN(is_leaf)(t, e, level)) {
			tab = pgt_table_at(t, e & f->addr_mask);
			continue;
		}
		for (unsigned int l = level; l > PGT_LEVEL_PAGE; l--) {
			uint64_t size = pgt_level_size(f, l), base = addr & ~(size - 1);
			bool seen = false;

			if (base >= start && base + size <= end)
				break;
			for (unsigned int i = 0; i < n; i++)
				seen |= out[i].level == l && out[i].base == base;
			if (!seen)
				out[n++] = (struct pgt_split){ l, base };
		}
		return n;
	}
	return n;
}

static inline int64_t PGT_FN(unmap)(struct pgt *t, uint64_t va, uint64_t size, struct pgt_gather *g)
{
	const struct pgt_format *f = PGT_FMT(t);
	uint64_t end = va + size, page = 1ull << f->page_shift, reserve[PGT_MAX_SPLITS], unmapped;
	uint64_t big = pgt_level_size(f, 31 - (unsigned int)__builtin_clz(t->leaf_mask));
	struct pgt_split splits[PGT_MAX_SPLITS];
	unsigned int n = 0;
	bool start_walk = va & (big - 1);

	/*
	 * Count the splits. A leaf sticking out at one edge holds that edge: none can when the
	 * edge is aligned to the largest leaf size, and a leaf holding both edges is found from
	 * either one.
	 */
	if (start_walk)
		n = PGT_FN(edge_splits)(t, va, va, end, splits, n);
	if ((end & (big - 1)) && !(start_walk && end - page == va))
		n = PGT_FN(edge_splits)(t, end - page, va, end, splits, n);
	if (n && !(t->flags & PGT_SPLIT))
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		int err = t->ops->alloc_table(t->ops->ctx, &reserve[i]);

		if (err) {
			/* Never linked: no walker saw them, free at once. */
			while (i--)
				t->ops->free_table(t->ops->ctx, reserve[i]);
			return err;
		}
	}
	unmapped = PGT_FN(unmap_range)(t, va, size, g, reserve, n);
	return unmapped ? (int64_t)unmapped : -ENOENT;
}

/* ---- map ---- */

/*
 * Map [@va, @va + @size), inside the region of table @tab at @level whose entry is @pe (NULL
 * for the root), in ascending order. On failure sets op->fail_at and, in a table that shrinks,
 * unlinks the tables it created that are still empty.
 */
static int PGT_FN(map_level)(struct pgt_map_op *op, uint64_t *pe, uint64_t table_pa, uint64_t *tab,
			     unsigned int level, uint64_t va, uint64_t pa, uint64_t size)
{
	struct pgt *t = op->t;
	const struct pgt_format *f = PGT_FMT(t);
	unsigned int shift = pgt_level_shift(f, level), entries = pgt_entries(f);
	uint64_t step = 1ull << shift, present = f->present;
	bool leaf_ok = t->leaf_mask & (1u << level);
	uint64_t bits = op->attrs | pgt_leaf_type(f, level);
	unsigned int idx = pgt_index(f, va, level), first = idx;
	int added = 0, err = 0;

	while (size) {
		uint64_t chunk = step - (va & (step - 1));
		uint64_t e = tab[idx], child_pa;
		uint64_t *child;

		if (chunk > size)
			chunk = size;
		if (level == PGT_LEVEL_PAGE || (leaf_ok && chunk == step && !(pa & (step - 1)))) {
			/*
			 * A run of leaves: every entry up to the end of the range or table. The
			 * addresses stay inside the address field, so stepping the entry steps
			 * its address.
			 */
			unsigned int n = entries - idx, k = 0;
			uint64_t leaf = pa | bits, *run = &tab[idx];

			if (size >> shift < n)
				n = (unsigned int)(size >> shift);
			for (; k < n && !(run[k] & present); k++, leaf += step)
				WRITE_ONCE(run[k], leaf);
			added += (int)k;
			op->leaf_sizes |= step;
			va += (uint64_t)k << shift;
			pa += (uint64_t)k << shift;
			size -= (uint64_t)k << shift;
			idx += k;
			if (k < n) {
				err = -EEXIST;
				op->fail_at = va;
				break;
			}
			continue;
		}
		if (!(e & present)) {
			err = t->ops->alloc_table(t->ops->ctx, &child_pa);
			if (err) {
				op->fail_at = va;
				break;
			}
			t->tables++;
			op->new_tables = true;
			child = pgt_table_at(t, child_pa);
			pgt_publish(&tab[idx], child_pa | t->table_bits);
			added++;
		} else if (PGT_FN(is_leaf)(t, e, level) || (chunk == step && op->shrinks)) {
			/* A leaf, or a fully covered table (never empty where tables shrink). */
			err = -EEXIST;
			op->fail_at = va;
			break;
		} else {
			child_pa = e & f->addr_mask;
			child = pgt_table_at(t, child_pa);
		}
		err = PGT_FN(map_level)(op, &tab[idx], child_pa, child, level - 1, va, pa, chunk);
		if (err) {
			if (op->shrinks && pgt_table_empty(f, tab[idx], child)) {
				/* Created by this map and failed before its first entry. */
				pgt_publish(&tab[idx], 0);
				added--;
				pgt_gather_add(op->g, va, va + chunk);
				PGT_FN(table_release)(t, op->g, child_pa);
			}
			idx++;
			break;
		}
		if (op->merge && leaf_ok) {
			struct pgt_merge_cand *m =
				op->first[level].pte ? &op->last[level] : &op->first[level];

			m->pte = &tab[idx];
			m->child = child;
			m->child_pa = child_pa;
			m->table_pa = table_pa;
			m->base = va & ~(step - 1);
			m->idx = idx;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
		idx++;
	}
	if (pe && added)
		PGT_FN(count_add)(t, pe, added);
	pgt_sync(t, table_pa, first, idx);
	return err;
}

/*
 * If the table under @m (at @level - 1) holds leaves whose addresses are contiguous from one
 * aligned to the entry's region and whose other bits are identical, make the entry at @level
 * one block with those bits and release the table.
 */
static inline void PGT_FN(merge)(struct pgt *t, const struct pgt_merge_cand *m, unsigned int level,
				 struct pgt_gather *g)
{
	const struct pgt_format *f = PGT_FMT(t);
	const uint64_t *tab = m->child;
	uint64_t e0, step = pgt_level_size(f, level - 1), region = pgt_level_size(f, level);
	uint64_t addr, attrs;

	if (f->count_mask && pgt_count_of(f, *m->pte) != pgt_entries(f))
		return;
	e0 = tab[0];
	addr = e0 & f->addr_mask;
	attrs = e0 & ~f->addr_mask;
	if (!pgt_present(f, e0) || !PGT_FN(is_leaf)(t, e0, level - 1) || (addr & (region - 1)))
		return;
	/* Equality with the expected entry checks presence, leaf size, address and bits. */
	for (unsigned int i = pgt_entries(f) - 1; i > 0; i--)
		if (tab[i] != ((addr + i * step) | attrs))
			return;
	pgt_publish(m->pte, addr | (attrs & ~f->type_mask) | f->block);
	pgt_sync(t, m->table_pa, m->idx, m->idx + 1);
	pgt_gather_add(g, m->base, m->base + region);
	pgt_gather_leaf(g, region);
	PGT_FN(table_release)(t, g, m->child_pa);
}

static inline int PGT_FN(map)(struct pgt *t, uint64_t va, uint64_t pa, uint64_t size,
			      uint64_t attrs, struct pgt_gather *g)
{
	struct pgt_map_op op;
	int err;

	op.t = t;
	op.g = g;
	op.attrs = attrs;
	op.fail_at = va;
	op.leaf_sizes = 0;
	op.new_tables = false;
	op.merge = t->flags & PGT_MERGE;
	op.shrinks = t->ops->free_table;
	if (op.merge)
		for (unsigned int l = PGT_LEVEL_PAGE + 1; l <= t->levels; l++)
			op.first[l].pte = op.last[l].pte = NULL;
	err = PGT_FN(map_level)(&op, NULL, t->root, t->root_table, t->levels, va, pa, size);
	if (err) {
		if (!op.shrinks)
			return err;
		/*
		 * [va, fail_at) was free before (else the map had stopped earlier) and is ours:
		 * removing it removes no other leaf, splits nothing, and frees exactly the tables
		 * this map created. The walker may have used what was briefly there: flush.
		 */
		if (op.fail_at > va)
			PGT_FN(unmap_range)(t, va, op.fail_at - va, g, NULL, 0);
		if (g && (op.fail_at > va || op.new_tables)) {
			g->flush = true;
			g->nonleaf |= op.new_tables;
		}
		return err;
	}
	if (g) {
		pgt_gather_add(g, va, va + size);
		pgt_gather_leaf(g, pgt_top_size(op.leaf_sizes));
		g->nonleaf |= op.new_tables;
	}
	/* Bottom-up, so a merge at one level can complete the region of the next. */
	if (op.merge)
		for (unsigned int l = PGT_LEVEL_PAGE + 1; l <= t->levels; l++) {
			if (op.first[l].pte)
				PGT_FN(merge)(t, &op.first[l], l, g);
			if (op.last[l].pte)
				PGT_FN(merge)(t, &op.last[l], l, g);
		}
	return 0;
}

/* ---- lookup ---- */

static inline int PGT_FN(lookup)(const struct pgt *t, uint64_t va, struct pgt_leaf *out)
{
	const struct pgt_format *f = PGT_FMT(t);
	const uint64_t *tab = t->root_table;

	for (unsigned int level = t->levels; level >= PGT_LEVEL_PAGE; level--) {
		uint64_t e = tab[pgt_index(f, va, level)];

		if (!pgt_present(f, e))
			return -ENOENT;
		if (PGT_FN(is_leaf)(t, e, level)) {
			uint64_t size = pgt_level_size(f, level);

			*out = (struct pgt_leaf){
				.entry = e,
				.pa = (e & f->addr_mask & ~(size - 1)) | (va & (size - 1)),
				.size = size,
				.level = level,
			};
			return 0;
		}
		tab = pgt_table_at(t, e & f->addr_mask);
	}
	return -ENOENT;
}

#undef PGT_FMT
#undef PGT_FN
