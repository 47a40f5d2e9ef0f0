// SPDX-License-Identifier: MIT
/*
 * The test guest drives QEMU's edu device (QEMU docs/specs/edu.rst) that skiff passes through:
 * it finds it through configuration space (tests/guests/pci.c), sizes and enables its BAR0,
 * copies a page RAM -> device -> RAM by DMA with guest-physical addresses and checks it, aims a
 * DMA write and a DMA read outside its RAM (the IOMMU must block both: nothing may come back),
 * and takes one MSI through the virtual MSI capability, delivered by skiff to its IDT.
 * Each check prints one console line; failures set TEST_GUEST_FAIL_* bits.
 */
#include "drivers/pci/pci_msi_regs.h"
#include "drivers/pci/pci_regs.h"
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define MSI_ADDR 0xfee00000u /* destination APIC ID 0, physical mode */
#define ALL_ONES 0xffffffffu

/* edu's registers (BAR0). */
#define EDU_VENDOR	   0x1234
#define EDU_DEVICE	   0x11e8
#define EDU_BAR_SIZE	   0x100000u
#define EDU_IDENT	   0x00
#define EDU_IDENT_MASK	   0xffffu
#define EDU_IDENT_LOW	   0x00edu
#define EDU_LIVENESS	   0x04
#define EDU_LIVENESS_PROBE 0x5a5aa5a5u
#define EDU_IRQ_RAISE	   0x60
#define EDU_IRQ_ACK	   0x64
#define EDU_DMA_SRC	   0x80
#define EDU_DMA_DST	   0x88
#define EDU_DMA_COUNT	   0x90
#define EDU_DMA_CMD	   0x98
#define EDU_DMA_START	   (1u << 0)
#define EDU_DMA_TO_RAM	   (1u << 1)
#define EDU_BUF		   0x40000u /* the device buffer's DMA address */
#define EDU_IRQ_BIT	   (1u << 0)

#define PAGE	   4096u
#define SLOT	   0x800u /* a buffer slot for the outside checks */
#define SLOT_LEN   256u
#define DMA_POLLS  20000000u /* a DMA takes ~100 ms under TCG; far fewer polls */
#define MSI_POLLS  20000000u
#define MSI_SETTLE 2000000u /* spins after the first interrupt: time for a second */
#define FILL_ONES  0xffu
#define PATTERN_A  3u
#define PATTERN_B  101u

enum dma_dir { FROM_RAM, TO_RAM };

static uint8_t src[PAGE] __attribute__((aligned(PAGE)));
static uint8_t dst[PAGE] __attribute__((aligned(PAGE)));
static uint8_t slot_copy[SLOT_LEN] __attribute__((aligned(PAGE)));

static uint32_t rd32(uint64_t mmio, uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(mmio + reg);
}

static void wr32(uint64_t mmio, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(mmio + reg) = v;
}

static uint64_t rd64(uint64_t mmio, uint32_t reg)
{
	return *(volatile uint64_t *)(uintptr_t)(mmio + reg);
}

static void wr64(uint64_t mmio, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(mmio + reg) = v;
}

static uint8_t pattern(uint32_t i, uint32_t seed)
{
	return (uint8_t)(i * 7 + seed);
}

/* One transfer of @len bytes between guest-physical @gpa and the buffer at @off; 0 when done. */
static int dma(uint64_t mmio, enum dma_dir dir, uint64_t gpa, uint32_t off, uint32_t len)
{
	wr64(mmio, EDU_DMA_SRC, dir == FROM_RAM ? gpa : EDU_BUF + off);
	wr64(mmio, EDU_DMA_DST, dir == FROM_RAM ? EDU_BUF + off : gpa);
	wr64(mmio, EDU_DMA_COUNT, len);
	wr64(mmio, EDU_DMA_CMD, EDU_DMA_START | (dir == TO_RAM ? EDU_DMA_TO_RAM : 0));
	for (uint32_t i = 0; i < DMA_POLLS; i++)
		if (!(rd64(mmio, EDU_DMA_CMD) & EDU_DMA_START))
			return 0;
	return -1;
}

