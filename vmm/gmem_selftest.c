// SPDX-License-Identifier: MIT
/*
 * selftest=gmem. A VM memory map with RAM, a ROM range, the edu device's BAR as passthrough
 * MMIO, an emulated IOAPIC page and the MSI window; its device view programmed for QEMU's edu
 * device under the boot's iommu.ro_policy and SPR17 decision; then DMA by the device, checked in
 * the VM's host memory and in the fault records:
 *   gmem.view           each range got the decision the policy gives it;
 *   gmem.dma_ram        DMA into RAM lands in the VM's host frames;
 *   gmem.rom_read       DMA reads the ROM where the view maps it, faults at its address where
 *                       the view leaves it out (SPR17 + skip);
 *   gmem.rom_write      DMA never writes the ROM;
 *   gmem.msi_window     a DMA write to 0xFEE00000 changes no RAM (QEMU turns it into an
 *                       interrupt request: counted and reported);
 *   gmem.ro_map_refused the domain API refuses a read-only map on the nesting parent (SPR17);
 *   gmem.audit          the programmed tables pass the audit, SPR17 rules included;
 *   gmem.shadow_*       a guest-owned first stage composed with the view (vmm/shadow.h): DMA
 *                       through guest IOVAs, the guest's update seen after its invalidation;
 *                       shadow_fanout: a first stage of four pages whose entries all point at
 *                       the next level (2^35 leaves) is refused at the step budget;
 *   gmem.nested_refused NESTED (PGTT 011b) is refused on a unit without ECAP.NEST.
 */
#include "vmm/gmem_selftest.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "drivers/edu/edu.h"
#include "iommu/iommu.h"
#include "kernel/arch/x86/msi.h"
#include "kernel/check.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/time.h"
#include "vmm/shadow.h"
#include "vmm/vm.h"

#define PAGE		0x1000ull
#define MIB		0x100000ull
#define GPA_BITS	39
#define GPA_RAM0	0x0ull /* 640 KiB of low RAM */
#define SIZE_RAM0	0xa0000ull
#define GPA_BIOS	0xf0000ull /* the ROM: 64 KiB below 1 MiB */
#define SIZE_BIOS	0x10000ull
#define GPA_RAM1	(2 * MIB) /* 8 MiB, 2 MiB aligned */
#define SIZE_RAM1	(8 * MIB)
#define GPA_BAR		0xc0000000ull /* edu's BAR0, passed through */
#define SIZE_BAR	MIB
#define GPA_IOAPIC	0xfec00000ull	      /* emulated */
#define GPA_SRC		(GPA_RAM1 + 0x000000) /* pattern A */
#define GPA_SRC2	(GPA_RAM1 + 0x001000) /* pattern C */
#define GPA_DST		(GPA_RAM1 + 0x100000)
#define GPA_DST2	(GPA_RAM1 + 0x101000)
#define GPA_FS_TABLES	(GPA_RAM1 + 0x400000) /* the guest's first stage: 4 pages */
#define GPA_FS_FANOUT	(GPA_RAM1 + 0x500000) /* the fan-out attack's first stage: 4 pages */
#define GPA_FS_2M	(GPA_RAM1 + 0x600000) /* a 2 MiB guest leaf's target */
#define IOVA_RO_PROBE	0x7f000000ull	      /* a hole of the view, for the read-only map */
#define FS_IOVA		0x40000000ull	      /* the guest's IOVAs: PML4[0] PDPT[1] */
#define FS_IOVA_2M	(FS_IOVA + 2 * MIB)   /* PD[1]: a 2 MiB leaf */
#define FS_LEVELS	4
#define GMEM_TEST_PASID 1u /* a PASID of the device for the NESTED entry */
#define NS_PER_MS	1000000u
#define XFER		256u
#define MSI_XFER	4u /* one dword: the MSI data */
#define MAX_FAULTS	8u /* faults kept between two take_faults(); the rest only counted */

/*
 * Guest first-stage entries: VT-d 9.7's first stage is x86 4-level paging (Intel SDM vol. 3A
 * 4.5, kernel/arch/x86/paging.h). Tables P|R/W|U/S|A, leaves also D, read-only ones without R/W.
 */
