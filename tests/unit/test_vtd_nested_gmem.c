// SPDX-License-Identifier: MIT
/*
 * Nested translation (PASID entry PGTT = 011b) walked by the software walker
 * (iommu/vtd/vtd_walk.c) over a VM built the way skiff builds it: a gmem (vmm/gmem.c) with RAM,
 * a ROM range and the MSI window; its device view (vmm/dev_view.c) programmed as the VM's
 * second stage with the IOMMU page-table library (iommu/vtd/vtd_pgtable.c); a guest first-stage
 * table written by the "guest" into its own RAM at guest-physical addresses; scalable-mode
 * root, context, PASID directory and a NESTED PASID entry built with vtd_entries.h.
 *
 * Host physical memory is one arena at ARENA_BASE, read by the walker through its callback:
 *   +0x000000  VT-d structures and second-stage table pages (a bump allocator)
 *   +0x200000  the guest's RAM backing: gpa 0x000000-0x1fffff (2 MiB, host 2 MiB aligned)
 *   +0x400000  the ROM backing:         gpa 0x200000-0x20ffff (64 KiB)
 * and the MSI window 0xfee00000-0xfeefffff has no backing. Guest tables live at gpa 0x100000 up.
 *
 * Guest first-stage entries (VT-d 9.7): P = bit 0, R/W = bit 1, U/S = bit 2, PS = bit 7; the
 * accessed flag A (bit 5) is left 0 as a guest that does not preset it would leave it, so a
 * real unit must write A into every table entry it uses (VT-d 3.6.2). Second-stage entries
 * (9.8): R = bit 0, W = bit 1.
 *
 * Checked: translations (address, size = the smaller of both leaves, permissions), first-stage
 * faults, second-stage faults on the final address (hole, MSI window, ROM left out, a write to
 * the read-only ROM), and SPR17: a first-stage table page inside the ROM range. With the ROM
 * left out of the view (policy skip) the walk faults in the second stage of the table access
 * (75h / 76h, VTD_WS_SS_NESTED). With the ROM mapped read-only (SPR17 off) the walker today
 * translates through the read-only table page; that walker gap is pinned below (see
 * test_spr17_table_in_rom_read_only) and reported.
 *
 * Sources: iommu/vtd/vtd_walk.c iommu/vtd/vtd_entry_fault.c iommu/vtd/vtd_entries.c iommu/vtd/vtd_pgtable.c vmm/gmem.c vmm/dev_view.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/iommu.h"
#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_pgtable.h"
#include "iommu/vtd/vtd_regs.h"
#include "iommu/vtd/vtd_walk.h"
#include "kernel/arch/x86/msi.h"
#include "vmm/dev_view.h"
#include "vmm/gmem.h"
#include "tests/unit/vtd_units.h"

#define PAGE	    0x1000ull
#define MIB	    0x100000ull
#define ARENA_BASE  0x10000000ull
#define ARENA_BYTES 0x500000ull
#define STRUCT_END  0x100000ull /* VT-d structures and tables: arena offsets below this */
#define RAM_GPA	    0x000000ull
#define RAM_SIZE    0x200000ull
#define RAM_HPA	    (ARENA_BASE + 0x200000)
#define ROM_GPA	    0x200000ull
#define ROM_SIZE    0x10000ull
#define ROM_HPA	    (ARENA_BASE + 0x400000)
#define HOLE_GPA    0x300000ull
#define TABLES_GPA  0x100000ull /* the guest's first table page */
#define GPA_BITS    39u
#define HAW	    46u
#define DID	    9u
#define DEVFN	    0x20u /* 00:04.0 */

/* First-stage entry bits (VT-d 9.7). */
#define FS_P	0x1ull
#define FS_RW	0x2ull
#define FS_US	0x4ull
#define FS_PS	0x80ull
#define FS_PRU	0x7ull /* P | R/W | U/S, A = 0 */
#define FS_PU	0x5ull /* P | U/S: read-only */
#define FS_ADDR 0x000ffffffffff000ull
/* Second-stage entry bits (VT-d 9.8). */
#define SS_W 0x2ull

