/* SPDX-License-Identifier: MIT */
/* The boot CPU's local APIC (xAPIC or x2APIC mode) and the legacy interrupt controllers. */
#ifndef SKIFF_KERNEL_ARCH_X86_APIC_H
#define SKIFF_KERNEL_ARCH_X86_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi/madt.h"

/* A compatibility-format MSI (Intel SDM vol. 3A, 11.11): what a device writes, and where. */
struct msi_message {
	uint64_t address;
	uint32_t data;
};

/*
 * apic_init - enable the local APIC in the mode firmware left it in (x2APIC stays x2APIC),
 * with spurious vector IRQ_VECTOR_SPURIOUS; mask its timer, LINT0, error, thermal and
 * performance LVT entries, the 8259 PICs and every IOAPIC redirection entry of @madt (NULL:
 * none): only interrupts skiff programs can arrive. Returns 0 or -ENODEV (no local APIC).
 */
int apic_init(const struct madt_table *madt);

/* apic_id - the boot CPU's APIC id (8-bit xAPIC id, or 32-bit x2APIC id). */
uint32_t apic_id(void);

/* apic_x2apic - the boot CPU's local APIC runs in x2APIC mode (IA32_APIC_BASE.EXTD). */
bool apic_x2apic(void);

/* apic_tpr - the task-priority register (TPR[7:4] is CR8, SDM vol. 3A 11.8.6.1). */
uint32_t apic_tpr(void);

/*
 * apic_self_ipi - send fixed interrupt @vector (32-255) to this CPU through the ICR with the
 * "self" destination shorthand (SDM vol. 3A 11.6.1). It arrives once interrupts are enabled and
 * the TPR allows it.
 */
void apic_self_ipi(uint8_t vector);

/* apic_self_nmi - send an NMI to this CPU through the ICR (delivery mode NMI, its own APIC id in
 * physical destination mode, SDM vol. 3A 11.6.1); it arrives at once, whatever RFLAGS.IF. */
void apic_self_nmi(void);

/* apic_eoi - end of interrupt for the vector in service. */
void apic_eoi(void);

/*
 * apic_msi - a compatibility-format MSI for @vector, fixed delivery, edge, to the boot CPU
 * (physical destination mode). Returns 0, or -ERANGE when the APIC id does not fit the
 * 8-bit destination field (such CPUs need interrupt remapping).
 */
int apic_msi(uint8_t vector, struct msi_message *out);

#endif
