// SPDX-License-Identifier: MIT
/* Configuration access through the PCIe enhanced configuration access mechanism (PCI Express
 * Base 6.0, 7.2.2: address = base + bus << 20 | device << 15 | function << 12 | offset). */
#include <errno.h>
#include <string.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define ECAM_BUS_SHIFT 20
#define ECAM_DEV_SHIFT 15
#define ECAM_FN_SHIFT  12
#define ALL_ONES       0xffffffffu

static struct mcfg_allocation windows[MCFG_MAX_ALLOCATIONS];
static unsigned int nr_windows;

int pci_ecam_init(const struct mcfg_table *mcfg)
{
	int first_err = 0;

	nr_windows = 0;
	for (unsigned int i = 0; i < mcfg->nr_allocations; i++) {
		const struct mcfg_allocation *a = &mcfg->allocations[i];
		uint64_t start = a->base + ((uint64_t)a->start_bus << ECAM_BUS_SHIFT);
		uint64_t size = (uint64_t)(a->end_bus - a->start_bus + 1) << ECAM_BUS_SHIFT;
		int err = mm_map_mmio(start, size);

		if (err) {
			log_err("pci: ECAM window %#llx segment %u buses %02x-%02x cannot be mapped: "
				"%s; left out",
				(unsigned long long)start, a->segment, a->start_bus, a->end_bus,
				strerror(-err));
			first_err = first_err ? first_err : err;
			continue;
		}
		windows[nr_windows++] = *a;
	}
	return first_err;
}

const struct mcfg_allocation *pci_ecam_window(unsigned int i)
{
	return i < nr_windows ? &windows[i] : NULL;
}

/* The ECAM address of (@bdf, @offset) for a @width access, or 0 when there is none. */
static uint64_t ecam_address(struct pci_bdf bdf, uint16_t offset, unsigned int width)
{
	if ((width != 1 && width != 2 && width != 4) || offset % width ||
	    offset > PCI_CFG_SIZE - width || bdf.dev >= PCI_DEVICES_PER_BUS ||
	    bdf.fn >= PCI_FUNCTIONS_PER_DEVICE)
		return 0;
	for (unsigned int i = 0; i < nr_windows; i++) {
		const struct mcfg_allocation *w = &windows[i];

		if (w->segment == bdf.segment && bdf.bus >= w->start_bus && bdf.bus <= w->end_bus)
			return w->base + ((uint64_t)bdf.bus << ECAM_BUS_SHIFT) +
			       ((uint64_t)bdf.dev << ECAM_DEV_SHIFT) +
			       ((uint64_t)bdf.fn << ECAM_FN_SHIFT) + offset;
	}
	return 0;
}

uint32_t pci_cfg_read(struct pci_bdf bdf, uint16_t offset, unsigned int width)
{
	uint64_t a = ecam_address(bdf, offset, width);

	if (!a)
		return ALL_ONES;
	switch (width) {
	case 1:
		return *(volatile uint8_t *)a;
	case 2:
		return *(volatile uint16_t *)a;
	default:
		return *(volatile uint32_t *)a;
	}
}

int pci_cfg_write(struct pci_bdf bdf, uint16_t offset, unsigned int width, uint32_t value)
{
	uint64_t a = ecam_address(bdf, offset, width);

	if (!a)
		return -EINVAL;
	switch (width) {
	case 1:
		*(volatile uint8_t *)a = (uint8_t)value;
		break;
	case 2:
		*(volatile uint16_t *)a = (uint16_t)value;
		break;
	default:
		*(volatile uint32_t *)a = value;
		break;
	}
	return 0;
}
