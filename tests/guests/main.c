// SPDX-License-Identifier: MIT
/*
 * The test guest's checks, in 64-bit mode (entry.S gets it there): it greets through the
 * console port, asks CPUID for skiff's signature, the hypercall instruction skiff names
 * (leaf 40000001h) and the base leaf, checks that neither VMX nor SVM is shown, reads and writes a
 * guest-physical address outside its RAM (skiff answers: reads as all ones, writes dropped),
 * drives the passthrough edu device when skiff gives it one (edu.c), and reports a verdict with
 * the HC_EXIT hypercall (vmm/hypercall.h, vmm/test_guest_abi.h). When skiff names an
 * attack (attack.c) it runs that instead, after the CPUID checks that pick the hypercall.
 */
#include <stdint.h>

#include "tests/guests/guest.h"
#include "vmm/hypercall.h"
#include "vmm/test_guest_abi.h"

#define PROBE_WRITE_VALUE  0x12345678u
#define CPUID_1		   1u
#define CPUID_1_ECX_VMX	   (1u << 5)
#define CPUID_EXT_MAX	   0x80000000u
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_ECX_SVM  (1u << 2)
#define VENDOR_INTEL_EBX   0x756e6547u /* "Genu" */
#define VENDOR_INTEL_EDX   0x49656e69u /* "ineI" */
#define VENDOR_INTEL_ECX   0x6c65746eu /* "ntel" */

bool hc_vmcall;

void guest_main(void);

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static __attribute__((noreturn)) void hc_exit(uint64_t verdict)
{
	hypercall(HC_EXIT, verdict);
	for (;;)
		__asm__ volatile("hlt");
}

/* The hypercall instruction skiff names at leaf 40000001h (@max_leaf: leaf 40000000h's EAX);
 * without that answer the vendor decides (VMX on GenuineIntel, so VMCALL). */
static uint32_t pick_hypercall(uint32_t max_leaf)
{
	uint32_t r[4];

	if (max_leaf >= HC_CPUID_LEAF_INSN) {
		cpuid(HC_CPUID_LEAF_INSN, r);
		if (r[0] == HC_INSN_VMCALL || r[0] == HC_INSN_VMMCALL) {
			hc_vmcall = r[0] == HC_INSN_VMCALL;
			put(hc_vmcall ? "cpuid: hypercalls by VMCALL\n" :
					"cpuid: hypercalls by VMMCALL\n");
			return 0;
		}
	}
	cpuid(0, r);
	hc_vmcall =
		r[1] == VENDOR_INTEL_EBX && r[3] == VENDOR_INTEL_EDX && r[2] == VENDOR_INTEL_ECX;
	put("cpuid: leaf 0x40000001 names no hypercall instruction: chosen by the vendor\n");
	return TEST_GUEST_FAIL_CPUID_INSN;
}

/* Neither VMX (leaf 1 ECX bit 5) nor SVM (leaf 80000001h ECX bit 2) is offered to the guest. */
static uint32_t check_virt_hidden(void)
{
	uint32_t r[4];
	bool vmx, svm = false;

	cpuid(CPUID_1, r);
	vmx = r[2] & CPUID_1_ECX_VMX;
	cpuid(CPUID_EXT_MAX, r);
	if (r[0] >= CPUID_EXT_FEATURES) {
		cpuid(CPUID_EXT_FEATURES, r);
		svm = r[2] & CPUID_EXT_ECX_SVM;
	}
	put(vmx ? "cpuid: VMX shown\n" :
	    svm ? "cpuid: SVM shown\n" :
		  "cpuid: VMX and SVM hidden\n");
	return vmx || svm ? TEST_GUEST_FAIL_CPUID_VIRT : 0;
}

static uint32_t check_cpuid(void)
{
	uint32_t r[4], fail = 0;

	cpuid(HC_CPUID_LEAF, r);
	if (r[1] != HC_CPUID_SIG_B || r[2] != HC_CPUID_SIG_C || r[3] != HC_CPUID_SIG_D)
		fail |= TEST_GUEST_FAIL_CPUID_SIG;
	put(fail ? "cpuid: no skiff signature at leaf 0x40000000\n" :
		   "cpuid: skiff signature at leaf 0x40000000\n");
	fail |= pick_hypercall(fail ? 0 : r[0]);
	fail |= check_virt_hidden();
	cpuid(0, r);
	if (r[0] < 1)
		fail |= TEST_GUEST_FAIL_CPUID_BASE;
	put("cpuid: leaf 0 max leaf ");
	put_hex(r[0]);
	put("\n");
	return fail;
}

static uint32_t check_probe(void)
{
	volatile uint32_t *probe = (volatile uint32_t *)(uintptr_t)TEST_GUEST_PROBE_GPA;
	uint32_t fail = 0, v = *probe;

	put("probe: read ");
	put_hex(v);
	put(" outside RAM\n");
	if (v != 0xffffffffu)
		fail |= TEST_GUEST_FAIL_PROBE_READ;
	*probe = PROBE_WRITE_VALUE;
	if (*probe != 0xffffffffu)
		fail |= TEST_GUEST_FAIL_PROBE_WRITE;
	put(fail & TEST_GUEST_FAIL_PROBE_WRITE ? "probe: write was not dropped\n" :
						 "probe: write dropped\n");
	return fail;
}

void guest_main(void)
{
	char attack[TEST_GUEST_ATTACK_NAME_MAX];
	uint32_t fail;

	trap_init();
	put(TEST_GUEST_HELLO "\n");
	fail = check_cpuid();
	if (attack_requested(attack, sizeof(attack))) {
		fail |= attack_run(attack);
		put("verdict ");
		put_hex(fail);
		put("\n");
		hc_exit(fail);
	}
	fail |= check_probe();
	fail |= check_inject();
	run_bench();
	fail |= check_edu();
	put("verdict ");
	put_hex(fail);
	put("\n");
	hc_exit(fail);
}
