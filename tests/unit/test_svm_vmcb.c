// SPDX-License-Identifier: MIT
/*
 * vmm/svm/svm_vmcb.c against AMD APM vol. 2: segment attributes (table B-2: descriptor bits
 * 47:40 -> attrib 7:0, 55:52 -> attrib 11:8), VMCB offsets (tables B-1, B-2), the MSR
 * permissions map (15.11, table 15-11), the syscall MSRs of the save area (table B-2) and the
 * VMRUN consistency checks (15.5.1).
 * Sources: vmm/svm/svm_vmcb.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/svm/svm_vmcb.h"
#include "vmm/vcpu_state.h"

/* A 64-bit code descriptor 0x00af9a000000ffff: bits 47:40 = 0x9a (P, DPL 0, S, type 0xa),
 * bits 55:52 = 0xa (G, L). Attribute: 0x9a | 0xa << 8 = 0xa9a. */
static void attr_code64(void **state)
{
	(void)state;
	assert_int_equal(svm_attr_from_desc(0x00af9a000000ffffull), 0xa9a);
	assert_int_equal(svm_attr_to_desc(0xa9a), 0x00a09a0000000000ull);
}

/* Flat 32-bit data 0x00cf92000000ffff: 0x92 and 0xc (G, D/B) -> 0xc92. */
static void attr_data32(void **state)
{
	(void)state;
	assert_int_equal(svm_attr_from_desc(0x00cf92000000ffffull), 0xc92);
	assert_int_equal(svm_attr_from_desc(0x00cf92000000ffffull),
			 0x2 | SVM_ATTR_S | SVM_ATTR_P | SVM_ATTR_DB | SVM_ATTR_G);
}

/* Segment fields: selector at +0, attrib at +2, limit at +4, base at +8 (table B-2). */
static void set_seg_layout(void **state)
{
	uint8_t vmcb[SVM_VMCB_SIZE] = { 0 };

	(void)state;
	svm_vmcb_set_seg(vmcb, VMCB_CS, 0x08, 0xf09b, 0xffffffff, 0x1122334455667788ull);
	assert_int_equal(vmcb[0x410], 0x08);
	assert_int_equal(vmcb[0x411], 0x00);
	assert_int_equal(vmcb[0x412], 0x9b); /* attrib masked to 12 bits: 0x09b */
	assert_int_equal(vmcb[0x413], 0x00);
	assert_int_equal(svm_vmcb_rd32(vmcb, 0x414), 0xffffffffu);
	assert_int_equal(vmcb[0x418], 0x88);
	assert_int_equal(vmcb[0x41f], 0x11);
}

/* Offsets from tables B-1 and B-2 (so a typo in the header fails here). */
static void offsets(void **state)
{
	(void)state;
	assert_int_equal(VMCB_EXITCODE, 0x70);
	assert_int_equal(VMCB_N_CR3, 0xb0);
	assert_int_equal(VMCB_TR, 0x400 + 9 * 16);
	assert_int_equal(VMCB_EFER, 0x4d0);
	assert_int_equal(VMCB_RIP, 0x578);
	assert_int_equal(VMCB_RAX, 0x5f8);
	assert_int_equal(VMCB_G_PAT, 0x668);
}

/* MSR 0: byte 0 bit 0. MSR 5: 5 * 2 = bit 10 -> byte 1 bit 2. EFER C000_0080h: 800h +
 * 80h * 2 / 8 = 820h, bit 0. C001_0117h: 1000h + 117h / 4 = 1045h, bit (117h % 4) * 2 = 6. */
static void msrpm(void **state)
{
	unsigned int byte, bit;

	(void)state;
	assert_int_equal(svm_msrpm_offset(0, &byte, &bit), 0);
	assert_int_equal(byte, 0);
	assert_int_equal(bit, 0);
	assert_int_equal(svm_msrpm_offset(5, &byte, &bit), 0);
	assert_int_equal(byte, 1);
	assert_int_equal(bit, 2);
	assert_int_equal(svm_msrpm_offset(0xc0000080u, &byte, &bit), 0);
	assert_int_equal(byte, 0x820);
	assert_int_equal(bit, 0);
	assert_int_equal(svm_msrpm_offset(0xc0010117u, &byte, &bit), 0);
	assert_int_equal(byte, 0x1045);
	assert_int_equal(bit, 6);
	assert_int_equal(svm_msrpm_offset(0x2000, &byte, &bit), -ERANGE);
	assert_int_equal(svm_msrpm_offset(0x40000000u, &byte, &bit), -ERANGE);
}

/* A guest state VMRUN accepts: 32-bit protected mode, SVME, VMRUN intercepted, ASID 1. */
/*
 * The syscall MSRs in the state save area (table B-2: STAR 600h, LSTAR 608h, CSTAR 610h, SFMASK
 * 618h, KernelGsBase 620h, SYSENTER_CS 628h, SYSENTER_ESP 630h, SYSENTER_EIP 638h). An address
 * is canonical when bits 63 down to the width - 1 agree: 0x0000800000000000 is not with 48 bits,
 * 0x0080000000000000 is with 57 (bits 63:56 zero) but not with 48.
 */
