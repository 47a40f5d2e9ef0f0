// SPDX-License-Identifier: MIT
/*
 * Attack "msrs" (finding 8 of the hostile-guest review): write the SYSCALL, SYSENTER and
 * swapgs MSRs and use SYSCALL. VMX switches none of STAR, LSTAR, CSTAR, SFMASK and
 * KERNEL_GS_BASE at entry or exit, so a guest whose WRMSR reached them would change the host's
 * (its next SYSCALL or SWAPGS would run guest-chosen code); SVM switches them only through
 * VMLOAD / VMSAVE. skiff keeps each the guest's own: the guest reads back what it wrote, its
 * SYSCALL lands on its own LSTAR, and skiff checks its own values unchanged (vmm/hostile.c).
 */
#include "tests/guests/guest.h"
#include "vmm/test_guest_abi.h"

#define FAIL_MSR_READBACK TEST_GUEST_FAIL_ATTACK(0) /* an MSR read back wrong, or #GP */
#define FAIL_SYSCALL	  TEST_GUEST_FAIL_ATTACK(1) /* SYSCALL did not reach the guest's LSTAR */

#define MSR_EFER	   0xc0000080u
#define MSR_STAR	   0xc0000081u
#define MSR_LSTAR	   0xc0000082u
#define MSR_CSTAR	   0xc0000083u
#define MSR_SFMASK	   0xc0000084u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define MSR_SYSENTER_CS	   0x174u
#define MSR_SYSENTER_ESP   0x175u
#define MSR_SYSENTER_EIP   0x176u
#define EFER_SCE	   (1ull << 0)
#define STAR_KERNEL_CS	   0x0008ull /* SYSCALL loads CS from STAR[47:32], SS from it + 8 */
#define STAR_CS_SHIFT	   32
#define SFMASK_AC_DF	   0x40400ull /* RFLAGS.AC and DF cleared on SYSCALL */
#define WRMSR_LEN	   2
#define RDMSR_LEN	   2

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Write @v to @msr and read it back; a #GP on either is a failure. */
static uint32_t round_trip(const char *name, uint32_t msr, uint64_t v)
{
	uint64_t got = 0;
	int vector;

	trap_expect(WRMSR_LEN);
	wrmsr(msr, v);
	vector = trap_taken(NULL);
	if (vector == TRAP_NONE) {
		trap_expect(RDMSR_LEN);
		got = rdmsr(msr);
		vector = trap_taken(NULL);
	}
	put("msrs: ");
	put(name);
	if (vector != TRAP_NONE) {
		put(": exception ");
		put_hex((uint64_t)vector);
		put("\n");
		return FAIL_MSR_READBACK;
	}
	put(" read back ");
	put_hex(got);
	put(got == v ? "\n" : " (wrong)\n");
	return got == v ? 0 : FAIL_MSR_READBACK;
}

/* syscall_target (below): SYSCALL from CPL 0 lands here with the return RIP in RCX and the
 * old RFLAGS in R11; it counts and jumps back. */
volatile uint32_t syscall_hits;
void syscall_target(void);
__asm__(".text\n"
	"syscall_target:\n"
	"	lock incl syscall_hits\n"
	"	pushq %r11\n"
	"	popfq\n"
	"	jmp *%rcx\n");

static uint32_t check_syscall(void)
{
	uint32_t before = syscall_hits;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	__asm__ volatile("syscall" : : : "rcx", "r11", "memory");
	put("msrs: SYSCALL reached the guest's LSTAR ");
	put_hex(syscall_hits - before);
	put(" time(s)\n");
	return syscall_hits - before == 1 ? 0 : FAIL_SYSCALL;
}

static uint32_t attack_msrs(void)
{
	uint32_t fail = 0;

	fail |= round_trip("STAR", MSR_STAR, STAR_KERNEL_CS << STAR_CS_SHIFT);
	fail |= round_trip("LSTAR", MSR_LSTAR, (uintptr_t)syscall_target);
	fail |= round_trip("CSTAR", MSR_CSTAR, 0xffff800000002000ull);
	fail |= round_trip("SFMASK", MSR_SFMASK, SFMASK_AC_DF);
	fail |= round_trip("KERNEL_GS_BASE", MSR_KERNEL_GS_BASE, 0xffff800000003000ull);
	fail |= round_trip("SYSENTER_CS", MSR_SYSENTER_CS, 0x8);
	fail |= round_trip("SYSENTER_ESP", MSR_SYSENTER_ESP, 0xffff800000004000ull);
	fail |= round_trip("SYSENTER_EIP", MSR_SYSENTER_EIP, 0xffff800000005000ull);
	if (!fail)
		fail |= check_syscall();
	return fail;
}

GUEST_ATTACK(msrs, attack_msrs);
