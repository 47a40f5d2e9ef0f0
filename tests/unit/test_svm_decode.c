// SPDX-License-Identifier: MIT
/*
 * The exit-instruction decoder (vmm/insn.c) that the SVM backend uses without next-RIP save and
 * decode assists (the guest page walk that fetches its bytes is tests/unit/test_guest_walk.c).
 * Byte sequences are encoded by hand from Intel SDM vol. 2 (prefixes 2.1.1, REX 2.2.1, ModR/M
 * and SIB tables 2-2/2-3, opcode map appendix A).
 * Sources: vmm/insn.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/insn.h"

static struct insn in;

static int dec(enum insn_mode mode, const uint8_t *b, unsigned int n)
{
	return insn_decode(b, n, mode, &in);
}

#define DEC64(...)                                           \
	({                                                   \
		static const uint8_t b_[] = { __VA_ARGS__ }; \
		dec(INSN_MODE_64, b_, sizeof(b_));           \
	})
#define DEC32(...)                                           \
	({                                                   \
		static const uint8_t b_[] = { __VA_ARGS__ }; \
		dec(INSN_MODE_32, b_, sizeof(b_));           \
	})

static void exit_instructions(void **state)
{
	(void)state;
	assert_int_equal(DEC64(0xee), 0); /* out dx, al */
	assert_int_equal(in.kind, INSN_OUT);
	assert_int_equal(in.len, 1);
	assert_int_equal(in.size, 1);
	assert_int_equal(DEC64(0xe6, 0xe9), 0); /* out 0xe9, al */
	assert_int_equal(in.len, 2);
	assert_true(in.port_imm);
	assert_int_equal(in.port, 0xe9);
	assert_int_equal(DEC64(0x66, 0xed), 0); /* in ax, dx */
	assert_int_equal(in.kind, INSN_IN);
	assert_int_equal(in.size, 2);
	assert_int_equal(in.len, 2);
	assert_int_equal(DEC64(0x48, 0xed), 0); /* REX.W in eax, dx: still 4 bytes */
	assert_int_equal(in.size, 4);
	assert_int_equal(DEC64(0xf3, 0x6f), 0); /* rep outsd */
	assert_int_equal(in.kind, INSN_OUTS);
	assert_int_equal(in.len, 2);
	assert_int_equal(DEC64(0x0f, 0xa2), 0);
	assert_int_equal(in.kind, INSN_CPUID);
	assert_int_equal(in.len, 2);
	assert_int_equal(DEC64(0x66, 0x0f, 0xa2), 0); /* a redundant prefix counts */
	assert_int_equal(in.len, 3);
	assert_int_equal(DEC64(0x0f, 0x01, 0xd9), 0);
	assert_int_equal(in.kind, INSN_VMMCALL);
	assert_int_equal(in.len, 3);
	assert_int_equal(DEC64(0x0f, 0x01, 0xc1), 0);
	assert_int_equal(in.kind, INSN_VMCALL);
	assert_int_equal(DEC64(0x0f, 0x32), 0);
	assert_int_equal(in.kind, INSN_RDMSR);
	assert_int_equal(DEC32(0x0f, 0x30), 0);
	assert_int_equal(in.kind, INSN_WRMSR);
	assert_int_equal(in.len, 2);
	assert_int_equal(DEC64(0xf4), 0);
	assert_int_equal(in.kind, INSN_HLT);
	assert_int_equal(in.len, 1);
}

static void mov_loads(void **state)
{
	(void)state;
	/* mov (%rax), %eax: 8B, ModR/M 00 000 000 */
	assert_int_equal(DEC64(0x8b, 0x00), 0);
	assert_int_equal(in.kind, INSN_MOV_LOAD);
	assert_int_equal(in.len, 2);
	assert_int_equal(in.size, 4);
	assert_int_equal(in.reg, 0);
	/* mov 0x80000000, %rcx: REX.W 8B, ModR/M 00 001 100 (SIB), SIB 00 100 101 (no base) + disp32 */
	assert_int_equal(DEC64(0x48, 0x8b, 0x0c, 0x25, 0x00, 0x00, 0x00, 0x80), 0);
	assert_int_equal(in.len, 8);
	assert_int_equal(in.size, 8);
	assert_int_equal(in.reg, 1);
	/* mov -8(%rbp), %r8d: REX.R 8B, ModR/M 01 000 101 + disp8 */
	assert_int_equal(DEC64(0x44, 0x8b, 0x45, 0xf8), 0);
	assert_int_equal(in.len, 4);
	assert_int_equal(in.reg, 8);
	/* mov 0x1000(%rbx,%rsi,4), %dl: 8A, ModR/M 10 010 100, SIB 10 110 011, disp32 */
	assert_int_equal(DEC64(0x8a, 0x94, 0xb3, 0x00, 0x10, 0x00, 0x00), 0);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.size, 1);
	assert_int_equal(in.reg, 2);
	assert_false(in.high8);
	/* REX then 66: the REX is ignored (not next to the opcode), operand size 2 */
	assert_int_equal(DEC64(0x48, 0x66, 0x8b, 0x00), 0);
	assert_int_equal(in.size, 2);
	assert_int_equal(in.len, 4);
	/* 32-bit mode: mov 0x80000000, %eax: ModR/M 00 000 101 = absolute disp32 */
	assert_int_equal(DEC32(0x8b, 0x05, 0x00, 0x00, 0x00, 0x80), 0);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.size, 4);
}

