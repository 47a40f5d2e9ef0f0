// SPDX-License-Identifier: MIT
/* Exit reason names: see vcpu_exit.h. */
#include "vmm/vcpu_exit.h"

static const char *const names[VCPU_EXIT_NR_REASONS] = {
	[VCPU_EXIT_IO] = "io",
	[VCPU_EXIT_MMIO] = "mmio",
	[VCPU_EXIT_CPUID] = "cpuid",
	[VCPU_EXIT_MSR] = "msr",
	[VCPU_EXIT_HLT] = "hlt",
	[VCPU_EXIT_HYPERCALL] = "hypercall",
	[VCPU_EXIT_EXCEPTION] = "exception",
	[VCPU_EXIT_EXTINT] = "extint",
	[VCPU_EXIT_IRQ_WINDOW] = "irq_window",
	[VCPU_EXIT_SHUTDOWN] = "shutdown",
	[VCPU_EXIT_ENTRY_FAIL] = "entry_fail",
	[VCPU_EXIT_OTHER] = "other",
	[VCPU_EXIT_DR] = "dr",
	[VCPU_EXIT_INSN] = "insn",
	[VCPU_EXIT_NMI] = "nmi",
};

static const char *const insn_names[VCPU_INSN_NR] = {
	[VCPU_INSN_WBINVD] = "WBINVD",	 [VCPU_INSN_INVD] = "INVD",
	[VCPU_INSN_MONITOR] = "MONITOR", [VCPU_INSN_MWAIT] = "MWAIT",
	[VCPU_INSN_RDPMC] = "RDPMC",	 [VCPU_INSN_RDPRU] = "RDPRU",
	[VCPU_INSN_INVLPGA] = "INVLPGA",
};

const char *vcpu_insn_name(enum vcpu_insn i)
{
	return (unsigned int)i < VCPU_INSN_NR ? insn_names[i] : "?";
}

const char *vcpu_exit_name(enum vcpu_exit_reason r)
{
	return (unsigned int)r < VCPU_EXIT_NR_REASONS ? names[r] : "?";
}

bool vcpu_exit_is_insn(const struct vcpu_exit *e)
{
	return e->reason == VCPU_EXIT_IO || e->reason == VCPU_EXIT_CPUID ||
	       e->reason == VCPU_EXIT_MSR || e->reason == VCPU_EXIT_HLT ||
	       e->reason == VCPU_EXIT_HYPERCALL || e->reason == VCPU_EXIT_DR ||
	       e->reason == VCPU_EXIT_INSN;
}
