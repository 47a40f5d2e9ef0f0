// SPDX-License-Identifier: MIT
/*
 * selftest=vtd. Each check makes QEMU's edu device DMA through skiff's tables and compares
 * what happened in memory and in the fault recording registers with what skiff programmed.
 * edu's buffer is not visible to the CPU: data goes RAM -> device -> RAM, and the second leg
 * shows where the first one read.
 */
#include "iommu/vtd/vtd_selftest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/edu/edu.h"
#include "iommu/iommu.h"
#include "iommu/vtd/vtd_fault.h"
#include "iommu/vtd/vtd_fault_event.h"
#include "iommu/vtd/vtd_internal.h"
#include "iommu/vtd/vtd_ir_source.h"
#include "iommu/vtd/vtd_live_tables.h"
#include "iommu/vtd/vtd_regs.h"
#include "kernel/check.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define MAX_EDU	     2
#define IOVA_SRC     0x10000000ull /* the pattern, read-only */
#define IOVA_RO	     0x10200000ull /* a read-only page the device writes to */
#define IOVA_HOLE    0x10400000ull /* never mapped */
#define IOVA_X	     0x10600000ull /* the second domain's page */
#define IOVA_2M	     0x20000000ull /* 2 MiB aligned */
#define IOVA_1G	     0x40000000ull /* 1 GiB aligned: maps physical [0, 1 GiB) */
#define OFFSET_IN_2M 0x1ff040ull
#define SIZE_2M	     (2ull << 20)
#define SIZE_1G	     (1ull << 30)
#define FRAMES_2M    (SIZE_2M / PAGE_SIZE_4K)
#define XFER	     256u /* bytes per DMA */

struct vtd_test {
	struct platform *p;
	unsigned int nr_edu;
	struct edu edu[MAX_EDU];
	unsigned int unit[MAX_EDU];
	struct iommu_domain *dom[MAX_EDU];
	uint16_t rid[MAX_EDU][VTD_DMA_ALIASES_MAX]; /* own id first, the one the unit sees last */
	int nr_rids[MAX_EDU];
	uint64_t src, dst, decoy, ro, dst2, p2;
	struct vtd_fault_log faults;
};

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 29 + 3);
}

static void fill_pattern(uint64_t pa)
{
	for (uint32_t i = 0; i < PAGE_SIZE_4K; i++)
		((uint8_t *)pa)[i] = pattern(i);
}

/* Bytes of [pa, pa + n) that differ from the pattern (from offset 0 of the pattern). */
static uint32_t pattern_mismatch(uint64_t pa, uint32_t n)
{
	uint32_t bad = 0;

	for (uint32_t i = 0; i < n; i++)
		bad += ((const uint8_t *)pa)[i] != pattern(i);
	return bad;
}

static bool all_zero(uint64_t pa, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (((const uint8_t *)pa)[i])
			return false;
	return true;
}

static unsigned int collect_faults(struct vtd_test *t)
{
	return vtd_fault_take_log(&t->faults);
}

/* The requester id edu @i's DMA reaches the unit with (its topmost DMA alias, QEMU 10). */
static uint16_t seen_sid(const struct vtd_test *t, unsigned int i)
{
	return t->rid[i][t->nr_rids[i] - 1];
}

static struct pci_bdf sid_bdf(const struct vtd_test *t, unsigned int i, uint16_t sid)
{
	return vtd_sid_bdf(t->edu[i].bdf.segment, sid);
}

/* The device's buffer gets the pattern through IOVA_SRC of its own domain. */
static int load_pattern(struct vtd_test *t, unsigned int i)
{
	return edu_dma(&t->edu[i], EDU_FROM_RAM, IOVA_SRC, 0, XFER);
}

static bool find_edus(struct vtd_test *t)
{
	for (int i = -1; t->nr_edu < MAX_EDU;) {
		i = edu_find(t->p->pci, (unsigned int)(i + 1), vtd_state_enabled,
			     &t->edu[t->nr_edu]);
		if (i < 0)
			break;
		t->nr_rids[t->nr_edu] =
			vtd_dma_aliases(t->p->pci, i, t->rid[t->nr_edu], VTD_DMA_ALIASES_MAX);
		if (t->nr_rids[t->nr_edu] < 1)
			continue;
		t->unit[t->nr_edu++] = (unsigned int)t->p->pci->devices[i].unit;
	}
	return check(t->nr_edu > 0, "vtd.edu_found",
		     "no edu device (1234:11e8) under an enabled remapping unit");
}

