// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_unit.h"

#include <errno.h>
#include <string.h>

#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/time.h"

#define IQ_PAGE_SIZE   4096u
#define IQ_QS_ONE_PAGE 0u
#define DESC_128       16u
#define DESC_256       32u
#define POLL_STEP_US   1u

uint32_t vtd_read32(const struct vtd_unit *u, uint32_t reg)
{
	return *(volatile uint32_t *)(u->base + reg);
}

uint64_t vtd_read64(const struct vtd_unit *u, uint32_t reg)
{
	return *(volatile uint64_t *)(u->base + reg);
}

void vtd_write32(const struct vtd_unit *u, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(u->base + reg) = v;
}

void vtd_write64(const struct vtd_unit *u, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(u->base + reg) = v;
}

int vtd_unit_init(struct vtd_unit *u, unsigned int index, uint64_t base, bool prefer_legacy,
		  bool prefer_registers)
{
	static const uint8_t supported_sagaw = VTD_SAGAW_39 | VTD_SAGAW_48 | VTD_SAGAW_57;

	memset(u, 0, sizeof(*u));
	u->index = index;
	u->base = base;
	vtd_caps_decode(vtd_read32(u, VTD_VER_REG), vtd_read64(u, VTD_CAP_REG),
			vtd_read64(u, VTD_ECAP_REG), &u->caps);
	u->mode = u->caps.smts && !prefer_legacy ? VTD_MODE_SCALABLE : VTD_MODE_LEGACY;
	if (!(u->caps.sagaw & supported_sagaw)) {
		log_err("vtd%u: %#llx: no supported second-stage depth (SAGAW %#x); unit not used",
			index, (unsigned long long)base, u->caps.sagaw);
		return -ENODEV;
	}
	if (u->mode == VTD_MODE_SCALABLE && !u->caps.qi) {
		log_err("vtd%u: %#llx: scalable mode without queued invalidation; unit not used",
			index, (unsigned long long)base);
		return -ENODEV;
	}
	u->use_qi = u->caps.qi && !(prefer_registers && u->mode == VTD_MODE_LEGACY);
	if (prefer_registers && u->use_qi)
		log_warn(
			"vtd%u: register-based invalidation needs legacy mode; queued invalidation "
			"used",
			index);
	if (vtd_read32(u, VTD_GSTS_REG) & VTD_GCMD_TE)
		log_warn("vtd%u: %#llx: firmware left translation enabled; skiff takes it over",
			 index, (unsigned long long)base);
	u->desc_size = u->mode == VTD_MODE_SCALABLE ? DESC_256 : DESC_128;
	return 0;
}

/* Polls the 64-bit @reg until (value & @mask) == 0; -ETIMEDOUT after VTD_POLL_TIMEOUT_US. */
static int poll64_clear(const struct vtd_unit *u, uint32_t reg, uint64_t mask)
{
	uint64_t deadline = time_ns() + (uint64_t)VTD_POLL_TIMEOUT_US * 1000;

	while (vtd_read64(u, reg) & mask) {
		if (time_ns() > deadline)
			return -ETIMEDOUT;
		time_delay_us(POLL_STEP_US);
	}
	return 0;
}

/* Polls @reg until (value & @mask) == @want; -ETIMEDOUT after VTD_POLL_TIMEOUT_US. */
static int poll32(const struct vtd_unit *u, uint32_t reg, uint32_t mask, uint32_t want)
{
	uint64_t deadline = time_ns() + (uint64_t)VTD_POLL_TIMEOUT_US * 1000;

	while ((vtd_read32(u, reg) & mask) != want) {
		if (time_ns() > deadline)
			return -ETIMEDOUT;
		time_delay_us(POLL_STEP_US);
	}
	return 0;
}

int vtd_gcmd(struct vtd_unit *u, uint32_t bit, bool on)
{
	uint32_t persistent = vtd_read32(u, VTD_GSTS_REG) & VTD_GSTS_PERSISTENT & ~bit;
	int err;

	vtd_write32(u, VTD_GCMD_REG, persistent | (on ? bit : 0));
	err = poll32(u, VTD_GSTS_REG, bit, on ? bit : 0);
	if (err)
		log_err("vtd%u: GSTS did not show GCMD bit %#x %s within %u us", u->index, bit,
			on ? "set" : "clear", VTD_POLL_TIMEOUT_US);
	return err;
}

