/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level page tables (Intel SDM vol. 3A, 4.5 4-level paging): a pure builder and walker
 * that reach table memory only through struct pt_ops, so they are tested on the host.
 */
#ifndef SKIFF_KERNEL_ARCH_X86_PAGING_H
#define SKIFF_KERNEL_ARCH_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_P	      (1ull << 0)
#define PTE_W	      (1ull << 1)
#define PTE_US	      (1ull << 2)
#define PTE_PWT	      (1ull << 3)
#define PTE_PCD	      (1ull << 4)
#define PTE_A	      (1ull << 5)
#define PTE_D	      (1ull << 6)
#define PTE_PS	      (1ull << 7) /* in a PDPTE or PDE: this entry maps a 1 GiB or 2 MiB page */
#define PTE_G	      (1ull << 8)
#define PTE_NX	      (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12 */

/* Leaf attributes skiff uses; with the reset PAT, PCD|PWT selects UC and neither selects WB. */
#define PTE_CACHE_WB 0ull
#define PTE_CACHE_UC (PTE_PCD | PTE_PWT)

#define PT_LEVELS  4
#define PT_ENTRIES 512
#define PAGE_4K	   (1ull << 12)
#define PAGE_2M	   (1ull << 21)
#define PAGE_1G	   (1ull << 30)
#define VA_BITS	   48

struct pt_ops {
	/* Allocate one zeroed, 4 KiB aligned table page; 0 or a negative errno. */
	int (*alloc_table)(void *ctx, uint64_t *pa);
	/* Where the table page at @pa can be read and written. */
	uint64_t *(*table)(void *ctx, uint64_t pa);
	void *ctx;
	bool allow_1g; /* CPUID.80000001H:EDX.Page1GB */
};

/*
 * pt_map - map [@va, @va + @size) to [@pa, @pa + @size) under the PML4 at @root.
 * @va, @pa and @size must be 4 KiB aligned and @va + @size must stay below 2^47 (the lower
 * canonical half). @flags are leaf bits (PTE_W, PTE_NX, PTE_CACHE_*); P is added. The largest
 * leaf that alignment allows is used (1 GiB only with @ops->allow_1g). Non-leaf entries are
 * P|W (permissions are decided at the leaf).
 * Returns 0, -EINVAL for bad alignment or range, -EEXIST if any page is already mapped
 * (pages mapped before the conflict stay mapped), -ENOMEM when a table cannot be allocated.
 */
int pt_map(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t pa, uint64_t size,
	   uint64_t flags);

/*
 * pt_translate - walk the tables for @va.
 * Returns 0 with the physical address in @pa and the leaf's flags (without the address) in
 * @leaf_flags and the leaf's size in @page_size, or -ENOENT when @va is not mapped.
 */
int pt_translate(const struct pt_ops *ops, uint64_t root, uint64_t va, uint64_t *pa,
		 uint64_t *leaf_flags, uint64_t *page_size);

#endif
