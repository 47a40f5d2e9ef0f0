// SPDX-License-Identifier: MIT
/* SVM exit decoding: see svm_exit.h. */
#include "vmm/svm/svm_exit.h"

#include <string.h>

#include "vmm/svm/svm_vmcb.h"

#define EXITCODE_LOW32	0xffffffffull
#define EXC_PF		14
#define NO_CHECK_FAILED "no consistency check skiff knows failed"

static void decode_ioio(uint64_t info1, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_IO;
	e->io.port = (uint16_t)((info1 & SVM_IOIO_PORT_MASK) >> SVM_IOIO_PORT_SHIFT);
	e->io.size = info1 & SVM_IOIO_SZ32 ? 4 : info1 & SVM_IOIO_SZ16 ? 2 : 1;
	e->io.in = info1 & SVM_IOIO_IN;
	e->io.string = info1 & SVM_IOIO_STR;
	e->io.rep = info1 & SVM_IOIO_REP;
}

static void decode_reason(const void *vmcb, uint32_t code, unsigned int pa_bits,
			  struct vcpu_exit *e)
{
	if (code >= SVM_EXIT_EXCP_BASE && code <= SVM_EXIT_EXCP_LAST) {
		e->reason = VCPU_EXIT_EXCEPTION;
		e->exc.vector = (uint8_t)(code - SVM_EXIT_EXCP_BASE);
		e->exc.has_error = SVM_EXC_WITH_ERROR & (1u << e->exc.vector);
		e->exc.error = e->exc.has_error ? (uint32_t)e->info1 : 0;
		e->exc.cr2 = e->exc.vector == EXC_PF ? e->info2 : 0;
		return;
	}
	switch (code) {
	case SVM_EXIT_IOIO:
		decode_ioio(e->info1, e);
		break;
	case SVM_EXIT_NPF:
		e->reason = VCPU_EXIT_MMIO;
		e->mmio.gpa = e->info2;
		e->mmio.write = e->info1 & SVM_NPF_RW;
		e->mmio.fetch = e->info1 & SVM_NPF_ID;
		break;
	case SVM_EXIT_CPUID:
		e->reason = VCPU_EXIT_CPUID;
		break;
	case SVM_EXIT_MSR:
		e->reason = VCPU_EXIT_MSR;
		e->msr.write = e->info1 == SVM_MSR_WRITE;
		break;
	case SVM_EXIT_HLT:
		e->reason = VCPU_EXIT_HLT;
		break;
	case SVM_EXIT_VMMCALL:
		e->reason = VCPU_EXIT_HYPERCALL;
		break;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
		e->reason = VCPU_EXIT_EXTINT;
		break;
	case SVM_EXIT_SHUTDOWN:
		e->reason = VCPU_EXIT_SHUTDOWN;
		break;
	case SVM_EXIT_INVALID: {
		const char *why = svm_vmcb_check(vmcb, pa_bits);

		e->reason = VCPU_EXIT_ENTRY_FAIL;
		e->fail.why = why ? why : NO_CHECK_FAILED;
		break;
	}
	default:
		e->reason = VCPU_EXIT_OTHER;
	}
}

void svm_exit_decode(const void *vmcb, bool nrips, unsigned int pa_bits, struct vcpu_exit *e)
{
	uint64_t rip = svm_vmcb_rd64(vmcb, VMCB_RIP);

	memset(e, 0, sizeof(*e));
	e->raw = svm_vmcb_rd64(vmcb, VMCB_EXITCODE);
	e->info1 = svm_vmcb_rd64(vmcb, VMCB_EXITINFO1);
	e->info2 = svm_vmcb_rd64(vmcb, VMCB_EXITINFO2);
	decode_reason(vmcb, (uint32_t)(e->raw & EXITCODE_LOW32), pa_bits, e);
	if (e->reason == VCPU_EXIT_IO)
		e->insn_len = (uint8_t)(e->info2 - rip);
	else if (nrips && vcpu_exit_is_insn(e))
		e->insn_len = (uint8_t)(svm_vmcb_rd64(vmcb, VMCB_NEXT_RIP) - rip);
}