static bool alloc_pages(struct vtd_test *t)
{
	uint64_t *pages[] = { &t->src, &t->dst, &t->decoy, &t->ro, &t->dst2, &t->p2 };

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (page_alloc_zeroed(pages[i]))
			return false;
	fill_pattern(t->src);
	return true;
}

static int setup_domain(struct vtd_test *t, unsigned int i)
{
	int err = iommu_domain_create(t->unit[i], IOMMU_DOMAIN_TRANSLATED, 0, &t->dom[i]);

	if (!err)
		err = iommu_attach(t->dom[i], t->edu[i].bdf);
	if (!err)
		err = iommu_map(t->dom[i], IOVA_SRC, t->src, PAGE_SIZE_4K, IOMMU_READ);
	return err;
}

/* The walker, run on the live tables, must predict the page the device reached. */
static void check_prediction(struct vtd_test *t, const char *name, uint64_t iova,
			     unsigned int access, uint64_t want_pa)
{
	struct vtd_walk_result r;
	int err = vtd_live_predict(t->unit[0], sid_bdf(t, 0, seen_sid(t, 0)), iova, access, &r);

	check(!err && r.pa == want_pa, name,
	      "walker: err %d, pa %#llx (reason %#x), the device reached %#llx", err,
	      (unsigned long long)r.pa, r.reason, (unsigned long long)want_pa);
}

/* RAM -> device through IOVA_SRC, device -> RAM through an IOVA equal to the decoy's physical
 * address: the data must land in dst, the decoy must stay untouched. */
static void check_round_trip(struct vtd_test *t)
{
	int err = iommu_map(t->dom[0], t->decoy, t->dst, PAGE_SIZE_4K, IOMMU_RW);
	uint32_t bad = 0;
	unsigned int nf;

	if (!err)
		err = load_pattern(t, 0);
	if (!err)
		err = edu_dma(&t->edu[0], EDU_TO_RAM, t->decoy, 0, XFER);
	nf = collect_faults(t);
	if (!err)
		bad = pattern_mismatch(t->dst, XFER);
	check(!err && !bad && !nf, "vtd.dma_round_trip",
	      "err %d, %u of %u bytes differ at the translated page, %u faults", err, bad, XFER,
	      nf);
	check(all_zero(t->decoy, PAGE_SIZE_4K), "vtd.decoy_untouched",
	      "the page at physical == IOVA %#llx was written", (unsigned long long)t->decoy);
	check_prediction(t, "vtd.walker_round_trip", t->decoy, VTD_WALK_W, t->dst);
}

/*
 * Where QEMU 10 records a different reason than VT-d 7.1-7.2 gives (as skiff's walker reads the
 * spec): its second-stage walk reports the legacy codes in scalable mode too. Each pair is
 * named when met; any other disagreement fails. See docs/qemu-vtd-notes.md.
 */
static const struct {
	uint8_t spec, qemu;
	const char *what;
} qemu_deviations[] = {
	{ VTD_FR_SM_NO_WRITE, VTD_FR_NO_WRITE, "second-stage write permission" },
	{ VTD_FR_SM_NO_READ, VTD_FR_NO_READ, "second-stage read permission" },
	{ VTD_FR_SM_SS_PERM, VTD_FR_NO_READ, "second-stage entry not present, read" },
	{ VTD_FR_SM_SS_PERM, VTD_FR_NO_WRITE, "second-stage entry not present, write" },
	{ VTD_FR_SM_CTX_NOT_PRESENT, VTD_FR_CTX_NOT_PRESENT, "scalable context entry not present" },
};

