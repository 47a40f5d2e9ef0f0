// SPDX-License-Identifier: MIT
/*
 * vmm/cpu_pgtable.c building EPT and NPT tables from CPU views: bit-exact entries, leaf sizes,
 * whole builds, errors and rollback, splitting unmaps (fixture: tests/unit/cpu_pgtable_fixture.h).
 *
 * Sources: vmm/cpu_pgtable.c kernel/mm/pgtable.c vmm/ept.c vmm/npt.c vmm/cpu_view.c vmm/gmem.c tests/unit/fake_pages.c
 */
#include "tests/unit/cpu_pgtable_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
