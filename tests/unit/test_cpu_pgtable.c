// SPDX-License-Identifier: MIT
/*
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
 * Sources: vmm/cpu_pgtable.c kernel/mm/pgtable.c vmm/ept.c vmm/npt.c vmm/cpu_view.c vmm/gmem.c tests/unit/fake_pages.c
 */
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

static int alloc_table(void *ctx, uint64_t *pa)
{
	return fake_pages_alloc(&((struct arena *)ctx)->pages, pa);
}

static void free_table(void *ctx, uint64_t pa)
{
	fake_pages_free(&((struct arena *)ctx)->pages, pa);
}

static uint64_t *table(void *ctx, uint64_t pa)
{
	return fake_pages_at(&((struct arena *)ctx)->pages, pa);
}

/* With nothing allocated, hand pages out in ascending order again (the root at FAKE_BASE). */
static void arena_rewind(struct arena *a)
{
	fake_pages_rewind(&a->pages);
}

static int setup(void **state)
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

static int teardown(void **state)
{
	struct arena *a = *state;

	fake_pages_fini(&a->pages);
	free(a);
	return 0;
}

/* ---- helpers ---- */

static void create(struct arena *a, enum cpu_pgt_format format, uint32_t features)
{
	struct cpu_pgt_cfg cfg = { .format = format, .features = features };

	arena_rewind(a);
	a->pages.fail_at = 0;
	assert_int_equal(cpu_pgt_create(&a->pgt, &cfg, &a->ops), 0);
	assert_int_equal(a->pgt.root, FAKE_BASE);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
}

static void destroy(struct arena *a)
{
	cpu_pgt_destroy(&a->pgt);
	assert_int_equal(a->pages.in_use, 0);
}

static uint64_t entry(struct arena *a, uint64_t table_pa, unsigned int index)
{
	return table(a, table_pa)[index];
}

/* Entry @index of @table_pa must reference a table (exactly address | NONLEAF); returns it. */
static uint64_t next_table(struct arena *a, uint64_t table_pa, unsigned int index)
{
	uint64_t e = entry(a, table_pa, index);

	if ((e & ~EPT_ADDR_MASK) != NONLEAF)
		fail_msg("entry %u of %#" PRIx64 ": %#" PRIx64 " is not a table entry", index,
			 table_pa, e);
	return e & EPT_ADDR_MASK;
}

static void assert_xlate(struct arena *a, uint64_t gpa, uint64_t hpa, uint32_t perms,
			 unsigned int mt, uint64_t size)
{
	struct cpu_pgt_xlate x = { 0 };
	int ret = cpu_pgt_translate(&a->pgt, gpa, &x);

	if (ret || x.hpa != hpa || x.perms != perms || x.memtype != mt || x.size != size)
		fail_msg("gpa %#" PRIx64 ": %d hpa %#" PRIx64 " perms %#x mt %u size %#" PRIx64
			 "; expected hpa %#" PRIx64 " perms %#x mt %u size %#" PRIx64,
			 gpa, ret, x.hpa, x.perms, x.memtype, x.size, hpa, perms, mt, size);
}

static void assert_unmapped(struct arena *a, uint64_t gpa)
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
static uint64_t audit_level(struct arena *a, uint64_t table_pa, unsigned int level, bool one_g)
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

static void audit(struct arena *a)
{
	uint64_t n = audit_level(a, a->pgt.root, CPU_PGT_LEVELS, a->pgt.features & CPU_PGT_F_1G);

	assert_int_equal(n, cpu_pgt_tables(&a->pgt));
	assert_int_equal(n, a->pages.in_use);
}

/* RAM, ROM, a passthrough BAR, an emulated device, the MSI window and a second RAM range. */
static void full_map(struct gmem *g, struct cpu_view *v)
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

/* ---- creation ---- */

static void test_create_and_destroy(void **state)
{
	struct arena *a = *state;
	struct cpu_pgt p;
	const struct cpu_pgt_cfg bad[] = {
		{ .format = 2 },
		{ .format = CPU_PGT_EPT, .features = 1u << 1 },
		{ .format = CPU_PGT_NPT, .pa_bits = 12 },
		{ .format = CPU_PGT_NPT, .pa_bits = 53 },
	};
	struct cpu_pgt_ops no_free = a->ops;
	const struct cpu_pgt_cfg ept = { .format = CPU_PGT_EPT };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cpu_pgt_create(&p, &bad[i], &a->ops), -EINVAL);
	no_free.free_table = NULL;
	assert_int_equal(cpu_pgt_create(&p, &ept, &no_free), -EINVAL);
	assert_int_equal(a->pages.in_use, 0);

	a->pages.fail_at = a->pages.allocs + 1;
	assert_int_equal(cpu_pgt_create(&p, &ept, &a->ops), -ENOMEM);
	assert_int_equal(a->pages.in_use, 0);

	create(a, CPU_PGT_NPT, CPU_PGT_F_1G);
	assert_int_equal(a->pgt.pa_bits, 52);
	assert_int_equal(a->pgt.format, CPU_PGT_NPT);
	destroy(a);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 0);
}