/* "<name>.walker": the reason the walker predicted is the one the unit recorded. */
static void check_reason(struct vtd_test *t, const char *name, int predicted,
			 const struct vtd_walk_result *r, uint8_t recorded)
{
	char full[64];
	const char *known = NULL;
	bool scalable = vtd_state_of(t->unit[0])->unit.mode == VTD_MODE_SCALABLE;

	snprintf(full, sizeof(full), "%s.walker", name);
	for (size_t i = 0; scalable && i < sizeof(qemu_deviations) / sizeof(qemu_deviations[0]);
	     i++)
		if (qemu_deviations[i].spec == r->reason && qemu_deviations[i].qemu == recorded)
			known = qemu_deviations[i].what;
	if (known && predicted == -EFAULT)
		log_info(
			"vtd: %s: the walker predicts %#x, QEMU records %#x (known QEMU deviation: "
			"%s)",
			full, r->reason, recorded, known);
	check(predicted == -EFAULT && (r->reason == recorded || known), full,
	      "walker: %d, predicted reason %#x, recorded %#x", predicted, r->reason, recorded);
}

/* One DMA that must be blocked: exactly one fault from edu @i at @iova, with @access. */
static void check_blocked(struct vtd_test *t, const char *name, unsigned int i,
			  enum edu_direction dir, uint64_t iova, uint64_t untouched)
{
	struct vtd_walk_result r;
	uint16_t sid = seen_sid(t, i);
	int predicted = vtd_live_predict(t->unit[i], sid_bdf(t, i, sid), iova,
					 dir == EDU_TO_RAM ? VTD_WALK_W : VTD_WALK_R, &r);
	int err = edu_dma(&t->edu[i], dir, iova, 0, XFER);
	unsigned int nf = collect_faults(t);
	const struct vtd_fault *f = &t->faults.f[0];
	enum vtd_fault_access want = dir == EDU_TO_RAM ? VTD_FAULT_WRITE : VTD_FAULT_READ;
	char text[128] = "";

	if (nf)
		vtd_fault_describe(f, text, sizeof(text));
	check(!err && nf == 1 && f->sid == sid && f->addr == iova && f->access == want &&
		      vtd_fault_reason_name(f->reason) &&
		      (!untouched || all_zero(untouched, PAGE_SIZE_4K)),
	      name, "err %d, %u fault(s) (first: %s), expected one %s fault at %#llx from %04x%s",
	      err, nf, nf ? text : "none", want == VTD_FAULT_WRITE ? "write" : "read",
	      (unsigned long long)iova, sid,
	      untouched && !all_zero(untouched, PAGE_SIZE_4K) ? "; the page was written" : "");
	check_reason(t, name, predicted, &r, nf ? f->reason : 0);
}

static void check_faults(struct vtd_test *t)
{
	uint64_t before = iommu_domain_faults(t->dom[0]), interrupts = vtd_fault_interrupts();
	int err = iommu_map(t->dom[0], IOVA_RO, t->ro, PAGE_SIZE_4K, IOMMU_READ);

	check(!err, "vtd.map_read_only", "map: %d", err);
	check_blocked(t, "vtd.write_to_read_only_blocked", 0, EDU_TO_RAM, IOVA_RO, t->ro);
	check_blocked(t, "vtd.read_unmapped_blocked", 0, EDU_FROM_RAM, IOVA_HOLE, 0);
	check(iommu_domain_faults(t->dom[0]) == before + 2, "vtd.faults_counted",
	      "domain %u counted %llu faults, expected %llu", iommu_domain_hwid(t->dom[0]),
	      (unsigned long long)iommu_domain_faults(t->dom[0]), (unsigned long long)before + 2);
	check(vtd_fault_interrupts() >= interrupts + 2, "vtd.fault_interrupt",
	      "%llu fault event interrupts for 2 faults",
	      (unsigned long long)(vtd_fault_interrupts() - interrupts));
}

/* A large mapping used at an offset inside it; @target is the page the DMA must reach. */
static void check_large(struct vtd_test *t, const char *name, uint64_t iova, uint64_t pa,
			uint64_t size, uint64_t offset, uint64_t target)
{
	uint64_t got_pa = 0, leaf = 0;
	unsigned int prot, nf;
	int err = iommu_map(t->dom[0], iova, pa, size, IOMMU_RW);
	uint32_t bad = XFER;

	if (!err)
		err = iommu_translate(t->dom[0], iova + offset, &got_pa, &leaf, &prot);
	if (!err && leaf == size)
		err = load_pattern(t, 0);
	if (!err && leaf == size)
		err = edu_dma(&t->edu[0], EDU_TO_RAM, iova + offset, 0, XFER);
	nf = collect_faults(t);
	if (!err && leaf == size)
		bad = pattern_mismatch(target, XFER);
	check(!err && leaf == size && got_pa == pa + offset && !bad && !nf, name,
	      "err %d, leaf %#llx (expected %#llx), %u bytes differ, %u faults", err,
	      (unsigned long long)leaf, (unsigned long long)size, bad, nf);
	if (iommu_unmap(t->dom[0], iova, size) != (int64_t)size)
		check(false, name, "unmap of the large page failed");
}

