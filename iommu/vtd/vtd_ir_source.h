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

#define VTD_PCI_EXP_TYPE_PCI_BRIDGE 0x7u /* PCIe 6.0 7.5.3.2: PCI Express to PCI/PCI-X bridge */

/*
 * vtd_ir_source_for - the source validation for interrupts of device @dev (an index in @t,
 * whose parent links pci_link_parents() set): SVT = 10b with the secondary..subordinate buses
 * of the topmost PCIe-to-PCI/PCI-X bridge above @dev; else SVT = 01b with the requester id of
 * the topmost conventional PCI-to-PCI bridge above it; else SVT = 01b with @dev's own
 * requester id (bus 15:8, device 7:3, function 2:0). SQ is always 00b. A parent chain longer
 * than @t->count (a loop) stops the walk where it is.
 */
struct vtd_irte_source vtd_ir_source_for(const struct pci_topology *t, int dev);

#endif
