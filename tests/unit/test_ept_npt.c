// SPDX-License-Identifier: MIT
/*
 * vmm/ept.c and vmm/npt.c against the entry layouts: EPT (Intel SDM vol. 3C 29.3.2, tables 29-1
 * to 29-6: R/W/X bits 2:0, memory type 5:3, ignore-PAT 6, PS 7, address 51:12; the EPTP of
 * 25.6.11: memory type 2:0, page-walk length - 1 in 5:3, A/D enable 6) and NPT (AMD APM vol. 2
 * 15.25 with the long-mode entries of 5.4: P 0, R/W 1, U/S 2, PWT 3, PCD 4, PS 7, NX 63).
 * Every expected value is worked out by hand from those bit positions; the arithmetic is in
 * the comments. Also the refusals and the decoders.
 * Sources: vmm/ept.c vmm/npt.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <cmocka.h>

#include "vmm/cpu_view.h"
#include "vmm/ept.h"
#include "vmm/npt.h"

#define RWX (CPU_PERM_R | CPU_PERM_W | CPU_PERM_X)
#define RW  (CPU_PERM_R | CPU_PERM_W)
#define RX  (CPU_PERM_R | CPU_PERM_X)
#define R   CPU_PERM_R

static uint64_t ept(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int mt, bool ipat)
{
	uint64_t e = 0;

	assert_int_equal(ept_leaf(level, hpa, perms, mt, ipat, &e), 0);
	return e;
}

static uint64_t npt(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int mt)
{
	uint64_t e = 0;

	assert_int_equal(npt_leaf(level, hpa, perms, mt, &e), 0);
	return e;
}

/* ---- EPT ---- */

static void test_ept_leaf_sizes(void **state)
{
	(void)state;
	/* 4 KiB PTE, RAM: R|W|X = 0x7, WB 6 << 3 = 0x30, IPAT 0: 0x12345000 | 0x37. */
	assert_int_equal(ept(1, 0x12345000, RWX, EPT_MT_WB, false), 0x12345037ull);
	/* 2 MiB PDE, ROM: R|X = 0x5, WB 0x30, PS 0x80: 0x40200000 | 0xb5. */
	assert_int_equal(ept(2, 0x40200000, RX, EPT_MT_WB, false), 0x402000b5ull);
	/*
	 * 1 GiB PDPTE, passthrough MMIO: R|W = 0x3, UC 0 << 3 = 0, IPAT 0x40, PS 0x80 = 0xc3;
	 * 0x8c0000000 = 35 GiB is 1 GiB aligned.
	 */
	assert_int_equal(ept(3, 0x8c0000000ull, RW, EPT_MT_UC, true), 0x8c00000c3ull);
	/* The highest page: bits 51:12 all set = 0x000ffffffffff000, | R|W (3) | WB (0x30). */
	assert_int_equal(ept(1, 0x000ffffffffff000ull, RW, EPT_MT_WB, false),
			 0x000ffffffffff033ull);
	/* 2 MiB leaf at bit 51:21 all set: 0x000fffffffe00000 | R (1) | WB (0x30) | PS (0x80). */
	assert_int_equal(ept(2, 0x000fffffffe00000ull, R, EPT_MT_WB, false), 0x000fffffffe000b1ull);
}

static void test_ept_perms_and_types(void **state)
{
	(void)state;
	/* Permissions, 4 KiB at 0x1000, UC (0) without IPAT: just bits 2:0. */
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_UC, false), 0x1001ull);
	assert_int_equal(ept(1, 0x1000, RW, EPT_MT_UC, false), 0x1003ull);
	assert_int_equal(ept(1, 0x1000, RX, EPT_MT_UC, false), 0x1005ull);
	assert_int_equal(ept(1, 0x1000, RWX, EPT_MT_UC, false), 0x1007ull);
	/* Memory types with R: WC 1 << 3 = 0x08, WT 4 << 3 = 0x20, WP 5 << 3 = 0x28, WB 0x30. */
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_WC, false), 0x1009ull);
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_WT, false), 0x1021ull);
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_WP, false), 0x1029ull);
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_WB, false), 0x1031ull);
	/* IPAT is bit 6 (0x40): UC with IPAT, R = 0x41; WB with IPAT = 0x71. */
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_UC, true), 0x1041ull);
	assert_int_equal(ept(1, 0x1000, R, EPT_MT_WB, true), 0x1071ull);
}

