/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables skiff builds for a guest's small virtual platform: RSDP, XSDT, a
 * hardware-reduced FADT, the DSDT (compiled from vmm/vplat/dsdt.asl, patched with the VM's
 * values), MADT and MCFG, written into one caller buffer that the guest sees at a given
 * guest-physical address. Pure: no allocation, no logging; the caller logs a refusal's reason.
 *
 * The platform these tables describe (ACPI 6.5, 4.1 "Hardware-Reduced ACPI"): no SCI, PM timer,
 * GPE or PM1 blocks, and no FACS. It has:
 *  - one local APIC per vCPU at 0xFEE00000 (x2APIC capable), and no I/O APIC and no 8259 PIC
 *    (PCAT_COMPAT clear): Linux in hardware-reduced mode uses no legacy PIC, finds no I/O APIC
 *    (it says "No IOAPIC entries present" and goes on), and its devices interrupt through MSI
 *    or MSI-X (NVMe and e1000e do);
 *  - reset: RESET_REG is port 0xCF9 with value ACPI_GUEST_RESET_VALUE (below);
 *  - soft off: SLEEP_CONTROL_REG and SLEEP_STATUS_REG are ports ACPI_GUEST_SLEEP_*_PORT. To
 *    power off, OSPM evaluates \_S5 (SLP_TYPa = ACPI_GUEST_S5_SLP_TYP), writes WAK_STS to the
 *    status register to clear it, then writes SLP_TYPa << 2 | SLP_EN (0x34) to the control
 *    register (ACPI 6.5, 4.8.3.7 and 7.4.2; ACPICA's acpi_hw_extended_sleep());
 *  - one PCI segment with an ECAM window (MCFG, and reserved as a PNP0C02 motherboard resource)
 *    and a host bridge whose _CRS gives its bus range and two memory windows for the BARs.
 * No VM uses these tables yet; the VM builder will call acpi_guest_build() and pass the RSDP's
 * address to Linux in boot_params.acpi_rsdp_addr.
 */
#ifndef SKIFF_VMM_VPLAT_ACPI_GUEST_H
#define SKIFF_VMM_VPLAT_ACPI_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/vplat/acpi_guest_asl.h"

#define ACPI_GUEST_WHY_LEN 160

/* Creator ID and Creator Revision of the tables built in C (ACPI 6.5, 5.2.6). */
#define ACPI_GUEST_CREATOR_ID	    "SKIF"
#define ACPI_GUEST_CREATOR_REVISION 1
/* The FADT's Hypervisor Vendor Identity (ACPI 6.5, table 5.9): the vendor's name, 8 bytes. */
#define ACPI_GUEST_HYPERVISOR_ID "SKIFF   "

/* The local APIC's address (SDM vol. 3A, 11.4.1); the MSI window shares its 1 MiB. */
#define ACPI_GUEST_LAPIC_ADDRESS   0xfee00000u
#define ACPI_GUEST_MSI_WINDOW_SIZE 0x100000u
/* Local APIC IDs from this one on need the x2APIC structure (ACPI 6.5, 5.2.12.12). */
#define ACPI_GUEST_X2APIC_FIRST_ID 255u

/*
 * Reset: the PC's Reset Control Register at I/O port 0xCF9 (Intel ICH/PCH datasheets, "RST_CNT").
 * The reset starts when RST_CPU (bit 2) goes from 0 to 1; SYS_RST (bit 1) makes it a hard reset
 * of the whole platform rather than of the CPU alone. FULL_RST (bit 3, value 0xE) would also
 * cycle the power planes, which a VM has none of: 0x06 is the value that means "reset the
 * machine" and no more (it is also what Linux's reboot=pci writes for a warm reset). ACPI
 * requires an 8-bit register at offset 0 for RESET_REG (ACPI 6.5, 4.8.3.6).
 */
#define ACPI_GUEST_RESET_PORT  0xcf9u
#define CF9_SYS_RST	       (1u << 1)
#define CF9_RST_CPU	       (1u << 2)
#define ACPI_GUEST_RESET_VALUE (CF9_SYS_RST | CF9_RST_CPU)

/*
 * Hardware-reduced sleep registers (ACPI 6.5, 4.8.3.7): two 8-bit I/O ports. 0x600 and 0x601 are
 * no PC/AT device's (those sit below 0x400), are outside the ranges ACPICA refuses to touch
 * through a GAS (its acpi_protected_ports: DMA, PIC, PIT, RTC, ELCR 0x4D0, PCI 0xCF8-0xCFF) and
 * below 0x1000, where Linux starts placing PCI I/O BARs (PCIBIOS_MIN_IO), so no BAR can land on
 * them. An I/O port rather than MMIO: an I/O exit names the port, size and value, so no
 * instruction needs decoding.
 */
#define ACPI_GUEST_SLEEP_CONTROL_PORT 0x600u
#define ACPI_GUEST_SLEEP_STATUS_PORT  0x601u
/* Sleep Control Register (4.8.3.7.1) and Sleep Status Register (4.8.3.7.2) fields. */
#define ACPI_SLEEP_CONTROL_SLP_TYP_SHIFT 2
#define ACPI_SLEEP_CONTROL_SLP_TYP_MASK	 (7u << ACPI_SLEEP_CONTROL_SLP_TYP_SHIFT)
#define ACPI_SLEEP_CONTROL_SLP_EN	 (1u << 5)
#define ACPI_SLEEP_STATUS_WAK_STS	 (1u << 7)

/* The tables' own alignment in the buffer (the RSDP's 16 bytes, 5.2.5.1; the rest alike). */
#define ACPI_GUEST_TABLE_ALIGN 16u
/* Windows start and end on page boundaries: the CPU and device views map whole pages. */
#define ACPI_GUEST_WINDOW_ALIGN 0x1000u
/* One bus of ECAM: 32 devices x 8 functions x 4 KiB (PCI Firmware 3.3, 4.1.2). */
#define ACPI_GUEST_ECAM_BUS_SIZE (1ull << 20)

/* A range of guest-physical memory: [base, base + size). */
struct acpi_guest_window {
	uint64_t base;
	uint64_t size; /* bytes */
};

/* What the tables describe, and where they go. */
struct acpi_guest_desc {
	/* vCPUs 0 .. vcpu_count - 1; vCPU i has local APIC ID i and ACPI processor UID i. */
	uint32_t vcpu_count;
	/* The host bridge's PCI segment group, its bus range (MCFG, _SEG, _BBN, _CRS). */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end;
	/* ECAM address of bus 0 of the segment (MCFG); buses bus_start..bus_end are decoded. */
	uint64_t ecam_base;
	/* The host bridge's memory windows: mmio32 ends at or below 4 GiB, mmio64 starts at or
	 * above it. Both non-empty and page aligned. */
	struct acpi_guest_window mmio32;
	struct acpi_guest_window mmio64;
	/* Guest-physical address of the first byte of the caller's buffer. */
	uint64_t tables_gpa;
};

/* Where the tables went: the RSDP is at rsdp_gpa; [tables_gpa, + length) holds them all. */
struct acpi_guest_tables {
	uint64_t rsdp_gpa;
	uint32_t length; /* bytes of the buffer used */
};

/*
 * acpi_guest_build - write the guest's ACPI tables into @buf.
 * @desc: the platform (see struct acpi_guest_desc).
 * @buf, @size: the caller's buffer, seen by the guest at @desc->tables_gpa; @size is the
 *              budget in bytes. The bytes from @buf to @buf + @out->length are all written
 *              (padding zeroed); nothing beyond.
 * @out:  the RSDP's guest-physical address (the start of the buffer) and the length used.
 * @why:  on a refusal, one line (ACPI_GUEST_WHY_LEN bytes) naming the field at fault.
 * Returns 0, or:
 *   -EINVAL  vcpu_count 0; bus_end < bus_start; ecam_base not 1 MiB aligned or its range past
 *            2^64; a window empty, not page aligned, wrapping, mmio32 not below 4 GiB or wider
 *            than 32 bits, mmio64 starting below 4 GiB; tables_gpa not 16-byte aligned; any
 *            two of ECAM range, mmio32, mmio64, the local APIC/MSI page range and the tables
 *            overlapping;
 *   -E2BIG   the tables need more than @size bytes (MADT: 8 bytes per vCPU below APIC ID 255,
 *            16 from there on).
 * ACPI 6.5, 5.2.5-5.2.12; PCI Firmware 3.3, 4.1.2.
 */
int acpi_guest_build(const struct acpi_guest_desc *desc, uint8_t *buf, size_t size,
		     struct acpi_guest_tables *out, char why[ACPI_GUEST_WHY_LEN]);

#endif
