/* SPDX-License-Identifier: MIT */
/*
 * The SVM backend of the vCPU interface (vmm/vcpu.h): AMD APM vol. 2 ch. 15. One VMCB per vCPU,
 * an ASID from 1 to NASID - 1, nested paging from the VM's CPU view (vcpu_mem, CPU_PGT_NPT), an
 * IOPM and MSRPM that intercept every port and MSR, and intercepts of CPUID, HLT, VMMCALL, I/O,
 * MSRs, MOV DR, INVD, WBINVD, RDPMC, RDPRU, INVLPGA, MONITOR, MWAIT, shutdown, #NPF, external
 * interrupts and the exceptions in vcpu_cfg.exception_bitmap. The guest's syscall MSRs live in
 * its VMCB (VMLOAD / VMSAVE), its debug registers in software (vmm/vcpu_dr.h). Kernel only.
 */
#ifndef SKIFF_VMM_SVM_SVM_H
#define SKIFF_VMM_SVM_SVM_H

#include <stdbool.h>

#include "vmm/vcpu.h"

extern const struct vcpu_ops svm_vcpu_ops;

/*
 * svm_enable - make this CPU ready for VMRUN (15.4 "Enabling SVM"): CPUID 8000_0001h ECX.SVM
 * and 8000_000Ah EDX.NP, VM_CR.SVMDIS clear, EFER.SVME set, VM_HSAVE_PA set to a new page.
 * Idempotent. Returns 0, or -ENODEV with the reason logged (no SVM, no nested paging, SVM
 * disabled by the firmware), or -ENOMEM.
 */
int svm_enable(void);

/* svm_nrips - does the CPU save the next RIP on instruction intercepts (8000_000Ah EDX bit 3)? */
bool svm_nrips(void);

#endif
