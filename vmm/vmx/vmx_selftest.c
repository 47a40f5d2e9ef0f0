// SPDX-License-Identifier: MIT
/* selftest=vmx: see vmx_selftest.h. */
#include "vmm/vmx/vmx_selftest.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "kernel/arch/x86/msi.h"
#include "kernel/check.h"
#include "kernel/log.h"
#include "vmm/hypercall.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx.h"

#define GPA_BITS     39
#define ALL_ONES32   0xffffffffull
#define OUT_IMM8_LEN 2	/* E6 ib */
#define CPUID_LEN    2	/* 0F A2 */
#define VMCALL_LEN   3	/* 0F 01 C1 */
#define HLT_LEN	     1	/* F4 */
#define PDE_SHIFT    22 /* 32-bit paging: linear bits 31:22 index the page directory (vol. 3A 4.3) */
#define PDE_SIZE     4

/* Flat 32-bit segments (vmm/vcpu_state.h form): code execute/read accessed, data read/write
 * accessed, both P, S, D/B and G; TR a busy 32-bit TSS; LDTR an LDT; the IDT in the hole. */

extern const uint8_t vmx_tiny_guest[], vmx_tiny_guest_end[];

struct vmx_test {
	struct vm vm;
	struct vcpu_mem mem;
	struct vcpu vcpu;
	bool mem_built, vcpu_created;
};

static void initial_state(struct vcpu_state *s)
{
	vcpu_state_flat32(s, VMX_TINY_LOAD);
	s->idtr.base = VMX_TINY_IDT;
}

static int build(struct vmx_test *t)
{
	uint64_t size = (uint64_t)(vmx_tiny_guest_end - vmx_tiny_guest);
	const struct vcpu_cfg cfg = { .exception_bitmap = 0 };
	struct vcpu_state s;
	void *load;
	int err = vm_init(&t->vm, "vmx0", GPA_BITS);

	if (!err)
		err = vm_add_memory(&t->vm, GMEM_RAM, 0, VMX_TINY_RAM, "ram");
	if (!err)
		err = vm_add_range(&t->vm, GMEM_MSI, X86_MSI_BASE, X86_MSI_SIZE, GMEM_NO_BACKING,
				   "msi");
	if (!err)
		err = gmem_seal(&t->vm.gmem);
	if (err)
		return err;
	load = vm_host(&t->vm, VMX_TINY_LOAD, size);
	if (!load)
		return -E2BIG;
	memcpy(load, vmx_tiny_guest, size);
	err = vcpu_mem_build(&t->mem, &t->vm, CPU_PGT_EPT, vmx_cpu_pgt_features());
	if (err)
		return err;
	t->mem_built = true;
	err = vcpu_create(&t->vcpu, &vmx_vcpu_ops, &t->vm, &t->mem, &cfg);
	if (err)
		return err;
	t->vcpu_created = true;
	initial_state(&s);
	return vcpu_load_state(&t->vcpu, &s);
}

/* Run to the next exit; false (with a FAIL line for @name) when it is not @reason. */
static bool run_to(struct vmx_test *t, struct vcpu_exit *e, enum vcpu_exit_reason reason,
		   const char *name)
{
	int err = vcpu_run(&t->vcpu, e);

	if (!err && e->reason == reason)
		return true;
	check(false, name,
	      "vcpu_run %d, exit %s (raw %#" PRIx64 ", qualification %#" PRIx64 ") at RIP %#" PRIx64
	      ", expected %s",
	      err, vcpu_exit_name(e->reason), e->raw, e->info1, t->vcpu.regs.rip,
	      vcpu_exit_name(reason));
	return false;
}

