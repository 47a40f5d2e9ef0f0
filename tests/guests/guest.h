/* SPDX-License-Identifier: MIT */
/*
 * What the test guest's files share: port I/O, the console (port HC_CONSOLE_PORT, shown by skiff
 * as "[guest] ..." lines), hypercalls, configuration mechanism #1 (pci.c) and the edu checks
 * (edu.c). Freestanding: no C library.
 */
#ifndef SKIFF_TESTS_GUESTS_GUEST_H
#define SKIFF_TESTS_GUESTS_GUEST_H

#include <stdbool.h>
#include <stdint.h>

static inline void out8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void out16(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void out32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t in32(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint8_t in8(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t in16(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* main.c: hypercalls use VMCALL (skiff on VMX) rather than VMMCALL (SVM); set from CPUID. */
extern bool hc_vmcall;

/* hypercall - VMCALL or VMMCALL @nr with @arg in RBX (vmm/hypercall.h); returns RAX. */
static inline uint64_t hypercall(uint64_t nr, uint64_t arg)
{
	uint64_t ret;

	if (hc_vmcall)
		__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(arg) : "memory");
	else
		__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(arg) : "memory");
	return ret;
}

/* console.c */
void put(const char *s);
void put_hex(uint64_t v);

/* pci.c: configuration registers of bus 0, device @dev, function 0 (1, 2 or 4 bytes). */
uint32_t pci_read(unsigned int dev, unsigned int reg, unsigned int size);
void pci_write(unsigned int dev, unsigned int reg, unsigned int size, uint32_t v);
/* pci_find - the device number of @vendor:@device on bus 0, or -1. */
int pci_find(uint16_t vendor, uint16_t device);

/* idt.c: route @vector to guest_irq_entry (entry.S), which counts into guest_irq_count. */
void idt_route(uint8_t vector);
extern volatile uint32_t guest_irq_count;

/* irq.c: ask skiff for interrupts and check how they arrive; returns TEST_GUEST_FAIL_* bits. */
uint32_t check_inject(void);

/* bench.c: the exit benchmark, when skiff asks for one (vmm/vm_bench.h). */
void run_bench(void);

/* edu.c: find edu and run the DMA and MSI checks; returns TEST_GUEST_FAIL_* bits. */
uint32_t check_edu(void);

#endif
