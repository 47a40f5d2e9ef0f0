/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_VMM_VM_MAIN_H
#define SKIFF_VMM_VM_MAIN_H

#include "kernel/platform/platform.h"

/*
 * vmm_run_guest - "run=guest", skiff's main job: a VM built from gmem (the test guest's RAM,
 * QEMU's edu BAR0 passed through at a guest-physical address skiff chooses, the MSI window),
 * edu attached to the VM's device view (its DMA uses guest-physical addresses), its
 * configuration space virtualised (vmm/vpci.h) with the MSI capability trapped and handed to
 * interrupt remapping (iommu_irq_*), the test guest run on one SVM vCPU, and a run report:
 * VM, domain and mode, device, DMA checks, interrupts, exits by reason (and during the guest's
 * DMA window), the device view's policy decisions. One "PASS run.<check>" / "FAIL run.<check>:
 * <why>" line per check (list in vm_main.c). Needs an edu device behind an enabled VT-d unit
 * that remaps its interrupts (otherwise nothing is built and run.build fails as refused, unless
 * vm.unsafe_no_intremap=1), and SVM with nested paging (or VMX with EPT). guest.attack=NAME
 * runs a hostile guest's attack against the passthrough device instead of the guest's checks.
 */
void vmm_run_guest(struct platform *p);

#endif