static void save_area_msrs(void **state)
{
	static const struct {
		uint32_t msr;
		unsigned int off;
	} map[] = {
		{ 0xc0000081u, 0x600 }, { 0xc0000082u, 0x608 }, { 0xc0000083u, 0x610 },
		{ 0xc0000084u, 0x618 }, { 0xc0000102u, 0x620 }, { 0x174u, 0x628 },
		{ 0x175u, 0x630 },	{ 0x176u, 0x638 },
	};
	static uint8_t vmcb[SVM_VMCB_SIZE];
	uint64_t v;

	(void)state;
	memset(vmcb, 0, sizeof(vmcb));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint64_t want = 0xffff800000001000ull + i;

		assert_int_equal(svm_vmcb_msr_write(vmcb, map[i].msr, want, 48), 0);
		assert_int_equal(svm_vmcb_rd64(vmcb, map[i].off), want);
		assert_int_equal(svm_vmcb_msr_read(vmcb, map[i].msr, &v), 0);
		assert_int_equal(v, want);
	}
	/* LSTAR, CSTAR, KERNEL_GS_BASE, SYSENTER_ESP/EIP are addresses; STAR, SFMASK, CS not */
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0xc0000082u, 0x0000800000000000ull, 48), -EINVAL);
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0xc0000102u, 0x0080000000000000ull, 48), -EINVAL);
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0x176u, 0x7fff000000000000ull, 48), -EINVAL);
	assert_int_equal(svm_vmcb_rd64(vmcb, 0x608), 0xffff800000001001ull); /* unchanged */
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0xc0000102u, 0x0080000000000000ull, 57), 0);
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0xc0000081u, 0x0000800000000000ull, 48), 0);
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0xc0000084u, ~0ull, 48), 0);
	/* anything else is not the save area's */
	assert_int_equal(svm_vmcb_msr_write(vmcb, 0xc0000080u, 0, 48), -ENOENT); /* EFER */
	assert_int_equal(svm_vmcb_msr_read(vmcb, 0xc0000100u, &v), -ENOENT);	 /* FS_BASE */
	assert_int_equal(svm_vmcb_msr_read(vmcb, 0x10u, &v), -ENOENT);		 /* TSC */
}

static void good_vmcb(uint8_t *vmcb)
{
	memset(vmcb, 0, SVM_VMCB_SIZE);
	svm_vmcb_wr64(vmcb, VMCB_EFER, SVM_EFER_SVME);
	svm_vmcb_wr64(vmcb, VMCB_CR0, X86_CR0_PE | X86_CR0_ET);
	svm_vmcb_wr64(vmcb, VMCB_DR6, 0xffff0ff0);
	svm_vmcb_wr64(vmcb, VMCB_DR7, 0x400);
	svm_vmcb_wr32(vmcb, VMCB_INTERCEPT_MISC2, SVM_INTERCEPT2_VMRUN);
	svm_vmcb_wr32(vmcb, VMCB_GUEST_ASID, 1);
	svm_vmcb_wr64(vmcb, VMCB_IOPM_BASE_PA, 0x100000);
	svm_vmcb_wr64(vmcb, VMCB_MSRPM_BASE_PA, 0x104000);
	svm_vmcb_wr64(vmcb, VMCB_NP_CONTROL, SVM_NP_ENABLE);
	svm_vmcb_wr64(vmcb, VMCB_G_PAT, 0x0007040600070406ull);
}

#define EXPECT_FAIL(field_setup, text)              \
	do {                                        \
		good_vmcb(vmcb);                    \
		field_setup;                        \
		why = svm_vmcb_check(vmcb, 40);     \
		assert_non_null(why);               \
		assert_non_null(strstr(why, text)); \
	} while (0)

static void consistency(void **state)
{
	static uint8_t vmcb[SVM_VMCB_SIZE];
	const char *why;

	(void)state;
	good_vmcb(vmcb);
	assert_null(svm_vmcb_check(vmcb, 40));
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_EFER, 0), "SVME");
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_EFER, SVM_EFER_SVME | (1ull << 1)),
		    "EFER has a reserved");
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_CR0, X86_CR0_PE | (1ull << 29)), "CR0.NW");
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_CR0, X86_CR0_PE | (1ull << 32)), "CR0 bits 63:32");
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_DR7, 1ull << 32), "DR7");
	/* LME + PG without PAE */
	EXPECT_FAIL((svm_vmcb_wr64(vmcb, VMCB_EFER, SVM_EFER_SVME | X86_EFER_LME),
		     svm_vmcb_wr64(vmcb, VMCB_CR0, X86_CR0_PE | X86_CR0_PG)),
		    "CR4.PAE 0");
	/* long mode with CS.L and CS.D: attrib 0x600 */
	EXPECT_FAIL((svm_vmcb_wr64(vmcb, VMCB_EFER, SVM_EFER_SVME | X86_EFER_LME | X86_EFER_LMA),
		     svm_vmcb_wr64(vmcb, VMCB_CR0, X86_CR0_PE | X86_CR0_PG),
		     svm_vmcb_wr64(vmcb, VMCB_CR4, X86_CR4_PAE),
		     svm_vmcb_wr16(vmcb, VMCB_CS + VMCB_SEG_ATTRIB, SVM_ATTR_L | SVM_ATTR_DB)),
		    "CS.L and CS.D");
	EXPECT_FAIL(svm_vmcb_wr32(vmcb, VMCB_INTERCEPT_MISC2, 0), "VMRUN intercept");
	EXPECT_FAIL(svm_vmcb_wr32(vmcb, VMCB_GUEST_ASID, 0), "ASID is 0");
	/* MSRPM at 2^40 - 4 KiB: its 8 KiB reach past 2^40 */
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_MSRPM_BASE_PA, (1ull << 40) - 0x1000), "MSRPM");
	/* PAT entry 0 = 2 (reserved) */
	EXPECT_FAIL(svm_vmcb_wr64(vmcb, VMCB_G_PAT, 0x0007040600070402ull), "G_PAT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attr_code64),	  cmocka_unit_test(attr_data32),
		cmocka_unit_test(set_seg_layout), cmocka_unit_test(offsets),
		cmocka_unit_test(msrpm),	  cmocka_unit_test(consistency),
		cmocka_unit_test(save_area_msrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