static void test_features(void **state)
{
	(void)state;
	/* A Skylake-class IA32_VMX_EPT_VPID_CAP (0xf0106734141) has bit 17 (0x20000): 1 GiB. */
	assert_int_equal(cpu_pgt_features(CPU_PGT_EPT, 0xf0106734141ull), CPU_PGT_F_1G);
	assert_int_equal(cpu_pgt_features(CPU_PGT_EPT, 0xf0106714141ull), 0); /* bit 17 clear */
	/* CPUID 8000_0001h EDX of a Zen CPU, 0x2fd3fbff: bit 26 (0x04000000) Page1GB set. */
	assert_int_equal(cpu_pgt_features(CPU_PGT_NPT, 0x2fd3fbffull), CPU_PGT_F_1G);
	assert_int_equal(cpu_pgt_features(CPU_PGT_NPT, 0x2bd3fbffull), 0);
	assert_int_equal(cpu_pgt_features(2, ~0ull), 0);
}

/* ---- exact entries ---- */

static void test_ept_4k_exact(void **state)
{
	struct arena *a = *state;
	uint64_t pdpt, pd, pt;

	create(a, CPU_PGT_EPT, 0);
	/* gpa 0x1000: PML4 index 0, PDPT 0, PD 0, PT 1. Tables come out at FAKE_BASE + n pages. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x1000, 0x5000, PAGE, RWX, CPU_MT_WB), 0);
	assert_int_equal(entry(a, FAKE_BASE, 0), 0x40001007ull); /* PDPT at 0x40001000 | 7 */
	pdpt = next_table(a, FAKE_BASE, 0);
	assert_int_equal(entry(a, pdpt, 0), 0x40002007ull);
	pd = next_table(a, pdpt, 0);
	assert_int_equal(entry(a, pd, 0), 0x40003007ull);
	pt = next_table(a, pd, 0);
	/* 0x5000 | R|W|X (7) | WB 6 << 3 (0x30) = 0x5037. */
	assert_int_equal(entry(a, pt, 1), 0x5037ull);
	assert_int_equal(entry(a, pt, 0), 0);
	assert_int_equal(entry(a, pt, 2), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	/* MMIO at gpa 0x2000: 0x9000 | R|W (3) | UC 0 | IPAT 0x40 = 0x9043. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x2000, 0x9000, PAGE, RW, CPU_MT_UC), 0);
	assert_int_equal(entry(a, pt, 2), 0x9043ull);
	/* ROM at gpa 0x3000: 0xa000 | R|X (5) | WB 0x30 = 0xa035: no W. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x3000, 0xa000, PAGE, RX, CPU_MT_WB), 0);
	assert_int_equal(entry(a, pt, 3), 0xa035ull);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	assert_xlate(a, 0x1234, 0x5234, RWX, CPU_MT_WB, PAGE);
	assert_xlate(a, 0x2ff8, 0x9ff8, RW, CPU_MT_UC, PAGE);
	assert_xlate(a, 0x3000, 0xa000, RX, CPU_MT_WB, PAGE);
	assert_unmapped(a, 0);
	assert_unmapped(a, 0x4000);
	audit(a);
	destroy(a);
}

static void test_npt_4k_exact(void **state)
{
	struct arena *a = *state;
	uint64_t pt;

	create(a, CPU_PGT_NPT, 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x1000, 0x5000, PAGE, RWX, CPU_MT_WB), 0);
	/* Non-leaf entries: P|R/W|U/S = 7, like EPT's R|W|X. */
	assert_int_equal(entry(a, FAKE_BASE, 0), 0x40001007ull);
	pt = next_table(a, next_table(a, next_table(a, FAKE_BASE, 0), 0), 0);
	assert_int_equal(pt, 0x40003000ull);
	/* RAM: 0x5000 | P|R/W|U/S (7), no NX. */
	assert_int_equal(entry(a, pt, 1), 0x5007ull);
	/* MMIO: 0x9000 | 7 | PWT (8) | PCD (0x10) | NX (bit 63) = 0x800000000000901f. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x2000, 0x9000, PAGE, RW, CPU_MT_UC), 0);
	assert_int_equal(entry(a, pt, 2), 0x800000000000901full);
	/* ROM: 0xa000 | P|U/S (5): no R/W, executable. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x3000, 0xa000, PAGE, RX, CPU_MT_WB), 0);
	assert_int_equal(entry(a, pt, 3), 0xa005ull);
	assert_xlate(a, 0x2008, 0x9008, RW, CPU_MT_UC, PAGE);
	assert_xlate(a, 0x3fff, 0xafff, RX, CPU_MT_WB, PAGE);
	audit(a);
	destroy(a);
}

static void test_leaf_sizes(void **state)
{
	struct arena *a = *state;
	uint64_t pd, pt;

	create(a, CPU_PGT_EPT, 0);
	/*
	 * [0x200000, 0x601000) to 0x10200000: PD entries 1 and 2 are 2 MiB leaves
	 * (0x10200000 | 0x37 | PS 0x80 = 0x102000b7, then + 0x200000), and the last 4 KiB goes
	 * into a page table under PD entry 3 (0x10600000 | 0x37).
	 */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x200000, 0x10200000, 0x401000, RWX, CPU_MT_WB), 0);
	pd = next_table(a, next_table(a, FAKE_BASE, 0), 0);
	assert_int_equal(entry(a, pd, 0), 0);
	assert_int_equal(entry(a, pd, 1), 0x102000b7ull);
	assert_int_equal(entry(a, pd, 2), 0x104000b7ull);
	pt = next_table(a, pd, 3);
	assert_int_equal(entry(a, pt, 0), 0x10600037ull);
	assert_int_equal(entry(a, pt, 1), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	assert_xlate(a, 0x3fffff, 0x103fffff, RWX, CPU_MT_WB, SZ_2M);
	assert_xlate(a, 0x600fff, 0x10600fff, RWX, CPU_MT_WB, PAGE);

	/* 1 GiB without CPU_PGT_F_1G: 512 2 MiB leaves in a new PD under PDPT entry 1. */
	assert_int_equal(cpu_pgt_map(&a->pgt, SZ_1G, 0x80000000, SZ_1G, RWX, CPU_MT_WB), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 5);
	pd = next_table(a, next_table(a, FAKE_BASE, 0), 1);
	assert_int_equal(entry(a, pd, 511), (0x80000000ull + 511 * SZ_2M) | 0xb7);
	assert_xlate(a, SZ_1G + 0x12345, 0x80012345, RWX, CPU_MT_WB, SZ_2M);

	/* The host address only 4 KiB aligned: 2 MiB at 2 GiB -> 0x20001000 takes 512 PTEs. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 2 * SZ_1G, 0x20001000, SZ_2M, RWX, CPU_MT_WB), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 7); /* a PD and a PT */
	assert_xlate(a, 2 * SZ_1G + SZ_2M - 1, 0x20200fff, RWX, CPU_MT_WB, PAGE);
	audit(a);
	destroy(a);

	/* With 1 GiB leaves: PDPT entry 1 = 0x80000000 | 0x37 | 0x80 = 0x800000b7. */
	create(a, CPU_PGT_EPT, CPU_PGT_F_1G);
	assert_int_equal(cpu_pgt_map(&a->pgt, SZ_1G, 0x80000000, SZ_1G, RWX, CPU_MT_WB), 0);
	assert_int_equal(entry(a, next_table(a, FAKE_BASE, 0), 1), 0x800000b7ull);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 2);
	assert_xlate(a, 2 * SZ_1G - 1, 0xbfffffff, RWX, CPU_MT_WB, SZ_1G);
	/* gpa 1 GiB aligned but hpa only 2 MiB aligned: 2 MiB leaves. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 2 * SZ_1G, 0x100200000ull, SZ_1G, RW, CPU_MT_UC), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 3);
	/* 0x100200000 | R|W (3) | UC (0) | IPAT (0x40) | PS (0x80) = 0x1002000c3. */
	assert_int_equal(entry(a, next_table(a, next_table(a, FAKE_BASE, 0), 2), 0),
			 0x1002000c3ull);
	audit(a);
	destroy(a);

	/* NPT 1 GiB leaf: 0x80000000 | P|U/S (5) | PS (0x80) | NX = 0x8000000080000085. */
	create(a, CPU_PGT_NPT, CPU_PGT_F_1G);
	assert_int_equal(cpu_pgt_map(&a->pgt, SZ_1G, 0x80000000, SZ_1G, CPU_PERM_R, CPU_MT_WB), 0);
	assert_int_equal(entry(a, next_table(a, FAKE_BASE, 0), 1), 0x8000000080000085ull);
	assert_xlate(a, SZ_1G, 0x80000000, CPU_PERM_R, CPU_MT_WB, SZ_1G);
	destroy(a);
}

