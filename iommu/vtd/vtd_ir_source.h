/* SPDX-License-Identifier: MIT */
/*
 * Which source an IRTE validates for a PCI function (VT-d rev 5.0, 9.10 SVT/SQ/SID; 5.1.4):
 * the requester id the function's interrupt requests carry once they reach the remapping unit.
 * A PCIe-to-PCI/PCI-X bridge takes ownership of the requests from below it (PCI Express to
 * PCI/PCI-X Bridge 1.0, 2.3), so their requester id is not the function's own: the IRTE then
 * validates the bridge's bus range (SVT = 10b). A conventional PCI-to-PCI bridge without a PCI
 * Express capability forwards requests under its own requester id (SVT = 01b, SID = the
 * bridge). The topmost such bridge on the way to the root bus decides. Pure; host-tested
 * (tests/unit/test_vtd_ir_source.c).
 */
#ifndef SKIFF_IOMMU_VTD_IR_SOURCE_H
#define SKIFF_IOMMU_VTD_IR_SOURCE_H

#include "drivers/pci/pci.h"
#include "iommu/vtd/vtd_irte.h"

#define VTD_PCI_EXP_TYPE_PCI_BRIDGE  0x7u /* PCIe 6.0 7.5.3.2: PCI Express to PCI/PCI-X bridge */
#define VTD_PCI_EXP_TYPE_PCIE_BRIDGE 0x8u /* PCIe 6.0 7.5.3.2: PCI/PCI-X to PCI Express bridge */
#define VTD_DMA_ALIASES_MAX	     8u	  /* requester ids one function's DMA may carry */

/*
 * vtd_ir_source_for - the source validation for interrupts of device @dev (an index in @t,
 * whose parent links pci_link_parents() set): SVT = 10b with the secondary..subordinate buses
 * of the topmost PCIe-to-PCI/PCI-X bridge above @dev; else SVT = 01b with the requester id of
 * the topmost conventional PCI-to-PCI bridge above it; else SVT = 01b with @dev's own
 * requester id (bus 15:8, device 7:3, function 2:0). SQ is always 00b. A parent chain longer
 * than @t->count (a loop) stops the walk where it is.
 */
struct vtd_irte_source vtd_ir_source_for(const struct pci_topology *t, int dev);

/*
 * vtd_dma_aliases - the requester ids (bus 15:8, device 7:3, function 2:0) the DMA requests of
 * device @dev (an index in @t, parent links set) may carry when they reach the remapping unit,
 * each once, in @rid[0..@max): @dev's own first, then, bridge by bridge towards the root bus,
 * the id each one that takes ownership of the requests from below gives them (VT-d 3.4.1
 * "Requester identifier"; PCI Express to PCI/PCI-X Bridge 1.0, 2.3): a PCIe-to-PCI/PCI-X
 * bridge its secondary bus with device 0 function 0, a PCI/PCI-X-to-PCIe bridge and a
 * conventional PCI-to-PCI bridge (no PCI Express capability) their own id; root ports and
 * switch ports change nothing. The last id is the one the unit sees from a bridge that always
 * takes ownership (what QEMU 10 sends); the others are programmed too, as Linux's
 * pci_for_each_dma_alias() does, for bridges that forward some requests unchanged (PCI-X).
 * A parent chain longer than @t->count (a loop) stops the walk where it is.
 * Returns the number of ids (1..@max), or -EINVAL (@max 0) / -ENOSPC (more than @max).
 */
int vtd_dma_aliases(const struct pci_topology *t, int dev, uint16_t *rid, unsigned int max);

#endif
