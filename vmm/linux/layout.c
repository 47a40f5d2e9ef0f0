// SPDX-License-Identifier: MIT
/* Where a Linux guest's boot objects lie: see layout.h. */
#include "vmm/linux/layout.h"

#include <errno.h>
#include <stdbool.h>

#define LAYOUT_OBJECTS 6 /* kernel, zero page, command line, initrd, GDT, page tables */

uint64_t linux_load_last(const struct bzimage *bz)
{
	return (bz->xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G) ? UINT64_MAX : LINUX_BELOW_4G_LAST;
}

uint64_t linux_initrd_last(const struct bzimage *bz)
{
	return (bz->xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G) ? UINT64_MAX : bz->initrd_addr_max;
}

/* [addr, addr + size) with size > 0 does not wrap and its last byte is at most @last. */
static bool fits_below(uint64_t addr, uint64_t size, uint64_t last)
{
	return size && addr <= last && size - 1 <= last - addr;
}

static bool kernel_fits(const struct bzimage *bz, const struct e820_range *map, unsigned int nr,
			uint64_t floor, uint64_t at)
{
	return at >= floor && fits_below(at, bz->init_size, linux_load_last(bz)) &&
	       e820_covers(map, nr, at, bz->init_size, E820_RAM);
}

int linux_place_kernel(const struct bzimage *bz, const struct e820_range *map, unsigned int nr,
		       uint64_t floor, uint64_t *kernel, char why[LINUX_WHY_LEN])
{
	const uint64_t align = bz->kernel_alignment;
	bool found = false;
	uint64_t best = 0;

	if (bz->pref_address && kernel_fits(bz, map, nr, floor, bz->pref_address)) {
		*kernel = bz->pref_address;
		return 0;
	}
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t lo = map[i].addr > floor ? map[i].addr : floor, at;

		if (map[i].type != E820_RAM || lo > UINT64_MAX - (align - 1))
			continue;
		at = (lo + align - 1) & ~(align - 1);
		if (kernel_fits(bz, map, nr, floor, at) && (!found || at < best)) {
			best = at;
			found = true;
		}
	}
	if (!found)
		return LINUX_REFUSE(
			why, -ENOSPC,
			"no RAM range holds init_size 0x%x at a multiple of 0x%x from 0x%llx",
			bz->init_size, bz->kernel_alignment, (unsigned long long)floor);
	*kernel = best;
	return 0;
}

/* The highest aligned start of @size bytes inside [lo, hi] (inclusive), kept in *best if higher. */
static void highest_in(uint64_t lo, uint64_t hi, uint64_t size, uint64_t *best, bool *found)
{
	uint64_t at;

	if (lo > hi || hi - lo < size - 1)
		return;
	at = (hi - (size - 1)) & ~(uint64_t)(LINUX_INITRD_ALIGN - 1);
	if (at >= lo && (!*found || at > *best)) {
		*best = at;
		*found = true;
	}
}

int linux_place_initrd(const struct bzimage *bz, const struct e820_range *map, unsigned int nr,
		       uint64_t floor, uint64_t kernel, uint64_t size, uint64_t *initrd,
		       char why[LINUX_WHY_LEN])
{
	const uint64_t last = linux_initrd_last(bz);
	const uint64_t k_last = kernel + (bz->init_size - 1); /* the kernel fits: checked first */
	bool found = false;
	uint64_t best = 0;

	if (!size) {
		*initrd = 0;
		return 0;
	}
	if (!fits_below(kernel, bz->init_size, UINT64_MAX))
		return LINUX_REFUSE(why, -ENOSPC, "kernel at 0x%llx: init_size 0x%x passes 2^64",
				    (unsigned long long)kernel, bz->init_size);
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t lo, hi;

		if (map[i].type != E820_RAM || !map[i].size ||
		    map[i].addr > UINT64_MAX - (map[i].size - 1))
			continue;
		lo = map[i].addr > floor ? map[i].addr : floor;
		hi = map[i].addr + (map[i].size - 1);
		if (hi > last)
			hi = last;
		if (lo > hi)
			continue;
		if (k_last < lo || kernel > hi) {
			highest_in(lo, hi, size, &best, &found);
			continue;
		}
		/* The kernel's window splits the range: below it, and above it. */
		if (kernel > lo)
			highest_in(lo, kernel - 1, size, &best, &found);
		if (k_last < hi)
			highest_in(k_last + 1, hi, size, &best, &found);
	}
	if (!found)
		return LINUX_REFUSE(
			why, -ENOSPC,
			"no RAM range holds an initrd of 0x%llx bytes from 0x%llx to 0x%llx outside the kernel",
			(unsigned long long)size, (unsigned long long)floor,
			(unsigned long long)last);
	*initrd = best;
	return 0;
}

