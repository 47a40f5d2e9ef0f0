/* SPDX-License-Identifier: MIT */
/*
 * VT-d translation structures (VT-d specification rev 5.0, chapter 9) as pure encoders and
 * decoders: root entries (9.1, 9.2), context entries (9.3, 9.4), PASID directory entries (9.5)
 * and scalable-mode PASID table entries (9.6). Nothing here touches hardware; every function is
 * a function of its inputs and is tested bit for bit on the host (tests/unit/test_vtd_entries.c).
 *
 * Every structure is a run of little-endian 64-bit words: bit N of the specification's tables is
 * bit (N % 64) of word N / 64. Fields are named masks within their word (the comment gives the
 * specification's absolute bit numbers) and are built with VTD_FIELD_PREP / read with
 * VTD_FIELD_GET, never with C bitfields.
 *
 * How an entry goes live (the order Linux's drivers/iommu/intel/pasid.c follows):
 *   1. the entry in table memory is not present (P = 0): freshly zeroed, or torn down and
 *      invalidated;
 *   2. an encoder builds the whole new entry with P = 0 (every encoder here leaves P clear);
 *   3. the caller copies every word of it into table memory (P still 0);
 *   4. the caller calls the matching *_set_present() on the entry in table memory: a compiler
 *      barrier, then one 64-bit store of the word that holds P, so the unit can never see P = 1
 *      next to stale words. When ECAP.C = 0 (page walks do not snoop) the caller writes the
 *      cache lines back (clflush) after step 3 and again after step 4;
 *   5. the caller runs the invalidation the specification prescribes for the structure (6.5.3.3
 *      context-cache, 6.5.3.x PASID-cache, IOTLB) - not-present to present needs it only when
 *      CAP.CM = 1. The attach paths of vtd_context.c invalidate always; the NESTED setup
 *      (vtd_nested_plan.c) follows Linux's pasid_flush_caches(): with CAP.CM the PASID cache
 *      and the PASID-based IOTLB, otherwise a write-buffer flush when CAP.RWBF.
 * Teardown runs this in reverse: clear P (or the whole entry), invalidate, then reuse the memory.
 */
#ifndef SKIFF_IOMMU_VTD_ENTRIES_H
#define SKIFF_IOMMU_VTD_ENTRIES_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "kernel/bits.h"

#define VTD_PAGE_SIZE	  4096u
#define VTD_PAGE_PTR_MASK GENMASK(63, 12) /* every table pointer: bits 63:12, 4 KiB aligned */

/* ---- Address widths: CAP.SAGAW bit n and the AW field value n name the same width. ---- */

enum vtd_aw {
	VTD_AW_39 = 1, /* 39-bit AGAW, 3-level second-stage table */
	VTD_AW_48 = 2, /* 48-bit AGAW, 4-level */
	VTD_AW_57 = 3, /* 57-bit AGAW, 5-level */
};

/*
 * vtd_aw_width - the address width in bits an AW value (VTD_AW_*, 9.3 table 9-3 / 9.6) names:
 * 30 + 9 * aw (39, 48, 57). Returns 0 for a value outside 1..3.
 */
unsigned int vtd_aw_width(unsigned int aw);

/* vtd_aw_levels - the paging levels of AW value @aw (aw + 2: 3, 4, 5), 0 outside 1..3. */
unsigned int vtd_aw_levels(unsigned int aw);

/* vtd_aw_from_levels - the AW value of a @levels-level second stage (levels - 2), 0 outside 3..5. */
uint8_t vtd_aw_from_levels(unsigned int levels);

/*
 * vtd_aw_from_width - the AW value (VTD_AW_*) for an address width of @bits (39, 48 or 57).
 * Returns it, or -ERANGE for any other width.
 */
int vtd_aw_from_width(unsigned int bits);

/*
 * vtd_aw_supported - does the unit offer AW value @aw (VTD_AW_*)? CAP.SAGAW bit n supports AW
 * value n (11.4.2). False for a value outside 1..3.
 */
bool vtd_aw_supported(const struct vtd_caps *caps, unsigned int aw);

/*
 * vtd_aw_largest - the largest AW value the unit's CAP.SAGAW offers (the one a pass-through
 * legacy context entry must carry, 9.3), 0 when it offers none.
 */
uint8_t vtd_aw_largest(const struct vtd_caps *caps);

/*
 * vtd_aw_input_width - the input-address width in bits of a second stage with AW value @aw on
 * the unit: min(CAP.MGAW, vtd_aw_width(@aw)); a @caps->mgaw of 0 does not limit it.
 */
unsigned int vtd_aw_input_width(const struct vtd_caps *caps, unsigned int aw);

/* ---- Paging-structure geometry (9.7, 9.8): 512 entries of 8 bytes per 4 KiB table. ---- */

