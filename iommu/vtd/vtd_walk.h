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
 * reason), present, then what the entry alone decides - reserved bits and what the unit lacks -
 * through vtd_entry_fault.h (paging entries decoded there from 9.7 / 9.8), then what the entry
 * configures for this request.
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
 * documented at the check in vtd_walk.c or vtd_entry_fault.c.
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

/* ---- A second stage on its own, shared with vtd_audit.c ---- */

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

/* vtd_walk_struct_name - "root", "context", "PASID directory", ... for logs. */
const char *vtd_walk_struct_name(enum vtd_walk_struct what);

#endif
