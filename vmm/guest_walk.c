// SPDX-License-Identifier: MIT
/* The guest's linear-to-physical walk in every paging mode: see guest_walk.h. */
#include "vmm/guest_walk.h"

#include <errno.h>
#include <stdbool.h>

#define GENMASK64(h, l) ((~0ull >> (63u - (h))) & (~0ull << (l)))

#define LOW32	   0xffffffffull
#define PAGE_SHIFT 12
#define PTE_P	   (1ull << 0)
#define PTE_PS	   (1ull << 7)	/* PDE: a 4 MiB / 2 MiB page; PDPTE: a 1 GiB page */
#define PTE_XD	   (1ull << 63) /* execute-disable; reserved while EFER.NXE = 0 */

/* 32-bit paging (SDM 4.3): 1024 4-byte entries a table, CR3 and entry addresses bits 31:12. */
#define ENTRY32_SIZE	  4u
#define INDEX32_BITS	  10
#define INDEX32_MASK	  ((1ull << INDEX32_BITS) - 1)
#define PD32_SHIFT	  22 /* a PDE maps 4 MiB */
#define ADDR32_MASK	  GENMASK64(31, PAGE_SHIFT)
#define PDE4M_ADDR_LO	  GENMASK64(31, PD32_SHIFT) /* physical-address bits 31:22 */
#define PDE4M_HI_SHIFT	  13			    /* PDE bits M-20:13: physical bits M-1:32 */
#define PDE4M_RSVD_TOP	  21			    /* PDE bits 21:M-19 are reserved */
#define PSE36_PA_BITS_MAX 40u			    /* M = min(MAXPHYADDR, 40) (table 4-4 note 2) */
#define PA_HI_SHIFT	  32

/* PAE paging (SDM 4.4): 4 PDPTEs at CR3 bits 31:5, then 512 8-byte entries a table. */
#define CR3_PAE_PDPT	  GENMASK64(31, 5)
#define PDPT_PAE_SHIFT	  30
#define PDPT_PAE_INDEX	  3ull
#define PDPTE_PAE_RSVD_LO (GENMASK64(8, 5) | GENMASK64(2, 1)) /* table 4-8; and bits 63:M */
#define PAE_ENTRY_TOP	  62 /* below the PDPTEs bits 62:M are reserved (tables 4-9 to 4-11) */

/* 8-byte tables (PAE below the PDPTEs, 4- and 5-level paging; SDM 4.5). */
#define ENTRY64_SIZE	   8u
#define INDEX64_BITS	   9
#define INDEX64_MASK	   ((1ull << INDEX64_BITS) - 1)
#define LEVEL_PT	   1
#define LEVEL_PD	   2
#define LEVEL_PML4	   4
#define LEVEL_PML5	   5
#define LONG_ENTRY_TOP	   51 /* 4/5-level: bits 51:M reserved, 62:52 ignored (SDM 4.5) */
#define LARGE_RSVD_LO	   13 /* bits 20:13 (2 MiB) or 29:13 (1 GiB) of a leaf above a PTE */
#define LONG_VA_BITS(lvls) (PAGE_SHIFT + INDEX64_BITS * (lvls)) /* 48 or 57 */

/* One walk: the tables are read through @read; every entry's address field is @addr. */
struct walk {
	const struct vcpu_paging *pg;
	guest_walk_read_fn read;
	void *ctx;
	uint64_t la;
	uint64_t addr; /* bits M-1:12 */
	uint64_t rsvd; /* reserved in every 8-byte entry below CR3 / the PDPTEs: above M-1, XD */
};

static int read_entry(const struct walk *w, uint64_t table, unsigned int index, unsigned int size,
		      uint64_t *e)
{
	return w->read(w->ctx, table + (uint64_t)index * size, size, e);
}

/* 8-byte tables from @level down, the first at @table: a leaf's translation into @gpa. A PDPTE
 * (1 GiB) or PDE (2 MiB) with PS is a leaf; PS is reserved above (PML4E, PML5E). */
static int walk_tables(const struct walk *w, unsigned int level, uint64_t table, uint64_t *gpa)
{
	for (;; level--) {
		unsigned int shift = PAGE_SHIFT + INDEX64_BITS * (level - 1);
		uint64_t e, rsvd = w->rsvd, offset = GENMASK64(shift - 1, 0);
		bool leaf = level == LEVEL_PT;
		int err = read_entry(w, table, (w->la >> shift) & INDEX64_MASK, ENTRY64_SIZE, &e);

		if (err)
			return err;
		if (!(e & PTE_P))
			return -ENOENT;
		if (level >= LEVEL_PML4)
			rsvd |= PTE_PS;
		else if (level != LEVEL_PT && (e & PTE_PS))
			leaf = true;
		if (leaf && level != LEVEL_PT)
			rsvd |= GENMASK64(shift - 1, LARGE_RSVD_LO);
		if (e & rsvd)
			return -ERANGE;
		if (leaf) {
			*gpa = (e & w->addr & ~offset) | (w->la & offset);
			return 0;
		}
		table = e & w->addr;
	}
}

