/* SPDX-License-Identifier: MIT */
/*
 * A vCPU exit in backend-neutral form (vmm/vcpu.h): what each backend's exit decoder produces
 * (vmm/svm/svm_exit.h) and exit handlers consume. Pure definitions.
 */
#ifndef SKIFF_VMM_VCPU_EXIT_H
#define SKIFF_VMM_VCPU_EXIT_H

#include <stdbool.h>
#include <stdint.h>

/* Why the guest stopped. */
enum vcpu_exit_reason {
	VCPU_EXIT_IO = 0,     /* IN/OUT/INS/OUTS: exit.io */
	VCPU_EXIT_MMIO,	      /* an access the CPU view does not map (NPT / EPT violation) */
	VCPU_EXIT_CPUID,      /* leaf in RAX, subleaf in RCX */
	VCPU_EXIT_MSR,	      /* RDMSR / WRMSR: exit.msr */
	VCPU_EXIT_HLT,	      /* HLT */
	VCPU_EXIT_HYPERCALL,  /* VMMCALL / VMCALL: vmm/hypercall.h */
	VCPU_EXIT_EXCEPTION,  /* an intercepted guest exception: exit.exc */
	VCPU_EXIT_EXTINT,     /* a host interrupt arrived (serviced once the host runs again) */
	VCPU_EXIT_IRQ_WINDOW, /* the guest can take the interrupt it waits for (VMX): re-enter */
	VCPU_EXIT_SHUTDOWN,   /* triple fault or another shutdown condition */
	VCPU_EXIT_ENTRY_FAIL, /* the guest state was refused: exit.fail */
	VCPU_EXIT_OTHER,      /* an intercept with no normalised form: exit.raw */
	VCPU_EXIT_DR,	      /* MOV to or from a debug register: exit.dr (vmm/vcpu_dr.h) */
	VCPU_EXIT_INSN,	      /* an instruction skiff intercepts to refuse or emulate: exit.insn */
	VCPU_EXIT_NMI,	      /* a host NMI arrived in the guest; the backend gave it to the host */
	VCPU_EXIT_NR_REASONS,
};

/*
 * Instructions that must not run natively in a guest (VCPU_EXIT_INSN), and what vm_run.c makes of
 * them, as the CPUID skiff shows promises: WBINVD and INVD complete as no-ops (a guest must not
 * flush the host's caches; skiff's devices are DMA-coherent), MONITOR, MWAIT, RDPRU and INVLPGA
 * raise #UD (CPUID shows no MONITOR, no RDPRU, no SVM), RDPMC raises #GP (no performance
 * counters are shown).
 */
enum vcpu_insn {
	VCPU_INSN_WBINVD = 0, /* also WBNOINVD */
	VCPU_INSN_INVD,
	VCPU_INSN_MONITOR, /* also MONITORX */
	VCPU_INSN_MWAIT,   /* also MWAITX */
	VCPU_INSN_RDPMC,
	VCPU_INSN_RDPRU,
	VCPU_INSN_INVLPGA,
	VCPU_INSN_NR,
};

struct vcpu_exit {
	enum vcpu_exit_reason reason;
	uint64_t raw;	       /* the backend's exit code (SVM EXITCODE, VMX exit reason) */
	uint64_t info1, info2; /* the backend's qualification (EXITINFO1/2, ...) */
	uint8_t insn_len;      /* bytes of the exiting instruction; 0 when none exited */
	union {
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 bytes */
			bool in, string, rep;
		} io;
		struct {
			uint64_t gpa;
			bool write, fetch;
			bool paging_walk; /* the access was the guest's own page-table walk */
			bool delivery;	  /* the access was part of delivering an event */
		} mmio;
		struct {
			uint32_t index;
			bool write;
		} msr;
		struct {
			uint8_t vector;
			bool has_error;
			uint32_t error;
			uint64_t cr2; /* #PF: the faulting linear address */
			uint64_t dr6; /* #DB: the conditions, in DR6's layout (vmm/vcpu_dr.h) */
		} exc;
		struct {
			const char *why; /* the first consistency check the state fails */
		} fail;
		struct {
			uint8_t dr;  /* 0-7 */
			bool write;  /* MOV to DRn */
			uint8_t gpr; /* the general-purpose register (enum vcpu_gpr) */
		} dr;
		struct {
			enum vcpu_insn which;
		} insn;
	};
};

/* vcpu_exit_is_insn - did an instruction exit (I/O, CPUID, MSR, HLT, hypercall, MOV DR, an
 * intercepted instruction)? */
bool vcpu_exit_is_insn(const struct vcpu_exit *e);

/* vcpu_exit_name - "io", "mmio", "cpuid", ... for logs ("?" when out of range). */
const char *vcpu_exit_name(enum vcpu_exit_reason r);

/* vcpu_insn_name - "WBINVD", "MWAIT", ... for logs ("?" when out of range). */
const char *vcpu_insn_name(enum vcpu_insn i);

#endif
