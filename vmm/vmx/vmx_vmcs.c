// SPDX-License-Identifier: MIT
/*
 * The VMCS of a VMX vCPU (Intel SDM vol. 3C chapters 24-26): which one is current, its field
 * writes with their errors collected, the control and host-state fields it starts with, and the
 * guest state vcpu_load_state() gives it. The contract is in vmx_internal.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/log.h"
#include "kernel/arch/x86/x86.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_caps.h"
#include "vmm/vmx/vmx_exit.h"
#include "vmm/vmx/vmx_insn.h"
#include "vmm/vmx/vmx_internal.h"

#define DR7_RESET	    0x400ull
#define SEL_INDEX_MASK	    0xfff8u /* selector bits 15:3 index the GDT (vol. 3A 3.4.2) */
#define TSS_BASE_15_0	    16	    /* 64-bit TSS descriptor base fields (vol. 3A 8.2.3) */
#define TSS_BASE_31_24	    56
#define TSS_BASE_LOW_MASK   0xffffffull
#define TSS_BASE_31_24_MASK 0xffull
#define TSS_BASE_HIGH_SHIFT 24
#define TSS_HIGH_SHIFT	    32

struct vmx_vmcs_state vmx_vmcs_state;

/* ---- The current VMCS and its fields ---- */

int vmx_vmcs_make_current(const struct vmx_vcpu *x)
{
	if (vmx_vmptrld(x->vmcs_pa)) {
		log_err("vmx: VMPTRLD %#llx failed", (unsigned long long)x->vmcs_pa);
		return -EIO;
	}
	vmx_vmcs_state.current = x->vmcs_pa;
	return 0;
}

int vmx_vmcs_clear(uint64_t vmcs_pa)
{
	int err = vmx_vmclear(vmcs_pa);

	if (vmx_vmcs_state.current == vmcs_pa)
		vmx_vmcs_state.current = 0;
	return err;
}

int vmx_vmcs_write_failed(const char *what)
{
	vmx_vmcs_state.write_failed = false;
	log_err("vmx: %s: VMWRITE of field %#x failed: %s", what, vmx_vmcs_state.failed_field,
		vmx_insn_error_name((uint32_t)vmx_vmread(VMCS_INSN_ERROR)));
	return -EIO;
}

/* ---- Control and host-state fields ---- */

