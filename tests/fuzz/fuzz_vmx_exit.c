// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the VMX exit decoder (vmm/vmx/vmx_exit.c) fed a random struct
 * vmx_exit_info (exit reason, qualification, interruption information and error code,
 * instruction length, guest-physical address). Checked against Intel SDM vol. 3C appendix C
 * (basic exit reasons), 25.9 and 28.2.1 (the exit-information fields) and 27.8 (entry
 * failures):
 *  - entry failures (reason bit 31) become VCPU_EXIT_ENTRY_FAIL with a reason string; every
 *    other basic reason its normalised reason (VCPU_EXIT_OTHER when it has none), raw reason
 *    and qualification copied, info2 the guest-physical address for EPT exits and the
 *    interruption information otherwise;
 *  - exception exits: an invalid interruption information is no exception, an NMI (type 2) is
 *    VCPU_EXIT_NMI; the vector, the error code exactly when bit 11 says so, CR2 from the
 *    qualification for #PF, the DR6 bits (3:0, 13, 14 of table 28-1) for #DB, 0 otherwise;
 *  - I/O: port, the size field plus one, direction, string and REP; EPT violations: address,
 *    write, fetch, the guest's page walk (qualification bit 7 clear, or bit 8 clear: table 28-7)
 *    and event delivery (IDT-vectoring information valid, 28.2.4); RDMSR / WRMSR: the
 *    direction; MOV DR (29): the register (bits 2:0), the direction (bit 4), the GPR (11:8);
 *  - INVD, RDPMC, MWAIT, MONITOR and WBINVD: VCPU_EXIT_INSN naming which;
 *  - the instruction length for the instruction exits only;
 *  - in the architectural mode (the harness writes the fields as the CPU does: an exception
 *    exit's interruption information valid with type NMI, hardware, privileged or software
 *    exception and a vector of that type, bit 11 exactly for the vectors with an error code,
 *    an I/O size field of 0, 1 or 3, a length of 1-15): a vector below 32 with its error code
 *    as the vector has one, an I/O size of 1, 2 or 4 bytes, the length exactly.
 * Input: flags (1 byte: architectural), then the fields in the order of struct vmx_exit_info
 * (the IDT-vectoring information last; missing bytes read as 0).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_x86.h"
#include "vmm/insn.h"
#include "vmm/vmx/vmx_exit.h"

#define FLAG_ARCH	 (1u << 0)
#define WHY_MAX		 256u
#define REASON_FAIL	 (1u << 31)
#define REASON_BASIC	 0xffffu
#define ARCH_REASON_MASK (REASON_FAIL | REASON_BASIC) /* bits 30:16 are status, not reason */
#define INFO_VALID	 (1u << 31)
#define INFO_ERROR_VALID (1u << 11)
#define INFO_VECTOR	 0xffu
#define INFO_TYPE_SHIFT	 8u
#define INFO_TYPE_MASK	 (7u << INFO_TYPE_SHIFT)
#define TYPE_NMI	 2u /* table 25-16 */
#define TYPE_HW_EXC	 3u
#define TYPE_PRIV_SW_EXC 5u
#define TYPE_SW_EXC	 6u
#define IO_SIZE_MASK	 7ull /* qualification bits 2:0, table 28-5 */
#define IO_IN		 (1ull << 3)
#define IO_STRING	 (1ull << 4)
#define IO_REP		 (1ull << 5)
#define IO_PORT_SHIFT	 16u
#define PORT_MASK	 0xffffull
#define EPT_WRITE	 (1ull << 1) /* table 28-7 */
#define EPT_FETCH	 (1ull << 2)
#define REASON_EXC_NMI	 0u
#define REASON_IO	 30u
#define REASON_RDMSR	 31u
#define REASON_WRMSR	 32u
#define REASON_EPT_VIOL	 48u
#define REASON_EPT_MISC	 49u
#define REASON_DR	 29u
#define DB_DR6_BITS	 0x600full /* table 28-1: B0-B3, BD, BS (skiff shows no RTM) */
#define DR_NUM_MASK	 7ull	   /* table 28-4 */
#define DR_FROM		 (1ull << 4)
#define DR_GPR_SHIFT	 8u
#define DR_GPR_MASK	 0xfull
#define EPT_LINEAR	 (1ull << 7) /* table 28-7 */
#define EPT_TRANSLATED	 (1ull << 8)

