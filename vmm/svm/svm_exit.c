// SPDX-License-Identifier: MIT
/* SVM exit decoding: see svm_exit.h. */
#include "vmm/svm/svm_exit.h"

#include <errno.h>
#include <string.h>

#include "vmm/svm/svm_vmcb.h"
#include "vmm/vcpu_state.h"

#define EXITCODE_LOW32	0xffffffffull
#define NO_CHECK_FAILED "no consistency check skiff knows failed"

/* The instruction intercepts skiff refuses or emulates (15.9, appendix C). */
static const struct {
	uint32_t code;
	enum vcpu_insn which;
} insn_exits[] = {
	{ SVM_EXIT_WBINVD, VCPU_INSN_WBINVD },	   { SVM_EXIT_INVD, VCPU_INSN_INVD },
	{ SVM_EXIT_MONITOR, VCPU_INSN_MONITOR },   { SVM_EXIT_MWAIT, VCPU_INSN_MWAIT },
	{ SVM_EXIT_MWAIT_ARMED, VCPU_INSN_MWAIT }, { SVM_EXIT_RDPMC, VCPU_INSN_RDPMC },
	{ SVM_EXIT_RDPRU, VCPU_INSN_RDPRU },	   { SVM_EXIT_INVLPGA, VCPU_INSN_INVLPGA },
};

static void decode_ioio(uint64_t info1, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_IO;
	e->io.port = (uint16_t)((info1 & SVM_IOIO_PORT_MASK) >> SVM_IOIO_PORT_SHIFT);
	e->io.size = info1 & SVM_IOIO_SZ32 ? 4 : info1 & SVM_IOIO_SZ16 ? 2 : 1;
	e->io.in = info1 & SVM_IOIO_IN;
	e->io.string = info1 & SVM_IOIO_STR;
	e->io.rep = info1 & SVM_IOIO_REP;
}

static void decode_exception(const void *vmcb, uint32_t code, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_EXCEPTION;
	e->exc.vector = (uint8_t)(code - SVM_EXIT_EXCP_BASE);
	e->exc.has_error = SVM_EXC_WITH_ERROR & (1u << e->exc.vector);
	e->exc.error = e->exc.has_error ? (uint32_t)e->info1 : 0;
	e->exc.cr2 = e->exc.vector == X86_EXC_PF ? e->info2 : 0;
	/* #DB writes DR6 before the intercept (15.12.2): the VMCB's holds its conditions. */
	e->exc.dr6 = e->exc.vector == X86_EXC_DB ? svm_vmcb_rd64(vmcb, VMCB_DR6) : 0;
}

/* MOV from DRn exits at 20h + n, MOV to DRn at 30h + n (appendix C). */
static void decode_dr(uint32_t code, bool decode_assists, struct vcpu_exit *e)
{
	e->reason = VCPU_EXIT_DR;
	e->dr.write = code >= SVM_EXIT_WRITE_DR0;
	e->dr.dr = (uint8_t)(code - (e->dr.write ? SVM_EXIT_WRITE_DR0 : SVM_EXIT_READ_DR0));
	e->dr.gpr = decode_assists ? (uint8_t)(e->info1 & SVM_DR_GPR_MASK) : 0;
}

static bool decode_insn(uint32_t code, struct vcpu_exit *e)
{
	for (unsigned int i = 0; i < sizeof(insn_exits) / sizeof(insn_exits[0]); i++) {
		if (insn_exits[i].code == code) {
			e->reason = VCPU_EXIT_INSN;
			e->insn.which = insn_exits[i].which;
			return true;
		}
	}
	return false;
}

static void decode_reason(const void *vmcb, uint32_t code, const struct svm_caps *caps,
			  struct vcpu_exit *e)
{
	if (code >= SVM_EXIT_EXCP_BASE && code <= SVM_EXIT_EXCP_LAST) {
		decode_exception(vmcb, code, e);
		return;
	}
	if (code >= SVM_EXIT_READ_DR0 && code < SVM_EXIT_WRITE_DR0 + SVM_EXIT_DR_COUNT) {
		decode_dr(code, caps->decode_assists, e);
		return;
	}
	if (decode_insn(code, e))
		return;
	switch (code) {
	case SVM_EXIT_IOIO:
		decode_ioio(e->info1, e);
		break;
	case SVM_EXIT_NPF:
		e->reason = VCPU_EXIT_MMIO;
		e->mmio.gpa = e->info2;
		e->mmio.write = e->info1 & SVM_NPF_RW;
		e->mmio.fetch = e->info1 & SVM_NPF_ID;
		e->mmio.paging_walk = e->info1 & SVM_NPF_GUEST_PT;
		e->mmio.delivery = svm_vmcb_rd64(vmcb, VMCB_EXITINTINFO) & SVM_EVENTINJ_V;
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
		const char *why = svm_vmcb_check(vmcb, caps->pa_bits);

		e->reason = VCPU_EXIT_ENTRY_FAIL;
		e->fail.why = why ? why : NO_CHECK_FAILED;
		break;
	}
	default:
		e->reason = VCPU_EXIT_OTHER;
	}
}

void svm_exit_decode(const void *vmcb, const struct svm_caps *caps, struct vcpu_exit *e)
{
	uint64_t rip = svm_vmcb_rd64(vmcb, VMCB_RIP);

	memset(e, 0, sizeof(*e));
	e->raw = svm_vmcb_rd64(vmcb, VMCB_EXITCODE);
	e->info1 = svm_vmcb_rd64(vmcb, VMCB_EXITINFO1);
	e->info2 = svm_vmcb_rd64(vmcb, VMCB_EXITINFO2);
	decode_reason(vmcb, (uint32_t)(e->raw & EXITCODE_LOW32), caps, e);
	if (e->reason == VCPU_EXIT_IO)
		e->insn_len = (uint8_t)(e->info2 - rip);
	else if (caps->nrips && vcpu_exit_is_insn(e))
		e->insn_len = (uint8_t)(svm_vmcb_rd64(vmcb, VMCB_NEXT_RIP) - rip);
}

int svm_exit_dr_insn(struct vcpu_exit *e, const struct insn *in)
{
	enum insn_kind want = e->dr.write ? INSN_MOV_TO_DR : INSN_MOV_FROM_DR;

	if (e->reason != VCPU_EXIT_DR || in->kind != want || in->dr != e->dr.dr)
		return -EILSEQ;
	e->dr.gpr = in->reg;
	e->insn_len = in->len;
	return 0;
}
