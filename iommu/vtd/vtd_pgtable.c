// SPDX-License-Identifier: MIT
/*
 * VT-d domain page tables: second stage (VT-d rev 5.0, 9.8) and first stage (9.7). See
 * vtd_pgtable.h for the contract. This file holds the two entry formats, the configuration
 * from the unit's capabilities, the encoding of VTD_PGT_* protections and the gather; the
 * page-table engine (kernel/mm/pgtable_engine.h, instantiated here once per format) walks,
 * maps, merges, splits and unmaps, keeping its rules (one store per entry, non-present entries
 * 0, no empty table but the root between calls, callers serialising calls on one table). A
 * non-leaf entry counts the present entries of its table in ignored bits 61:52
 * (VTD_PGT_COUNT_*), and tables waiting for an invalidation are chained through ignored bits
 * 58:52 of their first entries.
 */
#include "iommu/vtd/vtd_pgtable.h"

#include <errno.h>
#include <stddef.h>

#include "iommu/vtd/vtd_regs.h"
#include "kernel/bits.h"

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
 * The chain of tables waiting for an invalidation: bits 58:52 are ignored in every first-stage
 * (9.7) and second-stage (9.8, ignored 61:52) entry, present or not, so linking changes no
 * translation while hardware may still walk the table. A frame number (40 bits) takes 7 bits of
 * each of entries 0-5.
 */
#define LINK_FIELD GENMASK(58, 52)

#define PROT_SS_ONLY (VTD_PGT_SNP | VTD_PGT_IPAT | VTD_PGT_EMT_MASK)
#define PROT_FS_ONLY (VTD_PGT_PWT | VTD_PGT_PCD)
#define PROT_ALL     (VTD_PGT_R | VTD_PGT_W | VTD_PGT_X | PROT_SS_ONLY | PROT_FS_ONLY)
#define FEATURES_ALL \
	(VTD_PGT_F_2M | VTD_PGT_F_1G | VTD_PGT_F_EXEC | VTD_PGT_F_FS5LP | VTD_PGT_F_SSADE)
_Static_assert((VTD_PGT_COUNT_MASK >> VTD_PGT_COUNT_SHIFT) >= VTD_PGT_ENTRIES,
	       "the count field holds 512");

/* Second-stage entries (9.8): present with R or W; PS marks a 2 MiB / 1 GiB leaf. */
static const struct pgt_format ss_format = {
	.page_shift = VTD_PGT_PAGE_SHIFT,
	.index_bits = VTD_PGT_INDEX_BITS,
	.addr_mask = VTD_PTE_ADDR_MASK,
	.present = VTD_SS_R | VTD_SS_W,
	.type_mask = VTD_SS_PS,
	.block = VTD_SS_PS,
	.page = 0,
	.split_keep = ~0ull, /* A and D too: dirty state survives a split (SSADE) */
	.count_mask = VTD_PGT_COUNT_MASK,
	.link_mask = LINK_FIELD,
};

/* First-stage entries (9.7): present with P; PS marks a leaf (bit 7 of a 4 KiB PTE is PAT). */
static const struct pgt_format fs_format = {
	.page_shift = VTD_PGT_PAGE_SHIFT,
	.index_bits = VTD_PGT_INDEX_BITS,
	.addr_mask = VTD_PTE_ADDR_MASK,
	.present = VTD_FS_P,
	.type_mask = VTD_FS_PS,
	.block = VTD_FS_PS,
	.page = 0,
	.split_keep = ~0ull, /* A and D are preset (vtd_pgtable.h) */
	.count_mask = VTD_PGT_COUNT_MASK,
	.link_mask = LINK_FIELD,
};

static inline bool second_stage(const struct vtd_pgt *p)
{
	return p->format == VTD_PGT_SECOND_STAGE;
}

/*
 * The engine's table for @p, made once by vtd_pgt_create(). With SSADE the unit writes A/D into
 * entries: counts are updated with locked read-modify-writes, and nothing is merged (DMA through
 * stale caches may still set D in a merged-away table until the flush, and that dirty state
 * would be lost).
 */
