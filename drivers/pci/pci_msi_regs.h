/* SPDX-License-Identifier: MIT */
/*
 * MSI and MSI-X capability layout (PCI Local Bus 3.0, 6.8.1 and 6.8.2; PCI Express Base 6.0,
 * 7.7.1 and 7.7.2) and pure decoders/encoders of their control words: where each register of
 * an MSI capability sits for its 32/64-bit and per-vector-masking variant, the multiple message
 * enable field, and where an MSI-X table lives. Nothing here touches a device; host-tested
 * (tests/unit/test_pci_msi.c). drivers/pci/pci_msi.h programs devices with them.
 */
#ifndef SKIFF_DRIVERS_PCI_MSI_REGS_H
#define SKIFF_DRIVERS_PCI_MSI_REGS_H

#include <stdbool.h>
#include <stdint.h>

/* MSI capability (6.8.1): offsets from the capability, control word bits. */
#define PCI_MSI_CTRL	      2	 /* 16: message control */
#define PCI_MSI_ADDR_LO	      4	 /* 32: message address 31:0 (dword aligned) */
#define PCI_MSI_ADDR_HI	      8	 /* 32: message upper address (64-bit capable only) */
#define PCI_MSI_DATA_32	      8	 /* 16: message data, 32-bit capability */
#define PCI_MSI_DATA_64	      12 /* 16: message data, 64-bit capability */
#define PCI_MSI_MASK_32	      12 /* 32: mask bits (per-vector masking only) */
#define PCI_MSI_MASK_64	      16
#define PCI_MSI_PENDING_32    16 /* 32: pending bits (per-vector masking only) */
#define PCI_MSI_PENDING_64    20
#define PCI_MSI_CTRL_ENABLE   (1u << 0) /* MSI enable */
#define PCI_MSI_CTRL_MMC      0x000eu	/* 3:1 multiple message capable: log2 of the vectors */
#define PCI_MSI_CTRL_MME      0x0070u	/* 6:4 multiple message enable: log2 of those enabled */
#define PCI_MSI_CTRL_64BIT    (1u << 7) /* 64-bit address capable */
#define PCI_MSI_CTRL_PVM      (1u << 8) /* per-vector masking capable */
#define PCI_MSI_LOG2_MAX      5u	/* at most 32 vectors; 110b and 111b are reserved */
#define PCI_MSI_DATA_MAX      0xffffu	/* message data is 16 bits */
#define PCI_MSI_ADDR_ALIGN    4u
#define PCI_MSI_ADDR_32_LIMIT (1ull << 32)

/* MSI-X capability (6.8.2): offsets from the capability, control word and BIR/offset words. */
#define PCI_MSIX_CTRL		    2	       /* 16: message control */
#define PCI_MSIX_TABLE		    4	       /* 32: table BIR 2:0, table offset 31:3 */
#define PCI_MSIX_PBA		    8	       /* 32: PBA BIR 2:0, PBA offset 31:3 */
#define PCI_MSIX_CTRL_SIZE	    0x07ffu    /* 10:0 table size - 1 */
#define PCI_MSIX_CTRL_FMASK	    (1u << 14) /* function mask: every vector masked */
#define PCI_MSIX_CTRL_ENABLE	    (1u << 15)
#define PCI_MSIX_BIR		    0x7u
#define PCI_MSIX_OFFSET		    0xfffffff8u
#define PCI_MSIX_BIR_MAX	    5u /* BARs 0-5; 6 and 7 are reserved */
#define PCI_MSIX_ENTRY_SIZE	    16u
#define PCI_MSIX_ENTRY_ADDR_LO	    0u
#define PCI_MSIX_ENTRY_ADDR_HI	    4u
#define PCI_MSIX_ENTRY_DATA	    8u
#define PCI_MSIX_ENTRY_CTRL	    12u
#define PCI_MSIX_ENTRY_CTRL_MASKBIT (1u << 0) /* vector masked */

/* Where an MSI capability's registers are, from its control word. */
struct pci_msi_layout {
	unsigned int vectors; /* the function asks for 1, 2, 4, ... 32 (MMC) */
	bool is64;	      /* 64-bit message address */
	bool pvm;	      /* per-vector masking: mask and pending registers exist */
	uint8_t addr_hi;      /* offsets from the capability; 0 when the register is absent */
	uint8_t data, mask, pending;
};

/*
 * pci_msi_layout - decode MSI message control @ctrl (6.8.1.3) into @out. A reserved MMC
 * (110b, 111b) reads as 32 vectors, the most the format has.
 */
void pci_msi_layout(uint16_t ctrl, struct pci_msi_layout *out);

/*
 * pci_msi_ctrl_enable - @ctrl with MSI enabled for @nvec vectors: MME = log2(@nvec), enable
 * set, every other bit kept. Returns 0 with *@out, or -EINVAL when @nvec is not a power of two
 * or exceeds what MMC offers (*@out = @ctrl).
 */
int pci_msi_ctrl_enable(uint16_t ctrl, unsigned int nvec, uint16_t *out);

/* pci_msi_ctrl_disable - @ctrl with MSI disabled and MME 0 (one vector), other bits kept. */
uint16_t pci_msi_ctrl_disable(uint16_t ctrl);

/*
 * pci_msi_message_fits - whether @addr / @data can be written to a capability of @l:
 * a dword-aligned address below 4 GiB unless 64-bit capable, data of 16 bits. Returns 0, or
 * -EINVAL (misaligned) or -ERANGE.
 */
int pci_msi_message_fits(const struct pci_msi_layout *l, uint64_t addr, uint32_t data);

/* Where an MSI-X table and its pending bit array are (6.8.2.4, 6.8.2.5). */
struct pci_msix_layout {
	unsigned int size; /* table entries, 1..2048 */
	uint8_t table_bir, pba_bir;
	uint32_t table_offset, pba_offset; /* from the start of their BARs, 8-byte aligned */
};

/*
 * pci_msix_layout - decode MSI-X message control @ctrl and the table and PBA words @table, @pba
 * into @out. Returns 0, or -EINVAL when a BIR is reserved (6 or 7); @out is filled either way.
 */
int pci_msix_layout(uint16_t ctrl, uint32_t table, uint32_t pba, struct pci_msix_layout *out);

/*
 * pci_msix_table_bytes - the table's size in bytes: 16 per entry. Whether it fits in its BAR:
 * pci_msix_table_fits().
 */
uint32_t pci_msix_table_bytes(const struct pci_msix_layout *l);

/*
 * pci_msix_table_fits - whether the table of @l lies inside a memory BAR of @bar_size bytes.
 * Returns 0, or -ERANGE.
 */
int pci_msix_table_fits(const struct pci_msix_layout *l, uint64_t bar_size);

/* pci_msix_entry_offset - byte offset of table entry @i from the table's start. */
uint32_t pci_msix_entry_offset(unsigned int i);

#endif
