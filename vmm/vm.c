// SPDX-License-Identifier: MIT
/* A VM's memory and device view: see vm.h. */
#include "vmm/vm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pmm.h"

#define FRAMES_2M ((2ull << 20) / PMM_FRAME_SIZE)

int vm_init(struct vm *vm, const char *name, unsigned int gpa_bits)
{
	memset(vm, 0, sizeof(*vm));
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	return gmem_init(&vm->gmem, gpa_bits);
}

static int refused(const struct vm *vm, int err)
{
	log_err("%s: memory map: %s (%d)", vm->name, vm->gmem.why, err);
	return err;
}

int vm_add_memory(struct vm *vm, enum gmem_kind kind, uint64_t gpa, uint64_t size, const char *name)
{
	uint64_t frames = size / PMM_FRAME_SIZE, hpa;
	int err;

	if ((kind != GMEM_RAM && kind != GMEM_ROM) || !frames || size % PMM_FRAME_SIZE)
		return -EINVAL;
	err = pmm_alloc(&kernel_pmm, frames, frames % FRAMES_2M ? 1 : FRAMES_2M, &hpa);
	if (err) {
		log_err("%s: no %" PRIu64 " KiB of host memory for %s", vm->name, size >> 10, name);
		return err;
	}
	err = gmem_add(&vm->gmem, kind, gpa, size, hpa, name);
	if (err) {
		pmm_free(&kernel_pmm, hpa, frames);
		return refused(vm, err);
	}
	memset((void *)hpa, 0, size);
	vm->backing[vm->nr_backing].hpa = hpa;
	vm->backing[vm->nr_backing++].frames = frames;
	return 0;
}

int vm_add_range(struct vm *vm, enum gmem_kind kind, uint64_t gpa, uint64_t size, uint64_t hpa,
		 const char *name)
{
	int err = gmem_add(&vm->gmem, kind, gpa, size, hpa, name);

	return err ? refused(vm, err) : 0;
}

void *vm_host(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	const struct gmem_range *r;
	uint64_t hpa;

	if (gmem_translate(&vm->gmem, gpa, len, &hpa, &r) ||
	    (r->kind != GMEM_RAM && r->kind != GMEM_ROM))
		return NULL;
	return (void *)hpa;
}

/* Whether a nesting parent on @unit may hold no read-only leaf (VT-d: erratum SPR17). */
static bool no_ro_under_nesting(unsigned int unit)
{
	struct iommu_hw_info info;

	return !iommu_hw_info(unit, &info) && (info.flags & IOMMU_HW_NO_RO_UNDER_NESTING);
}

int vm_device_view(struct vm *vm, unsigned int unit, bool want_nesting)
{
	struct dev_view_req req = {
		.want_nesting = want_nesting,
		.spr17 = no_ro_under_nesting(unit),
		.policy = iommu_ro_policy(),
	};
	int err;

	if (!vm->gmem.sealed) {
		err = gmem_seal(&vm->gmem);
		if (err)
			return refused(vm, err);
	}
	err = dev_view_derive(&vm->gmem, &req, &vm->view);
	if (err) {
		log_err("%s: device view: cannot derive (%d)", vm->name, err);
		return err;
	}
	err = iommu_domain_create(unit, IOMMU_DOMAIN_TRANSLATED, 0, &vm->dom);
	if (err) {
		log_err("%s: device view: no domain on unit %u (%d)", vm->name, unit, err);
		return err;
	}
	vm->unit = unit;
	err = dev_view_apply(&vm->view, vm->name, vm->dom);
	if (err) {
		iommu_domain_destroy(vm->dom);
		vm->dom = NULL;
	}
	return err;
}

int vm_assign(struct vm *vm, struct pci_bdf bdf)
{
	return vm->dom ? iommu_attach(vm->dom, bdf) : -ENODEV;
}

void vm_destroy(struct vm *vm)
{
	if (vm->dom)
		iommu_domain_destroy(vm->dom);
	vm->dom = NULL;
	for (unsigned int i = 0; i < vm->nr_backing; i++)
		pmm_free(&kernel_pmm, vm->backing[i].hpa, vm->backing[i].frames);
	vm->nr_backing = 0;
}
