/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_IOMMU_VTD_IR_SELFTEST_H
#define SKIFF_IOMMU_VTD_IR_SELFTEST_H

#include "kernel/platform/platform.h"

/*
 * vtd_ir_selftest - "selftest=irq": interrupt remapping with QEMU's edu device, one
 * "PASS irq.<check>" / "FAIL irq.<check>: <why>" line per check. edu's MSI goes through a
 * remappable-format message and an IRTE to a vector of skiff's; the checks count interrupts
 * (delivered / not delivered, each waited for IRQ_WAIT_MS with interrupts on) and the fault
 * records the unit keeps: one interrupt per raise, a retarget, an IRTE whose source id does not
 * match, an IRTE that is not present, a compatibility-format message while CFI is clear, the
 * teardown; MSI-X programming on the first MSI-X function found, and delivery through a
 * bridge's source for an edu behind a PCIe-to-PCI bridge when there is one.
 */
void vtd_ir_selftest(struct platform *p);

#endif
