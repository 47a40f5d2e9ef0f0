// SPDX-License-Identifier: MIT
/* The SVM backend: see svm.h. */
#include "vmm/svm/svm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pmm.h"
#include "kernel/arch/x86/x86.h"
#include "vmm/insn.h"
#include "vmm/npt.h"
#include "vmm/svm/svm_event.h"
#include "vmm/svm/svm_exit.h"
#include "vmm/svm/svm_vmcb.h"
#include "vmm/vcpu_efer.h"

/* CPUID (APM vol. 3 appendix E). */
#define CPUID_EXT_MAX		     0x80000000u
#define CPUID_EXT_FEATURES	     0x80000001u
#define CPUID_EXT_ECX_SVM	     (1u << 2)
#define CPUID_ADDR_SIZES	     0x80000008u
#define CPUID_PA_BITS_MASK	     0xffu
#define CPUID_VA_BITS_SHIFT	     8 /* EAX 15:8: linear-address width */
#define CPUID_VA_BITS_MASK	     0xffu
#define CPUID_SVM		     0x8000000au
#define CPUID_SVM_EDX_NP	     (1u << 0)
#define CPUID_SVM_EDX_NRIPS	     (1u << 3)
#define CPUID_SVM_EDX_DECODE_ASSISTS (1u << 7)

/* MSRs (APM vol. 2 15.30). */
#define MSR_VM_CR	0xc0010114u
#define VM_CR_SVMDIS	(1ull << 4)
#define MSR_VM_HSAVE_PA 0xc0010117u

#define MAX_ASIDS   64 /* skiff's ASID bitmap; ASID 0 is the host's */
#define IOPM_PAGES  (SVM_IOPM_SIZE / PMM_FRAME_SIZE)
#define MSRPM_PAGES (SVM_MSRPM_SIZE / PMM_FRAME_SIZE)
#define PERM_ALL    0xff		  /* every port / MSR intercepted */
#define PAT_RESET   0x0007040600070406ull /* APM vol. 2 7.8.2: WB WT UC- UC, twice */
#define DR6_RESET   0xffff0ff0ull
#define DR7_RESET   0x400ull
#define SEG_DPL(a)  (((a) >> SVM_ATTR_DPL_SHIFT) & 3u)

/*
 * Besides what skiff emulates (CPUID, I/O, MSRs, ...), the instructions that must not run
 * natively in a guest (vmm/vcpu_exit.h, enum vcpu_insn): INVD, WBINVD / WBNOINVD, RDPMC, RDPRU,
 * INVLPGA, MONITOR(X) and MWAIT(X) armed or not (15.9, table 15-7), and every MOV DR0-DR7
 * (vmm/vcpu_dr.h: DR0-DR3 are not switched by VMRUN and #VMEXIT).
 */
#define MISC1_INTERCEPTS                                                                          \
	(SVM_INTERCEPT1_INTR | SVM_INTERCEPT1_NMI | SVM_INTERCEPT1_SMI | SVM_INTERCEPT1_INIT |    \
	 SVM_INTERCEPT1_RDPMC | SVM_INTERCEPT1_CPUID | SVM_INTERCEPT1_INVD | SVM_INTERCEPT1_HLT | \
	 SVM_INTERCEPT1_INVLPGA | SVM_INTERCEPT1_IOIO | SVM_INTERCEPT1_MSR |                      \
	 SVM_INTERCEPT1_TASKSW | SVM_INTERCEPT1_SHUTDOWN)
#define MISC2_INTERCEPTS                                                             \
	(SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL | SVM_INTERCEPT2_VMLOAD |     \
	 SVM_INTERCEPT2_VMSAVE | SVM_INTERCEPT2_STGI | SVM_INTERCEPT2_CLGI |         \
	 SVM_INTERCEPT2_SKINIT | SVM_INTERCEPT2_WBINVD | SVM_INTERCEPT2_MONITOR |    \
	 SVM_INTERCEPT2_MWAIT | SVM_INTERCEPT2_MWAIT_ARMED | SVM_INTERCEPT2_XSETBV | \
	 SVM_INTERCEPT2_RDPRU)

