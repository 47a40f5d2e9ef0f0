/* SPDX-License-Identifier: MIT */
/* PCI configuration space layout (PCI Local Bus 3.0, chapter 6; PCI Express Base 6.0, 7.5-7.9). */
#ifndef SKIFF_DRIVERS_PCI_REGS_H
#define SKIFF_DRIVERS_PCI_REGS_H

#define PCI_VENDOR_ID		0x00 /* 16 */
#define PCI_DEVICE_ID		0x02 /* 16 */
#define PCI_COMMAND		0x04 /* 16 */
#define PCI_STATUS		0x06 /* 16 */
#define PCI_CLASS_REVISION	0x08 /* 32: class code 31:8, revision 7:0 */
#define PCI_CACHE_LINE_SIZE	0x0c /* 8 */
#define PCI_HEADER_TYPE		0x0e /* 8 */
#define PCI_BAR0		0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c /* type 0 header, 16 */
#define PCI_SUBSYSTEM_ID	0x2e /* type 0 header, 16 */
#define PCI_CAPABILITY_LIST	0x34 /* 8 */
#define PCI_INTERRUPT_LINE	0x3c /* 8 */
#define PCI_PRIMARY_BUS		0x18 /* type 1 header, 8 */
#define PCI_SECONDARY_BUS	0x19 /* type 1 header, 8 */
#define PCI_SUBORDINATE_BUS	0x1a /* type 1 header, 8 */

#define PCI_VENDOR_NONE		 0xffff
#define PCI_COMMAND_IO		 (1u << 0)
#define PCI_COMMAND_MEMORY	 (1u << 1)
#define PCI_COMMAND_MASTER	 (1u << 2)  /* bus master enable */
#define PCI_COMMAND_INTX_DISABLE (1u << 10) /* PCI 3.0 6.2.2: INTx# assertion disabled */
#define PCI_STATUS_CAP_LIST	 (1u << 4)
#define PCI_HEADER_TYPE_MASK	 0x7f
#define PCI_HEADER_MULTIFUNCTION 0x80
#define PCI_HEADER_NORMAL	 0
#define PCI_HEADER_BRIDGE	 1
#define PCI_BARS_NORMAL		 6
#define PCI_BARS_BRIDGE		 2
#define PCI_BAR_SIZE		 4

#define PCI_BAR_SPACE_IO      (1u << 0)
#define PCI_BAR_MEM_TYPE_MASK 0x6u
#define PCI_BAR_MEM_TYPE_64   0x4u
#define PCI_BAR_MEM_PREFETCH  (1u << 3)
#define PCI_BAR_MEM_MASK      (~0xfull)
#define PCI_BAR_IO_MASK	      (~0x3ull)

/* Capability list (PCI 3.0, 6.7) and IDs. */
#define PCI_CAP_ID	 0
#define PCI_CAP_NEXT	 1
#define PCI_CAP_PTR_MASK 0xfc
#define PCI_CAP_ID_MSI	 0x05
#define PCI_CAP_ID_EXP	 0x10
#define PCI_CAP_ID_MSIX	 0x11
#define PCI_CAP_MAX_WALK 48 /* (256 - 64) / 4: more would be a loop */

#define PCI_EXP_FLAGS	    2 /* 16: device/port type 7:4 */
#define PCI_EXP_TYPE(flags) (((flags) >> 4) & 0xf)

/* Extended capabilities (PCIe 6.0, 7.6): header id 15:0, version 19:16, next 31:20. */
#define PCI_EXT_CAP_START    0x100
#define PCI_EXT_CAP_ID(h)    ((h)&0xffff)
#define PCI_EXT_CAP_NEXT(h)  (((h) >> 20) & 0xffc)
#define PCI_EXT_CAP_ID_ACS   0x0d
#define PCI_EXT_CAP_ID_ATS   0x0f
#define PCI_EXT_CAP_ID_PASID 0x1b
#define PCI_EXT_CAP_MAX_WALK ((4096 - 256) / 4)

#define PCI_CFG_SIZE		 4096 /* PCIe extended configuration space per function */
#define PCI_DEVICES_PER_BUS	 32
#define PCI_FUNCTIONS_PER_DEVICE 8

#endif
