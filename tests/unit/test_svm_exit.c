// SPDX-License-Identifier: MIT
/*
 * vmm/svm/svm_exit.c: SVM exits in normalised form. EXITCODE values from APM vol. 2 appendix C,
 * IOIO EXITINFO1 from 15.10.2 (figure 15-2), #NPF EXITINFO1 from 15.25.6; values worked out by
 * hand in the comments.
 * Sources: vmm/svm/svm_exit.c vmm/svm/svm_vmcb.c vmm/vcpu_exit.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/svm/svm_exit.h"
#include "vmm/svm/svm_vmcb.h"

static uint8_t vmcb[SVM_VMCB_SIZE];

static void set_exit(uint64_t code, uint64_t info1, uint64_t info2, uint64_t rip)
{
	memset(vmcb, 0, sizeof(vmcb));
	svm_vmcb_wr64(vmcb, VMCB_EXITCODE, code);
	svm_vmcb_wr64(vmcb, VMCB_EXITINFO1, info1);
	svm_vmcb_wr64(vmcb, VMCB_EXITINFO2, info2);
	svm_vmcb_wr64(vmcb, VMCB_RIP, rip);
}

/* OUT DX, AL to port 0xe9: TYPE 0 (out), SZ8 bit 4, A64 bit 9, port 0xe9 << 16:
 * 0x00e90000 | 0x200 | 0x10 = 0x00e90210. EXITINFO2 = next RIP = RIP + 1 (EE). */
static void ioio_out(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x7b, 0x00e90210, 0x100101, 0x100100);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_IO);
	assert_int_equal(e.io.port, 0xe9);
	assert_int_equal(e.io.size, 1);
	assert_false(e.io.in);
	assert_false(e.io.string);
	assert_int_equal(e.insn_len, 1);
}

/* REP INSD from port 0x1f0: TYPE 1, STR bit 2, REP bit 3, SZ32 bit 6: 0x01f0004d; 66 F3 6D would
 * be 3 bytes, here F3 6D = 2. */
static void ioio_rep_ins(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x7b, 0x01f0004d, 0x2002, 0x2000);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_IO);
	assert_int_equal(e.io.port, 0x1f0);
	assert_int_equal(e.io.size, 4);
	assert_true(e.io.in);
	assert_true(e.io.string);
	assert_true(e.io.rep);
	assert_int_equal(e.insn_len, 2);
}

/* #NPF of a write to 0x80000000, not present: EXITINFO1 = RW (bit 1) | final (bit 32). */
static void npf_write(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x400, 0x100000002ull, 0x80000000, 0x1000);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.gpa, 0x80000000);
	assert_true(e.mmio.write);
	assert_false(e.mmio.fetch);
	assert_int_equal(e.insn_len, 0);
}

/* CPUID (72h): length from NEXT_RIP with NRIPS, 0 (to be decoded) without. */
static void cpuid_nrips(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x72, 0, 0, 0x5000);
	svm_vmcb_wr64(vmcb, VMCB_NEXT_RIP, 0x5002);
	svm_exit_decode(vmcb, true, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_CPUID);
	assert_int_equal(e.insn_len, 2);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.insn_len, 0);
	assert_true(vcpu_exit_is_insn(&e));
}

/* #GP intercept is 40h + 13 = 4Dh, EXITINFO1 the error code; #PF 4Eh with CR2 in EXITINFO2;
 * #UD 46h has no error code. */
static void exceptions(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x4d, 0x18, 0, 0);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 13);
	assert_true(e.exc.has_error);
	assert_int_equal(e.exc.error, 0x18);
	set_exit(0x4e, 0x2, 0xdead000, 0);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.exc.vector, 14);
	assert_int_equal(e.exc.cr2, 0xdead000);
	set_exit(0x46, 0x1234, 0, 0);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.exc.vector, 6);
	assert_false(e.exc.has_error);
	assert_int_equal(e.exc.error, 0);
}

static void simple_reasons(void **state)
{
	static const struct {
		uint64_t code;
		enum vcpu_exit_reason reason;
	} map[] = {
		{ 0x60, VCPU_EXIT_EXTINT },    { 0x78, VCPU_EXIT_HLT },
		{ 0x81, VCPU_EXIT_HYPERCALL }, { 0x7f, VCPU_EXIT_SHUTDOWN },
		{ 0x7c, VCPU_EXIT_MSR },       { 0x82, VCPU_EXIT_OTHER }, /* VMLOAD */
	};
	struct vcpu_exit e;

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		set_exit(map[i].code, 1, 0, 0);
		svm_exit_decode(vmcb, false, 40, &e);
		assert_int_equal(e.reason, map[i].reason);
	}
	set_exit(0x7c, 1, 0, 0); /* EXITINFO1 1: WRMSR */
	svm_exit_decode(vmcb, false, 40, &e);
	assert_true(e.msr.write);
}

/* VMEXIT_INVALID is -1 as 64 bits; the low 32 bits decide (some emulators store 0xffffffff). */
static void invalid(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x00000000ffffffffull, 0, 0, 0);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAIL);
	assert_non_null(strstr(e.fail.why, "SVME")); /* the zeroed VMCB fails the first check */
	set_exit(~0ull, 0, 0, 0);
	svm_exit_decode(vmcb, false, 40, &e);
	assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ioio_out),   cmocka_unit_test(ioio_rep_ins),
		cmocka_unit_test(npf_write),  cmocka_unit_test(cpuid_nrips),
		cmocka_unit_test(exceptions), cmocka_unit_test(simple_reasons),
		cmocka_unit_test(invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