/* The view of full_map() built into tables: ram0 and ram1 in 1 GiB leaves with F_1G. */
static void check_full_build(struct arena *a, enum cpu_pgt_format format)
{
	struct gmem g;
	struct cpu_view v;
	uint64_t pdpt, pd3, pt_mmio, pt_rom;
	bool ept = format == CPU_PGT_EPT;

	full_map(&g, &v);
	create(a, format, CPU_PGT_F_1G);
	assert_int_equal(cpu_pgt_build(&a->pgt, &v), 0);
	/*
	 * Tables, in allocation order: root, the PDPT (ram0), the PD of PDPT entry 3
	 * (0xc0000000-0xffffffff) and its PTs for PD entry 0 (edu.bar0 at 0xc0000000) and PD
	 * entry 511 (bios at 0xfff00000: (0xfff00000 >> 21) & 511 = 511). ram1 is a leaf.
	 */
	assert_int_equal(cpu_pgt_tables(&a->pgt), 5);
	pdpt = next_table(a, FAKE_BASE, 0);
	assert_int_equal(pdpt, 0x40001000ull);
	pd3 = next_table(a, pdpt, 3);
	assert_int_equal(pd3, 0x40002000ull);
	pt_mmio = next_table(a, pd3, 0);
	assert_int_equal(pt_mmio, 0x40003000ull);
	pt_rom = next_table(a, pd3, 511);
	assert_int_equal(pt_rom, 0x40004000ull);
	if (ept) {
		/* RAM 1 GiB: hpa | R|W|X 7 | WB 0x30 | PS 0x80 = | 0xb7. */
		assert_int_equal(entry(a, pdpt, 0), 0x1000000b7ull);
		assert_int_equal(entry(a, pdpt, 1), 0x1400000b7ull);
		assert_int_equal(entry(a, pdpt, 4), 0x3000000b7ull);
		/* MMIO: hpa | R|W 3 | UC 0 | IPAT 0x40 = | 0x43. */
		assert_int_equal(entry(a, pt_mmio, 0), 0xfe000043ull);
		assert_int_equal(entry(a, pt_mmio, 255), 0xfe0ff043ull);
		/* ROM: PT index (0xfff00000 >> 12) & 511 = 256; hpa | R|X 5 | WB 0x30 = | 0x35. */
		assert_int_equal(entry(a, pt_rom, 256), 0x200000035ull);
		assert_int_equal(entry(a, pt_rom, 511), 0x2000ff035ull);
	} else {
		/* RAM 1 GiB: hpa | P|R/W|U/S 7 | PS 0x80 = | 0x87, executable (no NX). */
		assert_int_equal(entry(a, pdpt, 0), 0x100000087ull);
		assert_int_equal(entry(a, pdpt, 1), 0x140000087ull);
		assert_int_equal(entry(a, pdpt, 4), 0x300000087ull);
		/* MMIO: hpa | 7 | PWT 8 | PCD 0x10 | NX. */
		assert_int_equal(entry(a, pt_mmio, 0), 0x80000000fe00001full);
		assert_int_equal(entry(a, pt_mmio, 255), 0x80000000fe0ff01full);
		/* ROM: hpa | P|U/S 5. */
		assert_int_equal(entry(a, pt_rom, 256), 0x200000005ull);
		assert_int_equal(entry(a, pt_rom, 511), 0x2000ff005ull);
	}
	assert_int_equal(entry(a, pdpt, 2), 0); /* hole 2-3 GiB */
	assert_int_equal(entry(a, pt_mmio, 256), 0);
	assert_int_equal(entry(a, pt_rom, 255), 0);
	/* Emulated MMIO and the MSI window: PD entry (0xfec00000 >> 21) & 511 = 502, 503. */
	assert_int_equal(entry(a, pd3, 502), 0);
	assert_int_equal(entry(a, pd3, 503), 0);
	assert_unmapped(a, 0xfec00000);
	for (uint64_t gpa = X86_MSI_BASE; gpa < X86_MSI_BASE + X86_MSI_SIZE; gpa += PAGE)
		assert_unmapped(a, gpa);
	assert_unmapped(a, 2 * SZ_1G);
	assert_unmapped(a, 0xc0100000);
	assert_unmapped(a, 5 * SZ_1G);
	/* ROM is never writable, on every page. */
	for (uint64_t off = 0; off < MiB; off += PAGE) {
		struct cpu_pgt_xlate x;

		assert_int_equal(cpu_pgt_translate(&a->pgt, 0xfff00000 + off, &x), 0);
		assert_int_equal(x.perms, RX);
		assert_int_equal(x.entry & (ept ? EPT_W : NPT_RW), 0);
		assert_int_equal(x.hpa, 0x200000000ull + off);
	}
	assert_xlate(a, 0x7fffffff, 0x17fffffff, RWX, CPU_MT_WB, SZ_1G);
	assert_xlate(a, 0xc0000abc, 0xfe000abc, RW, CPU_MT_UC, PAGE);
	assert_xlate(a, 4 * SZ_1G, 0x300000000, RWX, CPU_MT_WB, SZ_1G);
	audit(a);
	destroy(a);

	/* Without 1 GiB leaves: ram0 fills PD 0 and 1, ram1 PD 4: 8 tables. */
	create(a, format, 0);
	assert_int_equal(cpu_pgt_build(&a->pgt, &v), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 8);
	assert_xlate(a, 0x7fffffff, 0x17fffffff, RWX, CPU_MT_WB, SZ_2M);
	audit(a);
	destroy(a);
}

