// SPDX-License-Identifier: MIT
/*
 * Programming a VM's device view (vmm/dev_view.h) into its IOMMU domain, and the view in the
 * boot report. Kernel only: the decisions are dev_view_derive()'s, this file carries them out
 * through the domain API (iommu/iommu.h) and logs each one.
 */
#include "vmm/dev_view.h"

#include <errno.h>
#include <string.h>

#include "kernel/log.h"

#define LINE_LEN 256

/* The decisions the erratum forced: logged as warnings so they stand out. */
static bool spr17_decision(const struct dev_view_entry *e)
{
	return e->reason == DEV_VIEW_WHY_SPR17_SKIP || e->reason == DEV_VIEW_WHY_SPR17_REFUSE;
}

static void log_entry(const char *vm_name, const struct dev_view_entry *e)
{
	char line[LINE_LEN];

	dev_view_format(line, sizeof(line), e);
	if (spr17_decision(e))
		log_warn("vm %s: dev view: %s", vm_name, line);
	else
		log_info("vm %s: dev view: %s", vm_name, line);
}

static void log_nesting(const struct dev_view *v, const char *vm_name, struct iommu_domain *d)
{
	if (v->nesting_parent)
		log_info("vm %s: domain %u is a nesting parent (SPR17 %s, iommu.ro_policy=%s)",
			 vm_name, iommu_domain_hwid(d), v->req.spr17 ? "in force" : "not in force",
			 dev_view_policy_name(v->req.policy));
	else if (v->nesting_refused)
		log_warn("vm %s: nesting refused: read-only range %s under SPR17, "
			 "iommu.ro_policy=refuse; domain %u translates the second stage only",
			 vm_name, v->entry[v->refused_by].range.name, iommu_domain_hwid(d));
}

/* Unmap the mapped entries of @v before index @end (a failed apply's rollback). */
static void unmap_before(const struct dev_view *v, const char *vm_name, struct iommu_domain *d,
			 unsigned int end)
{
	for (unsigned int i = end; i-- > 0;) {
		const struct dev_view_entry *e = &v->entry[i];
		int64_t n;

		if (e->action == DEV_VIEW_LEFT_OUT)
			continue;
		n = iommu_unmap(d, e->range.gpa, e->range.size);
		if (n < 0)
			log_err("vm %s: dev view: unmapping %s failed: %s", vm_name, e->range.name,
				strerror((int)-n));
	}
}

int dev_view_apply(const struct dev_view *v, const char *vm_name, struct iommu_domain *d)
{
	unsigned int i;
	int err;

	if (!v || !vm_name || !d)
		return -EINVAL;
	if (v->nesting_parent) {
		err = iommu_domain_set_nesting_parent(d);
		if (err) {
			log_err("vm %s: domain %u cannot become a nesting parent: %s", vm_name,
				iommu_domain_hwid(d), strerror(-err));
			return err;
		}
	}
	log_nesting(v, vm_name, d);
	for (i = 0; i < v->nr; i++) {
		const struct dev_view_entry *e = &v->entry[i];

		log_entry(vm_name, e);
		if (e->action == DEV_VIEW_LEFT_OUT)
			continue;
		err = iommu_map(d, e->range.gpa, e->range.hpa, e->range.size,
				dev_view_prot(e->action));
		if (err) {
			log_err("vm %s: dev view: mapping %s failed: %s; the domain is left empty",
				vm_name, e->range.name, strerror(-err));
			unmap_before(v, vm_name, d, i);
			return err;
		}
	}
	return 0;
}

void dev_view_log_report(const struct dev_view *v, const char *vm_name)
{
	char line[LINE_LEN];

	if (v->nesting_parent)
		log_info("  devview    vm %s: nesting parent, SPR17 %s, iommu.ro_policy=%s",
			 vm_name, v->req.spr17 ? "in force" : "not in force",
			 dev_view_policy_name(v->req.policy));
	else if (v->nesting_refused)
		log_info("  devview    vm %s: nesting refused by read-only range %s "
			 "(SPR17, iommu.ro_policy=refuse): second stage only",
			 vm_name, v->entry[v->refused_by].range.name);
	else
		log_info("  devview    vm %s: second stage only (no nesting asked)", vm_name);
	for (unsigned int i = 0; i < v->nr; i++) {
		dev_view_format(line, sizeof(line), &v->entry[i]);
		log_info("             %s", line);
	}
}
