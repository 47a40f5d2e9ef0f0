/* SPDX-License-Identifier: MIT */
/*
 * VT-d errata skiff works around, decided per remapping unit. Pure: no logging, no allocation,
 * runs on the host (tests/unit/test_vtd_errata.c).
 *
 * SPR17 (Intel doc 772415, 4th Gen Xeon Scalable "Sapphire Rapids" specification update): in
 * nested translation (PASID entry PGTT = 011b, VT-d 9.6) the unit may set Accessed / Dirty (and
 * Extended Access) bits in first-stage paging entries even where the second stage maps the page
 * holding them read-only. The workaround: no read-only second-stage page under a nesting parent.
 * Like Linux, skiff treats the erratum as present on every unit that supports nesting
 * (ECAP.NEST), whatever the CPU; the CPU model only makes the log more precise.
 */
#ifndef SKIFF_IOMMU_VTD_ERRATA_H
#define SKIFF_IOMMU_VTD_ERRATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd/vtd_caps.h"

/* CPUID leaf 1 display family / model of Sapphire Rapids (Intel SDM vol. 4 table 2-1: 06_8FH). */
#define VTD_CPU_FAMILY_6	      0x6u
#define VTD_CPU_MODEL_SAPPHIRE_RAPIDS 0x8fu

/* The iommu.spr17= option. */
enum vtd_spr17_option {
	VTD_SPR17_AUTO = 0, /* present on every unit with ECAP.NEST (default) */
	VTD_SPR17_ON,	    /* present on every unit (research: the policy on units without NEST) */
	VTD_SPR17_OFF,	    /* never (research: unsafe under nesting) */
};

/* Why the decision came out the way it did. */
enum vtd_spr17_reason {
	VTD_SPR17_NESTING,    /* auto and ECAP.NEST: present */
	VTD_SPR17_NO_NEST,    /* auto without ECAP.NEST: not applicable */
	VTD_SPR17_FORCED_ON,  /* iommu.spr17=on */
	VTD_SPR17_FORCED_OFF, /* iommu.spr17=off */
};

/* The SPR17 decision for one unit. */
struct vtd_spr17 {
	bool present; /* in force: no read-only second-stage leaf under a nesting parent */
	enum vtd_spr17_reason reason;
	bool sapphire_rapids;	/* the CPU is family 6 model 0x8F */
	uint32_t family, model; /* CPUID leaf 1 display family / model, for the description */
};

/*
 * vtd_cpu_sapphire_rapids - whether CPUID leaf 1 display @family / @model (base plus extended
 * fields, Intel SDM vol. 2A CPUID) name Sapphire Rapids: family 6, model 0x8F.
 */
bool vtd_cpu_sapphire_rapids(uint32_t family, uint32_t model);

/*
 * vtd_spr17_decide - the SPR17 decision for the unit described by @caps, under @option, on a
 * CPU of display @family / @model: AUTO gives present exactly when ECAP.NEST = 1, ON always
 * present, OFF never. Returns 0, or -EINVAL (and *@out zeroed) for an unknown @option.
 */
int vtd_spr17_decide(enum vtd_spr17_option option, const struct vtd_caps *caps, uint32_t family,
		     uint32_t model, struct vtd_spr17 *out);

/*
 * vtd_spr17_describe - the decision and its reason as the boot log shows it, e.g.
 * "present (nesting supported; CPU: Sapphire Rapids 06_8FH)", "not applicable (no ECAP.NEST)",
 * "forced on by iommu.spr17=on", "FORCED OFF by iommu.spr17=off: ...". The CPU is written as
 * DisplayFamily_DisplayModel in hex (Intel SDM vol. 4 notation). Returns snprintf's result
 * (the untruncated length); @buf always ends in a NUL when @size > 0.
 */
int vtd_spr17_describe(const struct vtd_spr17 *s, char *buf, size_t size);

#endif