struct object {
	const char *name;
	uint64_t addr, size, last; /* last: the highest byte it may occupy */
};

static int check_object(const struct object *o, const struct e820_range *map, unsigned int nr,
			char *why)
{
	if (!fits_below(o->addr, o->size, UINT64_MAX))
		return LINUX_REFUSE(why, -EINVAL, "%s at 0x%llx: 0x%llx bytes pass 2^64", o->name,
				    (unsigned long long)o->addr, (unsigned long long)o->size);
	if (!fits_below(o->addr, o->size, o->last))
		return LINUX_REFUSE(why, -ERANGE, "%s [0x%llx, +0x%llx) ends above 0x%llx", o->name,
				    (unsigned long long)o->addr, (unsigned long long)o->size,
				    (unsigned long long)o->last);
	if (!e820_covers(map, nr, o->addr, o->size, E820_RAM))
		return LINUX_REFUSE(
			why, -ERANGE,
			"%s [0x%llx, +0x%llx) is not inside one RAM range of the e820 map", o->name,
			(unsigned long long)o->addr, (unsigned long long)o->size);
	return 0;
}

static bool overlap(const struct object *a, const struct object *b)
{
	return a->addr <= b->addr + (b->size - 1) && b->addr <= a->addr + (a->size - 1);
}

int linux_layout_check(const struct linux_layout *l, const struct bzimage *bz,
		       const struct e820_range *map, unsigned int nr, char why[LINUX_WHY_LEN])
{
	const uint64_t load_last = linux_load_last(bz);
	struct object o[LAYOUT_OBJECTS];
	unsigned int n = 0;
	int err;

	if (l->kernel % bz->kernel_alignment)
		return LINUX_REFUSE(why, -EINVAL, "kernel at 0x%llx is not a multiple of 0x%x",
				    (unsigned long long)l->kernel, bz->kernel_alignment);
	if (l->cmdline_len > bz->cmdline_size)
		return LINUX_REFUSE(why, -E2BIG,
				    "command line of %u bytes, the kernel's cmdline_size is %u",
				    l->cmdline_len, bz->cmdline_size);
	if (!l->page_tables_size || (l->page_tables | l->page_tables_size) % LINUX_PAGE_TABLE_SIZE)
		return LINUX_REFUSE(why, -EINVAL,
				    "page tables [0x%llx, +0x%llx) are not whole aligned pages",
				    (unsigned long long)l->page_tables,
				    (unsigned long long)l->page_tables_size);
	o[n++] = (struct object){ "kernel", l->kernel, bz->init_size, load_last };
	o[n++] = (struct object){ "zero page", l->zero_page, LINUX_ZERO_PAGE_SIZE, load_last };
	o[n++] = (struct object){ "command line", l->cmdline, (uint64_t)l->cmdline_len + 1,
				  load_last };
	if (l->initrd_size)
		o[n++] = (struct object){ "initrd", l->initrd, l->initrd_size,
					  linux_initrd_last(bz) };
	o[n++] = (struct object){ "GDT", l->gdt, LINUX_GDT_SIZE, UINT64_MAX };
	o[n++] = (struct object){ "page tables", l->page_tables, l->page_tables_size, UINT64_MAX };
	for (unsigned int i = 0; i < n; i++) {
		err = check_object(&o[i], map, nr, why);
		if (err)
			return err;
	}
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			if (overlap(&o[i], &o[j]))
				return LINUX_REFUSE(
					why, -EINVAL,
					"%s [0x%llx, +0x%llx) overlaps %s [0x%llx, +0x%llx)",
					o[i].name, (unsigned long long)o[i].addr,
					(unsigned long long)o[i].size, o[j].name,
					(unsigned long long)o[j].addr,
					(unsigned long long)o[j].size);
	if (l->rsdp && !e820_covers(map, nr, l->rsdp, LINUX_RSDP_V2_SIZE, E820_ACPI) &&
	    !e820_covers(map, nr, l->rsdp, LINUX_RSDP_V2_SIZE, E820_RESERVED))
		return LINUX_REFUSE(why, -ERANGE,
				    "RSDP at 0x%llx is not inside an ACPI or reserved range",
				    (unsigned long long)l->rsdp);
	return 0;
}
