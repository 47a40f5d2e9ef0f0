/* SPDX-License-Identifier: MIT */
/*
 * The x86 interrupt window: a memory write to 0xFEE00000-0xFEEFFFFF is an interrupt request,
 * not a memory access (Intel SDM vol. 3A 11.11.1 "Message Address Register Format"; VT-d 3.14,
 * 5.1.2). Every layer that names the window uses these: the local APIC's MSI messages, the VM's
 * guest-physical map (never RAM, never DMA-mapped), the virtual PCI functions' MSI checks, VT-d's
 * remappable-format addresses and its table walker.
 */
#ifndef SKIFF_KERNEL_ARCH_X86_MSI_H
#define SKIFF_KERNEL_ARCH_X86_MSI_H

#define X86_MSI_BASE	  0xfee00000ull
#define X86_MSI_SIZE	  0x00100000ull /* 1 MiB */
#define X86_MSI_LAST	  (X86_MSI_BASE + X86_MSI_SIZE - 1)
#define X86_MSI_ADDR_MASK 0xfff00000u /* address bits 31:20 */
#define X86_MSI_ADDR_FEE  0xfeeu      /* the value of bits 31:20 in every interrupt message */

#endif
