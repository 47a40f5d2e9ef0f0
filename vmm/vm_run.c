// SPDX-License-Identifier: MIT
/* Running the test guest: see vm_run.h. */
#include "vmm/vm_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/arch/x86/msi.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/log.h"
#include "kernel/time.h"
#include "kernel/arch/x86/x86.h"
#include "vmm/hypercall.h"
#include "vmm/insn.h"
#include "vmm/test_guest_abi.h"
#include "vmm/vm_bench.h"
#include "vmm/svm/svm.h"
#include "vmm/vmx/vmx.h"

#define GPA_BITS 39
/*
 * The guest exceptions that exit, only to be reflected into the guest (handle_exception()): #DB
 * and #AC, whose delivery can raise the same exception again without end - a data breakpoint on
 * the stack #DB's own frame is pushed to (CVE-2015-8104), an #AC handler at CPL 3 on a
 * misaligned stack (CVE-2015-5307) - a loop inside the CPU that no host interrupt breaks
 * (XSA-156). Intercepted, each round is an exit and skiff keeps the CPU. Nothing else exits:
 * #UD, #GP and #PF are a guest kernel's daily business and its own to handle (with nested
 * paging skiff keeps no shadow page tables, and it emulates no instruction a #UD or #GP would
 * stand for), and so is #DF - a fault while delivering it is a triple fault, which exits as a
 * shutdown.
 */
#define GUEST_EXCEPTIONS       ((1u << X86_EXC_DB) | (1u << X86_EXC_AC))
#define IRQ_VECTOR_MIN	       32 /* 0-31 are the exceptions' vectors (SDM vol. 3A 6.3.1) */
#define LOG_LINE_MAX	       192
#define CPUID_1		       1u
#define CPUID_1_ECX_MONITOR    (1u << 3)
#define CPUID_1_ECX_VMX	       (1u << 5)
#define CPUID_1_ECX_HV	       (1u << 31) /* "running under a hypervisor" */
#define CPUID_PMU	       0xau /* architectural performance monitoring (SDM vol. 3B 20.2) */
#define CPUID_XSAVE	       0xdu
#define CPUID_XSAVE_EXT	       1u
#define CPUID_XSAVE_EAX_XSAVES (1u << 3)
#define CPUID_EXT_FEATURES     0x80000001u
#define CPUID_EXT_ECX_SVM      (1u << 2)
#define CPUID_EXT_ECX_MWAITX   (1u << 29)
#define CPUID_EXT_ECX_PERFCTR  (1u << 23) /* PerfCtrExtCore (APM vol. 3 E.4.2) */
#define CPUID_ADDR_SIZES       0x80000008u
#define CPUID_ADDR_EBX_RDPRU   (1u << 4)
#define LOW32		       0xffffffffull
#define HIGH32_SHIFT	       32
#define ALL_ONES	       (~0ull)

/* Flat 32-bit segments (VMCB attribute form, vmm/vcpu_state.h): code execute/read accessed,
 * data read/write accessed, both P, S, D/B and G; TR a busy 32-bit TSS; LDTR an LDT. */

extern const uint8_t test_guest_image[], test_guest_image_end[];

static const char *const log_kinds[VM_RUN_LOG_NR] = {
	[VM_RUN_LOG_PORT] = "port",
	[VM_RUN_LOG_MSR] = "MSR",
	[VM_RUN_LOG_MMIO] = "MMIO",
	[VM_RUN_LOG_CONSOLE] = "console",
};

/* A line the guest caused, of kind @k: shown within its rate limit, after the number of lines of
 * that kind not shown before it. */
static void __attribute__((format(printf, 3, 4)))
guest_log(struct vm_run *r, enum vm_run_log k, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	uint64_t missed;
	va_list ap;

	if (!log_limit_allow(&r->log[k], time_ns(), &missed))
		return;
	if (missed)
		log_info("%s: %" PRIu64 " %s lines not shown", r->vm.name, missed, log_kinds[k]);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_info("%s", line);
}