#define VTD_PAGE_SHIFT 12u
#define VTD_LEVEL_BITS 9u /* input-address bits each paging level indexes */

/*
 * vtd_level_shift - the lowest input-address bit a paging entry at @level (1-5, 1 = the 4 KiB
 * leaves) translates: 12 + 9 * (@level - 1); an entry there maps 2^shift bytes.
 */
static inline unsigned int vtd_level_shift(unsigned int level)
{
	return VTD_PAGE_SHIFT + VTD_LEVEL_BITS * (level - 1);
}

/* ---- Table geometry (9.1-9.6): every table but the PASID directory is one 4 KiB page. ---- */

#define VTD_ROOT_ENTRIES	   256u	  /* one per bus */
#define VTD_CONTEXT_ENTRIES	   256u	  /* legacy: one 128-bit entry per devfn */
#define VTD_SM_CONTEXT_ENTRIES	   128u	  /* scalable: one 256-bit entry per devfn & 0x7f */
#define VTD_PASID_TABLE_ENTRIES	   64u	  /* 512-bit entries, indexed by PASID bits 5:0 */
#define VTD_PASID_DIR_MAX_ENTRIES  16384u /* 64-bit entries, indexed by PASID bits 19:6 */
#define VTD_PASID_BITS_MAX	   20u
#define VTD_PASID_TABLE_INDEX_BITS 6u
#define VTD_PDTS_MAX		   7u
#define VTD_PDTS_BASE		   7u /* a directory holds 2^(PDTS + 7) entries */
#define VTD_SM_CONTEXT_DEVFN_MASK  0x7fu
#define VTD_SM_ROOT_UPPER_DEVFN	   128u

/* Which half of a scalable-mode root entry (9.2) serves a devfn. */
enum vtd_sm_root_half {
	VTD_SM_ROOT_LOWER, /* devfn 0-127: LP, LCTP */
	VTD_SM_ROOT_UPPER, /* devfn 128-255: UP, UCTP */
};

/* vtd_context_index - index of @devfn's entry in a legacy context table (9.3): devfn. */
static inline unsigned int vtd_context_index(uint8_t devfn)
{
	return devfn;
}

/* vtd_sm_root_half - the half of the scalable-mode root entry (9.2) that serves @devfn. */
static inline enum vtd_sm_root_half vtd_sm_root_half(uint8_t devfn)
{
	return devfn >= VTD_SM_ROOT_UPPER_DEVFN ? VTD_SM_ROOT_UPPER : VTD_SM_ROOT_LOWER;
}

/*
 * vtd_sm_context_index - index of @devfn's 256-bit entry in the scalable-mode context table the
 * root entry's half for @devfn points to (9.2, 9.4): devfn & 0x7f.
 */
static inline unsigned int vtd_sm_context_index(uint8_t devfn)
{
	return devfn & VTD_SM_CONTEXT_DEVFN_MASK;
}

/* vtd_pasid_dir_index - index of @pasid (20 bits) in the PASID directory (9.5): pasid >> 6. */
static inline unsigned int vtd_pasid_dir_index(uint32_t pasid)
{
	return pasid >> VTD_PASID_TABLE_INDEX_BITS;
}

/* vtd_pasid_table_index - index of @pasid in its PASID table (9.6): pasid & 0x3f. */
static inline unsigned int vtd_pasid_table_index(uint32_t pasid)
{
	return pasid & (VTD_PASID_TABLE_ENTRIES - 1);
}

/*
 * vtd_pasid_dir_entries - entries of a PASID directory whose context entry has PDTS = @pdts
 * (9.4): 2^(pdts + 7), 128 to 16384. @pdts must be 0..7.
 */
static inline unsigned int vtd_pasid_dir_entries(unsigned int pdts)
{
	return 1u << (pdts + VTD_PDTS_BASE);
}

/* vtd_pasid_dir_bytes - size in bytes of that directory: 8 bytes per entry (1 KiB..128 KiB). */
static inline unsigned int vtd_pasid_dir_bytes(unsigned int pdts)
{
	return vtd_pasid_dir_entries(pdts) * 8u;
}

/*
 * vtd_pdts_for_pasid_bits - the smallest PDTS (9.4) whose directory covers every PASID below
 * 2^@bits: max(0, bits - 13). Returns 0..7, or -ERANGE when @bits > 20.
 */
int vtd_pdts_for_pasid_bits(unsigned int bits);