#define FS_TABLE	    (PTE_P | PTE_W | PTE_US | PTE_A)
#define FS_LEAF_RW	    (FS_TABLE | PTE_D)
#define FS_LEAF_RO	    (PTE_P | PTE_US | PTE_A)
#define FS_LEVEL_BITS	    9u /* log2(PT_ENTRIES) */
#define FS_IDX(iova, level) (((iova) / PAGE_4K >> ((level)-1) * FS_LEVEL_BITS) & (PT_ENTRIES - 1))

/* The faults of the test's domains one take_faults() took: all counted, MAX_FAULTS kept. */
struct gmem_faults {
	unsigned int n;
	struct iommu_fault f[MAX_FAULTS];
};

struct gmem_test {
	struct vm vm;
	struct edu edu;
	unsigned int unit;
	struct gmem_faults pending; /* handed over by the domains' fault handler */
	struct gmem_faults faults;  /* what the last take_faults() took */
	int vector;
};

static uint8_t pattern(uint32_t i, uint8_t seed)
{
	return (uint8_t)(i * 31 + seed);
}

static void fill(struct gmem_test *t, uint64_t gpa, uint8_t seed)
{
	uint8_t *p = vm_host(&t->vm, gpa, PAGE);

	for (uint32_t i = 0; i < PAGE; i++)
		p[i] = pattern(i, seed);
}

static bool holds(struct gmem_test *t, uint64_t gpa, uint8_t seed, uint32_t n)
{
	const uint8_t *p = vm_host(&t->vm, gpa, n);

	for (uint32_t i = 0; i < n; i++)
		if (p[i] != pattern(i, seed))
			return false;
	return true;
}

/* The fault handler of the test's domains (DMA and interrupt faults of their devices). */
static void note_fault(struct iommu_domain *d, const struct iommu_fault *f, void *arg)
{
	struct gmem_faults *p = &((struct gmem_test *)arg)->pending;

	(void)d;
	if (p->n < MAX_FAULTS)
		p->f[p->n] = *f;
	p->n++;
}

/* The faults recorded since the last call: the unit's records read first. */
static unsigned int take_faults(struct gmem_test *t)
{
	iommu_fault_poll(t->unit);
	irq_disable(); /* the fault event interrupt adds to @pending */
	t->faults = t->pending;
	t->pending.n = 0;
	irq_enable();
	return t->faults.n;
}

/* One fault from edu at @gpa with @access (IOMMU_READ or IOMMU_WRITE) was recorded since the
 * last take_faults(). */
static bool one_fault_at(struct gmem_test *t, uint64_t gpa, unsigned int access)
{
	take_faults(t);
	return t->faults.n == 1 && pci_bdf_equal(t->faults.f[0].source, t->edu.bdf) &&
	       t->faults.f[0].addr == gpa && t->faults.f[0].access == access;
}

/* RAM -> device -> RAM: 0 when both legs completed (faults are the caller's to check). */
static int copy(struct gmem_test *t, uint64_t from, uint64_t to, uint32_t len)
{
	int err = edu_dma(&t->edu, EDU_FROM_RAM, from, 0, len);

	return err ? err : edu_dma(&t->edu, EDU_TO_RAM, to, 0, len);
}

static bool find_edu(struct gmem_test *t, struct platform *p)
{
	int i = edu_find(p->pci, 0, iommu_unit_enabled, &t->edu);

	if (i >= 0)
		t->unit = (unsigned int)p->pci->devices[i].unit;
	return check(i >= 0, "gmem.edu_found", "no edu device (1234:11e8) under an enabled unit");
}

