/* SPDX-License-Identifier: MIT */
/*
 * The test guest's entry: skiff starts it here in 32-bit protected mode with flat segments and
 * paging off (vmm/guest_selftest.c). It identity-maps the first 4 GiB with 2 MiB pages
 * (AMD APM vol. 2 5.3, Intel SDM vol. 3A 4.5; the last GiB, where device BARs and the interrupt
 * window are, uncached with PCD and PWT), enables long mode (SDM vol. 3A 10.8.5:
 * CR4.PAE, EFER.LME, CR0.PG), loads its own GDT (desc.h) and jumps to 64-bit code, which calls
 * guest_main() (main.c). guest_main() ends with the HC_EXIT hypercall and does not return.
 * Every page is user-accessible (U/S at every level, SDM vol. 3A 4.6.1) so that the guest's
 * CPL-3 code (user.c) runs on the same identity map; the guest sets neither CR4.SMEP nor
 * CR4.SMAP, so its CPL-0 code reaches those pages as well.
 */
#include "tests/guests/desc.h"

#define CR0_PG	    (1 << 31)
#define CR4_PAE	    (1 << 5)
#define MSR_EFER    0xc0000080
#define EFER_LME    (1 << 8)
#define PTE_P_RW_US 0x7 /* present, writable, user */
#define PTE_PS	    0x80
#define PTE_PWT_PCD 0x18 /* PAT entry 3: UC (SDM vol. 3A 12.12.3) */
#define PAGE_SIZE   4096
#define PAGE_2M	    0x200000
#define PD_TABLES   4 /* 4 x 1 GiB */
#define PD_ENTRIES  512
#define STACK_SIZE  16384

	.section .text.entry, "ax"
	.code32
	.globl guest_entry
guest_entry:
	movl $stack_top, %esp

	/* PML4[0] -> PDPT; PDPT[0..3] -> PD0..PD3; PDn[i] -> (n * 512 + i) * 2 MiB. */
	movl $pdpt + PTE_P_RW_US, pml4
	movl $pd + PTE_P_RW_US, %eax
	xorl %ecx, %ecx
1:	movl %eax, pdpt(, %ecx, 8)
	addl $PAGE_SIZE, %eax
	incl %ecx
	cmpl $PD_TABLES, %ecx
	jb 1b
	movl $PTE_P_RW_US + PTE_PS, %eax
	xorl %ecx, %ecx
2:	movl %eax, pd(, %ecx, 8)
	addl $PAGE_2M, %eax
	incl %ecx
	cmpl $PD_TABLES * PD_ENTRIES, %ecx
	jb 2b
	movl $(PD_TABLES - 1) * PD_ENTRIES, %ecx
3:	orl $PTE_PWT_PCD, pd(, %ecx, 8)
	incl %ecx
	cmpl $PD_TABLES * PD_ENTRIES, %ecx
	jb 3b

	movl $pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0

	lgdt gdt_pointer
	ljmp $SEL_CODE64, $long_mode

	.code64
long_mode:
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movq $stack_top, %rsp
	call guest_main
4:	hlt
	jmp 4b

	/* The MSI vector's handler (edu.c): count and return; there is no local APIC to EOI. */
	.globl guest_irq_entry
guest_irq_entry:
	lock incl guest_irq_count
	iretq

	/* Writable: LTR marks a TSS descriptor busy, and user.c fills the TSS slots in. */
	.data
	.balign 16
	.globl gdt
gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* SEL_CODE64: P, DPL 0, execute/read, L, G */
	.quad 0x00cf92000000ffff /* SEL_DATA: P, DPL 0, read/write, D/B, G */
	.quad 0x00cff2000000ffff /* SEL_UDATA: P, DPL 3, read/write, D/B, G */
	.quad 0x00affa000000ffff /* SEL_UCODE64: P, DPL 3, execute/read, L, G */
	.quad 0x00cf9a000000ffff /* SEL_CODE32: P, DPL 0, execute/read, D, G */
	.quad 0x00cffa000000ffff /* SEL_UCODE32: P, DPL 3, execute/read, D, G */
	.quad 0, 0		 /* SEL_TSS64 */
	.quad 0			 /* SEL_TSS32 */
gdt_end:
	.if gdt_end - gdt != GDT_ENTRIES * GDT_ENTRY_SZ
	.error "desc.h's GDT_ENTRIES does not match the GDT"
	.endif
	.globl gdt_pointer
gdt_pointer:
	.word gdt_end - gdt - 1
	.long gdt

	.bss
	.balign PAGE_SIZE
pml4:	.skip PAGE_SIZE
pdpt:	.skip PAGE_SIZE
pd:	.skip PAGE_SIZE * PD_TABLES
	.balign 16
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
