// SPDX-License-Identifier: MIT
/* The backend-neutral vCPU: see vcpu.h. */
#include "vmm/vcpu.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pmm.h"
#include "kernel/time.h"
#include "vmm/guest_gprs.h"
#include "vmm/guest_walk.h"
#include "vmm/insn.h"

/* The backends' entry code reaches gpr[] through vmm/guest_gprs.h's offsets. */
#define GPR_OFFSET(r) (offsetof(struct vcpu_regs, gpr[r]) - offsetof(struct vcpu_regs, gpr[0]))
_Static_assert(GPR_OFFSET(VCPU_RAX) == GPR_RAX && GPR_OFFSET(VCPU_RCX) == GPR_RCX &&
		       GPR_OFFSET(VCPU_RDX) == GPR_RDX && GPR_OFFSET(VCPU_RBX) == GPR_RBX &&
		       GPR_OFFSET(VCPU_RBP) == GPR_RBP && GPR_OFFSET(VCPU_RSI) == GPR_RSI &&
		       GPR_OFFSET(VCPU_RDI) == GPR_RDI && GPR_OFFSET(VCPU_R8) == GPR_R8 &&
		       GPR_OFFSET(VCPU_R9) == GPR_R9 && GPR_OFFSET(VCPU_R10) == GPR_R10 &&
		       GPR_OFFSET(VCPU_R11) == GPR_R11 && GPR_OFFSET(VCPU_R12) == GPR_R12 &&
		       GPR_OFFSET(VCPU_R13) == GPR_R13 && GPR_OFFSET(VCPU_R14) == GPR_R14 &&
		       GPR_OFFSET(VCPU_R15) == GPR_R15,
	       "vmm/guest_gprs.h matches struct vcpu_regs.gpr");

#define PAGE_SIZE	     0x1000ull
#define LOW32		     0xffffffffull
#define FETCH_ENTRY32	     4u /* a 32-bit paging entry (vmm/guest_walk.h) */
#define VCPU_FETCH_LOG_BURST 8u /* fetch refusals logged a second, as vm_run's guest lines */

static int table_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	return page_alloc_zeroed(pa);
}

static void table_free(void *ctx, uint64_t pa)
{
	(void)ctx;
	pmm_free(&kernel_pmm, pa, 1);
}

/* skiff's memory is identity-mapped (kernel/mm/mm.h). */
static uint64_t *table_at(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)pa;
}

int vcpu_mem_build(struct vcpu_mem *m, const struct vm *vm, enum cpu_pgt_format format,
		   uint32_t features)
{
	const struct cpu_pgt_ops ops = { .alloc_table = table_alloc,
					 .free_table = table_free,
					 .table = table_at };
	const struct cpu_pgt_cfg cfg = { .format = format, .features = features };
	int err = cpu_view_derive(&vm->gmem, &m->view);

	if (!err)
		err = cpu_pgt_create(&m->pgt, &cfg, &ops);
	if (err)
		return err;
	err = cpu_pgt_build(&m->pgt, &m->view);
	if (err)
		cpu_pgt_destroy(&m->pgt);
	return err;
}

void vcpu_mem_destroy(struct vcpu_mem *m)
{
	cpu_pgt_destroy(&m->pgt);
}

int vcpu_create(struct vcpu *v, const struct vcpu_ops *ops, struct vm *vm, struct vcpu_mem *mem,
		const struct vcpu_cfg *cfg)
{
	memset(v, 0, sizeof(*v));
	log_limit_init(&v->fetch_log, VCPU_FETCH_LOG_BURST);
	v->ops = ops;
	v->vm = vm;
	v->mem = mem;
	v->cfg = *cfg;
	vcpu_dr_reset(&v->dr);
	return ops->create(v);
}

int vcpu_load_state(struct vcpu *v, const struct vcpu_state *s)
{
	v->regs = s->regs;
	v->regs.rflags |= X86_RFLAGS_FIXED;
	v->events = (struct vcpu_events){ 0 };
	v->redeliver = false;
	vcpu_dr_reset(&v->dr);
	return v->ops->load_state(v, s);
}

static enum insn_mode mode_of(const struct vcpu_paging *pg)
{
	return insn_mode_of(pg->efer & X86_EFER_LMA, pg->cs_attrib & VCPU_SEG_L,
			    pg->cs_attrib & VCPU_SEG_DB);
}

/* skiff runs little-endian, as the guest's tables are. */
static int read_entry(void *ctx, uint64_t gpa, unsigned int size, uint64_t *e)
{
	const void *p = vm_host(ctx, gpa, size);

	if (!p)
		return -EFAULT;
	*e = size == FETCH_ENTRY32 ? *(const uint32_t *)p : *(const uint64_t *)p;
	return 0;
}

