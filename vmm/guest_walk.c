// SPDX-License-Identifier: MIT
/* The guest's linear-to-physical walk: see guest_walk.h. */
#include "vmm/guest_walk.h"

#include <errno.h>

#define PTE_P	   (1ull << 0)
#define PTE_PS	   (1ull << 7)		 /* PDPTE / PDE: a 1 GiB / 2 MiB page */
#define PTE_ADDR   0x000ffffffffff000ull /* bits 51:12 */
#define CR3_ADDR   0x000ffffffffff000ull
#define PAGE_SHIFT 12
#define INDEX_BITS 9
#define INDEX_MASK ((1ull << INDEX_BITS) - 1)
#define LEVEL_PDPT 3
#define LEVEL_PD   2

int guest_walk(const struct vcpu_paging *pg, uint64_t la, guest_walk_read_fn read, void *ctx,
	       uint64_t *gpa)
{
	uint64_t table = pg->cr3 & CR3_ADDR, e = 0;

	if (!(pg->cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffffull; /* paging off: 32-bit linear addresses */
		return 0;
	}
	if (!(pg->efer & X86_EFER_LMA) || !(pg->cr4 & X86_CR4_PAE))
		return -EOPNOTSUPP;
	for (unsigned int level = GUEST_WALK_LEVELS;; level--) {
		unsigned int shift = PAGE_SHIFT + INDEX_BITS * (level - 1);
		int err = read(ctx, table + ((la >> shift) & INDEX_MASK) * sizeof(e), &e);

		if (err)
			return err;
		if (!(e & PTE_P))
			return -ENOENT;
		if (level == 1 || ((level == LEVEL_PDPT || level == LEVEL_PD) && (e & PTE_PS))) {
			uint64_t mask = (1ull << shift) - 1;

			*gpa = ((e & PTE_ADDR) & ~mask) | (la & mask);
			return 0;
		}
		table = e & PTE_ADDR;
	}
}
