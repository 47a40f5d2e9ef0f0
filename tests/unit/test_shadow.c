// SPDX-License-Identifier: MIT
/*
 * The shadow first stage (vmm/shadow.c): composition of a guest first stage with the device
 * view (exact maps, ROM and holes, the MSI window, large leaves, merges, invalidation, 5-level
 * paging, reserved bits). The fixture is tests/unit/shadow_fixture.h.
 *
 * Sources: vmm/shadow.c kernel/log.c tests/unit/fake_console.c
 */
#include "tests/unit/shadow_fixture.h"

static void test_init_errors(void **state)
{
	struct shadow_cfg cfg = {
		.root = TABLES, .levels = 4, .iova_bits = 48, .budget = 1, .vm = VM_NAME
	};
	struct shadow_ops ops = {
		.read_table = cb_read_table, .lookup = cb_lookup, .map = cb_map, .unmap = cb_unmap
	};
	struct shadow s;

	(void)state;
	assert_int_equal(shadow_init(&s, &cfg, &ops), 0);
	assert_int_equal(shadow_init(NULL, &cfg, &ops), -EINVAL);
	assert_int_equal(shadow_init(&s, NULL, &ops), -EINVAL);
	assert_int_equal(shadow_init(&s, &cfg, NULL), -EINVAL);
	cfg.root = TABLES + 8; /* not 4 KiB aligned */
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
	cfg.root = TABLES;
	cfg.levels = 3;
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
	cfg.levels = 5;
	cfg.iova_bits = 58;
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
	cfg.iova_bits = 31;
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
	cfg.iova_bits = 57;
	cfg.budget = 0;
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
	cfg.budget = 1;
	cfg.vm = NULL;
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
	cfg.vm = VM_NAME;
	ops.unmap = NULL;
	assert_int_equal(shadow_init(&s, &cfg, &ops), -EINVAL);
}

/*
 * Three 4 KiB guest leaves: IOVA 0x1000 -> gpa 0x200000 and 0x2000 -> 0x201000 (both RW) merge
 * into one 8 KiB map at host 0x80000000 + 0x200000; 0x3000 -> 0x300000 read-only (R/W = 0) is
 * its own map with READ only.
 */
static void test_compose_exact(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x1000, 1, 0x200000 | FS_PRU);
	gmap(root, 4, 0x2000, 1, 0x201000 | FS_PRU);
	gmap(root, 4, 0x3000, 1, 0x300000 | FS_PU);
	shadow_setup(root, 4, 48, false);
	assert_int_equal(shadow_build(&sh, &st), 0);

	expect_unmap(0, 0, HALF_4); /* the build starts from an empty domain */
	assert_int_equal(nunmaps, 1);
	assert_int_equal(nmaps, 2);
	expect_map(0, 0x1000, 0x80200000, 0x2000, IOMMU_RW);
	expect_map(1, 0x3000, 0x80300000, 0x1000, IOMMU_READ);
	assert_int_equal(st.leaves, 3);
	assert_int_equal(st.pages, 3);
	assert_int_equal(st.maps, 2);
	for (unsigned int r = 0; r < SHADOW_NR_SKIPS; r++)
		assert_int_equal(st.skipped[r], 0);
	for (unsigned int r = 0; r < SHADOW_NR_BAD_TABLES; r++)
		assert_int_equal(st.bad_tables[r], 0);

	/* R/W = 0 in a non-leaf entry takes write away from everything below it. */
	*gentry(root, 4, 0x1000, 2) &= ~FS_RW;
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 2);
	expect_map(0, 0x1000, 0x80200000, 0x2000, IOMMU_READ);
	expect_map(1, 0x3000, 0x80300000, 0x1000, IOMMU_READ);
	assert_int_equal(host_bytes(), 0x3000);
}

/*
 * Composed permissions are the AND: a guest RW leaf into the ROM (view: read-only) maps READ; a
 * leaf into the ROM left out of the view maps nothing (skipped: not in view); a leaf into the
 * hole and one into the MSI window's gpa map nothing either.
 */
