/* SPDX-License-Identifier: MIT */
/*
 * A PCI function's MSI or MSI-X capability under skiff's control (PCI Local Bus 3.0, 6.8):
 * messages written into the MSI capability or the MSI-X table (mapped from its BAR), per-vector
 * masking, enable and teardown. The messages are whatever the caller gives: with interrupt
 * remapping, the remappable-format address/data of the device's IRTEs (iommu_irq_message()).
 *
 * Order of use: pci_msi_init() (capability disabled, every vector masked, messages zero),
 * pci_msi_set() per vector, pci_msi_enable(), pci_msi_unmask(); pci_msi_teardown() undoes it
 * all. A message is only changed while its vector is masked (MSI-X, 6.8.3.5) or, for MSI
 * without per-vector masking, while the capability is disabled or the change is one dword.
 */
#ifndef SKIFF_DRIVERS_PCI_MSI_H
#define SKIFF_DRIVERS_PCI_MSI_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_msi_regs.h"

enum pci_msi_kind {
	PCI_MSI_KIND_MSI,
	PCI_MSI_KIND_MSIX,
};

struct pci_msi {
	struct pci_bdf bdf;
	enum pci_msi_kind kind;
	uint8_t cap;		     /* configuration offset of the capability */
	unsigned int nvec;	     /* vectors skiff uses */
	struct pci_msi_layout msi;   /* MSI */
	struct pci_msix_layout msix; /* MSI-X */
	uint64_t table;		     /* MSI-X: the table's address (mapped uncached) */
};

/*
 * pci_msi_init - take @kind of @d for @nvec vectors: MSI needs a power of two up to what its
 * MMC offers (a multi-message block), MSI-X up to its table size. The capability is disabled,
 * every vector masked (MSI-X: function mask and each entry's mask bit; MSI with per-vector
 * masking: all mask bits), and the messages zeroed; the MSI-X table's BAR range is mapped and
 * memory decoding enabled. Returns 0, -ENODEV (no such capability), -EINVAL (@nvec), -ERANGE
 * (an MSI-X table outside its BAR, or a BAR that is not memory), or mm_map_mmio()'s error.
 */
int pci_msi_init(const struct pci_device *d, enum pci_msi_kind kind, unsigned int nvec,
		 struct pci_msi *m);

/*
 * pci_msi_set - write message @addr / @data for vector @i. MSI holds one message for its block:
 * @i must be 0 and the function adds the vector number to the data's low bits itself. MSI-X
 * masks entry @i while it is rewritten and restores its mask bit. Returns 0, -EINVAL (@i, a
 * misaligned address), -ERANGE (an address above 4 GiB for a 32-bit MSI capability, data above
 * 16 bits for MSI).
 */
int pci_msi_set(struct pci_msi *m, unsigned int i, uint64_t addr, uint32_t data);

/*
 * pci_msi_get - read back vector @i's message and mask bit (false when the capability has no
 * per-vector masking). Returns 0 or -EINVAL.
 */
int pci_msi_get(const struct pci_msi *m, unsigned int i, uint64_t *addr, uint32_t *data,
		bool *masked);

/*
 * pci_msi_mask / pci_msi_unmask - vector @i's mask bit: MSI-X vector control bit 0, MSI mask
 * bit @i. Returns 0, -EINVAL (@i), -EOPNOTSUPP (MSI without per-vector masking).
 */
int pci_msi_mask(struct pci_msi *m, unsigned int i);
int pci_msi_unmask(struct pci_msi *m, unsigned int i);

/*
 * pci_msi_enable - MSI: MME for the block and enable; MSI-X: enable and function mask clear
 * (entries keep their own mask bits). INTx is disabled in the command register (6.8: a
 * function with MSI enabled must not use INTx). Returns 0 or -EINVAL.
 */
int pci_msi_enable(struct pci_msi *m);

/* pci_msi_enabled - the capability's enable bit as the device reports it. */
bool pci_msi_enabled(const struct pci_msi *m);

/*
 * pci_msi_teardown - every vector masked, the capability disabled (MSI: MME 0; MSI-X: function
 * mask set), the messages zeroed, INTx left disabled. The caller frees the IRTEs afterwards.
 */
void pci_msi_teardown(struct pci_msi *m);

#endif
