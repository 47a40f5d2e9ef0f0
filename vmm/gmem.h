/* SPDX-License-Identifier: MIT */
/*
 * gmem: one VM's guest-physical memory map, the single source of truth from which both
 * translations are derived - the CPU view (EPT / NPT, vmm/cpu_view.h) and the device view (the
 * VM's IOMMU second stage, vmm/dev_view.h). Built once per VM: ranges are added, the map is
 * sealed (validated as a whole, sorted by guest-physical address) and never changes after.
 *
 * A range is one of:
 *   RAM             guest memory, read-write, backed by host frames;
 *   ROM             guest memory the guest may only read (firmware images, option ROMs),
 *                   backed by host frames;
 *   MMIO_PASSTHRU   a passthrough device's BAR, backed by the device's host MMIO;
 *   MMIO_EMULATED   registers skiff emulates: no host backing, accesses exit;
 *   MSI             the x86 interrupt window 0xFEE00000-0xFEEFFFFF exactly (Intel SDM vol. 3A
 *                   11.11.1; VT-d 3.15: DMA writes there are interrupt requests): no backing.
 * Rules (checked by gmem_add() and gmem_seal(), each refusal explained in gmem.why):
 *   - every address and size is 4 KiB aligned, sizes are not 0, nothing wraps or reaches past
 *     2^gpa_bits (guest) or 2^52 (host);
 *   - guest ranges do not overlap each other, and only an MSI range lies in the MSI window;
 *   - host backings do not overlap each other (no host frame is reachable through two guest
 *     addresses, so no range can alias another's memory);
 *   - a sealed map has the MSI window and at least one RAM range.
 * Holes (guest-physical space no range covers) are allowed; they are unmapped in both views,
 * and gmem_translate() refuses an access that touches one.
 * Pure: no allocation, no logging; runs on the host under tests.
 */
#ifndef SKIFF_VMM_GMEM_H
#define SKIFF_VMM_GMEM_H

#include <stdbool.h>
#include <stdint.h>

#define GMEM_PAGE_SIZE	  0x1000ull
#define GMEM_MAX_RANGES	  32
#define GMEM_NAME_LEN	  16
#define GMEM_WHY_LEN	  128
#define GMEM_HOST_BITS	  52 /* physical addresses are below 2^52 (Intel SDM vol. 3A 4.1.4) */
#define GMEM_MIN_GPA_BITS 32
#define GMEM_MAX_GPA_BITS 52
#define GMEM_NO_BACKING	  UINT64_MAX /* the @hpa of ranges without host memory */

enum gmem_kind {
	GMEM_RAM = 0,
	GMEM_ROM,
	GMEM_MMIO_PASSTHRU,
	GMEM_MMIO_EMULATED,
	GMEM_MSI,
	GMEM_NR_KINDS,
};

struct gmem_range {
	uint64_t gpa;  /* first guest-physical byte, 4 KiB aligned */
	uint64_t size; /* bytes, a multiple of 4 KiB */
	uint64_t hpa;  /* first host-physical byte of the backing, or GMEM_NO_BACKING */
	enum gmem_kind kind;
	char name[GMEM_NAME_LEN]; /* for logs: "ram0", "bios", "edu.bar0", ... */
};

struct gmem {
	unsigned int gpa_bits; /* guest-physical width: addresses below 2^gpa_bits */
	bool sealed;
	unsigned int nr; /* ranges in use; sorted by gpa once sealed */
	struct gmem_range range[GMEM_MAX_RANGES];
	char why[GMEM_WHY_LEN]; /* the last refusal, naming the range(s) and addresses */
};

/*
 * gmem_init - an empty map for a VM whose guest-physical addresses are below 2^@gpa_bits
 * (32..52). Returns 0 or -EINVAL.
 */
int gmem_init(struct gmem *g, unsigned int gpa_bits);

/*
 * gmem_add - add the range [@gpa, @gpa + @size) of @kind named @name (truncated to
 * GMEM_NAME_LEN - 1 characters), backed by host [@hpa, @hpa + @size) for RAM, ROM and
 * MMIO_PASSTHRU; @hpa must be GMEM_NO_BACKING for MMIO_EMULATED and MSI.
 * Returns 0, or (with g->why saying what and where):
 *   -EINVAL  misaligned or zero size, a bad kind or name, backing given or missing against the
 *            rule above, an MSI range that is not exactly the window, another kind in the window;
 *   -ERANGE  the guest range wraps or reaches 2^gpa_bits, the host range wraps or reaches 2^52;
 *   -EEXIST  the guest range overlaps a range already added, or the backing overlaps another
 *            range's backing;
 *   -ENOSPC  GMEM_MAX_RANGES ranges are in use;
 *   -EBUSY   the map is sealed.
 * A refused range leaves the map as it was.
 */
int gmem_add(struct gmem *g, enum gmem_kind kind, uint64_t gpa, uint64_t size, uint64_t hpa,
	     const char *name);

/*
 * gmem_seal - finish the map: sort ranges by gpa and check the whole-map rules.
 * Returns 0, -ENOENT (no MSI window or no RAM; g->why says which) or -EBUSY (sealed already).
 */
int gmem_seal(struct gmem *g);

/* gmem_find - the range holding guest-physical @gpa, or NULL (a hole, or beyond the map). */
const struct gmem_range *gmem_find(const struct gmem *g, uint64_t gpa);

/*
 * gmem_translate - the host-physical address of guest [@gpa, @gpa + @len) (@len > 0), which
 * must lie inside one backed range. Returns 0 and @hpa (and @range when not NULL), -ENOENT when
 * some byte lies in a hole, -EFAULT when it crosses ranges or the range has no backing,
 * -EINVAL for @len 0 or a wrap.
 */
int gmem_translate(const struct gmem *g, uint64_t gpa, uint64_t len, uint64_t *hpa,
		   const struct gmem_range **range);

/* gmem_kind_name - "RAM", "ROM", "passthrough MMIO", "emulated MMIO", "MSI window". */
const char *gmem_kind_name(enum gmem_kind kind);

/* gmem_is_backed - does @kind have host memory behind it (RAM, ROM, MMIO_PASSTHRU)? */
bool gmem_is_backed(enum gmem_kind kind);

#endif