/* Entry sizes in bytes and in 64-bit words, as the tables hold them (9.1-9.8). */
#define VTD_ROOT_ENTRY_BYTES	   16u
#define VTD_CONTEXT_ENTRY_BYTES	   16u
#define VTD_SM_CONTEXT_ENTRY_BYTES 32u
#define VTD_PASID_DIR_ENTRY_BYTES  8u
#define VTD_PASID_ENTRY_BYTES	   64u
#define VTD_PTE_BYTES		   8u
#define VTD_WORDS(bytes)	   ((bytes) / 8u)
#define VTD_ROOT_ENTRY_WORDS	   VTD_WORDS(VTD_ROOT_ENTRY_BYTES)
#define VTD_CONTEXT_ENTRY_WORDS	   VTD_WORDS(VTD_CONTEXT_ENTRY_BYTES)
#define VTD_SM_CONTEXT_ENTRY_WORDS VTD_WORDS(VTD_SM_CONTEXT_ENTRY_BYTES)
#define VTD_PASID_DIR_ENTRY_WORDS  VTD_WORDS(VTD_PASID_DIR_ENTRY_BYTES)
#define VTD_PASID_ENTRY_WORDS	   VTD_WORDS(VTD_PASID_ENTRY_BYTES)

/* ---- Root entries (9.1 legacy, 9.2 scalable mode): 128 bits. ---- */

struct vtd_root_entry {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_root_entry) == VTD_ROOT_ENTRY_BYTES,
	       "VT-d 9.1: 128-bit root entry");
_Static_assert(VTD_ROOT_ENTRIES * sizeof(struct vtd_root_entry) == VTD_PAGE_SIZE,
	       "VT-d 9.1: a root table is one 4 KiB page");

/* Legacy (9.1). lo: */
#define VTD_RE_P	(1ull << 0)	/* bit 0: present */
#define VTD_RE_CTP_MASK GENMASK(63, 12) /* bits 63:12: context-table pointer */
/* hi (bits 127:64): reserved. */

/* Scalable mode (9.2). lo: */
#define VTD_SMRE_LP	   (1ull << 0)	   /* bit 0: lower present */
#define VTD_SMRE_LCTP_MASK GENMASK(63, 12) /* bits 63:12: lower context-table pointer */
/* hi: */
#define VTD_SMRE_UP	   (1ull << 0)	   /* bit 64: upper present */
#define VTD_SMRE_UCTP_MASK GENMASK(63, 12) /* bits 127:76: upper context-table pointer */

/*
 * vtd_root_entry_encode - a legacy root entry (9.1, figure/table 9-1) pointing at the context
 * table at @ctp (host physical, 4 KiB aligned), with P = 0.
 * Returns 0, or -EINVAL (and a zeroed *@out) when @ctp is not 4 KiB aligned.
 */
int vtd_root_entry_encode(uint64_t ctp, struct vtd_root_entry *out);

/* vtd_root_entry_set_present - set P (9.1) on the entry in table memory; see the order above. */
void vtd_root_entry_set_present(struct vtd_root_entry *e);

/* vtd_root_entry_present - P of a legacy root entry (9.1). */
bool vtd_root_entry_present(const struct vtd_root_entry *e);

/* vtd_root_entry_ctp - the context-table pointer of a legacy root entry (9.1), bits 63:12. */
uint64_t vtd_root_entry_ctp(const struct vtd_root_entry *e);

/*
 * vtd_sm_root_entry_encode - a scalable-mode root entry (9.2) whose lower half points at the
 * context table for devfn 0-127 at @lctp and whose upper half points at the one for devfn
 * 128-255 at @uctp (host physical, 4 KiB aligned; 0 for a half left unused), with LP = UP = 0.
 * Returns 0, or -EINVAL (and a zeroed *@out) when a pointer is not 4 KiB aligned.
 */
int vtd_sm_root_entry_encode(uint64_t lctp, uint64_t uctp, struct vtd_root_entry *out);

/*
 * vtd_sm_root_entry_set_present - set LP (@half lower, bit 0) or UP (@half upper, bit 64) on the
 * entry in table memory (9.2). Each half goes live on its own; see the order above.
 */
void vtd_sm_root_entry_set_present(struct vtd_root_entry *e, enum vtd_sm_root_half half);

/* vtd_sm_root_entry_present - LP or UP of a scalable-mode root entry (9.2). */
bool vtd_sm_root_entry_present(const struct vtd_root_entry *e, enum vtd_sm_root_half half);

/* vtd_sm_root_entry_ctp - LCTP (bits 63:12) or UCTP (bits 127:76) as an address (9.2). */
uint64_t vtd_sm_root_entry_ctp(const struct vtd_root_entry *e, enum vtd_sm_root_half half);

/* ---- Legacy context entry (9.3): 128 bits. ---- */

struct vtd_context_entry {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_context_entry) == VTD_CONTEXT_ENTRY_BYTES,
	       "VT-d 9.3: 128-bit context entry");
_Static_assert(VTD_CONTEXT_ENTRIES * sizeof(struct vtd_context_entry) == VTD_PAGE_SIZE,
	       "VT-d 9.3: a context table is one 4 KiB page");

