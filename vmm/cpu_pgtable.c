// SPDX-License-Identifier: MIT
/*
 * The CPU view's EPT / NPT tables. See cpu_pgtable.h for the contract; internal rules:
 *  - entries are encoded and decoded only by vmm/ept.c or vmm/npt.c (struct fmt below): the
 *    engine writes a leaf as its address, the bits the encoder gives for a 4 KiB page at 0 and
 *    the format's PS for a large leaf, and a table entry as the table's address and the bits
 *    the encoder gives for a table at 0;
 *  - the generic page-table engine (kernel/mm/pgtable.h) walks, maps, splits and unmaps: an
 *    entry is written with one store, a new table is filled before the entry pointing to it is
 *    written, non-present entries are exactly 0, and no table but the root is empty between
 *    calls (unmap and a failing map free the tables they leave empty);
 *  - tables are freed at once (no gather): the invalidation rule of cpu_pgtable.h makes it safe;
 *  - callers serialise calls on one table (the library takes no locks).
 */
#include "vmm/cpu_pgtable.h"

#include <errno.h>
#include <stddef.h>

#include "vmm/ept.h"
#include "vmm/npt.h"

#define LEVEL_4K    1
#define LEVEL_2M    2
#define LEVEL_1G    3
#define MIN_PA_BITS (CPU_PGT_PAGE_SHIFT + 1)
#define GPA_LIMIT   (1ull << CPU_PGT_GPA_BITS)

_Static_assert(EPT_LEVELS == CPU_PGT_LEVELS, "EPTP page-walk length matches the tables");
_Static_assert((unsigned int)CPU_MT_UC == EPT_MT_UC && (unsigned int)CPU_MT_WB == EPT_MT_WB,
	       "CPU_MT_* are the EPT memory-type encodings");
_Static_assert(EPT_PAGE_SHIFT == CPU_PGT_PAGE_SHIFT && NPT_PAGE_SHIFT == CPU_PGT_PAGE_SHIFT &&
		       EPT_INDEX_BITS == CPU_PGT_INDEX_BITS && NPT_INDEX_BITS == CPU_PGT_INDEX_BITS,
	       "both formats have the geometry of cpu_pgtable.h");

/* One entry format: its engine description and the encoders and decoders of ept.h / npt.h. */
struct fmt {
	const struct pgt_format *entries;
	int (*leaf)(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype,
		    uint64_t *pte);
	int (*table)(uint64_t table_pa, uint64_t *pte);
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
	[CPU_PGT_EPT] = { .entries = &ept_pgt_format,
			  .leaf = ept_leaf_of,
			  .table = ept_table,
			  .perms = ept_perms,
			  .memtype = ept_memtype },
	[CPU_PGT_NPT] = { .entries = &npt_pgt_format,
			  .leaf = npt_leaf,
			  .table = npt_table,
			  .perms = npt_perms,
			  .memtype = npt_memtype },
};

static inline const struct fmt *fmt_of(const struct cpu_pgt *p)
{
	return &formats[p->format];
}

/*
 * The engine's view of @p: 4 levels, leaves at levels 1, 2 and (with CPU_PGT_F_1G) 3, large
 * leaves split on a partial unmap, never merged (cpu_pgt_map() documents that).
 */
static struct pgt core_of(const struct cpu_pgt *p)
{
	const struct fmt *f = fmt_of(p);
	uint64_t table_bits;

	/* A table entry for the table at 0 is every table entry's bits but the address. */
	(void)f->table(0, &table_bits);
	return (struct pgt){
		.fmt = f->entries,
		.ops = &p->ops,
		.root = p->root,
		.root_table = p->root_table,
		.tables = p->tables,
		.table_bits = table_bits,
		.levels = CPU_PGT_LEVELS,
		.leaf_mask = (uint8_t)((1u << LEVEL_4K) | (1u << LEVEL_2M) |
				       ((p->features & CPU_PGT_F_1G) ? 1u << LEVEL_1G : 0)),
		.flags = PGT_SPLIT,
	};
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
	struct pgt core;
	int err;