static int build_vm(struct gmem_test *t)
{
	struct vm *vm = &t->vm;
	int err = vm_init(vm, "vm0", GPA_BITS);

	if (!err)
		err = vm_add_memory(vm, GMEM_RAM, GPA_RAM0, SIZE_RAM0, "ram0");
	if (!err)
		err = vm_add_memory(vm, GMEM_ROM, GPA_BIOS, SIZE_BIOS, "bios");
	if (!err)
		err = vm_add_memory(vm, GMEM_RAM, GPA_RAM1, SIZE_RAM1, "ram1");
	if (!err)
		err = vm_add_range(vm, GMEM_MMIO_PASSTHRU, GPA_BAR, SIZE_BAR, t->edu.mmio,
				   "edu.bar0");
	if (!err)
		err = vm_add_range(vm, GMEM_MMIO_EMULATED, GPA_IOAPIC, PAGE, GMEM_NO_BACKING,
				   "ioapic");
	if (!err)
		err = vm_add_range(vm, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING,
				   "msi");
	if (err)
		return err;
	fill(t, GPA_BIOS, 0xb0);
	fill(t, GPA_SRC, 0xa0);
	fill(t, GPA_SRC2, 0xc0);
	err = vm_device_view(vm, t->unit, true);
	return err ? err : vm_assign(vm, t->edu.bdf);
}

static const struct dev_view_entry *view_entry(const struct gmem_test *t, const char *name)
{
	for (unsigned int i = 0; i < t->vm.view.nr; i++)
		if (!strcmp(t->vm.view.entry[i].range.name, name))
			return &t->vm.view.entry[i];
	return NULL;
}

/* Whether a nesting parent on @t's unit may hold no read-only leaf (VT-d: SPR17 in force). */
static bool no_ro_under_nesting(const struct gmem_test *t)
{
	struct iommu_hw_info info;

	return !iommu_hw_info(t->unit, &info) && (info.flags & IOMMU_HW_NO_RO_UNDER_NESTING);
}

/* What the policy gives the ROM, and whether the domain stays a nesting parent. */
static void expected(const struct gmem_test *t, enum dev_view_action *rom, bool *parent)
{
	bool spr17 = no_ro_under_nesting(t), refuse = iommu_ro_policy() == IOMMU_RO_REFUSE;

	*rom = spr17 && !refuse ? DEV_VIEW_LEFT_OUT : DEV_VIEW_MAP_RO;
	*parent = !(spr17 && refuse);
}

static void check_view(struct gmem_test *t)
{
	const struct dev_view_entry *rom = view_entry(t, "bios"), *msi = view_entry(t, "msi"),
				    *emu = view_entry(t, "ioapic"), *ram = view_entry(t, "ram1"),
				    *bar = view_entry(t, "edu.bar0");
	enum dev_view_action want_rom;
	bool want_parent, parent = iommu_domain_is_nesting_parent(t->vm.dom);

	expected(t, &want_rom, &want_parent);
	check(rom && msi && emu && ram && bar && rom->action == want_rom &&
		      msi->action == DEV_VIEW_LEFT_OUT && emu->action == DEV_VIEW_LEFT_OUT &&
		      ram->action == DEV_VIEW_MAP_RW && bar->action == DEV_VIEW_MAP_RW &&
		      parent == want_parent && t->vm.view.nesting_parent == want_parent,
	      "gmem.view", "bios %s (want %s), msi %s, ioapic %s, ram1 %s, bar %s, parent %d/%d",
	      rom ? dev_view_action_name(rom->action) : "-", dev_view_action_name(want_rom),
	      msi ? dev_view_action_name(msi->action) : "-",
	      emu ? dev_view_action_name(emu->action) : "-",
	      ram ? dev_view_action_name(ram->action) : "-",
	      bar ? dev_view_action_name(bar->action) : "-", parent, want_parent);
}

static void check_dma_ram(struct gmem_test *t)
{
	int err = copy(t, GPA_SRC, GPA_DST, XFER);
	unsigned int nf = take_faults(t);

	check(!err && !nf && holds(t, GPA_DST, 0xa0, XFER), "gmem.dma_ram",
	      "err %d, %u faults, data %s in the VM's frame behind %#llx", err, nf,
	      holds(t, GPA_DST, 0xa0, XFER) ? "arrived" : "missing", (unsigned long long)GPA_DST);
}

/*
 * The write comes first: QEMU 10 checks permissions only when it walks the tables, and a write
 * that hits a read-only translation it cached (from a read) is dropped without a fault record
 * (docs/qemu-vtd-notes.md). On hardware the order does not matter.
 */