int vtd_write_buffer_flush(struct vtd_unit *u)
{
	uint32_t persistent = vtd_read32(u, VTD_GSTS_REG) & VTD_GSTS_PERSISTENT;
	int err;

	vtd_write32(u, VTD_GCMD_REG, persistent | VTD_GCMD_WBF);
	err = poll32(u, VTD_GSTS_REG, VTD_GCMD_WBF, 0);
	if (err)
		log_err("vtd%u: write-buffer flush (GSTS.WBFS) did not complete within %u us",
			u->index, VTD_POLL_TIMEOUT_US);
	return err;
}

int vtd_set_root_table(struct vtd_unit *u, uint64_t root)
{
	if (root & ~VTD_RTADDR_PTR_MASK)
		return -EINVAL;
	vtd_write64(u, VTD_RTADDR_REG,
		    root | (u->mode == VTD_MODE_SCALABLE ? VTD_RTADDR_TTM_SCALABLE :
							   VTD_RTADDR_TTM_LEGACY));
	return vtd_gcmd(u, VTD_GCMD_SRTP, true);
}

int vtd_qi_enable(struct vtd_unit *u)
{
	int err;

	if (!u->iq && (page_alloc_zeroed(&u->iq) || page_alloc_zeroed(&u->wait_status)))
		return -ENOMEM;
	u->iq_tail = 0;
	vtd_write64(u, VTD_IQT_REG, 0);
	vtd_write64(u, VTD_IQA_REG,
		    u->iq | (u->desc_size == DESC_256 ? VTD_IQA_DW_256 : 0) | IQ_QS_ONE_PAGE);
	err = vtd_gcmd(u, VTD_GCMD_QIE, true);
	return err;
}

/*
 * FSTS.IQE: the unit stopped at the descriptor IQH points to (VT-d 6.5.2.10). As Linux's
 * qi_check_fault() does, that descriptor is replaced by this submission's wait descriptor and
 * IQE cleared: the queue resumes from IQH. ITE/ICE (device-TLB invalidation errors) are
 * reported and cleared. Returns true when the submission can still complete.
 */
static bool recover_queue(struct vtd_unit *u, uint32_t fsts, const struct vtd_inv_desc *wait)
{
	uint64_t head = vtd_read64(u, VTD_IQH_REG) & VTD_IQT_QT_MASK;
	const uint64_t *d = (const uint64_t *)(u->iq + head);
	struct vtd_inv_desc256 wide;

	log_err("vtd%u: invalidation queue error%s%s%s at IQH %#llx: descriptor %016llx %016llx "
		"(IQERCD %#llx)",
		u->index, fsts & VTD_FSTS_IQE ? " IQE" : "", fsts & VTD_FSTS_ITE ? " ITE" : "",
		fsts & VTD_FSTS_ICE ? " ICE" : "", (unsigned long long)head,
		(unsigned long long)d[1], (unsigned long long)d[0],
		(unsigned long long)vtd_read64(u, VTD_IQERCD_REG));
	u->queue_errors++;
	if (fsts & VTD_FSTS_IQE) {
		vtd_inv_desc_widen(wait, &wide);
		memcpy((void *)(u->iq + head), &wide, u->desc_size);
	}
	vtd_write32(u, VTD_FSTS_REG, fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE));
	/* Hardware resumes once IQE is clear; QEMU 10 fetches only on a tail write, so the tail
	 * is written again (unchanged: harmless elsewhere). */
	vtd_write64(u, VTD_IQT_REG, u->iq_tail);
	return (fsts & VTD_FSTS_IQE) != 0;
}

/* Writes @d at the queue tail, 256 bits wide in scalable mode, and advances the tail. */
static void queue_desc(struct vtd_unit *u, const struct vtd_inv_desc *d)
{
	struct vtd_inv_desc256 wide;

	vtd_inv_desc_widen(d, &wide);
	memcpy((void *)(u->iq + u->iq_tail), &wide, u->desc_size);
	u->iq_tail = (u->iq_tail + u->desc_size) % IQ_PAGE_SIZE;
}

