// SPDX-License-Identifier: MIT
/*
 * vmm/vmx/vmx_exit.c: VMX exits in normalised form. Basic exit reasons from SDM vol. 3D
 * appendix C, the exit reason field from vol. 3C 25.9.1 (bit 31: VM-entry failure), exit
 * qualifications from 28.2.1 (I/O instructions, MOV DR, EPT violations, #PF, #DB) and 27.8,
 * interruption and IDT-vectoring information from 25.9.2-25.9.3, VM-instruction errors from
 * 31.4; values worked out by hand in the comments.
 * Sources: vmm/vmx/vmx_exit.c vmm/vcpu_exit.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vmx/vmx_exit.h"

static struct vcpu_exit decode_idt(uint32_t reason, uint64_t qual, uint32_t intr_info,
				   uint32_t intr_error, uint32_t insn_len, uint64_t gpa,
				   uint32_t idt_info)
{
	const struct vmx_exit_info x = { reason,   qual, intr_info, intr_error,
					 insn_len, gpa,	 idt_info };
	struct vcpu_exit e;

	memset(&e, 0xa5, sizeof(e));
	vmx_exit_decode(&x, &e);
	return e;
}

/* An exit that interrupted no event delivery (IDT-vectoring information 0). */
static struct vcpu_exit decode(uint32_t reason, uint64_t qual, uint32_t intr_info,
			       uint32_t intr_error, uint32_t insn_len, uint64_t gpa)
{
	return decode_idt(reason, qual, intr_info, intr_error, insn_len, gpa, 0);
}

/*
 * OUT imm8, AL to port 0xe9: reason 30; qualification size-1 = 0 in bits 2:0, direction 0
 * (out), port 0xe9 in 31:16: 0x00e90000. Length 2 (E6 E9).
 */
static void test_io_out(void **state)
{
	struct vcpu_exit e = decode(30, 0x00e90000, 0, 0, 2, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_IO);
	assert_int_equal(e.raw, 30);
	assert_int_equal(e.io.port, 0xe9);
	assert_int_equal(e.io.size, 1);
	assert_false(e.io.in);
	assert_false(e.io.string);
	assert_false(e.io.rep);
	assert_int_equal(e.insn_len, 2);
	assert_true(vcpu_exit_is_insn(&e));
}

/*
 * REP INSD from port 0x5658: size-1 = 3, IN bit 3 (0x8), string bit 4 (0x10), REP bit 5
 * (0x20), operand in DX (bit 6 = 0): 0x5658 << 16 | 0x3b = 0x5658003b.
 */
static void test_io_rep_ins(void **state)
{
	struct vcpu_exit e = decode(30, 0x5658003b, 0, 0, 3, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_IO);
	assert_int_equal(e.io.port, 0x5658);
	assert_int_equal(e.io.size, 4);
	assert_true(e.io.in);
	assert_true(e.io.string);
	assert_true(e.io.rep);
	assert_int_equal(e.insn_len, 3);
}

/* 16-bit IN: size-1 = 1, IN 0x8: port 0x70 -> 0x00700009. */
static void test_io_in16(void **state)
{
	struct vcpu_exit e = decode(30, 0x00700009, 0, 0, 2, 0);

	(void)state;
	assert_int_equal(e.io.port, 0x70);
	assert_int_equal(e.io.size, 2);
	assert_true(e.io.in);
}

/* CPUID 10, HLT 12, VMCALL 18, RDMSR 31, WRMSR 32: instruction exits with the VMCS's length. */
static void test_instructions(void **state)
{
	struct vcpu_exit e;

	(void)state;
	e = decode(10, 0, 0, 0, 2, 0);
	assert_int_equal(e.reason, VCPU_EXIT_CPUID);
	assert_int_equal(e.insn_len, 2);
	e = decode(12, 0, 0, 0, 1, 0);
	assert_int_equal(e.reason, VCPU_EXIT_HLT);
	assert_int_equal(e.insn_len, 1);
	e = decode(18, 0, 0, 0, 3, 0);
	assert_int_equal(e.reason, VCPU_EXIT_HYPERCALL);
	assert_int_equal(e.insn_len, 3);
	e = decode(31, 0, 0, 0, 2, 0);
	assert_int_equal(e.reason, VCPU_EXIT_MSR);
	assert_false(e.msr.write);
	assert_int_equal(e.insn_len, 2);
	e = decode(32, 0, 0, 0, 2, 0);
	assert_int_equal(e.reason, VCPU_EXIT_MSR);
	assert_true(e.msr.write);
}