static void check_rom(struct gmem_test *t)
{
	const struct dev_view_entry *rom = view_entry(t, "bios");
	bool mapped = rom && rom->action == DEV_VIEW_MAP_RO, got, blocked;
	int err;

	/* The buffer holds pattern A; writing it over the ROM must fault and change nothing. */
	take_faults(t);
	err = edu_dma(&t->edu, EDU_FROM_RAM, GPA_SRC, 0, XFER);
	if (!err)
		err = edu_dma(&t->edu, EDU_TO_RAM, GPA_BIOS, 0, XFER);
	blocked = one_fault_at(t, GPA_BIOS, IOMMU_WRITE);
	check(!err && blocked && holds(t, GPA_BIOS, 0xb0, XFER), "gmem.rom_write",
	      "err %d, %u faults, ROM %s", err, t->faults.n,
	      holds(t, GPA_BIOS, 0xb0, XFER) ? "unchanged" : "CHANGED");

	err = copy(t, GPA_BIOS, GPA_DST2, XFER);
	got = holds(t, GPA_DST2, 0xb0, XFER);
	blocked = one_fault_at(t, GPA_BIOS, IOMMU_READ);
	if (mapped)
		check(!err && got && !t->faults.n, "gmem.rom_read",
		      "read-only ROM: err %d, data %s, %u faults", err, got ? "read" : "not read",
		      t->faults.n);
	else
		check(!err && !got && blocked, "gmem.rom_read",
		      "ROM %s left out: err %d, data %s, %u faults, first at %#llx",
		      rom ? rom->range.name : "?", err, got ? "read" : "not read", t->faults.n,
		      (unsigned long long)(t->faults.n ? t->faults.f[0].addr : 0));
}

/* A sum over every byte of the VM's RAM and ROM backings. */
static uint64_t ram_sum(const struct gmem_test *t)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < t->vm.gmem.nr; i++) {
		const struct gmem_range *r = &t->vm.gmem.range[i];
		const uint64_t *w = (const uint64_t *)r->hpa;

		if (r->kind != GMEM_RAM && r->kind != GMEM_ROM)
			continue;
		for (uint64_t k = 0; k < r->size / sizeof(*w); k++)
			sum = sum * 31 + w[k];
	}
	return sum;
}

static void count_irq(void *arg)
{
	(void)arg;
}

/* edu writes one dword (a vector number, MSI data format: Intel SDM vol. 3A 11.11.2) to the
 * MSI window's first address (destination APIC id 0). */
static void check_msi_window(struct gmem_test *t)
{
	uint32_t *src = vm_host(&t->vm, GPA_SRC2, PAGE);
	uint64_t before_sum, before_irq;
	int err;

	t->vector = irq_alloc(count_irq, NULL);
	if (!check(t->vector > 0, "gmem.msi_vector", "no free vector: %d", t->vector))
		return;
	src[0] = (uint32_t)t->vector;
	err = edu_dma(&t->edu, EDU_FROM_RAM, GPA_SRC2, 0, MSI_XFER);
	fill(t, GPA_SRC2, 0xc0);
	before_sum = ram_sum(t);
	before_irq = irq_count(t->vector);
	if (!err)
		err = edu_dma(&t->edu, EDU_TO_RAM, X86_MSI_BASE, 0, MSI_XFER);
	take_faults(t);
	check(!err && ram_sum(t) == before_sum, "gmem.msi_window", "err %d; the VM's memory %s",
	      err, ram_sum(t) == before_sum ? "unchanged" : "CHANGED");
	log_info("gmem: DMA write of %#x to %#llx (a compatibility-format MSI): %" PRIu64
		 " interrupt(s) on vector %d, %u fault(s)",
		 (unsigned int)t->vector, (unsigned long long)X86_MSI_BASE,
		 irq_count(t->vector) - before_irq, t->vector, t->faults.n);
	irq_free(t->vector);
}