static struct pgt core_of(const struct vtd_pgt *p)
{
	bool ssade = p->features & VTD_PGT_F_SSADE;

	return (struct pgt){
		.fmt = second_stage(p) ? &ss_format : &fs_format,
		.ops = &p->ops,
		.table_bits = p->nonleaf,
		.levels = p->levels,
		.leaf_mask = p->leaf_mask,
		.flags = PGT_SPLIT | (ssade ? PGT_HW_WRITES : PGT_MERGE),
	};
}

/*
 * The engine, specialised for each format (its descriptor a compile-time constant): the
 * second-stage map is the hot path of every DMA mapping.
 */
#define PGT_FMT(t)   (&ss_format)
#define PGT_FN(name) ss_##name
#include "kernel/mm/pgtable_engine.h"
#define PGT_FMT(t)   (&fs_format)
#define PGT_FN(name) fs_##name
#include "kernel/mm/pgtable_engine.h"

/* ---- gathers ---- */

void vtd_pgt_gather_init(struct vtd_pgt_gather *g)
{
	pgt_gather_init(g);
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
	if (second_stage(p))
		ss_free_chain(&p->core, g->freed, g->nr_freed);
	else
		fs_free_chain(&p->core, g->freed, g->nr_freed);
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
	*p = (struct vtd_pgt){ .ops = { .alloc_table = ops->alloc_table,
					.free_table = ops->free_table,
					.table = ops->table,
					.sync = ops->sync,
					.ctx = ops->ctx },
			       .levels = (uint8_t)levels,
			       .format = cfg->format };
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
	p->core = core_of(p);
	err = second_stage(p) ? ss_alloc_root(&p->core) : fs_alloc_root(&p->core);
	if (err)
		return err;
	p->root = p->core.root;
	p->root_table = p->core.root_table;
	return 0;
}

void vtd_pgt_destroy(struct vtd_pgt *p)
{
	if (second_stage(p))
		ss_destroy(&p->core);
	else
		fs_destroy(&p->core);
	p->root = 0;
	p->root_table = NULL;
}

uint64_t vtd_pgt_tables(const struct vtd_pgt *p)
{
	return p->core.tables;
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

/* ---- map, unmap, translate ---- */

int vtd_pgt_map(struct vtd_pgt *p, uint64_t iova, uint64_t pa, uint64_t size, uint32_t prot,
		struct vtd_pgt_gather *g)
{
	uint64_t end = iova + size, bits;
	int err;

	if (((iova | pa | size) & (VTD_PGT_PAGE_SIZE - 1)) || !size)
		return -EINVAL;
	err = leaf_bits(p, prot, &bits);
	if (err)
		return err;
	if (end < iova || end > (1ull << p->aw_bits) || pa + size < pa ||
	    pa + size > (1ull << p->oa_bits))
		return -ERANGE;
	return second_stage(p) ? ss_map(&p->core, iova, pa, size, bits, g) :
				 fs_map(&p->core, iova, pa, size, bits, g);
}

int64_t vtd_pgt_unmap(struct vtd_pgt *p, uint64_t iova, uint64_t size, struct vtd_pgt_gather *g)
{
	uint64_t end = iova + size;

	if (((iova | size) & (VTD_PGT_PAGE_SIZE - 1)) || !size)
		return -EINVAL;
	if (end < iova || end > (1ull << p->aw_bits))
		return -ERANGE;
	return second_stage(p) ? ss_unmap(&p->core, iova, size, g) :
				 fs_unmap(&p->core, iova, size, g);
}

int vtd_pgt_translate(const struct vtd_pgt *p, uint64_t iova, struct vtd_pgt_xlate *out)
{
	struct pgt_leaf leaf;

	if (iova >> p->aw_bits)
		return -ENOENT;
	if (second_stage(p) ? ss_lookup(&p->core, iova, &leaf) : fs_lookup(&p->core, iova, &leaf))
		return -ENOENT;
	*out = (struct vtd_pgt_xlate){
		.pa = leaf.pa,
		.size = leaf.size,
		.entry = leaf.entry,
		.prot = leaf_prot(p, leaf.entry),
		.level = leaf.level,
	};
	return 0;
}
