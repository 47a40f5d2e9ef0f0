// SPDX-License-Identifier: MIT
/*
 * The shadow first stage (vmm/shadow.c): a guest's first-stage table, written by hand into a
 * buffer that acts as guest RAM, composed with a fake device view (a few ranges with host
 * addresses and permissions, looked up as dev_view_lookup() would) into a fake host domain that
 * records every map and unmap call and keeps the mapped intervals, so each test checks the
 * exact calls and what the domain holds afterwards.
 *
 * Guest first-stage entries (VT-d 9.7): P = bit 0 (0x1), R/W = bit 1 (0x2), U/S = bit 2 (0x4),
 * PS = bit 7 (0x80), address bits 51:12. Non-leaf entries are "table | P | R/W | U/S" (0x7).
 *
 * The default view (guest-physical -> host-physical, permissions):
 *   ram0   0x000000-0x3fffff -> 0x80000000  RW   (guest tables live at 0x100000 up)
 *   ram1a  0x400000-0x4fffff -> 0x90000000  RW
 *   ram1b  0x500000-0x5fffff -> 0x98000000  RW   (host not contiguous with ram1a)
 *   rom    0x600000-0x60ffff -> 0xa0000000  R    (or left out, per test)
 *   hole   0x610000-0x7fffff
 *   ram2   0x800000-0x9fffff -> 0x80400000  RW   (host continues ram0's backing)
 *   the MSI window 0xfee00000-0xfeefffff is not in the view.
 *
 * Sources: vmm/shadow.c kernel/log.c tests/unit/fake_console.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/iommu.h"
#include "tests/unit/fake_console.h"
#include "vmm/gmem.h"
#include "vmm/shadow.h"

#define PAGE	  0x1000ull
#define MIB	  0x100000ull
#define GIB	  0x40000000ull
#define GRAM	  0x800000ull /* guest memory the read_table callback serves: [0, 8 MiB) */
#define TABLES	  0x100000ull /* first guest table page */
#define ROM_GPA	  0x600000ull
#define ROM_SIZE  0x10000ull
#define HOLE_GPA  0x700000ull
#define RAM2_GPA  0x800000ull
#define MSI_BASE  0xfee00000ull
#define MSI_SIZE  0x100000ull
#define HALF_4	  (1ull << 47) /* lower canonical half, 4 levels */
#define HALF_5	  (1ull << 56)
#define PML4_SPAN (1ull << 39) /* bytes one PML4 entry maps */
#define VM_NAME	  "vm0"
#define PASID	  1u

/* First-stage entry bits (VT-d 9.7). */
#define FS_P	0x1ull
#define FS_RW	0x2ull
#define FS_US	0x4ull
#define FS_PS	0x80ull
#define FS_PRU	0x7ull /* P | R/W | U/S */
#define FS_PU	0x5ull /* P | U/S: read-only */
#define FS_ADDR 0x000ffffffffff000ull

#define MAX_RECS 64
#define MAX_VIEW 8
#define MAX_HOST 64

static uint64_t gram[GRAM / 8] __attribute__((aligned(4096)));
static uint64_t next_table;

struct view_range {
	uint64_t gpa, size, hpa;
	unsigned int prot;
};
static struct view_range view[MAX_VIEW];
static unsigned int nview;
static int lookup_error;      /* when not 0, lookup() returns it */
static bool lookup_gap;	      /* with -ENOENT, report the bytes to the next range in @run */
static unsigned int nlookups; /* lookup() calls */

struct rec {
	uint64_t iova, hpa, size;
	unsigned int prot;
};
static struct rec maps[MAX_RECS], unmaps[MAX_RECS];
static unsigned int nmaps, nunmaps;
static unsigned int fail_map_at; /* 1-based map call that fails with -ENOMEM; 0: none */

/* The fake host domain: disjoint mapped intervals. */
static struct rec host[MAX_HOST];
static unsigned int nhost;

static struct shadow sh;
static struct shadow_stats st;
static uint64_t budget; /* the cfg.budget of shadow_setup() */

/* ---- Guest memory and tables ---- */

static uint64_t *gtab(uint64_t gpa)
{
	assert_true(gpa < GRAM);
	return &gram[gpa / 8];
}

static uint64_t table_page(void)
{
	uint64_t gpa = next_table;

	next_table += PAGE;
	memset(gtab(gpa), 0, PAGE);
	return gpa;
}

