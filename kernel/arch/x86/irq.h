/* SPDX-License-Identifier: MIT */
/* External interrupts: vectors 32-255, one handler each, acknowledged at the local APIC. */
#ifndef SKIFF_KERNEL_ARCH_X86_IRQ_H
#define SKIFF_KERNEL_ARCH_X86_IRQ_H

#include <stdint.h>

#define IRQ_VECTOR_FIRST    32
#define IRQ_VECTOR_SPURIOUS 0xff /* the local APIC's spurious vector: never acknowledged */

typedef void (*irq_handler_fn)(void *arg);

/*
 * irq_alloc - take a free vector (32-254) for @handler(@arg). Returns the vector, or -ENOSPC.
 * Handlers run with interrupts off, on the interrupted stack, and must not block.
 */
int irq_alloc(irq_handler_fn handler, void *arg);

/* irq_free - give @vector back; its interrupts are counted as unexpected from then on. */
void irq_free(int vector);

/* irq_count - interrupts delivered on @vector so far. */
uint64_t irq_count(int vector);

/* irq_dispatch - called by kernel/arch/x86/trap_entry.S for vectors 32-255. */
void irq_dispatch(uint64_t vector);

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

#endif