static void test_build_ept(void **state)
{
	check_full_build(*state, CPU_PGT_EPT);
}

static void test_build_npt(void **state)
{
	check_full_build(*state, CPU_PGT_NPT);
}

/* ---- errors and rollback ---- */

static void test_errors(void **state)
{
	struct arena *a = *state;
	struct cpu_pgt_cfg cfg = { .format = CPU_PGT_EPT, .pa_bits = 40 };
	struct cpu_pgt_xlate x;

	create(a, CPU_PGT_EPT, 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x800, 0, PAGE, RWX, CPU_MT_WB), -EINVAL);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0x800, PAGE, RWX, CPU_MT_WB), -EINVAL);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0, 0x800, RWX, CPU_MT_WB), -EINVAL);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0, 0, RWX, CPU_MT_WB), -EINVAL);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0, PAGE, CPU_PERM_W, CPU_MT_WB), -EINVAL);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0, PAGE, 1u << 3 | RWX, CPU_MT_WB), -EINVAL);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0, PAGE, RWX, CPU_MT_WT), -EINVAL);
	/* 2^48 - 4 KiB is the last page a 4-level walk reaches. */
	assert_int_equal(cpu_pgt_map(&a->pgt, (1ull << 48) - PAGE, 0, 2 * PAGE, RWX, CPU_MT_WB),
			 -ERANGE);
	assert_int_equal(cpu_pgt_map(&a->pgt, 1ull << 48, 0, PAGE, RWX, CPU_MT_WB), -ERANGE);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, (1ull << 52) - PAGE, 2 * PAGE, RWX, CPU_MT_WB),
			 -ERANGE);
	assert_int_equal(cpu_pgt_map(&a->pgt, (1ull << 48) - PAGE, (1ull << 52) - PAGE, PAGE, RWX,
				     CPU_MT_WB),
			 0);
	assert_xlate(a, (1ull << 48) - 1, (1ull << 52) - 1, RWX, CPU_MT_WB, PAGE);
	assert_int_equal(cpu_pgt_translate(&a->pgt, 1ull << 48, &x), -ENOENT);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, 0x800, PAGE), -EINVAL);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, 0, 0), -EINVAL);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, 1ull << 48, PAGE), -ERANGE);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, 0, PAGE), -ENOENT);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, (1ull << 48) - PAGE, PAGE), (int64_t)PAGE);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
	destroy(a);

	/* MAXPHYADDR 40: host addresses below 2^40. */
	arena_rewind(a);
	assert_int_equal(cpu_pgt_create(&a->pgt, &cfg, &a->ops), 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 1ull << 40, PAGE, RWX, CPU_MT_WB), -ERANGE);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, (1ull << 40) - PAGE, PAGE, RWX, CPU_MT_WB), 0);
	destroy(a);
}

