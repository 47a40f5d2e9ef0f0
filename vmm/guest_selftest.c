// SPDX-License-Identifier: MIT
/*
 * selftest=guest. A VM of 4 MiB RAM (and the MSI window gmem requires) runs the test guest
 * (tests/guests/) on one vCPU of the SVM backend with nested paging. skiff answers its exits:
 * the console port (shown as "[guest] ..." lines), CPUID (skiff's signature at 40000000h, the
 * host's leaves otherwise), EFER (the backend), any other port or MSR (reads as all ones / #GP,
 * logged once), the NPT violation of its probe outside RAM (reads as all ones, writes dropped,
 * logged once) and the HC_EXIT hypercall. Checks:
 *   guest.build          the VM, its nested tables and the vCPU were created;
 *   guest.verdict        the guest reported PASS (0) by hypercall;
 *   guest.console        its greeting arrived through the console port;
 *   guest.cpuid          CPUID exits were handled and the signature leaf was asked;
 *   guest.npt_violation  the probe's read and write exited as MMIO at its address, were
 *                        answered, and the guest saw all ones;
 *   guest.exits          no exception, shutdown, entry failure or unknown exit; one hypercall.
 * A summary line gives the exits by reason.
 */
#include "vmm/guest_selftest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/check.h"
#include "kernel/log.h"
#include "kernel/x86.h"
#include "tests/guests/test_guest.h"
#include "vmm/hypercall.h"
#include "vmm/insn.h"
#include "vmm/svm/svm.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define GPA_BITS	   39
#define MAX_EXITS	   100000 /* the guest needs a few hundred */
#define CONSOLE_LEN	   120
#define LOGGED_PORTS	   8
#define EXC_UD		   6
#define EXC_DF		   8
#define EXC_GP		   13
#define EXC_PF		   14
#define GUEST_EXCEPTIONS   ((1u << EXC_UD) | (1u << EXC_DF) | (1u << EXC_GP) | (1u << EXC_PF))
#define CPUID_1		   1u
#define CPUID_1_ECX_HV	   (1u << 31) /* "running under a hypervisor" */
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_ECX_SVM  (1u << 2)
#define LOW32		   0xffffffffull
#define HIGH32_SHIFT	   32
#define ALL_ONES	   (~0ull)

/* Flat 32-bit segments (VMCB attribute form, vmm/vcpu_state.h): code execute/read accessed,
 * data read/write accessed, both P, S, D/B and G; TR a busy 32-bit TSS; LDTR an LDT. */
#define SEG_CODE32   (0xbu | VCPU_SEG_S | VCPU_SEG_P | VCPU_SEG_DB | VCPU_SEG_G)
#define SEG_DATA32   (0x3u | VCPU_SEG_S | VCPU_SEG_P | VCPU_SEG_DB | VCPU_SEG_G)
#define SEG_TSS_BUSY (0xbu | VCPU_SEG_P)
#define SEG_LDT	     (0x2u | VCPU_SEG_P)
#define SEL_CODE     0x08
#define SEL_DATA     0x10
#define FLAT_LIMIT   0xffffffffu
#define TABLE_LIMIT  0xffffu

extern const uint8_t test_guest_image[], test_guest_image_end[];

struct guest_test {
	struct vm vm;
	struct vcpu_mem mem;
	struct vcpu vcpu;
	bool mem_built, vcpu_created;
	/* what the run saw */
	bool done, hello_seen, sig_asked;
	uint64_t verdict;
	const char *stop_why;
	struct vcpu_exit last;
	unsigned int probe_reads, probe_writes, cpuid_exits;
	uint64_t probe_read_value;
	char line[CONSOLE_LEN + 1];
	unsigned int line_len;
	uint16_t logged_ports[LOGGED_PORTS];
	unsigned int nr_logged_ports;
	bool logged_mmio, logged_msr;
};

static void console_flush(struct guest_test *t)
{
	t->line[t->line_len] = 0;
	log_info("[guest] %s", t->line);
	if (!strcmp(t->line, TEST_GUEST_HELLO))
		t->hello_seen = true;
	t->line_len = 0;
}

static void console_byte(struct guest_test *t, char c)
{
	if (c == '\n') {
		console_flush(t);
		return;
	}
	t->line[t->line_len++] = c;
	if (t->line_len == CONSOLE_LEN)
		console_flush(t);
}