static void check_ro_map_refused(struct gmem_test *t)
{
	uint64_t pa, leaf;
	unsigned int prot;
	int err;

	if (!iommu_domain_is_nesting_parent(t->vm.dom) || !no_ro_under_nesting(t)) {
		log_info("gmem: the device view is %s: read-only maps are allowed, "
			 "gmem.ro_map_refused does not apply",
			 no_ro_under_nesting(t) ? "not a nesting parent" : "without SPR17");
		return;
	}
	err = iommu_map(t->vm.dom, IOVA_RO_PROBE, t->vm.gmem.range[0].hpa, PAGE, IOMMU_READ);
	check(err == -EPERM &&
		      iommu_translate(t->vm.dom, IOVA_RO_PROBE, &pa, &leaf, &prot) == -ENOENT,
	      "gmem.ro_map_refused", "read-only map on the nesting parent returned %d", err);
}

/* The guest's first stage in its own RAM: PML4 -> PDPT -> PD -> PT (VT-d 9.7). */
static void build_guest_fs(struct gmem_test *t)
{
	uint64_t *pml4 = vm_host(&t->vm, GPA_FS_TABLES, PAGE),
		 *pdpt = vm_host(&t->vm, GPA_FS_TABLES + PAGE, PAGE),
		 *pd = vm_host(&t->vm, GPA_FS_TABLES + 2 * PAGE, PAGE),
		 *pt = vm_host(&t->vm, GPA_FS_TABLES + 3 * PAGE, PAGE);

	memset(pml4, 0, 4 * PAGE);
	pml4[FS_IDX(FS_IOVA, 4)] = (GPA_FS_TABLES + PAGE) | FS_TABLE;
	pdpt[FS_IDX(FS_IOVA, 3)] = (GPA_FS_TABLES + 2 * PAGE) | FS_TABLE;
	pd[FS_IDX(FS_IOVA, 2)] = (GPA_FS_TABLES + 3 * PAGE) | FS_TABLE;
	pd[FS_IDX(FS_IOVA_2M, 2)] = GPA_FS_2M | FS_LEAF_RW | PTE_PS;
	pt[0] = GPA_SRC | FS_LEAF_RW;
	pt[1] = GPA_BIOS | FS_LEAF_RO;
	pt[2] = X86_MSI_BASE | FS_LEAF_RW;
}

struct shadow_bind {
	struct gmem_test *t;
	struct iommu_domain *dom;
};

static const uint64_t *shadow_read(void *arg, uint64_t gpa)
{
	return vm_host(&((struct shadow_bind *)arg)->t->vm, gpa, PAGE);
}

static int shadow_lookup(void *arg, uint64_t gpa, uint64_t *hpa, unsigned int *prot, uint64_t *run)
{
	return dev_view_lookup(&((struct shadow_bind *)arg)->t->vm.view, gpa, hpa, prot, run);
}

static int shadow_map(void *arg, uint64_t iova, uint64_t hpa, uint64_t size, unsigned int prot)
{
	return iommu_map(((struct shadow_bind *)arg)->dom, iova, hpa, size, prot);
}

static int64_t shadow_unmap(void *arg, uint64_t iova, uint64_t size)
{
	return iommu_unmap(((struct shadow_bind *)arg)->dom, iova, size);
}

