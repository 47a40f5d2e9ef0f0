// SPDX-License-Identifier: MIT
/* skiff's GDT and TSS (Intel SDM vol. 3A, 3.4.5 segment descriptors, 8.7 TSS in 64-bit mode). */
#include "kernel/arch/x86/gdt.h"

#include <stdint.h>

#include "kernel/arch/x86/x86.h"

#define SEG_LIMIT_LOW	 0xffffull	/* limit 15:0 (ignored in 64-bit mode, kept flat) */
#define SEG_LIMIT_HIGH	 (0xfull << 48) /* limit 19:16 */
#define SEG_TYPE_SHIFT	 40
#define SEG_TYPE_CODE_XR (0xaull << SEG_TYPE_SHIFT) /* execute/read, accessed clear */
#define SEG_TYPE_DATA_RW (0x2ull << SEG_TYPE_SHIFT) /* read/write */
#define SEG_TYPE_TSS64	 (0x9ull << SEG_TYPE_SHIFT) /* 64-bit TSS, available */
#define SEG_S		 (1ull << 44)		    /* code or data (not system) */
#define SEG_P		 (1ull << 47)
#define SEG_L		 (1ull << 53) /* 64-bit code */
#define SEG_DB		 (1ull << 54)
#define SEG_G		 (1ull << 55)

#define IST_STACK_SIZE (16u << 10)

enum { GDT_NULL, GDT_CODE, GDT_DATA, GDT_TSS_LOW, GDT_TSS_HIGH, GDT_ENTRIES };

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "SDM 3A figure 8-11");

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

static uint64_t tss_descriptor_low(uint64_t base, uint32_t limit)
{
	return (limit & SEG_LIMIT_LOW) | ((base & 0xffffffull) << 16) | SEG_TYPE_TSS64 | SEG_P |
	       ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
}

void gdt_init(void)
{
	uint64_t tss_base = (uint64_t)&tss;
	struct x86_desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

	gdt[GDT_NULL] = 0;
	gdt[GDT_CODE] =
		SEG_LIMIT_LOW | SEG_LIMIT_HIGH | SEG_TYPE_CODE_XR | SEG_S | SEG_P | SEG_L | SEG_G;
	gdt[GDT_DATA] =
		SEG_LIMIT_LOW | SEG_LIMIT_HIGH | SEG_TYPE_DATA_RW | SEG_S | SEG_P | SEG_DB | SEG_G;
	gdt[GDT_TSS_LOW] = tss_descriptor_low(tss_base, sizeof(tss) - 1);
	gdt[GDT_TSS_HIGH] = tss_base >> 32;
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %[code]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %[data], %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "movw %[tss], %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(gdtr), [code] "i"(GDT_SEL_CODE), [data] "i"(GDT_SEL_DATA),
			   [tss] "i"(GDT_SEL_TSS)
			 : "rax", "memory");
}