/* One descriptor as a register command (VT-d 11.4.7.1, 11.4.8.1): the same fields, moved. */
static int register_invalidate(struct vtd_unit *u, const struct vtd_inv_desc *d)
{
	uint64_t type = d->lo & VTD_INV_TYPE_MASK;
	uint64_t g = (d->lo & VTD_INV_G_MASK) >> VTD_INV_G_SHIFT;
	uint64_t did = (d->lo & VTD_INV_DID_MASK) >> VTD_INV_DID_SHIFT;
	uint32_t iotlb = VTD_ECAP_IRO(u->caps.ecap) * VTD_IRO_UNIT;

	switch (type) {
	case VTD_INV_TYPE_CC:
		vtd_write64(u, VTD_CCMD_REG,
			    VTD_CCMD_ICC | g << VTD_CCMD_CIRG_SHIFT |
				    ((d->lo & VTD_INV_CC_FM_MASK) >> VTD_INV_CC_FM_SHIFT)
					    << VTD_CCMD_FM_SHIFT |
				    ((d->lo & VTD_INV_CC_SID_MASK) >> VTD_INV_CC_SID_SHIFT)
					    << VTD_CCMD_SID_SHIFT |
				    did);
		return poll64_clear(u, VTD_CCMD_REG, VTD_CCMD_ICC);
	case VTD_INV_TYPE_IOTLB:
		if (g == VTD_IOTLB_G_PAGE)
			vtd_write64(u, iotlb + VTD_IVA_OFFSET, d->hi & VTD_IVA_MASK);
		vtd_write64(u, iotlb + VTD_IOTLB_OFFSET,
			    VTD_IOTLB_IVT | g << VTD_IOTLB_IIRG_SHIFT |
				    (d->lo & VTD_INV_IOTLB_DR ? VTD_IOTLB_DR : 0) |
				    (d->lo & VTD_INV_IOTLB_DW ? VTD_IOTLB_DW : 0) |
				    did << VTD_IOTLB_DID_SHIFT);
		return poll64_clear(u, iotlb + VTD_IOTLB_OFFSET, VTD_IOTLB_IVT);
	default:
		return -EOPNOTSUPP;
	}
}

int vtd_invalidate(struct vtd_unit *u, const struct vtd_inv_desc *d, unsigned int n)
{
	uint32_t slots = IQ_PAGE_SIZE / u->desc_size;
	volatile uint32_t *status = (volatile uint32_t *)u->wait_status;
	struct vtd_inv_desc wait;
	uint64_t deadline;
	bool failed = false;
	int err;

	if (!u->use_qi) {
		for (unsigned int i = 0; i < n; i++) {
			err = register_invalidate(u, &d[i]);
			if (err) {
				log_err("vtd%u: register-based invalidation of a type %llu "
					"descriptor failed: %s",
					u->index, (unsigned long long)(d[i].lo & VTD_INV_TYPE_MASK),
					strerror(-err));
				return err;
			}
		}
		return 0;
	}
	/* One slot always stays empty, so a full queue is never mistaken for an empty one. */
	if (n + 1 > slots - 1)
		return -E2BIG;
	u->wait_seq++;
	*status = 0;
	err = vtd_inval_wait(&wait, &u->caps, VTD_INV_WAIT_SW, u->wait_seq, u->wait_status);
	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++)
		queue_desc(u, &d[i]);
	queue_desc(u, &wait);
	__asm__ volatile("" ::: "memory");
	vtd_write64(u, VTD_IQT_REG, u->iq_tail);

	deadline = time_ns() + (uint64_t)VTD_POLL_TIMEOUT_US * 1000;
	while (*status != u->wait_seq) {
		uint32_t fsts = vtd_read32(u, VTD_FSTS_REG);

		if (fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE)) {
			failed = true;
			if (!recover_queue(u, fsts, &wait))
				return -EIO;
		}
		if (time_ns() > deadline) {
			log_err("vtd%u: invalidation wait %u not done within %u us", u->index,
				u->wait_seq, VTD_POLL_TIMEOUT_US);
			return -ETIMEDOUT;
		}
		time_delay_us(POLL_STEP_US);
	}
	return failed ? -EIO : 0;
}

void vtd_unit_disable(struct vtd_unit *u)
{
	uint32_t gsts = vtd_read32(u, VTD_GSTS_REG);

	if (gsts & VTD_GCMD_TE)
		vtd_gcmd(u, VTD_GCMD_TE, false);
	if (gsts & VTD_GCMD_IRE)
		vtd_gcmd(u, VTD_GCMD_IRE, false);
	if (gsts & VTD_GCMD_QIE)
		vtd_gcmd(u, VTD_GCMD_QIE, false);
}
