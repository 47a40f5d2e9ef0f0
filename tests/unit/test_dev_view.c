// SPDX-License-Identifier: MIT
/*
 * vmm/dev_view.c: the device view of a typical VM map (RAM, a BIOS ROM, an option ROM, a
 * passthrough BAR, emulated MMIO, the MSI window) under every request - nesting asked or not,
 * SPR17 on or off, policy skip or refuse: each range's action and reason, the nesting outcome
 * and which range refused it; lookups at range edges, in holes, in left-out ranges; the log
 * line; refused arguments.
 * Sources: vmm/dev_view.c vmm/gmem.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/iommu.h"
#include "kernel/arch/x86/msi.h"
#include "vmm/dev_view.h"

#define MIB	   0x100000ull
#define GIB	   0x40000000ull
#define NO_HOST	   GMEM_NO_BACKING
#define RAM_HPA	   0x100000000ull
#define ROM_HPA	   0x200000000ull
#define OPTROM_HPA 0x200100000ull
#define BAR_HPA	   0xfe000000ull
#define BIOS_GPA   0xf0000ull
#define OPTROM_GPA 0xc0000ull
#define BAR_GPA	   0xc0000000ull
#define IOAPIC_GPA 0xfec00000ull
#define HIGH_RAM   0x100000000ull /* RAM above 4 GiB */
#define HIGH_HPA   0x300000000ull
#define NR_TYPICAL 8
#define BAD_POLICY ((enum iommu_ro_policy)(IOMMU_RO_REFUSE + 1))

/* Indexes of the typical map once sealed (sorted by gpa). */
enum {
	I_RAM0,	  /* 0 - 0x9ffff */
	I_OPTROM, /* 0xc0000 - 0xc7fff */
	I_BIOS,	  /* 0xf0000 - 0xfffff */
	I_RAM1,	  /* 1 MiB - 1 GiB */
	I_BAR,	  /* 0xc0000000, 1 MiB */
	I_IOAPIC, /* 0xfec00000, 4 KiB */
	I_MSI,	  /* 0xfee00000, 1 MiB */
	I_HIGH,	  /* 4 GiB, 1 GiB */
};

static struct gmem g;
static struct dev_view v;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(gmem_init(&g, 39), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, NO_HOST, "msi"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, HIGH_RAM, GIB, HIGH_HPA, "ram2"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 1 * MIB, GIB - MIB, RAM_HPA + MIB, "ram1"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 0xa0000, RAM_HPA, "ram0"), 0);
	assert_int_equal(gmem_add(&g, GMEM_ROM, BIOS_GPA, 0x10000, ROM_HPA, "bios"), 0);
	assert_int_equal(gmem_add(&g, GMEM_ROM, OPTROM_GPA, 0x8000, OPTROM_HPA, "vga.rom"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MMIO_PASSTHRU, BAR_GPA, MIB, BAR_HPA, "edu.bar0"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, IOAPIC_GPA, 0x1000, NO_HOST, "ioapic"),
			 0);
	assert_int_equal(gmem_seal(&g), 0);
	assert_int_equal(g.nr, NR_TYPICAL);
	assert_string_equal(g.range[I_OPTROM].name, "vga.rom");
	assert_string_equal(g.range[I_HIGH].name, "ram2");
	memset(&v, 0xa5, sizeof(v));
	return 0;
}

static void derive(bool want_nesting, bool spr17, enum iommu_ro_policy policy)
{
	struct dev_view_req req = {
		.want_nesting = want_nesting,
		.spr17 = spr17,
		.policy = policy,
	};

	assert_int_equal(dev_view_derive(&g, &req, &v), 0);
	assert_int_equal(v.nr, NR_TYPICAL);
	assert_memory_equal(&v.req, &req, sizeof(req));
}

static void expect(unsigned int i, enum dev_view_action action, enum dev_view_reason reason)
{
	assert_memory_equal(&v.entry[i].range, &g.range[i], sizeof(g.range[i]));
	assert_int_equal(v.entry[i].action, action);
	assert_int_equal(v.entry[i].reason, reason);
}