static bool port_logged(struct guest_test *t, uint16_t port)
{
	for (unsigned int i = 0; i < t->nr_logged_ports; i++)
		if (t->logged_ports[i] == port)
			return true;
	if (t->nr_logged_ports < LOGGED_PORTS)
		t->logged_ports[t->nr_logged_ports++] = port;
	return false;
}

static int handle_io(struct guest_test *t, const struct vcpu_exit *e)
{
	struct vcpu *v = &t->vcpu;

	if (e->io.string || e->io.rep) {
		t->stop_why = "string I/O is not emulated";
		return -EOPNOTSUPP;
	}
	if (e->io.port == HC_CONSOLE_PORT && !e->io.in) {
		console_byte(t, (char)v->regs.gpr[VCPU_RAX]);
	} else {
		if (!port_logged(t, e->io.port))
			log_info("%s: no device at port %#x (%s, %u bytes): reads as all ones, "
				 "writes dropped",
				 t->vm.name, e->io.port, e->io.in ? "in" : "out", e->io.size);
		if (e->io.in)
			v->regs.gpr[VCPU_RAX] =
				insn_reg_write(v->regs.gpr[VCPU_RAX], ALL_ONES, e->io.size, false);
	}
	return vcpu_skip(v, e);
}

static int handle_cpuid(struct guest_test *t, const struct vcpu_exit *e)
{
	uint64_t *gpr = t->vcpu.regs.gpr;
	uint32_t leaf = (uint32_t)gpr[VCPU_RAX];
	struct cpuid_regs r;

	t->cpuid_exits++;
	if (leaf == HC_CPUID_LEAF) {
		r = (struct cpuid_regs){ HC_CPUID_LEAF, HC_CPUID_SIG_B, HC_CPUID_SIG_C,
					 HC_CPUID_SIG_D };
		t->sig_asked = true;
	} else {
		r = cpuid(leaf, (uint32_t)gpr[VCPU_RCX]);
		if (leaf == CPUID_1)
			r.ecx |= CPUID_1_ECX_HV;
		if (leaf == CPUID_EXT_FEATURES)
			r.ecx &= ~CPUID_EXT_ECX_SVM; /* no nested virtualisation */
	}
	gpr[VCPU_RAX] = r.eax;
	gpr[VCPU_RBX] = r.ebx;
	gpr[VCPU_RCX] = r.ecx;
	gpr[VCPU_RDX] = r.edx;
	return vcpu_skip(&t->vcpu, e);
}

static int handle_msr(struct guest_test *t, const struct vcpu_exit *e)
{
	uint64_t *gpr = t->vcpu.regs.gpr;
	uint64_t value = (gpr[VCPU_RAX] & LOW32) | (gpr[VCPU_RDX] << HIGH32_SHIFT);
	int err = vcpu_arch_msr(&t->vcpu, e->msr.index, e->msr.write, &value);

	if (err) {
		if (!t->logged_msr)
			log_info("%s: %s of MSR %#x: #GP (skiff virtualises only EFER)", t->vm.name,
				 e->msr.write ? "WRMSR" : "RDMSR", e->msr.index);
		t->logged_msr = true;
		return vcpu_inject_exception(&t->vcpu, EXC_GP, true, 0);
	}
	if (!e->msr.write) {
		gpr[VCPU_RAX] = value & LOW32;
		gpr[VCPU_RDX] = value >> HIGH32_SHIFT;
	}
	return vcpu_skip(&t->vcpu, e);
}

/* An access the CPU view does not map: a hole or emulated MMIO with no model yet. */
static int handle_mmio(struct guest_test *t, const struct vcpu_exit *e)
{
	const struct gmem_range *r = gmem_find(&t->vm.gmem, e->mmio.gpa);
	unsigned int size = 0;
	uint64_t stored = 0;
	int err;

	if (e->mmio.fetch || (r && r->kind != GMEM_MMIO_EMULATED && r->kind != GMEM_MSI &&
			      !(r->kind == GMEM_ROM && e->mmio.write))) {
		t->stop_why = e->mmio.fetch ? "instruction fetch outside the CPU view" :
					      "nested page fault on mapped memory";
		return -EFAULT;
	}
	err = vcpu_mmio_complete(&t->vcpu, e, ALL_ONES, &stored, &size);
	if (err) {
		t->stop_why = "MMIO instruction not emulated";
		return err;
	}
	if (!t->logged_mmio)
		log_info("%s: no device at %#llx (%s, %u bytes, %s): reads as all ones, writes "
			 "dropped",
			 t->vm.name, (unsigned long long)e->mmio.gpa,
			 e->mmio.write ? "write" : "read", size, r ? r->name : "hole");
	t->logged_mmio = true;
	if (e->mmio.gpa == TEST_GUEST_PROBE_GPA) {
		if (e->mmio.write)
			t->probe_writes++;
		else
			t->probe_reads++;
	}
	return 0;
}

