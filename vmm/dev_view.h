/* SPDX-License-Identifier: MIT */
/*
 * The device view of a VM: what the VM's IOMMU second-stage domain maps, derived from its gmem
 * (vmm/gmem.h). This derivation is the only place that decides, per gmem range, whether DMA
 * reaches it and with which permissions:
 *   RAM, MMIO_PASSTHRU  mapped read-write, guest-physical -> host-physical;
 *   MSI                 never mapped: a device write there is an interrupt request (VT-d 3.15),
 *                       which interrupt remapping handles, not the page tables;
 *   MMIO_EMULATED       never mapped: no host backing, a device cannot reach skiff's emulation;
 *   ROM                 mapped read-only, except on a nesting parent (a domain whose second
 *                       stage sits under a guest-owned first stage: PASID entry PGTT = 011b,
 *                       VT-d 9.6, or skiff's shadow composition) while erratum SPR17 is in force
 *                       (Intel doc 772415: in nested mode the IOMMU may set A/D bits in
 *                       first-stage entries that the second stage maps read-only; the
 *                       workaround is no read-only second-stage page under nesting). Then
 *                       policy SKIP leaves the range out of the view (DMA to it faults), and
 *                       policy REFUSE keeps it read-only and refuses nesting instead: the domain
 *                       is not a nesting parent and the VM runs with second-stage-only
 *                       translation.
 * A read-only range never becomes read-write. Pure: no allocation, no logging; runs on the
 * host under tests. vmm/dev_view_apply.c programs a view into a domain.
 */
#ifndef SKIFF_VMM_DEV_VIEW_H
#define SKIFF_VMM_DEV_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/iommu.h"
#include "vmm/gmem.h"

/* What the VM asks of its domain, and what the unit is. */
struct dev_view_req {
	/* The VM runs its own IOMMU driver: the domain would be a nesting parent. */
	bool want_nesting;
	/* Erratum SPR17 is in force on the unit (from iommu.spr17 and ECAP.NEST; the caller's). */
	bool spr17;
	/* iommu.ro_policy: SKIP (default) leaves read-only ranges out, REFUSE refuses nesting. */
	enum iommu_ro_policy policy;
};

enum dev_view_action {
	DEV_VIEW_MAP_RW = 0, /* DMA reads and writes reach the backing */
	DEV_VIEW_MAP_RO,     /* DMA reads only */
	DEV_VIEW_LEFT_OUT,   /* not mapped: DMA faults */
};

/* Why a range got its action (dev_view_reason_text() has the words for logs). */
enum dev_view_reason {
	DEV_VIEW_WHY_RAM = 0,
	DEV_VIEW_WHY_PASSTHRU,
	DEV_VIEW_WHY_ROM,	   /* read-only, no nesting asked */
	DEV_VIEW_WHY_ROM_NO_SPR17, /* read-only under a nesting parent: SPR17 not in force */
	DEV_VIEW_WHY_SPR17_SKIP,   /* left out: nesting parent, SPR17, policy skip */
	DEV_VIEW_WHY_SPR17_REFUSE, /* read-only, nesting refused: SPR17, policy refuse */
	DEV_VIEW_WHY_MSI,	   /* the MSI window: interrupt requests, never DMA */
	DEV_VIEW_WHY_EMULATED,	   /* emulated MMIO: no backing */
	DEV_VIEW_NR_REASONS,
};

/* The decision for one gmem range (a copy of the range, so the view stands alone). */
struct dev_view_entry {
	struct gmem_range range;
	enum dev_view_action action;
	enum dev_view_reason reason;
};

#define DEV_VIEW_NO_RANGE UINT32_MAX /* @refused_by when nesting was not refused */

struct dev_view {
	struct dev_view_req req;
	unsigned int nr; /* entries, one per gmem range, in gmem order (by gpa) */
	struct dev_view_entry entry[GMEM_MAX_RANGES];
	/* The domain is a nesting parent: the caller marks it one before mapping anything. */
	bool nesting_parent;
	/* Nesting was asked but refused (policy REFUSE, SPR17, a read-only range): */
	bool nesting_refused;
	unsigned int refused_by; /* ... the index of the first read-only entry, or NO_RANGE */
};

