/* SPDX-License-Identifier: MIT */
/*
 * A software model of the VT-d translation process (VT-d specification rev 5.0, 3.4-3.8 and the
 * structures of chapter 9): it translates one request through the tables in memory, step by
 * step, and says either where the request goes or which fault reason (7.1.3 / 7.2.x tables) the
 * hardware should record. Pure: table memory is reached only through a callback, so the walker
 * runs on the host against a fake arena and in skiff against the real tables, where its answer
 * can be compared with a fault record (vtd_walk_fault_reason()).
 *
 * The walk, in the specification's order (the first failing check decides):
 *   legacy mode (RTADDR.TTM = 00b):
 *     root entry (9.1) -> context entry (9.3) -> TT: second stage (3, 4 or 5 levels by AW) or
 *     pass-through (TT = 10b: the output address is the input address);
 *   scalable mode (TTM = 01b):
 *     root entry half (9.2) -> context entry (9.4) -> PASID directory entry (9.5) -> PASID table
 *     entry (9.6) -> PGTT: first stage (4 or 5 levels by FSPM), second stage (3-5 by AW),
 *     nested (every first-stage table address and the final address are guest physical and
 *     are translated through the second stage) or pass-through. A request without PASID uses
 *     the context entry's RID_PASID (and RID_PRIV as its privilege).
 * At every entry: the table read (a NULL from the callback is the structure's "access error"
 * reason), present, reserved bits (through the decoders of vtd_entries.h for root, context and
 * PASID structures; for paging entries the masks below), then what the entry configures.
 *
 * Paging entries (no dependency on vtd_pgtable.h; decoded here from 9.7 / 9.8):
 *  - second stage: R bit 0, W bit 1, X bit 2 (only with the PASID entry's SSEE), PS bit 7,
 *    address 51:12. Present when R or W (or X with SSEE) is set. Reserved, as QEMU's
 *    VTD_SPTE_*_RSVD_MASK: bits 51:HAW; bit 11 (SNP) in non-leaf entries, and in leaves unless
 *    scalable mode or ECAP.SC; bit 62 (TM) unless a legacy-mode leaf with ECAP.DT; PS in SS-PML5E
 *    and SS-PML4E, and in SS-PDPE / SS-PDE when CAP.SLLPS lacks 1 GiB / 2 MiB; address bits below
 *    a large leaf's size (20:12, 29:12). Bits 10:8, 6:3, 61:52 and 63 are ignored.
 *  - first stage (x86-64 paging): P bit 0, R/W bit 1, U/S bit 2, PS bit 7, XD bit 63. Reserved:
 *    bits 51:HAW; PS in PML5E / PML4E, in PDPE without CAP.FS1GP; bits 20:13 / 29:13 of a
 *    2 MiB / 1 GiB leaf. XD is honoured only when the PASID entry's NXE is 1 and is otherwise
 *    ignored (rev 5.0 deprecates NXE / XD with execute requests; earlier revisions called XD
 *    reserved when NXE = 0 - see vtd_walk.c).
 *
 * Permissions are the AND over every level used (3.6, 3.7), checked once the leaf is reached:
 *  - second stage: a write needs W, a read R, an execute request X when the PASID entry's SSEE
 *    is 1 (with SSEE = 0 the X bit is ignored and execute is not restricted; legacy mode has no
 *    execute requests: X in a request is dropped there). A not-present entry faults at once:
 *    legacy mode reports it as the missing permission of the request (05h / 06h, as QEMU),
 *    scalable mode as 79h.
 *  - first stage: every present entry grants read; a write needs R/W everywhere (supervisor
 *    requests only when the PASID entry's WPE = 1); a user request needs U/S everywhere (81h);
 *    an execute request needs XD = 0 everywhere when NXE = 1 (82h), and with SMEP a supervisor
 *    execute request may not use a user page. Supervisor requests need SRE (5Dh), execute
 *    requests ERE (5Ch).
 *  - nested: first-stage checks first, then the final address through the second stage.
 *  - pass-through: read, write and execute.
 * Input widths: legacy and second stage min(CAP.MGAW, AW width) (04h / 83h); first stage
 * canonical 48 or 57 bits (80h); nested: a guest-physical address produced by the first stage
 * (a table pointer or the final address) beyond the second stage's width is 74h.
 * A translated address in the interrupt range 0xFEE00000-0xFEEFFFFF is 0Eh / 87h (not checked
 * for pass-through, whose output is the request's own address).
 *
 * Fault reasons are enum vtd_fault_reason (vtd_fault.h); the choice of code for each check is
 * documented at the check in vtd_walk.c.
 */
