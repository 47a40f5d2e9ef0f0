// SPDX-License-Identifier: MIT
#include "kernel/selftest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/edu/edu.h"
#include "iommu/iommu.h"
#include "iommu/iommu_selftest.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/check.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/net/net.h"
#include "kernel/time.h"
#include "kernel/arch/x86/trap.h"
#include "kernel/arch/x86/x86.h"
#include "vmm/gmem_selftest.h"
#include "vmm/guest_selftest.h"
#include "vmm/hostile.h"
#include "vmm/vmx/vmx_selftest.h"

#define FRAMES_PROBE	   64
#define HEAP_PROBE_BYTES   (1u << 20)
#define LAPIC_DEFAULT_BASE 0xfee00000ull
#define TSC_HZ_MIN	   100000000ull	  /* 100 MHz */
#define TSC_HZ_MAX	   20000000000ull /* 20 GHz */
#define SELFTEST_NAME_MAX  32
#define NMI_WAIT_US	   1000 /* an NMI IPI to this CPU arrives in well under this */

static bool range_is_free_memory(const struct boot_info *bi, uint64_t pa, uint64_t len)
{
	for (int i = 0; i < SKIFF_RANGE_COUNT; i++)
		if (pa < bi->skiff[i].base + bi->skiff[i].size && bi->skiff[i].base < pa + len)
			return false;
	for (uint32_t i = 0; i < bi->nr_files && i < BOOT_MAX_FILES; i++)
		if (pa < bi->files[i].base + bi->files[i].size && bi->files[i].base < pa + len)
			return false;
	for (uint32_t i = 0; i < bi->nr_regions; i++) {
		const struct mem_region *r = &bi->regions[i];

		if (pa >= r->base && pa + len <= r->base + r->size)
			return r->type == MEM_FREE || r->type == MEM_LOADER ||
			       r->type == MEM_BOOT_SERVICES;
	}
	return false;
}

static void check_frames(const struct boot_info *bi)
{
	uint64_t before = kernel_pmm.free_frames, pa[FRAMES_PROBE], big;
	bool owned = true, distinct = true;
	int err = 0;

	for (int i = 0; i < FRAMES_PROBE && !err; i++) {
		err = pmm_alloc(&kernel_pmm, 1, 1, &pa[i]);
		owned = owned && (err || range_is_free_memory(bi, pa[i], PMM_FRAME_SIZE));
		for (int k = 0; k < i && !err; k++)
			distinct = distinct && pa[k] != pa[i];
	}
	check(!err && kernel_pmm.free_frames == before - FRAMES_PROBE, "mm.frames_alloc",
	      "err %d, free frames %llu -> %llu after %d allocations", err,
	      (unsigned long long)before, (unsigned long long)kernel_pmm.free_frames, FRAMES_PROBE);
	check(owned && distinct, "mm.frames_from_free_memory", "a frame is %s",
	      owned ? "handed out twice" : "outside free memory or skiff's own");
	for (int i = 0; i < FRAMES_PROBE; i++)
		pmm_free(&kernel_pmm, pa[i], 1);
	err = pmm_free(&kernel_pmm, pa[0], 1);
	check(kernel_pmm.free_frames == before && err == -EINVAL, "mm.frames_free",
	      "free frames %llu (expected %llu), double free returned %d",
	      (unsigned long long)kernel_pmm.free_frames, (unsigned long long)before, err);
	err = pmm_alloc(&kernel_pmm, PAGE_2M / PAGE_4K, PAGE_2M / PAGE_4K, &big);
	check(!err && !(big % PAGE_2M) && range_is_free_memory(bi, big, PAGE_2M),
	      "mm.frames_aligned", "2 MiB aligned run: err %d at %#llx", err,
	      (unsigned long long)big);
	if (!err)
		pmm_free(&kernel_pmm, big, PAGE_2M / PAGE_4K);
}

static void check_heap(void)
{
	static const char expected[] = "-42|   ab|0xfee00000|7  |";
	unsigned char *p = malloc(HEAP_PROBE_BYTES);
	char text[64];
	size_t bad = 0;
	int n;

	if (p) {
		for (size_t i = 0; i < HEAP_PROBE_BYTES; i++)
			p[i] = (unsigned char)(i * 7);
		for (size_t i = 0; i < HEAP_PROBE_BYTES; i++)
			bad += p[i] != (unsigned char)(i * 7);
	}
	check(p && !bad, "libc.malloc", "malloc(%u) %s", HEAP_PROBE_BYTES,
	      p ? "memory does not hold its pattern" : "returned NULL");
	free(p);
	n = snprintf(text, sizeof(text), "%d|%5s|%#llx|%-3u|", -42, "ab", 0xfee00000ull, 7u);
	check(n == (int)strlen(expected) && !strcmp(text, expected), "libc.snprintf",
	      "got %d \"%s\", expected \"%s\"", n, text, expected);
	n = printf("libc: printf reaches the console through newlib's stdout\n");
	fflush(stdout);
	check(n == 57, "libc.printf", "printf returned %d, expected 57", n);
}

