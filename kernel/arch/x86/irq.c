// SPDX-License-Identifier: MIT
#include "kernel/arch/x86/irq.h"

#include <errno.h>

#include "kernel/arch/x86/apic.h"
#include "kernel/log.h"

#define IRQ_VECTORS 256

struct irq_slot {
	irq_handler_fn handler;
	void *arg;
	uint64_t count;
};

static struct irq_slot slots[IRQ_VECTORS];
static uint64_t unexpected;

int irq_alloc(irq_handler_fn handler, void *arg)
{
	for (int v = IRQ_VECTOR_FIRST; v < IRQ_VECTOR_SPURIOUS; v++)
		if (!slots[v].handler) {
			slots[v] = (struct irq_slot){ .handler = handler, .arg = arg };
			return v;
		}
	return -ENOSPC;
}

void irq_free(int vector)
{
	if (vector >= IRQ_VECTOR_FIRST && vector < IRQ_VECTORS)
		slots[vector].handler = NULL;
}

uint64_t irq_count(int vector)
{
	return vector >= 0 && vector < IRQ_VECTORS ? slots[vector].count : 0;
}

void irq_dispatch(uint64_t vector)
{
	struct irq_slot *s = &slots[vector % IRQ_VECTORS];

	/* A spurious interrupt is not in service at the local APIC: no EOI (SDM 3A 11.9). */
	if (vector == IRQ_VECTOR_SPURIOUS)
		return;
	s->count++;
	if (s->handler)
		s->handler(s->arg);
	else if (unexpected++ < 8)
		log_warn("irq: unexpected interrupt on vector %llu", (unsigned long long)vector);
	apic_eoi();
}
