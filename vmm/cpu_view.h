/* SPDX-License-Identifier: MIT */
/*
 * The CPU view of a VM's memory: what the guest's processors may reach directly through EPT
 * (Intel SDM vol. 3C 29.3) or NPT (AMD APM vol. 2 15.25), derived from a sealed gmem
 * (vmm/gmem.h) by fixed rules, one entry per mapped range (ARCHITECTURE.md, "One source of truth
 * for guest memory"):
 *
 *   gmem kind        CPU view             why
 *   RAM              read/write/execute   guest memory, write-back
 *   ROM              read/execute         writes exit (EPT violation / #NPF), write-back
 *   MMIO_PASSTHRU    read/write           device registers: uncacheable, never executed
 *   MMIO_EMULATED    absent               every access exits to skiff's device model
 *   MSI              absent               the local APIC page is virtualised by the vCPU code
 *
 * The view is a description only; vmm/cpu_pgtable.h turns it into EPT or NPT tables and
 * vmm/ept.h / vmm/npt.h encode the entries. Pure: no allocation, no logging; runs on the host.
 */
#ifndef SKIFF_VMM_CPU_VIEW_H
#define SKIFF_VMM_CPU_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/gmem.h"

/* Access rights of a guest-physical page for the guest's processors. */
#define CPU_PERM_R   (1u << 0)
#define CPU_PERM_W   (1u << 1)
#define CPU_PERM_X   (1u << 2)
#define CPU_PERM_ALL (CPU_PERM_R | CPU_PERM_W | CPU_PERM_X)

/*
 * Memory types, as the PAT and MTRRs encode them (Intel SDM vol. 3A 12.12.3, "Selecting a
 * Memory Type from the PAT"; AMD APM vol. 2 7.8): EPT leaves carry these values in bits 5:3.
 * The CPU view uses UC and WB; the other encodings appear only when decoding entries.
 */
enum cpu_memtype {
	CPU_MT_UC = 0,
	CPU_MT_WC = 1,
	CPU_MT_WT = 4,
	CPU_MT_WP = 5,
	CPU_MT_WB = 6,
	CPU_MT_UC_MINUS = 7, /* PAT only ("UC-") */
};

/* What a CPU-view entry maps, for logs (cpu_view_kind_name()). */
enum cpu_view_kind {
	CPU_VIEW_RAM = 0,
	CPU_VIEW_ROM,
	CPU_VIEW_MMIO,
	CPU_VIEW_NR_KINDS,
};

struct cpu_view_entry {
	uint64_t gpa;		  /* first guest-physical byte, 4 KiB aligned */
	uint64_t hpa;		  /* first host-physical byte of the backing, 4 KiB aligned */
	uint64_t size;		  /* bytes, a multiple of 4 KiB */
	uint32_t perms;		  /* CPU_PERM_* */
	enum cpu_memtype memtype; /* CPU_MT_WB or CPU_MT_UC */
	enum cpu_view_kind kind;
	unsigned int range; /* index of the gmem range it comes from in gmem->range[] */
};

struct cpu_view {
	const struct gmem *gmem; /* the sealed map it was derived from */
	unsigned int nr;	 /* entries in use, in ascending gpa order */
	struct cpu_view_entry entry[GMEM_MAX_RANGES];
};

/*
 * cpu_view_derive - fill @v with one entry per gmem range the rules above map, in the gmem's
 * (ascending guest-physical) order. @g must stay unchanged while @v is used (it is sealed).
 * Returns 0, or -EINVAL when @g is not sealed (@v is then empty).
 */
int cpu_view_derive(const struct gmem *g, struct cpu_view *v);

/*
 * cpu_view_find - the entry mapping guest-physical @gpa, or NULL when the CPU view has nothing
 * there (a hole of the gmem, emulated MMIO or the MSI window: such accesses exit).
 */
const struct cpu_view_entry *cpu_view_find(const struct cpu_view *v, uint64_t gpa);

/* cpu_view_range - the gmem range entry @e of @v was derived from. */
const struct gmem_range *cpu_view_range(const struct cpu_view *v, const struct cpu_view_entry *e);

/* cpu_view_kind_name - "RAM rwx WB", "ROM r-x WB" or "MMIO rw- UC" ("?" when out of range). */
const char *cpu_view_kind_name(enum cpu_view_kind kind);

/*
 * cpu_view_absent_why - why ranges of gmem @kind have no CPU-view entry (for logs), or NULL when
 * they are mapped (RAM, ROM, passthrough MMIO) or @kind is out of range.
 */
const char *cpu_view_absent_why(enum gmem_kind kind);

#endif
