// SPDX-License-Identifier: MIT
/*
 * Attack "decode" (finding 4 of the hostile-guest review, the XSA-120 class), run inside
 * run=guest (guest.attack=decode): switch memory decoding off in edu's command register while
 * its BAR0 stays mapped, then touch the BAR. Had the bit reached the device, the access would
 * be an Unsupported Request on PCI Express, which platforms may escalate to SERR, NMI or a
 * machine check. skiff keeps decoding on at the device and emulates the bit (vmm/vpci.h): the
 * guest reads back what it wrote, and skiff checks the physical register (run.decode_kept in
 * vmm/vm_main.c). What the access itself returns cannot tell the guest anything (QEMU answers
 * all ones where hardware could stop the host), so it is only shown. Afterwards, with the bit
 * set again, edu must still answer.
 */
#include "drivers/pci/pci_regs.h"
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define EDU_REG_IDENT	 0x00
#define FAIL_DECODE_READ TEST_GUEST_FAIL_ATTACK(0) /* the command register read back other */
#define COMMAND_ON	 (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)

static uint32_t attack_decode(void)
{
	uint64_t mmio;
	int dev = edu_open(&mmio);
	uint32_t cmd, ident, fail = 0;

	if (dev < 0) {
		put("decode: no edu device\n");
		return TEST_GUEST_FAIL_EDU_IDENT;
	}
	pci_write((unsigned int)dev, PCI_COMMAND, 2, COMMAND_ON);
	pci_write((unsigned int)dev, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	cmd = pci_read((unsigned int)dev, PCI_COMMAND, 2);
	ident = *(volatile uint32_t *)(uintptr_t)(mmio + EDU_REG_IDENT);
	put("decode: memory decoding cleared, command reads ");
	put_hex(cmd);
	put(", BAR0 ident reads ");
	put_hex(ident);
	put("\n");
	if (cmd != PCI_COMMAND_MASTER)
		fail |= FAIL_DECODE_READ;
	pci_write((unsigned int)dev, PCI_COMMAND, 2, COMMAND_ON);
	if (!edu_answers(mmio))
		fail |= TEST_GUEST_FAIL_EDU_IDENT;
	put(fail & TEST_GUEST_FAIL_EDU_IDENT ? "decode: edu silent with decoding back on\n" :
					       "decode: edu answers with decoding back on\n");
	return fail;
}

GUEST_ATTACK(decode, attack_decode);