#ifndef SKIFF_IOMMU_VTD_WALK_H
#define SKIFF_IOMMU_VTD_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_entries.h"
#include "iommu/vtd/vtd_fault.h"

/* Access bits of a request and permission bits of a translation. */
#define VTD_WALK_R 0x1u /* read (an AtomicOp is R | W) */
#define VTD_WALK_W 0x2u /* write */
#define VTD_WALK_X 0x4u /* execute (a read with ER = 1: pass R | X) */
#define VTD_WALK_U 0x8u /* result only: first stage U/S = 1 at every level */

#define VTD_WALK_MAX_LEVELS 5
/* Enough for the longest walk: 4 structure entries + 5 x (5 + 1) nested + 5 final. */
#define VTD_WALK_MAX_STEPS 40

/* Physical addresses of the interrupt range (3.15): never a translation's output. */
#define VTD_WALK_INTR_BASE 0xfee00000ull
#define VTD_WALK_INTR_LAST 0xfeefffffull

enum vtd_walk_mode {
	VTD_WALK_LEGACY = 0,   /* RTADDR_REG.TTM = 00b */
	VTD_WALK_SCALABLE = 1, /* RTADDR_REG.TTM = 01b */
};

/* The structure an entry (a step, a fault, an audit finding) belongs to. */
enum vtd_walk_struct {
	VTD_WS_NONE = 0,
	VTD_WS_ROOT,	  /* root entry (9.1) or scalable-mode root entry (9.2) */
	VTD_WS_CONTEXT,	  /* context entry (9.3) or scalable-mode context entry (9.4) */
	VTD_WS_PASID_DIR, /* PASID directory entry (9.5) */
	VTD_WS_PASID,	  /* PASID table entry (9.6) */
	VTD_WS_SS,	  /* second-stage paging entry (9.8) on the request's translation */
	VTD_WS_FS,	  /* first-stage paging entry (9.7) */
	VTD_WS_SS_NESTED, /* second-stage entry translating a first-stage table's address */
};

/* Where table memory is and what the unit is. */
struct vtd_walk_ctx {
	/*
	 * The @bytes at physical address @pa (one entry, or a whole table), or NULL when that range
	 * is not memory the caller owns; a NULL makes the walk report the structure's access error.
	 */
	const uint64_t *(*table)(void *arg, uint64_t pa, size_t bytes);
	void *arg;
	const struct vtd_caps *caps; /* SAGAW, MGAW, SLLPS, FS1GP, FS5LP, DT, PT, SC, ... */
	unsigned int haw;	     /* host address width (DMAR HAW + 1); 0 means 52 */
};

struct vtd_walk_req {
	enum vtd_walk_mode mode;
	uint64_t root; /* RTADDR_REG.RTA: the root table, 4 KiB aligned */
	uint8_t bus, devfn;
	bool has_pasid; /* a request with PASID (scalable mode: else RID_PASID is used) */
	uint32_t pasid;
	bool priv;	     /* with PASID: supervisor (PR = 1); without, RID_PRIV decides */
	uint64_t iova;	     /* the input address */
	unsigned int access; /* VTD_WALK_R / W / X */
};

