/* SPDX-License-Identifier: MIT */
/*
 * The identity map a Linux guest's 64-bit entry needs (Documentation/arch/x86/boot.rst "64-bit
 * Boot Protocol": the kernel, the zero page, the command line and the initrd identity-mapped),
 * as 4-level x86-64 page tables (Intel SDM vol. 3A 4.5, tables 4-14 to 4-20) written into a
 * region of guest memory; CR3 points at its first page (vmm/linux/entry64.h).
 *
 * One range, [0, @top), rather than one mapping per object: every boot object lies below the
 * highest byte entry64 names (linux_entry64.ident_last), so linux_idmap_top() of that covers
 * each, and the tables need no list of ranges. Leaves are 2 MiB pages (PDEs with PS), present and
 * writable, supervisor-only, no NX (EFER.NXE is clear at entry anyway), write-back through the
 * reset PAT; with @page_1g, 1 GiB pages (PDPTEs with PS) wherever a whole aligned GiB lies below
 * @top: only for a guest whose CPUID reports Page1GB (CPUID.80000001H:EDX[26]). Linux's own
 * early code asks for no more than 2 MiB pages, so 2 MiB is the default to use.
 *
 * Which guest-physical addresses are mapped is a property of @top alone: everything below it,
 * MMIO and reserved holes included (the legacy 0xa0000-0xfffff hole, ACPI ranges, whatever the
 * e820 map leaves out below @top). That does not matter: a translation only permits an access,
 * the guest's memory and the types the guest sees are still decided by the VM's EPT, and these
 * tables live only until Linux replaces them early in startup_64 (the decompressor builds its
 * own identity map, the decompressed kernel loads early_top_pgt). The tables themselves need not
 * lie below @top: the walk reads them by physical address, and Linux, entered with 4-level
 * paging, reads CR3's value but not the tables through its map.
 *
 * Limits (skiff's choice): @top a non-zero multiple of 2 MiB, at most 512 GiB, the reach of one
 * PML4 entry, so the map has one PDPT; that is far more than any boot object's address. The
 * caller keeps @top within the guest's physical-address width (an entry above MAXPHYADDR would
 * have reserved bits set); RAM-sized tops always are.
 *
 * Built with the x86-64 format of kernel/arch/x86/paging.c (pt_map() on the page-table engine,
 * kernel/mm/pgtable.h), its tables taken one page at a time from the region. Pure: no allocation,
 * no logging; usable on the host.
 */
#ifndef SKIFF_VMM_LINUX_IDMAP_H
#define SKIFF_VMM_LINUX_IDMAP_H

#include <stdbool.h>
#include <stdint.h>

#define LINUX_IDMAP_ALIGN   0x200000ull	    /* 2 MiB: @top's granule, the default leaf size */
#define LINUX_IDMAP_TOP_MAX 0x8000000000ull /* 512 GiB: one PML4 entry's reach */
#define LINUX_IDMAP_TABLE   0x1000ull	    /* one table; the region's base is aligned to it */

/*
 * linux_idmap_top - the @top covering every byte up to and including @last (entry64's
 * ident_last): @last + 1 rounded up to LINUX_IDMAP_ALIGN; 0 when that passes 2^64 (a @top
 * linux_idmap_build() refuses).
 */
uint64_t linux_idmap_top(uint64_t last);

/*
 * linux_idmap_size - the bytes of tables linux_idmap_build() writes for a valid @top, whole
 * tables: the PML4 and the PDPT, then one page directory per GiB begun (2 MiB pages), or with
 * @page_1g only one for a last GiB that @top ends inside.
 */
uint64_t linux_idmap_size(uint64_t top, bool page_1g);

/*
 * linux_idmap_build - write tables identity-mapping [0, @top) into the guest-physical region
 * [@base, @base + @size), which the host reaches at @mem (@mem is @base). The PML4 is the
 * region's first table; each table is LINUX_IDMAP_TABLE bytes, aligned, zeroed before use;
 * bytes past the tables stay as they were. Outputs *@cr3 (@base: CR3 with PCD, PWT clear) and
 * *@used (linux_idmap_size(@top, @page_1g)).
 * Returns 0, or:
 *   -EINVAL  @top 0, not a multiple of LINUX_IDMAP_ALIGN or above LINUX_IDMAP_TOP_MAX; @base not
 *            aligned to LINUX_IDMAP_TABLE; @mem not aligned to 8; the region wrapping past 2^64
 *            or reaching above what a table address holds (bits 51:12);
 *   -E2BIG   the region holds fewer than linux_idmap_size() bytes (what was written is then
 *            no map: the caller must not load it).
 */
int linux_idmap_build(void *mem, uint64_t base, uint64_t size, uint64_t top, bool page_1g,
		      uint64_t *cr3, uint64_t *used);

#endif
