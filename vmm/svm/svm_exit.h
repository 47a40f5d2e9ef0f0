/* SPDX-License-Identifier: MIT */
/*
 * SVM exits in the vCPU's normalised form (vmm/vcpu_exit.h): EXITCODE, EXITINFO1 and EXITINFO2
 * of a VMCB decoded by AMD APM vol. 2 appendix C and 15.9-15.13, 15.25.6. Pure: runs on the
 * host under tests (tests/unit/test_svm_exit.c).
 */
#ifndef SKIFF_VMM_SVM_SVM_EXIT_H
#define SKIFF_VMM_SVM_SVM_EXIT_H

#include <stdbool.h>

#include "vmm/vcpu_exit.h"

/*
 * svm_exit_decode - fill @e from the exit recorded in @vmcb. The exiting instruction's length
 * comes from EXITINFO2 - RIP for IOIO (the next RIP, architectural: 15.10.2), from
 * NEXT_RIP - RIP for the other instruction intercepts when @nrips (CPUID 8000_000Ah EDX bit 3),
 * and is left 0 otherwise (vcpu_run() then decodes the instruction). For
 * VMEXIT_INVALID (low 32 bits of EXITCODE all ones), e->fail.why names the first consistency
 * check of svm_vmcb_check(@vmcb, @pa_bits) that fails. e->msr.index is the guest's RCX, which
 * the VMCB does not hold: the caller fills it in.
 */
void svm_exit_decode(const void *vmcb, bool nrips, unsigned int pa_bits, struct vcpu_exit *e);

#endif