static void check_large_pages(struct vtd_test *t)
{
	uint64_t big;
	const struct vtd_caps *c = &vtd_state_of(t->unit[0])->unit.caps;
	bool fs = c->fsts && !c->ssts;
	bool has_1g = fs ? c->fs1gp : (c->sllps & VTD_SLLPS_1G);

	if (!pmm_alloc(&kernel_pmm, FRAMES_2M, FRAMES_2M, &big)) {
		memset((void *)big, 0, SIZE_2M);
		check_large(t, "vtd.large_2m", IOVA_2M, big, SIZE_2M, OFFSET_IN_2M,
			    big + OFFSET_IN_2M);
		pmm_free(&kernel_pmm, big, FRAMES_2M);
	} else {
		check(false, "vtd.large_2m", "no 2 MiB of contiguous memory");
	}
	if (!has_1g) {
		log_info(
			"vtd: the unit offers no 1 GiB pages for this stage; vtd.large_1g not run");
		return;
	}
	/* Physical [0, 1 GiB) holds dst2: the DMA writes that page and nothing else. */
	memset((void *)t->dst2, 0, PAGE_SIZE_4K);
	check_large(t, "vtd.large_1g", IOVA_1G, 0, SIZE_1G, t->dst2, t->dst2);
}

/* Point the round trip's IOVA at another page: after the invalidation the DMA follows. */
static void check_remap(struct vtd_test *t)
{
	int64_t n = iommu_unmap(t->dom[0], t->decoy, PAGE_SIZE_4K);
	int err = n == (int64_t)PAGE_SIZE_4K ? 0 : (int)n;
	uint32_t bad = XFER;

	memset((void *)t->dst, 0, PAGE_SIZE_4K);
	memset((void *)t->dst2, 0, PAGE_SIZE_4K);
	if (!err)
		err = iommu_map(t->dom[0], t->decoy, t->dst2, PAGE_SIZE_4K, IOMMU_RW);
	if (!err)
		err = load_pattern(t, 0);
	if (!err)
		err = edu_dma(&t->edu[0], EDU_TO_RAM, t->decoy, 0, XFER);
	if (!err)
		bad = pattern_mismatch(t->dst2, XFER);
	check(!err && !bad && all_zero(t->dst, PAGE_SIZE_4K) && all_zero(t->decoy, PAGE_SIZE_4K),
	      "vtd.remap_invalidated", "err %d, %u bytes differ in the new page, old page %s", err,
	      bad, all_zero(t->dst, PAGE_SIZE_4K) ? "clean" : "written");
	collect_faults(t);
}

/* Two devices, two domains: IOVA_X exists only in the second; the first cannot reach it. */
static void check_isolation(struct vtd_test *t)
{
	int err;

	if (t->nr_edu < 2) {
		log_info("vtd: one edu device: vtd.isolation not run (add a second -device edu)");
		return;
	}
	err = setup_domain(t, 1);
	if (!err)
		err = iommu_map(t->dom[1], IOVA_X, t->p2, PAGE_SIZE_4K, IOMMU_RW);
	check(!err && iommu_domain_hwid(t->dom[0]) != iommu_domain_hwid(t->dom[1]),
	      "vtd.second_domain", "err %d, domain ids %u and %u", err,
	      iommu_domain_hwid(t->dom[0]), iommu_domain_hwid(t->dom[1]));
	if (err)
		return;
	check_blocked(t, "vtd.isolation_blocked", 0, EDU_TO_RAM, IOVA_X, t->p2);
	err = load_pattern(t, 1);
	if (!err)
		err = edu_dma(&t->edu[1], EDU_TO_RAM, IOVA_X, 0, XFER);
	check(!err && !pattern_mismatch(t->p2, XFER) && !collect_faults(t), "vtd.isolation_owner",
	      "err %d: the second device did not reach its own page", err);
}