static void shadow_dma_checks(struct gmem_test *t, struct shadow *s)
{
	const struct dev_view_entry *rom = view_entry(t, "bios");
	uint64_t *pt = vm_host(&t->vm, GPA_FS_TABLES + 3 * PAGE, PAGE);
	struct shadow_stats st;
	int err = copy(t, FS_IOVA, FS_IOVA_2M + PAGE, XFER);
	bool ok = holds(t, GPA_FS_2M + PAGE, 0xa0, XFER);

	check(!err && ok && !take_faults(t), "gmem.shadow_dma",
	      "IOVA %#llx -> %#llx through the guest's tables: err %d, data %s, %u faults",
	      (unsigned long long)FS_IOVA, (unsigned long long)(FS_IOVA_2M + PAGE), err,
	      ok ? "arrived" : "missing", t->faults.n);

	err = copy(t, FS_IOVA + PAGE, FS_IOVA_2M + 2 * PAGE, XFER);
	ok = holds(t, GPA_FS_2M + 2 * PAGE, 0xb0, XFER);
	if (rom && rom->action == DEV_VIEW_MAP_RO)
		check(!err && ok && !take_faults(t), "gmem.shadow_rom",
		      "guest leaf to the read-only ROM: err %d, data %s", err,
		      ok ? "read" : "not read");
	else
		check(!err && !ok && one_fault_at(t, FS_IOVA + PAGE, IOMMU_READ), "gmem.shadow_rom",
		      "guest leaf to the ROM left out of the view: err %d, %s", err,
		      ok ? "data read" : "no fault at its IOVA");

	/* The guest points its first page elsewhere; only its invalidation makes it visible. */
	pt[0] = GPA_SRC2 | FS_LEAF_RW;
	err = shadow_invalidate(s, FS_IOVA, PAGE, &st);
	if (!err)
		err = copy(t, FS_IOVA, FS_IOVA_2M + 3 * PAGE, XFER);
	ok = holds(t, GPA_FS_2M + 3 * PAGE, 0xc0, XFER);
	check(!err && ok && !take_faults(t), "gmem.shadow_invalidate",
	      "after the guest's update and invalidation: err %d, new data %s", err,
	      ok ? "read" : "not read");
}

/*
 * The fan-out attack (issue 11 finding 10): four table pages in the guest's RAM, every entry of
 * each pointing at the next level and the PT's at the guest's RAM, describe 2^35 leaves in the
 * lower half. Composed into @dom (its earlier composition goes: a build starts from an empty
 * domain), it must stop at the budget with -E2BIG and leave @dom empty.
 */
static void check_shadow_fanout(struct gmem_test *t, const struct shadow_ops *ops,
				struct iommu_domain *dom)
{
	uint64_t *fs = vm_host(&t->vm, GPA_FS_FANOUT, FS_LEVELS * PAGE), pa, leaf, start, ns;
	struct shadow_cfg cfg = { .root = GPA_FS_FANOUT,
				  .levels = FS_LEVELS,
				  .iova_bits = GPA_BITS,
				  .budget = shadow_budget(&t->vm.gmem),
				  .vm = t->vm.name,
				  .pasid = GMEM_TEST_PASID };
	struct shadow s;
	struct shadow_stats st = { 0 };
	unsigned int prot;
	bool empty;
	int err;

	for (unsigned int l = 0; l < FS_LEVELS; l++)
		for (unsigned int i = 0; i < PT_ENTRIES; i++)
			fs[l * PT_ENTRIES + i] =
				l + 1 < FS_LEVELS ? (GPA_FS_FANOUT + (l + 1) * PAGE) | FS_TABLE :
						    GPA_SRC | FS_LEAF_RW;
	start = time_ns();
	err = shadow_init(&s, &cfg, ops);
	if (!err)
		err = shadow_build(&s, &st);
	ns = time_ns() - start;
	empty = iommu_translate(dom, 0, &pa, &leaf, &prot) == -ENOENT &&
		iommu_translate(dom, FS_IOVA, &pa, &leaf, &prot) == -ENOENT;
	check(err == -E2BIG && st.steps == cfg.budget && empty, "gmem.shadow_fanout",
	      "err %d after %" PRIu64 " of %" PRIu64 " steps, domain %s", err, st.steps, cfg.budget,
	      empty ? "empty" : "NOT empty");
	log_info("gmem: the fan-out's composition stopped after %" PRIu64 " steps and %" PRIu64
		 " maps (undone) in %" PRIu64 " ms",
		 st.steps, st.maps, ns / NS_PER_MS);
}

