// SPDX-License-Identifier: MIT
/* The identity map of a Linux guest's 64-bit entry: see idmap.h. */
#include "vmm/linux/idmap.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "kernel/arch/x86/paging.h"

#define IDMAP_ROOT_TABLES 2ull				  /* the PML4 and its one PDPT */
#define IDMAP_LEAF_FLAGS  (PTE_W | PTE_CACHE_WB)	  /* pt_map() adds P, the engine PS */
#define IDMAP_PA_LAST	  (PTE_ADDR_MASK | (PAGE_4K - 1)) /* the highest byte a table may use */

_Static_assert(LINUX_IDMAP_ALIGN == PAGE_2M && LINUX_IDMAP_TABLE == PAGE_4K,
	       "the map's granule and table size are x86's");
_Static_assert(LINUX_IDMAP_TOP_MAX == PAGE_1G * PT_ENTRIES, "one PDPT covers the maximum top");

/* The region tables are taken from, lowest first. */
struct idmap_arena {
	uint8_t *mem; /* the host's view of @base */
	uint64_t base;
	uint64_t size;
	uint64_t used;
};

static int arena_alloc(void *ctx, uint64_t *pa)
{
	struct idmap_arena *a = ctx;

	if (a->size - a->used < LINUX_IDMAP_TABLE)
		return -E2BIG;
	memset(a->mem + a->used, 0, LINUX_IDMAP_TABLE);
	*pa = a->base + a->used;
	a->used += LINUX_IDMAP_TABLE;
	return 0;
}

static uint64_t *arena_table(void *ctx, uint64_t pa)
{
	struct idmap_arena *a = ctx;

	return (uint64_t *)(void *)(a->mem + (pa - a->base));
}

uint64_t linux_idmap_top(uint64_t last)
{
	return (last | (LINUX_IDMAP_ALIGN - 1)) + 1;
}

uint64_t linux_idmap_size(uint64_t top, bool page_1g)
{
	uint64_t dirs = page_1g ? (top % PAGE_1G != 0) : (top + PAGE_1G - 1) / PAGE_1G;

	return (IDMAP_ROOT_TABLES + dirs) * LINUX_IDMAP_TABLE;
}

int linux_idmap_build(void *mem, uint64_t base, uint64_t size, uint64_t top, bool page_1g,
		      uint64_t *cr3, uint64_t *used)
{
	struct idmap_arena a = { .mem = mem, .base = base, .size = size };
	struct pt_ops ops = {
		.alloc_table = arena_alloc, .table = arena_table, .ctx = &a, .allow_1g = page_1g
	};
	uint64_t root;
	int err;

	if (!top || top % LINUX_IDMAP_ALIGN || top > LINUX_IDMAP_TOP_MAX ||
	    base % LINUX_IDMAP_TABLE || (uintptr_t)mem % sizeof(uint64_t) || base > IDMAP_PA_LAST ||
	    size > IDMAP_PA_LAST - base + 1)
		return -EINVAL;
	err = arena_alloc(&a, &root);
	if (!err)
		err = pt_map(&ops, root, 0, 0, top, IDMAP_LEAF_FLAGS);
	if (err)
		return err;
	*cr3 = root;
	*used = a.used;
	return 0;
}