static void mov_stores(void **state)
{
	(void)state;
	/* mov %eax, disp32(%rip): 89 05 + disp32 */
	assert_int_equal(DEC64(0x89, 0x05, 0x10, 0x00, 0x00, 0x00), 0);
	assert_int_equal(in.kind, INSN_MOV_STORE);
	assert_int_equal(in.len, 6);
	/* mov %ah, (%rsp): 88, ModR/M 00 100 100, SIB 00 100 100: reg 4 without REX is AH */
	assert_int_equal(DEC64(0x88, 0x24, 0x24), 0);
	assert_int_equal(in.len, 3);
	assert_int_equal(in.reg, 4);
	assert_true(in.high8);
	/* with a REX prefix reg 4 is SPL */
	assert_int_equal(DEC64(0x40, 0x88, 0x24, 0x24), 0);
	assert_false(in.high8);
	/* movl $0x12345678, (%rax): C7 /0 + imm32 */
	assert_int_equal(DEC64(0xc7, 0x00, 0x78, 0x56, 0x34, 0x12), 0);
	assert_int_equal(in.kind, INSN_MOV_STORE_IMM);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.imm, 0x12345678);
	/* movq $-1, (%rax): REX.W C7 /0, imm32 sign-extended */
	assert_int_equal(DEC64(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), 0);
	assert_int_equal(in.size, 8);
	assert_int_equal(in.imm, ~0ull);
	/* movw $0x1234, (%rax): 66 C7 /0 + imm16 */
	assert_int_equal(DEC64(0x66, 0xc7, 0x00, 0x34, 0x12), 0);
	assert_int_equal(in.len, 5);
	assert_int_equal(in.imm, 0x1234);
	/* movb $0xab, (%rax): C6 /0 + imm8, sign-extended to 64 bits */
	assert_int_equal(DEC64(0xc6, 0x00, 0xab), 0);
	assert_int_equal(in.size, 1);
	assert_int_equal(in.imm, 0xffffffffffffffabull);
	assert_int_equal(insn_reg_read(in.imm, in.size, false), 0xab);
}

static void refusals(void **state)
{
	uint8_t prefixes[16];

	(void)state;
	assert_int_equal(DEC64(0x8b, 0xc0), -EOPNOTSUPP);	      /* register form */
	assert_int_equal(DEC64(0xf0, 0x89, 0x00), -EOPNOTSUPP);	      /* LOCK MOV */
	assert_int_equal(DEC64(0xc7, 0x08, 0, 0, 0, 0), -EOPNOTSUPP); /* C7 /1 */
	assert_int_equal(DEC64(0x0f, 0x01, 0xd8), -EOPNOTSUPP);	      /* VMRUN */
	assert_int_equal(DEC32(0x67, 0x8b, 0x00), -EOPNOTSUPP);	      /* 16-bit addressing */
	assert_int_equal(DEC32(0x48, 0x8b, 0x00), -EOPNOTSUPP);	      /* 48 is DEC EAX here */
	assert_int_equal(DEC64(0x0f), -ENODATA);
	assert_int_equal(DEC64(0x8b, 0x05, 0x00), -ENODATA);
	memset(prefixes, 0x66, sizeof(prefixes));
	prefixes[15] = 0xf4;
	assert_int_equal(dec(INSN_MODE_64, prefixes, sizeof(prefixes)), -E2BIG);
	prefixes[14] = 0xf4; /* 14 prefixes + HLT = 15 bytes: the limit */
	assert_int_equal(dec(INSN_MODE_64, prefixes, sizeof(prefixes)), 0);
	assert_int_equal(in.len, 15);
}