static int handle_hypercall(struct guest_test *t, const struct vcpu_exit *e)
{
	uint64_t *gpr = t->vcpu.regs.gpr;

	if (gpr[VCPU_RAX] == HC_EXIT) {
		t->verdict = gpr[VCPU_RBX];
		t->done = true;
		return 0;
	}
	gpr[VCPU_RAX] = (uint64_t)-ENOSYS;
	return vcpu_skip(&t->vcpu, e);
}

static int handle(struct guest_test *t, const struct vcpu_exit *e)
{
	switch (e->reason) {
	case VCPU_EXIT_IO:
		return handle_io(t, e);
	case VCPU_EXIT_CPUID:
		return handle_cpuid(t, e);
	case VCPU_EXIT_MSR:
		return handle_msr(t, e);
	case VCPU_EXIT_MMIO:
		return handle_mmio(t, e);
	case VCPU_EXIT_HYPERCALL:
		return handle_hypercall(t, e);
	case VCPU_EXIT_EXTINT:
		return 0; /* taken by skiff at STGI; the guest goes on */
	case VCPU_EXIT_HLT:
		t->stop_why = "the guest halted without a verdict";
		return -EINTR;
	default:
		t->stop_why = vcpu_exit_name(e->reason);
		return -EINTR;
	}
}

static void log_stop(struct guest_test *t, int err)
{
	const struct vcpu_exit *e = &t->last;

	log_err("%s: stopped: %s (%d) at RIP %#llx: exit %s, code %#llx, info %#llx %#llx",
		t->vm.name, t->stop_why ? t->stop_why : "exit not decoded", err,
		(unsigned long long)t->vcpu.regs.rip, vcpu_exit_name(e->reason),
		(unsigned long long)e->raw, (unsigned long long)e->info1,
		(unsigned long long)e->info2);
	if (e->reason == VCPU_EXIT_EXCEPTION)
		log_err("%s: exception %u, error code %#x, CR2 %#llx", t->vm.name, e->exc.vector,
			e->exc.error, (unsigned long long)e->exc.cr2);
	if (e->reason == VCPU_EXIT_ENTRY_FAIL)
		log_err("%s: entry failed: %s", t->vm.name, e->fail.why);
}

static void run(struct guest_test *t)
{
	int err = 0;

	for (unsigned int n = 0; n < MAX_EXITS && !t->done && !err; n++) {
		err = vcpu_run(&t->vcpu, &t->last);
		if (!err)
			err = handle(t, &t->last);
	}
	if (t->line_len)
		console_flush(t);
	if (err)
		log_stop(t, err);
	else if (!t->done)
		t->stop_why = "no verdict within the exit budget";
}

static void initial_state(struct vcpu_state *s)
{
	const struct vcpu_seg code = { SEL_CODE, SEG_CODE32, FLAT_LIMIT, 0 },
			      data = { SEL_DATA, SEG_DATA32, FLAT_LIMIT, 0 };

	memset(s, 0, sizeof(*s));
	s->regs.rip = TEST_GUEST_LOAD;
	s->regs.rflags = X86_RFLAGS_FIXED;
	s->cr0 = X86_CR0_PE | X86_CR0_ET;
	s->cs = code;
	s->ds = s->es = s->ss = s->fs = s->gs = data;
	s->tr = (struct vcpu_seg){ 0, SEG_TSS_BUSY, TABLE_LIMIT, 0 };
	s->ldtr = (struct vcpu_seg){ 0, SEG_LDT, TABLE_LIMIT, 0 };
	s->gdtr.limit = TABLE_LIMIT;
	s->idtr.limit = TABLE_LIMIT;
}