struct descriptor_table {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* A segment register's selector, or TR's (STR). */
#define READ_SEL(insn)                                     \
	({                                                 \
		uint16_t sel_;                             \
		__asm__ volatile(insn " %0" : "=r"(sel_)); \
		sel_;                                      \
	})

/* The base of the 64-bit TSS descriptor @tr selects in the GDT at @gdt (vol. 3A 8.2.3). */
static uint64_t tss_base(uint64_t gdt, uint16_t tr)
{
	const uint64_t *d = (const uint64_t *)(gdt + (tr & SEL_INDEX_MASK));

	return ((d[0] >> TSS_BASE_15_0) & TSS_BASE_LOW_MASK) |
	       (((d[0] >> TSS_BASE_31_24) & TSS_BASE_31_24_MASK) << TSS_BASE_HIGH_SHIFT) |
	       (d[1] << TSS_HIGH_SHIFT);
}

/* The state the CPU loads at every VM exit: skiff's own (27.2.3 checks it, 28.5 loads it). */
static void setup_host(void)
{
	struct descriptor_table gdtr, idtr;
	uint16_t tr = READ_SEL("str");

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmx_vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmx_vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmx_vmcs_write(VMCS_HOST_CR4, read_cr4());
	vmx_vmcs_write(VMCS_HOST_CS_SEL, READ_SEL("mov %%cs,"));
	vmx_vmcs_write(VMCS_HOST_SS_SEL, READ_SEL("mov %%ss,"));
	vmx_vmcs_write(VMCS_HOST_DS_SEL, READ_SEL("mov %%ds,"));
	vmx_vmcs_write(VMCS_HOST_ES_SEL, READ_SEL("mov %%es,"));
	vmx_vmcs_write(VMCS_HOST_FS_SEL, READ_SEL("mov %%fs,"));
	vmx_vmcs_write(VMCS_HOST_GS_SEL, READ_SEL("mov %%gs,"));
	vmx_vmcs_write(VMCS_HOST_TR_SEL, tr);
	vmx_vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmx_vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmx_vmcs_write(VMCS_HOST_TR_BASE, tss_base(gdtr.base, tr));
	vmx_vmcs_write(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmx_vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
	vmx_vmcs_write(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmx_vmcs_write(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmx_vmcs_write(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmx_vmcs_write(VMCS_HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmx_vmcs_write(VMCS_HOST_RIP, (uint64_t)vmx_exit_point);
	/* HOST_RSP is written by vmx_enter() before every entry. */
}

static void setup_control(const struct vcpu *v, struct vmx_vcpu *x, uint64_t eptp)
{
	vmx_vmcs_write(VMCS_PIN_CTLS, vmx_cpu.pin);
	vmx_vmcs_write(VMCS_PROC_CTLS, vmx_cpu.proc);
	x->proc = vmx_cpu.proc;
	vmx_vmcs_write(VMCS_PROC_CTLS2, vmx_cpu.proc2);
	vmx_vmcs_write(VMCS_EXIT_CTLS, vmx_cpu.exit);
	vmx_vmcs_write(VMCS_ENTRY_CTLS, vmx_cpu.entry);
	vmx_vmcs_write(VMCS_EXCEPTION_BITMAP, v->cfg.exception_bitmap);
	vmx_vmcs_write(VMCS_PF_ERROR_MASK, 0);
	vmx_vmcs_write(VMCS_PF_ERROR_MATCH, 0);
	vmx_vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmx_vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR,
		       x->msrs_pa + offsetof(struct vmx_msr_areas, guest));
	vmx_vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, VMX_SWITCHED_MSRS);
	vmx_vmcs_write(VMCS_EXIT_MSR_STORE_ADDR,
		       x->msrs_pa + offsetof(struct vmx_msr_areas, guest));
	vmx_vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, VMX_SWITCHED_MSRS);
	vmx_vmcs_write(VMCS_EXIT_MSR_LOAD_ADDR, x->msrs_pa + offsetof(struct vmx_msr_areas, host));
	vmx_vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, VMX_SWITCHED_MSRS);
	vmx_vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	vmx_vmcs_write(VMCS_EPT_POINTER, eptp);
	vmx_vmcs_write(VMCS_VIRTUAL_APIC_ADDR, x->vapic_pa);
	vmx_vmcs_write(VMCS_TPR_THRESHOLD, 0);
	if (x->vpid)
		vmx_vmcs_write(VMCS_VPID, x->vpid);
	vmx_vmcs_write(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
}

int vmx_vmcs_setup(const struct vcpu *v, struct vmx_vcpu *x, uint64_t eptp)
{
	setup_control(v, x, eptp);
	setup_host();
	return vmx_vmcs_write_check("VMCS setup");
}

/* ---- Guest state ---- */

static void set_seg(uint32_t sel, const struct vcpu_seg *s)
{
	/* Selector, limit, access rights and base fields of one register are spaced alike. */
	vmx_vmcs_write(sel, s->selector);
	vmx_vmcs_write(sel - VMCS_GUEST_ES_SEL + VMCS_GUEST_ES_LIMIT, s->limit);
	vmx_vmcs_write(sel - VMCS_GUEST_ES_SEL + VMCS_GUEST_ES_AR, vmx_seg_ar(s->attrib));
	vmx_vmcs_write(sel - VMCS_GUEST_ES_SEL + VMCS_GUEST_ES_BASE, s->base);
}

_Static_assert(VMCS_GUEST_TR_SEL - VMCS_GUEST_ES_SEL == VMCS_GUEST_TR_LIMIT - VMCS_GUEST_ES_LIMIT &&
		       VMCS_GUEST_TR_SEL - VMCS_GUEST_ES_SEL ==
			       VMCS_GUEST_TR_AR - VMCS_GUEST_ES_AR &&
		       VMCS_GUEST_TR_SEL - VMCS_GUEST_ES_SEL ==
			       VMCS_GUEST_TR_BASE - VMCS_GUEST_ES_BASE,
	       "appendix B spaces the segment fields alike");

/* Guest CR0 / CR4: the bits VMX fixes are owned by skiff (guest/host mask); the guest reads
 * its own values from the read shadow (25.6.6 "Guest/Host Masks and Read Shadows"). */
static void set_crs(const struct vcpu_state *s)
{
	uint64_t cr0_fixed0 =
		vmx_guest_cr0_fixed0(vmx_cpu.cr0_fixed0, vmx_cpu.proc2 & PROC2_UNRESTRICTED);

	vmx_vmcs_write(VMCS_CR0_GUEST_HOST_MASK, cr0_fixed0 | ~vmx_cpu.cr0_fixed1);
	vmx_vmcs_write(VMCS_CR0_READ_SHADOW, s->cr0);
	vmx_vmcs_write(VMCS_GUEST_CR0, vmx_cr_fixed(s->cr0, cr0_fixed0, vmx_cpu.cr0_fixed1));
	vmx_vmcs_write(VMCS_CR4_GUEST_HOST_MASK, vmx_cpu.cr4_fixed0 | ~vmx_cpu.cr4_fixed1);
	vmx_vmcs_write(VMCS_CR4_READ_SHADOW, s->cr4);
	vmx_vmcs_write(VMCS_GUEST_CR4,
		       vmx_cr_fixed(s->cr4, vmx_cpu.cr4_fixed0, vmx_cpu.cr4_fixed1));
	vmx_vmcs_write(VMCS_GUEST_CR3, s->cr3);
}

int vmx_load_state(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *x = v->backend;
	int err = vmx_vmcs_load(x);

	if (err)
		return err;
	if (!(vmx_cpu.proc2 & PROC2_UNRESTRICTED) &&
	    (s->cr0 & (X86_CR0_PE | X86_CR0_PG)) != (X86_CR0_PE | X86_CR0_PG)) {
		log_err("vmx: the guest starts with paging or protection off, which needs the "
			"\"unrestricted guest\" control");
		return -EOPNOTSUPP;
	}
	set_seg(VMCS_GUEST_ES_SEL, &s->es);
	set_seg(VMCS_GUEST_CS_SEL, &s->cs);
	set_seg(VMCS_GUEST_SS_SEL, &s->ss);
	set_seg(VMCS_GUEST_DS_SEL, &s->ds);
	set_seg(VMCS_GUEST_FS_SEL, &s->fs);
	set_seg(VMCS_GUEST_GS_SEL, &s->gs);
	set_seg(VMCS_GUEST_LDTR_SEL, &s->ldtr);
	set_seg(VMCS_GUEST_TR_SEL, &s->tr);
	vmx_vmcs_write(VMCS_GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmx_vmcs_write(VMCS_GUEST_GDTR_BASE, s->gdtr.base);
	vmx_vmcs_write(VMCS_GUEST_IDTR_LIMIT, s->idtr.limit);
	vmx_vmcs_write(VMCS_GUEST_IDTR_BASE, s->idtr.base);
	set_crs(s);
	vmx_vmcs_write(VMCS_GUEST_IA32_EFER, s->efer);
	vmx_vmcs_write(VMCS_GUEST_DR7, DR7_RESET);
	vmx_vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmx_vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
	vmx_vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmx_vmcs_write(VMCS_GUEST_ACTIVITY, VMX_ACTIVITY_ACTIVE);
	vmx_vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	x->irq_pending = false;
	/* CR8 and the switched MSRs as after reset (vol. 3A 10.1.1 table 10-1). */
	((uint8_t *)x->vapic_pa)[VAPIC_VTPR] = 0;
	vmx_msr_area_init(((struct vmx_msr_areas *)x->msrs_pa)->guest);
	vmx_vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmx_vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmx_vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	return vmx_vmcs_write_check("guest state");
}