_Static_assert(VCPU_SEG_L == SVM_ATTR_L && VCPU_SEG_DB == SVM_ATTR_DB && VCPU_SEG_P == SVM_ATTR_P,
	       "vcpu_seg attributes are the VMCB's");

/* svm_entry.S */
void svm_vmrun(uint64_t *gpr, uint64_t vmcb_pa, uint64_t host_save_pa);

/* This CPU's SVM state (skiff runs guests on the boot CPU). */
static struct {
	bool enabled;
	struct svm_caps caps;
	unsigned int va_bits; /* linear-address width, for canonical MSR values */
	uint32_t nasid;
	uint64_t host_save_pa; /* VMSAVE area for the host's FS, GS, TR, LDTR, syscall MSRs */
	uint64_t asids;	       /* bit n: ASID n in use */
} cpu;

/*
 * A failed VMRUN is reported from a copy of the VMCB taken before it: an emulator may write its
 * own state into the VMCB on VMEXIT_INVALID (QEMU 10 does), hiding what was refused. The copy is
 * taken only when skiff changed the guest state since the last entry (@dirty): state the CPU
 * itself saved at an exit is state it accepts again, and the registers skiff writes at every
 * exit (RAX, RSP, RIP, RFLAGS) are not among VMRUN's checks.
 */
struct svm_vcpu {
	uint8_t *vmcb, *snapshot;
	uint64_t vmcb_pa, snapshot_pa, iopm_pa, msrpm_pa;
	uint32_t asid;
	bool flush; /* flush the TLB at the next VMRUN (new nested tables) */
	bool dirty; /* skiff wrote guest state: snapshot before the next VMRUN */
};

int svm_enable(void)
{
	struct cpuid_regs feat;
	uint64_t hsave;
	uint32_t sizes;

	if (cpu.enabled)
		return 0;
	if (cpuid(CPUID_EXT_MAX, 0).eax < CPUID_SVM ||
	    !(cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_EXT_ECX_SVM)) {
		log_err("svm: the CPU has no SVM (CPUID 8000_0001h ECX bit 2)");
		return -ENODEV;
	}
	feat = cpuid(CPUID_SVM, 0);
	if (!(feat.edx & CPUID_SVM_EDX_NP)) {
		log_err("svm: no nested paging (CPUID 8000_000Ah EDX bit 0)");
		return -ENODEV;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		log_err("svm: SVM is disabled by the firmware (VM_CR.SVMDIS)");
		return -ENODEV;
	}
	if (page_alloc_zeroed(&hsave) || page_alloc_zeroed(&cpu.host_save_pa))
		return -ENOMEM;
	cpu.caps.nrips = feat.edx & CPUID_SVM_EDX_NRIPS;
	cpu.caps.decode_assists = feat.edx & CPUID_SVM_EDX_DECODE_ASSISTS;
	cpu.nasid = feat.ebx;
	sizes = cpuid(CPUID_ADDR_SIZES, 0).eax;
	cpu.caps.pa_bits = sizes & CPUID_PA_BITS_MASK;
	cpu.va_bits = (sizes >> CPUID_VA_BITS_SHIFT) & CPUID_VA_BITS_MASK;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | SVM_EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hsave);
	cpu.enabled = true;
	log_info("svm: enabled: %u ASIDs, nested paging, next-RIP save %s, decode assists %s, "
		 "MAXPHYADDR %u",
		 cpu.nasid, cpu.caps.nrips ? "yes" : "no (skiff decodes)",
		 cpu.caps.decode_assists ? "yes" : "no (skiff decodes)", cpu.caps.pa_bits);
	return 0;
}

bool svm_nrips(void)
{
	return cpu.caps.nrips;
}

static int asid_alloc(uint32_t *asid)
{
	for (uint32_t a = 1; a < MAX_ASIDS && a < cpu.nasid; a++) {
		if (!(cpu.asids & (1ull << a))) {
			cpu.asids |= 1ull << a;
			*asid = a;
			return 0;
		}
	}
	return -ENOSPC;
}

