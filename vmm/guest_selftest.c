// SPDX-License-Identifier: MIT
/*
 * selftest=guest. A VM of 4 MiB RAM (and the MSI window gmem requires) runs the test guest
 * (tests/guests/) on one vCPU - VMX with EPT on Intel (Bochs), SVM with nested paging otherwise
 * (QEMU) - without a passthrough device (the guest finds none and skips its device checks);
 * vmm/vm_run.c answers its exits. Checks:
 *   guest.build          the VM, its nested tables and the vCPU were created;
 *   guest.verdict        the guest reported PASS (0) by hypercall;
 *   guest.console        its greeting arrived through the console port;
 *   guest.cpuid          CPUID exits were handled and the signature leaf was asked;
 *   guest.outside_ram    the probe's read and write outside RAM exited as MMIO at its address
 *                        (an NPT or EPT violation), were answered, and the guest saw all ones;
 *   guest.inject         the guest asked for four interrupts (TEST_GUEST_IRQ_PORT), one was
 *                        refused while another was held, and each arrived once, only when the
 *                        guest's RFLAGS.IF allowed (the guest checks);
 *   guest.shadow         an interrupt requested by the OUT right after STI arrived before the
 *                        next instruction: completing the OUT ended STI's interrupt shadow (the
 *                        guest checks);
 *   guest.exits          no exception, shutdown, entry failure or unknown exit; one hypercall.
 * A summary line gives the exits by reason. The guest also runs the exit benchmark
 * (vm_bench.h, BENCH_ITERS iterations): its figures are logged as "bench:" lines, not judged.
 */
#include "vmm/guest_selftest.h"

#include <inttypes.h>
#include <string.h>

#include "kernel/check.h"
#include "vmm/hypercall.h"
#include "vmm/test_guest_abi.h"
#include "vmm/vm_run.h"

#define MAX_EXITS   100000 /* the guest needs a few hundred, and its benchmark */
#define BENCH_ITERS 4096   /* its exit benchmark's loop length (vm_bench.h) */

static void checks(const struct vm_run *r)
{
	const uint64_t *x = r->vcpu.exits;

	check(r->done && !r->verdict, "guest.verdict", "%s, verdict %#" PRIx64,
	      r->done	  ? "hypercall exit" :
	      r->stop_why ? r->stop_why :
			    "no exit",
	      r->verdict);
	check(r->hello_seen, "guest.console", "no \"%s\" line on port %#x", TEST_GUEST_HELLO,
	      HC_CONSOLE_PORT);
	check(r->cpuid_exits >= 2 && r->sig_asked && !(r->verdict & TEST_GUEST_FAIL_CPUID_SIG),
	      "guest.cpuid", "%u CPUID exits, signature leaf %s, guest verdict %#" PRIx64,
	      r->cpuid_exits, r->sig_asked ? "asked" : "not asked", r->verdict);
	check(r->probe_reads >= 1 && r->probe_writes == 1 &&
		      !(r->verdict & (TEST_GUEST_FAIL_PROBE_READ | TEST_GUEST_FAIL_PROBE_WRITE)),
	      "guest.outside_ram", "%u reads and %u writes at %#x exited, guest verdict %#" PRIx64,
	      r->probe_reads, r->probe_writes, TEST_GUEST_PROBE_GPA, r->verdict);
	check(r->irq_requests == 4 && r->irq_refused == 1 && !(r->verdict & TEST_GUEST_FAIL_INJECT),
	      "guest.inject", "%u requests, %u refused, guest verdict %#" PRIx64, r->irq_requests,
	      r->irq_refused, r->verdict);
	check(!(r->verdict & TEST_GUEST_FAIL_SHADOW), "guest.shadow", "guest verdict %#" PRIx64,
	      r->verdict);
	check(!x[VCPU_EXIT_EXCEPTION] && !x[VCPU_EXIT_SHUTDOWN] && !x[VCPU_EXIT_ENTRY_FAIL] &&
		      !x[VCPU_EXIT_OTHER] && x[VCPU_EXIT_HYPERCALL] == 1 && x[VCPU_EXIT_IO] > 0,
	      "guest.exits",
	      "exception %" PRIu64 ", shutdown %" PRIu64 ", entry_fail %" PRIu64 ", other %" PRIu64
	      ", hypercall %" PRIu64 ", io %" PRIu64,
	      x[VCPU_EXIT_EXCEPTION], x[VCPU_EXIT_SHUTDOWN], x[VCPU_EXIT_ENTRY_FAIL],
	      x[VCPU_EXIT_OTHER], x[VCPU_EXIT_HYPERCALL], x[VCPU_EXIT_IO]);
}

void vmm_guest_selftest(struct platform *p)
{
	static struct vm_run r;
	int err;

	(void)p;
	err = vm_run_init(&r, "guest0");
	r.bench_iters = BENCH_ITERS;
	if (!err)
		err = vm_run_start(&r);
	if (check(!err, "guest.build", "%s: %d (%s)", r.vm.name, err, r.vm.gmem.why)) {
		vm_run_loop(&r, MAX_EXITS);
		vm_run_summary(&r);
		checks(&r);
	}
	vm_run_destroy(&r);
}