static void check_shadow(struct gmem_test *t)
{
	struct shadow_bind b = { .t = t };
	struct shadow_ops ops = {
		.read_table = shadow_read,
		.lookup = shadow_lookup,
		.map = shadow_map,
		.unmap = shadow_unmap,
		.arg = &b,
	};
	struct shadow_cfg cfg = {
		.root = GPA_FS_TABLES,
		.levels = FS_LEVELS,
		.fs1gp = false,
		.iova_bits = GPA_BITS,
		.budget = shadow_budget(&t->vm.gmem),
		.vm = t->vm.name,
		.pasid = 0,
	};
	struct shadow s;
	struct shadow_stats st;
	int err;

	if (!t->vm.view.nesting_parent) {
		log_info("gmem: nesting refused for %s (iommu.ro_policy=refuse): the VM runs with "
			 "second-stage translation only, no guest first stage to shadow",
			 t->vm.name);
		return;
	}
	build_guest_fs(t);
	err = iommu_domain_create(t->unit, IOMMU_DOMAIN_TRANSLATED, GPA_BITS, &b.dom);
	if (!err) {
		iommu_domain_set_fault_handler(b.dom, note_fault, t);
		err = shadow_init(&s, &cfg, &ops);
	}
	if (!err)
		err = shadow_build(&s, &st);
	if (!check(!err && st.skipped[SHADOW_SKIP_MSI] == 1, "gmem.shadow_build",
		   "err %d, %" PRIu64 " pages mapped, %" PRIu64 " MSI leaves skipped", err,
		   err ? 0 : st.pages, err ? 0 : st.skipped[SHADOW_SKIP_MSI]))
		goto out;
	log_info("gmem: shadow of the guest's first stage at %#llx: %" PRIu64 " leaves, %" PRIu64
		 " pages, %" PRIu64 " left out of the view, %" PRIu64 " in the MSI window",
		 (unsigned long long)GPA_FS_TABLES, st.leaves, st.pages,
		 st.skipped[SHADOW_SKIP_NOT_IN_VIEW], st.skipped[SHADOW_SKIP_MSI]);
	err = iommu_detach(t->vm.dom, t->edu.bdf);
	if (!err)
		err = iommu_attach(b.dom, t->edu.bdf);
	if (check(!err, "gmem.shadow_attach", "moving edu to the shadow domain: %d", err))
		shadow_dma_checks(t, &s);
	iommu_detach(b.dom, t->edu.bdf);
	err = vm_assign(&t->vm, t->edu.bdf);
	check(!err, "gmem.shadow_detach", "back to the device view: %d", err);
	check_shadow_fanout(t, &ops, b.dom);
out:
	if (b.dom)
		iommu_domain_destroy(b.dom);
}

/* Hardware nesting (VT-d: NESTED, PGTT 011b) on the device view: refused where the unit
 * cannot nest (VT-d: no ECAP.NEST). */
static void check_nested_refused(struct gmem_test *t)
{
	struct iommu_hw_info info;
	bool nest;
	int err;

	if (!t->vm.view.nesting_parent)
		return;
	nest = !iommu_hw_info(t->unit, &info) && (info.flags & IOMMU_HW_NESTING);
	err = iommu_nested_attach(t->vm.dom, t->edu.bdf, GMEM_TEST_PASID, GPA_FS_TABLES, FS_LEVELS);
	if (!err)
		iommu_nested_detach(t->vm.dom, t->edu.bdf, GMEM_TEST_PASID);
	check(nest ? !err : err == -EOPNOTSUPP, "gmem.nested_refused",
	      "nesting on unit %u (IOMMU_HW_NESTING %d): %d", t->unit, nest, err);
}

void gmem_selftest(struct platform *p)
{
	static struct gmem_test t;
	int err;

	memset(&t, 0, sizeof(t));
	if (!find_edu(&t, p))
		return;
	err = build_vm(&t);
	if (!check(!err, "gmem.build", "%s: %d (%s)", t.vm.name, err, t.vm.gmem.why))
		goto out;
	iommu_domain_set_fault_handler(t.vm.dom, note_fault, &t);
	dev_view_log_report(&t.vm.view, t.vm.name);
	take_faults(&t);
	check_view(&t);
	check_dma_ram(&t);
	check_rom(&t);
	check_msi_window(&t);
	check_ro_map_refused(&t);
	check(iommu_audit() == 0, "gmem.audit", "the audit found violations (logged above)");
	check_shadow(&t);
	check_nested_refused(&t);
out:
	vm_destroy(&t.vm);
}
