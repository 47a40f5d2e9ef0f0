/* SPDX-License-Identifier: MIT */
/*
 * Running the test guest (tests/guests/) in a VM on one vCPU, and the exits every such run
 * answers the same way: the console port (shown as "[guest] ..." lines), CPUID (skiff's
 * signature at 40000000h, the host's leaves otherwise without VMX and SVM), EFER (the backend), any
 * other port or MSR (reads as all ones / #GP), the test guest's interrupt requests
 * (TEST_GUEST_IRQ_PORT: vectors 32-255 injected with vcpu_inject_interrupt()), its exit
 * benchmark (TEST_GUEST_BENCH_PORT, vm_bench.h), accesses outside the CPU view (reads as all
 * ones, writes dropped), the #DB and #AC exceptions skiff intercepts to reflect them, the
 * HC_EXIT hypercall (from CPL 0 only) and the test guest's DMA window (TEST_GUEST_HC_WINDOW: the
 * exits inside it are counted apart). Every log line a guest can cause is rate-limited by kind
 * (kernel/log_limit.h; the first accesses to each of VM_RUN_LOGGED ports, MSRs and MMIO
 * addresses are logged once each) and the run's summary counts the lines not shown. A device
 * model plugs in through two hooks: its ports, and what to do before each entry (inject
 * interrupts).
 * Used by selftest=guest (vmm/guest_selftest.c) and the main job run=guest (vmm/vm_main.c).
 * Kernel only.
 */
#ifndef SKIFF_VMM_VM_RUN_H
#define SKIFF_VMM_VM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/log_limit.h"
#include "vmm/test_guest_abi.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define VM_RUN_CONSOLE_LEN   120
#define VM_RUN_LOGGED	     8	/* ports, MSRs, MMIO addresses logged once each */
#define VM_RUN_LOG_BURST     8	/* lines a second of each kind but the console's */
#define VM_RUN_CONSOLE_BURST 64 /* console lines a second */
#define VM_RUN_EXC_VECTORS   32 /* exception vectors 0-31 (SDM vol. 3A table 6-1) */
#define VM_RUN_STOP_BUDGET   "no verdict within the exit budget" /* r->stop_why */
/* r->stop_why of an MMIO exit from the CPU's own accesses, not an instruction's (handle_mmio()) */
#define VM_RUN_STOP_WALK     "the guest's page walk reached guest-physical memory it does not have"
#define VM_RUN_STOP_DELIVERY "event delivery reached guest-physical memory the guest does not have"

/* The kinds of log line a guest causes, each with its own rate limit. */
enum vm_run_log {
	VM_RUN_LOG_PORT = 0, /* an access to a port no device has */
	VM_RUN_LOG_MSR,	     /* an MSR skiff refuses */
	VM_RUN_LOG_MMIO,     /* an access outside the CPU view */
	VM_RUN_LOG_CONSOLE,  /* a line the guest wrote to its console */
	VM_RUN_LOG_NR,
};

/* The first VM_RUN_LOGGED keys (ports, MSRs, addresses) of one kind that were logged. */
struct vm_run_logged {
	uint64_t key[VM_RUN_LOGGED];
	unsigned int n;
};

struct vm_run {
	struct vm vm;
	struct vcpu_mem mem;
	struct vcpu vcpu;
	bool mem_built, vcpu_created;
	/* The device model (may be NULL): @io answers a port exit it owns (returns 0, or a
	 * negative errno that stops the run) or returns -ENOENT; @before_entry runs before each
	 * entry. @dev is the model's own state. */
	int (*io)(struct vm_run *r, const struct vcpu_exit *e);
	void (*before_entry)(struct vm_run *r);
	void *dev;
	/* hostile-guest mode (vmm/hostile.h): the attack named to the guest on
	 * TEST_GUEST_ATTACK_PORT, NULL for none, and how much of its name was read */
	const char *attack;
	unsigned int attack_pos;
	/* what the run saw */
	bool done, hello_seen, sig_asked;
	uint64_t verdict;
	const char *stop_why;
	bool stop_refused; /* skiff stopped the guest for what it refuses to do, not by error */
	struct vcpu_exit last;
	unsigned int probe_reads, probe_writes, cpuid_exits;
	unsigned int insn_exits[VCPU_INSN_NR]; /* intercepted instructions, by enum vcpu_insn */
	unsigned int
		reflected[VM_RUN_EXC_VECTORS]; /* intercepted exceptions reflected, by vector */
	unsigned int hc_refused;	       /* hypercalls refused above CPL 0 */
	/* the exit benchmark (vm_bench.h): its length, set before the run (0: none), and the
	 * TSC cycles of its loops, by TEST_GUEST_BENCH_* code */
	uint32_t bench_iters;
	uint64_t bench_cycles[TEST_GUEST_BENCH_RESULTS];
	/* interrupts the guest asked for on TEST_GUEST_IRQ_PORT: requests, refused, last result */
	unsigned int irq_requests, irq_refused;
	int irq_status;
	uint64_t run_ns; /* from the first entry to the verdict */
	/* the guest's DMA window */
	bool in_window;
	unsigned int windows;
	uint64_t window_ns;
	uint64_t window_exits[VCPU_EXIT_NR_REASONS];
	/* the console's line, and the log lines' rate limits and log-once keys by kind */
	char line[VM_RUN_CONSOLE_LEN + 1];
	unsigned int line_len;
	struct log_limit log[VM_RUN_LOG_NR];
	struct vm_run_logged logged[VM_RUN_LOG_NR];
};

/*
 * vm_run_init - @r zeroed, its VM @name with the test guest's memory: TEST_GUEST_RAM_SIZE of RAM
 * at guest-physical 0 and the MSI window. The caller may add ranges (passthrough BARs) and
 * derive the device view before vm_run_start(). Returns 0 or vm_init() / vm_add_memory() /
 * vm_add_range()'s error.
 */
int vm_run_init(struct vm_run *r, const char *name);

/*
 * vm_run_start - seal the memory map if the caller has not, copy the test guest's image to
 * TEST_GUEST_LOAD, pick the backend of this CPU (VMX with EPT when CPUID.1:ECX.VMX is set,
 * else SVM with nested paging), build its nested tables from gmem and create the vCPU in 32-bit
 * protected mode at the image's entry; one line logs the backend. Returns 0, -E2BIG (the image
 * does not fit), gmem_seal(), vmx_enable(), vcpu_mem_build() or vcpu_create()'s error (-ENODEV
 * without SVM, or with VMX disabled).
 */
int vm_run_start(struct vm_run *r);

/*
 * vm_run_loop - run the guest until its verdict (HC_EXIT), an exit skiff does not handle or
 * @max_exits exits; r->stop_why and an error line say why it stopped without a verdict.
 */
void vm_run_loop(struct vm_run *r, unsigned int max_exits);

/* vm_run_exits - "io 123 mmio 3 ..." for the nonzero counters of @exits into @buf (@size bytes);
 * returns their sum. */
uint64_t vm_run_exits(const uint64_t exits[VCPU_EXIT_NR_REASONS], char *buf, unsigned int size);

/* vm_run_summary - one line: the VM, backend, verdict and exits by reason; a second one with the
 * exceptions reflected and the log lines not shown, by kind, when there were any. */
void vm_run_summary(const struct vm_run *r);

/* vm_run_destroy - free the vCPU, the nested tables and the VM. */
void vm_run_destroy(struct vm_run *r);

#endif
