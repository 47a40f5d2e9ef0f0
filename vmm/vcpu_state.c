// SPDX-License-Identifier: MIT
/* A vCPU's starting state: see vcpu_state.h. */
#include "vmm/vcpu_state.h"

#include <string.h>

/* Segment types and attributes (Intel SDM vol. 3A 3.4.5.1, table 3-1 / 3-2). */
#define SEG_CODE32   (0xbu | VCPU_SEG_S | VCPU_SEG_P | VCPU_SEG_DB | VCPU_SEG_G)
#define SEG_DATA32   (0x3u | VCPU_SEG_S | VCPU_SEG_P | VCPU_SEG_DB | VCPU_SEG_G)
#define SEG_TSS_BUSY (0xbu | VCPU_SEG_P)
#define SEG_LDT	     (0x2u | VCPU_SEG_P)
#define SEL_CODE     0x08
#define SEL_DATA     0x10
#define FLAT_LIMIT   0xffffffffu
#define TABLE_LIMIT  0xffffu

void vcpu_state_flat32(struct vcpu_state *s, uint64_t rip)
{
	const struct vcpu_seg code = { SEL_CODE, SEG_CODE32, FLAT_LIMIT, 0 },
			      data = { SEL_DATA, SEG_DATA32, FLAT_LIMIT, 0 };

	memset(s, 0, sizeof(*s));
	s->regs.rip = rip;
	s->regs.rflags = X86_RFLAGS_FIXED;
	s->cr0 = X86_CR0_PE | X86_CR0_ET;
	s->cs = code;
	s->ds = s->es = s->ss = s->fs = s->gs = data;
	s->tr = (struct vcpu_seg){ 0, SEG_TSS_BUSY, TABLE_LIMIT, 0 };
	s->ldtr = (struct vcpu_seg){ 0, SEG_LDT, TABLE_LIMIT, 0 };
	s->gdtr.limit = TABLE_LIMIT;
	s->idtr.limit = TABLE_LIMIT;
}