/* lo: */
#define VTD_CE_LO_P	       (1ull << 0)     /* bit 0: present */
#define VTD_CE_LO_FPD	       (1ull << 1)     /* bit 1: fault processing disable */
#define VTD_CE_LO_TT_MASK      GENMASK(3, 2)   /* bits 3:2: translation type */
#define VTD_CE_LO_SLPTPTR_MASK GENMASK(63, 12) /* bits 63:12: second-stage table pointer */
/* hi: */
#define VTD_CE_HI_AW_MASK    GENMASK(2, 0)  /* bits 66:64: address width */
#define VTD_CE_HI_AVAIL_MASK GENMASK(6, 3)  /* bits 70:67: ignored, available to software */
#define VTD_CE_HI_DID_MASK   GENMASK(23, 8) /* bits 87:72: domain id */

/* Translation type (TT, 9.3). */
enum vtd_context_tt {
	VTD_TT_SS = 0,	      /* untranslated requests through the second stage */
	VTD_TT_SS_DEVTLB = 1, /* same, and translation requests from a device TLB (ECAP.DT) */
	VTD_TT_PT = 2,	      /* pass-through of untranslated requests (ECAP.PT) */
};

/* What a legacy context entry says; the encoder's input and the decoder's output. */
struct vtd_context_config {
	enum vtd_context_tt tt;
	uint16_t did;	  /* domain id (must be below 2^caps.domain_bits) */
	uint8_t aw;	  /* VTD_AW_*; with VTD_TT_PT the largest one SAGAW offers (9.3) */
	uint64_t ss_root; /* second-stage root table, host physical, 4 KiB aligned; 0 with PT */
	bool fpd;	  /* fault processing disable: faults are not recorded or reported */
};

/*
 * vtd_context_entry_encode - a legacy context entry (9.3) from @cfg, with P = 0.
 * Checks only what the entry itself can hold: TT 0..2, AW 1..3, @cfg->ss_root 4 KiB aligned and
 * 0 with pass-through (the field is ignored there). What the unit supports is
 * vtd_context_validate()'s job.
 * Returns 0, or -EINVAL (and a zeroed *@out).
 */
int vtd_context_entry_encode(const struct vtd_context_config *cfg, struct vtd_context_entry *out);

/*
 * vtd_context_validate - can the unit described by @caps use the legacy context entry @cfg?
 * @haw is the host address width in bits (the DMAR table's HAW + 1): the second-stage root must
 * lie below 2^@haw. In this order, the first failure decides:
 *   -EINVAL     what vtd_context_entry_encode() refuses, or @haw is 0;
 *   -EOPNOTSUPP TT = device-TLB without ECAP.DT, TT = pass-through without ECAP.PT;
 *   -ERANGE     AW not in CAP.SAGAW, or with pass-through not the largest AW in SAGAW (9.3);
 *   -EINVAL     DID not below 2^domain_bits (CAP.ND), DID 0 when CAP.CM = 1 (reserved, 6.1),
 *               second-stage root at or above 2^@haw.
 * Returns 0 when the entry is good for this unit.
 */
int vtd_context_validate(const struct vtd_context_config *cfg, const struct vtd_caps *caps,
			 unsigned int haw);

/* vtd_context_entry_set_present - set P (9.3) on the entry in table memory; see the order. */
void vtd_context_entry_set_present(struct vtd_context_entry *e);

/* vtd_context_entry_present - P of a legacy context entry (9.3). */
bool vtd_context_entry_present(const struct vtd_context_entry *e);

/*
 * vtd_context_entry_decode - the fields of a legacy context entry (9.3) into *@cfg (P is not part
 * of it: see vtd_context_entry_present()). The available bits 70:67 are ignored.
 * Returns 0, or -EINVAL when a reserved bit is set or TT is the reserved 11b (*@cfg is filled
 * either way, TT with the raw value).
 */
int vtd_context_entry_decode(const struct vtd_context_entry *e, struct vtd_context_config *cfg);

/* ---- Scalable-mode context entry (9.4): 256 bits. ---- */

struct vtd_sm_context_entry {
	uint64_t val[4];
};
_Static_assert(sizeof(struct vtd_sm_context_entry) == VTD_SM_CONTEXT_ENTRY_BYTES,
	       "VT-d 9.4: 256-bit context entry");
_Static_assert(VTD_SM_CONTEXT_ENTRIES * sizeof(struct vtd_sm_context_entry) == VTD_PAGE_SIZE,
	       "VT-d 9.4: a scalable-mode context table is one 4 KiB page");