/* Appendix C: the basic reasons with a normalised form (exception / NMI apart). */
static const struct {
	uint32_t basic;
	enum vcpu_exit_reason reason;
	bool insn; /* an instruction exit: the length field is valid */
} reasons[] = {
	{ 1, VCPU_EXIT_EXTINT, false },		    /* external interrupt */
	{ 2, VCPU_EXIT_SHUTDOWN, false },	    /* triple fault */
	{ 7, VCPU_EXIT_IRQ_WINDOW, false },	    /* interrupt window */
	{ 10, VCPU_EXIT_CPUID, true },		    /* CPUID */
	{ 12, VCPU_EXIT_HLT, true },		    /* HLT */
	{ 18, VCPU_EXIT_HYPERCALL, true },	    /* VMCALL */
	{ REASON_IO, VCPU_EXIT_IO, true },	    /* I/O instruction */
	{ REASON_RDMSR, VCPU_EXIT_MSR, true },	    /* RDMSR */
	{ REASON_WRMSR, VCPU_EXIT_MSR, true },	    /* WRMSR */
	{ REASON_EPT_VIOL, VCPU_EXIT_MMIO, false }, /* EPT violation */
	{ REASON_DR, VCPU_EXIT_DR, true },	    /* MOV DR */
	{ 13, VCPU_EXIT_INSN, true },		    /* INVD */
	{ 15, VCPU_EXIT_INSN, true },		    /* RDPMC */
	{ 36, VCPU_EXIT_INSN, true },		    /* MWAIT */
	{ 39, VCPU_EXIT_INSN, true },		    /* MONITOR */
	{ 54, VCPU_EXIT_INSN, true },		    /* WBINVD, WBNOINVD */
};

/* Appendix C: which instruction each VCPU_EXIT_INSN reason is. */
static const struct {
	uint32_t basic;
	enum vcpu_insn which;
} insns[] = {
	{ 13, VCPU_INSN_INVD },	   { 15, VCPU_INSN_RDPMC },  { 36, VCPU_INSN_MWAIT },
	{ 39, VCPU_INSN_MONITOR }, { 54, VCPU_INSN_WBINVD },
};

/* Table 28-5: size field 0, 1, 3 for 1, 2, 4 bytes. */
static const uint64_t io_size_fields[] = { 0, 1, 3 };
#define NR_IO_SIZES (sizeof(io_size_fields) / sizeof(io_size_fields[0]))

#define require(cond)            \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

/* An exception exit's interruption information as the CPU writes it (28.2.1). */
static uint32_t architectural_intr_info(uint32_t raw)
{
	static const uint32_t types[] = { TYPE_NMI, TYPE_HW_EXC, TYPE_PRIV_SW_EXC, TYPE_SW_EXC };
	uint32_t type = types[(raw >> INFO_TYPE_SHIFT) % (sizeof(types) / sizeof(types[0]))],
		 vector;

	switch (type) {
	case TYPE_NMI:
		vector = X86_EXC_NMI;
		break;
	case TYPE_PRIV_SW_EXC:
		vector = X86_EXC_DB; /* INT1 */
		break;
	case TYPE_SW_EXC:
		vector = raw & 1 ? X86_EXC_OF : X86_EXC_BP; /* INTO, INT3 */
		break;
	default:
		vector = (raw & INFO_VECTOR) % X86_NR_EXCEPTIONS;
		if (vector == X86_EXC_NMI)
			vector = X86_EXC_DB;
	}
	return INFO_VALID | type << INFO_TYPE_SHIFT | vector |
	       (type == TYPE_HW_EXC && x86_exc_has_error(vector) ? INFO_ERROR_VALID : 0);
}

static void make_architectural(struct vmx_exit_info *x)
{
	uint32_t basic;

	x->reason &= ARCH_REASON_MASK;
	basic = x->reason & REASON_BASIC;
	x->insn_len = 1 + x->insn_len % INSN_MAX_LEN;
	if (x->reason & REASON_FAIL)
		return;
	if (basic == REASON_EXC_NMI)
		x->intr_info = architectural_intr_info(x->intr_info);
	if (basic == REASON_IO)
		x->qual = (x->qual & ~IO_SIZE_MASK) |
			  io_size_fields[(x->qual & IO_SIZE_MASK) % NR_IO_SIZES];
}

