// SPDX-License-Identifier: MIT
/* VMX exit decoding: see vmx_exit.h. */
#include "vmm/vmx/vmx_exit.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "vmm/vmx/vmcs_fields.h"

static const char *const insn_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_name(uint32_t err)
{
	if (err < sizeof(insn_errors) / sizeof(insn_errors[0]) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error";
}

static const char *entry_failure(uint32_t basic, uint64_t qual)
{
	if (basic == EXIT_MSR_LOADING)
		return "VM-entry failure due to MSR loading";
	if (basic == EXIT_MACHINE_CHECK_ENTRY)
		return "VM-entry failure due to machine-check event";
	if (basic != EXIT_INVALID_GUEST_STATE)
		return "VM-entry failure with an unknown exit reason";
	switch (qual) {
	case ENTRY_QUAL_PDPTE:
		return "invalid guest state: the PDPTEs failed to load";
	case ENTRY_QUAL_NMI_BLOCK:
		return "invalid guest state: NMI injection while events are blocked";
	case ENTRY_QUAL_LINK:
		return "invalid guest state: bad VMCS link pointer";
	default:
		return "invalid guest state (a guest-state check of 27.3.1 failed)";
	}
}

static void decode_exception(const struct vmx_exit_info *x, struct vcpu_exit *e)
{
	uint32_t type = (x->intr_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	if (!(x->intr_info & INTR_INFO_VALID))
		return;
	if (type == INTR_TYPE_NMI) {
		e->reason = VCPU_EXIT_NMI; /* the host's: NMI exiting (25.6.1) */
		return;
	}
	e->reason = VCPU_EXIT_EXCEPTION;
	e->exc.vector = (uint8_t)(x->intr_info & INTR_INFO_VECTOR_MASK);
	e->exc.has_error = x->intr_info & INTR_INFO_ERROR_VALID;
	e->exc.error = e->exc.has_error ? x->intr_error : 0;
	if (e->exc.vector == VMX_VECTOR_PF)
		e->exc.cr2 = x->qual;
	if (e->exc.vector == VMX_VECTOR_DB)
		e->exc.dr6 = x->qual & DB_QUAL_DR6_MASK;
}

static void decode_dr(const struct vmx_exit_info *x, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_DR;
	e->dr.dr = (uint8_t)(x->qual & DR_QUAL_DR_MASK);
	e->dr.write = !(x->qual & DR_QUAL_FROM);
	e->dr.gpr = (uint8_t)((x->qual & DR_QUAL_GPR_MASK) >> DR_QUAL_GPR_SHIFT);
}

static void decode_ept_violation(const struct vmx_exit_info *x, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_MMIO;
	e->mmio.gpa = x->gpa;
	e->mmio.write = x->qual & EPT_QUAL_WRITE;
	e->mmio.fetch = x->qual & EPT_QUAL_FETCH;
	e->mmio.paging_walk =
		!(x->qual & EPT_QUAL_LINEAR_VALID) || !(x->qual & EPT_QUAL_TRANSLATED);
	e->mmio.delivery = x->idt_info & INTR_INFO_VALID;
	e->info2 = x->gpa;
}

static void decode_insn(enum vcpu_insn which, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_INSN;
	e->insn.which = which;
}

static void decode_io(const struct vmx_exit_info *x, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_IO;
	e->io.port = (uint16_t)((x->qual & IO_QUAL_PORT_MASK) >> IO_QUAL_PORT_SHIFT);
	e->io.size = (uint8_t)((x->qual & IO_QUAL_SIZE_MASK) + 1);
	e->io.in = x->qual & IO_QUAL_IN;
	e->io.string = x->qual & IO_QUAL_STRING;
	e->io.rep = x->qual & IO_QUAL_REP;
}

void vmx_exit_decode(const struct vmx_exit_info *x, struct vcpu_exit *e)
{
	uint32_t basic = x->reason & EXIT_REASON_BASIC_MASK;
	bool insn = false;

	memset(e, 0, sizeof(*e));
	e->reason = VCPU_EXIT_OTHER;
	e->raw = x->reason;
	e->info1 = x->qual;
	e->info2 = x->intr_info;
	if (x->reason & EXIT_REASON_ENTRY_FAIL) {
		e->reason = VCPU_EXIT_ENTRY_FAIL;
		e->fail.why = entry_failure(basic, x->qual);
		return;
	}
	switch (basic) {
	case EXIT_EXCEPTION_NMI:
		decode_exception(x, e);
		break;
	case EXIT_EXTERNAL_INTERRUPT:
		e->reason = VCPU_EXIT_EXTINT;
		break;
	case EXIT_INTERRUPT_WINDOW:
		e->reason = VCPU_EXIT_IRQ_WINDOW;
		break;
	case EXIT_TRIPLE_FAULT:
		e->reason = VCPU_EXIT_SHUTDOWN;
		break;
	case EXIT_CPUID:
		e->reason = VCPU_EXIT_CPUID;
		insn = true;
		break;
	case EXIT_HLT:
		e->reason = VCPU_EXIT_HLT;
		insn = true;
		break;
	case EXIT_VMCALL:
		e->reason = VCPU_EXIT_HYPERCALL;
		insn = true;
		break;
	case EXIT_IO_INSTRUCTION:
		decode_io(x, e);
		insn = true;
		break;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		e->reason = VCPU_EXIT_MSR;
		e->msr.write = basic == EXIT_WRMSR;
		insn = true;
		break;
	case EXIT_DR_ACCESS:
		decode_dr(x, e);
		insn = true;
		break;
	case EXIT_INVD:
		decode_insn(VCPU_INSN_INVD, e);
		insn = true;
		break;
	case EXIT_RDPMC:
		decode_insn(VCPU_INSN_RDPMC, e);
		insn = true;
		break;
	case EXIT_MWAIT:
		decode_insn(VCPU_INSN_MWAIT, e);
		insn = true;
		break;
	case EXIT_MONITOR:
		decode_insn(VCPU_INSN_MONITOR, e);
		insn = true;
		break;
	case EXIT_WBINVD:
		decode_insn(VCPU_INSN_WBINVD, e);
		insn = true;
		break;
	case EXIT_EPT_VIOLATION:
		decode_ept_violation(x, e);
		break;
	case EXIT_EPT_MISCONFIG:
		e->info2 = x->gpa;
		break;
	default:
		break;
	}
	if (insn)
		e->insn_len = (uint8_t)x->insn_len;
}
