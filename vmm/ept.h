/* SPDX-License-Identifier: MIT */
/*
 * Intel EPT paging-structure entries and the EPT pointer as pure encoders and decoders:
 * Intel SDM vol. 3C 29.3.2 ("EPT Translation Mechanism", tables 29-1 to 29-6: PML4E, PDPTE
 * mapping 1 GiB or referencing a page directory, PDE mapping 2 MiB or referencing a page table,
 * PTE), "EPT and Memory Typing" in 29.3, 25.6.11 (EPTP) and appendix A.10
 * (IA32_VMX_EPT_VPID_CAP).
 * Tested bit for bit on the host (tests/unit/test_ept_npt.c).
 *
 * Levels are numbered from the leaf as in vmm/cpu_pgtable.h: 1 PTE (4 KiB), 2 PDE (2 MiB leaf
 * or table), 3 PDPTE (1 GiB leaf or table), 4 PML4E (table only).
 * An entry is not present when bits 2:0 (R, W, X) are all 0. Entries skiff writes never set
 * bit 63 (suppress #VE): the vCPU code must leave "EPT-violation #VE" (secondary processor-
 * based control bit 18) off, or zero entries would raise #VE in the guest instead of exiting.
 */
#ifndef SKIFF_VMM_EPT_H
#define SKIFF_VMM_EPT_H

#include <stdbool.h>
#include <stdint.h>

/* A paging structure is one 4 KiB page of 512 8-byte entries (29.3.2). */
#define EPT_PAGE_SHIFT 12
#define EPT_INDEX_BITS 9

/* Every EPT paging-structure entry (tables 29-1 to 29-6). */
#define EPT_R		 (1ull << 0) /* read access */
#define EPT_W		 (1ull << 1) /* write access */
#define EPT_X		 (1ull << 2) /* execute (supervisor execute with mode-based control) */
#define EPT_RWX		 (EPT_R | EPT_W | EPT_X)
#define EPT_MT_SHIFT	 3 /* leaf: bits 5:3, EPT memory type */
#define EPT_MT_MASK	 (7ull << EPT_MT_SHIFT)
#define EPT_IPAT	 (1ull << 6)  /* leaf: ignore the guest's PAT memory type */
#define EPT_PS		 (1ull << 7)  /* PDPTE / PDE: maps a 1 GiB / 2 MiB page */
#define EPT_A		 (1ull << 8)  /* accessed (written by the CPU with EPTP A/D) */
#define EPT_D		 (1ull << 9)  /* leaf: dirty (likewise) */
#define EPT_XU		 (1ull << 10) /* user-mode execute, with mode-based execute control */
#define EPT_ADDR_MASK	 0x000ffffffffff000ull /* bits 51:12: table or 4 KiB page */
#define EPT_ADDR_2M_MASK 0x000fffffffe00000ull /* bits 51:21: 2 MiB page */
#define EPT_ADDR_1G_MASK 0x000fffffc0000000ull /* bits 51:30: 1 GiB page */
#define EPT_SUPPRESS_VE	 (1ull << 63)

/* EPT memory types ("EPT and Memory Typing"): PAT encodings; 2, 3, 7 are reserved. */
#define EPT_MT_UC 0u
#define EPT_MT_WC 1u
#define EPT_MT_WT 4u
#define EPT_MT_WP 5u
#define EPT_MT_WB 6u

/* The EPT pointer (25.6.11, "Extended-Page-Table Pointer (EPTP)"). */
#define EPTP_MT_SHIFT  0 /* bits 2:0: memory type of the EPT paging structures, UC or WB */
#define EPTP_MT_MASK   (7ull << EPTP_MT_SHIFT)
#define EPTP_PWL_SHIFT 3 /* bits 5:3: page-walk length minus 1 */
#define EPTP_PWL_MASK  (7ull << EPTP_PWL_SHIFT)
#define EPTP_AD	       (1ull << 6)	     /* enable accessed and dirty flags */
#define EPTP_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12: the EPT PML4 table */
#define EPT_LEVELS     4		     /* skiff's page-walk length */