/* Is @key among the first VM_RUN_LOGGED of kind @k logged (then it is not logged again)? Each
 * new one is noted while there is room; past that every key is logged (rate-limited). */
static bool logged_before(struct vm_run *r, enum vm_run_log k, uint64_t key)
{
	struct vm_run_logged *l = &r->logged[k];

	for (unsigned int i = 0; i < l->n; i++)
		if (l->key[i] == key)
			return true;
	if (l->n < VM_RUN_LOGGED)
		l->key[l->n++] = key;
	return false;
}

static void console_flush(struct vm_run *r)
{
	r->line[r->line_len] = 0;
	guest_log(r, VM_RUN_LOG_CONSOLE, "[guest] %s", r->line);
	if (!strcmp(r->line, TEST_GUEST_HELLO))
		r->hello_seen = true;
	r->line_len = 0;
}

static void console_byte(struct vm_run *r, char c)
{
	if (c == '\n') {
		console_flush(r);
		return;
	}
	r->line[r->line_len++] = c;
	if (r->line_len == VM_RUN_CONSOLE_LEN)
		console_flush(r);
}

/*
 * The test guest asks for an interrupt (OUT of the vector) and reads the result back (IN). A
 * vector below 32 is refused with -EINVAL: those are the exceptions' (an "interrupt" there
 * would run an exception handler without the error code it pops), and a local APIC refuses
 * 0-15 as illegal vectors too (SDM vol. 3A 11.5.3).
 */
static int irq_request(struct vm_run *r, const struct vcpu_exit *e)
{
	uint64_t *rax = &r->vcpu.regs.gpr[VCPU_RAX];
	uint8_t vector = (uint8_t)*rax;

	if (e->io.in) {
		*rax = insn_reg_write(*rax, (uint32_t)r->irq_status, e->io.size, false);
	} else {
		r->irq_status =
			vector < IRQ_VECTOR_MIN ? -EINVAL : vcpu_inject_interrupt(&r->vcpu, vector);
		r->irq_requests++;
		if (r->irq_status)
			r->irq_refused++;
	}
	return vcpu_skip(&r->vcpu, e);
}

/* The attack's name, one character per IN, then zeros (TEST_GUEST_ATTACK_PORT). */
static int attack_name(struct vm_run *r, const struct vcpu_exit *e)
{
	uint64_t *rax = &r->vcpu.regs.gpr[VCPU_RAX];
	char c = 0;

	if (e->io.in && r->attack && r->attack[r->attack_pos])
		c = r->attack[r->attack_pos++];
	if (e->io.in)
		*rax = insn_reg_write(*rax, (uint8_t)c, e->io.size, false);
	return vcpu_skip(&r->vcpu, e);
}

static int handle_io(struct vm_run *r, const struct vcpu_exit *e)
{
	struct vcpu *v = &r->vcpu;
	int err;

	if (e->io.string || e->io.rep) {
		r->stop_why = "string I/O is not emulated";
		return -EOPNOTSUPP;
	}
	if (e->io.port == HC_CONSOLE_PORT && !e->io.in) {
		console_byte(r, (char)v->regs.gpr[VCPU_RAX]);
		return vcpu_skip(v, e);
	}
	if (e->io.port == TEST_GUEST_IRQ_PORT)
		return irq_request(r, e);
	if (e->io.port == TEST_GUEST_BENCH_PORT)
		return vm_bench_io(r, e);
	if (e->io.port == TEST_GUEST_ATTACK_PORT)
		return attack_name(r, e);
	err = r->io ? r->io(r, e) : -ENOENT;
	if (err != -ENOENT)
		return err ? err : vcpu_skip(v, e);
	if (!logged_before(r, VM_RUN_LOG_PORT, e->io.port))
		guest_log(r, VM_RUN_LOG_PORT,
			  "%s: no device at port %#x (%s, %u bytes): reads as all ones, writes "
			  "dropped",
			  r->vm.name, e->io.port, e->io.in ? "in" : "out", e->io.size);
	if (e->io.in)
		v->regs.gpr[VCPU_RAX] =
			insn_reg_write(v->regs.gpr[VCPU_RAX], ALL_ONES, e->io.size, false);
	return vcpu_skip(v, e);
}

