/* SPDX-License-Identifier: MIT */
/*
 * One VT-d remapping unit's registers: global command/status, root table pointer, the
 * invalidation queue and its wait, translation enable, and shutdown. Register widths follow
 * VT-d 11.4 (QEMU's model aborts on a wrong width).
 */
#ifndef SKIFF_IOMMU_VTD_UNIT_H
#define SKIFF_IOMMU_VTD_UNIT_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_inval.h"

#define VTD_POLL_TIMEOUT_US 1000000u /* every status poll gives up after 1 s */

enum vtd_mode {
	VTD_MODE_LEGACY,
	VTD_MODE_SCALABLE,
};

struct vtd_unit {
	unsigned int index; /* DRHD index in the DMAR table */
	uint64_t base;	    /* register base (mapped uncached) */
	struct vtd_caps caps;
	enum vtd_mode mode;
	uint64_t iq;	       /* invalidation queue: one 4 KiB page, physical address */
	uint32_t iq_tail;      /* byte offset of the next descriptor */
	uint32_t desc_size;    /* 16 (legacy) or 32 (scalable: IQA.DW = 1) */
	uint64_t wait_status;  /* physical address of the dword wait descriptors write */
	uint32_t wait_seq;     /* value the last wait descriptor writes */
	uint32_t queue_errors; /* IQE/ITE/ICE seen and recovered */
	bool use_qi;	       /* queued invalidation; else register-based (legacy mode only) */
};

/*
 * vtd_unit_init - describe the unit at @base (registers already mapped) and choose its mode:
 * scalable when ECAP.SMTS and @prefer_legacy is false, else legacy. Refuses, with one log line
 * naming the unit and the reason, a unit skiff cannot drive: no SAGAW level skiff's page tables
 * support (3, 4 or 5 levels), or scalable mode without queued invalidation. Invalidation is
 * queued when ECAP.QI, register-based (CCMD_REG, IOTLB_REG) otherwise, or in legacy mode when
 * @prefer_registers (for research). Translation left on by firmware is taken over.
 * Returns 0 or -ENODEV.
 */
int vtd_unit_init(struct vtd_unit *u, unsigned int index, uint64_t base, bool prefer_legacy,
		  bool prefer_registers);

/*
 * vtd_gcmd - set (@on) or clear one GCMD_REG bit (VT-d 11.4.4): the write keeps GSTS's other
 * persistent bits as they are, then GSTS is polled until it shows the change (one-shot
 * commands: until the status bit is set). Returns 0 or -ETIMEDOUT after VTD_POLL_TIMEOUT_US.
 */
int vtd_gcmd(struct vtd_unit *u, uint32_t bit, bool on);

/*
 * vtd_write_buffer_flush - GCMD.WBF, then poll until the unit clears GSTS.WBFS (VT-d 6.8,
 * 11.4.4, 11.4.5): what a unit with CAP.RWBF needs after table updates. vtd_gcmd() cannot do
 * it, since this status bit clears, not sets, when the command is done. Returns 0 or
 * -ETIMEDOUT after VTD_POLL_TIMEOUT_US.
 */
int vtd_write_buffer_flush(struct vtd_unit *u);

/*
 * vtd_set_root_table - program RTADDR_REG with @root (4 KiB aligned) and the unit's mode
 * (TTM 00 legacy, 01 scalable) and latch it with GCMD.SRTP (VT-d 11.4.6, 6.6).
 * Returns 0, -EINVAL for a misaligned pointer, -ETIMEDOUT.
 */
int vtd_set_root_table(struct vtd_unit *u, uint64_t root);

/*
 * vtd_qi_enable - set up a one-page invalidation queue (256-bit descriptors in scalable
 * mode) and turn queued invalidation on (VT-d 6.5.2). Returns 0, -ENOMEM, -ETIMEDOUT.
 */
int vtd_qi_enable(struct vtd_unit *u);

/*
 * vtd_invalidate - carry out @n invalidation descriptors. With queued invalidation: queue them
 * (widened to 256 bits in scalable mode) followed by one invalidation wait descriptor with a
 * status write, ring the tail once and wait for the status (one submission, one wait).
 * Register-based (legacy mode without QI): context-cache and IOTLB descriptors become
 * CCMD_REG / IOTLB_REG commands, each polled to completion; other types give -EOPNOTSUPP.
 * A descriptor the unit rejects (FSTS.IQE) is logged, replaced by the wait descriptor and the
 * queue resumes; ITE/ICE are logged and cleared; the call then returns -EIO (the queue stays
 * usable). Returns 0, -E2BIG when @n does not fit in the queue, -EIO, or -ETIMEDOUT.
 */
int vtd_invalidate(struct vtd_unit *u, const struct vtd_inv_desc *d, unsigned int n);

/* vtd_unit_disable - translation, interrupt remapping and queued invalidation off, in that
 * order (remapped interrupts need the queue for their cache invalidations while IRE is on):
 * the unit is left as firmware hands it over. */
void vtd_unit_disable(struct vtd_unit *u);

/* Register access at the widths VT-d 11.4 gives. */
uint32_t vtd_read32(const struct vtd_unit *u, uint32_t reg);
uint64_t vtd_read64(const struct vtd_unit *u, uint32_t reg);
void vtd_write32(const struct vtd_unit *u, uint32_t reg, uint32_t v);
void vtd_write64(const struct vtd_unit *u, uint32_t reg, uint64_t v);

#endif
