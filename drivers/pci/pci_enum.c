// SPDX-License-Identifier: MIT
/* Enumeration of every function in the ECAM windows: identity, BARs (PCI 3.0, 6.2.5.1 sizing),
 * capabilities (6.7, PCIe 6.0 7.6) and the bridge tree. */
#include <errno.h>
#include <stddef.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"

#define BAR_ALL_ONES 0xffffffffu
#define DWORD_BITS   32

static uint32_t rd(struct pci_bdf b, uint16_t off, unsigned int width)
{
	return pci_cfg_read(b, off, width);
}

/* Writes all ones to the dword at @off and returns what reads back; restores the original. */
static uint32_t probe_dword(struct pci_bdf b, uint16_t off)
{
	uint32_t orig = rd(b, off, 4), mask;

	pci_cfg_write(b, off, 4, BAR_ALL_ONES);
	mask = rd(b, off, 4);
	pci_cfg_write(b, off, 4, orig);
	return mask;
}

/*
 * Sizes the BAR at @off (the caller disabled decoding) and returns how many BAR slots it
 * takes: 2 for a 64-bit memory BAR (a 64-bit type in the last slot is read as 32-bit).
 */
static unsigned int size_bar(struct pci_bdf b, uint16_t off, struct pci_bar *bar, bool last)
{
	uint32_t orig = rd(b, off, 4), probe = probe_dword(b, off);
	bool io = orig & PCI_BAR_SPACE_IO;
	bool mem64 = !io && (orig & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64 && !last;

	*bar = (struct pci_bar){ .kind = PCI_BAR_NONE };
	if (io) {
		uint32_t mask = (uint32_t)(probe & PCI_BAR_IO_MASK);

		if (mask) /* devices decoding 16 bits of I/O read the upper half back as 0 */
			*bar = (struct pci_bar){ .kind = PCI_BAR_IO,
						 .base = orig & PCI_BAR_IO_MASK,
						 .size = (uint16_t)(~mask + 1) };
	} else if (mem64) {
		uint64_t hi = rd(b, off + PCI_BAR_SIZE, 4);
		uint64_t mask = ((uint64_t)probe_dword(b, off + PCI_BAR_SIZE) << DWORD_BITS) |
				(probe & PCI_BAR_MEM_MASK & BAR_ALL_ONES);

		if (mask)
			*bar = (struct pci_bar){ .kind = PCI_BAR_MEM64,
						 .base = (hi << DWORD_BITS) |
							 (orig & PCI_BAR_MEM_MASK & BAR_ALL_ONES),
						 .size = ~mask + 1 };
	} else {
		uint32_t mask = (uint32_t)(probe & PCI_BAR_MEM_MASK);

		if (mask)
			*bar = (struct pci_bar){ .kind = PCI_BAR_MEM32,
						 .base = orig & PCI_BAR_MEM_MASK & BAR_ALL_ONES,
						 .size = (uint32_t)(~mask + 1) };
	}
	bar->prefetchable = bar->kind >= PCI_BAR_MEM32 && (orig & PCI_BAR_MEM_PREFETCH);
	return mem64 ? 2 : 1;
}

static void read_bars(struct pci_device *d)
{
	unsigned int n = d->header_type == PCI_HEADER_BRIDGE ? PCI_BARS_BRIDGE : PCI_BARS_NORMAL;
	uint16_t cmd = (uint16_t)rd(d->bdf, PCI_COMMAND, 2);

	/* No decoding while a BAR holds all ones: it would claim addresses it does not own. */
	pci_cfg_write(d->bdf, PCI_COMMAND, 2, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < n;)
		i += size_bar(d->bdf, (uint16_t)(PCI_BAR0 + i * PCI_BAR_SIZE), &d->bars[i],
			      i + 1 == n);
	pci_cfg_write(d->bdf, PCI_COMMAND, 2, cmd);
}

static void read_caps(struct pci_device *d)
{
	uint16_t off = PCI_EXT_CAP_START;

	if (rd(d->bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST) {
		uint8_t ptr = rd(d->bdf, PCI_CAPABILITY_LIST, 1) & PCI_CAP_PTR_MASK;

		for (int n = 0; ptr && n < PCI_CAP_MAX_WALK; n++) {
			uint8_t id = (uint8_t)rd(d->bdf, ptr + PCI_CAP_ID, 1);

			if (id == PCI_CAP_ID_MSI)
				d->cap_msi = ptr;
			else if (id == PCI_CAP_ID_MSIX)
				d->cap_msix = ptr;
			else if (id == PCI_CAP_ID_EXP)
				d->cap_exp = ptr;
			ptr = rd(d->bdf, ptr + PCI_CAP_NEXT, 1) & PCI_CAP_PTR_MASK;
		}
	}
	if (!d->cap_exp)
		return;
	d->exp_type = PCI_EXP_TYPE(rd(d->bdf, d->cap_exp + PCI_EXP_FLAGS, 2));
	for (int n = 0; off >= PCI_EXT_CAP_START && n < PCI_EXT_CAP_MAX_WALK; n++) {
		uint32_t h = rd(d->bdf, off, 4);

		if (h == 0 || h == BAR_ALL_ONES)
			break;
		if (PCI_EXT_CAP_ID(h) == PCI_EXT_CAP_ID_ATS)
			d->ecap_ats = off;
		else if (PCI_EXT_CAP_ID(h) == PCI_EXT_CAP_ID_PASID)
			d->ecap_pasid = off;
		else if (PCI_EXT_CAP_ID(h) == PCI_EXT_CAP_ID_ACS)
			d->ecap_acs = off;
		off = (uint16_t)PCI_EXT_CAP_NEXT(h);
	}
}

static void read_function(struct pci_device *d, struct pci_bdf bdf)
{
	*d = (struct pci_device){ .bdf = bdf, .parent = PCI_NO_INDEX, .unit = PCI_NO_INDEX };
	d->vendor = (uint16_t)rd(bdf, PCI_VENDOR_ID, 2);
	d->device = (uint16_t)rd(bdf, PCI_DEVICE_ID, 2);
	d->class_code = rd(bdf, PCI_CLASS_REVISION, 4) >> 8;
	d->header_type = rd(bdf, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK;
	if (d->header_type == PCI_HEADER_BRIDGE) {
		d->secondary_bus = (uint8_t)rd(bdf, PCI_SECONDARY_BUS, 1);
		d->subordinate_bus = (uint8_t)rd(bdf, PCI_SUBORDINATE_BUS, 1);
	}
	if (d->header_type == PCI_HEADER_NORMAL || d->header_type == PCI_HEADER_BRIDGE)
		read_bars(d);
	read_caps(d);
}

static void scan_bus(struct pci_topology *t, uint16_t segment, uint8_t bus)
{
	for (uint8_t dev = 0; dev < PCI_DEVICES_PER_BUS; dev++) {
		struct pci_bdf b = { segment, bus, dev, 0 };
		unsigned int fns = 1;

		if (rd(b, PCI_VENDOR_ID, 2) == PCI_VENDOR_NONE)
			continue;
		if (rd(b, PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTIFUNCTION)
			fns = PCI_FUNCTIONS_PER_DEVICE;
		for (b.fn = 0; b.fn < fns; b.fn++) {
			if (rd(b, PCI_VENDOR_ID, 2) == PCI_VENDOR_NONE)
				continue;
			if (t->count == PCI_MAX_DEVICES) {
				t->dropped++;
				continue;
			}
			read_function(&t->devices[t->count++], b);
		}
	}
}

int pci_enumerate(struct pci_topology *out)
{
	const struct mcfg_allocation *w;

	out->count = 0;
	out->dropped = 0;
	for (unsigned int i = 0; (w = pci_ecam_window(i)) != NULL; i++)
		for (unsigned int bus = w->start_bus; bus <= w->end_bus; bus++)
			scan_bus(out, w->segment, (uint8_t)bus);
	pci_link_parents(out);
	return out->dropped ? -ENOSPC : 0;
}
