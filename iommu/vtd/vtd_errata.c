// SPDX-License-Identifier: MIT
#include "iommu/vtd/vtd_errata.h"

#include <errno.h>
#include <stdio.h>

bool vtd_cpu_sapphire_rapids(uint32_t family, uint32_t model)
{
	return family == VTD_CPU_FAMILY_6 && model == VTD_CPU_MODEL_SAPPHIRE_RAPIDS;
}

int vtd_spr17_decide(enum vtd_spr17_option option, const struct vtd_caps *caps, uint32_t family,
		     uint32_t model, struct vtd_spr17 *out)
{
	*out = (struct vtd_spr17){
		.sapphire_rapids = vtd_cpu_sapphire_rapids(family, model),
		.family = family,
		.model = model,
	};
	switch (option) {
	case VTD_SPR17_AUTO:
		out->present = caps->nest;
		out->reason = caps->nest ? VTD_SPR17_NESTING : VTD_SPR17_NO_NEST;
		return 0;
	case VTD_SPR17_ON:
		out->present = true;
		out->reason = VTD_SPR17_FORCED_ON;
		return 0;
	case VTD_SPR17_OFF:
		out->reason = VTD_SPR17_FORCED_OFF;
		return 0;
	}
	*out = (struct vtd_spr17){ 0 };
	return -EINVAL;
}

int vtd_spr17_describe(const struct vtd_spr17 *s, char *buf, size_t size)
{
	switch (s->reason) {
	case VTD_SPR17_NESTING:
		return snprintf(buf, size, "present (nesting supported; CPU: %s%02X_%02XH%s)",
				s->sapphire_rapids ? "Sapphire Rapids " : "", s->family, s->model,
				s->sapphire_rapids ? "" : ", treated as affected as Linux does");
	case VTD_SPR17_NO_NEST:
		return snprintf(buf, size, "not applicable (no ECAP.NEST)");
	case VTD_SPR17_FORCED_ON:
		return snprintf(buf, size, "forced on by iommu.spr17=on");
	case VTD_SPR17_FORCED_OFF:
		return snprintf(buf, size,
				"FORCED OFF by iommu.spr17=off: read-only second-stage pages may "
				"be corrupted under nesting");
	}
	return snprintf(buf, size, "unknown reason %d", (int)s->reason);
}