/*
 * EPT violation (48) of a data read at GPA 0x80000000: qualification bit 0 (read), bit 7
 * (linear address valid) and bit 8 (the access was to the translation of that address) =
 * 0x181; a write: bits 1, 7, 8 = 0x182; a fetch: bits 2, 7, 8 = 0x184. Not an instruction
 * exit: length 0 whatever the field holds. None of them walked the guest's tables or delivered
 * an event.
 */
static void test_ept_violation(void **state)
{
	struct vcpu_exit e = decode(48, 0x181, 0, 0, 6, 0x80000000);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.gpa, 0x80000000);
	assert_false(e.mmio.write);
	assert_false(e.mmio.fetch);
	assert_false(e.mmio.paging_walk);
	assert_false(e.mmio.delivery);
	assert_int_equal(e.insn_len, 0);
	assert_int_equal(e.info1, 0x181);
	assert_int_equal(e.info2, 0x80000000);
	e = decode(48, 0x182, 0, 0, 0, 0xfee00000);
	assert_true(e.mmio.write);
	assert_false(e.mmio.paging_walk);
	assert_int_equal(e.mmio.gpa, 0xfee00000);
	e = decode(48, 0x184, 0, 0, 0, 0x1000);
	assert_true(e.mmio.fetch);
	assert_false(e.mmio.write);
	assert_false(e.mmio.paging_walk);
}

/*
 * EPT violations that are not the access of the instruction at RIP (table 28-7): a read of a
 * guest page-table entry in a walk, bit 7 without bit 8 = 0x81 (with EPT A/D flags the walk
 * counts as a write: 0x82); a PAE PDPTE load by MOV to CR3, bit 7 clear = 0x1; and the read of
 * an IDT gate while delivering vector 0x20 (IDT-vectoring information valid, external
 * interrupt: 0x80000020), an access to the translation = 0x181.
 */
static void test_ept_violation_not_at_rip(void **state)
{
	struct vcpu_exit e = decode(48, 0x81, 0, 0, 0, 0x80000000);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_MMIO);
	assert_true(e.mmio.paging_walk);
	assert_false(e.mmio.delivery);
	e = decode(48, 0x82, 0, 0, 0, 0x80000000);
	assert_true(e.mmio.paging_walk);
	assert_true(e.mmio.write);
	e = decode(48, 0x1, 0, 0, 0, 0x80000020);
	assert_true(e.mmio.paging_walk);
	e = decode_idt(48, 0x181, 0, 0, 0, 0x80000100, 0x80000020);
	assert_int_equal(e.reason, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.gpa, 0x80000100);
	assert_true(e.mmio.delivery);
	assert_false(e.mmio.paging_walk);
	/* IDT-vectoring information without its valid bit 31 is no delivery. */
	e = decode_idt(48, 0x181, 0, 0, 0, 0x80000100, 0x00000020);
	assert_false(e.mmio.delivery);
}

/*
 * #PF (vector 14) with error code 2: interruption information valid (bit 31), hardware
 * exception (type 3 in 10:8: 0x300), error code valid (bit 11: 0x800), vector 0xe:
 * 0x80000b0e; CR2 0xdead000 in the qualification.
 */
static void test_page_fault(void **state)
{
	struct vcpu_exit e = decode(0, 0xdead000, 0x80000b0e, 2, 0, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 14);
	assert_true(e.exc.has_error);
	assert_int_equal(e.exc.error, 2);
	assert_int_equal(e.exc.cr2, 0xdead000);
	assert_int_equal(e.insn_len, 0);
}

/* #UD (6) without error code: 0x80000306; the error code field is ignored (0xffff here). */
static void test_invalid_opcode(void **state)
{
	struct vcpu_exit e = decode(0, 0, 0x80000306, 0xffff, 0, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 6);
	assert_false(e.exc.has_error);
	assert_int_equal(e.exc.error, 0);
	assert_int_equal(e.exc.cr2, 0);
}

