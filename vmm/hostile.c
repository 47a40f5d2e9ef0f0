// SPDX-License-Identifier: MIT
/* selftest=hostile: see hostile.h. */
#include "vmm/hostile.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/check.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/options.h"
#include "vmm/host_state.h"
#include "vmm/vm_run.h"

#define MAX_EXITS    20000 /* an attack needs a few hundred; a livelock is cut here */
#define ALIVE_US     10000 /* how long a self-IPI may take to arrive after the guest */
#define WHY_LEN	     256
#define CHECK_NAME   48
#define HCUSER_CALLS 2 /* the hypercalls attack_hcuser.c makes at CPL 3 */

/* How a run under attack must end. */
enum hostile_end {
	HOSTILE_VERDICT, /* the guest reports verdict 0: it saw skiff contain the attack */
	HOSTILE_STOPPED, /* skiff stops the guest (exit budget): it would loop forever */
	HOSTILE_REFUSED, /* skiff stops the guest for what it refuses to do (the judge: why) */
};

struct hostile_attack {
	const char *name;     /* the guest's GUEST_ATTACK() name */
	unsigned int finding; /* the hostile-guest review's finding (docs/security.md) */
	enum hostile_end end;
	/* optional: what else the attack's run must show; false with @why filled */
	bool (*judge)(const struct vm_run *r, char *why, unsigned int size);
};

/* "insn": WBINVD and INVD completed as no-ops, which the guest cannot tell from running them
 * natively: each must have exited. */
static bool judge_insn(const struct vm_run *r, char *why, unsigned int size)
{
	if (r->insn_exits[VCPU_INSN_WBINVD] == 1 && r->insn_exits[VCPU_INSN_INVD] == 1)
		return true;
	snprintf(why, size, "WBINVD exited %u time(s), INVD %u (expected once each)",
		 r->insn_exits[VCPU_INSN_WBINVD], r->insn_exits[VCPU_INSN_INVD]);
	return false;
}

/* Were most exits, and all exception exits, reflections of exception @vector? */
static bool reflections_of(const struct vm_run *r, unsigned int vector, char *why,
			   unsigned int size)
{
	char buf[WHY_LEN];
	uint64_t total = vm_run_exits(r->vcpu.exits, buf, sizeof(buf));
	unsigned int n = r->reflected[vector];

	if (n == r->vcpu.exits[VCPU_EXIT_EXCEPTION] && 2 * (uint64_t)n > total)
		return true;
	snprintf(why, size, "%u reflections of exception %u in %" PRIu64 " exits (%s)", n, vector,
		 total, buf);
	return false;
}

/* "db": the #DB loop was a stream of #DB exits, each reflected. */
static bool judge_db(const struct vm_run *r, char *why, unsigned int size)
{
	return reflections_of(r, X86_EXC_DB, why, size);
}

/* "ac": the #AC loop was a stream of #AC exits, each reflected. */
static bool judge_ac(const struct vm_run *r, char *why, unsigned int size)
{
	return reflections_of(r, X86_EXC_AC, why, size);
}

/*
 * "flood": skiff's rate limits held back most of what the guest caused, of each kind: at least
 * half of its accesses to distinct ports, MSRs and MMIO addresses, and half of its console lines
 * (TEST_GUEST_FLOOD_CONSOLE / 2 of them), were counted as not shown.
 */
static bool judge_flood(const struct vm_run *r, char *why, unsigned int size)
{
	static const unsigned int caused[VM_RUN_LOG_NR] = {
		[VM_RUN_LOG_PORT] = TEST_GUEST_FLOOD_PORTS,
		[VM_RUN_LOG_MSR] = TEST_GUEST_FLOOD_MSRS,
		[VM_RUN_LOG_MMIO] = TEST_GUEST_FLOOD_MMIO,
		[VM_RUN_LOG_CONSOLE] = TEST_GUEST_FLOOD_CONSOLE / 2,
	};

	for (unsigned int k = 0; k < VM_RUN_LOG_NR; k++) {
		if (2 * r->log[k].suppressed < caused[k]) {
			snprintf(why, size, "log kind %u: %" PRIu64 " of %u lines not shown", k,
				 r->log[k].suppressed, caused[k]);
			return false;
		}
	}
	return true;
}

