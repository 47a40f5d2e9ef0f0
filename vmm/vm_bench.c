// SPDX-License-Identifier: MIT
/* The exit round-trip benchmark: see vm_bench.h. */
#include "vmm/vm_bench.h"

#include <errno.h>
#include <inttypes.h>

#include "kernel/log.h"
#include "kernel/time.h"
#include "vmm/insn.h"
#include "vmm/test_guest_abi.h"

#define CPUID_LEN  2 /* 0F A2 */
#define BYTE_MASK  0xffu
#define MILLI	   1000u
#define PS_PER_US  1000000u /* picoseconds per microsecond: ps = millicycles * 10^6 / kHz */
#define HZ_PER_KHZ 1000u
#define TENTHS	   10u
#define PS_PER_NS  1000u

/* The backend's run and RIP past the CPUID, for r->bench_iters CPUID exits. */
static int minimal_resume(struct vm_run *r)
{
	struct vcpu *v = &r->vcpu;
	struct vcpu_exit *e = &r->last;

	for (uint32_t n = 0; n < r->bench_iters;) {
		int err = v->ops->run(v, e);

		if (err)
			return err;
		v->exits[e->reason]++;
		if (e->reason == VCPU_EXIT_EXTINT)
			continue;
		if (e->reason != VCPU_EXIT_CPUID) {
			r->stop_why = "bench: an exit other than CPUID on the minimal resume path";
			return -EPROTO;
		}
		v->regs.rip += CPUID_LEN;
		n++;
	}
	return 0;
}

/* @cycles per iteration in picoseconds at the TSC rate @khz. */
static uint64_t ps_each(uint64_t cycles, uint32_t n, uint64_t khz)
{
	return khz ? cycles * MILLI / n * PS_PER_US / khz : 0;
}

static void report(const struct vm_run *r)
{
	const uint64_t *c = r->bench_cycles;
	uint32_t n = r->bench_iters;
	uint64_t khz = time_tsc_hz() / HZ_PER_KHZ;
	uint64_t bare = ps_each(c[TEST_GUEST_BENCH_BARE], n, khz),
		 full = ps_each(c[TEST_GUEST_BENCH_FULL], n, khz),
		 min = ps_each(c[TEST_GUEST_BENCH_MIN], n, khz);
	uint64_t ratio = c[TEST_GUEST_BENCH_BARE] ?
				 c[TEST_GUEST_BENCH_FULL] * TENTHS / c[TEST_GUEST_BENCH_BARE] :
				 0;

	log_info("bench: %s on %s: %" PRIu32 " iterations, TSC %" PRIu64 " kHz", r->vm.name,
		 r->vcpu.ops->name, n, khz);
	log_info("bench:   CPUID exit, full dispatch   %" PRIu64 " cycles, %" PRIu64 ".%03" PRIu64
		 " us each",
		 c[TEST_GUEST_BENCH_FULL] / n, full / PS_PER_US, full % PS_PER_US / PS_PER_NS);
	log_info("bench:   CPUID exit, minimal resume  %" PRIu64 " cycles, %" PRIu64 ".%03" PRIu64
		 " us each",
		 c[TEST_GUEST_BENCH_MIN] / n, min / PS_PER_US, min % PS_PER_US / PS_PER_NS);
	log_info("bench:   bare loop, no exit         %" PRIu64 " cycles, %" PRIu64 ".%03" PRIu64
		 " ns each",
		 c[TEST_GUEST_BENCH_BARE] / n, bare / PS_PER_NS, bare % PS_PER_NS);
	log_info("bench:   exit loop / bare loop      %" PRIu64 ".%" PRIu64 "x", ratio / TENTHS,
		 ratio % TENTHS);
}

int vm_bench_io(struct vm_run *r, const struct vcpu_exit *e)
{
	struct vcpu *v = &r->vcpu;
	uint64_t code = v->regs.gpr[VCPU_RAX] & BYTE_MASK;
	int err;

	if (e->io.in) {
		v->regs.gpr[VCPU_RAX] =
			insn_reg_write(v->regs.gpr[VCPU_RAX], r->bench_iters, e->io.size, false);
		return vcpu_skip(v, e);
	}
	switch (code) {
	case TEST_GUEST_BENCH_BARE:
	case TEST_GUEST_BENCH_FULL:
	case TEST_GUEST_BENCH_MIN:
		r->bench_cycles[code] = v->regs.gpr[VCPU_RBX];
		if (code == TEST_GUEST_BENCH_MIN && r->bench_iters)
			report(r);
		return vcpu_skip(v, e);
	case TEST_GUEST_BENCH_MIN_START:
		err = vcpu_skip(v, e);
		return err ? err : minimal_resume(r);
	default:
		r->stop_why = "bench: unknown code on the benchmark port";
		return -EPROTO;
	}
}
