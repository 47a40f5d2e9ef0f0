// SPDX-License-Identifier: MIT
/*
 * The run loop of a VMX vCPU (Intel SDM vol. 3C chapters 26-28): the events and the requested
 * interrupt into the VM-entry fields, one VM entry with interrupts off, the exit read back and
 * decoded, a host NMI handed to the host's handler, a failed entry logged. The contract is in
 * vmx_internal.h (vcpu_ops.run, inject_interrupt, insn_retired).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_caps.h"
#include "vmm/vmx/vmx_event.h"
#include "vmm/vmx/vmx_exit.h"
#include "vmm/vmx/vmx_insn.h"
#include "vmm/vmx/vmx_internal.h"

/* A VM entry that failed: VMLAUNCH/VMRESUME's error (VMfailValid: e->info1 holds field 4400H;
 * VMfailInvalid) or the exit reason and qualification, and the state it was given. */
static void log_entry_failure(const struct vcpu_exit *e, int rc)
{
	if (rc == VMX_ENTER_FAIL_VALID)
		log_err("vmx: VM entry failed: VM-instruction error %llu: %s",
			(unsigned long long)e->info1, e->fail.why);
	else if (rc == VMX_ENTER_FAIL_INVALID)
		log_err("vmx: VM entry failed: %s", e->fail.why);
	else
		log_err("vmx: VM entry failed: exit reason %#llx (basic %llu), qualification %#llx: "
			"%s",
			(unsigned long long)e->raw,
			(unsigned long long)(e->raw & EXIT_REASON_BASIC_MASK),
			(unsigned long long)e->info1, e->fail.why);
	log_err("vmx:   CR0 %#llx (shadow %#llx) CR3 %#llx CR4 %#llx (shadow %#llx) EFER %#llx",
		(unsigned long long)vmx_vmread(VMCS_GUEST_CR0),
		(unsigned long long)vmx_vmread(VMCS_CR0_READ_SHADOW),
		(unsigned long long)vmx_vmread(VMCS_GUEST_CR3),
		(unsigned long long)vmx_vmread(VMCS_GUEST_CR4),
		(unsigned long long)vmx_vmread(VMCS_CR4_READ_SHADOW),
		(unsigned long long)vmx_vmread(VMCS_GUEST_IA32_EFER));
	log_err("vmx:   RIP %#llx RFLAGS %#llx CS %#llx AR %#llx SS AR %#llx TR AR %#llx; controls "
		"pin %#llx proc %#llx proc2 %#llx exit %#llx entry %#llx",
		(unsigned long long)vmx_vmread(VMCS_GUEST_RIP),
		(unsigned long long)vmx_vmread(VMCS_GUEST_RFLAGS),
		(unsigned long long)vmx_vmread(VMCS_GUEST_CS_SEL),
		(unsigned long long)vmx_vmread(VMCS_GUEST_CS_AR),
		(unsigned long long)vmx_vmread(VMCS_GUEST_SS_AR),
		(unsigned long long)vmx_vmread(VMCS_GUEST_TR_AR),
		(unsigned long long)vmx_vmread(VMCS_PIN_CTLS),
		(unsigned long long)vmx_vmread(VMCS_PROC_CTLS),
		(unsigned long long)vmx_vmread(VMCS_PROC_CTLS2),
		(unsigned long long)vmx_vmread(VMCS_EXIT_CTLS),
		(unsigned long long)vmx_vmread(VMCS_ENTRY_CTLS));
}