/* What every request decides alike: RAM and the BAR read-write, MSI and emulated MMIO out. */
static void expect_fixed(void)
{
	expect(I_RAM0, DEV_VIEW_MAP_RW, DEV_VIEW_WHY_RAM);
	expect(I_RAM1, DEV_VIEW_MAP_RW, DEV_VIEW_WHY_RAM);
	expect(I_HIGH, DEV_VIEW_MAP_RW, DEV_VIEW_WHY_RAM);
	expect(I_BAR, DEV_VIEW_MAP_RW, DEV_VIEW_WHY_PASSTHRU);
	expect(I_IOAPIC, DEV_VIEW_LEFT_OUT, DEV_VIEW_WHY_EMULATED);
	expect(I_MSI, DEV_VIEW_LEFT_OUT, DEV_VIEW_WHY_MSI);
}

static void expect_roms(enum dev_view_action action, enum dev_view_reason reason)
{
	expect(I_OPTROM, action, reason);
	expect(I_BIOS, action, reason);
}

static void expect_nesting(bool parent, bool refused, unsigned int refused_by)
{
	assert_int_equal(v.nesting_parent, parent);
	assert_int_equal(v.nesting_refused, refused);
	assert_int_equal(v.refused_by, refused_by);
}

/* No nesting asked: ROM read-only whatever SPR17 and the policy say. */
static void test_no_nesting(void **state)
{
	(void)state;
	for (int spr17 = 0; spr17 <= 1; spr17++) {
		for (int pol = IOMMU_RO_SKIP; pol <= IOMMU_RO_REFUSE; pol++) {
			derive(false, spr17, (enum iommu_ro_policy)pol);
			expect_fixed();
			expect_roms(DEV_VIEW_MAP_RO, DEV_VIEW_WHY_ROM);
			expect_nesting(false, false, DEV_VIEW_NO_RANGE);
		}
	}
}

/* Nesting without SPR17: a parent, and ROM stays read-only under it. */
static void test_nesting_without_spr17(void **state)
{
	(void)state;
	for (int pol = IOMMU_RO_SKIP; pol <= IOMMU_RO_REFUSE; pol++) {
		derive(true, false, (enum iommu_ro_policy)pol);
		expect_fixed();
		expect_roms(DEV_VIEW_MAP_RO, DEV_VIEW_WHY_ROM_NO_SPR17);
		expect_nesting(true, false, DEV_VIEW_NO_RANGE);
	}
}

/* Nesting, SPR17, skip: a parent; both ROMs left out. */
static void test_spr17_skip(void **state)
{
	(void)state;
	derive(true, true, IOMMU_RO_SKIP);
	expect_fixed();
	expect_roms(DEV_VIEW_LEFT_OUT, DEV_VIEW_WHY_SPR17_SKIP);
	expect_nesting(true, false, DEV_VIEW_NO_RANGE);
}

/* Nesting, SPR17, refuse: not a parent, ROM read-only, refused by the first ROM (by gpa). */
static void test_spr17_refuse(void **state)
{
	(void)state;
	derive(true, true, IOMMU_RO_REFUSE);
	expect_fixed();
	expect_roms(DEV_VIEW_MAP_RO, DEV_VIEW_WHY_SPR17_REFUSE);
	expect_nesting(false, true, I_OPTROM);
}

/* Refuse without any ROM: nothing to refuse, the domain is a nesting parent. */
static void test_spr17_refuse_without_rom(void **state)
{
	(void)state;
	assert_int_equal(gmem_init(&g, 39), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, NO_HOST, "msi"), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, GIB, RAM_HPA, "ram"), 0);
	assert_int_equal(gmem_seal(&g), 0);
	for (int pol = IOMMU_RO_SKIP; pol <= IOMMU_RO_REFUSE; pol++) {
		struct dev_view_req req = { true, true, (enum iommu_ro_policy)pol };

		assert_int_equal(dev_view_derive(&g, &req, &v), 0);
		assert_int_equal(v.nr, 2);
		expect_nesting(true, false, DEV_VIEW_NO_RANGE);
	}
}