static void test_rom_and_holes(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x10000, 1, ROM_GPA | FS_PRU);	     /* ROM page 0 */
	gmap(root, 4, 0x11000, 1, HOLE_GPA | FS_PRU);	     /* the hole */
	gmap(root, 4, 0x12000, 1, 0xfec00000 | FS_PRU);	     /* beyond every range */
	gmap(root, 4, 0x13000, 1, (ROM_GPA + PAGE) | FS_PU); /* ROM page 1, guest RO */
	shadow_setup(root, 4, 48, false);

	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 2);
	expect_map(0, 0x10000, 0xa0000000, PAGE, IOMMU_READ);
	expect_map(1, 0x13000, 0xa0001000, PAGE, IOMMU_READ);
	assert_int_equal(st.leaves, 2);
	assert_int_equal(st.skipped[SHADOW_SKIP_NOT_IN_VIEW], 2);

	/* ROM left out of the view (SPR17 skip): neither ROM leaf is mapped. */
	view_default(0);
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 0);
	assert_int_equal(st.leaves, 0);
	assert_int_equal(st.skipped[SHADOW_SKIP_NOT_IN_VIEW], 4);
	assert_int_equal(host_bytes(), 0);
}

/*
 * The interrupt range is never mapped, even when the view (wrongly) maps it: neither an IOVA in
 * it nor a guest-physical output in it. A 2 MiB guest leaf at IOVA 0xfee00000 (2 MiB aligned:
 * 0xfee00000 = 0x7f7 * 0x200000) to gpa 0x400000 maps only its upper half: IOVA 0xfef00000 ->
 * gpa 0x400000 + 0x100000 = 0x500000, ram1b's first byte, host 0x98000000.
 */
static void test_msi_never_mapped(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x20000, 1, MSI_BASE | FS_PRU);		  /* output in the window */
	gmap(root, 4, 0x21000, 1, (MSI_BASE + 0xff000) | FS_PRU); /* its last page */
	gmap(root, 4, MSI_BASE + 0x5000, 1, 0x200000 | FS_PRU);	  /* IOVA in the window */
	shadow_setup(root, 4, 48, false);
	view_add(MSI_BASE, MSI_SIZE, 0xfee00000, IOMMU_RW); /* a view that maps it anyway */

	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 0);
	assert_int_equal(st.skipped[SHADOW_SKIP_MSI], 3);

	/* A 2 MiB leaf over the window: PDE of IOVA 0xfee00000, PS = 1, gpa 0x400000. */
	gmap(root, 4, MSI_BASE, 2, 0x400000 | FS_PS | FS_PRU);
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 1);
	expect_map(0, MSI_BASE + MSI_SIZE, 0x98000000, MIB, IOMMU_RW);
	assert_false(host_has(MSI_BASE));
	assert_false(host_has(MSI_BASE + MSI_SIZE - PAGE));
	assert_int_equal(st.leaves, 1);
	assert_int_equal(st.skipped[SHADOW_SKIP_MSI], 3); /* 0x20000, 0x21000 and the 2 MiB leaf */
}

/*
 * SPR17's rule in the shadow: a guest table page in read-only memory is not walked. The PT
 * (level 1) serving IOVAs 0x200000-0x3fffff is moved into the ROM at 0x600000: its leaves stay
 * unmapped, the table is reported, the other leaves are mapped.
 */
static void test_table_in_rom_not_walked(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x1000, 1, 0x200000 | FS_PRU);
	gmap(root, 4, 0x200000, 1, 0x201000 | FS_PRU);
	gmap(root, 4, 0x201000, 1, 0x202000 | FS_PRU);
	move_table(root, 4, 0x200000, 1, ROM_GPA);
	shadow_setup(root, 4, 48, false);

	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 1);
	expect_map(0, 0x1000, 0x80200000, PAGE, IOMMU_RW);
	assert_int_equal(st.bad_tables[SHADOW_TABLE_READ_ONLY], 1);
	assert_int_equal(st.first_bad_table, ROM_GPA);
	assert_int_equal(st.first_bad_why, SHADOW_TABLE_READ_ONLY);

	/* ROM left out of the view: the same table, not in view. */
	view_default(0);
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 1);
	assert_int_equal(st.bad_tables[SHADOW_TABLE_READ_ONLY], 0);
	assert_int_equal(st.bad_tables[SHADOW_TABLE_NOT_IN_VIEW], 1);
	assert_int_equal(st.first_bad_table, ROM_GPA);

	/* A table in RW view memory that has no memory behind it: unreadable (gpa 0x800000). */
	*gentry(root, 4, 0x200000, 2) = RAM2_GPA | FS_PRU;
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(st.bad_tables[SHADOW_TABLE_UNREADABLE], 1);
	assert_int_equal(st.first_bad_table, RAM2_GPA);

	/* The root itself in the ROM: nothing at all. */
	memcpy(gtab(ROM_GPA + PAGE), gtab(root), PAGE);
	view_default(IOMMU_READ);
	shadow_setup(ROM_GPA + PAGE, 4, 48, false);
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 0);
	assert_int_equal(st.first_bad_table, ROM_GPA + PAGE);
	assert_int_equal(host_bytes(), 0);
}

