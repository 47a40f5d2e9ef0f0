// SPDX-License-Identifier: MIT
/*
 * The VMX backend (see vmx.h): a vCPU's creation - its VPID, VMCS, virtual-APIC page and MSR
 * areas - and destruction, and the vcpu_ops the rest of the backend fills (vmx_vmcs.c,
 * vmx_run.c, vmx_arch_msr.c; this CPU's VMX operation in vmx_enable.c).
 */
#include "vmm/vmx/vmx.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/mm/mm.h"
#include "kernel/mm/pmm.h"
#include "kernel/arch/x86/x86.h"
#include "vmm/ept.h"
#include "vmm/hypercall.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_insn.h"
#include "vmm/vmx/vmx_internal.h"
#include "vmm/vmx/vmx_msr.h"

static void vmx_free(struct vmx_vcpu *x)
{
	if (x->vmcs_pa) {
		vmx_vmcs_clear(x->vmcs_pa);
		pmm_free(&kernel_pmm, x->vmcs_pa, 1);
	}
	if (x->vapic_pa)
		pmm_free(&kernel_pmm, x->vapic_pa, 1);
	if (x->msrs_pa)
		pmm_free(&kernel_pmm, x->msrs_pa, 1);
	if (x->vpid)
		vmx_vpid_free(x->vpid);
	free(x);
}

/* The host's values of the switched MSRs, which every VM exit loads (28.6). */
static void save_host_msrs(struct vmx_vcpu *x)
{
	struct vmx_msr_areas *m = (struct vmx_msr_areas *)x->msrs_pa;

	vmx_msr_area_init(m->guest);
	vmx_msr_area_init(m->host);
	for (unsigned int i = 0; i < VMX_SWITCHED_MSRS; i++)
		m->host[i].value = rdmsr(m->host[i].index);
}

static int vmx_create(struct vcpu *v)
{
	struct vmx_vcpu *x;
	uint64_t eptp;
	int err = vmx_enable();

	if (err)
		return err;
	if (v->mem->pgt.format != CPU_PGT_EPT)
		return -EINVAL;
	err = ept_eptp(v->mem->pgt.root, EPT_MT_WB, vmx_cpu.ept_cap & EPT_CAP_AD, vmx_cpu.ept_cap,
		       &eptp);
	if (err)
		return err;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	if (vmx_cpu.proc2 & PROC2_ENABLE_VPID)
		err = vmx_vpid_alloc(&x->vpid);
	if (!err)
		err = page_alloc_zeroed(&x->vmcs_pa);
	if (!err)
		err = page_alloc_zeroed(&x->vapic_pa);
	if (!err)
		err = page_alloc_zeroed(&x->msrs_pa);
	if (err) {
		vmx_free(x);
		return err;
	}
	save_host_msrs(x);
	*(uint32_t *)x->vmcs_pa = vmx_cpu.revision;
	if (vmx_vmcs_clear(x->vmcs_pa) || vmx_vmcs_load(x)) {
		vmx_free(x);
		return -EIO;
	}
	v->backend = x;
	err = vmx_vmcs_setup(v, x, eptp);
	if (err) {
		vmx_free(x);
		v->backend = NULL;
		return err;
	}
	/* New tables and a VPID perhaps used before: drop what the TLBs hold (29.4.3.1). */
	if (vmx_cpu.ept_cap & EPT_CAP_INVEPT_ALL)
		vmx_invept_all();
	if ((vmx_cpu.ept_cap & VPID_CAP_INVVPID_ALL) && x->vpid)
		vmx_invvpid_all();
	return 0;
}

static void vmx_destroy(struct vcpu *v)
{
	if (v->backend)
		vmx_free(v->backend);
	v->backend = NULL;
}

const struct vcpu_ops vmx_vcpu_ops = {
	.name = "vmx",
	.hypercall_insn = HC_INSN_VMCALL,
	.create = vmx_create,
	.destroy = vmx_destroy,
	.load_state = vmx_load_state,
	.run = vmx_run,
	.insn_retired = vmx_insn_retired,
	.inject_interrupt = vmx_inject_interrupt,
	.arch_msr = vmx_arch_msr,
};