/* 32-bit paging: the PDE, then a 4 MiB page (CR4.PSE and PS) or the PTE of a 4 KiB page. */
static int walk_32bit(const struct walk *w, uint64_t *gpa)
{
	uint64_t pde, pte;
	int err = read_entry(w, w->pg->cr3 & ADDR32_MASK, (w->la >> PD32_SHIFT) & INDEX32_MASK,
			     ENTRY32_SIZE, &pde);

	if (err)
		return err;
	if (!(pde & PTE_P))
		return -ENOENT;
	if ((w->pg->cr4 & X86_CR4_PSE) && (pde & PTE_PS)) {
		/*
		 * SDM table 4-4: PDE bits M-20:13 are physical bits M-1:32 and bits 21:M-19 are
		 * reserved, M = min(MAXPHYADDR, 40). At M = 32 no bit is an address bit and all of
		 * 21:13 are reserved, which is also the reading for a processor without PSE-36.
		 */
		unsigned int m =
			w->pg->pa_bits < PSE36_PA_BITS_MAX ? w->pg->pa_bits : PSE36_PA_BITS_MAX;
		unsigned int hi_bits = m - PA_HI_SHIFT;
		uint64_t hi = (pde >> PDE4M_HI_SHIFT) & ((1ull << hi_bits) - 1);

		if (pde & GENMASK64(PDE4M_RSVD_TOP, PDE4M_HI_SHIFT + hi_bits))
			return -ERANGE;
		*gpa = hi << PA_HI_SHIFT | (pde & PDE4M_ADDR_LO) | (w->la & ~PDE4M_ADDR_LO);
		return 0;
	}
	err = read_entry(w, pde & ADDR32_MASK, (w->la >> PAGE_SHIFT) & INDEX32_MASK, ENTRY32_SIZE,
			 &pte);
	if (err)
		return err;
	if (!(pte & PTE_P))
		return -ENOENT;
	*gpa = (pte & ADDR32_MASK) | (w->la & ~ADDR32_MASK);
	return 0;
}

/* PAE paging: the PDPTE CR3 and bits 31:30 select, then the PD and the PT (or a 2 MiB page). */
static int walk_pae(struct walk *w, uint64_t *gpa)
{
	const struct vcpu_paging *pg = w->pg;
	uint64_t pdpte;
	int err = read_entry(w, pg->cr3 & CR3_PAE_PDPT, (w->la >> PDPT_PAE_SHIFT) & PDPT_PAE_INDEX,
			     ENTRY64_SIZE, &pdpte);

	if (err)
		return err;
	if (!(pdpte & PTE_P))
		return -ENOENT;
	if (pdpte & (PDPTE_PAE_RSVD_LO | GENMASK64(63, pg->pa_bits)))
		return -ERANGE;
	w->rsvd = GENMASK64(PAE_ENTRY_TOP, pg->pa_bits) | (pg->efer & X86_EFER_NXE ? 0 : PTE_XD);
	return walk_tables(w, LEVEL_PD, pdpte & w->addr, gpa);
}

/* 4- or 5-level paging: a canonical address (bits 63:47 or 63:56 all equal), then CR3's tables. */
static int walk_long(struct walk *w, uint64_t *gpa)
{
	const struct vcpu_paging *pg = w->pg;
	unsigned int levels = pg->cr4 & X86_CR4_LA57 ? LEVEL_PML5 : LEVEL_PML4;
	unsigned int sign_bit = LONG_VA_BITS(levels) - 1;
	uint64_t upper = w->la >> sign_bit;

	if (upper && upper != ~0ull >> sign_bit)
		return -EINVAL;
	w->rsvd = GENMASK64(LONG_ENTRY_TOP, pg->pa_bits) | (pg->efer & X86_EFER_NXE ? 0 : PTE_XD);
	return walk_tables(w, levels, pg->cr3 & w->addr, gpa);
}

int guest_walk(const struct vcpu_paging *pg, uint64_t la, guest_walk_read_fn read, void *ctx,
	       uint64_t *gpa)
{
	struct walk w = { .pg = pg, .read = read, .ctx = ctx, .la = la & LOW32 };

	if (pg->pa_bits < GUEST_WALK_PA_BITS_MIN || pg->pa_bits > GUEST_WALK_PA_BITS_MAX)
		return -EOPNOTSUPP;
	w.addr = GENMASK64(pg->pa_bits - 1, PAGE_SHIFT);
	if (pg->efer & X86_EFER_LMA) {
		if (!(pg->cr0 & X86_CR0_PG) || !(pg->cr4 & X86_CR4_PAE))
			return -EOPNOTSUPP;
		w.la = la;
		return walk_long(&w, gpa);
	}
	if (!(pg->cr0 & X86_CR0_PG)) {
		*gpa = w.la;
		return 0;
	}
	return pg->cr4 & X86_CR4_PAE ? walk_pae(&w, gpa) : walk_32bit(&w, gpa);
}