/* IA32_VMX_EPT_VPID_CAP (MSR 48CH, appendix A.10). */
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48cu
#define EPT_CAP_PWL4		  (1ull << 6)  /* page-walk length 4 */
#define EPT_CAP_UC		  (1ull << 8)  /* EPTP memory type UC */
#define EPT_CAP_WB		  (1ull << 14) /* EPTP memory type WB */
#define EPT_CAP_2M		  (1ull << 16) /* PDE may map a 2 MiB page */
#define EPT_CAP_1G		  (1ull << 17) /* PDPTE may map a 1 GiB page */
#define EPT_CAP_AD		  (1ull << 21) /* accessed and dirty flags */

#define EPT_LEVEL_4K 1
#define EPT_LEVEL_2M 2
#define EPT_LEVEL_1G 3

/*
 * ept_leaf - the EPT entry at @level (1 PTE, 2 PDE, 3 PDPTE) mapping the page at host-physical
 * @hpa (aligned to the page: 4 KiB, 2 MiB, 1 GiB; below 2^52) with @perms (CPU_PERM_*, R
 * required: skiff never asks for execute-only or write-only, which need EPT_CAP bit 0 or are
 * misconfigurations), memory type @memtype (EPT_MT_*) and IPAT when @ipat. PS is set at levels
 * 2 and 3; A, D, user-execute and suppress-#VE stay 0 (tables 29-2, 29-4, 29-6).
 * Returns 0 and @pte, or -EINVAL for a bad level, address, permission set or memory type.
 */
int ept_leaf(unsigned int level, uint64_t hpa, uint32_t perms, unsigned int memtype, bool ipat,
	     uint64_t *pte);

/*
 * ept_table - an EPT entry referencing the paging structure at host-physical @table_pa (4 KiB
 * aligned, below 2^52): R, W and X all set, so permissions are decided by the leaf; bits 7:3
 * (reserved or PS = 0) and A stay 0 (tables 29-1, 29-3, 29-5).
 * Returns 0 and @pte, or -EINVAL for a bad address.
 */
int ept_table(uint64_t table_pa, uint64_t *pte);

/*
 * ept_eptp - the EPT pointer for the EPT PML4 table at host-physical @pml4_pa (4 KiB aligned,
 * below 2^52), a page-walk length of 4, paging-structure memory type @memtype (EPT_MT_UC or
 * EPT_MT_WB) and accessed/dirty flags when @ad, checked against @cap (IA32_VMX_EPT_VPID_CAP).
 * Returns 0 and @eptp, -EINVAL for a bad address or memory type, -EOPNOTSUPP when @cap lacks
 * the 4-level walk, the memory type or A/D.
 */
int ept_eptp(uint64_t pml4_pa, unsigned int memtype, bool ad, uint64_t cap, uint64_t *eptp);

struct pgt_format;

/*
 * The EPT paging-structure format for the page-table engine (kernel/mm/pgtable.h): 4 KiB pages,
 * 512 entries, bits 51:12 the address, present with R, W or X, PS marking a 1 GiB / 2 MiB leaf
 * (29.3.2). A split hands down R, W, X, the memory type and IPAT (what ept_leaf() sets), not A
 * or D. Bits 62:52 are ignored, but the engine keeps no count or chain in them here.
 */
extern const struct pgt_format ept_pgt_format;

/* ept_present - is EPT entry @e present (any of R, W, X set; 29.3.2)? */
bool ept_present(uint64_t e);

/* ept_is_leaf - does present entry @e at @level map a page (level 1, or PS at levels 2-3)? */
bool ept_is_leaf(uint64_t e, unsigned int level);

/* ept_addr - the host-physical address in @e at @level: a table's, or a leaf's page base. */
uint64_t ept_addr(uint64_t e, unsigned int level);

/* ept_perms - CPU_PERM_* of leaf @e (bits 2:0). */
uint32_t ept_perms(uint64_t e);

/* ept_memtype - the memory type field (bits 5:3) of leaf @e, an EPT_MT_* value. */
unsigned int ept_memtype(uint64_t e);

#endif
