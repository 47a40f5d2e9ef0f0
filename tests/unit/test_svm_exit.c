// SPDX-License-Identifier: MIT
/*
 * vmm/svm/svm_exit.c: SVM exits in normalised form. EXITCODE values from APM vol. 2 appendix C,
 * IOIO EXITINFO1 from 15.10.2 (figure 15-2), #NPF EXITINFO1 from 15.25.6; values worked out by
 * hand in the comments. MOV DR: exit codes 20h-3Fh, EXITINFO1 3:0 the GPR with decode assists
 * (15.8.1); the instruction intercepts of 15.9 (table 15-7); #DB's DR6 (15.12.2).
 * Sources: vmm/svm/svm_exit.c vmm/svm/svm_vmcb.c vmm/vcpu_exit.c vmm/insn.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/svm/svm_exit.h"
#include "vmm/svm/svm_vmcb.h"

static uint8_t vmcb[SVM_VMCB_SIZE];

/* QEMU's TCG: neither next-RIP save nor decode assists. */
static const struct svm_caps plain = { .pa_bits = 40 };
static const struct svm_caps nrips = { .nrips = true, .pa_bits = 40 };
static const struct svm_caps assists = { .nrips = true, .decode_assists = true, .pa_bits = 40 };

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
	svm_exit_decode(vmcb, &plain, &e);
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
	svm_exit_decode(vmcb, &plain, &e);
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
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.gpa, 0x80000000);
	assert_true(e.mmio.write);
	assert_false(e.mmio.fetch);
	assert_false(e.mmio.paging_walk);
	assert_false(e.mmio.delivery);
	assert_int_equal(e.insn_len, 0);
}

/* #NPF reading a guest page table at 0x90000000: P 0 | guest PT (bit 33) = 0x200000000; then
 * the same during the delivery of INT 0x80 (EXITINTINFO 0x80 | 4 << 8 | V = 0x80000480). */
static void npf_walk_and_delivery(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x400, 0x200000000ull, 0x90000000, 0x1000);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_MMIO);
	assert_true(e.mmio.paging_walk);
	assert_false(e.mmio.delivery);
	assert_false(e.mmio.write);
	svm_vmcb_wr64(vmcb, VMCB_EXITINTINFO, 0x80000480ull);
	svm_exit_decode(vmcb, &plain, &e);
	assert_true(e.mmio.paging_walk);
	assert_true(e.mmio.delivery);
	/* an invalid EXITINTINFO (V clear) is no delivery */
	svm_vmcb_wr64(vmcb, VMCB_EXITINTINFO, 0x00000480ull);
	svm_exit_decode(vmcb, &plain, &e);
	assert_false(e.mmio.delivery);
}

/* MOV from DR7 exits at 20h + 7 = 27h, MOV to DR3 at 30h + 3 = 33h. Without decode assists the
 * GPR is unknown (0) and so is the length; with them EXITINFO1 3:0 names it (9: R9). */
static void dr_exits(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x27, 0x5, 0, 0x3000);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_DR);
	assert_int_equal(e.dr.dr, 7);
	assert_false(e.dr.write);
	assert_int_equal(e.dr.gpr, 0);
	assert_int_equal(e.insn_len, 0);
	assert_true(vcpu_exit_is_insn(&e));
	set_exit(0x33, 0x9, 0, 0x3000);
	svm_vmcb_wr64(vmcb, VMCB_NEXT_RIP, 0x3004);
	svm_exit_decode(vmcb, &assists, &e);
	assert_int_equal(e.reason, VCPU_EXIT_DR);
	assert_int_equal(e.dr.dr, 3);
	assert_true(e.dr.write);
	assert_int_equal(e.dr.gpr, 9);
	assert_int_equal(e.insn_len, 4);
	set_exit(0x3f, 0, 0, 0); /* MOV to DR15: the last DR exit */
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_DR);
	assert_int_equal(e.dr.dr, 15);
	set_exit(0x1f, 0, 0, 0); /* MOV to CR15: not a DR exit */
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_OTHER);
}

/* Without decode assists the operand comes from the MOV DR at RIP, which must be the one the
 * exit names. */
static void dr_from_insn(void **state)
{
	static const uint8_t mov_rax_dr7[] = { 0x0f, 0x21, 0xf8 };	 /* F8 = 11 111 000 */
	static const uint8_t mov_dr7_r11[] = { 0x41, 0x0f, 0x23, 0xfb }; /* FB = 11 111 011 */
	static const uint8_t mov_r11_dr6[] = { 0x41, 0x0f, 0x21, 0xf3 }; /* F3 = 11 110 011 */
	static const uint8_t cpuid[] = { 0x0f, 0xa2 };
	struct vcpu_exit e;
	struct insn in;

	(void)state;
	set_exit(0x27, 0, 0, 0x3000);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(insn_decode(mov_rax_dr7, sizeof(mov_rax_dr7), INSN_MODE_64, &in), 0);
	assert_int_equal(svm_exit_dr_insn(&e, &in), 0);
	assert_int_equal(e.dr.gpr, 0);
	assert_int_equal(e.insn_len, 3);
	/* the other direction, another DR, another instruction: refused, e unchanged */
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(insn_decode(mov_dr7_r11, sizeof(mov_dr7_r11), INSN_MODE_64, &in), 0);
	assert_int_equal(svm_exit_dr_insn(&e, &in), -EILSEQ);
	assert_int_equal(insn_decode(mov_r11_dr6, sizeof(mov_r11_dr6), INSN_MODE_64, &in), 0);
	assert_int_equal(svm_exit_dr_insn(&e, &in), -EILSEQ);
	assert_int_equal(insn_decode(cpuid, sizeof(cpuid), INSN_MODE_64, &in), 0);
	assert_int_equal(svm_exit_dr_insn(&e, &in), -EILSEQ);
	assert_int_equal(e.insn_len, 0);
	/* MOV to DR7 from R11 at a 37h exit */
	set_exit(0x37, 0, 0, 0x3000);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(insn_decode(mov_dr7_r11, sizeof(mov_dr7_r11), INSN_MODE_64, &in), 0);
	assert_int_equal(svm_exit_dr_insn(&e, &in), 0);
	assert_int_equal(e.dr.gpr, 11);
	assert_int_equal(e.insn_len, 4);
}

