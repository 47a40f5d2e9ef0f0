// SPDX-License-Identifier: MIT
/*
 * x86-64 4-level paging (Intel SDM vol. 3A, 4.5; tables 4-14 to 4-20 for the entry formats):
 * the format for the generic page-table engine (kernel/mm/pgtable.h) and skiff's rules for its
 * own tables. The tables only grow (struct pt_ops has no free): a failing map keeps what it did.
 */
#include "kernel/arch/x86/paging.h"

#include <errno.h>
#include <stddef.h>

#include "kernel/mm/pgtable.h"

#define PT_PAGE_SHIFT 12
#define PT_INDEX_BITS 9
#define PT_NONLEAF    (PTE_P | PTE_W)
#define PT_FLAGS_MASK (~PTE_ADDR_MASK)
#define LEVEL_4K      1
#define LEVEL_2M      2
#define LEVEL_1G      3

_Static_assert(PT_ENTRIES == 1u << PT_INDEX_BITS && PAGE_4K == 1ull << PT_PAGE_SHIFT,
	       "one table is one page of 512 entries");

/*
 * Tables 4-14 to 4-20: present with P, PS marking a 1 GiB / 2 MiB leaf (bit 7 of a 4 KiB PTE is
 * PAT, never set). skiff never unmaps its own tables; a split would keep all but A and D. The
 * PAT bit of a large leaf (bit 12) lies in the address field: skiff never sets it.
 */
static const struct pgt_format x86_format = {
	.page_shift = PT_PAGE_SHIFT,
	.index_bits = PT_INDEX_BITS,
	.addr_mask = PTE_ADDR_MASK,
	.present = PTE_P,
	.type_mask = PTE_PS,
	.block = PTE_PS,
	.page = 0,
	.split_keep = ~(PTE_A | PTE_D),
};

/* The engine's view of the tables under @root; @core_ops gets the callbacks of @ops. */
static struct pgt core_of(const struct pt_ops *ops, struct pgt_ops *core_ops, uint64_t root)
{
	*core_ops = (struct pgt_ops){ .alloc_table = ops->alloc_table,
				      .table = ops->table,
				      .ctx = ops->ctx };
	return (struct pgt){
		.fmt = &x86_format,
		.ops = core_ops,
		.root = root,
		.root_table = ops->table(ops->ctx, root),
		.table_bits = PT_NONLEAF, /* permissions are decided at the leaf */
		.levels = PT_LEVELS,
		.leaf_mask = (uint8_t)((1u << LEVEL_4K) | (1u << LEVEL_2M) |
				       (ops->allow_1g ? 1u << LEVEL_1G : 0)),
	};
}

int pt_map(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t pa, uint64_t size,
	   uint64_t flags)
{
	const uint64_t lower_half = 1ull << (VA_BITS - 1);
	struct pgt_ops core_ops;
	struct pgt core;

	if ((va | pa | size) & (PAGE_4K - 1) || size == 0 || va >= lower_half ||
	    size > lower_half - va || (pa & ~PTE_ADDR_MASK) || (flags & PTE_ADDR_MASK))
		return -EINVAL;
	core = core_of(ops, &core_ops, root);
	return pgt_map(&core, va, pa, size, (flags & ~(PTE_P | PTE_PS)) | PTE_P, NULL);
}

int pt_translate(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t *pa,
		 uint64_t *leaf_flags, uint64_t *page_size)
{
	struct pgt_ops core_ops;
	struct pgt core = core_of(ops, &core_ops, root);
	struct pgt_leaf leaf;

	if (pgt_lookup(&core, va, &leaf))
		return -ENOENT;
	*pa = leaf.pa;
	*leaf_flags = leaf.entry & PT_FLAGS_MASK;
	*page_size = leaf.size;
	return 0;
}
