/* SPDX-License-Identifier: MIT */
/*
 * The VMX backend of the vCPU interface (vmm/vcpu.h): Intel SDM vol. 3C chapters 24-29. One
 * VMCS per vCPU; EPT from the VM's CPU view (vcpu_mem, CPU_PGT_EPT: 4 levels, write-back, A/D
 * flags when offered); a VPID from 1 to 63 when offered; "unrestricted guest" when offered, so a
 * guest may start with paging or protection off; exits on external interrupts, NMIs, CPUID,
 * HLT, VMCALL (the hypercall, HC_INSN_VMCALL), every I/O port and MSR, EPT violations (marked
 * when they come from the guest's page walk or an event delivery), MOV DR (VCPU_EXIT_DR: the
 * guest's hardware DR7 stays 400H, loaded at every entry), INVD, WBINVD, MONITOR, MWAIT and
 * RDPMC (VCPU_EXIT_INSN) and the exceptions in vcpu_cfg.exception_bitmap (#DB with its DR6
 * bits). The guest's CR8 is the VTPR of its virtual-APIC page (TPR shadow). KERNEL_GS_BASE,
 * STAR, LSTAR, CSTAR and FMASK are the guest's while it runs and the host's after each exit
 * (MSR-load/-store areas, vmx_msr.h); vcpu_ops.arch_msr reads and writes them, EFER and the
 * SYSENTER MSRs. A host NMI that exits is handed to the host's NMI handler (INT 2) and
 * reported as VCPU_EXIT_NMI. An interrupt requested with vcpu_inject_interrupt()
 * is injected at the first entry where the guest can take it, with interrupt-window exiting
 * (VCPU_EXIT_IRQ_WINDOW) until then; an event whose delivery an exit interrupted is injected
 * again at the next entry. A failed VM entry
 * is reported as VCPU_EXIT_ENTRY_FAIL and logged with the VM-instruction error (field 4400H) or
 * the exit reason and qualification (reason 33: invalid guest state). Kernel only.
 */
#ifndef SKIFF_VMM_VMX_VMX_H
#define SKIFF_VMM_VMX_VMX_H

#include "vmm/vcpu.h"

extern const struct vcpu_ops vmx_vcpu_ops;

/*
 * vmx_enable - put this CPU in VMX root operation (24.7 "Enabling and Entering VMX
 * Operation"): CPUID.1:ECX.VMX; IA32_FEATURE_CONTROL set to "VMX outside SMX" and locked when
 * unlocked; the controls skiff needs checked against the capability MSRs (the TRUE_* ones when
 * IA32_VMX_BASIC bit 55 says so, appendix A; one error line names each control missing); EPT with a 4-level walk and write-back tables;
 * CR0 and CR4 made to satisfy IA32_VMX_CR0/CR4_FIXED0/1 with CR4.VMXE; VMXON on a new region.
 * Idempotent. Returns 0, or -ENODEV with the reason logged (no VMX, VMX locked off by the
 * firmware, a control or EPT feature missing, VMXON failed), or -ENOMEM.
 */
int vmx_enable(void);

/*
 * vmx_cpu_pgt_features - the CPU_PGT_F_* features for a vcpu_mem_build(CPU_PGT_EPT, ...) on
 * this CPU (1 GiB pages when IA32_VMX_EPT_VPID_CAP bit 17 says so); 0 before vmx_enable().
 */
uint32_t vmx_cpu_pgt_features(void);

#endif