/*
 * A 2 MiB guest leaf (IOVA 0x40000000 -> gpa 0x400000) spans ram1a and ram1b, whose backings
 * are not contiguous: two maps of 1 MiB. A 2 MiB leaf to gpa 0x600000 covers the 64 KiB ROM
 * (mapped read-only) and then the hole (skipped).
 */
static void test_large_leaf_split(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x40000000, 2, 0x400000 | FS_PS | FS_PRU);
	gmap(root, 4, 0x40200000, 2, ROM_GPA | FS_PS | FS_PRU);
	shadow_setup(root, 4, 48, false);

	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 3);
	expect_map(0, 0x40000000, 0x90000000, MIB, IOMMU_RW);
	expect_map(1, 0x40100000, 0x98000000, MIB, IOMMU_RW);
	expect_map(2, 0x40200000, 0xa0000000, ROM_SIZE, IOMMU_READ);
	assert_int_equal(st.leaves, 2);
	assert_int_equal(st.pages, 0x200 + 0x10);
	assert_int_equal(st.skipped[SHADOW_SKIP_NOT_IN_VIEW], 1); /* the second leaf's tail */

	/* With ram1b's backing right after ram1a's, the first leaf is one 2 MiB map again. */
	view[2].hpa = 0x90100000;
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	expect_map(0, 0x40000000, 0x90000000, 2 * MIB, IOMMU_RW);
}

/*
 * Contiguous pieces merge across guest leaves and across view ranges: 512 4 KiB leaves from
 * IOVA 0x200000 to gpa 0x000000.. give one 2 MiB map; then IOVA 0x400000 -> gpa 0x3ff000 (ram0's
 * last page, host 0x803ff000) and 0x401000 -> gpa 0x800000 (ram2, host 0x80400000) continue each
 * other in IOVA and host address: one 8 KiB map. A 1 GiB leaf (FS1GP) at 1 GiB to gpa 0 maps
 * ram0, ram1a, ram1b, the ROM and ram2, each its own map.
 */
static void test_merge(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	for (uint64_t i = 0; i < 512; i++)
		gmap(root, 4, 0x200000 + i * PAGE, 1, (i * PAGE) | FS_PRU);
	gmap(root, 4, 0x400000, 1, 0x3ff000 | FS_PRU);
	gmap(root, 4, 0x401000, 1, RAM2_GPA | FS_PRU);
	gmap(root, 4, GIB, 3, 0 | FS_PS | FS_PRU);
	shadow_setup(root, 4, 48, true);

	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(st.leaves, 512 + 2 + 1);
	expect_map(0, 0x200000, 0x80000000, 2 * MIB, IOMMU_RW);
	expect_map(1, 0x400000, 0x803ff000, 2 * PAGE, IOMMU_RW);
	expect_map(2, GIB, 0x80000000, 4 * MIB, IOMMU_RW);
	expect_map(3, GIB + 0x400000, 0x90000000, MIB, IOMMU_RW);
	expect_map(4, GIB + 0x500000, 0x98000000, MIB, IOMMU_RW);
	expect_map(5, GIB + ROM_GPA, 0xa0000000, ROM_SIZE, IOMMU_READ);
	expect_map(6, GIB + RAM2_GPA, 0x80400000, 2 * MIB, IOMMU_RW);
	assert_int_equal(nmaps, 7);
}

/*
 * A 1 GiB guest leaf (FS1GP) at IOVA 1 GiB into gpa 1 GiB, beyond every range: nothing mapped.
 * A lookup that says nothing of the gap is asked once per 4 KiB page (2^30 / 2^12 = 0x40000
 * times), one that reports the gap's length (here: no range follows) once.
 */