static unsigned int ix(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> (12 + 9 * (level - 1))) & 0x1ff);
}

/*
 * Set the entry at @level for @va in the @levels-level table at @root to @e, creating missing
 * tables above with "table | P | R/W | U/S".
 */
static void gmap(uint64_t root, unsigned int levels, uint64_t va, unsigned int level, uint64_t e)
{
	uint64_t table = root;

	for (unsigned int l = levels; l > level; l--) {
		uint64_t *p = &gtab(table)[ix(va, l)];

		if (!(*p & FS_P))
			*p = table_page() | FS_PRU;
		table = *p & FS_ADDR;
	}
	gtab(table)[ix(va, level)] = e;
}

/* The entry at @level for @va (the tables above exist). */
static uint64_t *gentry(uint64_t root, unsigned int levels, uint64_t va, unsigned int level)
{
	uint64_t table = root;

	for (unsigned int l = levels; l > level; l--)
		table = gtab(table)[ix(va, l)] & FS_ADDR;
	return &gtab(table)[ix(va, level)];
}

/* Move the table used at @level for @va to guest-physical @gpa and relink its parent entry. */
static void move_table(uint64_t root, unsigned int levels, uint64_t va, unsigned int level,
		       uint64_t gpa)
{
	uint64_t *parent = gentry(root, levels, va, level + 1);

	memcpy(gtab(gpa), gtab(*parent & FS_ADDR), PAGE);
	*parent = gpa | (*parent & ~FS_ADDR);
}

/* ---- The fake view ---- */

static void view_add(uint64_t gpa, uint64_t size, uint64_t hpa, unsigned int prot)
{
	assert_true(nview < MAX_VIEW);
	view[nview++] = (struct view_range){ gpa, size, hpa, prot };
}

/* The default view, with the ROM range mapped with @rom_prot (0: left out). */
static void view_default(unsigned int rom_prot)
{
	nview = 0;
	view_add(0x000000, 0x400000, 0x80000000, IOMMU_RW);
	view_add(0x400000, 0x100000, 0x90000000, IOMMU_RW);
	view_add(0x500000, 0x100000, 0x98000000, IOMMU_RW);
	if (rom_prot)
		view_add(ROM_GPA, ROM_SIZE, 0xa0000000, rom_prot);
	view_add(RAM2_GPA, 0x200000, 0x80400000, IOMMU_RW);
}

static const uint64_t *cb_read_table(void *arg, uint64_t gpa)
{
	(void)arg;
	assert_int_equal(gpa & (PAGE - 1), 0);
	return gpa < GRAM ? &gram[gpa / 8] : NULL;
}

static int cb_lookup(void *arg, uint64_t gpa, uint64_t *hpa, unsigned int *prot, uint64_t *run)
{
	uint64_t gap = UINT64_MAX;

	(void)arg;
	nlookups++;
	assert_int_equal(*run, 0);
	if (lookup_error)
		return lookup_error;
	for (unsigned int i = 0; i < nview; i++) {
		const struct view_range *v = &view[i];

		if (gpa >= v->gpa && gpa - v->gpa < v->size) {
			*hpa = v->hpa + (gpa - v->gpa);
			*prot = v->prot;
			*run = v->size - (gpa - v->gpa);
			return 0;
		}
		if (v->gpa > gpa && v->gpa - gpa < gap)
			gap = v->gpa - gpa;
	}
	if (lookup_gap)
		*run = gap;
	return -ENOENT;
}

/* ---- The fake host domain ---- */

static int cb_map(void *arg, uint64_t iova, uint64_t hpa, uint64_t size, unsigned int prot)
{
	(void)arg;
	assert_true(nmaps < MAX_RECS);
	maps[nmaps++] = (struct rec){ iova, hpa, size, prot };
	assert_int_equal((iova | hpa | size) & (PAGE - 1), 0);
	assert_true(size > 0);
	assert_true(prot & IOMMU_READ);
	if (fail_map_at && nmaps == fail_map_at)
		return -ENOMEM;
	for (unsigned int i = 0; i < nhost; i++)
		if (iova < host[i].iova + host[i].size && host[i].iova < iova + size)
			return -EEXIST;
	assert_true(nhost < MAX_HOST);
	host[nhost++] = (struct rec){ iova, hpa, size, prot };
	return 0;
}