/* The intercepts of instructions skiff refuses or emulates (appendix C). */
static void insn_exits(void **state)
{
	static const struct {
		uint64_t code;
		enum vcpu_insn which;
	} map[] = {
		{ 0x6f, VCPU_INSN_RDPMC },   { 0x76, VCPU_INSN_INVD },
		{ 0x7a, VCPU_INSN_INVLPGA }, { 0x89, VCPU_INSN_WBINVD },
		{ 0x8a, VCPU_INSN_MONITOR }, { 0x8b, VCPU_INSN_MWAIT },
		{ 0x8c, VCPU_INSN_MWAIT },   { 0x8e, VCPU_INSN_RDPRU },
	};
	struct vcpu_exit e;

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		set_exit(map[i].code, 0, 0, 0x4000);
		svm_vmcb_wr64(vmcb, VMCB_NEXT_RIP, 0x4003);
		svm_exit_decode(vmcb, &plain, &e);
		assert_int_equal(e.reason, VCPU_EXIT_INSN);
		assert_int_equal(e.insn.which, map[i].which);
		assert_true(vcpu_exit_is_insn(&e));
		assert_int_equal(e.insn_len, 0);
		svm_exit_decode(vmcb, &nrips, &e);
		assert_int_equal(e.insn_len, 3);
	}
	set_exit(0x8d, 0, 0, 0); /* XSETBV: not one of them */
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_OTHER);
}

/* #DB (41h): the VMCB's DR6 with BS (bit 14) set, 0xffff4ff0, is in the exit; other exceptions
 * carry none. */
static void debug_dr6(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x41, 0, 0, 0);
	svm_vmcb_wr64(vmcb, VMCB_DR6, 0xffff4ff0ull);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 1);
	assert_false(e.exc.has_error);
	assert_int_equal(e.exc.dr6, 0xffff4ff0ull);
	set_exit(0x4d, 0, 0, 0);
	svm_vmcb_wr64(vmcb, VMCB_DR6, 0xffff4ff0ull);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.exc.dr6, 0);
}

/* CPUID (72h): length from NEXT_RIP with NRIPS, 0 (to be decoded) without. */
static void cpuid_nrips(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x72, 0, 0, 0x5000);
	svm_vmcb_wr64(vmcb, VMCB_NEXT_RIP, 0x5002);
	svm_exit_decode(vmcb, &nrips, &e);
	assert_int_equal(e.reason, VCPU_EXIT_CPUID);
	assert_int_equal(e.insn_len, 2);
	svm_exit_decode(vmcb, &plain, &e);
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
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 13);
	assert_true(e.exc.has_error);
	assert_int_equal(e.exc.error, 0x18);
	set_exit(0x4e, 0x2, 0xdead000, 0);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.exc.vector, 14);
	assert_int_equal(e.exc.cr2, 0xdead000);
	set_exit(0x46, 0x1234, 0, 0);
	svm_exit_decode(vmcb, &plain, &e);
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
		svm_exit_decode(vmcb, &plain, &e);
		assert_int_equal(e.reason, map[i].reason);
	}
	set_exit(0x7c, 1, 0, 0); /* EXITINFO1 1: WRMSR */
	svm_exit_decode(vmcb, &plain, &e);
	assert_true(e.msr.write);
}

/* VMEXIT_INVALID is -1 as 64 bits; the low 32 bits decide (some emulators store 0xffffffff). */
static void invalid(void **state)
{
	struct vcpu_exit e;

	(void)state;
	set_exit(0x00000000ffffffffull, 0, 0, 0);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAIL);
	assert_non_null(strstr(e.fail.why, "SVME")); /* the zeroed VMCB fails the first check */
	set_exit(~0ull, 0, 0, 0);
	svm_exit_decode(vmcb, &plain, &e);
	assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ioio_out),   cmocka_unit_test(ioio_rep_ins),
		cmocka_unit_test(npf_write),  cmocka_unit_test(cpuid_nrips),
		cmocka_unit_test(exceptions), cmocka_unit_test(simple_reasons),
		cmocka_unit_test(invalid),    cmocka_unit_test(npf_walk_and_delivery),
		cmocka_unit_test(dr_exits),   cmocka_unit_test(dr_from_insn),
		cmocka_unit_test(insn_exits), cmocka_unit_test(debug_dr6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
