/* SPDX-License-Identifier: MIT */
/*
 * The backend-neutral vCPU: create one for a VM, load its architectural state, run it until an
 * exit, and get the exit back in one normalised form whatever the backend (vmm/svm/ for AMD SVM
 * with nested paging, AMD APM vol. 2 ch. 15; vmm/vmx/ for Intel VMX with EPT, SDM vol. 3C).
 * Exits are counted by reason. The caller handles the exit (vmm/guest_selftest.c is one such
 * caller) and then completes the exiting instruction with vcpu_skip() or vcpu_mmio_complete().
 *
 * The guest's general-purpose registers, RIP and RFLAGS live in struct vcpu between runs; the
 * backend loads them before entry and stores them after the exit, so exit handlers read and
 * write v->regs directly. Kernel only.
 */
#ifndef SKIFF_VMM_VCPU_H
#define SKIFF_VMM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/log_limit.h"
#include "vmm/cpu_pgtable.h"
#include "vmm/cpu_view.h"
#include "vmm/vcpu_dr.h"
#include "vmm/vcpu_event.h"
#include "vmm/hypercall.h"
#include "vmm/vcpu_exit.h"
#include "vmm/vcpu_state.h"
#include "vmm/vm.h"

struct vcpu;

/* What a backend provides; every function returns 0 or a negative errno. */
struct vcpu_ops {
	const char *name;	     /* "svm", "vmx" */
	unsigned int hypercall_insn; /* HC_INSN_*: what exits as VCPU_EXIT_HYPERCALL */
	int (*create)(struct vcpu *v);
	void (*destroy)(struct vcpu *v);
	int (*load_state)(struct vcpu *v, const struct vcpu_state *s);
	/*
	 * Enter the guest with v->events.inject delivered, until its next exit; after an exit
	 * (not an entry failure) update v->events by vcpu_event_exit() with the event whose
	 * delivery the exit interrupted.
	 */
	int (*run)(struct vcpu *v, struct vcpu_exit *e);
	/*
	 * skiff completed the exiting instruction (RIP is past it): end the interrupt shadow of a
	 * preceding STI or MOV SS, which the CPU ends after executing one instruction (SVM
	 * INTERRUPT_SHADOW, APM vol. 2 15.21.5; VMX blocking by STI / MOV SS, SDM vol. 3C 25.4.2).
	 */
	int (*insn_retired)(struct vcpu *v);
	/*
	 * Request external interrupt @vector (16..255) for the guest, delivered through its IDT
	 * once it can take interrupts (RFLAGS.IF set, no interrupt shadow) without an exit: SVM
	 * V_IRQ, VMX interrupt-window exiting. -EBUSY while the previous request is pending.
	 */
	int (*inject_interrupt)(struct vcpu *v, uint8_t vector);
	/*
	 * Read or write an MSR the backend virtualises itself (EFER): -ENOENT for any other MSR,
	 * -EINVAL for a value the guest may not write (the caller injects #GP).
	 */
	int (*arch_msr)(struct vcpu *v, uint32_t index, bool write, uint64_t *value);
};

/* The CPU side of a VM's memory, shared by its vCPUs: the CPU view and its NPT / EPT. */
struct vcpu_mem {
	struct cpu_view view;
	struct cpu_pgt pgt;
};

/* Options of one vCPU. */
struct vcpu_cfg {
	uint32_t exception_bitmap; /* guest exceptions that exit (bit n = vector n) */
};

struct vcpu {
	const struct vcpu_ops *ops;
	struct vm *vm;
	struct vcpu_mem *mem;
	struct vcpu_cfg cfg;
	struct vcpu_regs regs;	   /* the guest's GPRs, RIP, RFLAGS between runs */
	struct vcpu_paging paging; /* the guest's paging state at the last exit */
	struct vcpu_events events; /* delivered at the next entries (vmm/vcpu_event.h) */
	bool redeliver;		   /* the last exit interrupted the delivery of events.inject */
	struct vcpu_dr dr;	   /* the guest's debug registers (vmm/vcpu_dr.h) */
	uint64_t exits[VCPU_EXIT_NR_REASONS];
	struct log_limit fetch_log; /* the lines vcpu_fetch_insn() logs, guest-caused */
	void *backend;		    /* the backend's per-vCPU state */
};

/*
 * vcpu_mem_build - derive the CPU view of @vm's sealed gmem and build its @format tables
 * (CPU_PGT_NPT for SVM, CPU_PGT_EPT for VMX) in @m, from zeroed 4 KiB frames, with 1 GiB leaves
 * when @features has CPU_PGT_F_1G. Returns 0, -EINVAL (gmem not sealed) or cpu_pgt_create() /
 * cpu_pgt_build()'s error (nothing is left allocated then).
 */
int vcpu_mem_build(struct vcpu_mem *m, const struct vm *vm, enum cpu_pgt_format format,
		   uint32_t features);

/* vcpu_mem_destroy - free @m's tables; no vCPU may use them any more. */
void vcpu_mem_destroy(struct vcpu_mem *m);

/*
 * vcpu_create - a vCPU of @vm over @mem with @cfg, on backend @ops. Returns 0 or the backend's
 * error: -ENODEV (no such virtualisation on this CPU, or it is disabled), -ENOSPC (no ASID /
 * VPID left), -ENOMEM.
 */
int vcpu_create(struct vcpu *v, const struct vcpu_ops *ops, struct vm *vm, struct vcpu_mem *mem,
		const struct vcpu_cfg *cfg);

