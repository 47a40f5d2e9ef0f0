// SPDX-License-Identifier: MIT
/*
 * The shadow first stage (vmm/shadow.c): rollback on failure and the work bound (budget, fan-out
 * refused, the budget of a VM). The fixture is tests/unit/shadow_fixture.h.
 *
 * Sources: vmm/shadow.c kernel/log.c tests/unit/fake_console.c
 */
#include "tests/unit/shadow_fixture.h"

/*
 * Rollback: the third map call fails; the two maps before it are undone by one unmap of their
 * span, the domain is empty and the error is returned. A lookup error ends the build the same
 * way.
 */
static void test_rollback(void **state)
{
	uint64_t root;

	(void)state;
	root = table_page();
	gmap(root, 4, 0x1000, 1, 0x200000 | FS_PRU);
	gmap(root, 4, 0x3000, 1, 0x300000 | FS_PRU);
	gmap(root, 4, 0x5000, 1, 0x380000 | FS_PRU);
	gmap(root, 4, 0x7000, 1, 0x390000 | FS_PRU);
	shadow_setup(root, 4, 48, false);
	fail_map_at = 3;

	assert_int_equal(shadow_build(&sh, &st), -ENOMEM);
	assert_int_equal(nmaps, 3);
	expect_map(2, 0x5000, 0x80380000, PAGE, IOMMU_RW);
	assert_int_equal(nunmaps, 2);
	expect_unmap(1, 0x1000, 0x3000); /* [0x1000, 0x4000): the two maps that succeeded */
	assert_int_equal(host_bytes(), 0);

	/* An invalidation that fails leaves its range empty and the rest as it was. */
	fail_map_at = 0;
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(host_bytes(), 4 * PAGE);
	*gentry(root, 4, 0x3000, 1) = 0x310000 | FS_PRU;
	fail_map_at = 1;
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, 0x3000, PAGE, &st), -ENOMEM);
	assert_false(host_has(0x3000));
	assert_int_equal(host_bytes(), 3 * PAGE);

	/* A lookup error (not -ENOENT) ends the build with that error, nothing mapped. */
	fail_map_at = 0;
	lookup_error = -EIO;
	assert_int_equal(shadow_build(&sh, &st), -EIO);
	assert_int_equal(host_bytes(), 0);
}

/*
 * The budget counts exactly: each guest entry read and each piece composed is one step. The
 * three leaves of test_compose_exact() cost 256 PML4 entries (the lower half) + 512 each of the
 * PDPT, PD and PT + 3 pieces = 1795 steps. With 1795 the build succeeds; with 1794 it stops at
 * the PML4's last entry with -E2BIG after one map (IOVA 0x1000-0x2fff, issued when the
 * read-only leaf began a new one), which is undone: the domain is empty, one line is logged.
 */
static void test_budget_exact(void **state)
{
	uint64_t root;
	const char *line = "warning: vm " VM_NAME ": pasid 0x1: shadow of the first stage at "
			   "0x100000: IOVA 0-0x7fffffffffff needs more than 1794 steps: refused "
			   "(-E2BIG), left unmapped (refusal 1)\n";

	(void)state;
	root = table_page();
	gmap(root, 4, 0x1000, 1, 0x200000 | FS_PRU);
	gmap(root, 4, 0x2000, 1, 0x201000 | FS_PRU);
	gmap(root, 4, 0x3000, 1, 0x300000 | FS_PU);
	budget = 256 + 3 * 512 + 3;
	shadow_setup(root, 4, 48, false);
	assert_int_equal(shadow_build(&sh, &st), 0);
	assert_int_equal(st.steps, budget);
	assert_int_equal(host_bytes(), 3 * PAGE);
	assert_int_equal(fake_console_writes(), 0);

	budget--;
	shadow_setup(root, 4, 48, false);
	forget_calls();
	assert_int_equal(shadow_build(&sh, &st), -E2BIG);
	assert_int_equal(st.steps, budget);
	assert_int_equal(nmaps, 1);
	expect_map(0, 0x1000, 0x80200000, 2 * PAGE, IOMMU_RW);
	assert_int_equal(nunmaps, 2); /* the build's own, then the rollback */
	expect_unmap(1, 0x1000, 2 * PAGE);
	assert_int_equal(host_bytes(), 0);
	assert_int_equal(fake_console_writes(), 1);
	assert_non_null(strstr(fake_console_text(), line));
}

/*
 * The fan-out: four guest table pages, every entry of each pointing at the next (the PT's at
 * @leaf_gpa): 512^4 = 2^36 leaves, 2^27 of them per PML4 entry. Returns the PML4.
 */
static uint64_t fanout(uint64_t leaf_gpa)
{
	uint64_t t[4];

	for (unsigned int l = 0; l < 4; l++)
		t[l] = table_page();
	for (unsigned int i = 0; i < SHADOW_TABLE_WORDS; i++) {
		gtab(t[0])[i] = t[1] | FS_PRU;
		gtab(t[1])[i] = t[2] | FS_PRU;
		gtab(t[2])[i] = t[3] | FS_PRU;
		gtab(t[3])[i] = leaf_gpa | FS_PRU;
	}
	return t[0];
}

/*
 * The fan-out under the default budget (SHADOW_STEPS_MIN for this small VM), its leaves into
 * the hole: the build stops at the budget with -E2BIG, having asked the view at most once per
 * step (and once for the root), and leaves the domain empty. PML4[0] is then made a real
 * mapping (IOVA 0x1000 -> gpa 0x200000): an invalidation of that page composes it; one of the
 * fan-out's PML4 entry 1 is refused and leaves IOVA 0x1000 mapped as it was.
 */