/* val[0]: */
#define VTD_SMCE_W0_P		     (1ull << 0)     /* bit 0: present */
#define VTD_SMCE_W0_FPD		     (1ull << 1)     /* bit 1: fault processing disable */
#define VTD_SMCE_W0_DTE		     (1ull << 2)     /* bit 2: device-TLB enable */
#define VTD_SMCE_W0_PASIDE	     (1ull << 3)     /* bit 3: PASID enable */
#define VTD_SMCE_W0_PRE		     (1ull << 4)     /* bit 4: page request enable */
#define VTD_SMCE_W0_PDTS_MASK	     GENMASK(11, 9)  /* bits 11:9: directory size */
#define VTD_SMCE_W0_PASIDDIRPTR_MASK GENMASK(63, 12) /* bits 63:12: PASID directory */
/* val[1]: */
#define VTD_SMCE_W1_RID_PASID_MASK GENMASK(19, 0) /* bits 83:64: PASID of requests w/o one */
#define VTD_SMCE_W1_RID_PRIV	   (1ull << 20)	  /* bit 84: those requests are privileged */
/* val[2], val[3] (bits 255:128): reserved. */

/* Flags of struct vtd_sm_context_config. */
#define VTD_SMCE_FLAG_FPD      (1u << 0) /* fault processing disable */
#define VTD_SMCE_FLAG_DTE      (1u << 1) /* device-TLB enable (ECAP.DT) */
#define VTD_SMCE_FLAG_PASIDE   (1u << 2) /* accept requests with PASID (ECAP.PASID) */
#define VTD_SMCE_FLAG_PRE      (1u << 3) /* page requests (ECAP.PRS) */
#define VTD_SMCE_FLAG_RID_PRIV (1u << 4) /* requests without PASID are supervisor (ECAP.SRS) */
#define VTD_SMCE_FLAGS_ALL                                                                  \
	(VTD_SMCE_FLAG_FPD | VTD_SMCE_FLAG_DTE | VTD_SMCE_FLAG_PASIDE | VTD_SMCE_FLAG_PRE | \
	 VTD_SMCE_FLAG_RID_PRIV)

/* What a scalable-mode context entry says; the encoder's input and the decoder's output. */
struct vtd_sm_context_config {
	uint64_t pasid_dir; /* PASID directory, host physical, 4 KiB aligned */
	uint8_t pdts;	    /* the directory holds 2^(pdts + 7) entries; 0..7 */
	uint32_t rid_pasid; /* PASID used for requests without one (20 bits) */
	uint32_t flags;	    /* VTD_SMCE_FLAG_* */
};

/*
 * vtd_sm_context_entry_encode - a scalable-mode context entry (9.4) from @cfg, with P = 0.
 * Checks only what the entry itself can hold: PASID directory 4 KiB aligned, PDTS 0..7,
 * RID_PASID below 2^20 and inside the directory (rid_pasid >> 6 < 2^(pdts + 7)), known flags.
 * Returns 0, or -EINVAL (and a zeroed *@out).
 */
int vtd_sm_context_entry_encode(const struct vtd_sm_context_config *cfg,
				struct vtd_sm_context_entry *out);

/*
 * vtd_sm_context_validate - can the unit described by @caps use the scalable-mode context entry
 * @cfg? @haw: host address width in bits (DMAR HAW + 1). In this order, the first failure
 * decides:
 *   -EINVAL     what vtd_sm_context_entry_encode() refuses, or @haw is 0;
 *   -EOPNOTSUPP no scalable mode (ECAP.SMTS), DTE without ECAP.DT, PRE without ECAP.PRS,
 *               PASIDE without ECAP.PASID, RID_PRIV without ECAP.SRS, a RID_PASID other than 0
 *               without ECAP.RPS (the field is reserved then, 11.4.3);
 *   -ERANGE     RID_PASID not below 2^caps.pasid_bits (ECAP.PSS + 1; only 0 without PASIDs);
 *   -EINVAL     PASID directory at or above 2^@haw.
 * Returns 0 when the entry is good for this unit.
 */
int vtd_sm_context_validate(const struct vtd_sm_context_config *cfg, const struct vtd_caps *caps,
			    unsigned int haw);

/* vtd_sm_context_entry_set_present - set P (9.4) on the entry in table memory; see the order. */
void vtd_sm_context_entry_set_present(struct vtd_sm_context_entry *e);

/* vtd_sm_context_entry_present - P of a scalable-mode context entry (9.4). */
bool vtd_sm_context_entry_present(const struct vtd_sm_context_entry *e);

/*
 * vtd_sm_context_entry_decode - the fields of a scalable-mode context entry (9.4) into *@cfg
 * (P excluded). Returns 0, or -EINVAL when a reserved bit is set (*@cfg is filled either way).
 */
int vtd_sm_context_entry_decode(const struct vtd_sm_context_entry *e,
				struct vtd_sm_context_config *cfg);

/* ---- PASID directory entry (9.5): 64 bits. ---- */

struct vtd_pasid_dir_entry {
	uint64_t val;
};
_Static_assert(sizeof(struct vtd_pasid_dir_entry) == VTD_PASID_DIR_ENTRY_BYTES,
	       "VT-d 9.5: 64-bit directory entry");

