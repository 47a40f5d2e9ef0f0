// SPDX-License-Identifier: MIT
/*
 * The CPU view derived from a sealed gmem: the table of rules in cpu_view.h, applied range by
 * range. The only place that decides what the guest's processors may do with each kind of
 * guest-physical memory.
 */
#include "vmm/cpu_view.h"

#include <errno.h>
#include <stddef.h>

struct cpu_rule {
	bool mapped;
	enum cpu_view_kind kind;
	uint32_t perms;
	enum cpu_memtype memtype;
	const char *absent_why; /* when not mapped */
};

static const struct cpu_rule rules[GMEM_NR_KINDS] = {
	[GMEM_RAM] = { .mapped = true,
		       .kind = CPU_VIEW_RAM,
		       .perms = CPU_PERM_R | CPU_PERM_W | CPU_PERM_X,
		       .memtype = CPU_MT_WB },
	[GMEM_ROM] = { .mapped = true,
		       .kind = CPU_VIEW_ROM,
		       .perms = CPU_PERM_R | CPU_PERM_X,
		       .memtype = CPU_MT_WB },
	[GMEM_MMIO_PASSTHRU] = { .mapped = true,
				 .kind = CPU_VIEW_MMIO,
				 .perms = CPU_PERM_R | CPU_PERM_W,
				 .memtype = CPU_MT_UC },
	[GMEM_MMIO_EMULATED] = { .absent_why = "emulated MMIO: every access exits to skiff" },
	[GMEM_MSI] = { .absent_why = "MSI window: the local APIC is virtualised by the vCPU" },
};

static const char *const kind_names[CPU_VIEW_NR_KINDS] = {
	[CPU_VIEW_RAM] = "RAM rwx WB",
	[CPU_VIEW_ROM] = "ROM r-x WB",
	[CPU_VIEW_MMIO] = "MMIO rw- UC",
};

int cpu_view_derive(const struct gmem *g, struct cpu_view *v)
{
	*v = (struct cpu_view){ .gmem = g };
	if (!g->sealed)
		return -EINVAL;
	for (unsigned int i = 0; i < g->nr; i++) {
		const struct gmem_range *r = &g->range[i];
		const struct cpu_rule *rule = &rules[r->kind];

		if (!rule->mapped)
			continue;
		v->entry[v->nr++] = (struct cpu_view_entry){
			.gpa = r->gpa,
			.hpa = r->hpa,
			.size = r->size,
			.perms = rule->perms,
			.memtype = rule->memtype,
			.kind = rule->kind,
			.range = i,
		};
	}
	return 0;
}

const struct cpu_view_entry *cpu_view_find(const struct cpu_view *v, uint64_t gpa)
{
	for (unsigned int i = 0; i < v->nr; i++) {
		const struct cpu_view_entry *e = &v->entry[i];

		if (gpa >= e->gpa && gpa - e->gpa < e->size)
			return e;
	}
	return NULL;
}

const struct gmem_range *cpu_view_range(const struct cpu_view *v, const struct cpu_view_entry *e)
{
	return &v->gmem->range[e->range];
}

const char *cpu_view_kind_name(enum cpu_view_kind kind)
{
	if ((unsigned int)kind >= CPU_VIEW_NR_KINDS)
		return "?";
	return kind_names[kind];
}

const char *cpu_view_absent_why(enum gmem_kind kind)
{
	if ((unsigned int)kind >= GMEM_NR_KINDS)
		return NULL;
	return rules[kind].absent_why;
}