static void svm_free(struct svm_vcpu *s)
{
	if (s->vmcb_pa)
		pmm_free(&kernel_pmm, s->vmcb_pa, 1);
	if (s->snapshot_pa)
		pmm_free(&kernel_pmm, s->snapshot_pa, 1);
	if (s->iopm_pa)
		pmm_free(&kernel_pmm, s->iopm_pa, IOPM_PAGES);
	if (s->msrpm_pa)
		pmm_free(&kernel_pmm, s->msrpm_pa, MSRPM_PAGES);
	if (s->asid)
		cpu.asids &= ~(1ull << s->asid);
	free(s);
}

static void setup_control(struct vcpu *v, struct svm_vcpu *s, uint64_t ncr3)
{
	uint8_t *vmcb = s->vmcb;

	svm_vmcb_wr32(vmcb, VMCB_INTERCEPT_DR, SVM_INTERCEPT_DR0_7);
	svm_vmcb_wr32(vmcb, VMCB_INTERCEPT_EXC, v->cfg.exception_bitmap);
	svm_vmcb_wr32(vmcb, VMCB_INTERCEPT_MISC1, MISC1_INTERCEPTS);
	svm_vmcb_wr32(vmcb, VMCB_INTERCEPT_MISC2, MISC2_INTERCEPTS);
	svm_vmcb_wr64(vmcb, VMCB_IOPM_BASE_PA, s->iopm_pa);
	svm_vmcb_wr64(vmcb, VMCB_MSRPM_BASE_PA, s->msrpm_pa);
	svm_vmcb_wr32(vmcb, VMCB_GUEST_ASID, s->asid);
	svm_vmcb_wr64(vmcb, VMCB_VINTR, SVM_VINTR_MASKING);
	svm_vmcb_wr64(vmcb, VMCB_NP_CONTROL, SVM_NP_ENABLE);
	svm_vmcb_wr64(vmcb, VMCB_N_CR3, ncr3);
	svm_vmcb_wr64(vmcb, VMCB_G_PAT, PAT_RESET);
	s->flush = true;
	s->dirty = true;
}

static int svm_create(struct vcpu *v)
{
	struct svm_vcpu *s;
	uint64_t ncr3;
	int err = svm_enable();

	if (err)
		return err;
	err = npt_ncr3(v->mem->pgt.root, &ncr3);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = asid_alloc(&s->asid);
	if (!err)
		err = page_alloc_zeroed(&s->vmcb_pa);
	if (!err)
		err = page_alloc_zeroed(&s->snapshot_pa);
	if (!err)
		err = pmm_alloc(&kernel_pmm, IOPM_PAGES, 1, &s->iopm_pa);
	if (!err)
		err = pmm_alloc(&kernel_pmm, MSRPM_PAGES, 1, &s->msrpm_pa);
	if (err) {
		svm_free(s);
		return err;
	}
	s->vmcb = (uint8_t *)s->vmcb_pa;
	s->snapshot = (uint8_t *)s->snapshot_pa;
	memset((void *)s->iopm_pa, PERM_ALL, SVM_IOPM_SIZE);
	memset((void *)s->msrpm_pa, PERM_ALL, SVM_MSRPM_SIZE);
	v->backend = s;
	setup_control(v, s, ncr3);
	return 0;
}

static void svm_destroy(struct vcpu *v)
{
	if (v->backend)
		svm_free(v->backend);
	v->backend = NULL;
}

static void set_seg(uint8_t *vmcb, unsigned int off, const struct vcpu_seg *sg)
{
	svm_vmcb_set_seg(vmcb, off, sg->selector, sg->attrib, sg->limit, sg->base);
}

