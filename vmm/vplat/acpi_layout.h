/* SPDX-License-Identifier: MIT */
/*
 * The byte layouts of the ACPI structures skiff writes for a guest: RSDP (ACPI 6.5, 5.2.5.3),
 * system description table header (5.2.6), Generic Address Structure (5.2.3.2), XSDT (5.2.8),
 * FADT (5.2.9), MADT with its processor local APIC and x2APIC structures (5.2.12), MCFG (PCI
 * Firmware 3.3, 4.1.2), and the address space descriptors of the DSDT's _CRS (6.4.3.5). Every
 * field is named as the specification names it, reserved ones too; multi-byte fields are
 * little-endian (x86 stores them so). Definitions only: vmm/vplat/acpi_guest.c fills them in.
 */
#ifndef SKIFF_VMM_VPLAT_ACPI_LAYOUT_H
#define SKIFF_VMM_VPLAT_ACPI_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ACPI fields are little-endian");

#define ACPI_SIG_LEN	      4
#define ACPI_OEM_ID_LEN	      6
#define ACPI_OEM_TABLE_ID_LEN 8

/* Root System Description Pointer (5.2.5.3, table 5.3). */
#define ACPI_RSDP_SIGNATURE	"RSD PTR "
#define ACPI_RSDP_SIGNATURE_LEN 8
#define ACPI_RSDP_REVISION	2  /* ACPI 2.0 on: Length, XsdtAddress, extended checksum */
#define ACPI_RSDP_V1_LEN	20 /* the bytes the first checksum covers */

