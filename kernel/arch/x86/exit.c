// SPDX-License-Identifier: MIT
#include "kernel/exit.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/arch/x86/x86.h"

#define CPUID_FEATURES	      1u
#define CPUID_ECX_HYPERVISOR  (1u << 31)
#define CPUID_HYPERVISOR_BASE 0x40000000u
#define RESET_CONTROL_PORT    0xcf9 /* PCH reset control register */
#define RESET_CONTROL_FULL    0x0e  /* full reset, CPU reset */

static enum exit_mode exit_mode = EXIT_AUTO;

void exit_set_mode(enum exit_mode mode)
{
	exit_mode = mode;
}

static bool under_qemu(void)
{
	struct cpuid_regs r = cpuid(CPUID_FEATURES, 0);
	char sig[13];

	if (!(r.ecx & CPUID_ECX_HYPERVISOR))
		return false;
	r = cpuid(CPUID_HYPERVISOR_BASE, 0);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	return !strcmp(sig, "TCGTCGTCGTCG") || !memcmp(sig, "KVMKVMKVM", 9);
}

void skiff_exit(enum verdict v)
{
	static const char pass[] = "skiff: verdict PASS\n", fail[] = "skiff: verdict FAIL\n";
	enum exit_mode mode = exit_mode;

	if (v == VERDICT_PASS)
		console_write(pass, sizeof(pass) - 1);
	else
		console_write(fail, sizeof(fail) - 1);
	if (mode == EXIT_AUTO)
		mode = under_qemu() ? EXIT_DEBUG_PORT : EXIT_HALT;
	if (mode == EXIT_DEBUG_PORT)
		outb(DEBUG_EXIT_PORT, v == VERDICT_PASS ? DEBUG_EXIT_PASS : DEBUG_EXIT_FAIL);
	else if (mode == EXIT_RESET)
		outb(RESET_CONTROL_PORT, RESET_CONTROL_FULL);
	cpu_halt_forever();
}
