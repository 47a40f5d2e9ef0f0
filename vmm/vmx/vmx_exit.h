/* SPDX-License-Identifier: MIT */
/*
 * VMX exits in the vCPU's normalised form (vmm/vcpu_exit.h): the exit reason, exit
 * qualification and the other VM-exit information fields of a VMCS (Intel SDM vol. 3C 25.9
 * "VM-Exit Information Fields", 28.2.1 "Basic VM-Exit Information", appendix C "VMX Basic Exit
 * Reasons", 27.8 "VM-Entry Failures During or After Loading Guest State") decoded, and the
 * VM-instruction error numbers named (31.4 "VM Instruction Error Numbers"). Pure: runs on the
 * host under tests (tests/unit/test_vmx_exit.c).
 */
#ifndef SKIFF_VMM_VMX_VMX_EXIT_H
#define SKIFF_VMM_VMX_VMX_EXIT_H

#include <stdint.h>

#include "vmm/vcpu_exit.h"

/* The VM-exit information fields of one exit, as read from the VMCS. */
struct vmx_exit_info {
	uint32_t reason;     /* exit reason (4402H): basic reason in 15:0, entry failure bit 31 */
	uint64_t qual;	     /* exit qualification (6400H) */
	uint32_t intr_info;  /* VM-exit interruption information (4404H) */
	uint32_t intr_error; /* VM-exit interruption error code (4406H) */
	uint32_t insn_len;   /* VM-exit instruction length (440CH) */
	uint64_t gpa;	     /* guest-physical address (2400H), EPT violations */
	uint32_t idt_info;   /* IDT-vectoring information (4408H) */
};

/*
 * vmx_exit_decode - fill @e from @x. e->raw is the exit reason field, e->info1 the exit
 * qualification, e->info2 the guest-physical address for EPT violations and
 * misconfigurations, else the interruption information. Instruction exits (CPUID, HLT,
 * VMCALL, I/O, RDMSR/WRMSR, MOV DR, and INVD, RDPMC, MWAIT, MONITOR, WBINVD/WBNOINVD as
 * VCPU_EXIT_INSN) carry the VMCS's instruction length. MOV DR (reason 29) gets its register,
 * direction and general-purpose register from the qualification (28.2.1 table 28-4). A hardware
 * exception gets its vector and error code, CR2 from the qualification for #PF and the DR6
 * bits for #DB (table 28-1); an NMI (reason 0, type 2) is VCPU_EXIT_NMI. An EPT violation is
 * marked paging_walk when the qualification says the access was not to the translation of a
 * linear address (bit 7 clear, or bit 8 clear; table 28-7) and delivery when the IDT-vectoring
 * information is valid (28.2.4). Entry failures (bit 31) become VCPU_EXIT_ENTRY_FAIL with
 * e->fail.why naming the reason and, for invalid guest state (reason 33), the qualification's
 * cause. e->msr.index is the guest's RCX, which the VMCS does not hold: the caller fills it in.
 */
void vmx_exit_decode(const struct vmx_exit_info *x, struct vcpu_exit *e);

/* vmx_insn_error_name - the SDM's description of VM-instruction error @err (field 4400H). */
const char *vmx_insn_error_name(uint32_t err);

#endif