static void test_ept_leaf_refusals(void **state)
{
	uint64_t e = 0xdead;

	(void)state;
	assert_int_equal(ept_leaf(0, 0x1000, R, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(4, 0, R, EPT_MT_WB, false, &e), -EINVAL); /* no PML4E leaf */
	assert_int_equal(ept_leaf(1, 0x1800, R, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(2, 0x201000, R, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(3, 0x40200000, R, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 1ull << 52, R, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 0x1000, CPU_PERM_W, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 0x1000, CPU_PERM_X, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 0x1000, 0, EPT_MT_WB, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 0x1000, R | (1u << 3), EPT_MT_WB, false, &e), -EINVAL);
	/* Memory types 2, 3 and 7 are reserved in EPT. */
	assert_int_equal(ept_leaf(1, 0x1000, R, 2, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 0x1000, R, 3, false, &e), -EINVAL);
	assert_int_equal(ept_leaf(1, 0x1000, R, 7, false, &e), -EINVAL);
	assert_int_equal(e, 0xdead); /* untouched */
}

static void test_ept_table(void **state)
{
	uint64_t e = 0;

	(void)state;
	/* A non-leaf entry: the table's address | R|W|X (7); bits 7:3 and A stay 0. */
	assert_int_equal(ept_table(0x7654321000ull, &e), 0);
	assert_int_equal(e, 0x7654321007ull);
	assert_int_equal(ept_table(0x7654321800ull, &e), -EINVAL);
	assert_int_equal(ept_table(1ull << 52, &e), -EINVAL);
}

static void test_eptp(void **state)
{
	/*
	 * IA32_VMX_EPT_VPID_CAP of a Skylake-class CPU, 0xf0106734141: bits 0 (execute-only),
	 * 6 (walk length 4, 0x40), 8 (UC, 0x100), 14 (WB, 0x4000), 16 and 17 (2M/1G, 0x30000),
	 * 20 (INVEPT), 21 (A/D, 0x200000), 22, 25, 26, and the INVVPID bits 32, 40-43.
	 */
	const uint64_t cap = 0xf0106734141ull;
	uint64_t eptp = 0;

	(void)state;
	/* PML4 0x12345000 | WB 6 | (4 - 1) << 3 = 0x18 | A/D 0x40 = 0x12345000 | 0x5e. */
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WB, true, cap, &eptp), 0);
	assert_int_equal(eptp, 0x1234505eull);
	/* Without A/D: 6 | 0x18 = 0x1e. */
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WB, false, cap, &eptp), 0);
	assert_int_equal(eptp, 0x1234501eull);
	/* UC paging structures: 0 | 0x18. */
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_UC, false, cap, &eptp), 0);
	assert_int_equal(eptp, 0x12345018ull);
	/* The highest table: bits 51:12 set, | 0x5e. */
	assert_int_equal(ept_eptp(0x000ffffffffff000ull, EPT_MT_WB, true, cap, &eptp), 0);
	assert_int_equal(eptp, 0x000ffffffffff05eull);

	assert_int_equal(ept_eptp(0x12345800, EPT_MT_WB, false, cap, &eptp), -EINVAL);
	assert_int_equal(ept_eptp(1ull << 52, EPT_MT_WB, false, cap, &eptp), -EINVAL);
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WT, false, cap, &eptp), -EINVAL);
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WB, false, cap & ~EPT_CAP_PWL4, &eptp),
			 -EOPNOTSUPP);
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WB, false, cap & ~EPT_CAP_WB, &eptp),
			 -EOPNOTSUPP);
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_UC, false, cap & ~EPT_CAP_UC, &eptp),
			 -EOPNOTSUPP);
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WB, true, cap & ~EPT_CAP_AD, &eptp),
			 -EOPNOTSUPP);
	/* A/D off needs no A/D capability. */
	assert_int_equal(ept_eptp(0x12345000, EPT_MT_WB, false, cap & ~EPT_CAP_AD, &eptp), 0);
	assert_int_equal(eptp, 0x1234501eull);
}