static void check_exception(const struct vmx_exit_info *x, const struct vcpu_exit *e, bool arch)
{
	uint32_t type = (x->intr_info & INFO_TYPE_MASK) >> INFO_TYPE_SHIFT;

	if (!(x->intr_info & INFO_VALID)) {
		require(e->reason == VCPU_EXIT_OTHER);
		return;
	}
	if (type == TYPE_NMI) {
		require(e->reason == VCPU_EXIT_NMI);
		return;
	}
	require(e->reason == VCPU_EXIT_EXCEPTION);
	require(e->exc.vector == (x->intr_info & INFO_VECTOR));
	require(e->exc.has_error == !!(x->intr_info & INFO_ERROR_VALID));
	require(e->exc.error == (e->exc.has_error ? x->intr_error : 0));
	require(e->exc.cr2 == (e->exc.vector == X86_EXC_PF ? x->qual : 0));
	require(e->exc.dr6 == (e->exc.vector == X86_EXC_DB ? x->qual & DB_DR6_BITS : 0));
	if (arch)
		require(e->exc.vector < X86_NR_EXCEPTIONS &&
			e->exc.has_error ==
				(type == TYPE_HW_EXC && x86_exc_has_error(e->exc.vector)));
}

static void check_io(const struct vmx_exit_info *x, const struct vcpu_exit *e, bool arch)
{
	require(e->io.port == ((x->qual >> IO_PORT_SHIFT) & PORT_MASK));
	require(e->io.size == (x->qual & IO_SIZE_MASK) + 1);
	if (arch)
		require(e->io.size == 1 || e->io.size == 2 || e->io.size == 4);
	require(e->io.in == !!(x->qual & IO_IN) && e->io.string == !!(x->qual & IO_STRING) &&
		e->io.rep == !!(x->qual & IO_REP));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	bool arch = fuzz_take(&in, 1) & FLAG_ARCH, insn = false;
	struct vmx_exit_info x = { 0 };
	enum vcpu_exit_reason want = VCPU_EXIT_OTHER;
	struct vcpu_exit e;
	uint32_t basic;

	x.reason = (uint32_t)fuzz_take(&in, 4);
	x.qual = fuzz_take(&in, 8);
	x.intr_info = (uint32_t)fuzz_take(&in, 4);
	x.intr_error = (uint32_t)fuzz_take(&in, 4);
	x.insn_len = (uint32_t)fuzz_take(&in, 4);
	x.gpa = fuzz_take(&in, 8);
	x.idt_info = (uint32_t)fuzz_take(&in, 4);
	if (arch)
		make_architectural(&x);
	basic = x.reason & REASON_BASIC;

	vmx_exit_decode(&x, &e);
	require(e.raw == x.reason && e.info1 == x.qual);
	if (x.reason & REASON_FAIL) {
		require(e.reason == VCPU_EXIT_ENTRY_FAIL && e.fail.why &&
			memchr(e.fail.why, 0, WHY_MAX) && e.insn_len == 0);
		return 0;
	}
	require(e.info2 ==
		(basic == REASON_EPT_VIOL || basic == REASON_EPT_MISC ? x.gpa : x.intr_info));
	for (unsigned int i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].basic == basic) {
			want = reasons[i].reason;
			insn = reasons[i].insn;
		}
	if (basic == REASON_EXC_NMI)
		check_exception(&x, &e, arch);
	else
		require(e.reason == want);
	switch (e.reason) {
	case VCPU_EXIT_IO:
		check_io(&x, &e, arch);
		break;
	case VCPU_EXIT_MMIO:
		require(e.mmio.gpa == x.gpa && e.mmio.write == !!(x.qual & EPT_WRITE) &&
			e.mmio.fetch == !!(x.qual & EPT_FETCH));
		require(e.mmio.paging_walk ==
				(!(x.qual & EPT_LINEAR) || !(x.qual & EPT_TRANSLATED)) &&
			e.mmio.delivery == !!(x.idt_info & INFO_VALID));
		break;
	case VCPU_EXIT_DR:
		require(e.dr.dr == (x.qual & DR_NUM_MASK) && e.dr.write == !(x.qual & DR_FROM) &&
			e.dr.gpr == ((x.qual >> DR_GPR_SHIFT) & DR_GPR_MASK));
		break;
	case VCPU_EXIT_INSN:
		for (unsigned int i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
			if (insns[i].basic == basic)
				require(e.insn.which == insns[i].which);
		break;
	case VCPU_EXIT_MSR:
		require(e.msr.write == (basic == REASON_WRMSR) && e.msr.index == 0);
		break;
	default:
		break;
	}
	require(e.insn_len == (insn ? (uint8_t)x.insn_len : 0));
	require(vcpu_exit_is_insn(&e) == insn);
	if (arch && insn)
		require(e.insn_len == x.insn_len && e.insn_len >= 1 && e.insn_len <= INSN_MAX_LEN);
	return 0;
}
