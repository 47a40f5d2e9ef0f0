/* SPDX-License-Identifier: MIT */
/*
 * AMD nested page-table (NPT) entries and nCR3 as pure encoders and decoders. Nested tables use
 * the long-mode 4-level page-translation format (AMD APM vol. 2 15.25 "Nested Paging", "Nested
 * Table Walk"; 5.3.3 and 5.4 for the entry formats: PML4E, PDPE, PDE, PTE, 2 MiB and 1 GiB
 * pages). Tested bit for bit on the host (tests/unit/test_ept_npt.c).
 *
 * Rules that differ from ordinary paging ("Nested Table Walk"): every guest access through the
 * nested tables is a user access, so U/S is set at every level. The CPU may set A and D in
 * nested entries. Levels are numbered from the leaf: 1 PTE (4 KiB), 2 PDE (2 MiB leaf or
 * table), 3 PDPE (1 GiB leaf with CPUID 8000_0001h EDX bit 26, or table), 4 PML4E (table only).
 *
 * Execute: leaves without execute permission get NX (bit 63), which is a reserved bit unless
 * EFER.NXE is 1 while the guest runs: the vCPU code must run VMRUN with the host's EFER.NXE set
 * (skiff's kernel sets it, kernel/mm/mm.c; every AMD64 CPU has NX, CPUID 8000_0001h EDX bit 20).
 * Memory type: a leaf selects a host PAT entry with PAT/PCD/PWT (7.8, "Page-Attribute Table
 * Mechanism"); skiff uses the reset PAT (entry 0 WB, 1 WT, 2 UC-, 3 UC), so WB is
 * PCD = PWT = 0 and UC is PCD | PWT. The guest's own type is combined with it, UC winning
 * (15.25, "Combining Memory Types"), like EPT UC with ignore-PAT.
 */
#ifndef SKIFF_VMM_NPT_H
#define SKIFF_VMM_NPT_H

#include <stdbool.h>
#include <stdint.h>

/* A table is one 4 KiB page of 512 8-byte entries (5.3.3). */
#define NPT_PAGE_SHIFT 12
#define NPT_INDEX_BITS 9

/* Long-mode page-translation entries (5.4.1, figures 5-17 to 5-25). */
#define NPT_P		 (1ull << 0) /* present */
#define NPT_RW		 (1ull << 1) /* read/write */
#define NPT_US		 (1ull << 2) /* user/supervisor: must be 1 for nested tables */
#define NPT_PWT		 (1ull << 3) /* page-level writethrough: PAT index bit 0 */
#define NPT_PCD		 (1ull << 4) /* page-level cache disable: PAT index bit 1 */
#define NPT_A		 (1ull << 5)
#define NPT_D		 (1ull << 6) /* leaf only */
#define NPT_PS		 (1ull << 7) /* PDPE / PDE: maps a 1 GiB / 2 MiB page (PTE: PAT) */
#define NPT_NX		 (1ull << 63)
#define NPT_ADDR_MASK	 0x000ffffffffff000ull /* bits 51:12: table or 4 KiB page */
#define NPT_ADDR_2M_MASK 0x000fffffffe00000ull /* bits 51:21: 2 MiB page */
#define NPT_ADDR_1G_MASK 0x000fffffc0000000ull /* bits 51:30: 1 GiB page */
#define NPT_CACHE_MASK	 (NPT_PCD | NPT_PWT)

/* nCR3 (VMCB control area offset B0h, appendix B): the nested PML4 in bits 51:12, like CR3. */
#define NPT_NCR3_ADDR_MASK 0x000ffffffffff000ull

/* CPUID 8000_0001h EDX (APM vol. 3 E.4.2). */
#define NPT_CPUID_EDX_PAGE1G (1u << 26) /* 1 GiB pages (PDPE with PS) */

#define NPT_LEVEL_4K 1
#define NPT_LEVEL_2M 2
#define NPT_LEVEL_1G 3

/*
 * npt_leaf - the nested entry at @level (1 PTE, 2 PDE, 3 PDPE) mapping the page at host-physical
 * @hpa (aligned to the page: 4 KiB, 2 MiB, 1 GiB; below 2^52) with @perms (CPU_PERM_*, R
 * required since P implies read), memory type @memtype (CPU_MT_WB or CPU_MT_UC under the reset
 * host PAT). Bits: P, U/S, R/W when writable, PCD | PWT for UC, PS at levels 2 and 3, NX when
 * execute is not allowed; A, D and the PAT bits stay 0.
 * Returns 0 and @pte, or -EINVAL for a bad level, address, permission set or memory type.
 */
int npt_leaf(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype, uint64_t *pte);

/*
 * npt_table - a nested entry referencing the table at host-physical @table_pa (4 KiB aligned,
 * below 2^52): P, R/W and U/S, no NX, PCD = PWT = 0 (the table itself is write-back), so
 * permissions are decided by the leaf. Returns 0 and @pte, or -EINVAL for a bad address.
 */
int npt_table(uint64_t table_pa, uint64_t *pte);

/*
 * npt_ncr3 - the nCR3 value for the nested PML4 table at host-physical @pml4_pa (4 KiB aligned,
 * below 2^52; PWT = PCD = 0, so the walk reads the PML4 write-back).
 * Returns 0 and @ncr3, or -EINVAL for a bad address.
 */
int npt_ncr3(uint64_t pml4_pa, uint64_t *ncr3);

struct pgt_format;

/*
 * The nested page-table format for the page-table engine (kernel/mm/pgtable.h): 4 KiB pages,
 * 512 entries, bits 51:12 the address, present with P, PS marking a 1 GiB / 2 MiB leaf (5.4.1).
 * A split hands down P, R/W, U/S, PWT, PCD and NX (what npt_leaf() sets), not A or D. The PAT
 * bit of a large leaf (bit 12) lies in the address field: skiff never sets it (npt_leaf()).
 */
extern const struct pgt_format npt_pgt_format;

/* npt_present - is nested entry @e present (P)? */
bool npt_present(uint64_t e);

/* npt_is_leaf - does present entry @e at @level map a page (level 1, or PS at levels 2-3)? */
bool npt_is_leaf(uint64_t e, unsigned int level);

/* npt_addr - the host-physical address in @e at @level: a table's, or a leaf's page base. */
uint64_t npt_addr(uint64_t e, unsigned int level);

/* npt_perms - CPU_PERM_* of leaf @e: R (P), W (R/W), X (no NX). */
uint32_t npt_perms(uint64_t e);

/*
 * npt_memtype - the memory type leaf @e selects under the reset host PAT (PAT bit 0, so
 * index PCD * 2 + PWT): CPU_MT_WB, CPU_MT_WT, CPU_MT_UC_MINUS or CPU_MT_UC.
 */
unsigned int npt_memtype(uint64_t e);

#endif
