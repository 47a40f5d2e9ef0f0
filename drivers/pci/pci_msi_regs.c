// SPDX-License-Identifier: MIT
/* MSI and MSI-X capability layout; the contract of every function is in pci_msi_regs.h. */
#include "drivers/pci/pci_msi_regs.h"

#include "kernel/bits.h"

#include <errno.h>

void pci_msi_layout(uint16_t ctrl, struct pci_msi_layout *out)
{
	unsigned int log2 = (unsigned int)FIELD_GET(PCI_MSI_CTRL_MMC, ctrl);
	bool is64 = ctrl & PCI_MSI_CTRL_64BIT, pvm = ctrl & PCI_MSI_CTRL_PVM;

	*out = (struct pci_msi_layout){
		.vectors = 1u << (log2 > PCI_MSI_LOG2_MAX ? PCI_MSI_LOG2_MAX : log2),
		.is64 = is64,
		.pvm = pvm,
		.addr_hi = is64 ? PCI_MSI_ADDR_HI : 0,
		.data = is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32,
		.mask = pvm ? (is64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32) : 0,
		.pending = pvm ? (is64 ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32) : 0,
	};
}

int pci_msi_ctrl_enable(uint16_t ctrl, unsigned int nvec, uint16_t *out)
{
	struct pci_msi_layout l;
	unsigned int log2 = 0;

	*out = ctrl;
	pci_msi_layout(ctrl, &l);
	if (nvec == 0 || (nvec & (nvec - 1)) || nvec > l.vectors)
		return -EINVAL;
	while ((1u << log2) < nvec)
		log2++;
	*out = (uint16_t)((ctrl & ~PCI_MSI_CTRL_MME) | FIELD_PREP(PCI_MSI_CTRL_MME, log2) |
			  PCI_MSI_CTRL_ENABLE);
	return 0;
}

uint16_t pci_msi_ctrl_disable(uint16_t ctrl)
{
	return (uint16_t)(ctrl & ~(PCI_MSI_CTRL_MME | PCI_MSI_CTRL_ENABLE));
}

int pci_msi_message_fits(const struct pci_msi_layout *l, uint64_t addr, uint32_t data)
{
	if (addr % PCI_MSI_ADDR_ALIGN)
		return -EINVAL;
	if ((!l->is64 && addr >= PCI_MSI_ADDR_32_LIMIT) || data > PCI_MSI_DATA_MAX)
		return -ERANGE;
	return 0;
}

int pci_msix_layout(uint16_t ctrl, uint32_t table, uint32_t pba, struct pci_msix_layout *out)
{
	*out = (struct pci_msix_layout){
		.size = (ctrl & PCI_MSIX_CTRL_SIZE) + 1u,
		.table_bir = (uint8_t)(table & PCI_MSIX_BIR),
		.pba_bir = (uint8_t)(pba & PCI_MSIX_BIR),
		.table_offset = table & PCI_MSIX_OFFSET,
		.pba_offset = pba & PCI_MSIX_OFFSET,
	};
	return out->table_bir > PCI_MSIX_BIR_MAX || out->pba_bir > PCI_MSIX_BIR_MAX ? -EINVAL : 0;
}

uint32_t pci_msix_table_bytes(const struct pci_msix_layout *l)
{
	return l->size * PCI_MSIX_ENTRY_SIZE;
}

int pci_msix_table_fits(const struct pci_msix_layout *l, uint64_t bar_size)
{
	uint64_t end = (uint64_t)l->table_offset + pci_msix_table_bytes(l);

	return end <= bar_size ? 0 : -ERANGE;
}

uint32_t pci_msix_entry_offset(unsigned int i)
{
	return i * PCI_MSIX_ENTRY_SIZE;
}
