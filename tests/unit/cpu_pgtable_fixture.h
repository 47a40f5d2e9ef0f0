/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the EPT/NPT table tests (test_cpu_pgtable*.c): an arena of table pages with
 * made-up physical addresses, its callbacks, the helpers that read entries back and audit a
 * table. Header-only: each test program has its own copy.
 *
 * vmm/cpu_pgtable.c building EPT and NPT tables from CPU views: bit-exact entries at every
 * level (worked out by hand from the layouts of vmm/ept.h and vmm/npt.h, the arithmetic in the
 * comments), the largest leaf alignment and capabilities allow (4 KiB, 2 MiB, 1 GiB only with
 * CPU_PGT_F_1G), ROM never writable, emulated MMIO, the MSI window and holes not present, the
 * exact table count, rollback on every injected allocation failure and on -EEXIST, splitting
 * unmaps (with -ENOMEM changing nothing), and a randomized model check (fixed seed) of
 * translate() against random gmem maps in both formats, with and without 1 GiB leaves.
 * Table pages live in a host arena whose pages have made-up "physical" addresses
 * FAKE_BASE + offset (not host pointers): the code reaches them only through ops.table(),
 * which accepts only allocated pages. Allocations are counted and the Nth can fail.
 */
#ifndef SKIFF_TESTS_UNIT_CPU_PGTABLE_FIXTURE_H
#define SKIFF_TESTS_UNIT_CPU_PGTABLE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/arch/x86/msi.h"
#include "tests/unit/fake_pages.h"

#include "vmm/cpu_pgtable.h"
#include "vmm/ept.h"
#include "vmm/npt.h"

#define ARENA_PAGES 4096
#define FAKE_BASE   0x40000000ull /* the arena's first page, as a "physical" address */
#define PAGE	    CPU_PGT_PAGE_SIZE
#define SZ_2M	    CPU_PGT_SIZE_2M
#define SZ_1G	    CPU_PGT_SIZE_1G
#define MiB	    (1ull << 20)
#define RWX	    (CPU_PERM_R | CPU_PERM_W | CPU_PERM_X)
#define RW	    (CPU_PERM_R | CPU_PERM_W)
#define RX	    (CPU_PERM_R | CPU_PERM_X)
/* Non-leaf entries, both formats: EPT R|W|X = 0x7; NPT P|R/W|U/S = 0x7. */
#define NONLEAF 0x7ull

struct arena {
	struct fake_pages pages; /* ARENA_PAGES table pages at FAKE_BASE */
	struct cpu_pgt_ops ops;
	struct cpu_pgt pgt;
};

static inline int alloc_table(void *ctx, uint64_t *pa)
{
	return fake_pages_alloc(&((struct arena *)ctx)->pages, pa);
}

static inline void free_table(void *ctx, uint64_t pa)
{
	fake_pages_free(&((struct arena *)ctx)->pages, pa);
}

static inline uint64_t *table(void *ctx, uint64_t pa)
{
	return fake_pages_at(&((struct arena *)ctx)->pages, pa);
}

/* With nothing allocated, hand pages out in ascending order again (the root at FAKE_BASE). */
static inline void arena_rewind(struct arena *a)
{
	fake_pages_rewind(&a->pages);
}

static inline int setup(void **state)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (!a)
		return -1;
	if (fake_pages_init(&a->pages, FAKE_BASE, ARENA_PAGES))
		return -1;
	a->ops = (struct cpu_pgt_ops){
		.alloc_table = alloc_table, .free_table = free_table, .table = table, .ctx = a
	};
	*state = a;
	return 0;
}

static inline int teardown(void **state)
{
	struct arena *a = *state;

	fake_pages_fini(&a->pages);
	free(a);
	return 0;
}

/* ---- helpers ---- */

static inline void create(struct arena *a, enum cpu_pgt_format format, uint32_t features)
{
	struct cpu_pgt_cfg cfg = { .format = format, .features = features };

	arena_rewind(a);
	a->pages.fail_at = 0;
	assert_int_equal(cpu_pgt_create(&a->pgt, &cfg, &a->ops), 0);
	assert_int_equal(a->pgt.root, FAKE_BASE);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
}

static inline void destroy(struct arena *a)
{
	cpu_pgt_destroy(&a->pgt);
	assert_int_equal(a->pages.in_use, 0);
}

