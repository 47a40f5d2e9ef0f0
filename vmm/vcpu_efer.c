// SPDX-License-Identifier: MIT
/* A guest's WRMSR to EFER: see vcpu_efer.h. */
#include "vmm/vcpu_efer.h"

#include <errno.h>

int vcpu_efer_write(uint64_t cur, uint64_t value, uint64_t cr0, uint64_t *next)
{
	if (value & ~(VCPU_EFER_WRITABLE | X86_EFER_LMA))
		return -EINVAL;
	if ((cr0 & X86_CR0_PG) && ((value ^ cur) & X86_EFER_LME))
		return -EINVAL;
	*next = (value & VCPU_EFER_WRITABLE) | (cur & X86_EFER_LMA);
	return 0;
}
