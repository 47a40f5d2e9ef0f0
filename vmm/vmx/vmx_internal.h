/* SPDX-License-Identifier: MIT */
/*
 * What the files of the VMX backend share, and nothing outside vmm/vmx/ includes: this CPU's VMX
 * state (vmx_enable.c sets it up), a vCPU's VMX state (vmx.c), and the functions each file gives
 * the others - the current VMCS and its field writes (vmx_vmcs.c), VPIDs (vmx_vpid.c), the run
 * loop (vmx_run.c) and the MSRs the backend virtualises (vmx_arch_msr.c). Kernel only.
 */
#ifndef SKIFF_VMM_VMX_VMX_INTERNAL_H
#define SKIFF_VMM_VMX_VMX_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/vcpu.h"
#include "vmm/vmx/vmx_insn.h"
#include "vmm/vmx/vmx_msr.h"

/* This CPU's VMX state (skiff runs guests on the boot CPU); written by vmx_enable() only. */
struct vmx_cpu {
	bool enabled;
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry; /* the controls every VMCS starts with */
	uint64_t ept_cap;
	unsigned int va_bits; /* linear-address width: what a WRMSR of an address checks */
	unsigned int pa_bits; /* MAXPHYADDR, the guest's too (its CPUID is the host's) */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t vmxon_pa;
};

/*
 * Hidden: the image is position independent (-fpic), and a default-visibility global is reached
 * through the GOT, one more load wherever the run loop reads it; hidden ones are addressed
 * directly. Likewise vmx_vmcs_state below.
 */
extern struct vmx_cpu vmx_cpu __attribute__((visibility("hidden")));

/*
 * The MSR areas of one vCPU (one page; 25.7.2, 25.8.2): @guest is both the VM-entry MSR-load
 * and the VM-exit MSR-store area, so the guest's values live there between runs; @host is the
 * VM-exit MSR-load area, the host's values as they were when the vCPU was created.
 */
struct vmx_msr_areas {
	struct vmx_msr_entry guest[VMX_SWITCHED_MSRS];
	struct vmx_msr_entry host[VMX_SWITCHED_MSRS];
};

/* One vCPU's VMX state (struct vcpu.backend). */
struct vmx_vcpu {
	uint64_t vmcs_pa;
	uint64_t vapic_pa; /* the virtual-APIC page: the guest's CR8 is its VTPR (30.1.1) */
	uint64_t msrs_pa;  /* struct vmx_msr_areas */
	uint16_t vpid;
	bool launched;
	uint32_t proc;	  /* the primary processor-based controls in the VMCS */
	bool irq_pending; /* an interrupt was requested and is not injected yet */
	uint8_t irq_vector;
};

/* ---- vmx_vmcs.c: the current VMCS ---- */

/*
 * This CPU's current VMCS and the VMWRITEs into it (vmx_vmcs.c owns it). The fast paths below
 * are inline because the run loop takes them at every VM entry.
 */
struct vmx_vmcs_state {
	uint64_t current;      /* the current VMCS, 0 for none */
	bool write_failed;     /* a VMWRITE failed since the last vmx_vmcs_write_check() */
	uint32_t failed_field; /* the first field it failed on */
};

extern struct vmx_vmcs_state vmx_vmcs_state __attribute__((visibility("hidden")));

/* vmx_vmcs_make_current - VMPTRLD @x's VMCS. 0, or -EIO (logged). */
int vmx_vmcs_make_current(const struct vmx_vcpu *x);

/* vmx_vmcs_load - make @x's VMCS current unless it is. 0, or -EIO (logged). */
static inline int vmx_vmcs_load(const struct vmx_vcpu *x)
{
	if (vmx_vmcs_state.current == x->vmcs_pa)
		return 0;
	return vmx_vmcs_make_current(x);
}

/* vmx_vmcs_clear - VMCLEAR the VMCS at @vmcs_pa; it is no longer current. 0, or -EIO. */
int vmx_vmcs_clear(uint64_t vmcs_pa);

/*
 * vmx_vmcs_write - VMWRITE @value to @field of the current VMCS. A failure is kept (the first
 * failing field) for the next vmx_vmcs_write_check().
 */
static inline void vmx_vmcs_write(uint32_t field, uint64_t value)
{
	if (vmx_vmwrite(field, value) && !vmx_vmcs_state.write_failed) {
		vmx_vmcs_state.write_failed = true;
		vmx_vmcs_state.failed_field = field;
	}
}

/* vmx_vmcs_write_failed - log the failed VMWRITE under @what and forget it. Returns -EIO. */
int vmx_vmcs_write_failed(const char *what);

/*
 * vmx_vmcs_write_check - did every vmx_vmcs_write() since the last check succeed? 0, else -EIO
 * with the first failing field and the VM-instruction error logged under @what.
 */
static inline int vmx_vmcs_write_check(const char *what)
{
	return vmx_vmcs_state.write_failed ? vmx_vmcs_write_failed(what) : 0;
}

/*
 * vmx_vmcs_setup - the control and host-state fields of @x's VMCS, which must be current: the
 * controls vmx_enable() chose, @v's exception bitmap, the MSR areas, EPT pointer @eptp, the
 * virtual-APIC page, the VPID; the host state every VM exit loads (27.2.3, 28.5). 0, or -EIO.
 */
int vmx_vmcs_setup(const struct vcpu *v, struct vmx_vcpu *x, uint64_t eptp);

/* vmx_load_state - vcpu_ops.load_state: the guest state @s into @v's VMCS (see vcpu.h). */
int vmx_load_state(struct vcpu *v, const struct vcpu_state *s);

/* ---- vmx_vpid.c ---- */

/* vmx_vpid_alloc - a free VPID (1-63; 0 is the host's) into @vpid. 0, or -ENOSPC. */
int vmx_vpid_alloc(uint16_t *vpid);

/* vmx_vpid_free - give back @vpid (from vmx_vpid_alloc()). */
void vmx_vpid_free(uint16_t vpid);

/* ---- vmx_run.c ---- */

/* vmx_run - vcpu_ops.run: one VM entry and its exit, decoded into @e (see vcpu.h). */
int vmx_run(struct vcpu *v, struct vcpu_exit *e);

/* vmx_inject_interrupt - vcpu_ops.inject_interrupt: @vector at the first entry that can. */
int vmx_inject_interrupt(struct vcpu *v, uint8_t vector);

/* vmx_insn_retired - vcpu_ops.insn_retired: the STI / MOV SS blocking ends (25.4.2). */
int vmx_insn_retired(struct vcpu *v);

/* ---- vmx_arch_msr.c ---- */

/* vmx_arch_msr - vcpu_ops.arch_msr: EFER, SYSENTER and the switched MSRs of @v. */
int vmx_arch_msr(struct vcpu *v, uint32_t index, bool write, uint64_t *value);

#endif