static void test_hole_skipped_at_once(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, GIB, 3, GIB | FS_PS | FS_PRU);
	shadow_setup(root, 4, 48, true);

	nlookups = 0;
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 0);
	assert_int_equal(st.skipped[SHADOW_SKIP_NOT_IN_VIEW], 1);
	assert_int_equal(nlookups, 2 + 0x40000); /* PML4 and PDPT checked as tables too */

	lookup_gap = true;
	nlookups = 0;
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 0);
	assert_int_equal(st.skipped[SHADOW_SKIP_NOT_IN_VIEW], 1);
	assert_int_equal(nlookups, 2 + 1);

	/* A 2 MiB leaf to gpa 0x600000: the ROM, then the gap up to ram2 at once. */
	gmap(root, 4, 2 * GIB, 2, ROM_GPA | FS_PS | FS_PRU);
	nlookups = 0;
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 1);
	expect_map(0, 2 * GIB, 0xa0000000, ROM_SIZE, IOMMU_READ);
	/* tables: PML4, PDPT, PD; the 1 GiB leaf: the gap; the 2 MiB leaf: ROM, the gap */
	assert_int_equal(nlookups, 3 + 2 + 1);
}

/*
 * Invalidation re-composes only the range: the leaf of IOVA 0x5000 is pointed elsewhere and
 * that page is invalidated: one unmap and one map of that page, the neighbours untouched.
 */
static void test_invalidate_one_page(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	for (uint64_t i = 0; i < 8; i++)
		gmap(root, 4, i * PAGE, 1, (0x200000 + i * PAGE) | FS_PRU);
	shadow_setup(root, 4, 48, false);
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 1);
	expect_map(0, 0, 0x80200000, 8 * PAGE, IOMMU_RW);

	*gentry(root, 4, 0x5000, 1) = 0x300000 | FS_PU;
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, 0x5000, PAGE, &st), 0);
	assert_int_equal(nunmaps, 1);
	expect_unmap(0, 0x5000, PAGE);
	assert_int_equal(nmaps, 1);
	expect_map(0, 0x5000, 0x80300000, PAGE, IOMMU_READ);
	assert_int_equal(st.leaves, 1);
	assert_true(host_maps(0x4000, 0x80204000, IOMMU_RW));
	assert_true(host_maps(0x5000, 0x80300000, IOMMU_READ));
	assert_true(host_maps(0x6000, 0x80206000, IOMMU_RW));
	assert_int_equal(host_bytes(), 8 * PAGE);

	/* Invalidating a page the guest left untouched remaps it as it was. */
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, 0x7000, PAGE, &st), 0);
	expect_unmap(0, 0x7000, PAGE);
	expect_map(0, 0x7000, 0x80207000, PAGE, IOMMU_RW);
	assert_int_equal(host_bytes(), 8 * PAGE);

	/* Beyond the lower canonical half there is nothing to do. */
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, HALF_4, PAGE, &st), 0);
	assert_int_equal(nunmaps + nmaps, 0);
}

/*
 * An invalidation inside a large leaf is widened to the leaf (the hardware drops the whole
 * cached leaf); one inside a removed leaf to the not-present entry's region.
 */
static void test_invalidate_widened(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x40000000, 2, 0x200000 | FS_PS | FS_PRU); /* ram0 0x200000-0x3fffff */
	gmap(root, 4, 0x40200000, 2, RAM2_GPA | FS_PS | FS_PRU);
	shadow_setup(root, 4, 48, false);
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(host_bytes(), 4 * MIB);

	/* The second leaf becomes read-only; the guest invalidates one page in its middle. */
	*gentry(root, 4, 0x40200000, 2) &= ~FS_RW;
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, 0x40234000, PAGE, &st), 0);
	expect_unmap(0, 0x40200000, 2 * MIB);
	assert_int_equal(nmaps, 1);
	expect_map(0, 0x40200000, 0x80400000, 2 * MIB, IOMMU_READ);
	assert_true(host_maps(0x40000000, 0x80200000, IOMMU_RW));

	/* The first leaf is removed; one page invalidated drops all of it. */
	*gentry(root, 4, 0x40000000, 2) = 0;
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, 0x40000000, PAGE, &st), 0);
	expect_unmap(0, 0x40000000, 2 * MIB);
	assert_int_equal(nmaps, 0);
	assert_int_equal(host_bytes(), 2 * MIB);

	/* Everything. */
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, 0, SHADOW_ALL, &st), 0);
	expect_unmap(0, 0, HALF_4);
	assert_int_equal(nmaps, 1);
	assert_int_equal(host_bytes(), 2 * MIB);

	/* Bad ranges. */
	assert_int_equal(shadow_invalidate(&sh, 0x800, PAGE, &st), -EINVAL);
	assert_int_equal(shadow_invalidate(&sh, 0, 0x800, &st), -EINVAL);
	assert_int_equal(shadow_invalidate(&sh, 0, 0, &st), -EINVAL);
	assert_int_equal(shadow_invalidate(&sh, ~0xfffull, 2 * PAGE, &st), -EINVAL);
}

