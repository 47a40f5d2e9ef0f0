// SPDX-License-Identifier: MIT
/*
 * PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): CONFIG_ADDRESS at 0CF8h
 * (enable 31, bus 23:16, device 15:11, function 10:8, register 7:2), CONFIG_DATA at 0CFCh plus
 * the byte offset inside the dword, and the capability list (6.7). The guest looks at bus 0,
 * function 0 only.
 */
#include "tests/guests/guest.h"

#include "drivers/pci/pci_regs.h"

#define CONFIG_ADDRESS	0xcf8
#define CONFIG_DATA	0xcfc
#define ADDR_ENABLE	(1u << 31)
#define ADDR_DEV_SHIFT	11
#define ADDR_REG_MASK	0xfcu
#define DWORD_OFFSET	0x3u
#define DEVICES		32
#define REG_ID		0x00 /* device 31:16, vendor 15:0 */
#define ID_DEVICE_SHIFT 16

static uint16_t select(unsigned int dev, unsigned int reg)
{
	out32(CONFIG_ADDRESS, ADDR_ENABLE | dev << ADDR_DEV_SHIFT | (reg & ADDR_REG_MASK));
	return (uint16_t)(CONFIG_DATA + (reg & DWORD_OFFSET));
}

uint32_t pci_read(unsigned int dev, unsigned int reg, unsigned int size)
{
	uint16_t port = select(dev, reg);

	if (size == 4)
		return in32(port);
	return size == 2 ? in16(port) : in8(port);
}

void pci_write(unsigned int dev, unsigned int reg, unsigned int size, uint32_t v)
{
	uint16_t port = select(dev, reg);

	if (size == 4)
		out32(port, v);
	else if (size == 2)
		out16(port, (uint16_t)v);
	else
		out8(port, (uint8_t)v);
}

int pci_find(uint16_t vendor, uint16_t device)
{
	uint32_t want = (uint32_t)device << ID_DEVICE_SHIFT | vendor;

	for (unsigned int dev = 0; dev < DEVICES; dev++)
		if (pci_read(dev, REG_ID, 4) == want)
			return (int)dev;
	return -1;
}

unsigned int pci_find_cap(unsigned int dev, unsigned int id)
{
	unsigned int cap = pci_read(dev, PCI_CAPABILITY_LIST, 1) & PCI_CAP_PTR_MASK;

	for (unsigned int n = 0; cap && n < PCI_CAP_MAX_WALK; n++) {
		if (pci_read(dev, cap + PCI_CAP_ID, 1) == id)
			return cap;
		cap = pci_read(dev, cap + PCI_CAP_NEXT, 1) & PCI_CAP_PTR_MASK;
	}
	return 0;
}