static int handle_cpuid(struct vm_run *r, const struct vcpu_exit *e)
{
	uint64_t *gpr = r->vcpu.regs.gpr;
	uint32_t leaf = (uint32_t)gpr[VCPU_RAX];
	struct cpuid_regs c;

	r->cpuid_exits++;
	if (leaf == HC_CPUID_LEAF) {
		c = (struct cpuid_regs){ HC_CPUID_LEAF_INSN, HC_CPUID_SIG_B, HC_CPUID_SIG_C,
					 HC_CPUID_SIG_D };
		r->sig_asked = true;
	} else if (leaf == HC_CPUID_LEAF_INSN) {
		c = (struct cpuid_regs){ r->vcpu.ops->hypercall_insn, 0, 0, 0 };
	} else {
		c = cpuid(leaf, (uint32_t)gpr[VCPU_RCX]);
		/*
		 * No nested virtualisation on either backend: neither VMX nor SVM is shown. Nor is
		 * what the backends intercept to refuse (vcpu_exit.h, enum vcpu_insn): MONITOR /
		 * MWAIT(X), performance counters, RDPRU; nor XSAVES, whose IA32_XSS is the host's.
		 */
		if (leaf == CPUID_1)
			c.ecx = (c.ecx | CPUID_1_ECX_HV) & ~(CPUID_1_ECX_VMX | CPUID_1_ECX_MONITOR);
		if (leaf == CPUID_PMU)
			c = (struct cpuid_regs){ 0, 0, 0, 0 };
		if (leaf == CPUID_XSAVE && (uint32_t)gpr[VCPU_RCX] == CPUID_XSAVE_EXT)
			c.eax &= ~CPUID_XSAVE_EAX_XSAVES;
		if (leaf == CPUID_EXT_FEATURES)
			c.ecx &=
				~(CPUID_EXT_ECX_SVM | CPUID_EXT_ECX_MWAITX | CPUID_EXT_ECX_PERFCTR);
		if (leaf == CPUID_ADDR_SIZES)
			c.ebx &= ~CPUID_ADDR_EBX_RDPRU;
	}
	gpr[VCPU_RAX] = c.eax;
	gpr[VCPU_RBX] = c.ebx;
	gpr[VCPU_RCX] = c.ecx;
	gpr[VCPU_RDX] = c.edx;
	return vcpu_skip(&r->vcpu, e);
}

static int handle_msr(struct vm_run *r, const struct vcpu_exit *e)
{
	uint64_t *gpr = r->vcpu.regs.gpr;
	uint64_t value = (gpr[VCPU_RAX] & LOW32) | (gpr[VCPU_RDX] << HIGH32_SHIFT);
	int err = vcpu_arch_msr(&r->vcpu, e->msr.index, e->msr.write, &value);

	if (err) {
		if (!logged_before(r, VM_RUN_LOG_MSR, e->msr.index))
			guest_log(r, VM_RUN_LOG_MSR,
				  "%s: %s of MSR %#x: #GP (skiff virtualises only EFER)",
				  r->vm.name, e->msr.write ? "WRMSR" : "RDMSR", e->msr.index);
		return vcpu_inject_exception(&r->vcpu, X86_EXC_GP, true, 0);
	}
	if (!e->msr.write) {
		gpr[VCPU_RAX] = value & LOW32;
		gpr[VCPU_RDX] = value >> HIGH32_SHIFT;
	}
	return vcpu_skip(&r->vcpu, e);
}

