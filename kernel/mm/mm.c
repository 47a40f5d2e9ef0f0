// SPDX-License-Identifier: MIT
#include "kernel/mm/mm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/log.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/arch/x86/x86.h"

#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EDX_PAGE1GB  (1u << 26)
#define CPUID_EDX_NX	   (1u << 20)

struct pmm kernel_pmm;
static uint64_t kernel_root;
static uint64_t nx_bit; /* PTE_NX once EFER.NXE is on, else 0 (the bit would be reserved) */

int page_alloc_zeroed(uint64_t *pa)
{
	int err = pmm_alloc(&kernel_pmm, 1, 1, pa);

	if (!err)
		memset((void *)*pa, 0, PAGE_4K);
	return err;
}

static int alloc_table(void *ctx, uint64_t *pa)
{
	(void)ctx;
	return page_alloc_zeroed(pa);
}

/* skiff runs identity mapped: a table's physical address is where it is read. */
static uint64_t *table_at(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)pa;
}

static struct pt_ops kernel_pt_ops = { .alloc_table = alloc_table, .table = table_at };

static bool is_ram(enum mem_type t)
{
	return t != MEM_MMIO && t != MEM_RESERVED && t != MEM_UNUSABLE;
}

int mm_init_frames(const struct boot_info *bi)
{
	enum { LOW_HOLE = SKIFF_RANGE_COUNT, FILE_HOLES, NR_HOLES = FILE_HOLES + BOOT_MAX_FILES };
	struct phys_range holes[NR_HOLES] = { { 0, 0 } };

	memcpy(holes, bi->skiff, sizeof(bi->skiff));
	holes[LOW_HOLE] = (struct phys_range){ 0, LOW_MEMORY_END };
	for (uint32_t i = 0; i < bi->nr_files && i < BOOT_MAX_FILES; i++)
		holes[FILE_HOLES + i] =
			(struct phys_range){ bi->files[i].base,
					     (bi->files[i].size + PAGE_4K - 1) & ~(PAGE_4K - 1) };
	for (uint32_t i = 0; i < bi->nr_regions; i++) {
		const struct mem_region *r = &bi->regions[i];
		int err;

		if (r->type != MEM_FREE && r->type != MEM_LOADER)
			continue;
		err = pmm_add_range_except(&kernel_pmm, r->base, r->size, holes, NR_HOLES);
		if (err) {
			log_err("mm: cannot add [%#llx, %#llx) to the frame allocator: %s",
				(unsigned long long)r->base,
				(unsigned long long)(r->base + r->size), strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Maps [base, end) with @cache attributes, leaving out page 0 and the stack guard page. */
static int map_span(const struct boot_info *bi, uint64_t base, uint64_t end, uint64_t cache)
{
	const struct phys_range *stack = &bi->skiff[SKIFF_RANGE_STACK];
	const uint64_t holes[][2] = {
		{ 0, PAGE_4K },
		{ stack->base, stack->base + STACK_GUARD_SIZE },
	};

	for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		if (holes[i][0] < end && base < holes[i][1]) {
			int err = 0;

			if (base < holes[i][0])
				err = map_span(bi, base, holes[i][0], cache);
			if (!err && holes[i][1] < end)
				err = map_span(bi, holes[i][1], end, cache);
			return err;
		}
	}
	return pt_map(&kernel_pt_ops, kernel_root, base, base, end - base, PTE_W | cache);
}

static int cmp_region(const void *a, const void *b)
{
	const struct mem_region *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

static int build_identity_map(const struct boot_info *bi)
{
	struct mem_region *r = malloc(bi->nr_regions * sizeof(*r));
	uint64_t cursor = 0;
	int err = 0;

	if (!r)
		return -ENOMEM;
	memcpy(r, bi->regions, bi->nr_regions * sizeof(*r));
	qsort(r, bi->nr_regions, sizeof(*r), cmp_region);
	for (uint32_t i = 0; i < bi->nr_regions && !err; i++) {
		uint64_t base = r[i].base > cursor ? r[i].base : cursor,
			 end = r[i].base + r[i].size;

		if (base > cursor && cursor < ADDRESS_4G)
			err = map_span(bi, cursor, base < ADDRESS_4G ? base : ADDRESS_4G,
				       PTE_CACHE_UC);
		if (!err && end > base)
			err = map_span(bi, base, end,
				       is_ram(r[i].type) ? PTE_CACHE_WB : PTE_CACHE_UC);
		if (end > cursor)
			cursor = end;
	}
	if (!err && cursor < ADDRESS_4G)
		err = map_span(bi, cursor, ADDRESS_4G, PTE_CACHE_UC);
	free(r);
	return err;
}

int mm_init_paging(const struct boot_info *bi)
{
	int err;

	struct cpuid_regs ext = cpuid(CPUID_EXT_FEATURES, 0);

	kernel_pt_ops.allow_1g = ext.edx & CPUID_EDX_PAGE1GB;
	if (ext.edx & CPUID_EDX_NX) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		nx_bit = PTE_NX;
	}
	err = page_alloc_zeroed(&kernel_root);
	if (!err)
		err = build_identity_map(bi);
	if (err) {
		log_err("mm: cannot build skiff's page tables: %s", strerror(-err));
		return err;
	}
	write_cr3(kernel_root);

	for (uint32_t i = 0; i < bi->nr_regions; i++) {
		const struct mem_region *r = &bi->regions[i];

		if (r->type != MEM_BOOT_SERVICES)
			continue;
		err = pmm_add_range_except(&kernel_pmm, r->base, r->size,
					   &(struct phys_range){ 0, LOW_MEMORY_END }, 1);
		if (err) {
			log_err("mm: cannot reclaim boot-services memory [%#llx, %#llx): %s",
				(unsigned long long)r->base,
				(unsigned long long)(r->base + r->size), strerror(-err));
			return err;
		}
	}
	return 0;
}

uint64_t mm_root(void)
{
	return kernel_root;
}

int mm_translate(uint64_t va, uint64_t *pa, uint64_t *leaf_flags, uint64_t *page_size)
{
	if (!kernel_root)
		return -ENOENT;
	return pt_translate(&kernel_pt_ops, kernel_root, va, pa, leaf_flags, page_size);
}

bool mm_is_mapped(uint64_t pa, uint64_t len)
{
	uint64_t addr = pa & ~(PAGE_4K - 1), end = pa + len;

	if (end < pa)
		return false;
	while (addr < end) {
		uint64_t phys, flags, size;

		if (mm_translate(addr, &phys, &flags, &size))
			return false;
		addr = (addr & ~(size - 1)) + size;
		if (addr == 0)
			break;
	}
	return true;
}

int mm_map_mmio(uint64_t pa, uint64_t size)
{
	uint64_t addr = pa & ~(PAGE_4K - 1), end = (pa + size + PAGE_4K - 1) & ~(PAGE_4K - 1);

	if (end < pa)
		return -EINVAL;
	while (addr < end) {
		uint64_t phys, flags, page, run;
		int err = mm_translate(addr, &phys, &flags, &page);

		if (!err) {
			if ((flags & PTE_CACHE_UC) != PTE_CACHE_UC)
				return -EINVAL;
			addr = (addr & ~(page - 1)) + page;
			continue;
		}
		/* Map the whole unmapped run at once, so large leaves can be used. */
		for (run = addr + PAGE_4K; run < end; run += PAGE_4K)
			if (!mm_translate(run, &phys, &flags, &page))
				break;
		err = pt_map(&kernel_pt_ops, kernel_root, addr, addr, run - addr,
			     PTE_W | nx_bit | PTE_CACHE_UC);
		if (err)
			return err;
		addr = run;
	}
	return 0;
}
