/* SPDX-License-Identifier: MIT */
#ifndef SKIFF_KERNEL_ARCH_X86_GDT_H
#define SKIFF_KERNEL_ARCH_X86_GDT_H

#define GDT_SEL_CODE 0x08
#define GDT_SEL_DATA 0x10
#define GDT_SEL_TSS  0x18
#define IST_DOUBLE_FAULT \
	1 /* the TSS interrupt stack #DF runs on (a stack overflow still reports) */

/* gdt_init - load skiff's GDT (64-bit code, data, TSS) and reload every segment register. */
void gdt_init(void);

#endif