/* One entry the walk read, for diagnostics. */
struct vtd_walk_step {
	enum vtd_walk_struct what;
	uint8_t level;	/* paging level 1-5 (1 = 4 KiB leaves); 0 for other structures */
	uint8_t nwords; /* valid words of @val: 2 root/legacy context, 4 context, 1 dir, 8 PASID */
	uint64_t addr;	/* physical address of the entry */
	uint64_t val[8];
};

struct vtd_walk_result {
	/* Translation (vtd_walk() returned 0). */
	uint64_t pa;	    /* output address of req->iova */
	uint64_t size;	    /* the leaf's size (nested: the smaller of both); 4 KiB for PT */
	unsigned int perms; /* effective VTD_WALK_R / W / X (/ U for the first stage) */
	uint16_t did;	    /* domain id: the context entry's (legacy) or PASID entry's */
	enum vtd_pgtt pgtt; /* what translated: legacy TT = SS / PT map to VTD_PGTT_SS / _PT */
	uint32_t pasid;	    /* scalable mode: the PASID used (the request's or RID_PASID) */

	/* Fault (vtd_walk() returned -EFAULT). */
	uint8_t reason;		    /* enum vtd_fault_reason */
	enum vtd_walk_struct where; /* the structure whose check failed (NONE: request checks) */
	uint8_t level;		    /* paging level of that entry, 0 for other structures */
	uint64_t entry_addr;	    /* its physical address, 0 when no entry was involved */
	/*
	 * An entry read on the way (context, PASID directory or PASID table entry) had FPD = 1:
	 * the hardware does not record the fault if it is one of the "qualified" conditions
	 * (7.1.2); the walker does not tell qualified and unqualified reasons apart.
	 */
	bool fpd;

	/* Diagnostics: caller-provided storage; steps beyond @max_steps are counted only. */
	struct vtd_walk_step *steps;
	unsigned int max_steps;
	unsigned int nsteps;
};

/*
 * vtd_walk - translate @req through the tables @ctx reaches, as the remapping hardware would.
 * @out->steps / @out->max_steps are inputs (NULL / 0: record no steps); every other field of
 * @out is written.
 * Returns 0 (translated: pa, size, perms, did, pgtt, pasid), -EFAULT (the request faults:
 * reason, where, level, entry_addr, fpd), or -EINVAL for a bad argument (no table callback or
 * caps, an unknown mode, access 0 or with unknown bits).
 */
int vtd_walk(const struct vtd_walk_ctx *ctx, const struct vtd_walk_req *req,
	     struct vtd_walk_result *out);

/*
 * vtd_walk_fault_reason - only the answer to compare with a fault record: 0 when @req
 * translates, the fault reason it should produce (1-255), or -EINVAL. Records no steps.
 */
int vtd_walk_fault_reason(const struct vtd_walk_ctx *ctx, const struct vtd_walk_req *req);

/* ---- Building blocks, shared with vtd_audit.c ---- */

/* What a second-stage translation is for; it decides the fault codes (see vtd_walk.c). */
enum vtd_walk_ss_use {
	VTD_WALK_SS_REQUEST = 0,  /* a request's translation (legacy TT = SS, PGTT = SS) */
	VTD_WALK_SS_NESTED_FINAL, /* nested: the final guest-physical address */
	VTD_WALK_SS_FS_ROOT,	  /* nested: the first-stage root table (FSPTPTR) */
	VTD_WALK_SS_FS_TABLE,	  /* nested: a lower first-stage table */
};

/* One second-stage translation on its own (e.g. a domain's table, or a nested parent). */
struct vtd_walk_ss_req {
	uint64_t root;	     /* SSPTPTR / SLPTPTR */
	unsigned int levels; /* 3, 4 or 5 */
	unsigned int width;  /* input width in bits: min(MGAW, AW width) */
	bool scalable;	     /* scalable-mode reserved bits and fault codes */
	bool ssee;	     /* X is a permission (PASID entry SSEE) */
	enum vtd_walk_ss_use use;
	uint64_t iova;
	unsigned int access; /* VTD_WALK_R / W / X */
};

