/* SPDX-License-Identifier: MIT */
/*
 * The CPU view's page tables: a 4-level EPT (Intel SDM vol. 3C 29.3) or NPT (AMD APM vol. 2
 * 15.25) table built from a struct cpu_view (vmm/cpu_view.h), with entries from vmm/ept.h or
 * vmm/npt.h, walked by the generic page-table engine (kernel/mm/pgtable.h). A pure library like
 * iommu/vtd/vtd_pgtable.h: it reaches table memory only through struct cpu_pgt_ops, never
 * dereferences a physical address itself and runs unchanged on the host, where tests give it a
 * fake arena.
 *
 * Levels are numbered from the leaf: 1 holds 4 KiB leaves, 2 holds 2 MiB leaves or tables,
 * 3 holds 1 GiB leaves (with CPU_PGT_F_1G) or tables, 4 (the root, EPT PML4 / nested PML4)
 * only tables. Guest-physical addresses are below 2^48 (a 4-level walk).
 *
 * Memory types: CPU_MT_WB maps as EPT WB with IPAT = 0 / NPT PCD = PWT = 0, so the guest's PAT
 * still applies (it may make RAM UC or WC for its own reasons); CPU_MT_UC maps as EPT UC with
 * IPAT = 1 / NPT PCD | PWT, so the guest cannot make device registers cacheable (in NPT UC
 * wins any combination with the guest's type). Non-leaf entries allow everything (EPT R|W|X,
 * NPT P|R/W|U/S): permissions are decided at the leaf. A and D are never preset.
 *
 * Invalidation is the caller's: the library changes entries while no vCPU of the VM is in guest
 * mode, and after an unmap the caller invalidates the VM's cached translations (INVEPT
 * single-context for its EPTP; for NPT a TLB flush of its ASID through the VMCB's TLB control)
 * before any vCPU re-enters the guest. With EPT a map into entries that were not present needs
 * no INVEPT: nothing is cached from a not-present EPT entry (SDM vol. 3C 29.4, "Caching
 * Translation Information"); AMD makes no such promise for nested entries, so with NPT the
 * caller flushes after maps too. Table pages are freed at once, which this rule makes safe: no
 * vCPU walks them again before the invalidation.
 */
#ifndef SKIFF_VMM_CPU_PGTABLE_H
#define SKIFF_VMM_CPU_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/mm/pgtable.h"
#include "vmm/cpu_view.h"

#define CPU_PGT_PAGE_SHIFT 12
#define CPU_PGT_PAGE_SIZE  (1ull << CPU_PGT_PAGE_SHIFT)
#define CPU_PGT_INDEX_BITS 9
#define CPU_PGT_ENTRIES	   (1u << CPU_PGT_INDEX_BITS)
#define CPU_PGT_LEVELS	   4
#define CPU_PGT_GPA_BITS   48 /* 12 + 4 * 9 */
#define CPU_PGT_PA_BITS	   52 /* physical addresses: bits 51:12 of an entry */
#define CPU_PGT_SIZE_4K	   CPU_PGT_PAGE_SIZE
#define CPU_PGT_SIZE_2M	   (1ull << 21)
#define CPU_PGT_SIZE_1G	   (1ull << 30)

_Static_assert(CPU_PGT_ENTRIES * sizeof(uint64_t) == CPU_PGT_PAGE_SIZE, "one table is one page");

enum cpu_pgt_format {
	CPU_PGT_EPT = 0, /* Intel EPT, vmm/ept.h */
	CPU_PGT_NPT = 1, /* AMD nested paging, vmm/npt.h */
};

/*
 * Feature flags (struct cpu_pgt_cfg.features). 2 MiB leaves are always used (NPT: long-mode
 * paging always has them; EPT: every EPT implementation reports IA32_VMX_EPT_VPID_CAP bit 16).
 */
#define CPU_PGT_F_1G (1u << 0) /* 1 GiB leaves: EPT_CAP_1G / CPUID 8000_0001h EDX Page1GB */

struct cpu_pgt_ops {
	/* Allocate one zeroed, 4 KiB-aligned, write-back table page below 2^52; 0 or -errno. */
	int (*alloc_table)(void *ctx, uint64_t *pa);
	/* Give back a page alloc_table() returned. */
	void (*free_table)(void *ctx, uint64_t pa);
	/* Where the table page at @pa is read and written; stable while the page is allocated. */
	uint64_t *(*table)(void *ctx, uint64_t pa);
	void *ctx;
};

struct cpu_pgt_cfg {
	enum cpu_pgt_format format;
	uint32_t features; /* CPU_PGT_F_* */
	unsigned int
		pa_bits; /* the CPU's MAXPHYADDR (13..52): leaves map below 2^pa_bits; 0 = 52 */
};