/*
 * dev_view_derive - the device view of the sealed map @g under @req (rules at the top).
 * @out gets one entry per range of @g, in @g's order, and the nesting outcome:
 *   nesting_parent  = want_nesting, unless refused;
 *   nesting_refused = want_nesting && spr17 && policy REFUSE && @g has a ROM range.
 * Returns 0, or -EINVAL for a NULL argument, an unsealed map, an unknown policy or a range of
 * unknown kind (@out is then zeroed, with refused_by NO_RANGE).
 */
int dev_view_derive(const struct gmem *g, const struct dev_view_req *req, struct dev_view *out);

/*
 * dev_view_lookup - where guest-physical @gpa goes in the device view @v.
 * Returns 0 with @hpa (the host-physical address of @gpa), @prot (IOMMU_READ, | IOMMU_WRITE
 * for read-write ranges; iommu/iommu.h's values) and @run (bytes from @gpa to the end of its
 * range, > 0, so [@gpa, @gpa + @run) translates linearly), or -ENOENT when the view does not
 * map @gpa (a hole, a range left out, the MSI window, emulated MMIO); @run then gets the bytes
 * from @gpa to the next range the view maps (UINT64_MAX - @gpa when none follows), so a caller
 * walking guest-controlled ranges (vmm/shadow.c) skips a gap in one step. Any of @hpa, @prot,
 * @run may be NULL. -EINVAL for a NULL @v.
 */
int dev_view_lookup(const struct dev_view *v, uint64_t gpa, uint64_t *hpa, unsigned int *prot,
		    uint64_t *run);

/*
 * dev_view_prot - the IOMMU_READ / IOMMU_WRITE permissions of @action (0 for LEFT_OUT), as
 * iommu_map() takes them.
 */
unsigned int dev_view_prot(enum dev_view_action action);

/*
 * dev_view_format - one line (no newline) describing entry @e into @buf of @size bytes, always
 * NUL-terminated when @size > 0: "<name> <first>-<last> <kind>: <action> (<reason>)", e.g.
 * "bios 0xfffc0000-0xffffffff ROM: left out (SPR17: read-only range under a nesting parent,
 * iommu.ro_policy=skip)". Returns the length snprintf() would have written.
 */
int dev_view_format(char *buf, size_t size, const struct dev_view_entry *e);

/* dev_view_action_name - "map read-write", "map read-only", "left out". */
const char *dev_view_action_name(enum dev_view_action action);

/* dev_view_reason_text - a short explanation of @reason, e.g. "SPR17: ... ro_policy=skip". */
const char *dev_view_reason_text(enum dev_view_reason reason);

/* dev_view_policy_name - "skip", "refuse": the values of iommu.ro_policy. */
const char *dev_view_policy_name(enum iommu_ro_policy policy);

/* ---- Kernel only (vmm/dev_view_apply.c) ---- */

/*
 * dev_view_apply - program view @v of VM @vm_name (for logs) into the empty second-stage
 * domain @d: when @v says nesting parent, iommu_domain_set_nesting_parent() first (VT-d 9.6:
 * the domain's table becomes the SSPTPTR of PGTT = 011b entries); then iommu_map() of every
 * mapped range, gpa -> hpa, IOMMU_READ (| IOMMU_WRITE for read-write ranges). Logs one line per
 * range (VM, range, guest-physical range, kind, action, reason) and the nesting outcome.
 * Returns 0, -EINVAL for a NULL argument, or the first error of
 * iommu_domain_set_nesting_parent() (-EOPNOTSUPP: not a translated second-stage domain;
 * -EBUSY: it has mappings or devices) or iommu_map() (-EPERM: a read-only map on a nesting
 * parent while SPR17 is in force, i.e. @v was derived with spr17 false on such a unit; -EEXIST,
 * -ERANGE, -ENOMEM, -EIO, ...). On a map error every range mapped so far is unmapped again, so
 * @d is left without mappings (still a nesting parent if it became one: destroy it).
 */
int dev_view_apply(const struct dev_view *v, const char *vm_name, struct iommu_domain *d);

/*
 * dev_view_log_report - the view as a block of the boot report: a line with the nesting
 * outcome (SPR17, policy, the refusing range), then one line per range (dev_view_format()).
 */
void dev_view_log_report(const struct dev_view *v, const char *vm_name);

#endif