#define VTD_PDE_P	       (1ull << 0)     /* bit 0: present */
#define VTD_PDE_FPD	       (1ull << 1)     /* bit 1: fault processing disable */
#define VTD_PDE_SMPTBLPTR_MASK GENMASK(63, 12) /* bits 63:12: PASID table pointer */

/*
 * vtd_pasid_dir_entry_encode - a PASID directory entry (9.5) pointing at the PASID table at
 * @table (host physical, 4 KiB aligned: 64 entries of 64 bytes), with @fpd, and P = 0.
 * Returns 0, or -EINVAL (and a zeroed *@out) when @table is not 4 KiB aligned.
 */
int vtd_pasid_dir_entry_encode(uint64_t table, bool fpd, struct vtd_pasid_dir_entry *out);

/* vtd_pasid_dir_entry_set_present - set P (9.5) on the entry in table memory; see the order. */
void vtd_pasid_dir_entry_set_present(struct vtd_pasid_dir_entry *e);

/* vtd_pasid_dir_entry_present - P of a PASID directory entry (9.5). */
bool vtd_pasid_dir_entry_present(const struct vtd_pasid_dir_entry *e);

/* vtd_pasid_dir_entry_fpd - FPD of a PASID directory entry (9.5). */
bool vtd_pasid_dir_entry_fpd(const struct vtd_pasid_dir_entry *e);

/* vtd_pasid_dir_entry_table - the PASID table pointer of a directory entry (9.5), bits 63:12. */
uint64_t vtd_pasid_dir_entry_table(const struct vtd_pasid_dir_entry *e);

/* vtd_pasid_dir_entry_reserved - true when a reserved bit (11:2) of the entry (9.5) is set. */
bool vtd_pasid_dir_entry_reserved(const struct vtd_pasid_dir_entry *e);

/* ---- Scalable-mode PASID table entry (9.6): 512 bits. ---- */

struct vtd_pasid_entry {
	uint64_t val[8];
};
_Static_assert(sizeof(struct vtd_pasid_entry) == VTD_PASID_ENTRY_BYTES,
	       "VT-d 9.6: 512-bit PASID table entry");
_Static_assert(VTD_PASID_TABLE_ENTRIES * sizeof(struct vtd_pasid_entry) == VTD_PAGE_SIZE,
	       "VT-d 9.6: a PASID table is one 4 KiB page");

/* val[0]: */
#define VTD_PE_W0_P	       (1ull << 0)     /* bit 0: present */
#define VTD_PE_W0_FPD	       (1ull << 1)     /* bit 1: fault processing disable */
#define VTD_PE_W0_AW_MASK      GENMASK(4, 2)   /* bits 4:2: second-stage address width */
#define VTD_PE_W0_SSEE	       (1ull << 5)     /* bit 5: second-stage execute enable */
#define VTD_PE_W0_PGTT_MASK    GENMASK(8, 6)   /* bits 8:6: PASID granular translation */
#define VTD_PE_W0_SSADE	       (1ull << 9)     /* bit 9: second-stage A/D enable */
#define VTD_PE_W0_SSPTPTR_MASK GENMASK(63, 12) /* bits 63:12: second-stage table */
/* val[1]: */
#define VTD_PE_W1_DID_MASK GENMASK(15, 0)  /* bits 79:64: domain id */
#define VTD_PE_W1_PWSNP	   (1ull << 23)	   /* bit 87: page-walk snoop */
#define VTD_PE_W1_PGSNP	   (1ull << 24)	   /* bit 88: page snoop */
#define VTD_PE_W1_CD	   (1ull << 25)	   /* bit 89: cache disable (ECAP.MTS) */
#define VTD_PE_W1_EMTE	   (1ull << 26)	   /* bit 90: extended memory type enable */
#define VTD_PE_W1_EMT_MASK GENMASK(29, 27) /* bits 93:91: extended memory type */
#define VTD_PE_W1_PWT	   (1ull << 30)	   /* bit 94: page-level write-through */
#define VTD_PE_W1_PCD	   (1ull << 31)	   /* bit 95: page-level cache disable */
#define VTD_PE_W1_PAT_MASK GENMASK(63, 32) /* bits 127:96: page attribute table */
/* val[2]: */
#define VTD_PE_W2_SRE	       (1ull << 0)     /* bit 128: supervisor request enable */
#define VTD_PE_W2_ERE	       (1ull << 1)     /* bit 129: execute request enable */
#define VTD_PE_W2_FSPM_MASK    GENMASK(3, 2)   /* bits 131:130: first-stage paging mode */
#define VTD_PE_W2_WPE	       (1ull << 4)     /* bit 132: write protect enable */
#define VTD_PE_W2_NXE	       (1ull << 5)     /* bit 133: no-execute enable */
#define VTD_PE_W2_SMEP	       (1ull << 6)     /* bit 134: supervisor-mode execute prevent */
#define VTD_PE_W2_EAFE	       (1ull << 7)     /* bit 135: extended access flag enable */
#define VTD_PE_W2_FSPTPTR_MASK GENMASK(63, 12) /* bits 191:140: first-stage table */
/* val[3] to val[7] (bits 511:192): reserved. */
/* The memory-type fields, used only with ECAP.MTS; skiff leaves them 0. */
#define VTD_PE_W1_MT_MASK                                                                     \
	(VTD_PE_W1_CD | VTD_PE_W1_EMTE | VTD_PE_W1_EMT_MASK | VTD_PE_W1_PWT | VTD_PE_W1_PCD | \
	 VTD_PE_W1_PAT_MASK)

