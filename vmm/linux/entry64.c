// SPDX-License-Identifier: MIT
/* The vCPU state at a Linux guest's 64-bit entry: see entry64.h. */
#include "vmm/linux/entry64.h"

#include "kernel/bits.h"

/* Segment types (Intel SDM vol. 3A 3.4.5.1, table 3-1): accessed already, so the CPU never
 * writes the GDT. */
#define SEG_TYPE_CODE_XRA  0xbu /* execute/read, accessed */
#define SEG_TYPE_DATA_RWA  0x3u /* read/write, accessed */
#define SEG_CODE64	   (SEG_TYPE_CODE_XRA | VCPU_SEG_S | VCPU_SEG_P | VCPU_SEG_L | VCPU_SEG_G)
#define SEG_DATA	   (SEG_TYPE_DATA_RWA | VCPU_SEG_S | VCPU_SEG_P | VCPU_SEG_DB | VCPU_SEG_G)
#define FLAT_LIMIT	   0xffffffffu /* 4 GiB - 1, in bytes */
#define PAGE_GRANULE_SHIFT 12	       /* G = 1: the limit counts 4 KiB units */

/* A segment descriptor's fields (SDM vol. 3A 3.4.5, figure 3-8) and where vcpu_seg.attrib keeps
 * them (bits 47:40 in 7:0, bits 55:52 in 11:8: see vmm/vcpu_state.h). */
#define DESC_LIMIT_LO GENMASK(15, 0)
#define DESC_BASE_LO  GENMASK(39, 16)
#define DESC_ACCESS   GENMASK(47, 40)
#define DESC_LIMIT_HI GENMASK(51, 48)
#define DESC_FLAGS    GENMASK(55, 52)
#define DESC_BASE_HI  GENMASK(63, 56)
#define ATTRIB_ACCESS GENMASK(7, 0)
#define ATTRIB_FLAGS  GENMASK(11, 8)
#define LIMIT_LO_BITS 16
#define BASE_LO_BITS  24

_Static_assert(LINUX_GDT_ENTRIES * sizeof(uint64_t) == LINUX_GDT_SIZE, "layout.h's GDT size");
_Static_assert(LINUX_BOOT_CS / sizeof(uint64_t) < LINUX_GDT_ENTRIES &&
		       LINUX_BOOT_DS / sizeof(uint64_t) < LINUX_GDT_ENTRIES,
	       "both selectors index the GDT");

/* The GDT descriptor of the segment @s (base below 4 GiB, as a 32-bit descriptor holds). */
static uint64_t descriptor(const struct vcpu_seg *s)
{
	uint32_t limit = (s->attrib & VCPU_SEG_G) ? s->limit >> PAGE_GRANULE_SHIFT : s->limit;

	return FIELD_PREP(DESC_LIMIT_LO, limit) | FIELD_PREP(DESC_BASE_LO, s->base) |
	       FIELD_PREP(DESC_ACCESS, FIELD_GET(ATTRIB_ACCESS, s->attrib)) |
	       FIELD_PREP(DESC_LIMIT_HI, limit >> LIMIT_LO_BITS) |
	       FIELD_PREP(DESC_FLAGS, FIELD_GET(ATTRIB_FLAGS, s->attrib)) |
	       FIELD_PREP(DESC_BASE_HI, s->base >> BASE_LO_BITS);
}

static void ident(struct linux_entry64 *e, uint64_t addr, uint64_t size)
{
	e->ident[e->nr_ident++] = (struct linux_ident_range){ addr, size };
	if (addr + (size - 1) > e->ident_last)
		e->ident_last = addr + (size - 1);
}

void linux_entry64_state(const struct bzimage *bz, const struct linux_layout *l,
			 struct linux_entry64 *e)
{
	const struct vcpu_seg code = { LINUX_BOOT_CS, SEG_CODE64, FLAT_LIMIT, 0 },
			      data = { LINUX_BOOT_DS, SEG_DATA, FLAT_LIMIT, 0 };
	struct vcpu_state *s = &e->state;

	*e = (struct linux_entry64){ 0 };
	/* TR and LDTR as VM entry wants them, from the flat 32-bit start; then long mode. */
	vcpu_state_flat32(s, l->kernel + BZ_ENTRY64_OFFSET);
	s->regs.gpr[VCPU_RSI] = l->zero_page;
	s->cr0 |= X86_CR0_PG;
	s->cr4 = X86_CR4_PAE;
	s->efer = X86_EFER_LME | X86_EFER_LMA;
	s->cr3 = l->page_tables;
	s->cs = code;
	s->ds = s->es = s->ss = s->fs = s->gs = data;
	s->gdtr.base = l->gdt;
	s->gdtr.limit = LINUX_GDT_SIZE - 1;
	s->idtr.base = 0;
	s->idtr.limit = 0;

	e->gdt[LINUX_BOOT_CS / sizeof(uint64_t)] = descriptor(&code);
	e->gdt[LINUX_BOOT_DS / sizeof(uint64_t)] = descriptor(&data);

	ident(e, l->kernel, bz->init_size);
	ident(e, l->zero_page, LINUX_ZERO_PAGE_SIZE);
	ident(e, l->cmdline, (uint64_t)l->cmdline_len + 1);
	if (l->initrd_size)
		ident(e, l->initrd, l->initrd_size);
	ident(e, l->gdt, LINUX_GDT_SIZE);
}