static bool check_mmio(struct vmx_test *t, struct vcpu_exit *e, bool write, const char *name)
{
	uint64_t stored = 0;
	int err;

	if (!run_to(t, e, VCPU_EXIT_MMIO, name))
		return false;
	err = vcpu_mmio_complete(&t->vcpu, e, ALL_ONES32, &stored, NULL);
	return check(!err && e->mmio.gpa == VMX_TINY_PROBE && e->mmio.write == write &&
			     !e->mmio.fetch && !e->mmio.paging_walk && !e->mmio.delivery &&
			     (!write || stored == VMX_TINY_STORE),
		     name,
		     "completion %d, GPA %#" PRIx64
		     " write %d fetch %d walk %d delivery %d stored %#" PRIx64,
		     err, e->mmio.gpa, e->mmio.write, e->mmio.fetch, e->mmio.paging_walk,
		     e->mmio.delivery, stored);
}

static void run_guest(struct vmx_test *t)
{
	uint64_t *gpr = t->vcpu.regs.gpr;
	struct vcpu_exit e;

	if (!run_to(t, &e, VCPU_EXIT_IO, "vmx.io") ||
	    !check(e.io.port == HC_CONSOLE_PORT && !e.io.in && e.io.size == 1 &&
			   e.insn_len == OUT_IMM8_LEN && (uint8_t)gpr[VCPU_RAX] == VMX_TINY_CHAR,
		   "vmx.io", "port %#x in %d size %u length %u AL %#x", e.io.port, e.io.in,
		   e.io.size, e.insn_len, (unsigned int)(uint8_t)gpr[VCPU_RAX]) ||
	    vcpu_skip(&t->vcpu, &e))
		return;
	if (!run_to(t, &e, VCPU_EXIT_CPUID, "vmx.cpuid") ||
	    !check(gpr[VCPU_RAX] == 0 && e.insn_len == CPUID_LEN, "vmx.cpuid",
		   "leaf %#" PRIx64 ", length %u", gpr[VCPU_RAX], e.insn_len) ||
	    vcpu_skip(&t->vcpu, &e))
		return;
	if (!check_mmio(t, &e, false, "vmx.ept_read") || !check_mmio(t, &e, true, "vmx.ept_write"))
		return;
	if (!run_to(t, &e, VCPU_EXIT_HYPERCALL, "vmx.hypercall") ||
	    !check(gpr[VCPU_RAX] == HC_EXIT && gpr[VCPU_RBX] == ALL_ONES32 &&
			   e.insn_len == VMCALL_LEN,
		   "vmx.hypercall", "RAX %#" PRIx64 " RBX %#" PRIx64 " length %u", gpr[VCPU_RAX],
		   gpr[VCPU_RBX], e.insn_len) ||
	    vcpu_skip(&t->vcpu, &e))
		return;
	if (run_to(t, &e, VCPU_EXIT_HLT, "vmx.hlt"))
		check(e.insn_len == HLT_LEN, "vmx.hlt", "length %u", e.insn_len);
}

/* One delivery of the injected vector: an EPT violation reading its gate, RIP at @rip. */
static bool gate_read(struct vmx_test *t, uint64_t rip, const char *name)
{
	const uint64_t gate = VMX_TINY_IDT + VMX_TINY_VECTOR * VMX_TINY_GATE;
	struct vcpu_exit e;

	return run_to(t, &e, VCPU_EXIT_MMIO, name) &&
	       check(e.mmio.gpa == gate && !e.mmio.write && e.mmio.delivery &&
			     !e.mmio.paging_walk && t->vcpu.regs.rip == rip,
		     name,
		     "GPA %#" PRIx64 " (gate %#" PRIx64
		     ") write %d delivery %d walk %d, RIP %#" PRIx64 " (HLT at %#" PRIx64 ")",
		     e.mmio.gpa, gate, e.mmio.write, e.mmio.delivery, e.mmio.paging_walk,
		     t->vcpu.regs.rip, rip);
}

/* After the HLT exit (RIP still at HLT): an interrupt whose delivery exits, delivered again. */
static void injection(struct vmx_test *t)
{
	uint64_t hlt = t->vcpu.regs.rip;
	int err;

	t->vcpu.regs.rflags |= X86_RFLAGS_IF;
	err = vcpu_inject_interrupt(&t->vcpu, VMX_TINY_VECTOR);
	if (err)
		check(false, "vmx.inject", "vcpu_inject_interrupt: %d", err);
	else if (gate_read(t, hlt, "vmx.inject"))
		gate_read(t, hlt, "vmx.reinject");
}

