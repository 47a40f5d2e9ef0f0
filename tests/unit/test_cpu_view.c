// SPDX-License-Identifier: MIT
/*
 * vmm/cpu_view.c: the CPU view derived from sealed gmem maps holding every kind of range - RAM
 * read/write/execute write-back, ROM read/execute write-back, passthrough MMIO read/write
 * uncacheable, emulated MMIO and the MSI window absent - in gpa order with the index of the
 * range each entry comes from; an unsealed map is refused; lookups and the names for logs.
 * Sources: vmm/cpu_view.c vmm/gmem.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/arch/x86/msi.h"
#include "vmm/cpu_view.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* RAM, ROM, a passthrough BAR, an emulated device and the MSI window, added out of order. */
static void full_map(struct gmem *g)
{
	assert_int_equal(gmem_init(g, 39), 0);
	assert_int_equal(gmem_add(g, GMEM_ROM, 0xfff00000, MiB, 0x200000000ull, "bios"), 0);
	assert_int_equal(gmem_add(g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"),
			 0);
	assert_int_equal(
		gmem_add(g, GMEM_MMIO_EMULATED, 0xfec00000, 0x1000, GMEM_NO_BACKING, "ioapic"), 0);
	assert_int_equal(gmem_add(g, GMEM_RAM, 0, 2 * GiB, 0x100000000ull, "ram0"), 0);
	assert_int_equal(gmem_add(g, GMEM_MMIO_PASSTHRU, 0xc0000000, MiB, 0xfe000000, "edu.bar0"),
			 0);
	assert_int_equal(gmem_add(g, GMEM_RAM, 4 * GiB, GiB, 0x300000000ull, "ram1"), 0);
	assert_int_equal(gmem_seal(g), 0);
}

static void assert_entry(const struct cpu_view *v, unsigned int i, uint64_t gpa, uint64_t hpa,
			 uint64_t size, uint32_t perms, enum cpu_memtype mt,
			 enum cpu_view_kind kind, const char *name)
{
	const struct cpu_view_entry *e = &v->entry[i];

	assert_int_equal(e->gpa, gpa);
	assert_int_equal(e->hpa, hpa);
	assert_int_equal(e->size, size);
	assert_int_equal(e->perms, perms);
	assert_int_equal(e->memtype, mt);
	assert_int_equal(e->kind, kind);
	assert_string_equal(cpu_view_range(v, e)->name, name);
	assert_ptr_equal(cpu_view_range(v, e), &v->gmem->range[e->range]);
}

static void test_derive_every_kind(void **state)
{
	struct gmem g;
	struct cpu_view v;

	(void)state;
	full_map(&g);
	assert_int_equal(cpu_view_derive(&g, &v), 0);
	assert_ptr_equal(v.gmem, &g);
	/* Six ranges, four mapped (ioapic and msi absent), ascending gpa. */
	assert_int_equal(v.nr, 4);
	assert_entry(&v, 0, 0, 0x100000000ull, 2 * GiB, CPU_PERM_R | CPU_PERM_W | CPU_PERM_X,
		     CPU_MT_WB, CPU_VIEW_RAM, "ram0");
	assert_entry(&v, 1, 0xc0000000, 0xfe000000, MiB, CPU_PERM_R | CPU_PERM_W, CPU_MT_UC,
		     CPU_VIEW_MMIO, "edu.bar0");
	assert_entry(&v, 2, 0xfff00000, 0x200000000ull, MiB, CPU_PERM_R | CPU_PERM_X, CPU_MT_WB,
		     CPU_VIEW_ROM, "bios");
	assert_entry(&v, 3, 4 * GiB, 0x300000000ull, GiB, CPU_PERM_R | CPU_PERM_W | CPU_PERM_X,
		     CPU_MT_WB, CPU_VIEW_RAM, "ram1");
	/* The policy itself: ROM is never writable, MMIO never executable nor write-back. */
	for (unsigned int i = 0; i < v.nr; i++) {
		const struct cpu_view_entry *e = &v.entry[i];
		enum gmem_kind k = cpu_view_range(&v, e)->kind;

		assert_true(e->perms & CPU_PERM_R);
		if (k == GMEM_ROM)
			assert_false(e->perms & CPU_PERM_W);
		if (k == GMEM_MMIO_PASSTHRU)
			assert_true(!(e->perms & CPU_PERM_X) && e->memtype == CPU_MT_UC);
		assert_true(k != GMEM_MMIO_EMULATED && k != GMEM_MSI);
		if (i)
			assert_true(v.entry[i - 1].gpa + v.entry[i - 1].size <= e->gpa);
	}
}

static void test_unsealed_refused(void **state)
{
	struct gmem g;
	struct cpu_view v;

	(void)state;
	assert_int_equal(gmem_init(&g, 39), 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0, 16 * MiB, 0x100000000ull, "ram0"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"),
			 0);
	memset(&v, 0xa5, sizeof(v));
	assert_int_equal(cpu_view_derive(&g, &v), -EINVAL);
	assert_int_equal(v.nr, 0); /* nothing a caller could use by mistake */
	assert_int_equal(gmem_seal(&g), 0);
	assert_int_equal(cpu_view_derive(&g, &v), 0);
	assert_int_equal(v.nr, 1);
	assert_entry(&v, 0, 0, 0x100000000ull, 16 * MiB, CPU_PERM_R | CPU_PERM_W | CPU_PERM_X,
		     CPU_MT_WB, CPU_VIEW_RAM, "ram0");
}

static void test_only_absent_kinds_besides_ram(void **state)
{
	struct gmem g;
	struct cpu_view v;

	(void)state;
	/* RAM plus emulated MMIO next to it and the MSI window: one entry, the RAM. */
	assert_int_equal(gmem_init(&g, 32), 0);
	assert_int_equal(gmem_add(&g, GMEM_MMIO_EMULATED, 0x1000, 0x1000, GMEM_NO_BACKING, "uart"),
			 0);
	assert_int_equal(gmem_add(&g, GMEM_RAM, 0x2000, 0x3000, 0x5000, "low"), 0);
	assert_int_equal(gmem_add(&g, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING, "msi"),
			 0);
	assert_int_equal(gmem_seal(&g), 0);
	assert_int_equal(cpu_view_derive(&g, &v), 0);
	assert_int_equal(v.nr, 1);
	assert_entry(&v, 0, 0x2000, 0x5000, 0x3000, CPU_PERM_R | CPU_PERM_W | CPU_PERM_X, CPU_MT_WB,
		     CPU_VIEW_RAM, "low");
	/* The range index points at the sealed (sorted) map: uart 0, low 1, msi 2. */
	assert_int_equal(v.entry[0].range, 1);
}

static void test_find(void **state)
{
	struct gmem g;
	struct cpu_view v;

	(void)state;
	full_map(&g);
	assert_int_equal(cpu_view_derive(&g, &v), 0);
	assert_ptr_equal(cpu_view_find(&v, 0), &v.entry[0]);
	assert_ptr_equal(cpu_view_find(&v, 2 * GiB - 1), &v.entry[0]);
	assert_null(cpu_view_find(&v, 2 * GiB)); /* hole */
	assert_ptr_equal(cpu_view_find(&v, 0xc00fffff), &v.entry[1]);
	assert_null(cpu_view_find(&v, 0xc0100000));
	assert_null(cpu_view_find(&v, 0xfec00000));	     /* emulated: exits */
	assert_null(cpu_view_find(&v, X86_MSI_BASE + 0x30)); /* MSI window: absent */
	assert_ptr_equal(cpu_view_find(&v, 0xffffffff), &v.entry[2]);
	assert_ptr_equal(cpu_view_find(&v, 5 * GiB - 1), &v.entry[3]);
	assert_null(cpu_view_find(&v, 5 * GiB));
	assert_null(cpu_view_find(&v, UINT64_MAX));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(cpu_view_kind_name(CPU_VIEW_RAM), "RAM rwx WB");
	assert_string_equal(cpu_view_kind_name(CPU_VIEW_ROM), "ROM r-x WB");
	assert_string_equal(cpu_view_kind_name(CPU_VIEW_MMIO), "MMIO rw- UC");
	assert_string_equal(cpu_view_kind_name(CPU_VIEW_NR_KINDS), "?");
	assert_null(cpu_view_absent_why(GMEM_RAM));
	assert_null(cpu_view_absent_why(GMEM_ROM));
	assert_null(cpu_view_absent_why(GMEM_MMIO_PASSTHRU));
	assert_non_null(strstr(cpu_view_absent_why(GMEM_MMIO_EMULATED), "exits"));
	assert_non_null(strstr(cpu_view_absent_why(GMEM_MSI), "local APIC"));
	assert_null(cpu_view_absent_why(GMEM_NR_KINDS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_every_kind),
		cmocka_unit_test(test_unsealed_refused),
		cmocka_unit_test(test_only_absent_kinds_besides_ram),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