/*
 * An access the CPU view does not map: a hole or emulated MMIO with no model yet. Only an
 * instruction's own access is emulated, by completing the MOV at RIP. An access the CPU made on
 * its own - walking the guest's page tables, or delivering an event (IDT, GDT, stack) - stops
 * the guest instead: there is no instruction to complete (the MOV at RIP, if any, is not what
 * exited, and completing it would be wrong emulation), and the fault the guest would see on
 * hardware cannot be made up faithfully - a walk through all-ones entries is a reserved-bit #PF
 * at a linear address the SVM exit does not report, an IDT read as all ones escalates to #DF
 * and shutdown. A guest whose tables or IDT lie outside its memory is broken; KVM also ends
 * such a run (KVM_INTERNAL_ERROR_DELIVERY_EV for MMIO met during event delivery).
 */
static int handle_mmio(struct vm_run *r, const struct vcpu_exit *e)
{
	const struct gmem_range *g = gmem_find(&r->vm.gmem, e->mmio.gpa);
	unsigned int size = 0;
	uint64_t stored = 0;
	int err;

	if (e->mmio.delivery || e->mmio.paging_walk) {
		r->stop_why = e->mmio.delivery ? VM_RUN_STOP_DELIVERY : VM_RUN_STOP_WALK;
		r->stop_refused = true;
		return -EFAULT;
	}
	if (e->mmio.fetch || (g && g->kind != GMEM_MMIO_EMULATED && g->kind != GMEM_MSI &&
			      !(g->kind == GMEM_ROM && e->mmio.write))) {
		r->stop_why = e->mmio.fetch ? "instruction fetch outside the CPU view" :
					      "nested page fault on mapped memory";
		return -EFAULT;
	}
	err = vcpu_mmio_complete(&r->vcpu, e, ALL_ONES, &stored, &size);
	if (err) {
		r->stop_why = "MMIO instruction not emulated";
		return err;
	}
	if (!logged_before(r, VM_RUN_LOG_MMIO, e->mmio.gpa))
		guest_log(r, VM_RUN_LOG_MMIO,
			  "%s: no device at %#llx (%s, %u bytes, %s): reads as all ones, writes "
			  "dropped",
			  r->vm.name, (unsigned long long)e->mmio.gpa,
			  e->mmio.write ? "write" : "read", size, g ? g->name : "hole");
	if (e->mmio.gpa == TEST_GUEST_PROBE_GPA) {
		if (e->mmio.write)
			r->probe_writes++;
		else
			r->probe_reads++;
	}
	return 0;
}

/* Is the guest in 64-bit mode (IA-32e mode with a 64-bit code segment, SDM vol. 3A 2.2.1)? */
static bool in_64bit_mode(const struct vcpu_paging *pg)
{
	return (pg->efer & X86_EFER_LMA) && (pg->cs_attrib & VCPU_SEG_L);
}

/*
 * The hypercall ABI (vmm/hypercall.h) is the guest kernel's: from CPL 1-3 every call is refused
 * with -EPERM in RAX and changes nothing, so that no guest process can end the VM with a
 * verdict of its choice (KVM's kvm_emulate_hypercall() answers -KVM_EPERM above CPL 0 the same
 * way). Outside 64-bit mode only the low 32 bits of RAX and RBX are the guest's (the upper
 * halves are undefined after leaving 64-bit mode, SDM vol. 1 3.4.1.1), as KVM reads them too.
 */
