/* SPDX-License-Identifier: MIT */
/*
 * QEMU's "edu" educational PCI device (QEMU docs/specs/edu.rst, hw/misc/edu.c): a DMA engine
 * with a 4 KiB device-side buffer, used by skiff's self-tests to make DMA happen through the
 * IOMMU. Its buffer is not visible through BAR0: data is checked by a round trip through RAM.
 * It also raises an interrupt on request: one MSI per raise while its MSI capability (one
 * vector, 64-bit, no per-vector masking) is enabled (drivers/pci/pci_msi.h), INTx otherwise.
 */
#ifndef SKIFF_DRIVERS_EDU_H
#define SKIFF_DRIVERS_EDU_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci/pci.h"

#define EDU_VENDOR_ID	   0x1234
#define EDU_DEVICE_ID	   0x11e8
#define EDU_BUF_SIZE	   4096u /* device-side buffer: device addresses 0x40000-0x40fff */
#define EDU_DMA_TIMEOUT_MS 2000u /* a transfer completes about 100 ms after it starts */

enum edu_direction {
	EDU_FROM_RAM, /* device reads memory (IOVA) into its buffer */
	EDU_TO_RAM,   /* device writes its buffer to memory (IOVA) */
};

struct edu {
	struct pci_bdf bdf;
	uint64_t mmio; /* BAR0 */
};

/*
 * edu_probe - take the edu device @d: check identity and liveness registers through BAR0,
 * enable memory decoding and bus mastering. Returns 0, -ENODEV when @d is not a working edu.
 */
int edu_probe(const struct pci_device *d, struct edu *e);

/*
 * edu_find - edu_probe() the functions of @pci from index @from on and take the first working
 * edu that sits under a remapping unit (pci_device.unit) @usable accepts. Returns its index in
 * @pci->devices with @e set up, or -ENODEV when there is none (also for a NULL @pci).
 */
int edu_find(const struct pci_topology *pci, unsigned int from, bool (*usable)(unsigned int unit),
	     struct edu *e);

/*
 * edu_dma - copy @len bytes between the device buffer at offset @buf_off and @iova, and wait
 * for completion (bounded by EDU_DMA_TIMEOUT_MS).
 * @buf_off + @len must stay inside the 4 KiB buffer (QEMU aborts otherwise): -EINVAL.
 * Returns 0, or -ETIMEDOUT when the device did not finish (the IOMMU blocking the access does
 * not stop the device: it completes with the data dropped or read as all ones).
 */
int edu_dma(struct edu *e, enum edu_direction dir, uint64_t iova, uint32_t buf_off, uint32_t len);

/*
 * edu_irq_raise - OR @bits into the interrupt status register (0x24) through the raise register
 * (0x60): with MSI enabled the device sends its MSI once per call, whatever the status held
 * before (QEMU hw/misc/edu.c, edu_raise_irq); with MSI disabled it asserts INTx.
 */
void edu_irq_raise(struct edu *e, uint32_t bits);

/* edu_irq_ack - clear @bits of the interrupt status through the acknowledge register (0x64);
 * INTx is deasserted when no bit is left. */
void edu_irq_ack(struct edu *e, uint32_t bits);

/* edu_irq_status - the interrupt status register (0x24): the bits raised and not acknowledged. */
uint32_t edu_irq_status(const struct edu *e);

#endif
