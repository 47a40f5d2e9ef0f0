// SPDX-License-Identifier: MIT
/*
 * The CPU view's EPT / NPT tables. See cpu_pgtable.h for the contract; internal rules:
 *  - entries are encoded and decoded only by vmm/ept.c or vmm/npt.c (struct fmt below);
 *  - an entry is written with one store, a new table is filled before the entry pointing to it
 *    is written, and non-present entries are exactly 0;
 *  - no table other than the root is empty between calls (unmap and a failing map free the
 *    tables they leave empty), so a present table entry has something mapped below it;
 *  - callers serialise calls on one table (the library takes no locks).
 */
#include "vmm/cpu_pgtable.h"

#include <errno.h>
#include <stddef.h>

#include "kernel/bits.h"
#include "vmm/ept.h"
#include "vmm/npt.h"

#define INDEX_MASK  (CPU_PGT_ENTRIES - 1)
#define LEVEL_4K    1
#define LEVEL_2M    2
#define LEVEL_1G    3
#define MIN_PA_BITS (CPU_PGT_PAGE_SHIFT + 1)
#define GPA_LIMIT   (1ull << CPU_PGT_GPA_BITS)
/* Splitting one edge can take a 1 GiB leaf to 2 MiB and a 2 MiB leaf to 4 KiB; two edges. */
#define MAX_SPLITS 4

_Static_assert(EPT_LEVELS == CPU_PGT_LEVELS, "EPTP page-walk length matches the tables");
_Static_assert((unsigned int)CPU_MT_UC == EPT_MT_UC && (unsigned int)CPU_MT_WB == EPT_MT_WB,
	       "CPU_MT_* are the EPT memory-type encodings");

/* One entry format: the encoders and decoders of vmm/ept.h or vmm/npt.h. */
struct fmt {
	int (*leaf)(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype,
		    uint64_t *pte);
	int (*table)(uint64_t table_pa, uint64_t *pte);
	bool (*present)(uint64_t e);
	bool (*is_leaf)(uint64_t e, unsigned int level);
	uint64_t (*addr)(uint64_t e, unsigned int level);
	uint32_t (*perms)(uint64_t e);
	unsigned int (*memtype)(uint64_t e);
};

/* EPT leaves: UC ignores the guest's PAT, WB leaves it in force (cpu_pgtable.h). */
static int ept_leaf_of(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype,
		       uint64_t *pte)
{
	return ept_leaf(level, hpa, perms, memtype, memtype == CPU_MT_UC, pte);
}

static const struct fmt formats[] = {
	[CPU_PGT_EPT] = { .leaf = ept_leaf_of,
			  .table = ept_table,
			  .present = ept_present,
			  .is_leaf = ept_is_leaf,
			  .addr = ept_addr,
			  .perms = ept_perms,
			  .memtype = ept_memtype },
	[CPU_PGT_NPT] = { .leaf = npt_leaf,
			  .table = npt_table,
			  .present = npt_present,
			  .is_leaf = npt_is_leaf,
			  .addr = npt_addr,
			  .perms = npt_perms,
			  .memtype = npt_memtype },
};

static inline const struct fmt *fmt_of(const struct cpu_pgt *p)
{
	return &formats[p->format];
}

static inline unsigned int level_shift(unsigned int level)
{
	return CPU_PGT_PAGE_SHIFT + CPU_PGT_INDEX_BITS * (level - 1);
}

static inline uint64_t level_size(unsigned int level)
{
	return 1ull << level_shift(level);
}

static inline unsigned int level_index(uint64_t gpa, unsigned int level)
{
	return (unsigned int)(gpa >> level_shift(level)) & INDEX_MASK;
}

static inline uint64_t *table_at(const struct cpu_pgt *p, uint64_t pa)
{
	return p->ops.table(p->ops.ctx, pa);
}

static inline void pte_store(uint64_t *e, uint64_t v)
{
	WRITE_ONCE_RELEASE(*e, v);
}

static bool leaf_allowed(const struct cpu_pgt *p, unsigned int level)
{
	return level == LEVEL_4K || level == LEVEL_2M ||
	       (level == LEVEL_1G && (p->features & CPU_PGT_F_1G));
}

