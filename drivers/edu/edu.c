// SPDX-License-Identifier: MIT
/* QEMU edu device registers (QEMU docs/specs/edu.rst): 32-bit below 0x80, 64-bit DMA registers
 * from 0x80 (4- or 8-byte accesses only). */
#include "drivers/edu/edu.h"

#include <errno.h>

#include "drivers/pci/pci_regs.h"
#include "kernel/mm/mm.h"
#include "kernel/time.h"

#define EDU_REG_IDENT	   0x00 /* 0xRRrr00ed: major, minor revision */
#define EDU_REG_LIVENESS   0x04 /* reads back the bitwise inverse of what was written */
#define EDU_REG_IRQ_STATUS 0x24 /* raised interrupt bits */
#define EDU_REG_IRQ_RAISE  0x60 /* write: OR into the status and signal the interrupt */
#define EDU_REG_IRQ_ACK	   0x64 /* write: clear bits of the status */
#define EDU_REG_DMA_SRC	   0x80
#define EDU_REG_DMA_DST	   0x88
#define EDU_REG_DMA_COUNT  0x90
#define EDU_REG_DMA_CMD	   0x98
#define EDU_IDENT_MASK	   0xffff
#define EDU_IDENT_LOW	   0x00ed
#define EDU_DMA_CMD_START  (1u << 0)
#define EDU_DMA_CMD_TO_RAM (1u << 1) /* 0: RAM -> device buffer, 1: buffer -> RAM */
#define EDU_BUF_BASE	   0x40000u  /* device-side address of the buffer */
#define EDU_BAR_SIZE	   0x100000u
#define EDU_LIVENESS_PROBE 0x5a5aa5a5u
#define US_PER_MS	   1000u
#define POLL_US		   1000u

static uint32_t rd32(const struct edu *e, uint32_t reg)
{
	return *(volatile uint32_t *)(e->mmio + reg);
}

static void wr32(const struct edu *e, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(e->mmio + reg) = v;
}

static uint64_t rd64(const struct edu *e, uint32_t reg)
{
	return *(volatile uint64_t *)(e->mmio + reg);
}

static void wr64(const struct edu *e, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(e->mmio + reg) = v;
}

int edu_probe(const struct pci_device *d, struct edu *e)
{
	const struct pci_bar *bar = &d->bars[0];
	uint16_t cmd;

	if (d->vendor != EDU_VENDOR_ID || d->device != EDU_DEVICE_ID ||
	    bar->kind != PCI_BAR_MEM32 || bar->size < EDU_BAR_SIZE ||
	    mm_map_mmio(bar->base, bar->size))
		return -ENODEV;
	e->bdf = d->bdf;
	e->mmio = bar->base;
	cmd = (uint16_t)pci_cfg_read(d->bdf, PCI_COMMAND, 2);
	pci_cfg_write(d->bdf, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if ((rd32(e, EDU_REG_IDENT) & EDU_IDENT_MASK) != EDU_IDENT_LOW)
		return -ENODEV;
	wr32(e, EDU_REG_LIVENESS, EDU_LIVENESS_PROBE);
	return rd32(e, EDU_REG_LIVENESS) == (uint32_t)~EDU_LIVENESS_PROBE ? 0 : -ENODEV;
}

int edu_find(const struct pci_topology *pci, unsigned int from, bool (*usable)(unsigned int unit),
	     struct edu *e)
{
	for (unsigned int i = from; pci && i < pci->count; i++) {
		const struct pci_device *d = &pci->devices[i];

		if (d->unit != PCI_NO_INDEX && usable((unsigned int)d->unit) && !edu_probe(d, e))
			return (int)i;
	}
	return -ENODEV;
}

int edu_dma(struct edu *e, enum edu_direction dir, uint64_t iova, uint32_t buf_off, uint32_t len)
{
	uint64_t device_addr = EDU_BUF_BASE + buf_off;

	if (len == 0 || buf_off >= EDU_BUF_SIZE || len > EDU_BUF_SIZE - buf_off)
		return -EINVAL;
	wr64(e, EDU_REG_DMA_SRC, dir == EDU_FROM_RAM ? iova : device_addr);
	wr64(e, EDU_REG_DMA_DST, dir == EDU_FROM_RAM ? device_addr : iova);
	wr64(e, EDU_REG_DMA_COUNT, len);
	wr64(e, EDU_REG_DMA_CMD, EDU_DMA_CMD_START | (dir == EDU_TO_RAM ? EDU_DMA_CMD_TO_RAM : 0));
	for (uint32_t waited = 0; waited < EDU_DMA_TIMEOUT_MS * US_PER_MS; waited += POLL_US) {
		if (!(rd64(e, EDU_REG_DMA_CMD) & EDU_DMA_CMD_START))
			return 0;
		time_delay_us(POLL_US);
	}
	return -ETIMEDOUT;
}

void edu_irq_raise(struct edu *e, uint32_t bits)
{
	wr32(e, EDU_REG_IRQ_RAISE, bits);
}

void edu_irq_ack(struct edu *e, uint32_t bits)
{
	wr32(e, EDU_REG_IRQ_ACK, bits);
}

uint32_t edu_irq_status(const struct edu *e)
{
	return rd32(e, EDU_REG_IRQ_STATUS);
}