/* MOV DR (0F 21 /r from, 0F 23 /r to): ModR/M.reg the DR, rm the GPR, mod ignored. */
static void mov_dr(void **state)
{
	(void)state;
	assert_int_equal(DEC64(0x0f, 0x23, 0xc0), 0); /* mov dr0, rax: C0 = 11 000 000 */
	assert_int_equal(in.kind, INSN_MOV_TO_DR);
	assert_int_equal(in.dr, 0);
	assert_int_equal(in.reg, 0);
	assert_int_equal(in.size, 8);
	assert_int_equal(in.len, 3);
	assert_int_equal(DEC64(0x41, 0x0f, 0x21, 0xfb), 0); /* mov r11, dr7: FB = 11 111 011 */
	assert_int_equal(in.kind, INSN_MOV_FROM_DR);
	assert_int_equal(in.dr, 7);
	assert_int_equal(in.reg, 11);
	assert_int_equal(in.len, 4);
	assert_int_equal(DEC64(0x44, 0x0f, 0x23, 0xd9),
			 0); /* REX.R: dr11 (#UD), rcx; D9 = 11 011 001 */
	assert_int_equal(in.dr, 11);
	assert_int_equal(in.reg, 1);
	/* 32-bit, mod 00 rm 101 (disp32 for a memory operand) is still EBP: no displacement */
	assert_int_equal(DEC32(0x0f, 0x21, 0x35), 0); /* 35 = 00 110 101: mov ebp, dr6 */
	assert_int_equal(in.kind, INSN_MOV_FROM_DR);
	assert_int_equal(in.dr, 6);
	assert_int_equal(in.reg, 5);
	assert_int_equal(in.size, 4);
	assert_int_equal(in.len, 3);
	assert_int_equal(DEC32(0x66, 0x0f, 0x23, 0xc8), 0); /* 66h changes nothing: dr1, eax */
	assert_int_equal(in.size, 4);
	assert_int_equal(in.dr, 1);
	assert_int_equal(in.len, 4);
	assert_int_equal(DEC64(0x0f, 0x21), -ENODATA);
}

/* The instructions skiff intercepts to refuse or emulate (vmm/vcpu_exit.h, enum vcpu_insn). */
static void intercepted_instructions(void **state)
{
	static const struct {
		uint8_t bytes[4];
		unsigned int len;
		enum insn_kind kind;
	} map[] = {
		{ { 0x0f, 0x08 }, 2, INSN_INVD },
		{ { 0x0f, 0x09 }, 2, INSN_WBINVD },
		{ { 0xf3, 0x0f, 0x09 }, 3, INSN_WBNOINVD },
		{ { 0x0f, 0x33 }, 2, INSN_RDPMC },
		{ { 0x0f, 0x01, 0xc8 }, 3, INSN_MONITOR },
		{ { 0x0f, 0x01, 0xc9 }, 3, INSN_MWAIT },
		{ { 0x0f, 0x01, 0xdf }, 3, INSN_INVLPGA },
		{ { 0x0f, 0x01, 0xfa }, 3, INSN_MONITORX },
		{ { 0x0f, 0x01, 0xfb }, 3, INSN_MWAITX },
		{ { 0x0f, 0x01, 0xfd }, 3, INSN_RDPRU },
		{ { 0x67, 0x0f, 0x01, 0xc8 }, 4, INSN_MONITOR }, /* monitor eax, ecx, edx */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		assert_int_equal(dec(INSN_MODE_64, map[i].bytes, map[i].len), 0);
		assert_int_equal(in.kind, map[i].kind);
		assert_int_equal(in.len, map[i].len);
		/* one byte short: the instruction is not all there */
		assert_int_equal(dec(INSN_MODE_64, map[i].bytes, map[i].len - 1), -ENODATA);
	}
	assert_int_equal(DEC32(0x0f, 0x09), 0);
	assert_int_equal(in.kind, INSN_WBINVD);
	assert_int_equal(DEC64(0x0f, 0x01, 0xfc), -EOPNOTSUPP); /* CLZERO: not one of them */
}

static void register_writes(void **state)
{
	const uint64_t old = 0x1122334455667788ull;

	(void)state;
	assert_int_equal(insn_reg_write(old, ~0ull, 1, false), 0x11223344556677ffull);
	assert_int_equal(insn_reg_write(old, ~0ull, 2, false), 0x112233445566ffffull);
	assert_int_equal(insn_reg_write(old, ~0ull, 4, false), 0x00000000ffffffffull);
	assert_int_equal(insn_reg_write(old, 0xab, 8, false), 0xab);
	assert_int_equal(insn_reg_write(old, 0xab, 1, true), 0x112233445566ab88ull);
	assert_int_equal(insn_reg_read(old, 2, false), 0x7788);
	assert_int_equal(insn_reg_read(old, 1, true), 0x77);
	assert_int_equal(insn_mode_of(true, true, false), INSN_MODE_64);
	assert_int_equal(insn_mode_of(true, false, true), INSN_MODE_32); /* compatibility mode */
	assert_int_equal(insn_mode_of(false, true, false), INSN_MODE_16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_instructions),
		cmocka_unit_test(mov_loads),
		cmocka_unit_test(mov_stores),
		cmocka_unit_test(refusals),
		cmocka_unit_test(mov_dr),
		cmocka_unit_test(intercepted_instructions),
		cmocka_unit_test(register_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