struct acpi_rsdp {
	char signature[ACPI_RSDP_SIGNATURE_LEN];
	uint8_t checksum; /* bytes 0..19 sum to 0 */
	char oem_id[ACPI_OEM_ID_LEN];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length; /* of this structure */
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* all bytes sum to 0 */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP: 36 bytes (table 5.3)");
_Static_assert(offsetof(struct acpi_rsdp, length) == ACPI_RSDP_V1_LEN, "RSDP: Length at 20");
_Static_assert(offsetof(struct acpi_rsdp, xsdt_address) == 24, "RSDP: XsdtAddress at 24");

/* System description table header (5.2.6, table 5.4). */
struct acpi_sdt_header {
	char signature[ACPI_SIG_LEN];
	uint32_t length; /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum; /* all Length bytes sum to 0 */
	char oem_id[ACPI_OEM_ID_LEN];
	char oem_table_id[ACPI_OEM_TABLE_ID_LEN];
	uint32_t oem_revision;
	char creator_id[ACPI_SIG_LEN];
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header: 36 bytes (table 5.4)");
_Static_assert(offsetof(struct acpi_sdt_header, checksum) == 9, "SDT header: Checksum at 9");

/* Generic Address Structure (5.2.3.2, table 5.1). */
#define ACPI_GAS_SPACE_SYSTEM_IO 1 /* Address Space ID: System I/O */
#define ACPI_GAS_ACCESS_BYTE	 1 /* Access Size: byte access */

struct acpi_gas {
	uint8_t address_space_id;
	uint8_t register_bit_width;
	uint8_t register_bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS: 12 bytes (table 5.1)");

/* Extended System Description Table (5.2.8): the header, then 64-bit table addresses. */
#define ACPI_XSDT_SIGNATURE "XSDT"
#define ACPI_XSDT_REVISION  1
#define ACPI_XSDT_ENTRY_LEN 8

/* Fixed ACPI Description Table (5.2.9, table 5.9), revision 6 minor 5: ACPI 6.5. */
#define ACPI_FADT_SIGNATURE	"FACP"
#define ACPI_FADT_REVISION	6
#define ACPI_FADT_MINOR_VERSION 5

/* IA-PC Boot Architecture Flags (5.2.9.3, table 5.11), all of them. */
#define ACPI_IAPC_LEGACY_DEVICES       (1u << 0)
#define ACPI_IAPC_8042		       (1u << 1)
#define ACPI_IAPC_VGA_NOT_PRESENT      (1u << 2)
#define ACPI_IAPC_MSI_NOT_SUPPORTED    (1u << 3)
#define ACPI_IAPC_PCIE_ASPM_CONTROLS   (1u << 4)
#define ACPI_IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)

/* Fixed Feature Flags (5.2.9, table 5.10): the ones skiff sets. */
#define ACPI_FADT_WBINVD	  (1u << 0)
#define ACPI_FADT_PWR_BUTTON	  (1u << 4)
#define ACPI_FADT_SLP_BUTTON	  (1u << 5)
#define ACPI_FADT_FIX_RTC	  (1u << 6)
#define ACPI_FADT_RESET_REG_SUP	  (1u << 10)
#define ACPI_FADT_HW_REDUCED_ACPI (1u << 20)

/* Preferred_PM_Profile (table 5.9): nothing to say about the guest's power profile. */
#define ACPI_PM_PROFILE_UNSPECIFIED 0

#define ACPI_FADT_HYPERVISOR_ID_LEN 8

struct acpi_fadt {
	struct acpi_sdt_header header;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch; /* ACPI_IAPC_* */
	uint8_t reserved1;
	uint32_t flags; /* ACPI_FADT_* */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t fadt_minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	char hypervisor_vendor_identity[ACPI_FADT_HYPERVISOR_ID_LEN];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6: 276 bytes (table 5.9)");
_Static_assert(offsetof(struct acpi_fadt, dsdt) == 40, "FADT: DSDT at 40");
_Static_assert(offsetof(struct acpi_fadt, sci_int) == 46, "FADT: SCI_INT at 46");
_Static_assert(offsetof(struct acpi_fadt, pm1a_evt_blk) == 56, "FADT: PM1a_EVT_BLK at 56");
_Static_assert(offsetof(struct acpi_fadt, pm1_evt_len) == 88, "FADT: PM1_EVT_LEN at 88");
_Static_assert(offsetof(struct acpi_fadt, p_lvl2_lat) == 96, "FADT: P_LVL2_LAT at 96");
_Static_assert(offsetof(struct acpi_fadt, century) == 108, "FADT: CENTURY at 108");
_Static_assert(offsetof(struct acpi_fadt, iapc_boot_arch) == 109, "FADT: IAPC_BOOT_ARCH at 109");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT: Flags at 112");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT: RESET_REG at 116");
_Static_assert(offsetof(struct acpi_fadt, reset_value) == 128, "FADT: RESET_VALUE at 128");
_Static_assert(offsetof(struct acpi_fadt, arm_boot_arch) == 129, "FADT: ARM_BOOT_ARCH at 129");
_Static_assert(offsetof(struct acpi_fadt, fadt_minor_version) == 131, "FADT: minor at 131");
_Static_assert(offsetof(struct acpi_fadt, x_firmware_ctrl) == 132, "FADT: X_FIRMWARE_CTRL at 132");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT: X_DSDT at 140");
_Static_assert(offsetof(struct acpi_fadt, x_pm1a_evt_blk) == 148, "FADT: X_PM1a_EVT_BLK at 148");
_Static_assert(offsetof(struct acpi_fadt, x_gpe1_blk) == 232, "FADT: X_GPE1_BLK at 232");
_Static_assert(offsetof(struct acpi_fadt, sleep_control_reg) == 244, "FADT: SLEEP_CONTROL at 244");
_Static_assert(offsetof(struct acpi_fadt, sleep_status_reg) == 256, "FADT: SLEEP_STATUS at 256");
_Static_assert(offsetof(struct acpi_fadt, hypervisor_vendor_identity) == 268,
	       "FADT: Hypervisor Vendor Identity at 268");

/* Multiple APIC Description Table (5.2.12, table 5.19), revision 6: ACPI 6.5. */
#define ACPI_MADT_SIGNATURE "APIC"
#define ACPI_MADT_REVISION  6

struct acpi_madt {
	struct acpi_sdt_header header;
	uint32_t local_interrupt_controller_address;
	uint32_t flags; /* bit 0 PCAT_COMPAT (table 5.20) */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT: 44 bytes before the structures");

/* Interrupt controller structure types (table 5.21) and Local APIC Flags (table 5.24). */
#define ACPI_MADT_TYPE_LOCAL_APIC   0
#define ACPI_MADT_TYPE_LOCAL_X2APIC 9
#define ACPI_MADT_LAPIC_ENABLED	    (1u << 0)

/* Processor Local APIC Structure (5.2.12.2, table 5.23). */
struct acpi_madt_local_apic {
	uint8_t type;
	uint8_t length;
	uint8_t acpi_processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "local APIC: 8 bytes (table 5.23)");

/* Processor Local x2APIC Structure (5.2.12.12, table 5.37). */
struct acpi_madt_local_x2apic {
	uint8_t type;
	uint8_t length;
	uint8_t reserved[2];
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t acpi_processor_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "local x2APIC: 16 bytes (5.37)");

/* PCI Express memory mapped configuration space table (PCI Firmware 3.3, 4.1.2, table 4-3). */
#define ACPI_MCFG_SIGNATURE "MCFG"
#define ACPI_MCFG_REVISION  1

struct acpi_mcfg {
	struct acpi_sdt_header header;
	uint8_t reserved[8];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_mcfg) == 44, "MCFG: 44 bytes before the allocations");

/* Configuration Space Base Address Allocation Structure (table 4-4). */
struct acpi_mcfg_allocation {
	uint64_t base_address; /* ECAM address of bus 0 of the segment */
	uint16_t pci_segment_group;
	uint8_t start_bus_number;
	uint8_t end_bus_number;
	uint8_t reserved[4];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_mcfg_allocation) == 16, "MCFG allocation: 16 bytes (4-4)");

/*
 * Word, DWord and QWord Address Space Descriptors (6.4.3.5.3, 6.4.3.5.2, 6.4.3.5.1): a 3-byte
 * header (tag, 16-bit length), Resource Type, General Flags, Type Specific Flags, then five
 * fields of the address width each: _GRA, _MIN, _MAX, _TRA, _LEN.
 */
#define ACPI_ADDR_DESC_OFF_GRA	      6
#define ACPI_ADDR_DESC_OFF_MIN(width) (ACPI_ADDR_DESC_OFF_GRA + 1 * (width))
#define ACPI_ADDR_DESC_OFF_MAX(width) (ACPI_ADDR_DESC_OFF_GRA + 2 * (width))
#define ACPI_ADDR_DESC_OFF_LEN(width) (ACPI_ADDR_DESC_OFF_GRA + 4 * (width))
#define ACPI_ADDR_WIDTH_WORD	      2
#define ACPI_ADDR_WIDTH_DWORD	      4
#define ACPI_ADDR_WIDTH_QWORD	      8

#endif