/* The exit's information fields into @info, the guest's registers into @v, and @e decoded. */
static void read_exit(struct vcpu *v, struct vmx_exit_info *info, struct vcpu_exit *e)
{
	*info = (struct vmx_exit_info){
		.reason = (uint32_t)vmx_vmread(VMCS_EXIT_REASON),
		.qual = vmx_vmread(VMCS_EXIT_QUALIFICATION),
		.intr_info = (uint32_t)vmx_vmread(VMCS_EXIT_INTR_INFO),
		.intr_error = (uint32_t)vmx_vmread(VMCS_EXIT_INTR_ERROR),
		.insn_len = (uint32_t)vmx_vmread(VMCS_EXIT_INSN_LEN),
		.gpa = vmx_vmread(VMCS_GUEST_PHYS_ADDR),
		.idt_info = (uint32_t)vmx_vmread(VMCS_IDT_VECTORING_INFO),
	};

	v->regs.gpr[VCPU_RSP] = vmx_vmread(VMCS_GUEST_RSP);
	v->regs.rip = vmx_vmread(VMCS_GUEST_RIP);
	v->regs.rflags = vmx_vmread(VMCS_GUEST_RFLAGS);
	v->paging.cr0 = vmx_vmread(VMCS_GUEST_CR0);
	v->paging.cr3 = vmx_vmread(VMCS_GUEST_CR3);
	v->paging.cr4 = vmx_vmread(VMCS_GUEST_CR4);
	v->paging.efer = vmx_vmread(VMCS_GUEST_IA32_EFER);
	v->paging.cs_base = vmx_vmread(VMCS_GUEST_CS_BASE);
	v->paging.cs_attrib = vmx_seg_attrib((uint32_t)vmx_vmread(VMCS_GUEST_CS_AR));
	v->paging.pa_bits = (uint8_t)vmx_cpu.pa_bits;
	/* The CPL is SS.DPL (SDM vol. 3C 27.4.1 "Checks on Guest Segment Registers"). */
	v->paging.cpl = (uint8_t)((vmx_seg_attrib((uint32_t)vmx_vmread(VMCS_GUEST_SS_AR)) &
				   VCPU_SEG_DPL_MASK) >>
				  VCPU_SEG_DPL_SHIFT);
	vmx_exit_decode(info, e);
}

/*
 * An event whose delivery the exit interrupted (the IDT-vectoring information, 25.9.3, 28.2.4)
 * is injected again at the next entry (27.6), with its error code and, for a software interrupt
 * or exception, the instruction length the exit saved (vcpu_event_exit()).
 */
static void interrupted_event(struct vcpu *v, const struct vmx_exit_info *info)
{
	uint32_t error = 0;
	struct vcpu_event ev;

	if ((info->idt_info & INTR_INFO_VALID) && (info->idt_info & INTR_INFO_ERROR_VALID))
		error = (uint32_t)vmx_vmread(VMCS_IDT_VECTORING_ERROR);
	ev = vmx_event_decode(info->idt_info, error, info->insn_len);
	vcpu_event_exit(&v->events, &ev);
}

/* v->events.inject into the VM-entry event fields; VM exits clear the valid bit (25.8.3). */
static void deliver_event(const struct vcpu *v)
{
	const struct vcpu_event *ev = &v->events.inject;

	if (!ev->valid)
		return;
	if (ev->has_error)
		vmx_vmcs_write(VMCS_ENTRY_EXC_ERROR, ev->error);
	if (vmx_event_has_insn_len(ev))
		vmx_vmcs_write(VMCS_ENTRY_INSN_LEN, ev->insn_len);
	vmx_vmcs_write(VMCS_ENTRY_INTR_INFO, vmx_entry_intr_info(ev));
}

/*
 * The requested interrupt goes into the VM-entry interruption information when the guest can
 * take it at this entry: RFLAGS.IF set, no blocking by STI or MOV SS (25.4.2; 27.3.1.5 refuses
 * an entry that injects an external interrupt otherwise) and no other event being injected.
 * Otherwise interrupt-window exiting (26.7.5) ends the guest's run as soon as it can take one,
 * and the entry after that injects it.
 */
static void deliver_interrupt(struct vcpu *v, struct vmx_vcpu *x)
{
	uint32_t proc = vmx_cpu.proc;

	if (x->irq_pending) {
		if ((v->regs.rflags & X86_RFLAGS_IF) &&
		    !(vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY) &
		      (VMX_BLOCKING_BY_STI | VMX_BLOCKING_BY_MOV_SS)) &&
		    !v->events.inject.valid) {
			vmx_vmcs_write(VMCS_ENTRY_INTR_INFO,
				       x->irq_vector |
					       (INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT) |
					       INTR_INFO_VALID);
			x->irq_pending = false;
		} else {
			proc |= PROC_INTR_WINDOW_EXITING;
		}
	}
	if (proc != x->proc) {
		vmx_vmcs_write(VMCS_PROC_CTLS, proc);
		x->proc = proc;
	}
}

