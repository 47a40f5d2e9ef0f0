// SPDX-License-Identifier: MIT
/*
 * Shadow first stage: the guest's first-stage table composed with the device view into one
 * host table. The rules are in shadow.h; this file is the walk (VT-d 3.6, 9.7) and the merge.
 */
#include "vmm/shadow.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "iommu/iommu.h"
#include "kernel/arch/x86/msi.h"
#include "kernel/bits.h"
#include "kernel/log.h"
#include "vmm/gmem.h"

/* First-stage paging entry fields (VT-d 9.7, the x86-64 format of Intel SDM vol. 3A 4.5). */
#define FS_P	    (1ull << 0)
#define FS_RW	    (1ull << 1)
#define FS_US	    (1ull << 2)
#define FS_PS	    (1ull << 7) /* PDPE / PDE: maps a 1 GiB / 2 MiB page */
#define FS_ADDR_HI  51u		/* address bits 51:12 */
#define FS_LARGE_LO 13u		/* a large leaf's bit 12 is PAT: reserved from bit 13 */

#define PAGE_SHIFT   12u
#define LEVEL_BITS   9u
#define LEVEL_MASK   0x1ffull
#define LEVEL_PDE    2u /* a PS = 1 leaf here maps 2 MiB */
#define LEVEL_PDPE   3u /* ... and here 1 GiB (CAP.FS1GP) */
#define LEVELS_4     4u
#define LEVELS_5     5u
#define CANON_HALF_4 47u /* 4 levels: canonical 48 bits, lower half below 2^47 */
#define CANON_HALF_5 56u /* 5 levels: 57 bits, below 2^56 */

/* One composition: a range of IOVAs walked and mapped. */
struct compose {
	struct shadow *s;
	struct shadow_stats *st;
	uint64_t lo, hi; /* the IOVAs walked: [lo, hi) */
	uint64_t limit;	 /* IOVAs at or above are beyond the host domain */
	/* The map not yet issued: pieces that continue each other are merged into it. */
	uint64_t run_iova, run_hpa, run_size;
	unsigned int run_prot;
	/* What this call mapped, for the rollback: [mapped_lo, mapped_hi), maps go upwards. */
	uint64_t mapped_lo, mapped_hi;
};

/* Bytes one entry of a table at @level maps: 4 KiB << 9 * (level - 1). */
static uint64_t level_span(unsigned int level)
{
	return 1ull << (PAGE_SHIFT + LEVEL_BITS * (level - 1));
}

static unsigned int level_index(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> (PAGE_SHIFT + LEVEL_BITS * (level - 1))) & LEVEL_MASK);
}