static uint64_t arena[ARENA_BYTES / 8] __attribute__((aligned(4096)));
static uint64_t next_struct; /* arena offset of the next structure page */
static uint64_t next_gtable; /* gpa of the next guest table page */
static struct vtd_caps caps;
static struct vtd_walk_ctx ctx;
static struct vtd_walk_step steps[VTD_WALK_MAX_STEPS];
static struct vtd_walk_result res;
static struct gmem gm;
static struct dev_view view;
static struct vtd_pgt ss;
static uint64_t root_table; /* RTADDR */
static uint64_t fs_root;    /* the guest's PML4, guest physical */

/* ---- Host memory ---- */

static const uint64_t *arena_table(void *arg, uint64_t pa, size_t bytes)
{
	(void)arg;
	if (pa < ARENA_BASE || pa + bytes > ARENA_BASE + ARENA_BYTES || pa + bytes < pa)
		return NULL;
	return &arena[(pa - ARENA_BASE) / 8];
}

static uint64_t *host(uint64_t pa)
{
	assert_true(pa >= ARENA_BASE && pa < ARENA_BASE + ARENA_BYTES);
	return &arena[(pa - ARENA_BASE) / 8];
}

static uint64_t struct_page(void)
{
	uint64_t pa = ARENA_BASE + next_struct;

	assert_true(next_struct < STRUCT_END);
	next_struct += PAGE;
	memset(host(pa), 0, PAGE);
	return pa;
}

static int pgt_alloc(void *arg, uint64_t *pa)
{
	(void)arg;
	*pa = struct_page();
	return 0;
}

static void pgt_free(void *arg, uint64_t pa)
{
	(void)arg;
	(void)pa; /* the bump allocator does not reuse pages */
}

static uint64_t *pgt_table(void *arg, uint64_t pa)
{
	(void)arg;
	return host(pa);
}

/* ---- The guest: its memory through the gmem, its first-stage table ---- */

/* Where the guest's 4 KiB page at @gpa is in host memory (RAM or ROM backing). */
static uint64_t *guest(uint64_t gpa)
{
	uint64_t hpa;

	assert_int_equal(gmem_translate(&gm, gpa, PAGE, &hpa, NULL), 0);
	return host(hpa);
}

static uint64_t guest_table(void)
{
	uint64_t gpa = next_gtable;

	next_gtable += PAGE;
	memset(guest(gpa), 0, PAGE);
	return gpa;
}

static unsigned int ix(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> (12 + 9 * (level - 1))) & 0x1ff);
}

/* The guest sets the entry at @level for @va to @e, making missing 4-level tables above. */
static void gmap(uint64_t va, unsigned int level, uint64_t e)
{
	uint64_t table = fs_root;

	for (unsigned int l = 4; l > level; l--) {
		uint64_t *p = &guest(table)[ix(va, l)];

		if (!(*p & FS_P))
			*p = guest_table() | FS_PRU;
		table = *p & FS_ADDR;
	}
	guest(table)[ix(va, level)] = e;
}

/* The guest moves the table used at @level for @va to @gpa (e.g. into the ROM range). */
static void move_table(uint64_t va, unsigned int level, uint64_t gpa)
{
	uint64_t table = fs_root;
	uint64_t *parent;

	for (unsigned int l = 4; l > level + 1; l--)
		table = guest(table)[ix(va, l)] & FS_ADDR;
	parent = &guest(table)[ix(va, level + 1)];
	memcpy(guest(gpa), guest(*parent & FS_ADDR), PAGE);
	*parent = gpa | (*parent & ~FS_ADDR);
}

/* ---- The VM's second stage: its device view, programmed ---- */

