// SPDX-License-Identifier: MIT
/* A guest's debug registers in software: see vcpu_dr.h. */
#include "vmm/vcpu_dr.h"

#define DR6	 6
#define DR7	 7
#define DR4	 4 /* DR4 and DR5 alias DR6 and DR7 while CR4.DE is clear */
#define DR5	 5
#define DR_ALIAS 2

void vcpu_dr_reset(struct vcpu_dr *d)
{
	*d = (struct vcpu_dr){ .dr6 = X86_DR6_RESET, .dr7 = X86_DR7_RESET };
}

enum vcpu_dr_result vcpu_dr_mov(struct vcpu_dr *d, unsigned int dr, bool write, uint64_t *value,
				unsigned int cpl, uint64_t cr4)
{
	if (cpl)
		return VCPU_DR_GP;
	if (dr == DR4 || dr == DR5) {
		if (cr4 & X86_CR4_DE)
			return VCPU_DR_UD;
		dr += DR_ALIAS;
	}
	if (dr > DR7)
		return VCPU_DR_UD;
	if (d->dr7 & X86_DR7_GD) {
		/* The #DB is a fault: the MOV does not happen; the handler runs with GD clear. */
		d->dr6 = (d->dr6 & ~X86_DR6_VOLATILE) | X86_DR6_BD;
		d->dr7 &= ~X86_DR7_GD;
		return VCPU_DR_DB;
	}
	if (!write) {
		*value = dr < VCPU_DR_ADDRS ? d->addr[dr] : dr == DR6 ? d->dr6 : d->dr7;
		return VCPU_DR_DONE;
	}
	if (dr < VCPU_DR_ADDRS) {
		d->addr[dr] = *value;
		return VCPU_DR_DONE;
	}
	if (*value & X86_DR_HIGH_MASK)
		return VCPU_DR_GP;
	if (dr == DR6)
		d->dr6 = (*value & X86_DR6_VOLATILE) | X86_DR6_FIXED_1;
	else
		d->dr7 = (*value & ~X86_DR7_MBZ) | X86_DR7_FIXED_1;
	return VCPU_DR_DONE;
}

void vcpu_dr_debug_exception(struct vcpu_dr *d, uint64_t dr6_bits)
{
	d->dr6 |= dr6_bits & X86_DR6_VOLATILE;
}