/* PASID granular translation type (PGTT, 9.6). */
enum vtd_pgtt {
	VTD_PGTT_FS = 1,     /* first stage only (ECAP.FSTS) */
	VTD_PGTT_SS = 2,     /* second stage only (ECAP.SSTS) */
	VTD_PGTT_NESTED = 3, /* first stage nested in second stage (ECAP.NEST) */
	VTD_PGTT_PT = 4,     /* pass-through (ECAP.PT) */
};

/* First-stage paging mode (FSPM, called FLPM before rev 4.0; 9.6). */
enum vtd_fspm {
	VTD_FSPM_4LEVEL = 0, /* 48-bit input addresses */
	VTD_FSPM_5LEVEL = 1, /* 57-bit input addresses (CAP.FS5LP) */
};

/* Flags of struct vtd_pasid_entry_config; the PGTTs each applies to, and what the unit needs. */
#define VTD_PE_FLAG_FPD	    (1u << 0)  /* all: fault processing disable */
#define VTD_PE_FLAG_PWSNP   (1u << 1)  /* all: snoop page walks (ECAP.SMPWC) */
#define VTD_PE_FLAG_PGSNP   (1u << 2)  /* all: snoop every access (ECAP.SC) */
#define VTD_PE_FLAG_SSADE   (1u << 3)  /* SS, nested: second-stage A/D bits (ECAP.SSADS) */
#define VTD_PE_FLAG_SSEE    (1u << 4)  /* SS, nested: second-stage execute (ECAP.ERS) */
#define VTD_PE_FLAG_SRE	    (1u << 5)  /* FS, nested: supervisor requests (ECAP.SRS) */
#define VTD_PE_FLAG_ERE	    (1u << 6)  /* FS, nested: execute requests (ECAP.ERS) */
#define VTD_PE_FLAG_WPE	    (1u << 7)  /* FS, nested: write protect; only with SRE */
#define VTD_PE_FLAG_NXE	    (1u << 8)  /* FS, nested: honour XD in first-stage entries */
#define VTD_PE_FLAG_SMEP    (1u << 9)  /* FS, nested: supervisor-mode execute prevention (ERS) */
#define VTD_PE_FLAG_EAFE    (1u << 10) /* FS, nested: extended access flag (ECAP.EAFS) */
#define VTD_PE_FLAGS_COMMON (VTD_PE_FLAG_FPD | VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP)
#define VTD_PE_FLAGS_SS	    (VTD_PE_FLAG_SSADE | VTD_PE_FLAG_SSEE)
#define VTD_PE_FLAGS_FS                                                          \
	(VTD_PE_FLAG_SRE | VTD_PE_FLAG_ERE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_NXE | \
	 VTD_PE_FLAG_SMEP | VTD_PE_FLAG_EAFE)

/*
 * What a PASID table entry says, for every PGTT (the nested encoder takes the same request);
 * the encoder's input and the decoder's output. Fields a PGTT does not use must be 0.
 */
struct vtd_pasid_entry_config {
	enum vtd_pgtt pgtt;
	uint16_t did;		 /* domain id: tags the IOTLB / PASID-cache entries */
	uint8_t aw;		 /* VTD_AW_* of the second stage (SS, nested); FS, PT: 0 or a
				  * SAGAW value (Linux writes the unit's AGAW) */
	uint64_t ss_root;	 /* SS, nested: second-stage root, host physical, 4 KiB aligned */
	uint64_t fs_root;	 /* FS, nested: first-stage root (PML4 / PML5), 4 KiB aligned;
				  * host physical for FS, guest physical for nested */
	enum vtd_fspm fs_paging; /* FS, nested: 4- or 5-level first stage */
	uint32_t flags;		 /* VTD_PE_FLAG_* */
};