static uint32_t check_bar(unsigned int dev, uint64_t *mmio)
{
	uint32_t bar = pci_read(dev, PCI_BAR0, 4), size;

	pci_write(dev, PCI_BAR0, 4, ALL_ONES);
	size = ~(pci_read(dev, PCI_BAR0, 4) & (uint32_t)PCI_BAR_MEM_MASK) + 1;
	pci_write(dev, PCI_BAR0, 4, bar);
	*mmio = bar & PCI_BAR_MEM_MASK;
	put("pci: edu BAR0 at ");
	put_hex(*mmio);
	put(", size ");
	put_hex(size);
	put("\n");
	pci_write(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return size == EDU_BAR_SIZE && pci_read(dev, PCI_BAR0, 4) == bar ? 0 :
									   TEST_GUEST_FAIL_PCI_BAR;
}

/* RAM -> edu -> RAM, a page, inside the window skiff counts exits in. */
static uint32_t check_dma(uint64_t mmio)
{
	uint32_t bad = 0;
	int err;

	for (uint32_t i = 0; i < PAGE; i++) {
		src[i] = pattern(i, PATTERN_A);
		dst[i] = 0;
	}
	hypercall(TEST_GUEST_HC_WINDOW, TEST_GUEST_WINDOW_OPEN);
	err = dma(mmio, FROM_RAM, (uintptr_t)src, 0, PAGE);
	if (!err)
		err = dma(mmio, TO_RAM, (uintptr_t)dst, 0, PAGE);
	hypercall(TEST_GUEST_HC_WINDOW, 0);
	for (uint32_t i = 0; i < PAGE; i++)
		bad += dst[i] != pattern(i, PATTERN_A);
	put("dma: ");
	put_hex(PAGE);
	put(" bytes RAM ");
	put_hex((uintptr_t)src);
	put(" -> edu -> RAM ");
	put_hex((uintptr_t)dst);
	put(err ? ": timed out\n" : bad ? ": data differs\n" : ": data ok\n");
	return err ? TEST_GUEST_FAIL_DMA_TIMEOUT : bad ? TEST_GUEST_FAIL_DMA_DATA : 0;
}

/*
 * A write and a read at TEST_GUEST_DMA_OUTSIDE. The write's data cannot be seen from here (skiff
 * checks its fault); the read must bring nothing into the slot, which holds pattern B before:
 * afterwards it holds pattern B still, or a fill of all ones or zeros, never other data.
 */
static uint32_t check_outside(uint64_t mmio)
{
	bool kept = true, ones = true, zeros = true;
	int err;

	for (uint32_t i = 0; i < SLOT_LEN; i++)
		src[i] = pattern(i, PATTERN_B);
	err = dma(mmio, FROM_RAM, (uintptr_t)src, SLOT, SLOT_LEN);
	if (!err)
		err = dma(mmio, TO_RAM, TEST_GUEST_DMA_OUTSIDE, SLOT, SLOT_LEN);
	if (!err)
		err = dma(mmio, FROM_RAM, TEST_GUEST_DMA_OUTSIDE, SLOT, SLOT_LEN);
	if (!err)
		err = dma(mmio, TO_RAM, (uintptr_t)slot_copy, SLOT, SLOT_LEN);
	for (uint32_t i = 0; i < SLOT_LEN; i++) {
		kept = kept && slot_copy[i] == pattern(i, PATTERN_B);
		ones = ones && slot_copy[i] == FILL_ONES;
		zeros = zeros && slot_copy[i] == 0;
	}
	put("dma: write and read at ");
	put_hex(TEST_GUEST_DMA_OUTSIDE);
	put(" outside RAM: ");
	put(err	  ? "timed out\n" :
	    kept  ? "nothing read (buffer unchanged)\n" :
	    ones  ? "nothing read (all ones)\n" :
	    zeros ? "nothing read (zeros)\n" :
		    "data came back\n");
	return err		     ? TEST_GUEST_FAIL_DMA_TIMEOUT :
	       kept || ones || zeros ? 0 :
				       TEST_GUEST_FAIL_DMA_OUTSIDE;
}

unsigned int edu_msi_setup(unsigned int dev)
{
	unsigned int cap = pci_find_cap(dev, PCI_CAP_ID_MSI);

	if (!cap)
		return 0;
	idt_route(TEST_GUEST_MSI_VECTOR);
	pci_write(dev, cap + PCI_MSI_ADDR_LO, 4, MSI_ADDR);
	pci_write(dev, cap + PCI_MSI_ADDR_HI, 4, 0);
	pci_write(dev, cap + PCI_MSI_DATA_64, 2, TEST_GUEST_MSI_VECTOR);
	return cap;
}

uint32_t edu_interrupts(uint64_t mmio)
{
	uint32_t before = guest_irq_count, got;

	__asm__ volatile("sti" ::: "memory");
	wr32(mmio, EDU_IRQ_RAISE, EDU_IRQ_BIT);
	for (uint32_t i = 0; i < MSI_POLLS && guest_irq_count == before; i++)
		__asm__ volatile("pause");
	for (uint32_t i = 0; i < MSI_SETTLE; i++)
		__asm__ volatile("pause");
	__asm__ volatile("cli" ::: "memory");
	got = guest_irq_count - before;
	wr32(mmio, EDU_IRQ_ACK, EDU_IRQ_BIT);
	return got;
}

/* One raise of edu's interrupt through its MSI must reach the IDT once. */
static uint32_t check_msi(unsigned int dev, uint64_t mmio)
{
	unsigned int cap = edu_msi_setup(dev);
	uint32_t got;

	if (!cap) {
		put("msi: no MSI capability\n");
		return TEST_GUEST_FAIL_MSI_NONE;
	}
	pci_write(dev, cap + PCI_MSI_CTRL, 2,
		  pci_read(dev, cap + PCI_MSI_CTRL, 2) | PCI_MSI_CTRL_ENABLE);
	got = edu_interrupts(mmio);
	pci_write(dev, cap + PCI_MSI_CTRL, 2,
		  pci_read(dev, cap + PCI_MSI_CTRL, 2) & ~PCI_MSI_CTRL_ENABLE);
	put("msi: one raise, vector ");
	put_hex(TEST_GUEST_MSI_VECTOR);
	put(": interrupts taken ");
	put_hex(got);
	put("\n");
	return got == 0 ? TEST_GUEST_FAIL_MSI_NONE : got > 1 ? TEST_GUEST_FAIL_MSI_COUNT : 0;
}

int edu_open(uint64_t *mmio)
{
	int dev = pci_find(EDU_VENDOR, EDU_DEVICE);

	*mmio = dev < 0 ? 0 : pci_read((unsigned int)dev, PCI_BAR0, 4) & PCI_BAR_MEM_MASK;
	return dev;
}

bool edu_answers(uint64_t mmio)
{
	if ((rd32(mmio, EDU_IDENT) & EDU_IDENT_MASK) != EDU_IDENT_LOW)
		return false;
	wr32(mmio, EDU_LIVENESS, EDU_LIVENESS_PROBE);
	return rd32(mmio, EDU_LIVENESS) == (uint32_t)~EDU_LIVENESS_PROBE;
}

uint32_t check_edu(void)
{
	int dev = pci_find(EDU_VENDOR, EDU_DEVICE);
	uint64_t mmio;
	uint32_t fail;

	if (dev < 0) {
		put("pci: no edu device on bus 0: DMA and MSI checks skipped\n");
		return 0;
	}
	put("pci: edu 1234:11e8 at bus 0 device ");
	put_hex((unsigned int)dev);
	put("\n");
	fail = check_bar((unsigned int)dev, &mmio);
	if (!edu_answers(mmio))
		return fail | TEST_GUEST_FAIL_EDU_IDENT;
	fail |= check_dma(mmio);
	fail |= check_outside(mmio);
	return fail | check_msi((unsigned int)dev, mmio);
}
