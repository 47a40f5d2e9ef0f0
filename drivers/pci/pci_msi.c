// SPDX-License-Identifier: MIT
/* MSI and MSI-X programming (PCI Local Bus 3.0, 6.8); the contract is in pci_msi.h. */
#include "drivers/pci/pci_msi.h"

#include <errno.h>

#include "drivers/pci/pci_regs.h"
#include "kernel/mm/mm.h"

#define CFG_16	   2u
#define CFG_32	   4u
#define ADDR_SHIFT 32
#define ALL_MASKED 0xffffffffu

static uint16_t cfg16(const struct pci_msi *m, unsigned int off)
{
	return (uint16_t)pci_cfg_read(m->bdf, (uint16_t)(m->cap + off), CFG_16);
}

static uint32_t cfg32(const struct pci_msi *m, unsigned int off)
{
	return pci_cfg_read(m->bdf, (uint16_t)(m->cap + off), CFG_32);
}

static void set16(const struct pci_msi *m, unsigned int off, uint16_t v)
{
	pci_cfg_write(m->bdf, (uint16_t)(m->cap + off), CFG_16, v);
}

static void set32(const struct pci_msi *m, unsigned int off, uint32_t v)
{
	pci_cfg_write(m->bdf, (uint16_t)(m->cap + off), CFG_32, v);
}

static volatile uint32_t *entry_word(const struct pci_msi *m, unsigned int i, uint32_t word)
{
	return (volatile uint32_t *)(m->table + pci_msix_entry_offset(i) + word);
}

static void command_set(struct pci_bdf bdf, uint16_t bits)
{
	uint16_t cmd = (uint16_t)pci_cfg_read(bdf, PCI_COMMAND, CFG_16);

	pci_cfg_write(bdf, PCI_COMMAND, CFG_16, cmd | bits);
}

/* MSI: capability off, every mask bit set, the one message zeroed. */
static void msi_quiesce(struct pci_msi *m)
{
	set16(m, PCI_MSI_CTRL, pci_msi_ctrl_disable(cfg16(m, PCI_MSI_CTRL)));
	if (m->msi.pvm)
		set32(m, m->msi.mask, ALL_MASKED);
	set32(m, PCI_MSI_ADDR_LO, 0);
	if (m->msi.is64)
		set32(m, m->msi.addr_hi, 0);
	set16(m, m->msi.data, 0);
}

/* MSI-X: function masked and disabled, every entry masked and zeroed. */
static void msix_quiesce(struct pci_msi *m)
{
	uint16_t ctrl = cfg16(m, PCI_MSIX_CTRL);

	set16(m, PCI_MSIX_CTRL, (uint16_t)((ctrl | PCI_MSIX_CTRL_FMASK) & ~PCI_MSIX_CTRL_ENABLE));
	for (unsigned int i = 0; i < m->msix.size; i++) {
		*entry_word(m, i, PCI_MSIX_ENTRY_CTRL) = PCI_MSIX_ENTRY_CTRL_MASKBIT;
		*entry_word(m, i, PCI_MSIX_ENTRY_ADDR_LO) = 0;
		*entry_word(m, i, PCI_MSIX_ENTRY_ADDR_HI) = 0;
		*entry_word(m, i, PCI_MSIX_ENTRY_DATA) = 0;
	}
}

static int msix_map(const struct pci_device *d, struct pci_msi *m)
{
	const struct pci_bar *bar;
	int err = pci_msix_layout(cfg16(m, PCI_MSIX_CTRL), cfg32(m, PCI_MSIX_TABLE),
				  cfg32(m, PCI_MSIX_PBA), &m->msix);

	if (err)
		return -ERANGE;
	bar = &d->bars[m->msix.table_bir];
	if ((bar->kind != PCI_BAR_MEM32 && bar->kind != PCI_BAR_MEM64) ||
	    pci_msix_table_fits(&m->msix, bar->size))
		return -ERANGE;
	m->table = bar->base + m->msix.table_offset;
	err = mm_map_mmio(m->table, pci_msix_table_bytes(&m->msix));
	if (!err)
		command_set(m->bdf, PCI_COMMAND_MEMORY);
	return err;
}

int pci_msi_init(const struct pci_device *d, enum pci_msi_kind kind, unsigned int nvec,
		 struct pci_msi *m)
{
	uint16_t unused;
	int err;

	*m = (struct pci_msi){ .bdf = d->bdf, .kind = kind, .nvec = nvec };
	m->cap = kind == PCI_MSI_KIND_MSI ? d->cap_msi : d->cap_msix;
	if (!m->cap)
		return -ENODEV;
	if (kind == PCI_MSI_KIND_MSI) {
		pci_msi_layout(cfg16(m, PCI_MSI_CTRL), &m->msi);
		if (pci_msi_ctrl_enable(cfg16(m, PCI_MSI_CTRL), nvec, &unused))
			return -EINVAL;
		msi_quiesce(m);
		return 0;
	}
	err = msix_map(d, m);
	if (err)
		return err;
	if (nvec == 0 || nvec > m->msix.size)
		return -EINVAL;
	msix_quiesce(m);
	return 0;
}