	if (!ops->alloc_table || !ops->free_table || !ops->table ||
	    (cfg->format != CPU_PGT_EPT && cfg->format != CPU_PGT_NPT) ||
	    (cfg->features & ~CPU_PGT_F_1G) || pa_bits < MIN_PA_BITS || pa_bits > CPU_PGT_PA_BITS)
		return -EINVAL;
	*p = (struct cpu_pgt){ .ops = { .alloc_table = ops->alloc_table,
					.free_table = ops->free_table,
					.table = ops->table,
					.ctx = ops->ctx },
			       .features = cfg->features,
			       .format = (uint8_t)cfg->format,
			       .pa_bits = (uint8_t)pa_bits };
	core = core_of(p);
	err = pgt_alloc_root(&core);
	if (err)
		return err;
	p->root = core.root;
	p->root_table = core.root_table;
	p->tables = core.tables;
	return 0;
}

void cpu_pgt_destroy(struct cpu_pgt *p)
{
	struct pgt core = core_of(p);

	pgt_destroy(&core);
	p->tables = 0;
	p->root = 0;
	p->root_table = NULL;
}

uint64_t cpu_pgt_tables(const struct cpu_pgt *p)
{
	return p->tables;
}

int cpu_pgt_map(struct cpu_pgt *p, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t perms,
		unsigned int memtype)
{
	struct pgt core;
	uint64_t attrs;
	int err;

	if (!aligned(gpa) || !aligned(hpa) || !aligned(size) || !size || (perms & ~CPU_PERM_ALL) ||
	    !(perms & CPU_PERM_R) || (memtype != CPU_MT_WB && memtype != CPU_MT_UC))
		return -EINVAL;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa || hpa >> p->pa_bits ||
	    size > (1ull << p->pa_bits) - hpa)
		return -ERANGE;
	/* The leaf for a 4 KiB page at 0: its bits but the address (and PS, the engine's). */
	err = fmt_of(p)->leaf(LEVEL_4K, 0, perms, memtype, &attrs);
	if (err)
		return err;
	core = core_of(p);
	err = pgt_map(&core, gpa, hpa, size, attrs, NULL);
	p->tables = core.tables;
	return err;
}

int cpu_pgt_build(struct cpu_pgt *p, const struct cpu_view *v)
{
	for (unsigned int i = 0; i < v->nr; i++) {
		const struct cpu_view_entry *e = &v->entry[i];
		int err = cpu_pgt_map(p, e->gpa, e->hpa, e->size, e->perms, e->memtype);
		struct pgt core;

		if (!err)
			continue;
		/* Whole ranges mapped by one call: removing them never splits, never allocates. */
		core = core_of(p);
		while (i--)
			(void)pgt_unmap(&core, v->entry[i].gpa, v->entry[i].size, NULL);
		p->tables = core.tables;
		return err;
	}
	return 0;
}

int64_t cpu_pgt_unmap(struct cpu_pgt *p, uint64_t gpa, uint64_t size)
{
	struct pgt core;
	int64_t n;

	if (!aligned(gpa) || !aligned(size) || !size)
		return -EINVAL;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa)
		return -ERANGE;
	core = core_of(p);
	n = pgt_unmap(&core, gpa, size, NULL);
	p->tables = core.tables;
	return n;
}

int cpu_pgt_translate(const struct cpu_pgt *p, uint64_t gpa, struct cpu_pgt_xlate *out)
{
	const struct fmt *f = fmt_of(p);
	struct pgt core;
	struct pgt_leaf leaf;

	if (gpa >= GPA_LIMIT)
		return -ENOENT;
	core = core_of(p);
	if (pgt_lookup(&core, gpa, &leaf))
		return -ENOENT;
	*out = (struct cpu_pgt_xlate){
		.hpa = leaf.pa,
		.size = leaf.size,
		.entry = leaf.entry,
		.perms = f->perms(leaf.entry),
		.memtype = f->memtype(leaf.entry),
		.level = leaf.level,
	};
	return 0;
}
