/* SPDX-License-Identifier: MIT */
/*
 * A guest's WRMSR to IA32_EFER, checked as the CPU checks it (Intel SDM vol. 3A 2.2.1 and 10.8.5,
 * vol. 4 table 2-2; AMD APM vol. 2 3.1.7 and 14.6): the one rule both backends share.
 */
#ifndef SKIFF_VMM_VCPU_EFER_H
#define SKIFF_VMM_VCPU_EFER_H

#include <stdint.h>

#include "vmm/vcpu_state.h"

/* The EFER bits a guest may set: SYSCALL, long mode, no-execute. */
#define VCPU_EFER_WRITABLE (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE)

/*
 * vcpu_efer_write - the EFER a guest gets for WRMSR of @value, given its EFER now (@cur, without
 * any bit the backend keeps set underneath) and the CR0 it sees (@cr0). Writes *@next (LMA
 * kept: the CPU sets it, a write does not change it) and returns 0, or -EINVAL, for the guest a
 * #GP, when @value sets a bit outside VCPU_EFER_WRITABLE and LMA, or changes LME while CR0.PG is
 * set (SDM vol. 3A 10.8.5: "...with paging enabled ... #GP"; APM vol. 2 14.6.1).
 */
int vcpu_efer_write(uint64_t cur, uint64_t value, uint64_t cr0, uint64_t *next);

#endif