static void test_fanout_refused(void **state)
{
	uint64_t root = fanout(HOLE_GPA), legit;

	(void)state;
	shadow_setup(root, 4, 48, false);
	assert_int_equal(shadow_build(&sh, &st), -E2BIG);
	assert_int_equal(st.steps, SHADOW_STEPS_MIN);
	assert_true(nlookups <= st.steps + 1);
	assert_int_equal(nmaps, 0);
	assert_int_equal(host_bytes(), 0);
	assert_int_equal(fake_console_writes(), 1);
	assert_non_null(strstr(fake_console_text(), "IOVA 0-0x7fffffffffff needs more than"));

	legit = table_page();
	gtab(root)[0] = legit | FS_PRU;
	gmap(legit, 3, 0x1000, 1, 0x200000 | FS_PRU);
	assert_int_equal(shadow_invalidate(&sh, 0x1000, PAGE, &st), 0);
	assert_true(host_maps(0x1000, 0x80200000, IOMMU_RW));

	forget_calls();
	fake_console_reset();
	assert_int_equal(shadow_invalidate(&sh, PML4_SPAN, PML4_SPAN, &st), -E2BIG);
	assert_int_equal(st.steps, SHADOW_STEPS_MIN);
	expect_unmap(0, PML4_SPAN, PML4_SPAN);
	assert_int_equal(nmaps, 0);
	assert_int_equal(host_bytes(), PAGE);
	assert_true(host_maps(0x1000, 0x80200000, IOMMU_RW));
	assert_non_null(strstr(fake_console_text(), "IOVA 0x8000000000-0xffffffffff needs more "
						    "than 4194304 steps: refused (-E2BIG), left "
						    "unmapped (refusal 2)"));
}

/*
 * The fan-out's leaves into RAM (all to gpa 0x200000) under a budget of 100 steps: an
 * invalidation of its first 2 MiB (PML4[1] PDPT[0] PD[0]: 3 entries above the PT) maps leaf
 * after leaf until the budget ends it, then undoes every map; IOVA 0x1000 under PML4[0] stays.
 * Refusals are logged at the 1st, 2nd, 4th, 8th ...: 8 refusals give 4 lines.
 */
static void test_fanout_rollback(void **state)
{
	uint64_t root = fanout(0x200000), legit = table_page();

	(void)state;
	gtab(root)[0] = legit | FS_PRU;
	gmap(legit, 3, 0x1000, 1, 0x201000 | FS_PRU);
	budget = 100;
	shadow_setup(root, 4, 48, false);
	assert_int_equal(shadow_invalidate(&sh, 0x1000, PAGE, &st), 0);
	forget_calls();
	assert_int_equal(shadow_invalidate(&sh, PML4_SPAN, 2 * MIB, &st), -E2BIG);
	assert_int_equal(st.steps, 100);
	/* steps: 3 above, then PTE and piece by turns: 48 leaves composed, 47 maps issued */
	assert_int_equal(nmaps, 47);
	expect_map(46, PML4_SPAN + 46 * PAGE, 0x80200000, PAGE, IOMMU_RW);
	assert_int_equal(nunmaps, 2);
	expect_unmap(1, PML4_SPAN, 47 * PAGE);
	assert_int_equal(host_bytes(), PAGE);
	assert_true(host_maps(0x1000, 0x80201000, IOMMU_RW));

	for (unsigned int i = 1; i < 8; i++) {
		forget_calls();
		assert_int_equal(shadow_invalidate(&sh, PML4_SPAN, 2 * MIB, &st), -E2BIG);
	}
	assert_int_equal(fake_console_writes(), 4);
	assert_non_null(strstr(fake_console_text(), "(refusal 8)"));
	assert_null(strstr(fake_console_text(), "(refusal 7)"));
}

/*
 * shadow_budget(): SHADOW_STEPS_PER_PAGE per page of RAM and ROM, passthrough MMIO not
 * counted, at least SHADOW_STEPS_MIN; and that minimum holds a 4 GiB identity map in 4 KiB
 * leaves (PML4 lower half 256 + PDPT 512 + 4 PDs + 2048 PTs of 512 entries, one piece a leaf).
 */
static void test_budget_of_vm(void **state)
{
	struct gmem g = { .nr = 3 };
	uint64_t identity_4g = 256 + 512 + 4 * 512 + 2048 * 512 + (4 * GIB / PAGE);

	(void)state;
	g.range[0] = (struct gmem_range){ .gpa = 0, .size = 8 * MIB, .kind = GMEM_RAM };
	g.range[1] = (struct gmem_range){ .gpa = GIB, .size = GIB, .kind = GMEM_MMIO_PASSTHRU };
	g.range[2] = (struct gmem_range){ .gpa = MSI_BASE, .size = MSI_SIZE, .kind = GMEM_MSI };
	assert_int_equal(shadow_budget(&g), SHADOW_STEPS_MIN);

	g.range[0].size = 4 * GIB;
	g.range[1] = (struct gmem_range){ .gpa = 4 * GIB, .size = 64 * 1024, .kind = GMEM_ROM };
	assert_int_equal(shadow_budget(&g), (4 * GIB + 64 * 1024) / PAGE * SHADOW_STEPS_PER_PAGE);
	assert_true(identity_4g <= SHADOW_STEPS_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rollback, reset),
		cmocka_unit_test_setup(test_budget_exact, reset),
		cmocka_unit_test_setup(test_fanout_refused, reset),
		cmocka_unit_test_setup(test_fanout_rollback, reset),
		cmocka_unit_test_setup(test_budget_of_vm, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