/* Whether the walker, on the live tables, sends a write from requester id @sid at @iova to @pa. */
static bool walks_to(struct vtd_test *t, unsigned int i, uint16_t sid, uint64_t iova, uint64_t pa)
{
	struct vtd_walk_result r;

	return !vtd_live_predict(t->unit[i], sid_bdf(t, i, sid), iova, VTD_WALK_W, &r) &&
	       r.pa == pa;
}

/* The second edu when it sits behind a bridge that takes ownership of its requests. */
static bool bridged(const struct vtd_test *t)
{
	if (t->nr_edu > 1 && t->dom[1] && t->nr_rids[1] > 1)
		return true;
	log_info("vtd: no second edu behind a PCIe-to-PCI bridge: vtd.bridge_* not run");
	return false;
}

/*
 * The bridged edu's domain holds a context entry for its own id and one for each DMA alias
 * (here QEMU's: secondary bus, 00.0): its DMA goes through the alias, a fault names the alias
 * and is counted for its domain, and the alias cannot go to another domain.
 */
static void check_bridge_attached(struct vtd_test *t)
{
	uint16_t sid;
	struct pci_bdf alias;
	struct iommu_domain *other;
	uint64_t before;
	int err, busy_alias = 0, busy_dev = 0;
	bool all = true;

	if (!bridged(t))
		return;
	sid = seen_sid(t, 1);
	alias = sid_bdf(t, 1, sid);
	log_info("vtd: edu %02x:%02x.%x behind a bridge: %d requester ids, the unit sees %04x",
		 t->edu[1].bdf.bus, t->edu[1].bdf.dev, t->edu[1].bdf.fn, t->nr_rids[1], sid);
	for (int k = 0; k < t->nr_rids[1]; k++)
		all = all && walks_to(t, 1, t->rid[1][k], IOVA_X, t->p2);
	check(all && !walks_to(t, 0, seen_sid(t, 0), IOVA_X, t->p2), "vtd.bridge_alias_entries",
	      "not every id of the bridged edu walks to its domain's page (or the other does)");
	memset((void *)t->p2, 0, PAGE_SIZE_4K);
	err = load_pattern(t, 1);
	if (!err)
		err = edu_dma(&t->edu[1], EDU_TO_RAM, IOVA_X, 0, XFER);
	check(!err && !pattern_mismatch(t->p2, XFER) && !collect_faults(t), "vtd.bridge_dma",
	      "err %d: DMA through the alias did not land in the domain's page", err);
	before = iommu_domain_faults(t->dom[1]);
	check_blocked(t, "vtd.bridge_fault_alias_rid", 1, EDU_FROM_RAM, IOVA_HOLE, 0);
	check(iommu_domain_faults(t->dom[1]) == before + 1, "vtd.bridge_fault_attributed",
	      "domain %u counted %llu faults, expected %llu", iommu_domain_hwid(t->dom[1]),
	      (unsigned long long)iommu_domain_faults(t->dom[1]), (unsigned long long)before + 1);
	err = iommu_domain_create(t->unit[1], IOMMU_DOMAIN_TRANSLATED, 0, &other);
	if (!err) {
		busy_alias = iommu_attach(other, alias);
		busy_dev = iommu_attach(other, t->edu[1].bdf);
		iommu_domain_destroy(other);
	}
	check(!err && busy_alias == -EBUSY && busy_dev == -EBUSY &&
		      walks_to(t, 1, sid, IOVA_X, t->p2),
	      "vtd.bridge_alias_busy",
	      "domain: %d; the alias to another domain: %d, the device: %d (expected -EBUSY)", err,
	      busy_alias, busy_dev);
}

/*
 * Detach clears every id: the DMA is blocked with a fault naming the alias, counted for no
 * domain. An alias owned elsewhere makes the attach fail with nothing programmed.
 */