static int build(struct guest_test *t)
{
	uint64_t size = (uint64_t)(test_guest_image_end - test_guest_image);
	const struct vcpu_cfg cfg = { .exception_bitmap = GUEST_EXCEPTIONS };
	struct vcpu_state s;
	void *load;
	int err = vm_init(&t->vm, "guest0", GPA_BITS);

	if (!err)
		err = vm_add_memory(&t->vm, GMEM_RAM, 0, TEST_GUEST_RAM_SIZE, "ram");
	if (!err)
		err = vm_add_range(&t->vm, GMEM_MSI, GMEM_MSI_BASE, GMEM_MSI_SIZE, GMEM_NO_BACKING,
				   "msi");
	if (!err)
		err = gmem_seal(&t->vm.gmem);
	if (err)
		return err;
	load = vm_host(&t->vm, TEST_GUEST_LOAD, size);
	if (!load)
		return -E2BIG;
	memcpy(load, test_guest_image, size);
	err = vcpu_mem_build(&t->mem, &t->vm, CPU_PGT_NPT, 0);
	if (err)
		return err;
	t->mem_built = true;
	err = vcpu_create(&t->vcpu, &svm_vcpu_ops, &t->vm, &t->mem, &cfg);
	if (err)
		return err;
	t->vcpu_created = true;
	initial_state(&s);
	return vcpu_load_state(&t->vcpu, &s);
}

static void summary(const struct guest_test *t)
{
	char buf[256];
	int n = 0;
	uint64_t total = 0;

	for (unsigned int r = 0; r < VCPU_EXIT_NR_REASONS; r++) {
		total += t->vcpu.exits[r];
		if (t->vcpu.exits[r] && n < (int)sizeof(buf))
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s %" PRIu64,
				      vcpu_exit_name(r), t->vcpu.exits[r]);
	}
	log_info("guest: %s on %s: verdict %#" PRIx64 ", %" PRIu64 " exits:%s", t->vm.name,
		 t->vcpu.ops ? t->vcpu.ops->name : "-", t->verdict, total, n ? buf : " none");
}

static void checks(const struct guest_test *t)
{
	const uint64_t *x = t->vcpu.exits;

	check(t->done && !t->verdict, "guest.verdict", "%s, verdict %#" PRIx64,
	      t->done	  ? "hypercall exit" :
	      t->stop_why ? t->stop_why :
			    "no exit",
	      t->verdict);
	check(t->hello_seen, "guest.console", "no \"%s\" line on port %#x", TEST_GUEST_HELLO,
	      HC_CONSOLE_PORT);
	check(t->cpuid_exits >= 2 && t->sig_asked && !(t->verdict & TEST_GUEST_FAIL_CPUID_SIG),
	      "guest.cpuid", "%u CPUID exits, signature leaf %s, guest verdict %#" PRIx64,
	      t->cpuid_exits, t->sig_asked ? "asked" : "not asked", t->verdict);
	check(t->probe_reads >= 1 && t->probe_writes == 1 &&
		      !(t->verdict & (TEST_GUEST_FAIL_PROBE_READ | TEST_GUEST_FAIL_PROBE_WRITE)),
	      "guest.npt_violation",
	      "%u reads and %u writes at %#x exited, guest verdict %#" PRIx64, t->probe_reads,
	      t->probe_writes, TEST_GUEST_PROBE_GPA, t->verdict);
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
	static struct guest_test t;
	int err;

	(void)p;
	memset(&t, 0, sizeof(t));
	err = build(&t);
	if (check(!err, "guest.build", "%s: %d (%s)", t.vm.name, err, t.vm.gmem.why)) {
		log_info("guest: %s: %u KiB RAM, image %u bytes at %#x, NPT root %#llx (%llu "
			 "tables)",
			 t.vm.name, TEST_GUEST_RAM_SIZE >> 10,
			 (unsigned int)(test_guest_image_end - test_guest_image), TEST_GUEST_LOAD,
			 (unsigned long long)t.mem.pgt.root,
			 (unsigned long long)cpu_pgt_tables(&t.mem.pgt));
		run(&t);
		summary(&t);
		checks(&t);
	}
	if (t.vcpu_created)
		vcpu_destroy(&t.vcpu);
	if (t.mem_built)
		vcpu_mem_destroy(&t.mem);
	vm_destroy(&t.vm);
}
