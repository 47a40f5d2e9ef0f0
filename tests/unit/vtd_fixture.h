/* SPDX-License-Identifier: MIT */
/*
 * VT-d translation structures for host tests, in a fake physical memory: an arena of
 * VTD_FX_PAGES 4 KiB pages at physical address VTD_FX_BASE whose addresses are not host
 * pointers, so the walker and the audit reach it only through their table callback
 * (vtd_fx_table). Root, context (9.1-9.4), PASID directory and PASID table entries (9.5, 9.6) are
 * built with the encoders of iommu/vtd/vtd_entries.h; paging entries (9.7, 9.8) are written as
 * the test gives them, with non-leaf entries linking missing tables (vtd_fx_map). Shared by the
 * walker and audit tests. Every failed expectation is a cmocka assertion.
 */
#ifndef SKIFF_TESTS_UNIT_VTD_FIXTURE_H
#define SKIFF_TESTS_UNIT_VTD_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd/vtd_entries.h"

#define VTD_FX_BASE    0x10000000ull /* physical address of the arena's first page */
#define VTD_FX_PAGES   128u
#define VTD_FX_OUTSIDE 0x50000000ull /* a 4 KiB-aligned physical address outside the arena */

/* Paging-entry bits the tests write by hand. Second stage (9.8): */
#define SS_R  0x1ull	   /* bit 0 */
#define SS_W  0x2ull	   /* bit 1 */
#define SS_RW 0x3ull	   /* bits 1:0 */
#define SS_PS 0x80ull	   /* bit 7 */
#define SS_11 (1ull << 11) /* SNP: reserved in non-leaf entries */
/* First stage (9.7): */
#define FS_P   0x1ull		     /* bit 0 */
#define FS_US  0x4ull		     /* bit 2 */
#define FS_PRU 0x7ull		     /* P | R/W bit 1 | U/S */
#define FS_PS  0x80ull		     /* bit 7 */
#define ADDR   0x000ffffffffff000ull /* both: address bits 51:12 */

/* The format of a paging structure: second stage (9.8) or first stage (9.7). */
enum vtd_fx_fmt {
	VTD_FX_SS,
	VTD_FX_FS,
};

/* vtd_fx_reset - zero the arena; no page is in use. */
void vtd_fx_reset(void);

/* vtd_fx_at - where the arena's physical address @pa is in host memory (asserts it is inside). */
uint64_t *vtd_fx_at(uint64_t pa);

/* vtd_fx_alloc_page - the physical address of the next unused arena page, zeroed. */
uint64_t vtd_fx_alloc_page(void);

/*
 * vtd_fx_table - the table callback of struct vtd_walk_ctx / vtd_audit_ops: the @bytes at @pa,
 * or NULL when any of them lies outside the arena. @arg is not used.
 */
const uint64_t *vtd_fx_table(void *arg, uint64_t pa, size_t bytes);

/* vtd_fx_owned - vtd_audit_ops.owned: does [@pa, @pa + @size) lie inside the arena? */
bool vtd_fx_owned(void *arg, uint64_t pa, uint64_t size);

/* vtd_fx_index - the index of @iova in a paging table of @level: 9 bits from 12 + 9 (level - 1). */
unsigned int vtd_fx_index(uint64_t iova, unsigned int level);

/*
 * vtd_fx_map - map @iova in the @levels-level table of format @f at @root: missing tables down
 * to @leaf_level are allocated and linked with non-leaf entries "next | R | W" (second stage,
 * 0x3) or "next | P | R/W | U/S" (first stage, 0x7); the entry at @leaf_level is set to @leaf.
 */
void vtd_fx_map(enum vtd_fx_fmt f, uint64_t root, unsigned int levels, uint64_t iova,
		unsigned int leaf_level, uint64_t leaf);

/* vtd_fx_table_at - the table used at @level for @iova (mapped down to it) under @root. */
uint64_t vtd_fx_table_at(uint64_t root, unsigned int levels, uint64_t iova, unsigned int level);

/* vtd_fx_entry_at - the entry used at @level for @iova under @root. */
uint64_t *vtd_fx_entry_at(uint64_t root, unsigned int levels, uint64_t iova, unsigned int level);

/*
 * vtd_fx_legacy_dev - a present legacy context entry @cfg for @bus:@devfn under the root table at
 * @root, creating the bus's context table (and making its root entry present) when missing.
 */
void vtd_fx_legacy_dev(uint64_t root, uint8_t bus, uint8_t devfn,
		       const struct vtd_context_config *cfg);

/*
 * vtd_fx_sm_dev - a present scalable-mode context entry @cfg for @bus:@devfn under the root table
 * at @root, creating the context table of that root-entry half when it is missing (the other
 * half is kept).
 */
void vtd_fx_sm_dev(uint64_t root, uint8_t bus, uint8_t devfn,
		   const struct vtd_sm_context_config *cfg);

/* vtd_fx_pasid_slot - the PASID table entry of @pasid under the directory at @dir (the PASID
 * table is created and its directory entry made present when missing). */
struct vtd_pasid_entry *vtd_fx_pasid_slot(uint64_t dir, uint32_t pasid);

/* vtd_fx_pasid - encode @cfg into @pasid's slot and set it present. */
void vtd_fx_pasid(uint64_t dir, uint32_t pasid, const struct vtd_pasid_entry_config *cfg);

#endif