/* What the guest would take where skiff could not read its code (guest_walk()'s errors). */
static const char *fetch_refusal(int err)
{
	switch (err) {
	case -ENOENT:
		return "a paging entry is not present (#PF)";
	case -ERANGE:
		return "a paging entry has a reserved bit set (#PF, RSVD)";
	case -EINVAL:
		return "the address is not canonical (#GP)";
	case -EOPNOTSUPP:
		return "no paging mode matches CR0, CR4 and EFER";
	default:
		return "the guest's page tables or code are outside its memory";
	}
}

/* One line for a fetch the guest's state refused, within the vCPU's rate limit. */
static void log_fetch_refused(struct vcpu *v, uint64_t la, int err)
{
	uint64_t missed;

	if (!log_limit_allow(&v->fetch_log, time_ns(), &missed))
		return;
	if (missed)
		log_info("%s: %" PRIu64 " instruction fetch lines not shown", v->vm->name, missed);
	log_info("%s: code at RIP %#llx (linear %#llx) not read: %s (%d)", v->vm->name,
		 (unsigned long long)v->regs.rip, (unsigned long long)la, fetch_refusal(err), err);
}

int vcpu_fetch_insn(struct vcpu *v, uint8_t *buf, unsigned int max)
{
	bool long_la = mode_of(&v->paging) == INSN_MODE_64;
	uint64_t la = v->regs.rip, gpa;
	unsigned int got = 0;

	/* Outside 64-bit mode the linear address is CS.base + EIP, 32 bits, and wraps. */
	if (!long_la)
		la = (la + v->paging.cs_base) & LOW32;
	if (max > INSN_MAX_LEN)
		max = INSN_MAX_LEN;
	while (got < max) {
		uint64_t at = long_la ? la + got : (la + got) & LOW32;
		unsigned int n = (unsigned int)(PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		const uint8_t *src;
		int err = guest_walk(&v->paging, at, read_entry, v->vm, &gpa);

		if (n > max - got)
			n = max - got;
		src = err ? NULL : vm_host(v->vm, gpa, n);
		if (!src && got)
			return (int)got;
		if (!src) {
			err = err ? err : -EFAULT;
			log_fetch_refused(v, at, err);
			return err;
		}
		memcpy(buf + got, src, n);
		got += n;
	}
	return (int)got;
}

static int decode_at_rip(struct vcpu *v, struct insn *in)
{
	uint8_t code[INSN_MAX_LEN];
	int n = vcpu_fetch_insn(v, code, sizeof(code));

	return n < 0 ? n : insn_decode(code, (unsigned int)n, mode_of(&v->paging), in);
}

/* The instruction kinds an intercepted-instruction exit may come from. */
static bool insn_exit_matches(enum vcpu_insn which, enum insn_kind k)
{
	switch (which) {
	case VCPU_INSN_WBINVD:
		return k == INSN_WBINVD || k == INSN_WBNOINVD;
	case VCPU_INSN_INVD:
		return k == INSN_INVD;
	case VCPU_INSN_MONITOR:
		return k == INSN_MONITOR || k == INSN_MONITORX;
	case VCPU_INSN_MWAIT:
		return k == INSN_MWAIT || k == INSN_MWAITX;
	case VCPU_INSN_RDPMC:
		return k == INSN_RDPMC;
	case VCPU_INSN_RDPRU:
		return k == INSN_RDPRU;
	case VCPU_INSN_INVLPGA:
		return k == INSN_INVLPGA;
	default:
		return false;
	}
}

/* The instruction kinds each instruction exit may come from. */
static bool insn_matches(const struct vcpu_exit *e, enum insn_kind k)
{
	switch (e->reason) {
	case VCPU_EXIT_INSN:
		return insn_exit_matches(e->insn.which, k);
	case VCPU_EXIT_IO:
		return k == INSN_IN || k == INSN_OUT || k == INSN_INS || k == INSN_OUTS;
	case VCPU_EXIT_CPUID:
		return k == INSN_CPUID;
	case VCPU_EXIT_MSR:
		return k == (e->msr.write ? INSN_WRMSR : INSN_RDMSR);
	case VCPU_EXIT_HLT:
		return k == INSN_HLT;
	case VCPU_EXIT_HYPERCALL:
		return k == INSN_VMMCALL || k == INSN_VMCALL;
	default:
		return false;
	}
}

int vcpu_run(struct vcpu *v, struct vcpu_exit *e)
{
	bool held = v->events.held.valid;
	struct insn in;
	int err = v->ops->run(v, e);

	if (err)
		return err;
	/*
	 * The backend re-queued the event whose delivery the exit interrupted in events.inject, or,
	 * with none, moved a held exception there (vcpu_event_exit()): that one stays held behind
	 * an interrupted event, and is gone from events.held when it moved.
	 */
	v->redeliver = v->events.inject.valid && (!held || v->events.held.valid);
	v->exits[e->reason]++;
	if (!vcpu_exit_is_insn(e) || e->insn_len)
		return 0;
	err = decode_at_rip(v, &in);
	if (!err && !insn_matches(e, in.kind))
		err = -EILSEQ;
	if (err)
		return err;
	e->insn_len = in.len;
	return 0;
}

int vcpu_skip(struct vcpu *v, const struct vcpu_exit *e)
{
	if (!e->insn_len)
		return -EINVAL;
	v->regs.rip += e->insn_len;
	return v->ops->insn_retired(v);
}

int vcpu_arch_msr(struct vcpu *v, uint32_t index, bool write, uint64_t *value)
{
	return v->ops->arch_msr(v, index, write, value);
}

int vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	return vcpu_event_exception(&v->events, vector, has_error, error);
}