static int svm_load_state(struct vcpu *v, const struct vcpu_state *st)
{
	struct svm_vcpu *s = v->backend;
	uint8_t *vmcb = s->vmcb;

	s->dirty = true;
	set_seg(vmcb, VMCB_ES, &st->es);
	set_seg(vmcb, VMCB_CS, &st->cs);
	set_seg(vmcb, VMCB_SS, &st->ss);
	set_seg(vmcb, VMCB_DS, &st->ds);
	set_seg(vmcb, VMCB_FS, &st->fs);
	set_seg(vmcb, VMCB_GS, &st->gs);
	set_seg(vmcb, VMCB_LDTR, &st->ldtr);
	set_seg(vmcb, VMCB_TR, &st->tr);
	svm_vmcb_set_seg(vmcb, VMCB_GDTR, 0, 0, st->gdtr.limit, st->gdtr.base);
	svm_vmcb_set_seg(vmcb, VMCB_IDTR, 0, 0, st->idtr.limit, st->idtr.base);
	svm_vmcb_wr8(vmcb, VMCB_CPL, (uint8_t)SEG_DPL(st->ss.attrib));
	svm_vmcb_wr64(vmcb, VMCB_EFER, st->efer | SVM_EFER_SVME);
	svm_vmcb_wr64(vmcb, VMCB_CR0, st->cr0);
	svm_vmcb_wr64(vmcb, VMCB_CR3, st->cr3);
	svm_vmcb_wr64(vmcb, VMCB_CR4, st->cr4);
	svm_vmcb_wr64(vmcb, VMCB_DR6, DR6_RESET);
	svm_vmcb_wr64(vmcb, VMCB_DR7, DR7_RESET);
	svm_vmcb_wr64(vmcb, VMCB_INTERRUPT_SHADOW, 0);
	svm_vmcb_wr64(vmcb, VMCB_VINTR, svm_vmcb_rd64(vmcb, VMCB_VINTR) & ~SVM_VINTR_V_IRQ);
	return 0;
}

/* The guest state VMRUN refused, logged field by field (15.5.1). */
static void log_entry_failure(const uint8_t *vmcb, const char *why, bool snapshot)
{
	log_err("svm: VMRUN refused the guest state (VMEXIT_INVALID): %s; the VMCB %s:", why,
		snapshot ? "as entered" : "after the exit");
	log_err("svm:   CR0 %#llx CR3 %#llx CR4 %#llx EFER %#llx RIP %#llx RFLAGS %#llx",
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_CR0),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_CR3),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_CR4),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_EFER),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_RIP),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_RFLAGS));
	log_err("svm:   CS %#x attrib %#x limit %#x base %#llx; SS %#x attrib %#x; DR6 %#llx "
		"DR7 %#llx G_PAT %#llx",
		svm_vmcb_rd16(vmcb, VMCB_CS + VMCB_SEG_SELECTOR),
		svm_vmcb_rd16(vmcb, VMCB_CS + VMCB_SEG_ATTRIB),
		svm_vmcb_rd32(vmcb, VMCB_CS + VMCB_SEG_LIMIT),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_CS + VMCB_SEG_BASE),
		svm_vmcb_rd16(vmcb, VMCB_SS + VMCB_SEG_SELECTOR),
		svm_vmcb_rd16(vmcb, VMCB_SS + VMCB_SEG_ATTRIB),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_DR6),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_DR7),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_G_PAT));
	log_err("svm:   intercepts %#x %#x, ASID %u, NP %#llx nCR3 %#llx, IOPM %#llx MSRPM %#llx",
		svm_vmcb_rd32(vmcb, VMCB_INTERCEPT_MISC1),
		svm_vmcb_rd32(vmcb, VMCB_INTERCEPT_MISC2), svm_vmcb_rd32(vmcb, VMCB_GUEST_ASID),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_NP_CONTROL),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_N_CR3),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_IOPM_BASE_PA),
		(unsigned long long)svm_vmcb_rd64(vmcb, VMCB_MSRPM_BASE_PA));
}