static void test_eexist_rollback(void **state)
{
	struct arena *a = *state;

	create(a, CPU_PGT_EPT, 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x300000, 0x5000, PAGE, RWX, CPU_MT_WB), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	/*
	 * [0, 0x600000): PD entry 0 becomes a 2 MiB leaf, PD entry 1 holds the PT of 0x300000, so
	 * pages 0x200000-0x2ff000 go in, then 0x300000 conflicts: everything is removed again.
	 */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x000000, 0x10000000, 0x600000, RW, CPU_MT_UC),
			 -EEXIST);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	assert_unmapped(a, 0);
	assert_unmapped(a, 0x400000);
	assert_xlate(a, 0x300000, 0x5000, RWX, CPU_MT_WB, PAGE);
	/* A page inside the existing PT, after new pages in it: those are removed again. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x2fe000, 0x10000000, 4 * PAGE, RW, CPU_MT_UC),
			 -EEXIST);
	assert_unmapped(a, 0x2fe000);
	assert_unmapped(a, 0x2ff000);
	assert_unmapped(a, 0x301000);
	audit(a);
	/* Inside a large leaf. */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x400000, 0x10400000, SZ_2M, RWX, CPU_MT_WB), 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x401000, 0x6000, PAGE, RWX, CPU_MT_WB), -EEXIST);
	/* No table was created for it. */
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	audit(a);
	destroy(a);
}

/* Every allocation of a build failing in turn: each time nothing stays mapped. */
static void check_enomem_build(struct arena *a, enum cpu_pgt_format format, uint32_t features)
{
	struct gmem g;
	struct cpu_view v;
	uint64_t needed, start;

	full_map(&g, &v);
	create(a, format, features);
	start = a->pages.allocs;
	assert_int_equal(cpu_pgt_build(&a->pgt, &v), 0);
	needed = a->pages.allocs - start;
	assert_int_equal(needed, cpu_pgt_tables(&a->pgt) - 1);
	destroy(a);
	for (uint64_t k = 1; k <= needed; k++) {
		create(a, format, features);
		a->pages.fail_at = a->pages.allocs + k;
		assert_int_equal(cpu_pgt_build(&a->pgt, &v), -ENOMEM);
		a->pages.fail_at = 0;
		assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
		assert_int_equal(a->pages.in_use, 1);
		for (unsigned int i = 0; i < CPU_PGT_ENTRIES; i++)
			assert_int_equal(entry(a, FAKE_BASE, i), 0);
		for (unsigned int i = 0; i < v.nr; i++)
			assert_unmapped(a, v.entry[i].gpa);
		/* The table still works afterwards. */
		assert_int_equal(cpu_pgt_build(&a->pgt, &v), 0);
		audit(a);
		destroy(a);
	}
}

