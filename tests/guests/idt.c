// SPDX-License-Identifier: MIT
/*
 * The test guest's IDT: 256 64-bit interrupt gates (SDM vol. 3A 6.10, 6.14.1). The vectors
 * idt_route() routes lead to guest_irq_entry (entry.S), which counts into guest_irq_count and
 * returns; idt_set() points a vector at any handler (trap.c routes the exceptions), idt_gate()
 * also sets the gate's DPL (who may reach it with INT n) and its interrupt stack (IST).
 */
#include "tests/guests/desc.h"
#include "tests/guests/guest.h"

#define GATE_INTR64	0x8eull /* P, DPL 0, 64-bit interrupt gate */
#define GATE_DPL_SHIFT	45
#define GATE_IST_SHIFT	32
#define GATE_IST_MASK	0x7ull
#define GATE_DPL_MASK	0x3ull
#define GATE_ATTR_SHIFT 40
#define GATE_SEL_SHIFT	16
#define GATE_OFF_MID	48
#define GATE_OFF_SHIFT	16
#define IDT_ENTRIES	256
#define LOW16		0xffffull
#define HIGH32_SHIFT	32

struct __attribute__((packed)) idt_pointer {
	uint16_t limit;
	uint64_t base;
};

/* entry.S */
void guest_irq_entry(void);
volatile uint32_t guest_irq_count;

static uint64_t idt[2 * IDT_ENTRIES] __attribute__((aligned(16)));

void idt_gate(uint8_t vector, void (*handler)(void), unsigned int dpl, unsigned int ist)
{
	uint64_t off = (uintptr_t)handler;

	idt[2 * vector] = (off & LOW16) | (uint64_t)SEL_CODE64 << GATE_SEL_SHIFT |
			  (ist & GATE_IST_MASK) << GATE_IST_SHIFT | GATE_INTR64 << GATE_ATTR_SHIFT |
			  (dpl & GATE_DPL_MASK) << GATE_DPL_SHIFT |
			  ((off >> GATE_OFF_SHIFT) & LOW16) << GATE_OFF_MID;
	idt[2 * vector + 1] = off >> HIGH32_SHIFT;
	idt_load();
}

void idt_load(void)
{
	struct idt_pointer p = { sizeof(idt) - 1, (uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void idt_set(uint8_t vector, void (*handler)(void))
{
	idt_gate(vector, handler, 0, 0);
}

void idt_route(uint8_t vector)
{
	idt_set(vector, guest_irq_entry);
}