/*
 * A host NMI (reason 0, type 2, vector 2: 0x80000202) is VCPU_EXIT_NMI, not an exception of
 * the guest's; an invalid interruption information (bit 31 clear) is no exit of either kind.
 */
static void test_nmi(void **state)
{
	struct vcpu_exit e = decode(0, 0, 0x80000202, 0, 0, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_NMI);
	assert_int_equal(e.insn_len, 0);
	assert_false(vcpu_exit_is_insn(&e));
	assert_int_equal(decode(0, 0, 0x00000202, 0, 0, 0).reason, VCPU_EXIT_OTHER);
	assert_int_equal(decode(0, 0, 0x0000030e, 0, 0, 0).reason, VCPU_EXIT_OTHER);
}

/*
 * #DB (vector 1, hardware exception: 0x80000301) after a single step: the qualification holds
 * DR6.BS (bit 14, 0x4000); after breakpoint 2 and a general-detect condition: B2 (bit 2) and
 * BD (bit 13) = 0x2004. Bits outside B0-B3, BD, BS (bit 16, RTM; reserved bit 5) are dropped.
 * Another vector's qualification is no DR6.
 */
static void test_debug_exception(void **state)
{
	struct vcpu_exit e = decode(0, 0x4000, 0x80000301, 0, 0, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 1);
	assert_false(e.exc.has_error);
	assert_int_equal(e.exc.dr6, 0x4000);
	assert_int_equal(decode(0, 0x2004, 0x80000301, 0, 0, 0).exc.dr6, 0x2004);
	assert_int_equal(decode(0, 0x10024, 0x80000301, 0, 0, 0).exc.dr6, 0x4);
	assert_int_equal(decode(0, 0x4000, 0x80000b0e, 0, 0, 0).exc.dr6, 0);
}

/*
 * MOV DR (29), table 28-4: DR number in bits 2:0, direction in bit 4 (1: MOV from DR), GPR in
 * bits 11:8. "mov %rax, %db7" (0F 23 F8): DR7, to, RAX = 0x007; "mov %db6, %r13" (41 0F 21 F5):
 * DR6, from, R13 = 0xd16; "mov %rsp, %db0": DR0, to, RSP = 0x400. Lengths from the VMCS.
 */
static void test_mov_dr(void **state)
{
	struct vcpu_exit e = decode(29, 0x007, 0, 0, 3, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_DR);
	assert_int_equal(e.dr.dr, 7);
	assert_true(e.dr.write);
	assert_int_equal(e.dr.gpr, 0);
	assert_int_equal(e.insn_len, 3);
	assert_true(vcpu_exit_is_insn(&e));
	e = decode(29, 0xd16, 0, 0, 4, 0);
	assert_int_equal(e.dr.dr, 6);
	assert_false(e.dr.write);
	assert_int_equal(e.dr.gpr, 13);
	assert_int_equal(e.insn_len, 4);
	e = decode(29, 0x400, 0, 0, 3, 0);
	assert_int_equal(e.dr.dr, 0);
	assert_true(e.dr.write);
	assert_int_equal(e.dr.gpr, 4);
}

/*
 * Instructions skiff refuses or emulates (appendix C): INVD 13 (0F 08), RDPMC 15 (0F 33), MWAIT
 * 36 (0F 01 C9), MONITOR 39 (0F 01 C8), WBINVD/WBNOINVD 54 (0F 09; F3 0F 09): VCPU_EXIT_INSN
 * with the VMCS's length.
 */
static void test_refused_instructions(void **state)
{
	static const struct {
		uint32_t reason, len;
		enum vcpu_insn which;
	} cases[] = {
		{ 13, 2, VCPU_INSN_INVD },   { 15, 2, VCPU_INSN_RDPMC },
		{ 36, 3, VCPU_INSN_MWAIT },  { 39, 3, VCPU_INSN_MONITOR },
		{ 54, 2, VCPU_INSN_WBINVD }, { 54, 3, VCPU_INSN_WBINVD },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vcpu_exit e = decode(cases[i].reason, 0, 0, 0, cases[i].len, 0);

		assert_int_equal(e.reason, VCPU_EXIT_INSN);
		assert_int_equal(e.insn.which, cases[i].which);
		assert_int_equal(e.insn_len, cases[i].len);
		assert_true(vcpu_exit_is_insn(&e));
	}
}