/* Lookups: linear inside a range, run to its end, RO / RW prot, -ENOENT where not mapped. */
static void test_lookup(void **state)
{
	uint64_t hpa, run;
	unsigned int prot;

	(void)state;
	derive(true, true, IOMMU_RO_REFUSE);
	/* ram1 starts at 1 MiB, backed at RAM_HPA + 1 MiB: gpa 0x123456 -> 0x100123456 */
	assert_int_equal(dev_view_lookup(&v, 0x123456, &hpa, &prot, &run), 0);
	assert_int_equal(hpa, RAM_HPA + 0x123456);
	assert_int_equal(prot, IOMMU_READ | IOMMU_WRITE);
	assert_int_equal(run, GIB - 0x123456); /* ram1 ends at 1 GiB */
	/* last byte of ram0, first and last of the BIOS (read-only under refuse) */
	assert_int_equal(dev_view_lookup(&v, 0x9ffff, &hpa, &prot, &run), 0);
	assert_int_equal(hpa, RAM_HPA + 0x9ffff);
	assert_int_equal(run, 1);
	assert_int_equal(dev_view_lookup(&v, BIOS_GPA, &hpa, &prot, &run), 0);
	assert_int_equal(hpa, ROM_HPA);
	assert_int_equal(prot, IOMMU_READ);
	assert_int_equal(run, 0x10000);
	assert_int_equal(dev_view_lookup(&v, BIOS_GPA + 0xffff, &hpa, NULL, NULL), 0);
	assert_int_equal(hpa, ROM_HPA + 0xffff);
	/* the BAR: 0xc0000800 -> 0xfe000800 */
	assert_int_equal(dev_view_lookup(&v, BAR_GPA + 0x800, &hpa, &prot, &run), 0);
	assert_int_equal(hpa, BAR_HPA + 0x800);
	assert_int_equal(prot, IOMMU_RW);
	assert_int_equal(run, MIB - 0x800);
	/* holes: 0xa0000 (between ram0 and vga.rom), just past ram2, far above */
	assert_int_equal(dev_view_lookup(&v, 0xa0000, &hpa, &prot, &run), -ENOENT);
	assert_int_equal(run, OPTROM_GPA - 0xa0000); /* up to vga.rom, read-only under refuse */
	assert_int_equal(dev_view_lookup(&v, HIGH_RAM + GIB, NULL, NULL, &run), -ENOENT);
	assert_int_equal(run, UINT64_MAX - (HIGH_RAM + GIB)); /* nothing mapped above ram2 */
	assert_int_equal(dev_view_lookup(&v, UINT64_MAX, NULL, NULL, NULL), -ENOENT);
	/* never mapped: the MSI window, emulated MMIO */
	assert_int_equal(dev_view_lookup(&v, X86_MSI_BASE, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(dev_view_lookup(&v, X86_MSI_BASE + X86_MSI_SIZE - 1, NULL, NULL, NULL),
			 -ENOENT);
	assert_int_equal(dev_view_lookup(&v, IOAPIC_GPA + 4, NULL, NULL, NULL), -ENOENT);

	/* under skip the ROMs are left out: -ENOENT */
	derive(true, true, IOMMU_RO_SKIP);
	assert_int_equal(dev_view_lookup(&v, BIOS_GPA, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(dev_view_lookup(&v, OPTROM_GPA + 0x7fff, NULL, NULL, NULL), -ENOENT);
	/* a gap runs over the left-out ROMs to the next mapped range: ram1 at 1 MiB */
	assert_int_equal(dev_view_lookup(&v, 0xa0000, NULL, NULL, &run), -ENOENT);
	assert_int_equal(run, MIB - 0xa0000);
	/* inside the MSI window the gap ends where ram2 begins */
	assert_int_equal(dev_view_lookup(&v, X86_MSI_BASE, NULL, NULL, &run), -ENOENT);
	assert_int_equal(run, HIGH_RAM - X86_MSI_BASE);
	assert_int_equal(dev_view_lookup(&v, 0, &hpa, &prot, &run), 0);
	assert_int_equal(hpa, RAM_HPA);
	assert_int_equal(dev_view_lookup(NULL, 0, NULL, NULL, NULL), -EINVAL);
}

static void test_prot(void **state)
{
	(void)state;
	assert_int_equal(dev_view_prot(DEV_VIEW_MAP_RW), IOMMU_READ | IOMMU_WRITE);
	assert_int_equal(dev_view_prot(DEV_VIEW_MAP_RO), IOMMU_READ);
	assert_int_equal(dev_view_prot(DEV_VIEW_LEFT_OUT), 0);
}

static void test_format(void **state)
{
	char line[256];
	char tiny[8];
	int n;

	(void)state;
	derive(true, true, IOMMU_RO_SKIP);
	n = dev_view_format(line, sizeof(line), &v.entry[I_BIOS]);
	assert_string_equal(line, "bios 0xf0000-0xfffff ROM: left out (SPR17: read-only range "
				  "under a nesting parent, iommu.ro_policy=skip)");
	assert_int_equal(n, (int)strlen(line));
	dev_view_format(line, sizeof(line), &v.entry[I_MSI]);
	assert_string_equal(line, "msi 0xfee00000-0xfeefffff MSI window: left out (MSI window: "
				  "device writes are interrupt requests (VT-d 3.15))");
	derive(true, true, IOMMU_RO_REFUSE);
	dev_view_format(line, sizeof(line), &v.entry[I_OPTROM]);
	assert_string_equal(line, "vga.rom 0xc0000-0xc7fff ROM: map read-only (SPR17: read-only "
				  "range, nesting refused, iommu.ro_policy=refuse)");
	dev_view_format(line, sizeof(line), &v.entry[I_BAR]);
	assert_string_equal(line, "edu.bar0 0xc0000000-0xc00fffff passthrough MMIO: map read-write "
				  "(passthrough BAR, peer-to-peer DMA)");
	/* truncated, still terminated; the full length is returned */
	n = dev_view_format(tiny, sizeof(tiny), &v.entry[I_RAM0]);
	assert_string_equal(tiny, "ram0 0x");
	assert_true(n > (int)sizeof(tiny));

	assert_string_equal(dev_view_policy_name(IOMMU_RO_SKIP), "skip");
	assert_string_equal(dev_view_policy_name(IOMMU_RO_REFUSE), "refuse");
	assert_string_equal(dev_view_policy_name(BAD_POLICY), "?");
	assert_string_equal(dev_view_action_name(DEV_VIEW_LEFT_OUT), "left out");
	assert_string_equal(dev_view_reason_text(DEV_VIEW_NR_REASONS), "?");
	for (int r = 0; r < DEV_VIEW_NR_REASONS; r++)
		assert_string_not_equal(dev_view_reason_text((enum dev_view_reason)r), "?");
}

static void test_refused_arguments(void **state)
{
	struct dev_view_req req = { .policy = IOMMU_RO_SKIP };
	struct gmem open;

	(void)state;
	assert_int_equal(dev_view_derive(NULL, &req, &v), -EINVAL);
	assert_int_equal(dev_view_derive(&g, NULL, &v), -EINVAL);
	assert_int_equal(dev_view_derive(&g, &req, NULL), -EINVAL);
	req.policy = BAD_POLICY;
	assert_int_equal(dev_view_derive(&g, &req, &v), -EINVAL);
	assert_int_equal(v.nr, 0);
	assert_false(v.nesting_parent);
	assert_int_equal(v.refused_by, DEV_VIEW_NO_RANGE);
	/* an unsealed map */
	req.policy = IOMMU_RO_SKIP;
	assert_int_equal(gmem_init(&open, 39), 0);
	assert_int_equal(gmem_add(&open, GMEM_RAM, 0, GIB, RAM_HPA, "ram"), 0);
	assert_int_equal(dev_view_derive(&open, &req, &v), -EINVAL);
	/* a range of unknown kind (a corrupted map): nothing half-derived is left */
	g.range[I_HIGH].kind = GMEM_NR_KINDS;
	assert_int_equal(dev_view_derive(&g, &req, &v), -EINVAL);
	assert_int_equal(v.nr, 0);
	assert_int_equal(v.entry[0].range.size, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_nesting, setup),
		cmocka_unit_test_setup(test_nesting_without_spr17, setup),
		cmocka_unit_test_setup(test_spr17_skip, setup),
		cmocka_unit_test_setup(test_spr17_refuse, setup),
		cmocka_unit_test_setup(test_spr17_refuse_without_rom, setup),
		cmocka_unit_test_setup(test_lookup, setup),
		cmocka_unit_test_setup(test_prot, setup),
		cmocka_unit_test_setup(test_format, setup),
		cmocka_unit_test_setup(test_refused_arguments, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
