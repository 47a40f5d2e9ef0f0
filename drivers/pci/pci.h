/* SPDX-License-Identifier: MIT */
/* PCI: configuration access through ECAM (from MCFG) and the enumerated devices. */
#ifndef SKIFF_DRIVERS_PCI_H
#define SKIFF_DRIVERS_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi/mcfg.h"

#define PCI_MAX_DEVICES 1024
#define PCI_MAX_BARS	6
#define PCI_NO_INDEX	(-1)

struct pci_bdf {
	uint16_t segment;
	uint8_t bus, dev, fn;
};

/* pci_bdf_equal - whether @a and @b name the same function (segment, bus, device, function). */
static inline bool pci_bdf_equal(struct pci_bdf a, struct pci_bdf b)
{
	return a.segment == b.segment && a.bus == b.bus && a.dev == b.dev && a.fn == b.fn;
}

enum pci_bar_kind {
	PCI_BAR_NONE,
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64, /* takes this slot and the next */
};

struct pci_bar {
	uint64_t base;
	uint64_t size; /* 0: not implemented */
	uint8_t kind;  /* enum pci_bar_kind */
	bool prefetchable;
};

struct pci_device {
	struct pci_bdf bdf;
	uint16_t vendor, device;
	uint32_t class_code; /* base class 23:16, subclass 15:8, programming interface 7:0 */
	uint8_t header_type; /* PCI_HEADER_NORMAL or PCI_HEADER_BRIDGE (others: no BARs read) */
	struct pci_bar bars[PCI_MAX_BARS];
	uint8_t cap_msi, cap_msix, cap_exp; /* config offsets, 0 when absent */
	uint8_t exp_type;		    /* PCIe device/port type when cap_exp */
	uint16_t ecap_ats, ecap_pasid, ecap_acs;
	uint8_t secondary_bus, subordinate_bus; /* bridges only */
	int parent;				/* index of the bridge above, or PCI_NO_INDEX */
	int unit;				/* index of the DRHD covering it, or PCI_NO_INDEX */
};

struct pci_topology {
	unsigned int count;
	unsigned int dropped; /* functions beyond PCI_MAX_DEVICES */
	struct pci_device devices[PCI_MAX_DEVICES];
};

/*
 * pci_ecam_init - take the ECAM windows of @mcfg and map them uncached.
 * Returns 0 or a negative errno (a window that cannot be mapped is logged and left out).
 */
int pci_ecam_init(const struct mcfg_table *mcfg);

/* pci_ecam_window - the @i-th ECAM window in use, or NULL past the last. */
const struct mcfg_allocation *pci_ecam_window(unsigned int i);

/*
 * pci_cfg_read - read @width (1, 2 or 4) bytes at @offset of @bdf's configuration space.
 * Returns all ones when the function lies outside every ECAM window or @offset is not
 * naturally aligned inside the 4 KiB space: no access outside a window is ever made.
 */
uint32_t pci_cfg_read(struct pci_bdf bdf, uint16_t offset, unsigned int width);

/* pci_cfg_write - write @width bytes; dropped (returns -EINVAL) where pci_cfg_read would
 * return all ones. */
int pci_cfg_write(struct pci_bdf bdf, uint16_t offset, unsigned int width, uint32_t value);

/*
 * pci_enumerate - scan every bus of every ECAM window: identity, BARs (sized with decoding
 * disabled, restored after), capabilities (MSI, MSI-X, PCIe, ATS, PASID, ACS) and the bridge
 * tree. @out->devices[i].unit is left PCI_NO_INDEX. Returns 0 or -ENOSPC when functions were
 * dropped for lack of room (@out->dropped says how many).
 */
int pci_enumerate(struct pci_topology *out);

/*
 * pci_link_parents - set each device's parent: the bridge with the narrowest secondary..
 * subordinate bus range holding the device's bus on its segment (PCI-to-PCI Bridge 1.2, 3.2.5.3),
 * or PCI_NO_INDEX for devices on a root bus.
 */
void pci_link_parents(struct pci_topology *t);

/* pci_find - index of @bdf in @t, or PCI_NO_INDEX. */
int pci_find(const struct pci_topology *t, struct pci_bdf bdf);

#endif