/* Derive the view for @req and map every range it maps into a fresh second stage. */
static void program_view(bool want_nesting, bool spr17, enum iommu_ro_policy policy)
{
	const struct dev_view_req req = { .want_nesting = want_nesting,
					  .spr17 = spr17,
					  .policy = policy };
	const struct vtd_pgt_ops ops = { .alloc_table = pgt_alloc,
					 .free_table = pgt_free,
					 .table = pgt_table };
	struct vtd_pgt_cfg cfg;

	assert_int_equal(dev_view_derive(&gm, &req, &view), 0);
	assert_int_equal(vtd_pgt_cfg_from_caps(&caps, VTD_PGT_SECOND_STAGE, 48, &cfg), 0);
	assert_int_equal(vtd_pgt_create(&ss, &cfg, &ops), 0);
	for (unsigned int i = 0; i < view.nr; i++) {
		const struct dev_view_entry *e = &view.entry[i];
		unsigned int prot = dev_view_prot(e->action);

		if (!prot)
			continue;
		assert_int_equal(vtd_pgt_map(&ss, e->range.gpa, e->range.hpa, e->range.size,
					     prot & IOMMU_WRITE ? VTD_PGT_RW : VTD_PGT_R, NULL),
				 0);
	}
}

/* Root, scalable-mode context entry for 00:04.0 (RID_PASID 0) and the NESTED PASID entry. */
static void bind_nested(void)
{
	const struct vtd_pasid_entry_config pcfg = {
		.pgtt = VTD_PGTT_NESTED,
		.did = DID,
		.aw = VTD_AW_48,
		.ss_root = ss.root,
		.fs_root = fs_root,
		.fs_paging = VTD_FSPM_4LEVEL,
	};
	struct vtd_sm_context_config ccfg = { .rid_pasid = 0 };
	struct vtd_root_entry *re;
	struct vtd_sm_context_entry *ce;
	struct vtd_pasid_dir_entry *de;
	struct vtd_pasid_entry *pe;
	uint64_t ct, dir, pt;

	root_table = struct_page();
	ct = struct_page();
	dir = struct_page();
	pt = struct_page();
	re = (struct vtd_root_entry *)host(root_table); /* bus 0: entry 0 */
	assert_int_equal(vtd_sm_root_entry_encode(ct, 0, re), 0);
	vtd_sm_root_entry_set_present(re, VTD_SM_ROOT_LOWER); /* devfn < 0x80 */
	ccfg.pasid_dir = dir;
	ce = (struct vtd_sm_context_entry *)host(ct + vtd_sm_context_index(DEVFN) * 32ull);
	assert_int_equal(vtd_sm_context_validate(&ccfg, &caps, HAW), 0);
	assert_int_equal(vtd_sm_context_entry_encode(&ccfg, ce), 0);
	vtd_sm_context_entry_set_present(ce);
	de = (struct vtd_pasid_dir_entry *)host(dir); /* PASID 0: directory entry 0 */
	assert_int_equal(vtd_pasid_dir_entry_encode(pt, false, de), 0);
	vtd_pasid_dir_entry_set_present(de);
	pe = (struct vtd_pasid_entry *)host(pt); /* PASID 0: table entry 0 */
	assert_int_equal(vtd_pasid_entry_validate(&pcfg, &caps, HAW), 0);
	assert_int_equal(vtd_pasid_entry_encode(&pcfg, pe), 0);
	vtd_pasid_entry_set_present(pe);
}

/* The VM: view for @req, a guest PML4, the NESTED binding. */
static void vm_setup(bool want_nesting, bool spr17, enum iommu_ro_policy policy)
{
	program_view(want_nesting, spr17, policy);
	fs_root = guest_table();
	bind_nested();
}

