/* SPDX-License-Identifier: MIT */
/*
 * The DMA Remapping Reporting table (VT-d specification rev 5.0, chapter 8): DMAR header and
 * every remapping structure with its device scopes, parsed from untrusted bytes into fixed-size
 * arrays. The parser is pure (no logging, no allocation): problems become notes.
 */
#ifndef SKIFF_KERNEL_ACPI_DMAR_H
#define SKIFF_KERNEL_ACPI_DMAR_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/acpi_notes.h"

/* DMAR flags (VT-d 8.1, table 8-1). */
#define DMAR_FLAG_INTR_REMAP		   (1u << 0)
#define DMAR_FLAG_X2APIC_OPT_OUT	   (1u << 1)
#define DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN (1u << 2)

/* Remapping structure types (VT-d 8.2). */
enum dmar_struct_type {
	DMAR_TYPE_DRHD = 0, /* DMA-remapping hardware unit definition (8.3) */
	DMAR_TYPE_RMRR = 1, /* reserved memory region reporting (8.4) */
	DMAR_TYPE_ATSR = 2, /* root port ATS capability reporting (8.5) */
	DMAR_TYPE_RHSA = 3, /* remapping hardware static affinity (8.6) */
	DMAR_TYPE_ANDD = 4, /* ACPI name-space device declaration (8.7) */
	DMAR_TYPE_SATC = 5, /* SoC integrated address translation cache (8.8) */
	DMAR_TYPE_SIDP = 6, /* SoC integrated device property (8.9) */
};

/* Device scope entry types (VT-d 8.3.1, table 8-4). */
enum dmar_scope_type {
	DMAR_SCOPE_PCI_ENDPOINT = 1,
	DMAR_SCOPE_PCI_SUB_HIERARCHY = 2,
	DMAR_SCOPE_IOAPIC = 3,
	DMAR_SCOPE_MSI_HPET = 4,
	DMAR_SCOPE_ACPI_NAMESPACE = 5,
};

#define DRHD_FLAG_INCLUDE_PCI_ALL (1u << 0)
#define ATSR_FLAG_ALL_PORTS	  (1u << 0)
#define SATC_FLAG_ATC_REQUIRED	  (1u << 0)

#define DMAR_MAX_PATH	   16 /* (device, function) pairs in one scope */
#define DMAR_MAX_DRHD	   64
#define DMAR_MAX_RMRR	   64
#define DMAR_MAX_ATSR	   32
#define DMAR_MAX_RHSA	   64
#define DMAR_MAX_ANDD	   32
#define DMAR_MAX_SATC	   32
#define DMAR_MAX_SIDP	   32
#define DMAR_MAX_SCOPES	   1024 /* all structures' device scopes together */
#define DMAR_ANDD_NAME_MAX 64

struct dmar_scope {
	uint8_t type;  /* enum dmar_scope_type */
	uint8_t flags; /* byte 2: reserved before VT-d 4.0, scope flags on newer firmware */
	uint8_t enum_id;
	uint8_t start_bus;
	uint8_t path_len; /* number of (device, function) pairs, >= 1 */
	uint8_t path[DMAR_MAX_PATH][2];
	uint32_t offset; /* of the scope entry in the table */
};

/* The device scopes of one structure: scopes[first .. first + count) of struct dmar_table. */
struct dmar_scope_list {
	uint16_t first;
	uint16_t count;
};

struct dmar_drhd {
	uint8_t flags; /* DRHD_FLAG_* */
	uint8_t size;  /* register set size: 2^size 4 KiB pages (0 on tables before rev 3.x) */
	uint16_t segment;
	uint64_t base;	 /* register base address */
	uint32_t offset; /* of the structure in the table */
	struct dmar_scope_list scopes;
};

struct dmar_rmrr {
	uint16_t segment;
	uint64_t base;	/* should be 4 KiB aligned; a WARN note says when it is not */
	uint64_t limit; /* last byte: base + size - 1 */
	uint32_t offset;
	struct dmar_scope_list scopes;
};

struct dmar_atsr {
	uint8_t flags; /* ATSR_FLAG_ALL_PORTS */
	uint16_t segment;
	uint32_t offset;
	struct dmar_scope_list scopes;
};

struct dmar_rhsa {
	uint64_t base; /* register base of the DRHD it describes */
	uint32_t proximity_domain;
	uint32_t offset;
};

struct dmar_andd {
	uint8_t device_number;	       /* enumeration id used by ACPI name-space device scopes */
	char name[DMAR_ANDD_NAME_MAX]; /* ACPI object name, e.g. "\\_SB.PCI0.I2C0" */
	uint32_t offset;
};

struct dmar_satc {
	uint8_t flags; /* SATC_FLAG_ATC_REQUIRED */
	uint16_t segment;
	uint32_t offset;
	struct dmar_scope_list scopes;
};

struct dmar_sidp {
	uint16_t segment;
	uint32_t offset;
	struct dmar_scope_list scopes;
};

struct dmar_table {
	uint16_t haw_bits; /* host address width: the table's field plus one (1..256) */
	uint8_t flags;	   /* DMAR_FLAG_* */
	uint16_t nr_drhd, nr_rmrr, nr_atsr, nr_rhsa, nr_andd, nr_satc, nr_sidp, nr_scopes;
	struct dmar_drhd drhd[DMAR_MAX_DRHD];
	struct dmar_rmrr rmrr[DMAR_MAX_RMRR];
	struct dmar_atsr atsr[DMAR_MAX_ATSR];
	struct dmar_rhsa rhsa[DMAR_MAX_RHSA];
	struct dmar_andd andd[DMAR_MAX_ANDD];
	struct dmar_satc satc[DMAR_MAX_SATC];
	struct dmar_sidp sidp[DMAR_MAX_SIDP];
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
	struct acpi_notes notes;
};

/*
 * dmar_parse - parse the DMAR table in @buf.
 * @buf, @avail: the table's bytes and how many of them may be read (the mapped size; the
 *               table's own length field is checked against it).
 * @out:         the result (large: allocate it, do not put it on a small stack).
 * Every length, offset and count is checked against the table's length and @avail; a damaged
 * structure or scope is noted (offset and rule) and ignored, and parsing goes on with the next
 * structure where the damage allows. A bad checksum is a warning note only.
 * Structures ignored for a rule they break (ERROR note) are not in the arrays, so the counts can
 * be below the table's.
 * Returns 0 when the table was parsed (notes may say parts were ignored), or -EINVAL when it was
 * rejected: fewer than 48 bytes, wrong signature, length field below 48 or above @avail.
 */
int dmar_parse(const uint8_t *buf, size_t avail, struct dmar_table *out);

/* dmar_drhd_bytes - the size of @d's register set: 2^Size 4 KiB pages (4 KiB for Size 0). */
uint64_t dmar_drhd_bytes(const struct dmar_drhd *d);

#endif
