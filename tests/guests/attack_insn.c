// SPDX-License-Identifier: MIT
/*
 * Attack "insn" (finding 6 of the hostile-guest review): instructions that must not run
 * natively in a guest. WBINVD and INVD would flush (or drop) the host's caches; INVLPGA would
 * invalidate the host's TLB entries of any ASID; MONITOR / MWAIT would park the physical CPU;
 * RDPMC and RDPRU would read the host's counters. skiff intercepts each and answers as the
 * CPUID it shows promises (vmm/vcpu_exit.h, enum vcpu_insn): WBINVD and INVD complete as
 * no-ops, RDPMC raises #GP, RDPRU, INVLPGA, MONITOR and MWAIT raise #UD. The guest checks what
 * it got; skiff's judge checks that WBINVD and INVD exited (vmm/hostile.c). MWAIT runs last:
 * natively it may halt the CPU until an interrupt that never comes.
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define FAIL_INSN_OUTCOME TEST_GUEST_FAIL_ATTACK(0) /* an instruction raised the wrong thing */
#define EXC_UD		  6
#define EXC_GP		  13

static void wbinvd(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}

static void invd(void)
{
	__asm__ volatile("invd" ::: "memory");
}

static void rdpmc0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
}

static void rdpru0(void)
{
	uint32_t lo, hi;

	__asm__ volatile(".byte 0x0f, 0x01, 0xfd" : "=a"(lo), "=d"(hi) : "c"(0)); /* RDPRU */
}

static void invlpga0(void)
{
	__asm__ volatile("invlpga %%rax, %%ecx" : : "a"(0ull), "c"(0) : "memory");
}

static void monitor0(void)
{
	static volatile uint64_t line;

	__asm__ volatile("monitor %%rax, %%ecx, %%edx" : : "a"(&line), "c"(0), "d"(0));
}

static void mwait0(void)
{
	__asm__ volatile("mwait %%eax, %%ecx" : : "a"(0), "c"(0));
}

static const struct {
	const char *name;
	void (*run)(void);
	unsigned int len; /* bytes of the instruction, skipped after a fault */
	int want;	  /* the exception it must raise, TRAP_NONE for none */
} insns[] = {
	{ "WBINVD", wbinvd, 2, TRAP_NONE }, { "INVD", invd, 2, TRAP_NONE },
	{ "RDPMC", rdpmc0, 2, EXC_GP },	    { "RDPRU", rdpru0, 3, EXC_UD },
	{ "INVLPGA", invlpga0, 3, EXC_UD }, { "MONITOR", monitor0, 3, EXC_UD },
	{ "MWAIT", mwait0, 3, EXC_UD },
};

static uint32_t attack_insn(void)
{
	uint32_t fail = 0;

	for (unsigned int i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		int got;

		trap_expect(insns[i].len);
		insns[i].run();
		got = trap_taken(NULL);
		put("insn: ");
		put(insns[i].name);
		put(got == TRAP_NONE ? ": completed" : ": exception ");
		if (got != TRAP_NONE)
			put_hex((uint64_t)got);
		put(got == insns[i].want ? "\n" : " (wrong)\n");
		if (got != insns[i].want)
			fail |= FAIL_INSN_OUTCOME;
	}
	return fail;
}

GUEST_ATTACK(insn, attack_insn);
