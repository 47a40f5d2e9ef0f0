// SPDX-License-Identifier: MIT
/*
 * Attack "msi_toggle" (finding 5 of the hostile-guest review, log flooding), run inside
 * run=guest (guest.attack=msi_toggle): toggle the MSI enable bit of edu's virtual capability
 * TOGGLES times, then alternate its message between one skiff cannot deliver (NMI delivery
 * mode) and a good one REFUSALS times, each a trapped configuration write. skiff must neither
 * log a line nor rewrite the IRTE per write: the scenario counts its lines and vmm/vm_main.c
 * checks the IRTE was written once (run.irte_writes). Afterwards one raise of edu's interrupt
 * must still reach the guest exactly once.
 */
#include "drivers/pci/pci_msi_regs.h"
#include "drivers/pci/pci_regs.h"
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define TOGGLES		 1000u
#define REFUSALS	 100u
#define MSI_DATA_DLM_NMI (4u << 8) /* delivery mode 100b, NMI (SDM vol. 3A 11.11.2) */
#define COMMAND_ON	 (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)

static uint32_t attack_msi_toggle(void)
{
	uint64_t mmio;
	int dev = edu_open(&mmio);
	unsigned int cap, d;
	uint32_t ctrl, got;

	if (dev < 0) {
		put("msi_toggle: no edu device\n");
		return TEST_GUEST_FAIL_EDU_IDENT;
	}
	d = (unsigned int)dev;
	pci_write(d, PCI_COMMAND, 2, COMMAND_ON);
	cap = edu_msi_setup(d);
	if (!cap) {
		put("msi_toggle: no MSI capability\n");
		return TEST_GUEST_FAIL_MSI_NONE;
	}
	ctrl = pci_read(d, cap + PCI_MSI_CTRL, 2) & ~PCI_MSI_CTRL_ENABLE;
	for (unsigned int i = 0; i < TOGGLES; i++) {
		pci_write(d, cap + PCI_MSI_CTRL, 2, ctrl | PCI_MSI_CTRL_ENABLE);
		pci_write(d, cap + PCI_MSI_CTRL, 2, ctrl);
	}
	pci_write(d, cap + PCI_MSI_CTRL, 2, ctrl | PCI_MSI_CTRL_ENABLE);
	for (unsigned int i = 0; i < REFUSALS; i++) {
		pci_write(d, cap + PCI_MSI_DATA_64, 2, MSI_DATA_DLM_NMI | TEST_GUEST_MSI_VECTOR);
		pci_write(d, cap + PCI_MSI_DATA_64, 2, TEST_GUEST_MSI_VECTOR);
	}
	got = edu_interrupts(mmio);
	pci_write(d, cap + PCI_MSI_CTRL, 2, ctrl);
	put("msi_toggle: after the toggles and NMI messages, interrupts taken ");
	put_hex(got);
	put("\n");
	return got == 0 ? TEST_GUEST_FAIL_MSI_NONE : got > 1 ? TEST_GUEST_FAIL_MSI_COUNT : 0;
}

GUEST_ATTACK(msi_toggle, attack_msi_toggle);