int vcpu_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	return v->ops->inject_interrupt ? v->ops->inject_interrupt(v, vector) : -EOPNOTSUPP;
}

int vcpu_mmio_complete(struct vcpu *v, const struct vcpu_exit *e, uint64_t value, uint64_t *stored,
		       unsigned int *size)
{
	struct insn in;
	int err = decode_at_rip(v, &in);

	if (err)
		return err;
	if (in.kind == INSN_MOV_LOAD && !e->mmio.write) {
		v->regs.gpr[in.reg] = insn_reg_write(v->regs.gpr[in.reg], value, in.size, in.high8);
	} else if ((in.kind == INSN_MOV_STORE || in.kind == INSN_MOV_STORE_IMM) && e->mmio.write) {
		if (stored)
			*stored = in.kind == INSN_MOV_STORE_IMM ?
					  insn_reg_read(in.imm, in.size, false) :
					  insn_reg_read(v->regs.gpr[in.reg], in.size, in.high8);
	} else {
		return -EOPNOTSUPP;
	}
	if (size)
		*size = in.size;
	v->regs.rip += in.len;
	return v->ops->insn_retired(v);
}

int vcpu_dr_exit(struct vcpu *v, const struct vcpu_exit *e)
{
	uint64_t *reg = &v->regs.gpr[e->dr.gpr % VCPU_NR_GPRS], value = *reg;
	bool long_mode = v->paging.efer & X86_EFER_LMA;

	switch (vcpu_dr_mov(&v->dr, e->dr.dr, e->dr.write, &value, v->paging.cpl, v->paging.cr4)) {
	case VCPU_DR_UD:
		return vcpu_inject_exception(v, X86_EXC_UD, false, 0);
	case VCPU_DR_GP:
		return vcpu_inject_exception(v, X86_EXC_GP, true, 0);
	case VCPU_DR_DB:
		return vcpu_inject_exception(v, X86_EXC_DB, false, 0);
	case VCPU_DR_DONE:
		break;
	}
	/* Outside 64-bit mode MOV DR moves 32 bits and zero-extends (SDM vol. 2B "MOV DR"). */
	if (!e->dr.write)
		*reg = long_mode ? value : (uint32_t)value;
	return vcpu_skip(v, e);
}

int vcpu_reflect_exception(struct vcpu *v, const struct vcpu_exit *e)
{
	struct vcpu_event *first = &v->events.inject;
	int err;

	if (e->exc.vector == X86_EXC_DB)
		vcpu_dr_debug_exception(&v->dr, e->exc.dr6);
	if (e->insn_len) {
		err = vcpu_skip(v, e);
		if (err)
			return err;
	}
	if (v->redeliver && first->type == VCPU_EVENT_EXCEPTION &&
	    vcpu_event_decide(first, e->exc.vector) == VCPU_EVENT_ACT_HOLD)
		*first = (struct vcpu_event){ 0 };
	v->redeliver = false;
	return vcpu_inject_exception(v, e->exc.vector, e->exc.has_error, e->exc.error);
}

void vcpu_destroy(struct vcpu *v)
{
	uint64_t missed = log_limit_flush(&v->fetch_log);

	if (missed)
		log_info("%s: %" PRIu64 " instruction fetch lines not shown", v->vm->name, missed);
	if (v->ops)
		v->ops->destroy(v);
	v->ops = NULL;
}