int pci_msi_set(struct pci_msi *m, unsigned int i, uint64_t addr, uint32_t data)
{
	uint32_t vctrl;
	int err;

	if (m->kind == PCI_MSI_KIND_MSI) {
		err = pci_msi_message_fits(&m->msi, addr, data);
		if (i != 0 || err)
			return i != 0 ? -EINVAL : err;
		set32(m, PCI_MSI_ADDR_LO, (uint32_t)addr);
		if (m->msi.is64)
			set32(m, m->msi.addr_hi, (uint32_t)(addr >> ADDR_SHIFT));
		set16(m, m->msi.data, (uint16_t)data);
		return 0;
	}
	if (i >= m->nvec || addr % PCI_MSI_ADDR_ALIGN)
		return -EINVAL;
	vctrl = *entry_word(m, i, PCI_MSIX_ENTRY_CTRL);
	*entry_word(m, i, PCI_MSIX_ENTRY_CTRL) = vctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT;
	*entry_word(m, i, PCI_MSIX_ENTRY_ADDR_LO) = (uint32_t)addr;
	*entry_word(m, i, PCI_MSIX_ENTRY_ADDR_HI) = (uint32_t)(addr >> ADDR_SHIFT);
	*entry_word(m, i, PCI_MSIX_ENTRY_DATA) = data;
	*entry_word(m, i, PCI_MSIX_ENTRY_CTRL) = vctrl;
	return 0;
}

int pci_msi_get(const struct pci_msi *m, unsigned int i, uint64_t *addr, uint32_t *data,
		bool *masked)
{
	if (i >= m->nvec)
		return -EINVAL;
	if (m->kind == PCI_MSI_KIND_MSI) {
		*addr = cfg32(m, PCI_MSI_ADDR_LO) |
			(m->msi.is64 ? (uint64_t)cfg32(m, m->msi.addr_hi) << ADDR_SHIFT : 0);
		*data = cfg16(m, m->msi.data);
		*masked = m->msi.pvm && (cfg32(m, m->msi.mask) >> i & 1);
		return 0;
	}
	*addr = *entry_word(m, i, PCI_MSIX_ENTRY_ADDR_LO) |
		(uint64_t)*entry_word(m, i, PCI_MSIX_ENTRY_ADDR_HI) << ADDR_SHIFT;
	*data = *entry_word(m, i, PCI_MSIX_ENTRY_DATA);
	*masked = *entry_word(m, i, PCI_MSIX_ENTRY_CTRL) & PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return 0;
}

static int set_mask(struct pci_msi *m, unsigned int i, bool masked)
{
	uint32_t w;

	if (i >= m->nvec)
		return -EINVAL;
	if (m->kind == PCI_MSI_KIND_MSI) {
		if (!m->msi.pvm)
			return -EOPNOTSUPP;
		w = cfg32(m, m->msi.mask);
		set32(m, m->msi.mask, masked ? w | 1u << i : w & ~(1u << i));
		return 0;
	}
	w = *entry_word(m, i, PCI_MSIX_ENTRY_CTRL);
	*entry_word(m, i, PCI_MSIX_ENTRY_CTRL) =
		masked ? w | PCI_MSIX_ENTRY_CTRL_MASKBIT : w & ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	return 0;
}

int pci_msi_mask(struct pci_msi *m, unsigned int i)
{
	return set_mask(m, i, true);
}

int pci_msi_unmask(struct pci_msi *m, unsigned int i)
{
	return set_mask(m, i, false);
}

int pci_msi_enable(struct pci_msi *m)
{
	uint16_t ctrl;

	command_set(m->bdf, PCI_COMMAND_INTX_DISABLE);
	if (m->kind == PCI_MSI_KIND_MSI) {
		if (pci_msi_ctrl_enable(cfg16(m, PCI_MSI_CTRL), m->nvec, &ctrl))
			return -EINVAL;
		set16(m, PCI_MSI_CTRL, ctrl);
		return 0;
	}
	ctrl = cfg16(m, PCI_MSIX_CTRL);
	set16(m, PCI_MSIX_CTRL, (uint16_t)((ctrl | PCI_MSIX_CTRL_ENABLE) & ~PCI_MSIX_CTRL_FMASK));
	return 0;
}

bool pci_msi_enabled(const struct pci_msi *m)
{
	uint16_t ctrl = cfg16(m, m->kind == PCI_MSI_KIND_MSI ? PCI_MSI_CTRL : PCI_MSIX_CTRL);

	return ctrl & (m->kind == PCI_MSI_KIND_MSI ? PCI_MSI_CTRL_ENABLE : PCI_MSIX_CTRL_ENABLE);
}

void pci_msi_teardown(struct pci_msi *m)
{
	if (m->kind == PCI_MSI_KIND_MSI)
		msi_quiesce(m);
	else
		msix_quiesce(m);
}