static int reset(void **state)
{
	(void)state;
	memset(arena, 0, sizeof(arena));
	next_struct = 0;
	next_gtable = TABLES_GPA;
	caps = vtd_unit_nesting();
	caps.fs1gp = true;
	ctx = (struct vtd_walk_ctx){ .table = arena_table, .caps = &caps, .haw = HAW };
	res = (struct vtd_walk_result){ .steps = steps, .max_steps = VTD_WALK_MAX_STEPS };
	assert_int_equal(gmem_init(&gm, GPA_BITS), 0);
	assert_int_equal(gmem_add(&gm, GMEM_RAM, RAM_GPA, RAM_SIZE, RAM_HPA, "ram0"), 0);
	assert_int_equal(gmem_add(&gm, GMEM_ROM, ROM_GPA, ROM_SIZE, ROM_HPA, "bios"), 0);
	assert_int_equal(
		gmem_add(&gm, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"), 0);
	assert_int_equal(gmem_seal(&gm), 0);
	return 0;
}

/* A request without PASID (RID_PASID 0, user privilege) from 00:04.0. */
static struct vtd_walk_req req_at(uint64_t iova, unsigned int access)
{
	return (struct vtd_walk_req){
		.mode = VTD_WALK_SCALABLE,
		.root = root_table,
		.devfn = DEVFN,
		.iova = iova,
		.access = access,
	};
}

static void expect_xlate(uint64_t iova, unsigned int access, uint64_t pa, uint64_t size,
			 unsigned int perms)
{
	struct vtd_walk_req req = req_at(iova, access);

	assert_int_equal(vtd_walk(&ctx, &req, &res), 0);
	assert_int_equal(res.pa, pa);
	assert_int_equal(res.size, size);
	assert_int_equal(res.perms, perms);
	assert_int_equal(res.pgtt, VTD_PGTT_NESTED);
	assert_int_equal(res.did, DID);
}

static void expect_fault(uint64_t iova, unsigned int access, int reason, enum vtd_walk_struct where,
			 unsigned int level)
{
	struct vtd_walk_req req = req_at(iova, access);

	assert_int_equal(vtd_walk(&ctx, &req, &res), -EFAULT);
	assert_int_equal(res.reason, reason);
	assert_int_equal(res.where, where);
	assert_int_equal(res.level, level);
}

/* ---- Tests ---- */

/*
 * The view of a nesting parent under SPR17 with policy skip: RAM read-write, ROM and MSI window
 * left out; without SPR17 the ROM is read-only; under refuse nesting is refused.
 */
static void test_view(void **state)
{
	struct vtd_pgt_xlate x;

	(void)state;
	program_view(true, true, IOMMU_RO_SKIP);
	assert_true(view.nesting_parent);
	/* RAM: gpa 0 and host 0x10200000 both 2 MiB aligned, 2 MiB long: one 2 MiB leaf. */
	assert_int_equal(vtd_pgt_translate(&ss, 0x1234, &x), 0);
	assert_int_equal(x.pa, RAM_HPA + 0x1234);
	assert_int_equal(x.size, 2 * MIB);
	assert_int_equal(x.prot & VTD_PGT_RW, VTD_PGT_RW);
	assert_int_equal(vtd_pgt_translate(&ss, ROM_GPA, &x), -ENOENT);
	assert_int_equal(vtd_pgt_translate(&ss, X86_MSI_BASE, &x), -ENOENT);

	program_view(true, false, IOMMU_RO_SKIP);
	assert_true(view.nesting_parent);
	assert_int_equal(vtd_pgt_translate(&ss, ROM_GPA + 0x1000, &x), 0);
	assert_int_equal(x.pa, ROM_HPA + 0x1000);
	assert_int_equal(x.prot & VTD_PGT_RW, VTD_PGT_R);

	program_view(true, true, IOMMU_RO_REFUSE);
	assert_false(view.nesting_parent);
	assert_true(view.nesting_refused);
}

/*
 * Translations: IOVA 0x1000 -> gpa 0x5000 (4 KiB leaf) -> host 0x10205000; the 2 MiB guest
 * leaf IOVA 0x40000000 -> gpa 0 over the 2 MiB second-stage leaf: size 2 MiB. Every
 * first-stage table the walk read lies in the RAM backing, each reached through a second-stage
 * leaf that allows writes.
 */
static void test_mapped(void **state)
{
	unsigned int fs_steps = 0;

	(void)state;
	vm_setup(true, true, IOMMU_RO_SKIP);
	gmap(0x1000, 1, 0x5000 | FS_PRU);
	gmap(0x40000000, 2, 0x000000 | FS_PS | FS_PRU);

	expect_xlate(0x1abc, VTD_WALK_R | VTD_WALK_W, RAM_HPA + 0x5abc, PAGE,
		     VTD_WALK_R | VTD_WALK_W | VTD_WALK_X | VTD_WALK_U);
	/*
	 * 4 structure entries; 4 first-stage tables, each translated by 3 second-stage entries
	 * (PML4E, PDPE, the 2 MiB PDE leaf) then read: 4 x (3 + 1); the final address: 3. 23.
	 */
	assert_int_equal(res.nsteps, 4 + 4 * (3 + 1) + 3);
	for (unsigned int i = 0; i < res.nsteps; i++) {
		if (steps[i].what != VTD_WS_FS)
			continue;
		fs_steps++;
		assert_true(steps[i].addr >= RAM_HPA && steps[i].addr < RAM_HPA + RAM_SIZE);
		assert_int_equal(steps[i - 1].what, VTD_WS_SS_NESTED);
		assert_true(steps[i - 1].val[0] & SS_W);
	}
	assert_int_equal(fs_steps, 4);

	/* 2 MiB guest leaf, 2 MiB second-stage leaf (the RAM) */
	expect_xlate(0x40123456, VTD_WALK_R, RAM_HPA + 0x123456, 2 * MIB,
		     VTD_WALK_R | VTD_WALK_W | VTD_WALK_X | VTD_WALK_U);
}

/*
 * First-stage faults (71h, VTD_WS_FS) where the guest maps nothing; second-stage faults on the
 * final address (79h, VTD_WS_SS) for a guest leaf into the hole, into the MSI window, into the
 * ROM left out of the view.
 */
static void test_unmapped(void **state)
{
	(void)state;
	vm_setup(true, true, IOMMU_RO_SKIP);
	gmap(0x1000, 1, 0x5000 | FS_PRU);
	gmap(0x2000, 1, HOLE_GPA | FS_PRU);
	gmap(0x3000, 1, X86_MSI_BASE | FS_PRU);
	gmap(0x4000, 1, ROM_GPA | FS_PRU);

	/* PT entry of 0x5000 not present; PML4E 1 (IOVA 2^39) not present */
	expect_fault(0x5000, VTD_WALK_R, VTD_FR_SM_FS_NOT_PRESENT, VTD_WS_FS, 1);
	expect_fault(1ull << 39, VTD_WALK_R, VTD_FR_SM_FS_NOT_PRESENT, VTD_WS_FS, 4);
	/* gpa 0x300000: PDE 1 (bits 29:21 = 1) of the second stage not present */
	expect_fault(0x2000, VTD_WALK_R, VTD_FR_SM_SS_PERM, VTD_WS_SS, 2);
	/* gpa 0xfee00000: PDPE 3 (bits 38:30 = 3) not present */
	expect_fault(0x3000, VTD_WALK_W, VTD_FR_SM_SS_PERM, VTD_WS_SS, 3);
	/* gpa 0x200000, the ROM, left out: PDE 1 not present */
	expect_fault(0x4000, VTD_WALK_R, VTD_FR_SM_SS_PERM, VTD_WS_SS, 2);
}

/*
 * Read-only: a guest leaf without R/W reads but a write faults in the first stage (85h); a
 * guest read-write leaf into the ROM mapped read-only (SPR17 off) reads the ROM, and a write
 * faults in the second stage (85h at the SS leaf, level 1: the 64 KiB ROM has 4 KiB leaves).
 */
static void test_read_only(void **state)
{
	(void)state;
	vm_setup(true, false, IOMMU_RO_SKIP);
	gmap(0x2000, 1, 0x6000 | FS_PU);
	gmap(0x3000, 1, (ROM_GPA + 0x1000) | FS_PRU);

	expect_xlate(0x2010, VTD_WALK_R, RAM_HPA + 0x6010, PAGE,
		     VTD_WALK_R | VTD_WALK_X | VTD_WALK_U);
	expect_fault(0x2010, VTD_WALK_W, VTD_FR_SM_NO_WRITE, VTD_WS_FS, 1);
	expect_xlate(0x3020, VTD_WALK_R, ROM_HPA + 0x1020, PAGE,
		     VTD_WALK_R | VTD_WALK_X | VTD_WALK_U);
	expect_fault(0x3020, VTD_WALK_W, VTD_FR_SM_NO_WRITE, VTD_WS_SS, 1);
}

/*
 * SPR17, policy skip: the guest puts a first-stage table page inside the ROM range. The ROM is
 * left out of the view, so reading that table faults in the second stage: 76h for a lower
 * table (the PT at gpa 0x201000, SS PDE 1 not present: level 2), 75h for the root (FSPTPTR at
 * gpa 0x202000), both VTD_WS_SS_NESTED - for reads and writes, never a translation.
 */
static void test_spr17_table_in_rom_skip(void **state)
{
	(void)state;
	vm_setup(true, true, IOMMU_RO_SKIP);
	gmap(0x1000, 1, 0x5000 | FS_PRU);
	gmap(0x200000, 1, 0x6000 | FS_PRU);
	move_table(0x200000, 1, ROM_GPA + 0x1000);

	expect_xlate(0x1000, VTD_WALK_R, RAM_HPA + 0x5000, PAGE,
		     VTD_WALK_R | VTD_WALK_W | VTD_WALK_X | VTD_WALK_U);
	expect_fault(0x200000, VTD_WALK_R, VTD_FR_SM_NEST_FS_READ, VTD_WS_SS_NESTED, 2);
	expect_fault(0x200000, VTD_WALK_W, VTD_FR_SM_NEST_FS_READ, VTD_WS_SS_NESTED, 2);

	/* The root itself in the ROM: the PASID entry's FSPTPTR now says gpa 0x202000. */
	memcpy(guest(ROM_GPA + 0x2000), guest(fs_root), PAGE);
	fs_root = ROM_GPA + 0x2000;
	bind_nested();
	expect_fault(0x1000, VTD_WALK_R, VTD_FR_SM_NEST_FS_ROOT_READ, VTD_WS_SS_NESTED, 2);
}

/*
 * SPR17 with the erratum forced off (iommu.spr17=off): the ROM is mapped read-only under the
 * nesting parent and the guest's PT lies in it. A unit walking that PT must set A in the entry
 * it uses (A = 0 here), which needs write permission in the second stage: per VT-d the walk
 * faults 77h ("write permission error in first-level paging entry in nested translation"),
 * and an SPR17 unit writes into the read-only page instead. The walker reports 77h at the
 * second-stage leaf that maps the table page (SS PTE, level 1), for reads and writes; with A
 * already set by the guest no update is needed and the read translates.
 */
static void test_spr17_table_in_rom_read_only(void **state)
{
	(void)state;
	vm_setup(true, false, IOMMU_RO_SKIP);
	gmap(0x200000, 1, 0x6000 | FS_PRU);
	move_table(0x200000, 1, ROM_GPA + 0x1000);
	assert_int_equal(guest(ROM_GPA + 0x1000)[0] & (1ull << 5), 0); /* A = 0: must be set */

	expect_fault(0x200000, VTD_WALK_R, VTD_FR_SM_NEST_FS_WRITE, VTD_WS_SS_NESTED, 1);
	expect_fault(0x200000, VTD_WALK_W, VTD_FR_SM_NEST_FS_WRITE, VTD_WS_SS_NESTED, 1);

	guest(ROM_GPA + 0x1000)[0] |= 1ull << 5; /* the guest preset A: nothing to write */
	expect_xlate(0x200000, VTD_WALK_R, RAM_HPA + 0x6000, PAGE,
		     VTD_WALK_R | VTD_WALK_W | VTD_WALK_X | VTD_WALK_U);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_view, reset),
		cmocka_unit_test_setup(test_mapped, reset),
		cmocka_unit_test_setup(test_unmapped, reset),
		cmocka_unit_test_setup(test_read_only, reset),
		cmocka_unit_test_setup(test_spr17_table_in_rom_skip, reset),
		cmocka_unit_test_setup(test_spr17_table_in_rom_read_only, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