static int handle_hypercall(struct vm_run *r, const struct vcpu_exit *e)
{
	uint64_t *gpr = r->vcpu.regs.gpr;
	uint64_t now = time_ns(), nr = gpr[VCPU_RAX], arg = gpr[VCPU_RBX];

	if (!in_64bit_mode(&r->vcpu.paging)) {
		nr = (uint32_t)nr;
		arg = (uint32_t)arg;
	}
	if (r->vcpu.paging.cpl) {
		r->hc_refused++;
		gpr[VCPU_RAX] = (uint64_t)-EPERM;
		return vcpu_skip(&r->vcpu, e);
	}
	switch (nr) {
	case HC_EXIT:
		r->verdict = arg;
		r->done = true;
		return 0;
	case TEST_GUEST_HC_WINDOW:
		if (arg == TEST_GUEST_WINDOW_OPEN && !r->in_window) {
			r->windows++;
			r->window_ns -= now;
		} else if (arg != TEST_GUEST_WINDOW_OPEN && r->in_window) {
			r->window_ns += now;
		}
		r->in_window = arg == TEST_GUEST_WINDOW_OPEN;
		gpr[VCPU_RAX] = 0;
		break;
	default:
		gpr[VCPU_RAX] = (uint64_t)-ENOSYS;
	}
	return vcpu_skip(&r->vcpu, e);
}

/* An instruction that must not run natively: what CPUID promises (vcpu_exit.h, vcpu_insn). */
static int handle_insn(struct vm_run *r, const struct vcpu_exit *e)
{
	r->insn_exits[e->insn.which < VCPU_INSN_NR ? e->insn.which : 0]++;
	switch (e->insn.which) {
	case VCPU_INSN_WBINVD:
	case VCPU_INSN_INVD:
		return vcpu_skip(&r->vcpu, e);
	case VCPU_INSN_RDPMC:
		return vcpu_inject_exception(&r->vcpu, X86_EXC_GP, true, 0);
	default:
		return vcpu_inject_exception(&r->vcpu, X86_EXC_UD, false, 0);
	}
}

/* An exception skiff intercepts only to reflect it (GUEST_EXCEPTIONS). */
static int handle_exception(struct vm_run *r, const struct vcpu_exit *e)
{
	int err;

	if (e->exc.vector < VM_RUN_EXC_VECTORS)
		r->reflected[e->exc.vector]++;
	err = vcpu_reflect_exception(&r->vcpu, e);
	if (err == -ENOTRECOVERABLE)
		r->stop_why = "triple fault: an exception while #DF was being delivered";
	else if (err)
		r->stop_why = "exception not reflected";
	return err;
}

static int handle(struct vm_run *r, const struct vcpu_exit *e)
{
	switch (e->reason) {
	case VCPU_EXIT_IO:
		return handle_io(r, e);
	case VCPU_EXIT_CPUID:
		return handle_cpuid(r, e);
	case VCPU_EXIT_MSR:
		return handle_msr(r, e);
	case VCPU_EXIT_MMIO:
		return handle_mmio(r, e);
	case VCPU_EXIT_HYPERCALL:
		return handle_hypercall(r, e);
	case VCPU_EXIT_EXTINT:
		return 0; /* taken by skiff at STGI; the guest goes on */
	case VCPU_EXIT_IRQ_WINDOW:
		return 0; /* the backend injects the waiting interrupt at the next entry */
	case VCPU_EXIT_NMI:
		return 0; /* the backend handed it to the host; the guest goes on */
	case VCPU_EXIT_DR:
		return vcpu_dr_exit(&r->vcpu, e);
	case VCPU_EXIT_INSN:
		return handle_insn(r, e);
	case VCPU_EXIT_EXCEPTION:
		return handle_exception(r, e);
	case VCPU_EXIT_HLT:
		r->stop_why = "the guest halted without a verdict";
		return -EINTR;
	default:
		r->stop_why = vcpu_exit_name(e->reason);
		return -EINTR;
	}
}

