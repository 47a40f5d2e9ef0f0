/* SPDX-License-Identifier: MIT */
/*
 * The exit round-trip benchmark of a test-guest run (vmm/vm_run.h, tests/guests/bench.c): the
 * guest reads the iteration count on TEST_GUEST_BENCH_PORT (r->bench_iters; 0: no benchmark)
 * and times three loops of that length with RDTSC, which neither backend intercepts (the guest
 * reads the host's TSC): one without exits, one of CPUID exits through skiff's full dispatch
 * (vm_run_loop(): vcpu_run() with its counting and, on SVM without next-RIP save, the decode of
 * the instruction; the exit handler; vcpu_skip()), and one of CPUID exits on a minimal resume
 * path (the backend's run and RIP += 2, nothing else). It hands each count of TSC cycles to
 * skiff in RBX with an OUT of the loop's code; skiff logs the figures. Timings are reported,
 * never judged. Kernel only.
 */
#ifndef SKIFF_VMM_VM_BENCH_H
#define SKIFF_VMM_VM_BENCH_H

#include "vmm/vm_run.h"

/*
 * vm_bench_io - answer the guest's port exit @e on TEST_GUEST_BENCH_PORT: an IN reads
 * r->bench_iters; an OUT of TEST_GUEST_BENCH_{BARE,FULL,MIN} records RBX's cycles (the last one
 * logs the figures), and TEST_GUEST_BENCH_MIN_START runs the next r->bench_iters CPUID exits on
 * the minimal resume path (host interrupts in between are let through). Completes the
 * instruction. Returns 0, -EPROTO (another exit on the minimal path or an unknown code: the run
 * stops, r->stop_why says why) or vcpu_skip() / the backend's error.
 */
int vm_bench_io(struct vm_run *r, const struct vcpu_exit *e);

#endif