/*
 * 5 levels: IOVA 2^48 + 0x3000 (PML5 index 1) maps when the host domain has 57 bits, and is
 * skipped for its width when the host has 48. PS in a PML5E is reserved.
 */
static void test_5level(void **state)
{
	uint64_t root, high = (1ull << 48) | 0x3000;

	(void)state;
	root = table_page();
	gmap(root, 5, high, 1, 0x200000 | FS_PRU);
	gmap(root, 5, 0x1000, 1, 0x201000 | FS_PRU);
	shadow_setup(root, 5, 57, false);

	assert_int_equal(shadow_build(&sh, &st), 0);
	expect_unmap(0, 0, HALF_5);
	assert_int_equal(nmaps, 2);
	expect_map(0, 0x1000, 0x80201000, PAGE, IOMMU_RW);
	expect_map(1, high, 0x80200000, PAGE, IOMMU_RW);

	shadow_setup(root, 5, 48, false);
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	expect_unmap(0, 0, 1ull << 48);
	assert_int_equal(nmaps, 1);
	expect_map(0, 0x1000, 0x80201000, PAGE, IOMMU_RW);
	assert_int_equal(st.skipped[SHADOW_SKIP_WIDTH], 1);

	/* PML5E 2 with PS = 1: reserved, skipped; an entry in the upper half is never walked. */
	gtab(root)[2] = 0x200000 | FS_PS | FS_PRU;
	gtab(root)[256] = 0x200000 | FS_PS | FS_PRU;
	shadow_setup(root, 5, 57, false);
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(st.skipped[SHADOW_SKIP_RSVD], 1);
	assert_int_equal(st.leaves, 2);
}

/*
 * Reserved and supervisor entries: a 1 GiB leaf without FS1GP, a 2 MiB leaf with address bit
 * 13 set (bits 20:13 reserved; 0x202000 = bit 13 | bit 21), a leaf with U/S = 0, a non-leaf
 * with U/S = 0: none is mapped, each counted once.
 */
static void test_reserved_and_supervisor(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, GIB, 3, 0 | FS_PS | FS_PRU);
	gmap(root, 4, 0x200000, 2, 0x202000 | FS_PS | FS_PRU);
	gmap(root, 4, 0x1000, 1, 0x200000 | FS_P | FS_RW);
	gmap(root, 4, 1ull << 39, 1, 0x200000 | FS_PRU);
	*gentry(root, 4, 1ull << 39, 3) &= ~FS_US;
	/* Bit 12 of a large leaf is PAT, not address: 0x401000 maps gpa 0x400000. */
	gmap(root, 4, 0x400000, 2, 0x401000 | FS_PS | FS_PRU);
	shadow_setup(root, 4, 48, false);

	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(nmaps, 2);
	expect_map(0, 0x400000, 0x90000000, MIB, IOMMU_RW);
	expect_map(1, 0x500000, 0x98000000, MIB, IOMMU_RW);
	assert_int_equal(st.skipped[SHADOW_SKIP_RSVD], 2);
	assert_int_equal(st.skipped[SHADOW_SKIP_SUPERVISOR], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_errors, reset),
		cmocka_unit_test_setup(test_compose_exact, reset),
		cmocka_unit_test_setup(test_rom_and_holes, reset),
		cmocka_unit_test_setup(test_msi_never_mapped, reset),
		cmocka_unit_test_setup(test_table_in_rom_not_walked, reset),
		cmocka_unit_test_setup(test_large_leaf_split, reset),
		cmocka_unit_test_setup(test_merge, reset),
		cmocka_unit_test_setup(test_hole_skipped_at_once, reset),
		cmocka_unit_test_setup(test_invalidate_one_page, reset),
		cmocka_unit_test_setup(test_invalidate_widened, reset),
		cmocka_unit_test_setup(test_5level, reset),
		cmocka_unit_test_setup(test_reserved_and_supervisor, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