/* MOV DR without decode assists (15.8.1): the GPR operand is read off the instruction at RIP. */
static int dr_operand(struct vcpu *v, struct vcpu_exit *e)
{
	uint8_t code[INSN_MAX_LEN];
	struct insn in;
	int n = vcpu_fetch_insn(v, code, sizeof(code));

	if (n < 0)
		return n;
	n = insn_decode(code, (unsigned int)n,
			insn_mode_of(v->paging.efer & X86_EFER_LMA,
				     v->paging.cs_attrib & VCPU_SEG_L,
				     v->paging.cs_attrib & VCPU_SEG_DB),
			&in);
	return n ? n : svm_exit_dr_insn(e, &in);
}

static int svm_run(struct vcpu *v, struct vcpu_exit *e)
{
	struct svm_vcpu *s = v->backend;
	uint8_t *vmcb = s->vmcb;
	uint64_t inj = svm_eventinj(&v->events.inject);
	struct vcpu_event interrupted;
	bool snapshot;

	svm_vmcb_wr64(vmcb, VMCB_RAX, v->regs.gpr[VCPU_RAX]);
	svm_vmcb_wr64(vmcb, VMCB_RSP, v->regs.gpr[VCPU_RSP]);
	svm_vmcb_wr64(vmcb, VMCB_RIP, v->regs.rip);
	svm_vmcb_wr64(vmcb, VMCB_RFLAGS, v->regs.rflags);
	svm_vmcb_wr8(vmcb, VMCB_TLB_CONTROL, s->flush ? SVM_TLB_FLUSH_ALL : SVM_TLB_DO_NOTHING);
	s->flush = false;
	/* What the entry delivers is v->events.inject and nothing else (15.20). */
	svm_vmcb_wr64(vmcb, VMCB_EVENTINJ, inj);
	snapshot = s->dirty || inj;
	if (snapshot)
		memcpy(s->snapshot, vmcb, SVM_VMCB_SIZE);
	s->dirty = false;

	svm_vmrun(v->regs.gpr, s->vmcb_pa, cpu.host_save_pa);

	svm_exit_decode(vmcb, &cpu.caps, e);
	if (e->reason == VCPU_EXIT_ENTRY_FAIL) {
		/* The guest never ran: v->regs keep the state it was entered with. */
		const uint8_t *at_fault = snapshot ? s->snapshot : vmcb;
		const char *why = svm_vmcb_check(at_fault, cpu.caps.pa_bits);

		if (why)
			e->fail.why = why;
		log_entry_failure(at_fault, e->fail.why, snapshot);
		return 0;
	}
	/* An event whose delivery the exit interrupted is delivered again at the next entry
	 * (15.7.2 "Intercepts During IDT Interrupt Delivery"). */
	interrupted = svm_event_decode(svm_vmcb_rd64(vmcb, VMCB_EXITINTINFO));
	vcpu_event_exit(&v->events, &interrupted);
	v->regs.gpr[VCPU_RAX] = svm_vmcb_rd64(vmcb, VMCB_RAX);
	v->regs.gpr[VCPU_RSP] = svm_vmcb_rd64(vmcb, VMCB_RSP);
	v->regs.rip = svm_vmcb_rd64(vmcb, VMCB_RIP);
	v->regs.rflags = svm_vmcb_rd64(vmcb, VMCB_RFLAGS);
	v->paging.cr0 = svm_vmcb_rd64(vmcb, VMCB_CR0);
	v->paging.cr3 = svm_vmcb_rd64(vmcb, VMCB_CR3);
	v->paging.cr4 = svm_vmcb_rd64(vmcb, VMCB_CR4);
	v->paging.efer = svm_vmcb_rd64(vmcb, VMCB_EFER);
	v->paging.cs_base = svm_vmcb_rd64(vmcb, VMCB_CS + VMCB_SEG_BASE);
	v->paging.cs_attrib = svm_vmcb_rd16(vmcb, VMCB_CS + VMCB_SEG_ATTRIB);
	v->paging.cpl = svm_vmcb_rd8(vmcb, VMCB_CPL);
	v->paging.pa_bits = (uint8_t)cpu.caps.pa_bits; /* the guest's CPUID is the host's */
	if (e->reason == VCPU_EXIT_MSR)
		e->msr.index = (uint32_t)v->regs.gpr[VCPU_RCX];
	/* The #DB's conditions are in the exit: the next #DB's start from DR6's reset value. */
	if (e->reason == VCPU_EXIT_EXCEPTION && e->exc.vector == X86_EXC_DB) {
		svm_vmcb_wr64(vmcb, VMCB_DR6, DR6_RESET);
		s->dirty = true;
	}
	if (e->reason == VCPU_EXIT_DR && !cpu.caps.decode_assists)
		return dr_operand(v, e);
	return 0;
}

