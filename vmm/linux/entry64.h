/* SPDX-License-Identifier: MIT */
/*
 * The vCPU state at a Linux guest's 64-bit entry (Documentation/arch/x86/boot.rst "64-bit Boot
 * Protocol"), as data for the vCPU code to load (struct vcpu_state, vmm/vcpu_state.h) and for
 * the VM code to write into guest memory (the boot GDT) and to map (the identity ranges):
 *   - 64-bit mode with paging on: CR0.PE|PG, CR4.PAE, EFER.LME|LMA, CR3 the identity map's PML4;
 *   - a GDT with __BOOT_CS (0x10, 64-bit code, execute/read) and __BOOT_DS (0x18, data,
 *     read/write), both flat 4 GiB; CS = __BOOT_CS, DS = ES = SS (and FS, GS) = __BOOT_DS;
 *   - interrupts off (RFLAGS.IF clear), RSI the zero page, RIP the load address + 0x200, every
 *     other general-purpose register 0 (boot.rst sets no stack: the kernel loads its own);
 *   - identity-mapped: the kernel's init_size bytes from its load address, the zero page and the
 *     command line (boot.rst), and besides the initrd (the kernel reads it through its own map
 *     later, but its early code may look at it first) and the GDT (its base is linear).
 * No IDT: an exception before the kernel loads its own ends in a triple fault, which skiff
 * reports. Pure: no allocation, no logging.
 */
#ifndef SKIFF_VMM_LINUX_ENTRY64_H
#define SKIFF_VMM_LINUX_ENTRY64_H

#include <stdint.h>

#include "vmm/linux/bzimage.h"
#include "vmm/linux/layout.h"
#include "vmm/vcpu_state.h"

#define LINUX_BOOT_CS	  0x10 /* __BOOT_CS */
#define LINUX_BOOT_DS	  0x18 /* __BOOT_DS */
#define LINUX_GDT_ENTRIES 4    /* null, unused, __BOOT_CS, __BOOT_DS */
#define LINUX_IDENT_MAX	  5    /* kernel, zero page, command line, initrd, GDT */

/* A guest-physical range the page tables at CR3 must map to itself, in bytes. */
struct linux_ident_range {
	uint64_t addr;
	uint64_t size; /* > 0 */
};

struct linux_entry64 {
	struct vcpu_state state;	 /* to load into the vCPU */
	uint64_t gdt[LINUX_GDT_ENTRIES]; /* descriptors to write at layout.gdt (LINUX_GDT_SIZE) */
	struct linux_ident_range ident[LINUX_IDENT_MAX];
	unsigned int nr_ident;
	uint64_t ident_last; /* the highest byte of them all: mapping [0, ident_last] covers each */
};

/*
 * linux_entry64_state - *@e for entering the kernel @bz loaded as @l describes (a layout that
 * linux_layout_check() accepted): RIP @l->kernel + BZ_ENTRY64_OFFSET, RSI @l->zero_page, CR3
 * @l->page_tables, GDTR @l->gdt with limit LINUX_GDT_SIZE - 1, and the identity ranges above
 * (the initrd's only when @l->initrd_size is not 0). Cannot fail.
 */
void linux_entry64_state(const struct bzimage *bz, const struct linux_layout *l,
			 struct linux_entry64 *e);

#endif