/*
 * The guest starts with 32-bit paging on and its page directory at VMX_TINY_PGDIR, in the hole:
 * its first fetch walks the directory, and the CPU's read of the PDE is an EPT violation on a
 * guest paging-structure entry (qualification bit 7 set, bit 8 clear), not an access of an
 * instruction.
 */
static void page_walk(struct vmx_test *t)
{
	const uint64_t pde = VMX_TINY_PGDIR + (VMX_TINY_LOAD >> PDE_SHIFT) * PDE_SIZE;
	struct vcpu_exit e;
	struct vcpu_state s;
	int err;

	initial_state(&s);
	s.cr0 |= X86_CR0_PG;
	s.cr3 = VMX_TINY_PGDIR;
	err = vcpu_load_state(&t->vcpu, &s);
	if (err)
		check(false, "vmx.ept_walk", "vcpu_load_state: %d", err);
	else if (run_to(t, &e, VCPU_EXIT_MMIO, "vmx.ept_walk"))
		check(e.mmio.gpa == pde && e.mmio.paging_walk && !e.mmio.delivery &&
			      !e.mmio.fetch && t->vcpu.regs.rip == VMX_TINY_LOAD,
		      "vmx.ept_walk",
		      "GPA %#" PRIx64 " (PDE %#" PRIx64
		      ") walk %d delivery %d fetch %d, RIP %#" PRIx64,
		      e.mmio.gpa, pde, e.mmio.paging_walk, e.mmio.delivery, e.mmio.fetch,
		      t->vcpu.regs.rip);
}

/* A TR marked unusable breaks a guest-state check (27.3.1.2): exit reason 33 with bit 31. */
static void entry_failure(struct vmx_test *t)
{
	struct vcpu_exit e;
	struct vcpu_state s;
	int err;

	initial_state(&s);
	s.tr.attrib = 0;
	err = vcpu_load_state(&t->vcpu, &s);
	if (!err)
		err = vcpu_run(&t->vcpu, &e);
	check(!err && e.reason == VCPU_EXIT_ENTRY_FAIL &&
		      e.raw == (EXIT_REASON_ENTRY_FAIL | EXIT_INVALID_GUEST_STATE),
	      "vmx.entry_fail", "error %d, exit %s, raw %#" PRIx64, err, vcpu_exit_name(e.reason),
	      err ? 0 : e.raw);
}

void vmx_selftest(struct platform *p)
{
	static struct vmx_test t;
	int err;

	(void)p;
	memset(&t, 0, sizeof(t));
	if (!check(!vmx_enable(), "vmx.enable", "see the vmx: line above"))
		return;
	err = build(&t);
	if (check(!err, "vmx.build", "%s: %d (%s)", t.vm.name, err, t.vm.gmem.why)) {
		run_guest(&t);
		injection(&t);
		page_walk(&t);
		entry_failure(&t);
		log_info("vmx: %s: exits io %" PRIu64 " cpuid %" PRIu64 " mmio %" PRIu64
			 " hypercall %" PRIu64 " hlt %" PRIu64 " entry_fail %" PRIu64,
			 t.vm.name, t.vcpu.exits[VCPU_EXIT_IO], t.vcpu.exits[VCPU_EXIT_CPUID],
			 t.vcpu.exits[VCPU_EXIT_MMIO], t.vcpu.exits[VCPU_EXIT_HYPERCALL],
			 t.vcpu.exits[VCPU_EXIT_HLT], t.vcpu.exits[VCPU_EXIT_ENTRY_FAIL]);
	}
	if (t.vcpu_created)
		vcpu_destroy(&t.vcpu);
	if (t.mem_built)
		vcpu_mem_destroy(&t.mem);
	vm_destroy(&t.vm);
}