/*
 * vtd_pasid_entry_encode - a scalable-mode PASID table entry (9.6) from @cfg, with P = 0.
 * First stage (PGTT 001b) fills FSPTPTR, FSPM, SRE, ERE, WPE, NXE, SMEP, EAFE; second stage
 * (010b) fills SSPTPTR, SSADE, SSEE; nested (011b) fills both sets (SSPTPTR is the nesting
 * parent's host-physical root, FSPTPTR the guest-physical first-stage root); pass-through
 * (100b) neither; all of them PGTT, DID, AW, FPD, PWSNP, PGSNP. The memory-type fields (CD,
 * EMTE, EMT, PWT, PCD, PAT) stay 0.
 * Checks only what the entry itself can hold: a known PGTT, AW 1..3 for the second stage and
 * nested and 0..3 otherwise, FSPM 0..1, pointers 4 KiB aligned, no field or flag the PGTT does
 * not use, WPE only with SRE. What the unit supports is vtd_pasid_entry_validate()'s job.
 * Returns 0, or -EINVAL (and a zeroed *@out) for a request the entry cannot hold.
 */
int vtd_pasid_entry_encode(const struct vtd_pasid_entry_config *cfg, struct vtd_pasid_entry *out);

/* vtd_pgtt_supported - does the unit implement translation type @pgtt (ECAP.FSTS, SSTS, NEST,
 * PT; VT-d 11.4.3)? */
bool vtd_pgtt_supported(const struct vtd_caps *caps, enum vtd_pgtt pgtt);

/*
 * vtd_pasid_entry_validate - can the unit described by @caps use the PASID table entry @cfg?
 * @haw: host address width in bits (DMAR HAW + 1): host-physical pointers must lie below
 * 2^@haw; a nested entry's first-stage root is guest physical and must lie below 2^AW-width.
 * In this order, the first failure decides:
 *   -EINVAL     what vtd_pasid_entry_encode() refuses as malformed, or @haw is 0;
 *   -EOPNOTSUPP no scalable mode (ECAP.SMTS); a PGTT the unit lacks: FS without ECAP.FSTS,
 *               SS without ECAP.SSTS, nested without ECAP.NEST + FSTS + SSTS, PT without
 *               ECAP.PT; a flag the unit lacks (see VTD_PE_FLAG_*: e.g. SRE or WPE without
 *               ECAP.SRS, EAFE without ECAP.EAFS, also in a nested entry);
 *   -ERANGE     a non-zero AW not in CAP.SAGAW; a 5-level first stage without CAP.FS5LP;
 *   -EINVAL     DID not below 2^domain_bits (CAP.ND), DID 0 when CAP.CM = 1 (reserved, 6.1),
 *               a pointer beyond its width (nested: SSPTPTR at or above 2^@haw, FSPTPTR at
 *               or above 2^AW-width).
 * Returns 0 when the entry is good for this unit.
 */
int vtd_pasid_entry_validate(const struct vtd_pasid_entry_config *cfg, const struct vtd_caps *caps,
			     unsigned int haw);

/* vtd_pasid_entry_set_present - set P (9.6) on the entry in table memory; see the order above. */
void vtd_pasid_entry_set_present(struct vtd_pasid_entry *e);

/*
 * vtd_pasid_entry_present - P of a PASID table entry (9.6). A caller about to install an entry
 * checks the slot in table memory with this first and refuses a present one with -EBUSY (step 1
 * of the order above: only a not-present, invalidated slot may be overwritten).
 */
bool vtd_pasid_entry_present(const struct vtd_pasid_entry *e);

/* vtd_pasid_entry_pgtt - the raw PGTT field (bits 8:6, 9.6): a VTD_PGTT_* or a reserved value. */
unsigned int vtd_pasid_entry_pgtt(const struct vtd_pasid_entry *e);

/* vtd_pasid_entry_did - the domain id (bits 79:64, 9.6). */
uint16_t vtd_pasid_entry_did(const struct vtd_pasid_entry *e);

/* vtd_pasid_entry_ss_root - SSPTPTR (bits 63:12, 9.6) as an address. */
uint64_t vtd_pasid_entry_ss_root(const struct vtd_pasid_entry *e);

/* vtd_pasid_entry_fs_root - FSPTPTR (bits 191:140, 9.6) as an address. */
uint64_t vtd_pasid_entry_fs_root(const struct vtd_pasid_entry *e);

/*
 * vtd_pasid_entry_decode - every field of a PASID table entry (9.6) into *@cfg (P excluded),
 * whatever the PGTT. Returns 0; -EINVAL when a reserved bit is set or PGTT / FSPM holds a
 * reserved value (000b, 101b-111b; 1xb); -EOPNOTSUPP when a memory-type field is set (ECAP.MTS
 * features skiff's config cannot express). *@cfg is filled either way, PGTT with the raw value.
 */
int vtd_pasid_entry_decode(const struct vtd_pasid_entry *e, struct vtd_pasid_entry_config *cfg);

#endif
