/*
 * SPDX-License-Identifier: MIT
 *
 * The DSDT of skiff's guest platform (ACPI 6.5, 5.2.11.1), compiled by iasl at build time
 * (mk/vplat.mk). It is the source of the guest's device tree: the soft-off state, the PCI
 * Express host bridge, the motherboard resource that reserves its ECAM range, and the UART.
 *
 * The values that depend on the VM are placeholders here. iasl's offset table (-so) gives the
 * AML offset of each object named in mk/vplat.mk, scripts/aml-offsets.py turns it into C
 * constants, and vmm/vplat/acpi_dsdt.c writes the VM's values there when the VM is built:
 *   - the integers of _SEG and _BBN, compiled as QWordConst (8 data bytes, any value fits);
 *   - the _MIN, _MAX and _LEN fields of the address space descriptors named BUSN, MW32, MW64 and
 *     ECAM (ACPI 6.5, 6.4.3.5.1-3), compiled with a 1-byte range at 0 (Length 1 keeps a
 *     MinFixed/MaxFixed descriptor valid for iasl).
 * No method computes anything at run time: the guest reads constant objects, and ACPICA's
 * disassembler shows the VM's values as they are.
 *
 * What the guest does not get, on purpose: no _PRT (no INTx routing: the guest has no I/O APIC
 * and its devices use MSI or MSI-X), no _OSC (the PCI Express native features of the real
 * ports belong to the host), no I/O window (the passthrough devices are driven through memory
 * BARs), no processor devices (Linux takes its CPUs from the MADT).
 */
#include "vmm/vplat/acpi_guest_asl.h"

/* Wider than 32 bits, so iasl encodes it as a QWordConst and not in a shorter form. */
#define PATCHED_QWORD 0x5041544348454421

/* ComplianceRevision 2: integers are 64-bit (ACPI 6.5, 19.6 "DefinitionBlock"). */
DefinitionBlock ("", "DSDT", 2, ACPI_GUEST_OEM_ID, ACPI_GUEST_OEM_TABLE_ID,
    ACPI_GUEST_OEM_REVISION)
{
    /*
     * Soft off (ACPI 6.5, 7.4.2): SLP_TYPa, SLP_TYPb, reserved, reserved. On a hardware-reduced
     * platform OSPM writes SLP_TYPa with SLP_EN into the FADT's SLEEP_CONTROL_REG.
     */
    Name (\_S5, Package (4) { ACPI_GUEST_S5_SLP_TYP, ACPI_GUEST_S5_SLP_TYP, 0, 0 })

    Scope (\_SB)
    {
        /* The PCI Express root bridge; PNP0A03 (PCI bus) for systems that know only that. */
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
            Name (_UID, 0)
            Name (_SEG, PATCHED_QWORD)     /* the MCFG segment (ACPI 6.5, 6.5.6) */
            Name (_BBN, PATCHED_QWORD)     /* the first bus number (6.5.5) */

            /*
             * The bus range and the two memory windows the guest's BARs sit in: one below
             * 4 GiB, one above. NonCacheable: Linux puts any memory BAR, prefetchable or not,
             * into a window that is not prefetchable, and no non-prefetchable BAR into one
             * that is.
             */
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0, 0, 0, 0, 1, , , BUSN)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable,
                    ReadWrite, 0, 0, 0, 0, 1, , , MW32)
                QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable,
                    ReadWrite, 0, 0, 0, 0, 1, , , MW64)
            })
        }

        /*
         * The 16550 UART at the first PC serial port's address, with no interrupt: the guest has
         * no I/O APIC and no 8259, so IRQ 4 does not exist there, and Linux's 8250 driver, told
         * of no IRQ, polls the port. Without this device Linux would still find the port at
         * its legacy address, but with IRQ 4, which it cannot request: opening the port (init's
         * console) would fail.
         */
        Device (COM1)
        {
            Name (_HID, EisaId ("PNP0501"))
            Name (_UID, 1)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x03F8, 0x03F8, 1, 8)
            })
        }

        /*
         * Motherboard resources: the ECAM range of the MCFG allocation, which must be reported
         * through ACPI as a motherboard resource (PCI Firmware 3.3, 4.1.2).
         */
        Device (MRES)
        {
            Name (_HID, EisaId ("PNP0C02"))
            Name (_UID, 0)
            Name (_CRS, ResourceTemplate ()
            {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed, NonCacheable,
                    ReadWrite, 0, 0, 0, 0, 1, , , ECAM)
            })
        }
    }
}
