// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the SVM exit decoder (vmm/svm/svm_exit.c, and svm_vmcb_check() behind
 * VMEXIT_INVALID) fed a random VMCB, with or without NRIPS and decode assists and any MAXPHYADDR
 * from 32 to 52.
 * Checked against the exit codes of AMD APM vol. 2 appendix C and the fields of 15.7-15.13 and
 * 15.25.6, read from the VMCB by the harness itself:
 *  - the normalised reason each exit code has (everything else VCPU_EXIT_OTHER), raw code and
 *    EXITINFO1/2 copied;
 *  - exception intercepts (40h + vector): the vector, the error code (EXITINFO1) exactly for the
 *    vectors that push one (tests/fuzz/fuzz_x86.h) and 0 otherwise, CR2 (EXITINFO2) for #PF
 *    only;
 *  - #DB: DR6 from the VMCB (15.12.2), 0 for every other vector;
 *  - MOV DR (20h-3Fh): the debug register, the direction, and with decode assists the GPR
 *    (EXITINFO1 bits 3:0, 15.8.1), else 0;
 *  - the intercepted instructions (WBINVD, INVD, MONITOR, MWAIT both codes, RDPMC, RDPRU,
 *    INVLPGA): which one;
 *  - IOIO: port, 1, 2 or 4 bytes, direction, string and REP bits; #NPF: address, write, fetch,
 *    the guest's page walk (EXITINFO1 bit 33) and event delivery (EXITINTINFO valid);
 *    MSR: write exactly when EXITINFO1 is 1;
 *  - the instruction length: IOIO's EXITINFO2 - RIP, NEXT_RIP - RIP for the other instruction
 *    intercepts with NRIPS, 0 otherwise; in the architectural mode (the harness writes NEXT_RIP
 *    and IOIO's EXITINFO2 as RIP plus 1-15, one IOIO size bit, EXITINFO1 of MSR 0 or 1) exactly
 *    that length;
 *  - VMEXIT_INVALID: a reason string, the one svm_vmcb_check() gives when it finds one.
 * Input: flags (1 byte: NRIPS, architectural, decode assists), MAXPHYADDR (1), length (1), then
 * the VMCB.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_x86.h"
#include "vmm/insn.h"
#include "vmm/svm/svm_exit.h"
#include "vmm/svm/svm_vmcb.h"

#define FLAG_NRIPS	 (1u << 0)
#define FLAG_ARCH	 (1u << 1)
#define FLAG_ASSISTS	 (1u << 2)
#define DR_READ_FIRST	 0x20u /* appendix C: 20h-2Fh MOV from DRn, 30h-3Fh MOV to DRn */
#define DR_WRITE_FIRST	 0x30u
#define DR_LAST		 0x3fu
#define DR_GPR_MASK	 0xfull	      /* 15.8.1 EXITINFO1 bits 3:0 */
#define NPF_GUEST_PT	 (1ull << 33) /* 15.25.6: the guest's page-table walk */
#define INTINFO_VALID	 (1ull << 31) /* 15.7.2 EXITINTINFO V */
#define VMCB_DR6_OFF	 0x568u	      /* state save area + 168h (table B-2) */
#define VMCB_INTINFO_OFF 0x088u	      /* control area (table B-1) */
#define PA_BITS_MIN	 32u
#define PA_BITS_SPAN	 21u /* 32..52 */
#define WHY_MAX		 256u
#define LOW32		 0xffffffffull
#define INVALID_LOW32	 0xffffffffull /* VMEXIT_INVALID is -1 */
#define EXC_FIRST	 0x40u	       /* appendix C: 40h-5Fh exception intercepts */
#define EXC_LAST	 0x5fu
#define IOIO_IN		 (1ull << 0) /* 15.10.2 EXITINFO1 */
#define IOIO_STR	 (1ull << 2)
#define IOIO_REP	 (1ull << 3)
#define IOIO_SIZE_SHIFT	 4u /* SZ8 4, SZ16 5, SZ32 6 */
#define IOIO_SIZE_MASK	 (7ull << IOIO_SIZE_SHIFT)
#define IOIO_PORT_SHIFT	 16u
#define PORT_MASK	 0xffffull
#define NPF_WRITE	 (1ull << 1) /* 15.25.6 */
#define NPF_FETCH	 (1ull << 4)
#define MSR_INFO1_WRITE	 1ull
#define NR_IOIO_SIZES	 3u

/* Appendix C: the codes with a normalised form. */
static const struct {
	uint32_t code;
	enum vcpu_exit_reason reason;
} codes[] = {
	{ 0x060, VCPU_EXIT_EXTINT },	/* INTR */
	{ 0x061, VCPU_EXIT_EXTINT },	/* NMI */
	{ 0x062, VCPU_EXIT_EXTINT },	/* SMI */
	{ 0x063, VCPU_EXIT_EXTINT },	/* INIT */
	{ 0x072, VCPU_EXIT_CPUID },	/* CPUID */
	{ 0x078, VCPU_EXIT_HLT },	/* HLT */
	{ 0x07b, VCPU_EXIT_IO },	/* IOIO */
	{ 0x07c, VCPU_EXIT_MSR },	/* MSR */
	{ 0x07f, VCPU_EXIT_SHUTDOWN },	/* SHUTDOWN */
	{ 0x081, VCPU_EXIT_HYPERCALL }, /* VMMCALL */
	{ 0x400, VCPU_EXIT_MMIO },	/* NPF */
};

/* Appendix C: the instruction intercepts skiff answers as VCPU_EXIT_INSN. */
static const struct {
	uint32_t code;
	enum vcpu_insn which;
} insns[] = {
	{ 0x06f, VCPU_INSN_RDPMC },  { 0x076, VCPU_INSN_INVD },	   { 0x07a, VCPU_INSN_INVLPGA },
	{ 0x089, VCPU_INSN_WBINVD }, { 0x08a, VCPU_INSN_MONITOR }, { 0x08b, VCPU_INSN_MWAIT },
	{ 0x08c, VCPU_INSN_MWAIT },  { 0x08e, VCPU_INSN_RDPRU },
};

#define require(cond)            \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static uint64_t rd64(const uint8_t *vmcb, unsigned int off)
{
	uint64_t v;

	memcpy(&v, vmcb + off, sizeof(v));
	return v;
}

static void wr64(uint8_t *vmcb, unsigned int off, uint64_t v)
{
	memcpy(vmcb + off, &v, sizeof(v));
}

static enum vcpu_exit_reason reason_of(uint32_t code)
{
	if (code >= EXC_FIRST && code <= EXC_LAST)
		return VCPU_EXIT_EXCEPTION;
	if (code == INVALID_LOW32)
		return VCPU_EXIT_ENTRY_FAIL;
	if (code >= DR_READ_FIRST && code <= DR_LAST)
		return VCPU_EXIT_DR;
	for (unsigned int i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		if (insns[i].code == code)
			return VCPU_EXIT_INSN;
	for (unsigned int i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].reason;
	return VCPU_EXIT_OTHER;
}

/* The architectural mode: the fields as a CPU writes them for this exit. */
static void make_architectural(uint8_t *vmcb, unsigned int len, unsigned int pick)
{
	uint64_t code = rd64(vmcb, VMCB_EXITCODE) & LOW32, info1 = rd64(vmcb, VMCB_EXITINFO1);
	uint64_t rip = rd64(vmcb, VMCB_RIP);

	wr64(vmcb, VMCB_EXITCODE, code == INVALID_LOW32 ? ~0ull : code);
	wr64(vmcb, VMCB_NEXT_RIP, rip + len);
	switch (reason_of((uint32_t)code)) {
	case VCPU_EXIT_IO:
		info1 &= ~IOIO_SIZE_MASK;
		info1 |= 1ull << (IOIO_SIZE_SHIFT + pick % NR_IOIO_SIZES);
		wr64(vmcb, VMCB_EXITINFO1, info1);
		wr64(vmcb, VMCB_EXITINFO2, rip + len);
		break;
	case VCPU_EXIT_MSR:
		wr64(vmcb, VMCB_EXITINFO1, info1 & MSR_INFO1_WRITE);
		break;
	default:
		break;
	}
}

static void check_exception(const struct vcpu_exit *e, uint32_t code)
{
	unsigned int vector = code - EXC_FIRST;

	require(e->exc.vector == vector && vector < X86_NR_EXCEPTIONS);
	require(e->exc.has_error == x86_exc_has_error(vector));
	require(e->exc.error == (e->exc.has_error ? (uint32_t)e->info1 : 0));
	require(e->exc.cr2 == (vector == X86_EXC_PF ? e->info2 : 0));
}

static void check_dr(const struct vcpu_exit *e, uint32_t code, bool assists)
{
	bool write = code >= DR_WRITE_FIRST;

	require(e->dr.write == write);
	require(e->dr.dr == code - (write ? DR_WRITE_FIRST : DR_READ_FIRST));
	require(e->dr.gpr == (assists ? (e->info1 & DR_GPR_MASK) : 0));
}

static void check_insn(const struct vcpu_exit *e, uint32_t code)
{
	for (unsigned int i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		if (insns[i].code == code)
			require(e->insn.which == insns[i].which);
}

static void check_io(const struct vcpu_exit *e, bool arch)
{
	uint64_t sizes = (e->info1 & IOIO_SIZE_MASK) >> IOIO_SIZE_SHIFT;

	require(e->io.port == ((e->info1 >> IOIO_PORT_SHIFT) & PORT_MASK));
	require(e->io.size == 1 || e->io.size == 2 || e->io.size == 4);
	if (arch) /* one of SZ8, SZ16, SZ32: 1, 2 or 4 once shifted down, the size in bytes */
		require(sizes == e->io.size);
	require(e->io.in == !!(e->info1 & IOIO_IN) && e->io.string == !!(e->info1 & IOIO_STR) &&
		e->io.rep == !!(e->info1 & IOIO_REP));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t vmcb[SVM_VMCB_SIZE] __attribute__((aligned(SVM_VMCB_SIZE)));
	struct fuzz_input in = { data, size };
	unsigned int flags = (unsigned int)fuzz_take(&in, 1);
	unsigned int pa_bits = PA_BITS_MIN + (unsigned int)fuzz_take(&in, 1) % PA_BITS_SPAN;
	unsigned int pick = (unsigned int)fuzz_take(&in, 1), len = 1 + pick % INSN_MAX_LEN;
	bool nrips = flags & FLAG_NRIPS, arch = flags & FLAG_ARCH, assists = flags & FLAG_ASSISTS;
	struct svm_caps caps = { .nrips = nrips, .decode_assists = assists, .pa_bits = pa_bits };
	uint64_t rip;
	uint32_t code;
	struct vcpu_exit e;

	memset(vmcb, 0, sizeof(vmcb));
	memcpy(vmcb, in.p, in.n < sizeof(vmcb) ? in.n : sizeof(vmcb));
	if (arch)
		make_architectural(vmcb, len, pick / INSN_MAX_LEN);
	rip = rd64(vmcb, VMCB_RIP);
	code = (uint32_t)(rd64(vmcb, VMCB_EXITCODE) & LOW32);

	svm_exit_decode(vmcb, &caps, &e);
	require(e.reason == reason_of(code));
	require(e.raw == rd64(vmcb, VMCB_EXITCODE) && e.info1 == rd64(vmcb, VMCB_EXITINFO1) &&
		e.info2 == rd64(vmcb, VMCB_EXITINFO2));
	switch (e.reason) {
	case VCPU_EXIT_EXCEPTION:
		check_exception(&e, code);
		require(e.exc.dr6 == (e.exc.vector == X86_EXC_DB ? rd64(vmcb, VMCB_DR6_OFF) : 0));
		break;
	case VCPU_EXIT_DR:
		check_dr(&e, code, assists);
		break;
	case VCPU_EXIT_INSN:
		check_insn(&e, code);
		break;
	case VCPU_EXIT_IO:
		check_io(&e, arch);
		break;
	case VCPU_EXIT_MMIO:
		require(e.mmio.gpa == e.info2 && e.mmio.write == !!(e.info1 & NPF_WRITE) &&
			e.mmio.fetch == !!(e.info1 & NPF_FETCH));
		require(e.mmio.paging_walk == !!(e.info1 & NPF_GUEST_PT) &&
			e.mmio.delivery == !!(rd64(vmcb, VMCB_INTINFO_OFF) & INTINFO_VALID));
		break;
	case VCPU_EXIT_MSR:
		require(e.msr.write == (e.info1 == MSR_INFO1_WRITE) && e.msr.index == 0);
		break;
	case VCPU_EXIT_ENTRY_FAIL: {
		const char *why = svm_vmcb_check(vmcb, pa_bits);

		require(e.fail.why && memchr(e.fail.why, 0, WHY_MAX));
		require(!why || e.fail.why == why);
		break;
	}
	default:
		break;
	}
	if (e.reason == VCPU_EXIT_IO)
		require(e.insn_len == (uint8_t)(e.info2 - rip));
	else if (vcpu_exit_is_insn(&e) && nrips)
		require(e.insn_len == (uint8_t)(rd64(vmcb, VMCB_NEXT_RIP) - rip));
	else
		require(e.insn_len == 0);
	if (arch && vcpu_exit_is_insn(&e) && (nrips || e.reason == VCPU_EXIT_IO))
		require(e.insn_len == len);
	return 0;
}