/* Why the run stopped: an error line, or an info line when skiff refused what the guest did. */
static void log_stop(struct vm_run *r, int err)
{
	const struct vcpu_exit *e = &r->last;

	log_msg(r->stop_refused ? LOG_INFO : LOG_ERROR,
		"%s: stopped: %s (%d) at RIP %#llx: exit %s, code %#llx, info %#llx %#llx",
		r->vm.name, r->stop_why ? r->stop_why : "exit not decoded", err,
		(unsigned long long)r->vcpu.regs.rip, vcpu_exit_name(e->reason),
		(unsigned long long)e->raw, (unsigned long long)e->info1,
		(unsigned long long)e->info2);
	if (r->stop_refused && e->reason == VCPU_EXIT_MMIO)
		log_info("%s: refused: an access to guest-physical %#llx", r->vm.name,
			 (unsigned long long)e->mmio.gpa);
	if (e->reason == VCPU_EXIT_EXCEPTION)
		log_err("%s: exception %u, error code %#x, CR2 %#llx", r->vm.name, e->exc.vector,
			e->exc.error, (unsigned long long)e->exc.cr2);
	if (e->reason == VCPU_EXIT_ENTRY_FAIL)
		log_err("%s: entry failed: %s", r->vm.name, e->fail.why);
}

/* The window's own closing hypercall is not an exit the DMA caused. */
static bool window_closing(const struct vm_run *r, const struct vcpu_exit *e)
{
	return e->reason == VCPU_EXIT_HYPERCALL &&
	       r->vcpu.regs.gpr[VCPU_RAX] == TEST_GUEST_HC_WINDOW;
}

void vm_run_loop(struct vm_run *r, unsigned int max_exits)
{
	uint64_t start = time_ns();
	int err = 0;

	for (unsigned int n = 0; n < max_exits && !r->done && !err; n++) {
		if (r->before_entry)
			r->before_entry(r);
		err = vcpu_run(&r->vcpu, &r->last);
		if (!err && r->in_window && !window_closing(r, &r->last))
			r->window_exits[r->last.reason]++;
		if (!err)
			err = handle(r, &r->last);
	}
	r->run_ns = time_ns() - start;
	if (r->line_len)
		console_flush(r);
	for (unsigned int k = 0; k < VM_RUN_LOG_NR; k++) {
		uint64_t missed = log_limit_flush(&r->log[k]);

		if (missed)
			log_info("%s: %" PRIu64 " %s lines not shown", r->vm.name, missed,
				 log_kinds[k]);
	}
	if (err)
		log_stop(r, err);
	else if (!r->done)
		r->stop_why = VM_RUN_STOP_BUDGET;
}

static void initial_state(struct vcpu_state *s)
{
	vcpu_state_flat32(s, TEST_GUEST_LOAD);
}

int vm_run_init(struct vm_run *r, const char *name)
{
	int err;

	memset(r, 0, sizeof(*r));
	for (unsigned int k = 0; k < VM_RUN_LOG_NR; k++)
		log_limit_init(&r->log[k],
			       k == VM_RUN_LOG_CONSOLE ? VM_RUN_CONSOLE_BURST : VM_RUN_LOG_BURST);
	err = vm_init(&r->vm, name, GPA_BITS);
	if (!err)
		err = vm_add_memory(&r->vm, GMEM_RAM, 0, TEST_GUEST_RAM_SIZE, "ram");
	if (!err)
		err = vm_add_range(&r->vm, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING,
				   "msi");
	return err;
}

/* The backend of this CPU: VMX with EPT when it has VMX (Intel), else SVM with nested paging. */
static int pick_backend(const struct vcpu_ops **ops, enum cpu_pgt_format *format,
			uint32_t *features)
{
	struct cpu_info ci;
	int err;

	cpu_identify(&ci);
	if (!ci.vmx) {
		*ops = &svm_vcpu_ops;
		*format = CPU_PGT_NPT;
		*features = 0;
		return 0;
	}
	err = vmx_enable();
	if (err)
		return err;
	*ops = &vmx_vcpu_ops;
	*format = CPU_PGT_EPT;
	*features = vmx_cpu_pgt_features();
	return 0;
}

