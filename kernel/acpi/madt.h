/* SPDX-License-Identifier: MIT */
/* The Multiple APIC Description Table (ACPI 6.5, 5.2.12), parsed from untrusted bytes. */
#ifndef SKIFF_KERNEL_ACPI_MADT_H
#define SKIFF_KERNEL_ACPI_MADT_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/acpi_notes.h"

#define MADT_FLAG_PCAT_COMPAT (1u << 0)

/* Interrupt controller structure types (ACPI 6.5 table 5.21). */
enum madt_type {
	MADT_TYPE_LAPIC = 0,
	MADT_TYPE_IOAPIC = 1,
	MADT_TYPE_INT_OVERRIDE = 2,
	MADT_TYPE_NMI_SOURCE = 3,
	MADT_TYPE_LAPIC_NMI = 4,
	MADT_TYPE_LAPIC_ADDR_OVERRIDE = 5,
	MADT_TYPE_X2APIC = 9,
	MADT_TYPE_X2APIC_NMI = 10,
};

#define MADT_LAPIC_ENABLED	  (1u << 0)
#define MADT_LAPIC_ONLINE_CAPABLE (1u << 1)

#define MADT_MAX_LAPIC	   1024
#define MADT_MAX_X2APIC	   1024
#define MADT_MAX_IOAPIC	   64
#define MADT_MAX_OVERRIDES 64
#define MADT_MAX_NMI	   1024

struct madt_lapic {
	uint32_t uid;	  /* ACPI processor UID */
	uint32_t apic_id; /* local APIC id (8 bits) or x2APIC id (32 bits) */
	uint32_t flags;	  /* MADT_LAPIC_* */
};

struct madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct madt_override {
	uint8_t bus; /* 0 = ISA */
	uint8_t source;
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2 */
};

/* Local APIC NMI (type 4) and local x2APIC NMI (type 10): which LINT pin of which CPU. */
struct madt_lapic_nmi {
	uint32_t uid; /* 0xff (type 4) or 0xffffffff (type 10) means every processor */
	uint16_t flags;
	uint8_t lint;
};

/* NMI source (type 3): a GSI that delivers NMIs. */
struct madt_nmi_source {
	uint16_t flags;
	uint32_t gsi;
};

struct madt_table {
	uint64_t lapic_address; /* the 32-bit field, or the type 5 override when present */
	uint32_t flags;		/* MADT_FLAG_* */
	uint16_t nr_lapic, nr_x2apic, nr_ioapic, nr_overrides, nr_lapic_nmi, nr_x2apic_nmi,
		nr_nmi_sources;
	struct madt_lapic lapic[MADT_MAX_LAPIC];
	struct madt_lapic x2apic[MADT_MAX_X2APIC];
	struct madt_ioapic ioapic[MADT_MAX_IOAPIC];
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	struct madt_lapic_nmi lapic_nmi[MADT_MAX_NMI];
	struct madt_lapic_nmi x2apic_nmi[MADT_MAX_NMI];
	struct madt_nmi_source nmi_sources[MADT_MAX_OVERRIDES];
	struct acpi_notes notes;
};

/*
 * madt_parse - parse the MADT ("APIC") in @buf, @avail readable bytes.
 * Structures of unknown type are skipped with an info note; a structure shorter than its type
 * needs, or running past the table, is noted and ignored (a zero length stops the walk).
 * Returns 0 when parsed, -EINVAL when rejected (shorter than 44 bytes, wrong signature, length
 * field below 44 or above @avail).
 */
int madt_parse(const uint8_t *buf, size_t avail, struct madt_table *out);

#endif