/* vcpu_load_state - set the whole architectural state (entry point, mode, segments); events
 * waiting to be injected (exceptions, interrupts, re-injections, held) are dropped. */
int vcpu_load_state(struct vcpu *v, const struct vcpu_state *s);

/*
 * vcpu_run - run the guest until its next exit, which is counted and returned in @e. Returns 0,
 * or a negative errno when the exit could not be decoded (@e then holds what is known, reason
 * VCPU_EXIT_OTHER).
 */
int vcpu_run(struct vcpu *v, struct vcpu_exit *e);

/*
 * vcpu_skip - complete an instruction exit: RIP moves past the @e->insn_len bytes and an STI /
 * MOV SS interrupt shadow ends (vcpu_ops.insn_retired). Returns 0, -EINVAL if @e->insn_len is 0,
 * or the backend's error.
 */
int vcpu_skip(struct vcpu *v, const struct vcpu_exit *e);

/* vcpu_arch_msr - see struct vcpu_ops.arch_msr. */
int vcpu_arch_msr(struct vcpu *v, uint32_t index, bool write, uint64_t *value);

/*
 * vcpu_inject_exception - deliver exception @vector (0..31, error code @error when @has_error)
 * at the next entry, after an event being re-injected (vcpu_event_exception(): held, or merged
 * into #DF). Returns 0, -EINVAL, -EBUSY (an exception is held already) or -ENOTRECOVERABLE (a triple
 * fault: the caller stops the guest).
 */
int vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);

/*
 * vcpu_inject_interrupt - see struct vcpu_ops.inject_interrupt. Returns 0, -EBUSY (the previous
 * one is not taken yet: try again after the next exit) or -EOPNOTSUPP (the backend has none).
 */
int vcpu_inject_interrupt(struct vcpu *v, uint8_t vector);

/*
 * vcpu_fetch_insn - copy up to @max (<= 15) bytes of the guest's code at CS:RIP into @buf,
 * through the guest's paging in whatever mode it is in (vmm/guest_walk.h) and the VM's gmem.
 * Outside 64-bit mode the linear address is 32 bits (CS.base + EIP, wrapping at 4 GiB). Returns
 * the number of bytes copied (fewer when the code runs into a page that cannot be read), or,
 * when none could be, guest_walk()'s error (-ENOENT not present, -ERANGE a reserved bit set,
 * -EINVAL not canonical, -EOPNOTSUPP no paging mode) or -EFAULT (the guest's tables or the code
 * are outside its RAM/ROM). Each such error is logged, one line naming RIP and the linear
 * address, rate-limited per vCPU (kernel/log_limit.h; vcpu_destroy() reports the lines not
 * shown).
 */
int vcpu_fetch_insn(struct vcpu *v, uint8_t *buf, unsigned int max);

/*
 * vcpu_mmio_complete - finish an MMIO exit @e: decode the guest's MOV at RIP (vmm/insn.h); for
 * a load put @value (truncated to the access size) into the destination register, for a store
 * return the stored value in @stored (may be NULL); then move RIP past it and end an STI / MOV SS
 * interrupt shadow (vcpu_ops.insn_retired). @size gets the access size in bytes (may be NULL).
 * Returns 0, -EOPNOTSUPP for an instruction the decoder does not emulate, vcpu_fetch_insn()'s
 * error (the guest state is unchanged on these), or the backend's error.
 */
int vcpu_mmio_complete(struct vcpu *v, const struct vcpu_exit *e, uint64_t value, uint64_t *stored,
		       unsigned int *size);

/*
 * vcpu_dr_exit - complete a VCPU_EXIT_DR exit @e from the guest's software debug registers
 * (vmm/vcpu_dr.h): move the value, then complete the instruction (vcpu_skip()), or inject what
 * the MOV raises instead (#UD, #GP(0), #DB for DR7.GD). Returns 0 or vcpu_skip() /
 * vcpu_inject_exception()'s error.
 */
int vcpu_dr_exit(struct vcpu *v, const struct vcpu_exit *e);

/*
 * vcpu_reflect_exception - deliver the exception of exit @e (VCPU_EXIT_EXCEPTION), which the CPU
 * raised in the guest and skiff intercepted, to the guest as the CPU would have: a #DB's
 * conditions (@e->exc.dr6) are set in the guest's DR6 (vcpu_dr_debug_exception()); an exit the
 * backend reports with an instruction length (VMX's ICEBP, a privileged software exception: the
 * exit saves INT1's length, SDM vol. 3C 28.2.5, and comes before INT1 completes) first completes
 * that instruction (vcpu_skip()). When the exit interrupted the
 * delivery of a hardware exception (v->redeliver), that delivery raised this one: a benign pair
 * (SDM vol. 3A 6.15 table 6-5) is handled serially, this one first, and the first exception is
 * dropped rather than delivered again only to raise this one again - re-executing the
 * instruction raises it anew (as KVM's kvm_multiple_exception() replaces it); other pairs go
 * through vcpu_inject_exception() (#DF, or held). Returns 0 or vcpu_skip() /
 * vcpu_inject_exception()'s error.
 */
int vcpu_reflect_exception(struct vcpu *v, const struct vcpu_exit *e);

/* vcpu_destroy - free the backend state, after reporting the fetch lines not shown (if any);
 * @v can be created again. */
void vcpu_destroy(struct vcpu *v);

#endif