/* "hcuser": both hypercalls from CPL 3 were refused, and the window call opened no window. */
static bool judge_hcuser(const struct vm_run *r, char *why, unsigned int size)
{
	if (r->hc_refused != HCUSER_CALLS || r->windows) {
		snprintf(why, size, "%u of %u hypercalls at CPL 3 refused, %u windows opened",
			 r->hc_refused, HCUSER_CALLS, r->windows);
		return false;
	}
	return true;
}

/* clang-format off */
static const struct hostile_attack attacks[] = {
	{ "cr8",   1, HOSTILE_VERDICT, NULL },
	{ "dr",    2, HOSTILE_VERDICT, NULL },
	{ "insn",  6, HOSTILE_VERDICT, judge_insn },
	{ "msrs",  8, HOSTILE_VERDICT, NULL },
	{ "db",    2, HOSTILE_STOPPED, judge_db },
	{ "ac",    2, HOSTILE_STOPPED, judge_ac },
	{ "intn",  9, HOSTILE_VERDICT, NULL },
	{ "flood", 5, HOSTILE_VERDICT, judge_flood },
	{ "hcuser", 7, HOSTILE_VERDICT, judge_hcuser },
	{ "efer",  9, HOSTILE_VERDICT, NULL },
	/* last: without skiff's software debug registers QEMU aborts on its breakpoint */
	{ "dbbp",  2, HOSTILE_STOPPED, judge_db },
};
/* clang-format on */

static bool ended_as_expected(const struct hostile_attack *a, const struct vm_run *r, char *why,
			      unsigned int size)
{
	if (a->end == HOSTILE_REFUSED) {
		if (!r->done && r->stop_refused)
			return true;
		snprintf(why, size, "expected skiff to refuse and stop the guest, got: %s",
			 r->done     ? "a verdict" :
			 r->stop_why ? r->stop_why :
				       "no stop");
		return false;
	}
	if (a->end == HOSTILE_VERDICT) {
		if (r->done && !r->verdict)
			return true;
		snprintf(why, size, "%s, guest verdict %#" PRIx64,
			 r->done     ? "guest reported" :
			 r->stop_why ? r->stop_why :
				       "no verdict",
			 r->verdict);
		return false;
	}
	if (!r->done && r->stop_why && !strcmp(r->stop_why, VM_RUN_STOP_BUDGET))
		return true;
	snprintf(why, size, "expected skiff to stop the guest at its exit budget, got: %s",
		 r->done     ? "a verdict" :
		 r->stop_why ? r->stop_why :
			       "no stop");
	return false;
}

static void run_attack(const struct hostile_attack *a)
{
	static struct vm_run r;
	struct host_state before, after;
	char why[WHY_LEN], diff[WHY_LEN], name[CHECK_NAME];
	int err;
	bool ok;

	snprintf(name, sizeof(name), "hostile.%s", a->name);
	err = vm_run_init(&r, "hostile0");
	r.attack = a->name;
	if (!err)
		err = vm_run_start(&r);
	if (err) {
		check(false, name, "%s: %d (%s)", r.vm.name, err, r.vm.gmem.why);
		vm_run_destroy(&r);
		return;
	}
	log_info("hostile: attack %s (finding %u) in %s", a->name, a->finding, r.vm.name);
	host_state_save(&before);
	vm_run_loop(&r, MAX_EXITS);
	host_state_save(&after);
	vm_run_summary(&r);
	if (r.done && r.verdict == TEST_GUEST_ATTACK_NOT_HERE) {
		check_skip(name, "this CPU cannot mount the attack (the guest's lines say why)");
		vm_run_destroy(&r);
		return;
	}
	why[0] = 0;
	ok = ended_as_expected(a, &r, why, sizeof(why));
	if (ok && host_state_diff(&before, &after, diff, sizeof(diff))) {
		snprintf(why, sizeof(why), "host state changed: %s", diff);
		ok = false;
	}
	if (ok && !host_irq_alive(ALIVE_US)) {
		snprintf(why, sizeof(why), "a self-IPI did not arrive within %u us after the guest",
			 ALIVE_US);
		ok = false;
	}
	if (ok && a->judge)
		ok = a->judge(&r, why, sizeof(why));
	check(ok, name, "%s", why);
	vm_run_destroy(&r);
}

/* Is @name in the comma-separated @list? */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list && *list) {
		size_t len = strcspn(list, ",");

		if (len == n && !strncmp(list, name, n))
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

void vmm_hostile_selftest(struct platform *p)
{
	const char *only = cmdline_get(options_cmdline(), "hostile");

	(void)p;
	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
		if (!only || listed(only, attacks[i].name))
			run_attack(&attacks[i]);
}