/* Remove [@iova, @iova + @size) from the host intervals, trimming and splitting them. */
static int64_t cb_unmap(void *arg, uint64_t iova, uint64_t size)
{
	uint64_t end = iova + size;
	int64_t bytes = 0;
	struct rec keep[MAX_HOST];
	unsigned int n = 0;

	(void)arg;
	assert_true(nunmaps < MAX_RECS);
	unmaps[nunmaps++] = (struct rec){ iova, 0, size, 0 };
	for (unsigned int i = 0; i < nhost; i++) {
		struct rec h = host[i];
		uint64_t hend = h.iova + h.size;

		if (hend <= iova || h.iova >= end) {
			keep[n++] = h;
			continue;
		}
		bytes += (int64_t)((hend < end ? hend : end) - (h.iova > iova ? h.iova : iova));
		if (h.iova < iova)
			keep[n++] = (struct rec){ h.iova, h.hpa, iova - h.iova, h.prot };
		if (hend > end)
			keep[n++] = (struct rec){ end, h.hpa + (end - h.iova), hend - end, h.prot };
		assert_true(n <= MAX_HOST);
	}
	memcpy(host, keep, n * sizeof(keep[0]));
	nhost = n;
	return bytes ? bytes : -ENOENT;
}

/* Bytes of the host domain mapped. */
static uint64_t host_bytes(void)
{
	uint64_t b = 0;

	for (unsigned int i = 0; i < nhost; i++)
		b += host[i].size;
	return b;
}

/* Does the host domain map @iova to @hpa with @prot? */
static bool host_maps(uint64_t iova, uint64_t hpa, unsigned int prot)
{
	for (unsigned int i = 0; i < nhost; i++)
		if (iova >= host[i].iova && iova - host[i].iova < host[i].size)
			return host[i].hpa + (iova - host[i].iova) == hpa && host[i].prot == prot;
	return false;
}

static bool host_has(uint64_t iova)
{
	for (unsigned int i = 0; i < nhost; i++)
		if (iova >= host[i].iova && iova - host[i].iova < host[i].size)
			return true;
	return false;
}

static void expect_map(unsigned int i, uint64_t iova, uint64_t hpa, uint64_t size,
		       unsigned int prot)
{
	assert_true(i < nmaps);
	assert_int_equal(maps[i].iova, iova);
	assert_int_equal(maps[i].hpa, hpa);
	assert_int_equal(maps[i].size, size);
	assert_int_equal(maps[i].prot, prot);
}

static void expect_unmap(unsigned int i, uint64_t iova, uint64_t size)
{
	assert_true(i < nunmaps);
	assert_int_equal(unmaps[i].iova, iova);
	assert_int_equal(unmaps[i].size, size);
}

static void forget_calls(void)
{
	nmaps = 0;
	nunmaps = 0;
}

/* A shadow of the guest table at @root with @levels levels over a host domain of @iova_bits. */
static void shadow_setup(uint64_t root, unsigned int levels, unsigned int iova_bits, bool fs1gp)
{
	const struct shadow_cfg cfg = { .root = root,
					.levels = levels,
					.fs1gp = fs1gp,
					.iova_bits = iova_bits,
					.budget = budget,
					.vm = VM_NAME,
					.pasid = PASID };
	const struct shadow_ops ops = {
		.read_table = cb_read_table, .lookup = cb_lookup, .map = cb_map, .unmap = cb_unmap
	};

	assert_int_equal(shadow_init(&sh, &cfg, &ops), 0);
}

static int reset(void **state)
{
	(void)state;
	memset(gram, 0, sizeof(gram));
	next_table = TABLES;
	view_default(IOMMU_READ);
	lookup_error = 0;
	lookup_gap = false;
	nlookups = 0;
	nmaps = nunmaps = nhost = 0;
	fail_map_at = 0;
	budget = SHADOW_STEPS_MIN;
	fake_console_reset();
	memset(&st, 0xa5, sizeof(st)); /* shadow_build() must write every field */
	return 0;
}

/* ---- Tests ---- */

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
		cmocka_unit_test_setup(test_rollback, reset),
		cmocka_unit_test_setup(test_budget_exact, reset),
		cmocka_unit_test_setup(test_fanout_refused, reset),
		cmocka_unit_test_setup(test_fanout_rollback, reset),
		cmocka_unit_test_setup(test_budget_of_vm, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
