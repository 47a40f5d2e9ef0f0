// SPDX-License-Identifier: MIT
/* x86-64 4-level paging (Intel SDM vol. 3A, 4.5; tables 4-14 to 4-20 for the entry formats). */
#include "kernel/mm/paging.h"

#include <errno.h>

#define PT_INDEX_BITS 9
#define PT_INDEX_MASK (PT_ENTRIES - 1)
#define PT_NONLEAF    (PTE_P | PTE_W)
#define PT_FLAGS_MASK (~PTE_ADDR_MASK)

/* Level 4 = PML4 (512 GiB per entry) ... level 1 = PT (4 KiB per entry). */
static uint64_t level_size(int level)
{
	return 1ull << (12 + PT_INDEX_BITS * (level - 1));
}

static unsigned int level_index(uint64_t va, int level)
{
	return (unsigned int)(va >> (12 + PT_INDEX_BITS * (level - 1))) & PT_INDEX_MASK;
}

static bool leaf_allowed(const struct pt_ops *ops, int level)
{
	return level == 1 || level == 2 || (level == 3 && ops->allow_1g);
}

static int map_level(const struct pt_ops *ops, uint64_t table_pa, int level, uint64_t va,
		     uint64_t pa, uint64_t size, uint64_t flags)
{
	uint64_t *table = ops->table(ops->ctx, table_pa);
	uint64_t step = level_size(level);

	while (size) {
		uint64_t *e = &table[level_index(va, level)];
		uint64_t chunk = step - (va & (step - 1));
		int err;

		if (chunk > size)
			chunk = size;
		if (chunk == step && !(pa & (step - 1)) && leaf_allowed(ops, level)) {
			if (*e & PTE_P)
				return -EEXIST;
			*e = pa | flags | PTE_P | (level > 1 ? PTE_PS : 0);
		} else {
			uint64_t next;

			if (!(*e & PTE_P)) {
				err = ops->alloc_table(ops->ctx, &next);
				if (err)
					return err;
				*e = next | PT_NONLEAF;
			} else if (*e & PTE_PS) {
				return -EEXIST;
			}
			err = map_level(ops, *e & PTE_ADDR_MASK, level - 1, va, pa, chunk, flags);
			if (err)
				return err;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int pt_map(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t pa, uint64_t size,
	   uint64_t flags)
{
	const uint64_t lower_half = 1ull << (VA_BITS - 1);

	if ((va | pa | size) & (PAGE_4K - 1) || size == 0 || va >= lower_half ||
	    size > lower_half - va || (pa & ~PTE_ADDR_MASK) || (flags & PTE_ADDR_MASK))
		return -EINVAL;
	return map_level(ops, root, PT_LEVELS, va, pa, size, flags & ~(PTE_P | PTE_PS));
}

int pt_translate(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t *pa,
		 uint64_t *leaf_flags, uint64_t *page_size)
{
	uint64_t table_pa = root;

	for (int level = PT_LEVELS; level >= 1; level--) {
		uint64_t e = ops->table(ops->ctx, table_pa)[level_index(va, level)];
		uint64_t step = level_size(level);

		if (!(e & PTE_P))
			return -ENOENT;
		if (level == 1 || (e & PTE_PS)) {
			*pa = (e & PTE_ADDR_MASK & ~(step - 1)) | (va & (step - 1));
			*leaf_flags = e & PT_FLAGS_MASK;
			*page_size = step;
			return 0;
		}
		table_pa = e & PTE_ADDR_MASK;
	}
	return -ENOENT;
}