/* The shadow covers one instruction, the one skiff just completed (15.21.5). */
static int svm_insn_retired(struct vcpu *v)
{
	struct svm_vcpu *s = v->backend;

	svm_vmcb_wr64(s->vmcb, VMCB_INTERRUPT_SHADOW,
		      svm_int_shadow_retire(svm_vmcb_rd64(s->vmcb, VMCB_INTERRUPT_SHADOW)));
	return 0;
}

/*
 * A virtual interrupt (15.21.4): V_IRQ with the vector, the highest priority and V_TPR
 * ignored. The CPU delivers it through the guest's IDT when the guest's RFLAGS.IF is set and no
 * interrupt shadow is in force, and clears V_IRQ then (the VMCB shows it at the next exit).
 */
static int svm_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	struct svm_vcpu *s = v->backend;
	uint64_t vintr = svm_vmcb_rd64(s->vmcb, VMCB_VINTR);

	if (vintr & SVM_VINTR_V_IRQ)
		return -EBUSY;
	vintr &= ~(SVM_VINTR_PRIO_MASK | SVM_VINTR_VECTOR_MASK);
	vintr |= SVM_VINTR_V_IRQ | SVM_VINTR_PRIO_MASK | SVM_VINTR_IGN_TPR |
		 ((uint64_t)vector << SVM_VINTR_VECTOR_SHIFT);
	svm_vmcb_wr64(s->vmcb, VMCB_VINTR, vintr);
	return 0;
}

/*
 * EFER: the guest sees and writes its own, without SVME, which stays set underneath (15.5.1);
 * the write is checked against the guest's CR0 (vcpu_efer_write()).
 */
static int efer_msr(struct svm_vcpu *s, bool write, uint64_t *value)
{
	uint64_t efer = svm_vmcb_rd64(s->vmcb, VMCB_EFER) & ~SVM_EFER_SVME, next;
	int err;

	if (!write) {
		*value = efer;
		return 0;
	}
	err = vcpu_efer_write(efer, *value, svm_vmcb_rd64(s->vmcb, VMCB_CR0), &next);
	if (err)
		return err;
	svm_vmcb_wr64(s->vmcb, VMCB_EFER, next | SVM_EFER_SVME);
	s->dirty = true;
	return 0;
}

/*
 * EFER, and the SYSCALL, SYSENTER and SWAPGS MSRs: the guest's own copies in the VMCB, which
 * VMLOAD puts in the CPU before VMRUN and VMSAVE takes back after it (svm_entry.S).
 */
static int svm_arch_msr(struct vcpu *v, uint32_t index, bool write, uint64_t *value)
{
	struct svm_vcpu *s = v->backend;
	int err;

	if (index == MSR_EFER)
		return efer_msr(s, write, value);
	if (!write)
		return svm_vmcb_msr_read(s->vmcb, index, value);
	err = svm_vmcb_msr_write(s->vmcb, index, *value, cpu.va_bits);
	s->dirty |= !err;
	return err;
}

const struct vcpu_ops svm_vcpu_ops = {
	.name = "svm",
	.hypercall_insn = HC_INSN_VMMCALL,
	.create = svm_create,
	.destroy = svm_destroy,
	.load_state = svm_load_state,
	.run = svm_run,
	.insn_retired = svm_insn_retired,
	.inject_interrupt = svm_inject_interrupt,
	.arch_msr = svm_arch_msr,
};