static void test_ept_decoders(void **state)
{
	(void)state;
	assert_false(ept_present(0));
	assert_false(ept_present(0x12345000ull | EPT_MT_MASK | EPT_PS)); /* bits 2:0 = 0 */
	assert_true(ept_present(EPT_X));				 /* execute-only */
	assert_true(ept_present(0x7654321007ull));
	/* 0x402000b5: PS set, a leaf at levels 2 and 3, never at 4; level 1 always a leaf. */
	assert_true(ept_is_leaf(0x402000b5ull, 2));
	assert_true(ept_is_leaf(0x402000b5ull, 3));
	assert_false(ept_is_leaf(0x402000b5ull, 4));
	assert_false(ept_is_leaf(0x7654321007ull, 2));
	assert_true(ept_is_leaf(0x12345037ull, 1));
	/* Addresses: a 2 MiB leaf keeps 51:21; a table 51:12; a 1 GiB leaf 51:30. */
	assert_int_equal(ept_addr(0x402000b5ull, 2), 0x40200000ull);
	assert_int_equal(ept_addr(0x7654321007ull, 2), 0x7654321000ull);
	assert_int_equal(ept_addr(0x8c00000c3ull, 3), 0x8c0000000ull);
	assert_int_equal(ept_addr(0x12345037ull | EPT_SUPPRESS_VE, 1), 0x12345000ull);
	assert_int_equal(ept_perms(0x402000b5ull), RX);
	assert_int_equal(ept_perms(0x8c00000c3ull), RW);
	assert_int_equal(ept_memtype(0x402000b5ull), EPT_MT_WB);
	assert_int_equal(ept_memtype(0x8c00000c3ull), EPT_MT_UC);
	assert_int_equal(ept_memtype(0x1029ull), EPT_MT_WP);
}

/* ---- NPT ---- */

static void test_npt_leaf_sizes(void **state)
{
	(void)state;
	/* 4 KiB PTE, RAM: P|R/W|U/S = 0x7, WB: PCD = PWT = 0, executable: no NX. */
	assert_int_equal(npt(1, 0x12345000, RWX, CPU_MT_WB), 0x12345007ull);
	/* 2 MiB PDE, ROM: P|U/S = 0x5, PS 0x80: 0x40200085. */
	assert_int_equal(npt(2, 0x40200000, RX, CPU_MT_WB), 0x40200085ull);
	/*
	 * 1 GiB PDPE, passthrough MMIO: P|R/W|U/S 0x7 | PWT 0x8 | PCD 0x10 | PS 0x80 = 0x9f, NX
	 * bit 63: 0x8000000000000000 | 0x8c0000000 | 0x9f.
	 */
	assert_int_equal(npt(3, 0x8c0000000ull, RW, CPU_MT_UC), 0x80000008c000009full);
	/* Read-only, not executable: P|U/S = 0x5 | NX. */
	assert_int_equal(npt(1, 0x1000, R, CPU_MT_WB), 0x8000000000001005ull);
	/* 4 KiB UC rwx: 0x7 | 0x18 = 0x1f, no PS (bit 7 of a PTE is PAT, left 0). */
	assert_int_equal(npt(1, 0x1000, RWX, CPU_MT_UC), 0x101full);
	/* The highest page, rw-: bits 51:12 | 0x7 | NX. */
	assert_int_equal(npt(1, 0x000ffffffffff000ull, RW, CPU_MT_WB), 0x800ffffffffff007ull);
}