static inline uint64_t entry(struct arena *a, uint64_t table_pa, unsigned int index)
{
	return table(a, table_pa)[index];
}

/* Entry @index of @table_pa must reference a table (exactly address | NONLEAF); returns it. */
static inline uint64_t next_table(struct arena *a, uint64_t table_pa, unsigned int index)
{
	uint64_t e = entry(a, table_pa, index);

	if ((e & ~EPT_ADDR_MASK) != NONLEAF)
		fail_msg("entry %u of %#" PRIx64 ": %#" PRIx64 " is not a table entry", index,
			 table_pa, e);
	return e & EPT_ADDR_MASK;
}

static inline void assert_xlate(struct arena *a, uint64_t gpa, uint64_t hpa, uint32_t perms,
				unsigned int mt, uint64_t size)
{
	struct cpu_pgt_xlate x = { 0 };
	int ret = cpu_pgt_translate(&a->pgt, gpa, &x);

	if (ret || x.hpa != hpa || x.perms != perms || x.memtype != mt || x.size != size)
		fail_msg("gpa %#" PRIx64 ": %d hpa %#" PRIx64 " perms %#x mt %u size %#" PRIx64
			 "; expected hpa %#" PRIx64 " perms %#x mt %u size %#" PRIx64,
			 gpa, ret, x.hpa, x.perms, x.memtype, x.size, hpa, perms, mt, size);
}

static inline void assert_unmapped(struct arena *a, uint64_t gpa)
{
	struct cpu_pgt_xlate x;
	int ret = cpu_pgt_translate(&a->pgt, gpa, &x);

	if (ret != -ENOENT)
		fail_msg("gpa %#" PRIx64 ": %d (hpa %#" PRIx64 "), expected -ENOENT", gpa, ret,
			 ret ? 0 : x.hpa);
}

/*
 * Walk every table from the root: non-leaf entries exactly address | NONLEAF, no empty table
 * but the root, no PS in a PML4E, 1 GiB leaves only with @one_g. Returns the tables reached,
 * which must equal both the library's count and the arena's pages in use.
 */
static inline uint64_t audit_level(struct arena *a, uint64_t table_pa, unsigned int level,
				   bool one_g)
{
	uint64_t n = 1;
	unsigned int present = 0;

	for (unsigned int i = 0; i < CPU_PGT_ENTRIES; i++) {
		uint64_t e = entry(a, table_pa, i);

		if (!e)
			continue;
		present++;
		if (level == 1 || ((e & EPT_PS) && level <= 3)) {
			assert_true(level != 3 || one_g);
			continue;
		}
		n += audit_level(a, next_table(a, table_pa, i), level - 1, one_g);
	}
	if (level != CPU_PGT_LEVELS && !present)
		fail_msg("table %#" PRIx64 " at level %u is empty", table_pa, level);
	return n;
}

static inline void audit(struct arena *a)
{
	uint64_t n = audit_level(a, a->pgt.root, CPU_PGT_LEVELS, a->pgt.features & CPU_PGT_F_1G);

	assert_int_equal(n, cpu_pgt_tables(&a->pgt));
	assert_int_equal(n, a->pages.in_use);
}

/* RAM, ROM, a passthrough BAR, an emulated device, the MSI window and a second RAM range. */
static inline void full_map(struct gmem *g, struct cpu_view *v)
{
	assert_int_equal(gmem_init(g, 39), 0);
	assert_int_equal(gmem_add(g, GMEM_RAM, 0, 2 * SZ_1G, 0x100000000ull, "ram0"), 0);
	assert_int_equal(gmem_add(g, GMEM_MMIO_PASSTHRU, 0xc0000000, MiB, 0xfe000000, "edu.bar0"),
			 0);
	assert_int_equal(
		gmem_add(g, GMEM_MMIO_EMULATED, 0xfec00000, PAGE, GMEM_NO_BACKING, "ioapic"), 0);
	assert_int_equal(gmem_add(g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"),
			 0);
	assert_int_equal(gmem_add(g, GMEM_ROM, 0xfff00000, MiB, 0x200000000ull, "bios"), 0);
	assert_int_equal(gmem_add(g, GMEM_RAM, 4 * SZ_1G, SZ_1G, 0x300000000ull, "ram1"), 0);
	assert_int_equal(gmem_seal(g), 0);
	assert_int_equal(cpu_view_derive(g, v), 0);
	assert_int_equal(v->nr, 4);
}

#endif