/* Interrupts off around the entry and the exit's handling; RFLAGS as they were. */
static uint64_t irq_save(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static void irq_restore(uint64_t flags)
{
	if (flags & X86_RFLAGS_IF)
		irq_enable();
}

/*
 * A host NMI arrived while the guest ran and caused the exit (NMI exiting, 25.6.1; reason 0,
 * type NMI): the host's own NMI handler runs now, as if the NMI had come in the host (KVM and
 * bhyve do the same). The exit left NMIs blocked (28.5.5 "Updating Non-Register State": VM
 * exits caused by NMIs cause blocking by NMI). INT 2 calls the handler through the host's IDT
 * without changing that, and the IRET that ends the handler unblocks NMIs (vol. 3A 6.7.1): the
 * host is as after a native NMI, and an NMI arriving meanwhile waits for that IRET instead of
 * nesting. A self-IPI with NMI delivery would instead stay pending, blocked, until the host's
 * next IRET or the next VM entry (which takes the guest's blocking state, 27.3.2.5): it would
 * then exit again at once, and the host's handler would run late or never. Interrupts are off
 * from the entry to here, so no interrupt handler's IRET unblocks NMIs before the NMI's own
 * handler ran.
 */
static void host_nmi(void)
{
	__asm__ volatile("int $2" ::: "memory");
}

int vmx_run(struct vcpu *v, struct vcpu_exit *e)
{
	struct vmx_vcpu *x = v->backend;
	struct vmx_exit_info info;
	uint64_t entry = vmx_cpu.entry, flags;
	int err = vmx_vmcs_load(x), rc;

	if (err)
		return err;
	deliver_event(v);
	deliver_interrupt(v, x);
	if (vmx_vmread(VMCS_GUEST_IA32_EFER) & X86_EFER_LMA)
		entry |= ENTRY_IA32E_MODE;
	vmx_vmcs_write(VMCS_ENTRY_CTLS, entry);
	vmx_vmcs_write(VMCS_GUEST_RSP, v->regs.gpr[VCPU_RSP]);
	vmx_vmcs_write(VMCS_GUEST_RIP, v->regs.rip);
	vmx_vmcs_write(VMCS_GUEST_RFLAGS, v->regs.rflags);
	err = vmx_vmcs_write_check("entry");
	if (err)
		return err;

	flags = irq_save();
	rc = vmx_enter(v->regs.gpr, x->launched);
	if (!rc) {
		read_exit(v, &info, e);
		if (e->reason == VCPU_EXIT_NMI)
			host_nmi();
	}
	irq_restore(flags);

	if (rc) {
		uint32_t insn_error =
			rc == VMX_ENTER_FAIL_VALID ? (uint32_t)vmx_vmread(VMCS_INSN_ERROR) : 0;

		memset(e, 0, sizeof(*e));
		e->reason = VCPU_EXIT_ENTRY_FAIL;
		e->info1 = insn_error;
		e->fail.why = rc == VMX_ENTER_FAIL_VALID ? vmx_insn_error_name(insn_error) :
							   "VMfailInvalid: no current VMCS";
		log_entry_failure(e, rc);
		return 0;
	}
	if (e->reason == VCPU_EXIT_ENTRY_FAIL) {
		log_entry_failure(e, 0);
		return 0;
	}
	x->launched = true;
	interrupted_event(v, &info);
	if (e->reason == VCPU_EXIT_MSR)
		e->msr.index = (uint32_t)v->regs.gpr[VCPU_RCX];
	return 0;
}

int vmx_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	struct vmx_vcpu *x = v->backend;

	if (x->irq_pending)
		return -EBUSY;
	x->irq_pending = true;
	x->irq_vector = vector;
	return 0;
}

/* The blocking covers one instruction, the one skiff just completed (25.4.2 table 25-3). */
int vmx_insn_retired(struct vcpu *v)
{
	uint32_t state, retired;
	int err = vmx_vmcs_load(v->backend);

	if (err)
		return err;
	state = (uint32_t)vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY);
	retired = vmx_interruptibility_retire(state);
	if (retired != state)
		vmx_vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, retired);
	return vmx_vmcs_write_check("interruptibility state");
}