static uint64_t canon_half(const struct shadow *s)
{
	return 1ull << (s->cfg.levels == LEVELS_5 ? CANON_HALF_5 : CANON_HALF_4);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static bool in_msi(uint64_t addr)
{
	return addr >= X86_MSI_BASE && addr <= X86_MSI_LAST;
}

/*
 * The first piece of [@addr, @addr + @len) that lies wholly inside or wholly outside the
 * interrupt range: its length, and @inside.
 */
static uint64_t msi_cut(uint64_t addr, uint64_t len, bool *inside)
{
	*inside = in_msi(addr);
	if (*inside)
		return min64(len, X86_MSI_LAST - addr + 1);
	if (addr < X86_MSI_BASE)
		return min64(len, X86_MSI_BASE - addr);
	return len;
}

/* Does a present entry @e at @level leave a reserved bit set (VT-d 9.7)? */
static bool fs_reserved(const struct shadow *s, uint64_t e, unsigned int level)
{
	if (!(e & FS_PS) || level == 1)
		return false;
	if (level > LEVEL_PDPE || (level == LEVEL_PDPE && !s->cfg.fs1gp))
		return true; /* PS in a PML5E / PML4E, or a 1 GiB leaf the unit lacks */
	/* A large leaf's address bits below its size (bit 12 is PAT). */
	return e & GENMASK(PAGE_SHIFT + LEVEL_BITS * (level - 1) - 1, FS_LARGE_LO);
}

/* Take one step of the call's budget: 0, or -E2BIG when it is spent. */
static int step(struct compose *c)
{
	if (c->st->steps >= c->s->cfg.budget)
		return -E2BIG;
	c->st->steps++;
	return 0;
}

static bool fs_leaf(uint64_t e, unsigned int level)
{
	return level == 1 || (e & FS_PS);
}

/* The guest-physical address an entry at @level points to (a table, or a leaf's page). */
static uint64_t fs_addr(uint64_t e, unsigned int level)
{
	unsigned int lo = fs_leaf(e, level) ? PAGE_SHIFT + LEVEL_BITS * (level - 1) : PAGE_SHIFT;

	return e & GENMASK(FS_ADDR_HI, lo);
}

/*
 * May the guest table page at @gpa be walked? 0 with its entries in @t; 1 when not, with
 * @why; or the lookup's error.
 */
static int table_check(const struct shadow *s, uint64_t gpa, const uint64_t **t,
		       enum shadow_bad_table *why)
{
	unsigned int prot = 0;
	uint64_t hpa, run = 0;
	int rc;

	if (in_msi(gpa)) {
		*why = SHADOW_TABLE_NOT_IN_VIEW;
		return 1;
	}
	rc = s->ops.lookup(s->ops.arg, gpa, &hpa, &prot, &run);
	if (rc == -ENOENT) {
		*why = SHADOW_TABLE_NOT_IN_VIEW;
		return 1;
	}
	if (rc)
		return rc;
	if (!(prot & IOMMU_WRITE)) {
		*why = SHADOW_TABLE_READ_ONLY;
		return 1;
	}
	*t = s->ops.read_table(s->ops.arg, gpa);
	if (!*t) {
		*why = SHADOW_TABLE_UNREADABLE;
		return 1;
	}
	return 0;
}

/* Issue the pending map, if any. */
static int flush(struct compose *c)
{
	const struct shadow *s = c->s;
	int rc;

	if (!c->run_size)
		return 0;
	rc = s->ops.map(s->ops.arg, c->run_iova, c->run_hpa, c->run_size, c->run_prot);
	if (rc)
		return rc;
	if (c->mapped_lo == c->mapped_hi)
		c->mapped_lo = c->run_iova;
	c->mapped_hi = c->run_iova + c->run_size;
	c->st->maps++;
	c->st->pages += c->run_size >> PAGE_SHIFT;
	c->run_size = 0;
	return 0;
}

/* Add IOVA [@iova, @iova + @len) -> host @hpa with @prot, merged into the pending map. */
static int emit(struct compose *c, uint64_t iova, uint64_t hpa, uint64_t len, unsigned int prot)
{
	int rc;

	if (c->run_size && c->run_iova + c->run_size == iova && c->run_hpa + c->run_size == hpa &&
	    c->run_prot == prot) {
		c->run_size += len;
		return 0;
	}
	rc = flush(c);
	if (rc)
		return rc;
	c->run_iova = iova;
	c->run_hpa = hpa;
	c->run_size = len;
	c->run_prot = prot;
	return 0;
}

/*
 * A guest leaf: IOVA [@va, @va + @size) -> guest-physical @gpa with guest permissions @gprot,
 * composed piece by piece with the view inside [c->lo, c->hi).
 */
static int compose_leaf(struct compose *c, uint64_t va, uint64_t gpa, uint64_t size,
			unsigned int gprot)
{
	const struct shadow *s = c->s;
	uint64_t end = min64(va + size, c->hi);
	unsigned int skipped = 0; /* bit n: left out for reason n */
	bool mapped = false;
	int rc;

	if (va < c->lo) {
		gpa += c->lo - va;
		va = c->lo;
	}
	while (va < end) {
		uint64_t len = end - va, hpa, run = 0;
		unsigned int prot = 0;
		bool inside;

		rc = step(c);
		if (rc)
			return rc;
		if (va >= c->limit) {
			skipped |= 1u << SHADOW_SKIP_WIDTH;
			break;
		}
		len = min64(len, c->limit - va);
		len = msi_cut(va, len, &inside);
		if (!inside)
			len = msi_cut(gpa, len, &inside);
		if (inside) {
			skipped |= 1u << SHADOW_SKIP_MSI;
		} else {
			rc = s->ops.lookup(s->ops.arg, gpa, &hpa, &prot, &run);
			if (rc && rc != -ENOENT)
				return rc;
			prot &= gprot;
			if (rc || !(prot & IOMMU_READ)) {
				/* Past the gap when the view says how long it is, else one page. */
				skipped |= 1u << SHADOW_SKIP_NOT_IN_VIEW;
				len = run >= SHADOW_PAGE_SIZE ?
					      min64(len, run & ~(SHADOW_PAGE_SIZE - 1)) :
					      SHADOW_PAGE_SIZE;
			} else {
				len = min64(len, run);
				rc = emit(c, va, hpa, len, prot);
				if (rc)
					return rc;
				mapped = true;
			}
		}
		va += len;
		gpa += len;
	}
	if (mapped)
		c->st->leaves++;
	for (unsigned int r = 0; r < SHADOW_NR_SKIPS; r++)
		if (skipped & (1u << r))
			c->st->skipped[r]++;
	return 0;
}

static void count_bad_table(struct compose *c, uint64_t gpa, enum shadow_bad_table why)
{
	struct shadow_stats *st = c->st;
	uint64_t total = 0;

	for (unsigned int r = 0; r < SHADOW_NR_BAD_TABLES; r++)
		total += st->bad_tables[r];
	if (!total) {
		st->first_bad_table = gpa;
		st->first_bad_why = why;
	}
	st->bad_tables[why]++;
}

/*
 * Walk the guest table at guest-physical @table, level @level, whose first entry maps IOVA
 * @base, inside [c->lo, c->hi); @gprot is the AND of the permissions above (VT-d 3.6.2).
 */
static int walk(struct compose *c, unsigned int level, uint64_t table, uint64_t base,
		unsigned int gprot)
{
	const struct shadow *s = c->s;
	uint64_t span = level_span(level);
	uint64_t first = c->lo > base ? c->lo : base;
	uint64_t last = min64(c->hi - 1, base + span * SHADOW_TABLE_WORDS - 1);
	enum shadow_bad_table why;
	const uint64_t *t;
	int rc;

	rc = table_check(s, table, &t, &why);
	if (rc < 0)
		return rc;
	if (rc) {
		count_bad_table(c, table, why);
		return 0;
	}
	for (unsigned int i = level_index(first, level); i <= level_index(last, level); i++) {
		uint64_t e = t[i], va = base + i * span;
		unsigned int prot = gprot & (e & FS_RW ? IOMMU_RW : IOMMU_READ);

		rc = step(c);
		if (rc)
			return rc;
		if (!(e & FS_P))
			continue;
		if (fs_reserved(s, e, level)) {
			c->st->skipped[SHADOW_SKIP_RSVD]++;
			continue;
		}
		if (!(e & FS_US)) {
			c->st->skipped[SHADOW_SKIP_SUPERVISOR]++;
			continue;
		}
		if (fs_leaf(e, level))
			rc = compose_leaf(c, va, fs_addr(e, level), span, prot);
		else
			rc = walk(c, level - 1, fs_addr(e, level), va, prot);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * The region of the last guest entry a walk of @va reads (see shadow_invalidate()): [@start,
 * @start + @size). The whole space when the root table is not walked.
 */
static int entry_region(const struct shadow *s, uint64_t va, uint64_t *start, uint64_t *size)
{
	uint64_t table = s->cfg.root;
	enum shadow_bad_table why;
	const uint64_t *t;
	unsigned int level;
	int rc;

	*start = 0;
	*size = canon_half(s);
	for (level = s->cfg.levels; level >= 1; level--) {
		uint64_t e;

		rc = table_check(s, table, &t, &why);
		if (rc)
			return rc < 0 ? rc : 0;
		e = t[level_index(va, level)];
		*size = level_span(level);
		*start = va & ~(*size - 1);
		if (!(e & FS_P) || !(e & FS_US) || fs_reserved(s, e, level) || fs_leaf(e, level))
			return 0;
		table = fs_addr(e, level);
	}
	return 0;
}

/* Unmap [@lo, @hi) of the host domain below its width; nothing mapped there is fine. */
static int unmap_range(const struct shadow *s, uint64_t lo, uint64_t hi, uint64_t limit)
{
	int64_t r;

	hi = min64(hi, limit);
	if (lo >= hi)
		return 0;
	r = s->ops.unmap(s->ops.arg, lo, hi - lo);
	return r < 0 && r != -ENOENT ? (int)r : 0;
}

/* The 1st, 2nd, 4th, 8th ... refusal of @s is logged: a guest that keeps asking cannot flood. */
static void log_refusal(struct shadow *s, uint64_t lo, uint64_t hi)
{
	s->refusals++;
	if (s->refusals & (s->refusals - 1))
		return;
	log_warn("vm %s: pasid %#" PRIx32 ": shadow of the first stage at %#" PRIx64
		 ": IOVA %#" PRIx64 "-%#" PRIx64 " needs more than %" PRIu64
		 " steps: refused (-E2BIG), left unmapped (refusal %" PRIu64 ")",
		 s->cfg.vm, s->cfg.pasid, s->cfg.root, lo, hi - 1, s->cfg.budget, s->refusals);
}

/* Unmap [@lo, @hi) and compose it again. */
static int recompose(struct shadow *s, uint64_t lo, uint64_t hi, struct shadow_stats *st)
{
	struct compose c = {
		.s = s,
		.st = st,
		.lo = lo,
		.hi = hi,
		.limit = min64(canon_half(s), 1ull << s->cfg.iova_bits),
	};
	int rc;

	rc = unmap_range(s, lo, hi, c.limit);
	if (rc)
		return rc;
	rc = walk(&c, s->cfg.levels, s->cfg.root, 0, IOMMU_RW);
	if (!rc)
		rc = flush(&c);
	if (rc && c.mapped_lo != c.mapped_hi)
		(void)s->ops.unmap(s->ops.arg, c.mapped_lo, c.mapped_hi - c.mapped_lo);
	if (rc == -E2BIG)
		log_refusal(s, lo, hi);
	return rc;
}

uint64_t shadow_budget(const struct gmem *g)
{
	uint64_t steps = 0;

	for (unsigned int i = 0; i < g->nr; i++)
		if (g->range[i].kind == GMEM_RAM || g->range[i].kind == GMEM_ROM)
			steps += (g->range[i].size >> PAGE_SHIFT) * SHADOW_STEPS_PER_PAGE;
	return steps > SHADOW_STEPS_MIN ? steps : SHADOW_STEPS_MIN;
}

int shadow_init(struct shadow *s, const struct shadow_cfg *cfg, const struct shadow_ops *ops)
{
	if (!s || !cfg || !ops || !ops->read_table || !ops->lookup || !ops->map || !ops->unmap ||
	    !cfg->vm)
		return -EINVAL;
	if ((cfg->root & (SHADOW_PAGE_SIZE - 1)) ||
	    (cfg->levels != LEVELS_4 && cfg->levels != LEVELS_5) ||
	    cfg->iova_bits < SHADOW_MIN_IOVA_BITS || cfg->iova_bits > SHADOW_MAX_IOVA_BITS ||
	    !cfg->budget)
		return -EINVAL;
	s->cfg = *cfg;
	s->ops = *ops;
	s->refusals = 0;
	return 0;
}

int shadow_build(struct shadow *s, struct shadow_stats *st)
{
	return shadow_invalidate(s, 0, SHADOW_ALL, st);
}

int shadow_invalidate(struct shadow *s, uint64_t iova, uint64_t size, struct shadow_stats *st)
{
	uint64_t half = canon_half(s), last, lo, lsize, hi, hsize;
	struct shadow_stats local;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (size == SHADOW_ALL)
		return recompose(s, 0, half, st);
	last = iova + size - 1;
	if (!size || (iova | size) & (SHADOW_PAGE_SIZE - 1) || last < iova)
		return -EINVAL;
	if (iova >= half)
		return 0;
	rc = entry_region(s, iova, &lo, &lsize);
	if (!rc)
		rc = entry_region(s, min64(last, half - 1), &hi, &hsize);
	if (rc)
		return rc;
	return recompose(s, lo, min64(hi + hsize, half), st);
}