int vm_run_start(struct vm_run *r)
{
	uint64_t size = (uint64_t)(test_guest_image_end - test_guest_image);
	const struct vcpu_cfg cfg = { .exception_bitmap = GUEST_EXCEPTIONS };
	const struct vcpu_ops *ops;
	enum cpu_pgt_format format;
	struct vcpu_state s;
	uint32_t features;
	void *load;
	int err = r->vm.gmem.sealed ? 0 : gmem_seal(&r->vm.gmem);

	if (err)
		return err;
	load = vm_host(&r->vm, TEST_GUEST_LOAD, size);
	if (!load)
		return -E2BIG;
	memcpy(load, test_guest_image, size);
	err = pick_backend(&ops, &format, &features);
	if (err)
		return err;
	err = vcpu_mem_build(&r->mem, &r->vm, format, features);
	if (err)
		return err;
	r->mem_built = true;
	err = vcpu_create(&r->vcpu, ops, &r->vm, &r->mem, &cfg);
	if (err)
		return err;
	r->vcpu_created = true;
	initial_state(&s);
	err = vcpu_load_state(&r->vcpu, &s);
	if (!err)
		log_info("guest: %s on %s: %u KiB RAM, image %u bytes at %#x, %s root %#llx (%llu "
			 "tables)",
			 r->vm.name, ops->name, TEST_GUEST_RAM_SIZE >> 10, (unsigned int)size,
			 TEST_GUEST_LOAD, format == CPU_PGT_EPT ? "EPT" : "NPT",
			 (unsigned long long)r->mem.pgt.root,
			 (unsigned long long)cpu_pgt_tables(&r->mem.pgt));
	return err;
}

uint64_t vm_run_exits(const uint64_t exits[VCPU_EXIT_NR_REASONS], char *buf, unsigned int size)
{
	uint64_t total = 0;
	unsigned int n = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < VCPU_EXIT_NR_REASONS; i++) {
		total += exits[i];
		if (exits[i] && n < size)
			n += (unsigned int)snprintf(buf + n, size - n, "%s%s %" PRIu64,
						    n ? " " : "", vcpu_exit_name(i), exits[i]);
	}
	return total;
}

void vm_run_summary(const struct vm_run *r)
{
	char buf[256];
	uint64_t total = vm_run_exits(r->vcpu.exits, buf, sizeof(buf));

	unsigned int n = 0;
	uint64_t hidden = 0;

	log_info("guest: %s on %s: verdict %#" PRIx64 ", %" PRIu64 " exits: %s", r->vm.name,
		 r->vcpu.ops ? r->vcpu.ops->name : "-", r->verdict, total, total ? buf : "none");
	buf[0] = 0;
	for (unsigned int v = 0; v < VM_RUN_EXC_VECTORS; v++)
		if (r->reflected[v] && n < sizeof(buf))
			n += (unsigned int)snprintf(buf + n, sizeof(buf) - n, " %u: %u", v,
						    r->reflected[v]);
	for (unsigned int k = 0; k < VM_RUN_LOG_NR; k++)
		hidden += r->log[k].suppressed;
	if (!n && !hidden && !r->hc_refused)
		return;
	log_info(
		"guest: %s: exceptions reflected by vector:%s; hypercalls refused above CPL 0: %u; "
		"log lines not shown: port %" PRIu64 ", MSR %" PRIu64 ", MMIO %" PRIu64
		", console %" PRIu64,
		r->vm.name, n ? buf : " none", r->hc_refused, r->log[VM_RUN_LOG_PORT].suppressed,
		r->log[VM_RUN_LOG_MSR].suppressed, r->log[VM_RUN_LOG_MMIO].suppressed,
		r->log[VM_RUN_LOG_CONSOLE].suppressed);
}

void vm_run_destroy(struct vm_run *r)
{
	if (r->vcpu_created)
		vcpu_destroy(&r->vcpu);
	if (r->mem_built)
		vcpu_mem_destroy(&r->mem);
	r->vcpu_created = r->mem_built = false;
	vm_destroy(&r->vm);
}