/* External interrupt 1, triple fault 2, EPT misconfiguration 49 and an unknown reason 60. */
static void test_other_reasons(void **state)
{
	struct vcpu_exit e;

	(void)state;
	assert_int_equal(decode(1, 0, 0, 0, 0, 0).reason, VCPU_EXIT_EXTINT);
	assert_int_equal(decode(2, 0, 0, 0, 0, 0).reason, VCPU_EXIT_SHUTDOWN);
	e = decode(49, 0, 0, 0, 0, 0x3000);
	assert_int_equal(e.reason, VCPU_EXIT_OTHER);
	assert_int_equal(e.raw, 49);
	assert_int_equal(e.info2, 0x3000);
	e = decode(60, 0, 0, 0, 4, 0);
	assert_int_equal(e.reason, VCPU_EXIT_OTHER);
	assert_int_equal(e.insn_len, 0);
}

/*
 * Entry failures: bit 31 with basic reason 33 (invalid guest state) = 0x80000021, qualification
 * 0 (a 27.3.1 check), 2 (PDPTEs), 4 (VMCS link pointer); 34 (MSR loading) = 0x80000022 with
 * the failing entry's index 1 as qualification; 41 (machine check) = 0x80000029.
 */
static void test_entry_failure(void **state)
{
	struct vcpu_exit e = decode(0x80000021, 0, 0, 0, 0, 0);

	(void)state;
	assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAIL);
	assert_int_equal(e.raw, 0x80000021);
	assert_string_equal(e.fail.why,
			    "invalid guest state (a guest-state check of 27.3.1 failed)");
	e = decode(0x80000021, 2, 0, 0, 0, 0);
	assert_string_equal(e.fail.why, "invalid guest state: the PDPTEs failed to load");
	e = decode(0x80000021, 4, 0, 0, 0, 0);
	assert_string_equal(e.fail.why, "invalid guest state: bad VMCS link pointer");
	e = decode(0x80000022, 1, 0, 0, 0, 0);
	assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAIL);
	assert_int_equal(e.info1, 1);
	assert_string_equal(e.fail.why, "VM-entry failure due to MSR loading");
	e = decode(0x80000029, 0, 0, 0, 0, 0);
	assert_string_equal(e.fail.why, "VM-entry failure due to machine-check event");
	/* Basic 33 without bit 31 cannot happen; it is not mistaken for a failure. */
	assert_int_equal(decode(33, 0, 0, 0, 0, 0).reason, VCPU_EXIT_OTHER);
}

static void test_insn_error_names(void **state)
{
	(void)state;
	assert_string_equal(vmx_insn_error_name(7), "VM entry with invalid control field(s)");
	assert_string_equal(vmx_insn_error_name(8), "VM entry with invalid host-state field(s)");
	assert_string_equal(vmx_insn_error_name(26), "VM entry with events blocked by MOV SS");
	assert_string_equal(vmx_insn_error_name(0), "unknown VM-instruction error");
	assert_string_equal(vmx_insn_error_name(14), "unknown VM-instruction error");
	assert_string_equal(vmx_insn_error_name(29), "unknown VM-instruction error");
	assert_string_equal(vmx_insn_error_name(UINT32_MAX), "unknown VM-instruction error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_out),
		cmocka_unit_test(test_io_rep_ins),
		cmocka_unit_test(test_io_in16),
		cmocka_unit_test(test_instructions),
		cmocka_unit_test(test_ept_violation),
		cmocka_unit_test(test_page_fault),
		cmocka_unit_test(test_invalid_opcode),
		cmocka_unit_test(test_nmi),
		cmocka_unit_test(test_other_reasons),
		cmocka_unit_test(test_entry_failure),
		cmocka_unit_test(test_insn_error_names),
		cmocka_unit_test(test_ept_violation_not_at_rip),
		cmocka_unit_test(test_debug_exception),
		cmocka_unit_test(test_mov_dr),
		cmocka_unit_test(test_refused_instructions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