static void check_bridge_detach(struct vtd_test *t)
{
	uint16_t sid;
	struct iommu_domain *other;
	uint64_t before;
	int err, busy = 0, own = 0;
	bool none = true;

	if (!bridged(t))
		return;
	sid = seen_sid(t, 1);
	memset((void *)t->p2, 0, PAGE_SIZE_4K);
	before = iommu_domain_faults(t->dom[1]);
	err = iommu_detach(t->dom[1], t->edu[1].bdf);
	for (int k = 0; k < t->nr_rids[1]; k++)
		none = none && !walks_to(t, 1, t->rid[1][k], IOVA_X, t->p2);
	check(!err && none && iommu_detach(t->dom[1], t->edu[1].bdf) == -ENOENT,
	      "vtd.bridge_detach", "detach: %d; %s", err,
	      none ? "detached twice" : "an id still walks to the domain's page");
	check_blocked(t, "vtd.bridge_blocked_after_detach", 1, EDU_TO_RAM, IOVA_X, t->p2);
	check(iommu_domain_faults(t->dom[1]) == before, "vtd.bridge_detached_fault_unattributed",
	      "the detached domain %u counted a fault", iommu_domain_hwid(t->dom[1]));
	err = iommu_domain_create(t->unit[1], IOMMU_DOMAIN_TRANSLATED, 0, &other);
	if (!err) {
		err = iommu_attach(other, sid_bdf(t, 1, sid));
		busy = iommu_attach(t->dom[1], t->edu[1].bdf);
		own = walks_to(t, 1, t->rid[1][0], IOVA_X, t->p2) ||
		      iommu_detach(t->dom[1], t->edu[1].bdf) != -ENOENT;
		iommu_domain_destroy(other);
	}
	check(!err && busy == -EBUSY && !own, "vtd.bridge_busy_nothing_programmed",
	      "alias to another domain: %d; then the device: %d (expected -EBUSY)%s", err, busy,
	      own ? ", its own id was programmed" : "");
}

/* A descriptor the unit must reject (PASID-based IOTLB with the reserved granularity 00b,
 * VT-d 6.5.2.4; QEMU 10 sets FSTS.IQE for it): the error is reported, the queue recovered, and
 * the next submission works. */
static void check_queue_recovery(struct vtd_test *t)
{
	struct vtd_state *vs = vtd_state_of(t->unit[0]);
	const struct vtd_inv_desc bad = { .lo = VTD_INV_TYPE_PIOTLB };
	struct vtd_inv_desc good;
	uint32_t errors_before;
	int err, again;

	if (!vs || vs->unit.mode != VTD_MODE_SCALABLE) {
		log_info("vtd: legacy mode has no PASID-based descriptors: "
			 "vtd.queue_error_recovered not run");
		return;
	}
	errors_before = vs->unit.queue_errors;
	err = vtd_invalidate(&vs->unit, &bad, 1);
	again = vtd_inval_iotlb(&good, &vs->unit.caps, VTD_IOTLB_G_GLOBAL, 0, 0, 0, false);
	if (!again)
		again = vtd_invalidate(&vs->unit, &good, 1);
	check(err == -EIO && vs->unit.queue_errors == errors_before + 1 && !again,
	      "vtd.queue_error_recovered",
	      "invalid descriptor: %d (expected -EIO), errors %u -> %u, next submission %d", err,
	      errors_before, vs->unit.queue_errors, again);
}

/* After detach the device is blocked again, and domains go away cleanly. */
static void check_teardown(struct vtd_test *t)
{
	int err = iommu_detach(t->dom[0], t->edu[0].bdf);

	check(!err, "vtd.detach", "detach: %d", err);
	if (!err)
		check_blocked(t, "vtd.blocked_after_detach", 0, EDU_FROM_RAM, IOVA_SRC, 0);
	for (unsigned int i = 0; i < MAX_EDU; i++)
		if (t->dom[i])
			iommu_domain_destroy(t->dom[i]);
}

void vtd_selftest(struct platform *p)
{
	static struct vtd_test t;
	int err;

	memset(&t, 0, sizeof(t));
	t.p = p;
	if (!find_edus(&t))
		return;
	if (!check(alloc_pages(&t), "vtd.pages", "no memory for the test pages"))
		return;
	collect_faults(&t);
	err = setup_domain(&t, 0);
	if (!check(!err, "vtd.attach", "domain for %02x:%02x.%x: %d", t.edu[0].bdf.bus,
		   t.edu[0].bdf.dev, t.edu[0].bdf.fn, err))
		return;
	check_round_trip(&t);
	check_faults(&t);
	check_large_pages(&t);
	check_remap(&t);
	check_isolation(&t);
	check_bridge_attached(&t);
	check(vtd_live_audit() == 0, "vtd.audit_clean",
	      "the audit found violations (logged above)");
	check_bridge_detach(&t);
	check_queue_recovery(&t);
	check_teardown(&t);
}