static void test_enomem_rollback(void **state)
{
	struct arena *a = *state;

	check_enomem_build(a, CPU_PGT_EPT, CPU_PGT_F_1G);
	check_enomem_build(a, CPU_PGT_EPT, 0);
	check_enomem_build(a, CPU_PGT_NPT, CPU_PGT_F_1G);
	check_enomem_build(a, CPU_PGT_NPT, 0);

	/* A map into a table that holds other mappings: the shared tables stay. */
	create(a, CPU_PGT_NPT, 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0x100000, PAGE, RWX, CPU_MT_WB), 0);
	a->pages.fail_at = a->pages.allocs + 2; /* the PD for PDPT entry 1 goes in, its PT fails */
	assert_int_equal(cpu_pgt_map(&a->pgt, 0x3fe00000, 0x200000, 0x201000, RWX, CPU_MT_WB),
			 -ENOMEM);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	assert_unmapped(a, 0x3fe00000);
	assert_xlate(a, 0, 0x100000, RWX, CPU_MT_WB, PAGE);
	audit(a);
	destroy(a);
}

/* ---- unmap ---- */

static void test_unmap_split(void **state)
{
	struct arena *a = *state;
	const uint64_t base = SZ_1G, hpa = 0x80000000;
	uint64_t pd, pt;

	create(a, CPU_PGT_EPT, CPU_PGT_F_1G);
	assert_int_equal(cpu_pgt_map(&a->pgt, base, hpa, SZ_1G, RX, CPU_MT_WB), 0);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 2);
	/* One page out of the middle: 1 GiB -> 512 x 2 MiB, the second 2 MiB -> 512 x 4 KiB. */
	assert_int_equal(cpu_pgt_unmap(&a->pgt, base + 0x201000, PAGE), (int64_t)PAGE);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	pd = next_table(a, next_table(a, FAKE_BASE, 0), 1);
	/* 2 MiB leaves keep R|X (5), WB (0x30), PS (0x80): 0x80000000 | 0xb5. */
	assert_int_equal(entry(a, pd, 0), 0x800000b5ull);
	assert_int_equal(entry(a, pd, 511), (hpa + 511 * SZ_2M) | 0xb5);
	pt = next_table(a, pd, 1);
	/* 4 KiB leaves: no PS: 0x80200000 | 0x35. */
	assert_int_equal(entry(a, pt, 0), 0x80200035ull);
	assert_int_equal(entry(a, pt, 1), 0);
	assert_int_equal(entry(a, pt, 2), 0x80202035ull);
	assert_xlate(a, base + 0x200000, hpa + 0x200000, RX, CPU_MT_WB, PAGE);
	assert_unmapped(a, base + 0x201000);
	assert_xlate(a, base + 0x400000, hpa + 0x400000, RX, CPU_MT_WB, SZ_2M);
	audit(a);

	/* A split that cannot get its page changes nothing. */
	a->pages.fail_at = a->pages.allocs + 1;
	assert_int_equal(cpu_pgt_unmap(&a->pgt, base + 0x603000, PAGE), -ENOMEM);
	a->pages.fail_at = 0;
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	assert_xlate(a, base + 0x603000, hpa + 0x603000, RX, CPU_MT_WB, SZ_2M);
	audit(a);

	/* Everything: 1 GiB less the page already gone; the PDPT empties and is freed. */
	assert_int_equal(cpu_pgt_unmap(&a->pgt, 0, 4 * SZ_1G), (int64_t)(SZ_1G - PAGE));
	assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, base, SZ_1G), -ENOENT);

	/* Both edges inside one 1 GiB leaf and one 2 MiB piece: 4 pages reserved, 2 used. */
	assert_int_equal(cpu_pgt_map(&a->pgt, base, hpa, SZ_1G, RX, CPU_MT_WB), 0);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, base + 0x1000, 2 * PAGE), (int64_t)(2 * PAGE));
	assert_int_equal(cpu_pgt_tables(&a->pgt), 4);
	assert_xlate(a, base, hpa, RX, CPU_MT_WB, PAGE);
	assert_unmapped(a, base + 0x2000);
	assert_xlate(a, base + 0x3000, hpa + 0x3000, RX, CPU_MT_WB, PAGE);
	audit(a); /* the spare reserved pages were given back */
	/* Both edges in different 2 MiB leaves of the split: two more PTs. */
	assert_int_equal(cpu_pgt_unmap(&a->pgt, base + 0x5ff000, 0x202000), (int64_t)0x202000);
	assert_int_equal(cpu_pgt_tables(&a->pgt), 6);
	assert_xlate(a, base + 0x5fe000, hpa + 0x5fe000, RX, CPU_MT_WB, PAGE);
	assert_xlate(a, base + 0x801000, hpa + 0x801000, RX, CPU_MT_WB, PAGE);
	assert_xlate(a, base + 0xa00000, hpa + 0xa00000, RX, CPU_MT_WB, SZ_2M);
	/* 2 MiB at 0x600000 held a whole leaf: removed, not split. */
	assert_unmapped(a, base + 0x700000);
	audit(a);
	destroy(a);

	/* NPT: a 4 KiB split of a 2 MiB UC leaf keeps PCD|PWT and NX, drops PS. */
	create(a, CPU_PGT_NPT, 0);
	assert_int_equal(cpu_pgt_map(&a->pgt, 0, 0xfe000000, SZ_2M, RW, CPU_MT_UC), 0);
	assert_int_equal(cpu_pgt_unmap(&a->pgt, SZ_2M - PAGE, PAGE), (int64_t)PAGE);
	pt = next_table(a, next_table(a, next_table(a, FAKE_BASE, 0), 0), 0);
	/* 0xfe001000 | P|R/W|U/S 7 | PWT 8 | PCD 0x10 | NX. */
	assert_int_equal(entry(a, pt, 1), 0x80000000fe00101full);
	assert_int_equal(entry(a, pt, 511), 0);
	assert_xlate(a, 0x1234, 0xfe001234, RW, CPU_MT_UC, PAGE);
	audit(a);
	destroy(a);
}

