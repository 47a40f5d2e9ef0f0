// SPDX-License-Identifier: MIT
/* run=guest: edu's DMA faults, as the VM domain's fault handler sees them (vmm/pt_run.h). */
#include "vmm/pt_run.h"

#include "vmm/test_guest_abi.h"

/* The domain's fault handler: edu's DMA faults (not its aliases', not interrupt faults). */
void pt_note_fault(struct iommu_domain *d, const struct iommu_fault *f, void *arg)
{
	struct pt *t = arg;

	(void)d;
	if (f->kind != IOMMU_FAULT_DMA || !pci_bdf_equal(f->source, t->edu.bdf))
		return;
	if (t->nr_faults < PT_MAX_FAULTS)
		t->fault[t->nr_faults] = *f;
	t->nr_faults++;
}

/* The guest's two DMAs outside RAM: one write and one read fault at that page, nothing else. */
bool pt_outside_blocked(const struct pt *t)
{
	bool write = false, read = false;

	for (unsigned int i = 0; i < t->nr_faults && i < PT_MAX_FAULTS; i++) {
		if (t->fault[i].addr != TEST_GUEST_DMA_OUTSIDE)
			return false;
		write = write || t->fault[i].access == IOMMU_WRITE;
		read = read || t->fault[i].access == IOMMU_READ;
	}
	return t->nr_faults == PT_OUTSIDE_FAULTS && write && read;
}