static void check_paging(const struct boot_info *bi)
{
	uint64_t heap = bi->skiff[SKIFF_RANGE_HEAP].base, guard = bi->skiff[SKIFF_RANGE_STACK].base;
	uint64_t pa, flags, size;
	int err;

	check(read_cr3() == mm_root(), "mm.own_page_tables", "CR3 %#llx, skiff's PML4 %#llx",
	      (unsigned long long)read_cr3(), (unsigned long long)mm_root());
	err = mm_translate(heap, &pa, &flags, &size);
	check(!err && pa == heap && (flags & PTE_W) && !(flags & PTE_CACHE_UC), "mm.ram_wb",
	      "heap %#llx -> err %d pa %#llx flags %#llx", (unsigned long long)heap, err,
	      (unsigned long long)pa, (unsigned long long)flags);
	err = mm_translate(LAPIC_DEFAULT_BASE, &pa, &flags, &size);
	check(!err && pa == LAPIC_DEFAULT_BASE && (flags & PTE_CACHE_UC) == PTE_CACHE_UC,
	      "mm.mmio_uc", "%#llx -> err %d flags %#llx", LAPIC_DEFAULT_BASE, err,
	      (unsigned long long)flags);
	check(mm_translate(0, &pa, &flags, &size) == -ENOENT &&
		      mm_translate(guard, &pa, &flags, &size) == -ENOENT,
	      "mm.guard_pages", "page 0 or the stack guard page %#llx is mapped",
	      (unsigned long long)guard);
}

static void check_boot_info(const struct boot_info *bi)
{
	check(bi->nr_regions > 0 && bi->acpi_rsdp != 0, "boot.info",
	      "%u memory regions, ACPI 2.0 RSDP %#llx", bi->nr_regions,
	      (unsigned long long)bi->acpi_rsdp);
	if (strstr(bi->cmdline, "efi.ebs_retry_test=1"))
		check(bi->ebs_attempts >= 2, "boot.ebs_retry",
		      "ExitBootServices succeeded at attempt %u despite a stale map key",
		      bi->ebs_attempts);
}

static void check_time(void)
{
	uint64_t hz = time_tsc_hz(), t0 = time_ns(), t1;

	time_delay_us(1000);
	t1 = time_ns();
	check(hz >= TSC_HZ_MIN && hz <= TSC_HZ_MAX && t1 >= t0 + 1000000, "time.tsc",
	      "TSC %llu Hz, 1 ms delay measured %llu ns", (unsigned long long)hz,
	      (unsigned long long)(t1 - t0));
}

/*
 * The host's NMI path returns (kernel/arch/x86/trap.h): a software INT 2, as the VMX backend hands on an
 * NMI that came during a guest, and an NMI from the local APIC each reach nmi_dispatch() once,
 * and skiff goes on.
 */
static void check_nmi(void)
{
	uint64_t before = trap_nmi_count(), soft, hard;

	__asm__ volatile("int $2" ::: "memory");
	soft = trap_nmi_count() - before;
	apic_self_nmi();
	for (unsigned int i = 0; i < NMI_WAIT_US && trap_nmi_count() - before < 2; i++)
		time_delay_us(1);
	hard = trap_nmi_count() - before - soft;
	check(soft == 1 && hard == 1, "trap.nmi_returns",
	      "INT 2 reached the NMI handler %llu time(s), an APIC NMI %llu time(s)",
	      (unsigned long long)soft, (unsigned long long)hard);
}

/* Whether any frame of [@pa, @pa + @len) belongs to a zone of the frame allocator. */
static bool range_in_a_zone(uint64_t pa, uint64_t len)
{
	for (unsigned int i = 0; i < kernel_pmm.nr_zones; i++) {
		const struct pmm_zone *z = &kernel_pmm.zones[i];

		if (pa < z->base + z->frames * PMM_FRAME_SIZE && z->base < pa + len)
			return true;
	}
	return false;
}

/* The files boot/ read from the ESP (vm.kernel, vm.initrd) lie outside every zone: no frame
 * of theirs is ever handed out. Checked only when there are some. */
