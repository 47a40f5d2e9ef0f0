/* SPDX-License-Identifier: MIT */
/*
 * The guest platform's power registers, the ones its FADT names (vmm/vplat/acpi_guest.h):
 *  - the hardware-reduced Sleep Control and Sleep Status Registers (ACPI 6.5, 4.8.3.7), two
 *    8-bit registers at ACPI_GUEST_SLEEP_CONTROL_PORT and ACPI_GUEST_SLEEP_STATUS_PORT;
 *  - the Reset Control Register RST_CNT at ACPI_GUEST_RESET_PORT (0xCF9; Intel PCH datasheets,
 *    "Reset Control Register (RST_CNT)"), which is also the FADT's RESET_REG.
 * A write that would power the machine off or reset it ends the VM: the model says which
 * (enum vplat_end) and the caller stops the guest. Pure; byte registers only (the dispatcher,
 * vmm/vplat/vplat_io.h, refuses other widths).
 */
#ifndef SKIFF_VMM_VPLAT_VPLAT_PM_H
#define SKIFF_VMM_VPLAT_VPLAT_PM_H

#include <stdint.h>

#include "vmm/vplat/acpi_guest.h"

/* Why a write ends the VM. */
enum vplat_end {
	VPLAT_END_NONE = 0,
	VPLAT_END_POWER_OFF, /* SLP_EN with \_S5's SLP_TYP: soft off (ACPI 6.5, 7.4.2) */
	VPLAT_END_RESET,     /* RST_CPU written to RST_CNT */
};

/* RST_CNT's FULL_RST (bit 3), beside acpi_guest.h's CF9_SYS_RST and CF9_RST_CPU. */
#define CF9_FULL_RST (1u << 3)
/* The bits RST_CNT keeps and reads back; 7:4 and 0 are reserved and read 0. */
#define CF9_KEPT (CF9_FULL_RST | CF9_SYS_RST)

/* The sleep registers' offsets from ACPI_GUEST_SLEEP_CONTROL_PORT. */
#define VPLAT_SLEEP_CONTROL 0u
#define VPLAT_SLEEP_STATUS  (ACPI_GUEST_SLEEP_STATUS_PORT - ACPI_GUEST_SLEEP_CONTROL_PORT)
#define VPLAT_SLEEP_PORTS   (VPLAT_SLEEP_STATUS + 1u)

struct vplat_sleep {
	uint8_t slp_typ;  /* SLP_TYP as last written (its field, shifted down) */
	uint64_t refused; /* SLP_EN writes with a SLP_TYP the platform has no state for */
};

struct vplat_reset {
	uint8_t rst_cnt; /* CF9_KEPT bits as last written */
	uint8_t value;	 /* the byte whose RST_CPU reset the VM, once one did */
};

/* vplat_sleep_init - @s at power on: SLP_TYP 0. */
void vplat_sleep_init(struct vplat_sleep *s);

/*
 * vplat_sleep_read - a byte read at @offset (VPLAT_SLEEP_CONTROL or _STATUS): the control
 * register reads its SLP_TYP field (SLP_EN is write only and reads 0, 4.8.3.7.1); the status
 * register reads 0: WAK_STS (4.8.3.7.2) is never set, as this platform never sleeps and
 * wakes (it powers off or goes on). Reserved bits read 0. Another @offset reads 0xff.
 */
uint8_t vplat_sleep_read(const struct vplat_sleep *s, unsigned int offset);

/*
 * vplat_sleep_write - a byte write of @value at @offset. The control register keeps SLP_TYP;
 * with SLP_EN set and SLP_TYP = ACPI_GUEST_S5_SLP_TYP (\_S5, the only sleep state the DSDT
 * names) the result is VPLAT_END_POWER_OFF; SLP_EN with another SLP_TYP names no state of
 * this platform: nothing happens but a count in @s->refused (the guest, waiting for WAK_STS,
 * waits on). Writes to the status register (WAK_STS is write-1-to-clear, and clear) change
 * nothing. Returns VPLAT_END_NONE otherwise. ACPI 6.5, 4.8.3.7 and 7.4.2; ACPICA's
 * acpi_hw_extended_sleep() writes WAK_STS to the status register, then SLP_TYP | SLP_EN to
 * the control register.
 */
enum vplat_end vplat_sleep_write(struct vplat_sleep *s, unsigned int offset, uint8_t value);

/* vplat_reset_init - @r at power on: RST_CNT 0. */
void vplat_reset_init(struct vplat_reset *r);

/* vplat_reset_read - RST_CNT: the CF9_KEPT bits last written. */
uint8_t vplat_reset_read(const struct vplat_reset *r);

/*
 * vplat_reset_write - a byte write of @value to RST_CNT. Any value with RST_CPU (bit 2) set
 * resets: VPLAT_END_RESET, the byte kept in @r->value. That is 0x06 (the FADT's RESET_VALUE,
 * SYS_RST | RST_CPU, a hard reset; Linux's reboot=acpi and the warm reboot=pci), 0x0E (with
 * FULL_RST, Linux's cold reboot=pci) and 0x04 (RST_CPU alone, a PCH's soft reset, INIT#
 * only: skiff does not INIT a running guest, so the VM ends as for any reset). RST_CPU is
 * never kept, so every such write starts a reset (the PCH resets on its 0-to-1 edge, and the
 * VM ends at the first). A value without RST_CPU keeps its SYS_RST and FULL_RST bits
 * (Linux's reboot=pci writes SYS_RST alone first) and returns VPLAT_END_NONE.
 */
enum vplat_end vplat_reset_write(struct vplat_reset *r, uint8_t value);

/* vplat_end_name - "none", "power off", "reset", or "?" for anything else. */
const char *vplat_end_name(enum vplat_end end);

#endif
