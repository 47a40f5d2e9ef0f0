/* SPDX-License-Identifier: MIT */
/*
 * Values that the guest's DSDT (vmm/vplat/dsdt.asl, compiled by iasl) and the C table builder
 * (vmm/vplat/acpi_guest.c) share, so that each has one definition. iasl's preprocessor reads
 * this file too: it may hold only "#define NAME VALUE" lines with plain literals (no casts,
 * suffixes or parentheses) and C comments.
 */
#ifndef SKIFF_VMM_VPLAT_ACPI_GUEST_ASL_H
#define SKIFF_VMM_VPLAT_ACPI_GUEST_ASL_H

/* OEM ID, OEM Table ID and OEM Revision of every table skiff builds (ACPI 6.5, 5.2.6). */
#define ACPI_GUEST_OEM_ID	"SKIFF "
#define ACPI_GUEST_OEM_TABLE_ID "SKIFFVM "
#define ACPI_GUEST_OEM_REVISION 1

/*
 * SLP_TYPa of \_S5 (ACPI 6.5, 7.4.2): the soft-off type that OSPM writes into the SLP_TYP field
 * of SLEEP_CONTROL_REG together with SLP_EN (4.8.3.7). Any 3-bit value would do; 5 names S5.
 */
#define ACPI_GUEST_S5_SLP_TYP 5

#endif