/* One VM's CPU-view table. Fields are read-only for callers. */
struct cpu_pgt {
	struct pgt_ops ops;   /* the struct cpu_pgt_ops given to cpu_pgt_create() */
	uint64_t root;	      /* the PML4 table: ept_eptp() / npt_ncr3() take this address */
	uint64_t *root_table; /* where ops.table() has the root */
	uint64_t tables;      /* table pages reachable from root, the root included */
	uint32_t features;    /* CPU_PGT_F_* */
	uint8_t format;	      /* enum cpu_pgt_format */
	uint8_t pa_bits;      /* physical addresses are below 2^pa_bits */
};

/* What cpu_pgt_translate() found. */
struct cpu_pgt_xlate {
	uint64_t hpa;	/* the host-physical address the guest-physical one translates to */
	uint64_t size;	/* the leaf's size: 4 KiB, 2 MiB or 1 GiB */
	uint64_t entry; /* the leaf entry, as stored */
	uint32_t perms; /* CPU_PERM_* */
	unsigned int
		memtype;    /* CPU_MT_*: EPT's memory-type field, NPT's type under the reset PAT */
	unsigned int level; /* 1, 2 or 3 */
};

/*
 * cpu_pgt_features - the CPU_PGT_F_* a CPU offers for @format: @cap is IA32_VMX_EPT_VPID_CAP
 * for EPT (bit 17: 1 GiB pages, SDM vol. 3D A.10) or CPUID 8000_0001h EDX for NPT (bit 26:
 * Page1GB, APM vol. 3 E.4.2). Returns 0 for an unknown format.
 */
uint32_t cpu_pgt_features(enum cpu_pgt_format format, uint64_t cap);

/*
 * cpu_pgt_create - check @cfg and set up @p with a copy of @ops and an empty root table.
 * Returns 0, -EINVAL for an unknown format or feature, a bad pa_bits or missing ops, or
 * alloc_table()'s error.
 */
int cpu_pgt_create(struct cpu_pgt *p, const struct cpu_pgt_cfg *cfg, const struct cpu_pgt_ops *ops);

/*
 * cpu_pgt_destroy - free every table page, the root included. No vCPU may use the table any
 * more (and the caller invalidates before the EPTP / ASID is reused). @p is then empty.
 */
void cpu_pgt_destroy(struct cpu_pgt *p);

/*
 * cpu_pgt_map - map guest-physical [@gpa, @gpa + @size) to host-physical [@hpa, @hpa + @size)
 * with @perms (CPU_PERM_*, R required) and @memtype (CPU_MT_WB or CPU_MT_UC). @gpa, @hpa and
 * @size are 4 KiB aligned, @size > 0. Each piece gets the largest leaf that both addresses and
 * the remaining length are aligned to: 1 GiB with CPU_PGT_F_1G, 2 MiB, else 4 KiB. Tables are
 * never merged across calls: map a range with one call to get the largest leaves.
 * Returns 0 or:
 *  -EINVAL  misalignment, zero size, bad @perms or @memtype;
 *  -ERANGE  @gpa + @size beyond 2^48 or @hpa + @size beyond 2^pa_bits;
 *  -EEXIST  a page of the range is already mapped;
 *  -ENOMEM  a table page could not be allocated.
 * On an error nothing of the range stays mapped and the table count is as before (the map
 * removes what it mapped and frees the tables it linked).
 */
int cpu_pgt_map(struct cpu_pgt *p, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t perms,
		unsigned int memtype);

/*
 * cpu_pgt_unmap - remove every mapping inside guest-physical [@gpa, @gpa + @size); @gpa and
 * @size 4 KiB aligned, @size > 0. Holes are skipped. A large leaf the range covers only partly
 * is split into 512 leaves of the next size (repeatedly); the pages splits need are allocated
 * before anything changes. Tables left empty are freed.
 * Returns the number of bytes that were mapped and are now unmapped, -ENOENT when nothing in the
 * range was mapped, -EINVAL for misalignment or zero size, -ERANGE beyond 2^48, -ENOMEM
 * (nothing changed).
 */
int64_t cpu_pgt_unmap(struct cpu_pgt *p, uint64_t gpa, uint64_t size);

/*
 * cpu_pgt_translate - walk the tables for guest-physical @gpa as the CPU would (SDM vol. 3C
 * 29.3.2; APM vol. 2 15.25). Returns 0 and fills @out, or -ENOENT when @gpa is not mapped or
 * is beyond 2^48.
 */
int cpu_pgt_translate(const struct cpu_pgt *p, uint64_t gpa, struct cpu_pgt_xlate *out);

/* cpu_pgt_tables - table pages in use (reachable from the root, the root included). */
uint64_t cpu_pgt_tables(const struct cpu_pgt *p);

/*
 * cpu_pgt_build - map every entry of @v into @p (an empty table, or one holding nothing in the
 * view's ranges). Returns 0, or the first cpu_pgt_map() error (-ERANGE for a range beyond
 * 2^48 or 2^pa_bits, -EEXIST, -ENOMEM), after unmapping the entries it had mapped: on an error
 * @p holds what it held before.
 */
int cpu_pgt_build(struct cpu_pgt *p, const struct cpu_view *v);

#endif