static void check_boot_files(const struct boot_info *bi)
{
	const struct boot_file *bad = NULL;
	uint32_t read = 0;

	for (uint32_t i = 0; i < bi->nr_files && i < BOOT_MAX_FILES; i++) {
		const struct boot_file *f = &bi->files[i];

		if (f->status != BOOT_FILE_READ || !f->size)
			continue;
		read++;
		if (!bad && range_in_a_zone(f->base, f->size))
			bad = f;
	}
	if (read)
		check(!bad, "mm.boot_files_kept",
		      "%s at %#llx (%llu bytes) overlaps a free frame zone", bad ? bad->key : "",
		      bad ? (unsigned long long)bad->base : 0ull,
		      bad ? (unsigned long long)bad->size : 0ull);
}

void selftest_boot(const struct boot_info *bi)
{
	check_boot_info(bi);
	check_time();
	check_frames(bi);
	check_boot_files(bi);
	check_heap();
	check_paging(bi);
	check_nmi();
	net_selftest_udp_loopback();
}

/* selftest=edu (with iommu=off): the edu driver with DMA remapping off (IOVA = physical
 * address): a pattern goes from one page into the device buffer and back out to another page. */
static void selftest_edu(struct platform *p)
{
	uint64_t src, dst;
	struct edu e;
	int found = 0, err = -ENODEV;
	size_t bad = 0;

	for (unsigned int i = 0; p->pci && i < p->pci->count && !found; i++)
		found = edu_probe(&p->pci->devices[i], &e) == 0 &&
			(p->pci->devices[i].unit == PCI_NO_INDEX ||
			 !iommu_unit_enabled((unsigned int)p->pci->devices[i].unit));
	if (!check(found, "edu.probe",
		   "no edu device (1234:11e8) outside DMA remapping "
		   "(selftest=edu needs iommu=off)"))
		return;
	if (page_alloc_zeroed(&src) || page_alloc_zeroed(&dst)) {
		check(false, "edu.dma_round_trip", "no memory for two pages");
		return;
	}
	for (uint32_t i = 0; i < EDU_BUF_SIZE; i++)
		((uint8_t *)src)[i] = (uint8_t)(i * 13 + 7);
	err = edu_dma(&e, EDU_FROM_RAM, src, 0, EDU_BUF_SIZE);
	if (!err)
		err = edu_dma(&e, EDU_TO_RAM, dst, 0, EDU_BUF_SIZE);
	for (uint32_t i = 0; !err && i < EDU_BUF_SIZE; i++)
		bad += ((uint8_t *)dst)[i] != (uint8_t)(i * 13 + 7);
	check(!err && !bad, "edu.dma_round_trip", "err %d, %zu of %u bytes differ", err, bad,
	      EDU_BUF_SIZE);
	pmm_free(&kernel_pmm, src, 1);
	pmm_free(&kernel_pmm, dst, 1);
}

/* selftest=fault: write to address 0, which skiff leaves unmapped. The exception report and a
 * FAIL verdict are the expected outcome; returning from here is the failure. */
static void selftest_fault(struct platform *p)
{
	/* Through a volatile, so the compiler cannot see the address and emit ud2 instead. */
	volatile uintptr_t address = 0;

	(void)p;
	log_info("selftest: writing to address 0; expect a #PF report and a FAIL verdict");
	*(volatile uint64_t *)address = 1;
	check(false, "selftest.fault", "the write to address 0 did not fault");
}

struct selftest {
	const char *name;
	void (*run)(struct platform *p);
};

/* One self-test a line; the IOMMU implementations' own are iommu/iommu_selftest.h's. */
/* clang-format off */
static const struct selftest selftests[] = {
	{ "fault", selftest_fault },
	{ "edu", selftest_edu },
	{ "gmem", gmem_selftest },
	{ "guest", vmm_guest_selftest },
	{ "vmx", vmx_selftest },
	{ "hostile", vmm_hostile_selftest },
};
/* clang-format on */

void selftest_run(const struct cmdline *c, struct platform *p)
{
	const char *list = cmdline_get(c, "selftest");

	while (list && *list) {
		size_t n = strcspn(list, ",");
		const struct iommu_selftest *iommu = iommu_selftest_find(list, n);
		bool found = false;

		for (size_t i = 0; i < sizeof(selftests) / sizeof(selftests[0]); i++)
			if (strlen(selftests[i].name) == n &&
			    !strncmp(selftests[i].name, list, n)) {
				selftests[i].run(p);
				found = true;
			}
		if (iommu) {
			iommu->run(p);
			found = true;
		}
		check(found, "selftest.known", "no self-test named '%.*s'", (int)n, list);
		list += n + (list[n] == ',');
	}
}