static bool table_empty(const uint64_t *t)
{
	for (unsigned int i = 0; i < CPU_PGT_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

static bool aligned(uint64_t v)
{
	return !(v & (CPU_PGT_PAGE_SIZE - 1));
}

uint32_t cpu_pgt_features(enum cpu_pgt_format format, uint64_t cap)
{
	switch (format) {
	case CPU_PGT_EPT:
		return (cap & EPT_CAP_1G) ? CPU_PGT_F_1G : 0;
	case CPU_PGT_NPT:
		return (cap & NPT_CPUID_EDX_PAGE1G) ? CPU_PGT_F_1G : 0;
	default:
		return 0;
	}
}

int cpu_pgt_create(struct cpu_pgt *p, const struct cpu_pgt_cfg *cfg, const struct cpu_pgt_ops *ops)
{
	unsigned int pa_bits = cfg->pa_bits ? cfg->pa_bits : CPU_PGT_PA_BITS;
	int err;

	if (!ops->alloc_table || !ops->free_table || !ops->table ||
	    (cfg->format != CPU_PGT_EPT && cfg->format != CPU_PGT_NPT) ||
	    (cfg->features & ~CPU_PGT_F_1G) || pa_bits < MIN_PA_BITS || pa_bits > CPU_PGT_PA_BITS)
		return -EINVAL;
	*p = (struct cpu_pgt){ .ops = *ops,
			       .features = cfg->features,
			       .format = (uint8_t)cfg->format,
			       .pa_bits = (uint8_t)pa_bits };
	err = ops->alloc_table(ops->ctx, &p->root);
	if (err)
		return err;
	p->tables = 1;
	return 0;
}

static void destroy_level(struct cpu_pgt *p, uint64_t table_pa, unsigned int level)
{
	const struct fmt *f = fmt_of(p);
	const uint64_t *t = table_at(p, table_pa);

	if (level > LEVEL_4K)
		for (unsigned int i = 0; i < CPU_PGT_ENTRIES; i++)
			if (f->present(t[i]) && !f->is_leaf(t[i], level))
				destroy_level(p, f->addr(t[i], level), level - 1);
	p->ops.free_table(p->ops.ctx, table_pa);
}

void cpu_pgt_destroy(struct cpu_pgt *p)
{
	if (!p->tables)
		return;
	destroy_level(p, p->root, CPU_PGT_LEVELS);
	p->tables = 0;
	p->root = 0;
}

uint64_t cpu_pgt_tables(const struct cpu_pgt *p)
{
	return p->tables;
}

/* ---- removing leaves and empty tables ---- */

struct clear_op {
	struct cpu_pgt *p;
	bool leaves;	  /* remove leaves too, or only free empty tables */
	uint64_t removed; /* bytes of leaves removed */
};

/*
 * In [@gpa, @gpa + @size) of table @t at @level: remove the leaves (every leaf there lies
 * wholly inside the range: partly covered ones were split before) when @op->leaves, and free
 * each table below that is empty afterwards.
 */
static void clear_level(struct clear_op *op, uint64_t *t, unsigned int level, uint64_t gpa,
			uint64_t size)
{
	struct cpu_pgt *p = op->p;
	const struct fmt *f = fmt_of(p);
	uint64_t step = level_size(level);

	while (size) {
		unsigned int idx = level_index(gpa, level);
		uint64_t chunk = step - (gpa & (step - 1)), e = t[idx];

		if (chunk > size)
			chunk = size;
		if (f->present(e) && f->is_leaf(e, level)) {
			if (op->leaves) {
				pte_store(&t[idx], 0);
				op->removed += step;
			}
		} else if (f->present(e)) {
			uint64_t child_pa = f->addr(e, level);
			uint64_t *child = table_at(p, child_pa);

			clear_level(op, child, level - 1, gpa, chunk);
			if (table_empty(child)) {
				pte_store(&t[idx], 0);
				p->ops.free_table(p->ops.ctx, child_pa);
				p->tables--;
			}
		}
		gpa += chunk;
		size -= chunk;
	}
}

static uint64_t clear(struct cpu_pgt *p, uint64_t gpa, uint64_t size, bool leaves)
{
	struct clear_op op = { .p = p, .leaves = leaves };

	if (size)
		clear_level(&op, table_at(p, p->root), CPU_PGT_LEVELS, gpa, size);
	return op.removed;
}

/* ---- map ---- */

struct map_op {
	struct cpu_pgt *p;
	uint32_t perms;
	unsigned int memtype;
	uint64_t done; /* bytes mapped from the start of the range, in ascending order */
};

/* Map [@gpa, @gpa + @size) to @hpa inside table @t at @level, ascending. */
static int map_level(struct map_op *op, uint64_t *t, unsigned int level, uint64_t gpa, uint64_t hpa,
		     uint64_t size)
{
	struct cpu_pgt *p = op->p;
	const struct fmt *f = fmt_of(p);
	uint64_t step = level_size(level);
	int err;

	while (size) {
		unsigned int idx = level_index(gpa, level);
		uint64_t chunk = step - (gpa & (step - 1)), e = t[idx], child_pa;

		if (chunk > size)
			chunk = size;
		if (leaf_allowed(p, level) && chunk == step && !(hpa & (step - 1))) {
			if (f->present(e))
				return -EEXIST;
			err = f->leaf(level, hpa, op->perms, op->memtype, &e);
			if (err)
				return err;
			pte_store(&t[idx], e);
			op->done += chunk;
		} else {
			if (!f->present(e)) {
				err = p->ops.alloc_table(p->ops.ctx, &child_pa);
				if (err)
					return err;
				err = f->table(child_pa, &e);
				if (err) {
					p->ops.free_table(p->ops.ctx, child_pa);
					return err;
				}
				pte_store(&t[idx], e);
				p->tables++;
			} else if (f->is_leaf(e, level)) {
				return -EEXIST;
			}
			err = map_level(op, table_at(p, f->addr(e, level)), level - 1, gpa, hpa,
					chunk);
			if (err)
				return err;
		}
		gpa += chunk;
		hpa += chunk;
		size -= chunk;
	}
	return 0;
}

int cpu_pgt_map(struct cpu_pgt *p, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t perms,
		unsigned int memtype)
{
	struct map_op op = { .p = p, .perms = perms, .memtype = memtype };
	int err;

	if (!aligned(gpa) || !aligned(hpa) || !aligned(size) || !size || (perms & ~CPU_PERM_ALL) ||
	    !(perms & CPU_PERM_R) || (memtype != CPU_MT_WB && memtype != CPU_MT_UC))
		return -EINVAL;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa || hpa >> p->pa_bits ||
	    size > (1ull << p->pa_bits) - hpa)
		return -ERANGE;
	err = map_level(&op, table_at(p, p->root), CPU_PGT_LEVELS, gpa, hpa, size);
	if (err) {
		/* Remove the leaves mapped so far, then free the tables this map left empty. */
		clear(p, gpa, op.done, true);
		clear(p, gpa, size, false);
	}
	return err;
}

int cpu_pgt_build(struct cpu_pgt *p, const struct cpu_view *v)
{
	for (unsigned int i = 0; i < v->nr; i++) {
		const struct cpu_view_entry *e = &v->entry[i];
		int err = cpu_pgt_map(p, e->gpa, e->hpa, e->size, e->perms, e->memtype);

		if (!err)
			continue;
		/* Whole ranges mapped by one call: removing them never splits, never allocates. */
		while (i--)
			clear(p, v->entry[i].gpa, v->entry[i].size, true);
		return err;
	}
	return 0;
}

/* ---- unmap ---- */

/* How many tables splitting the leaf that holds @addr (if any) down to @addr's alignment takes. */
static unsigned int split_need(const struct cpu_pgt *p, uint64_t addr)
{
	const struct fmt *f = fmt_of(p);
	const uint64_t *t = table_at(p, p->root);

	for (unsigned int level = CPU_PGT_LEVELS; level > LEVEL_4K; level--) {
		uint64_t e = t[level_index(addr, level)];
		unsigned int n = 0;

		if (!f->present(e))
			return 0;
		if (!f->is_leaf(e, level)) {
			t = table_at(p, f->addr(e, level));
			continue;
		}
		for (unsigned int l = level; l > LEVEL_4K && (addr & (level_size(l) - 1)); l--)
			n++;
		return n;
	}
	return 0;
}

/*
 * Split the leaves holding @addr until a leaf boundary falls on @addr, taking table pages from
 * @reserve (@used counts those taken). Translations do not change: each new table holds the
 * 512 leaves of the next size that map what the split leaf mapped, with its permissions and
 * memory type.
 */
static void split_at(struct cpu_pgt *p, uint64_t addr, const uint64_t *reserve, unsigned int *used)
{
	const struct fmt *f = fmt_of(p);
	uint64_t *t = table_at(p, p->root);

	for (unsigned int level = CPU_PGT_LEVELS; level > LEVEL_4K; level--) {
		unsigned int idx = level_index(addr, level);
		uint64_t e = t[idx], hpa, step, child_pa, ne;
		uint64_t *child;
		uint32_t perms;
		unsigned int memtype;

		if (!f->present(e))
			return;
		if (!f->is_leaf(e, level)) {
			t = table_at(p, f->addr(e, level));
			continue;
		}
		if (!(addr & (level_size(level) - 1)))
			return;
		hpa = f->addr(e, level);
		perms = f->perms(e);
		memtype = f->memtype(e);
		step = level_size(level - 1);
		child_pa = reserve[(*used)++];
		child = table_at(p, child_pa);
		/* Re-encoding what the leaf's own encoder accepted cannot fail. */
		for (unsigned int i = 0; i < CPU_PGT_ENTRIES; i++)
			(void)f->leaf(level - 1, hpa + i * step, perms, memtype, &child[i]);
		(void)f->table(child_pa, &ne);
		pte_store(&t[idx], ne);
		p->tables++;
		t = child;
	}
}

int64_t cpu_pgt_unmap(struct cpu_pgt *p, uint64_t gpa, uint64_t size)
{
	uint64_t reserve[MAX_SPLITS], end = gpa + size, removed;
	unsigned int need, got = 0, used = 0;
	int err = 0;

	if (!aligned(gpa) || !aligned(size) || !size)
		return -EINVAL;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa)
		return -ERANGE;
	need = split_need(p, gpa) + (end < GPA_LIMIT ? split_need(p, end) : 0);
	for (; got < need; got++) {
		err = p->ops.alloc_table(p->ops.ctx, &reserve[got]);
		if (err)
			break;
	}
	if (!err) {
		split_at(p, gpa, reserve, &used);
		if (end < GPA_LIMIT)
			split_at(p, end, reserve, &used);
	}
	/* Both edges inside one leaf share the first split: a reserved page may be left over. */
	for (unsigned int i = used; i < got; i++)
		p->ops.free_table(p->ops.ctx, reserve[i]);
	if (err)
		return err;
	removed = clear(p, gpa, size, true);
	return removed ? (int64_t)removed : -ENOENT;
}

/* ---- translate ---- */

int cpu_pgt_translate(const struct cpu_pgt *p, uint64_t gpa, struct cpu_pgt_xlate *out)
{
	const struct fmt *f = fmt_of(p);
	const uint64_t *t = table_at(p, p->root);

	if (gpa >= GPA_LIMIT)
		return -ENOENT;
	for (unsigned int level = CPU_PGT_LEVELS; level >= LEVEL_4K; level--) {
		uint64_t e = t[level_index(gpa, level)];

		if (!f->present(e))
			return -ENOENT;
		if (f->is_leaf(e, level)) {
			uint64_t size = level_size(level);

			*out = (struct cpu_pgt_xlate){
				.hpa = f->addr(e, level) | (gpa & (size - 1)),
				.size = size,
				.entry = e,
				.perms = f->perms(e),
				.memtype = f->memtype(e),
				.level = level,
			};
			return 0;
		}
		t = table_at(p, f->addr(e, level));
	}
	return -ENOENT;
}
