/* SPDX-License-Identifier: MIT */
/*
 * What each VT-d unit the DMAR lists is, read before anything is brought up (for the boot
 * report, and to tell a unit that answers from one that does not): VER_REG, CAP_REG and
 * ECAP_REG (VT-d 11.4.1-11.4.3), decoded by vtd_caps.h.
 */
#ifndef SKIFF_IOMMU_VTD_PROBE_H
#define SKIFF_IOMMU_VTD_PROBE_H

#include <stddef.h>
#include <stdint.h>

/*
 * vtd_probe - read the registers of DRHD @unit, mapped at @base, at the widths VT-d 11.4 gives
 * (VER 32 bits, CAP and ECAP 64), and keep them. Returns 0, or -EINVAL for a @unit beyond
 * DMAR_MAX_DRHD.
 */
int vtd_probe(unsigned int unit, uint64_t base);

/*
 * vtd_probe_describe - the boot report's words for probed unit @unit: "VT-d 1.0 CAP 0x...
 * ECAP 0x..." into @id and vtd_caps_describe()'s line into @caps (each NUL-terminated,
 * truncated to its size). Returns 0, or -ENODEV when vtd_probe() did not read @unit.
 */
int vtd_probe_describe(unsigned int unit, char *id, size_t id_size, char *caps, size_t caps_size);

#endif
