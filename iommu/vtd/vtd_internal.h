/* SPDX-License-Identifier: MIT */
/* State shared by the VT-d files behind the IOMMU API (iommu/iommu.h). Not a public header. */
#ifndef SKIFF_IOMMU_VTD_INTERNAL_H
#define SKIFF_IOMMU_VTD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "iommu/iommu_driver.h"
#include "iommu/vtd/vtd_ir_source.h"
#include "iommu/vtd/vtd_pgtable.h"
#include "iommu/vtd/vtd_unit.h"
#include "kernel/bits.h"

#define VTD_BUSES	 256
#define VTD_MAX_ATTACHED 32 /* requester ids per domain (devices and their DMA aliases) */
#define VTD_MAX_DOMAINS	 64 /* live domains per unit */
#define VTD_RID_PASID	 0  /* the PASID skiff gives requests without one (scalable mode) */

struct vtd_domain;

/* One remapping unit skiff drives. */
struct vtd_state {
	struct vtd_unit unit;
	uint16_t segment;
	const struct pci_topology *pci; /* the platform's bridge tree (DMA aliases), or NULL */
	unsigned int haw_bits;		/* host address width (DMAR) */
	bool enabled;			/* TE is on */
	uint64_t root;			/* root table, 4 KiB */
	uint64_t context[VTD_BUSES][2]; /* context table(s) per bus; [1]: scalable devfn >= 128 */
	uint64_t *did_used;		/* bitmap of 2^caps.domain_bits domain ids */
	enum vtd_pgt_format format;	/* what translated domains of this unit use */
	bool spr17; /* erratum SPR17 in force (vtd_errata.h): no read-only leaf in nesting parents */
	/* per bus (allocated on first use): devfn -> the domain whose context entry it is (an
	 * attached device's requester id or one of its DMA aliases) */
	struct vtd_domain **owner[VTD_BUSES];
	uint64_t faults;	   /* fault records read */
	uint64_t log_window_start; /* fault log rate limit: this second's start (ns) */
	unsigned int log_lines, log_suppressed;
	struct vtd_domain *domains[VTD_MAX_DOMAINS]; /* live domains, for audit and faults */
};

/*
 * One requester id programmed for a domain: its context entry and, in scalable mode, its PASID
 * structures (one directory page, one table page, never shared). An attached device has one for
 * its own id and one for each DMA alias (vtd_dma_aliases()); devices of one domain behind the
 * same bridge share the alias's, which stays until the last of them is detached.
 */
struct vtd_attachment {
	struct pci_bdf bdf;		 /* the requester id's bus, device and function */
	uint64_t pasid_dir, pasid_table; /* 0 in legacy mode */
	unsigned int users;		 /* attached devices whose DMA carries this id */
	bool device;			 /* iommu_attach() named this function */
	unsigned int nr_aliases;	 /* when @device: its other ids, in @alias */
	uint16_t alias[VTD_DMA_ALIASES_MAX - 1];
};

/* A domain on a VT-d unit: the generic domain (type, nesting parent, faults) and VT-d's part. */
struct vtd_domain {
	struct iommu_domain dom;
	struct vtd_state *vs;
	uint16_t did;
	struct vtd_pgt pgt; /* translated domains only */
	unsigned int nr_attached;
	struct vtd_attachment attached[VTD_MAX_ATTACHED];
	bool spr17_logged; /* a read-only map refused under SPR17 was logged */
};

/* to_vtd_domain - the VT-d domain @d (made by vtd_domain_alloc()) is the generic part of. */
static inline struct vtd_domain *to_vtd_domain(struct iommu_domain *d)
{
	return container_of(d, struct vtd_domain, dom);
}

/* to_vtd_domain_const - to_vtd_domain() of a domain only read. */
static inline const struct vtd_domain *to_vtd_domain_const(const struct iommu_domain *d)
{
	return container_of(d, const struct vtd_domain, dom);
}

/* vtd_state_of - the state of unit @unit (DRHD index), NULL when skiff does not drive it. */
struct vtd_state *vtd_state_of(unsigned int unit);

/* vtd_state_enabled - whether skiff turned translation on for unit @unit (a DRHD index). */
bool vtd_state_enabled(unsigned int unit);

/* vtd_state_register - make @vs (translation on: @vs->enabled) the state of its unit
 * (@vs->unit.index, below DMAR_MAX_DRHD); vtd_state_of() finds it while it stays enabled. */
void vtd_state_register(struct vtd_state *vs);

/* vtd_sync - make [@pa, @pa + @len) of table memory visible to a unit whose page walks do not
 * snoop (ECAP.C = 0: clflush each line); nothing when they do. */
void vtd_sync(const struct vtd_state *vs, uint64_t pa, uint64_t len);

/* vtd_flush_domain_range - invalidate the IOTLB (first stage: PASID-based IOTLB) of @d for
 * [@start, @end), page-selective where CAP.PSI/MAMV allow, else domain-selective; @ih when only
 * leaves changed. One queue submission, one wait. */
int vtd_flush_domain_range(struct vtd_domain *d, uint64_t start, uint64_t end, bool ih);

#define VTD_SID_BUS_SHIFT  8	 /* requester id: bus 15:8 */
#define VTD_SID_DEV_SHIFT  3	 /* device 7:3 */
#define VTD_SID_DEVFN_MASK 0xffu /* device and function 7:0 */
#define VTD_SID_FN_MASK	   0x7u	 /* function 2:0 */

/* vtd_devfn - @bdf's device 7:3 and function 2:0, as context tables index them. */
static inline uint8_t vtd_devfn(struct pci_bdf bdf)
{
	return (uint8_t)(bdf.dev << VTD_SID_DEV_SHIFT | bdf.fn);
}

/* vtd_sid - the requester id of @bdf: bus 15:8, devfn 7:0. */
static inline uint16_t vtd_sid(struct pci_bdf bdf)
{
	return (uint16_t)(bdf.bus << VTD_SID_BUS_SHIFT | vtd_devfn(bdf));
}

/* vtd_sid_bdf - the bus, device and function of requester id @sid on @segment. */
static inline struct pci_bdf vtd_sid_bdf(uint16_t segment, uint16_t sid)
{
	return (struct pci_bdf){ .segment = segment,
				 .bus = (uint8_t)(sid >> VTD_SID_BUS_SHIFT),
				 .dev = (uint8_t)((sid & VTD_SID_DEVFN_MASK) >> VTD_SID_DEV_SHIFT),
				 .fn = (uint8_t)(sid & VTD_SID_FN_MASK) };
}

#endif