/* ---- randomized model check ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* A random sealed gmem: up to 8 ranges of random kinds, sizes and alignments, and the MSI. */
static void random_gmem(struct gmem *g)
{
	static const enum gmem_kind kinds[] = { GMEM_RAM, GMEM_RAM, GMEM_ROM, GMEM_MMIO_PASSTHRU,
						GMEM_MMIO_EMULATED };
	static const uint64_t aligns[] = { PAGE, SZ_2M, SZ_1G };
	unsigned int n = 1 + (unsigned int)rnd_below(8);
	uint64_t gpa = rnd_below(4) * SZ_1G, hpa = (1ull << 32) + rnd_below(64) * SZ_1G;
	bool ram = false;

	assert_int_equal(gmem_init(g, 39), 0);
	assert_int_equal(gmem_add(g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"),
			 0);
	for (unsigned int i = 0; i < n; i++) {
		enum gmem_kind kind = kinds[rnd_below(5)];
		uint64_t align = aligns[rnd_below(3)], size, hoff;

		if (i == n - 1 && !ram)
			kind = GMEM_RAM;
		switch (rnd_below(3)) {
		case 0:
			size = (1 + rnd_below(64)) * PAGE;
			break;
		case 1:
			size = (1 + rnd_below(32)) * SZ_2M + rnd_below(2) * rnd_below(8) * PAGE;
			break;
		default:
			size = (1 + rnd_below(2)) * SZ_1G + rnd_below(4) * SZ_2M +
			       rnd_below(2) * PAGE;
			break;
		}
		gpa = align_up(gpa + rnd_below(4) * PAGE, align);
		if (gpa < X86_MSI_BASE + X86_MSI_SIZE && gpa + size > X86_MSI_BASE)
			gpa = align_up(X86_MSI_BASE + X86_MSI_SIZE, align);
		/* The host offset: as aligned as the guest (large leaves) or off by pages. */
		hoff = gpa & (SZ_1G - 1);
		if (size <= 64 * SZ_2M && rnd_below(3) == 0)
			hoff = (hoff + (1 + rnd_below(511)) * PAGE) & (SZ_1G - 1);
		hpa = align_up(hpa, SZ_1G) + hoff;
		assert_int_equal(gmem_add(g, kind, gpa, size,
					  gmem_is_backed(kind) ? hpa : GMEM_NO_BACKING, "r"),
				 0);
		ram |= kind == GMEM_RAM;
		gpa += size;
		hpa += size;
	}
	assert_int_equal(gmem_seal(g), 0);
}

/* Unmapped intervals of the model: pages there are expected to translate to nothing. */
#define MAX_HOLES 8
struct model {
	const struct cpu_view *v;
	unsigned int nr_holes;
	uint64_t hole[MAX_HOLES][2];
};

static const struct cpu_view_entry *model_find(const struct model *m, uint64_t gpa)
{
	for (unsigned int i = 0; i < m->nr_holes; i++)
		if (gpa >= m->hole[i][0] && gpa < m->hole[i][1])
			return NULL;
	return cpu_view_find(m->v, gpa);
}

/* translate(@gpa) agrees with the model; with @maximal, its leaf could not be any larger. */
static void check_gpa(struct arena *a, const struct model *m, uint64_t gpa, bool maximal)
{
	const struct cpu_view_entry *e = model_find(m, gpa);
	struct cpu_pgt_xlate x;
	int ret = cpu_pgt_translate(&a->pgt, gpa, &x);
	uint64_t base, bigger, big_base;

	if (!e) {
		if (ret != -ENOENT)
			fail_msg("gpa %#" PRIx64 " should be absent, got %d hpa %#" PRIx64, gpa,
				 ret, ret ? 0 : x.hpa);
		return;
	}
	if (ret || x.hpa != e->hpa + (gpa - e->gpa) || x.perms != e->perms ||
	    x.memtype != e->memtype)
		fail_msg("gpa %#" PRIx64 ": %d hpa %#" PRIx64
			 " perms %#x mt %u; model hpa %#" PRIx64 " perms %#x mt %u",
			 gpa, ret, x.hpa, x.perms, x.memtype, e->hpa + (gpa - e->gpa), e->perms,
			 e->memtype);
	/* The leaf lies inside the entry it maps. */
	base = gpa & ~(x.size - 1);
	assert_true(base >= e->gpa && base + x.size <= e->gpa + e->size);
	if (!maximal || x.size == SZ_1G || (x.size == SZ_2M && !(a->pgt.features & CPU_PGT_F_1G)))
		return;
	bigger = x.size == PAGE ? SZ_2M : SZ_1G;
	big_base = gpa & ~(bigger - 1);
	if (big_base >= e->gpa && big_base + bigger <= e->gpa + e->size &&
	    !((e->hpa + (big_base - e->gpa)) & (bigger - 1)))
		fail_msg("gpa %#" PRIx64 ": a %#" PRIx64 " leaf where %#" PRIx64 " fits", gpa,
			 x.size, bigger);
}

static void check_model(struct arena *a, const struct model *m, const struct gmem *g, bool maximal)
{
	for (unsigned int i = 0; i < g->nr; i++) {
		const struct gmem_range *r = &g->range[i];

		check_gpa(a, m, r->gpa, maximal);
		check_gpa(a, m, r->gpa + r->size - PAGE, maximal);
		check_gpa(a, m, r->gpa + r->size, maximal);
		if (r->gpa)
			check_gpa(a, m, r->gpa - PAGE, maximal);
		for (unsigned int k = 0; k < 16; k++)
			check_gpa(a, m, r->gpa + (rnd_below(r->size) & ~(PAGE - 1)), maximal);
	}
	for (unsigned int i = 0; i < m->nr_holes; i++) {
		check_gpa(a, m, m->hole[i][0], maximal);
		check_gpa(a, m, m->hole[i][1] - PAGE, maximal);
		check_gpa(a, m, m->hole[i][1], maximal);
		if (m->hole[i][0])
			check_gpa(a, m, m->hole[i][0] - PAGE, maximal);
	}
	for (unsigned int k = 0; k < 64; k++)
		check_gpa(a, m, rnd_below(8 * SZ_1G) & ~(PAGE - 1), maximal);
	audit(a);
}

/* Bytes the model has mapped in [@gpa, @gpa + @size), counted page by page. */
static uint64_t model_mapped(const struct model *m, uint64_t gpa, uint64_t size)
{
	uint64_t n = 0;

	for (uint64_t off = 0; off < size; off += PAGE)
		n += model_find(m, gpa + off) ? PAGE : 0;
	return n;
}

#define PROPERTY_SEED	0x5eedc0de2024ull
#define PROPERTY_ROUNDS 150

static void property(struct arena *a, enum cpu_pgt_format format, uint32_t features)
{
	rng_state = PROPERTY_SEED ^ ((uint64_t)format << 32) ^ features;
	for (unsigned int round = 0; round < PROPERTY_ROUNDS; round++) {
		struct gmem g;
		struct cpu_view v;
		struct model m = { .v = &v };

		random_gmem(&g);
		assert_int_equal(cpu_view_derive(&g, &v), 0);
		create(a, format, features);
		assert_int_equal(cpu_pgt_build(&a->pgt, &v), 0);
		check_model(a, &m, &g, true);

		/* Random unmaps inside (and across the ends of) view entries. */
		for (; m.nr_holes < MAX_HOLES && v.nr; m.nr_holes++) {
			const struct cpu_view_entry *e = &v.entry[rnd_below(v.nr)];
			uint64_t start = e->gpa + (rnd_below(e->size) & ~(PAGE - 1));
			uint64_t size = (1 + rnd_below(rnd_below(2) ? 8 : 1024)) * PAGE;
			uint64_t expect = model_mapped(&m, start, size);
			int64_t ret = cpu_pgt_unmap(&a->pgt, start, size);

			if (expect)
				assert_int_equal(ret, (int64_t)expect);
			else
				assert_int_equal(ret, -ENOENT);
			m.hole[m.nr_holes][0] = start;
			m.hole[m.nr_holes][1] = start + size;
		}
		check_model(a, &m, &g, false);

		/* Tearing down entry by entry frees every table but the root. */
		for (unsigned int i = 0; i < v.nr; i++) {
			uint64_t expect = model_mapped(&m, v.entry[i].gpa, v.entry[i].size);
			int64_t ret = cpu_pgt_unmap(&a->pgt, v.entry[i].gpa, v.entry[i].size);

			assert_int_equal(ret, expect ? (int64_t)expect : -ENOENT);
		}
		assert_int_equal(cpu_pgt_tables(&a->pgt), 1);
		assert_int_equal(a->pages.in_use, 1);
		destroy(a);
	}
}

static void test_property_ept(void **state)
{
	property(*state, CPU_PGT_EPT, 0);
}

static void test_property_ept_1g(void **state)
{
	property(*state, CPU_PGT_EPT, CPU_PGT_F_1G);
}

static void test_property_npt(void **state)
{
	property(*state, CPU_PGT_NPT, 0);
}

static void test_property_npt_1g(void **state)
{
	property(*state, CPU_PGT_NPT, CPU_PGT_F_1G);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_destroy, setup, teardown),
		cmocka_unit_test(test_features),
		cmocka_unit_test_setup_teardown(test_ept_4k_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npt_4k_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_ept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_npt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eexist_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enomem_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_ept_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_npt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_property_npt_1g, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