static void test_npt_refusals(void **state)
{
	uint64_t e = 0xdead;

	(void)state;
	assert_int_equal(npt_leaf(0, 0x1000, R, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(4, 0, R, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(1, 0x1800, R, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(2, 0x201000, R, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(3, 0x40200000, R, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(1, 1ull << 52, R, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(1, 0x1000, CPU_PERM_W, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(1, 0x1000, CPU_PERM_X, CPU_MT_WB, &e), -EINVAL);
	assert_int_equal(npt_leaf(1, 0x1000, R | (1u << 3), CPU_MT_WB, &e), -EINVAL);
	/* Only WB and UC: the others would depend on a host PAT skiff does not program. */
	assert_int_equal(npt_leaf(1, 0x1000, R, CPU_MT_WT, &e), -EINVAL);
	assert_int_equal(npt_leaf(1, 0x1000, R, CPU_MT_WC, &e), -EINVAL);
	assert_int_equal(e, 0xdead);
}

static void test_npt_table_and_ncr3(void **state)
{
	uint64_t e = 0;

	(void)state;
	/* Non-leaf: P|R/W|U/S = 0x7, no NX, PCD = PWT = 0. */
	assert_int_equal(npt_table(0x7654321000ull, &e), 0);
	assert_int_equal(e, 0x7654321007ull);
	assert_int_equal(npt_table(0x7654321008ull, &e), -EINVAL);
	assert_int_equal(npt_table(1ull << 52, &e), -EINVAL);
	/* nCR3: the PML4 address itself (PWT = PCD = 0). */
	assert_int_equal(npt_ncr3(0x12345000, &e), 0);
	assert_int_equal(e, 0x12345000ull);
	assert_int_equal(npt_ncr3(0x12345010, &e), -EINVAL);
	assert_int_equal(npt_ncr3(1ull << 52, &e), -EINVAL);
}

static void test_npt_decoders(void **state)
{
	(void)state;
	assert_false(npt_present(0));
	assert_false(npt_present(0x12345006ull)); /* R/W|U/S without P */
	assert_true(npt_present(0x12345007ull));
	assert_true(npt_is_leaf(0x40200085ull, 2));
	assert_true(npt_is_leaf(0x40200085ull, 3));
	assert_false(npt_is_leaf(0x40200085ull, 4));
	assert_false(npt_is_leaf(0x7654321007ull, 3));
	/* Bit 7 of a PTE is PAT, not PS: still a 4 KiB leaf at level 1. */
	assert_true(npt_is_leaf(0x12345087ull, 1));
	assert_int_equal(npt_addr(0x80000008c000009full, 3), 0x8c0000000ull);
	assert_int_equal(npt_addr(0x40200085ull, 2), 0x40200000ull);
	assert_int_equal(npt_addr(0x800ffffffffff007ull, 1), 0x000ffffffffff000ull);
	assert_int_equal(npt_perms(0x12345007ull), RWX);
	assert_int_equal(npt_perms(0x40200085ull), RX);
	assert_int_equal(npt_perms(0x80000008c000009full), RW);
	assert_int_equal(npt_perms(0x8000000000001005ull), R);
	/* Reset PAT by PCD * 2 + PWT: 0 WB, 1 (PWT 0x8) WT, 2 (PCD 0x10) UC-, 3 UC. */
	assert_int_equal(npt_memtype(0x1007ull), CPU_MT_WB);
	assert_int_equal(npt_memtype(0x100full), CPU_MT_WT);
	assert_int_equal(npt_memtype(0x1017ull), CPU_MT_UC_MINUS);
	assert_int_equal(npt_memtype(0x101full), CPU_MT_UC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ept_leaf_sizes),
		cmocka_unit_test(test_ept_perms_and_types),
		cmocka_unit_test(test_ept_leaf_refusals),
		cmocka_unit_test(test_ept_table),
		cmocka_unit_test(test_eptp),
		cmocka_unit_test(test_ept_decoders),
		cmocka_unit_test(test_npt_leaf_sizes),
		cmocka_unit_test(test_npt_refusals),
		cmocka_unit_test(test_npt_table_and_ncr3),
		cmocka_unit_test(test_npt_decoders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
