/* SPDX-License-Identifier: MIT */
/*
 * SVM exits in the vCPU's normalised form (vmm/vcpu_exit.h): EXITCODE, EXITINFO1 and EXITINFO2
 * of a VMCB decoded by AMD APM vol. 2 appendix C and 15.7-15.13, 15.25.6. Pure: runs on the
 * host under tests (tests/unit/test_svm_exit.c).
 */
#ifndef SKIFF_VMM_SVM_SVM_EXIT_H
#define SKIFF_VMM_SVM_SVM_EXIT_H

#include <stdbool.h>

#include "vmm/insn.h"
#include "vmm/vcpu_exit.h"

/* What the CPU's SVM reports at an exit (CPUID 8000_000Ah EDX, 8000_0008h EAX). */
struct svm_caps {
	bool nrips;	      /* next-RIP save (EDX bit 3, 15.7.1) */
	bool decode_assists;  /* EXITINFO1 names MOV DR's GPR (EDX bit 7, 15.8) */
	unsigned int pa_bits; /* MAXPHYADDR, for svm_vmcb_check() and the guest walk */
};

/*
 * svm_exit_decode - fill @e from the exit recorded in @vmcb on a CPU with @caps. The exiting
 * instruction's length comes from EXITINFO2 - RIP for IOIO (the next RIP, architectural:
 * 15.10.2), from NEXT_RIP - RIP for the other instruction intercepts with @caps->nrips, and is
 * left 0 otherwise (vcpu_run() then decodes the instruction). A MOV DR exit's GPR comes from
 * EXITINFO1 with @caps->decode_assists; without them it is 0 and the caller decodes the
 * instruction (svm_exit_dr_insn()). A #DB exit carries the VMCB's DR6 (15.12.2), an #NPF
 * whether the guest's own page-table walk (EXITINFO1 bit 33) or an event's delivery
 * (EXITINTINFO valid, 15.7.2) made the access. For VMEXIT_INVALID (low 32 bits of EXITCODE all
 * ones), e->fail.why names the first consistency check of svm_vmcb_check() that fails.
 * e->msr.index is the guest's RCX, which the VMCB does not hold: the caller fills it in.
 */
void svm_exit_decode(const void *vmcb, const struct svm_caps *caps, struct vcpu_exit *e);

/*
 * svm_exit_dr_insn - complete MOV DR exit @e (VCPU_EXIT_DR, no decode assists) from @in, the
 * instruction decoded at the exit's RIP (vmm/insn.h): e->dr.gpr and e->insn_len. Returns 0, or
 * -EILSEQ when @in is not the MOV DR the exit reports (another instruction, direction or debug
 * register: the guest's code changed under the exit); @e is unchanged then.
 */
int svm_exit_dr_insn(struct vcpu_exit *e, const struct insn *in);

#endif