/*
 * vtd_walk_ss - translate @sreq through a second-stage table alone, with the codes its @use has
 * (request: legacy 03h/04h/05h/06h/07h/0Ch, scalable 7Bh/83h/78h/79h/7Ah/85h/86h/82h; nested
 * uses: 74h/75h/76h where the address or the permission is at fault). @out as for vtd_walk()
 * (did is left 0, pgtt is SS).
 */
int vtd_walk_ss(const struct vtd_walk_ctx *ctx, const struct vtd_walk_ss_req *sreq,
		struct vtd_walk_result *out);

/* A paging entry decoded (9.7, 9.8). */
struct vtd_walk_pte {
	bool present;
	bool leaf;	    /* level 1, or PS = 1 where PS is allowed */
	uint64_t addr;	    /* next table, or the leaf's first byte */
	uint64_t size;	    /* leaf: 4 KiB, 2 MiB, 1 GiB */
	unsigned int perms; /* this entry's VTD_WALK_R / W / X / U */
	uint64_t reserved;  /* the reserved bits that are set (0: none) */
};

/* Flags of the paging entry decoders. */
#define VTD_WALK_PTE_SCALABLE (1u << 0) /* SS: scalable mode (SNP allowed in leaves, no TM) */
#define VTD_WALK_PTE_SSEE     (1u << 1) /* SS: X counts (present, permission) */
#define VTD_WALK_PTE_NXE      (1u << 2) /* FS: XD is honoured */

/* vtd_walk_ss_decode - second-stage entry @e at @level (1-5) for the unit of @ctx. */
void vtd_walk_ss_decode(const struct vtd_walk_ctx *ctx, unsigned int flags, unsigned int level,
			uint64_t e, struct vtd_walk_pte *pte);

/* vtd_walk_fs_decode - first-stage entry @e at @level (1-5) for the unit of @ctx. */
void vtd_walk_fs_decode(const struct vtd_walk_ctx *ctx, unsigned int flags, unsigned int level,
			uint64_t e, struct vtd_walk_pte *pte);

/*
 * Entry checks: 0 when the present entry is well formed, else the fault reason the hardware
 * reports for it (reserved-field or invalid-programming codes). The decoded fields go to @cfg.
 * They cover what the entry alone decides; request-dependent checks stay in vtd_walk().
 */
/* Root entry (legacy 0Ah) or the @half of a scalable-mode root entry (3Ah); @ctp gets the CTP. */
int vtd_walk_check_root(const struct vtd_walk_ctx *ctx, enum vtd_walk_mode mode,
			const struct vtd_root_entry *e, enum vtd_sm_root_half half, uint64_t *ctp);
/* Legacy context entry: 0Bh reserved (also SLPTPTR beyond HAW), 03h TT / AW the unit lacks. */
int vtd_walk_check_context(const struct vtd_walk_ctx *ctx, const struct vtd_context_entry *e,
			   struct vtd_context_config *cfg);
/* Scalable-mode context entry: 42h reserved (also a feature bit the unit lacks, PASIDDIRPTR
 * beyond HAW). */
int vtd_walk_check_sm_context(const struct vtd_walk_ctx *ctx, const struct vtd_sm_context_entry *e,
			      struct vtd_sm_context_config *cfg);
/* PASID directory entry: 52h reserved (also the table pointer beyond HAW). */
int vtd_walk_check_pasid_dir(const struct vtd_walk_ctx *ctx, const struct vtd_pasid_dir_entry *e);
/* PASID table entry: 5Ah reserved (also memory-type fields without ECAP.MTS, host pointers
 * beyond HAW), 5Bh invalid (reserved PGTT / FSPM, a PGTT, AW or 5-level FSPM the unit lacks). */
int vtd_walk_check_pasid(const struct vtd_walk_ctx *ctx, const struct vtd_pasid_entry *e,
			 struct vtd_pasid_entry_config *cfg);

/* vtd_walk_struct_name - "root", "context", "PASID directory", ... for logs. */
const char *vtd_walk_struct_name(enum vtd_walk_struct what);

#endif
