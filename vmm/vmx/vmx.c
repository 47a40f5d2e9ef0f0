// SPDX-License-Identifier: MIT
/* The VMX backend: see vmx.h. */
#include "vmm/vmx/vmx.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/irq.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pmm.h"
#include "kernel/x86.h"
#include "vmm/ept.h"
#include "vmm/vcpu_efer.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_caps.h"
#include "vmm/vmx/vmx_event.h"
#include "vmm/vmx/vmx_exit.h"
#include "vmm/vmx/vmx_msr.h"

#define CPUID_1		    1u
#define CPUID_1_ECX_VMX	    (1u << 5)
#define X86_CR4_VMXE	    (1ull << 13)
#define MAX_VPIDS	    64 /* skiff's VPID bitmap; VPID 0 is the host's */
#define DR7_RESET	    0x400ull
#define SEL_INDEX_MASK	    0xfff8u /* selector bits 15:3 index the GDT (vol. 3A 3.4.2) */
#define TSS_BASE_15_0	    16	    /* 64-bit TSS descriptor base fields (vol. 3A 8.2.3) */
#define TSS_BASE_23_16	    32
#define TSS_BASE_31_24	    56
#define TSS_BASE_LOW_MASK   0xffffffull
#define TSS_BASE_31_24_MASK 0xffull
#define TSS_BASE_HIGH_SHIFT 24
#define TSS_HIGH_SHIFT	    32
#define CPUID_EXT_MAX	    0x80000000u
#define CPUID_ADDR_SIZES    0x80000008u
#define CPUID_VA_BITS_SHIFT 8 /* CPUID.80000008H:EAX[15:8]: linear-address bits */
#define CPUID_VA_BITS_MASK  0xffu
#define VA_BITS_4LEVEL	    48	  /* without leaf 80000008H: 4-level paging's linear addresses */
#define CPUID_PA_BITS_MASK  0xffu /* CPUID.80000008H:EAX[7:0]: MAXPHYADDR */
#define PA_BITS_NO_LEAF	    36	  /* without leaf 80000008H (vol. 3A 4.1.4, with PAE) */
#define CTL_BITS	    32

/* Controls skiff needs (required), takes when offered (optional) and cannot work with. */
#define PIN_REQUIRED (PIN_EXTINT_EXITING | PIN_NMI_EXITING)
/*
 * The TPR shadow is required: without it (and without CR8-load/store exiting) a guest's MOV to
 * CR8 writes the host's local APIC TPR (SDM vol. 3C 30.1.1, 30.2): with it the guest's CR8 is
 * its virtual-APIC page's VTPR, and with a TPR threshold of 0 no guest write exits. MOV DR
 * exits (the guest's debug registers are kept in software, vmm/vcpu_dr.h), and so do the
 * instructions that must not run natively (vmm/vcpu_exit.h, enum vcpu_insn): MWAIT, MONITOR,
 * RDPMC here, WBINVD in the secondary controls; INVD always exits (26.1.2).
 */
#define PROC_REQUIRED                                                           \
	(PROC_HLT_EXITING | PROC_UNCOND_IO_EXITING | PROC_SECONDARY_CTLS |      \
	 PROC_INTR_WINDOW_EXITING | PROC_USE_TPR_SHADOW | PROC_MOV_DR_EXITING | \
	 PROC_MWAIT_EXITING | PROC_MONITOR_EXITING | PROC_RDPMC_EXITING)
#define PROC_FORBIDDEN                                                          \
	(PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING | PROC_INVLPG_EXITING | \
	 PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_CR8_LOAD_EXITING |   \
	 PROC_CR8_STORE_EXITING |                                               \
	 PROC_INTR_WINDOW_EXITING) /* set per entry while an interrupt waits */
#define PROC2_REQUIRED (PROC2_ENABLE_EPT | PROC2_WBINVD_EXITING)
#define PROC2_OPTIONAL \
	(PROC2_UNRESTRICTED | PROC2_ENABLE_VPID | PROC2_ENABLE_RDTSCP | PROC2_ENABLE_INVPCID)
#define PROC2_FORBIDDEN (PROC2_EPT_VIOLATION_VE | PROC2_ENABLE_XSAVES)
#define EXIT_REQUIRED	(EXIT_HOST_ADDR_SPACE | EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER)
#define EXIT_FORBIDDEN	EXIT_ACK_INTR_ON_EXIT /* the interrupt stays pending for the host */
/* "load debug controls": the guest's DR7 is 400H and its IA32_DEBUGCTL 0 at every entry. */
#define ENTRY_REQUIRED	(ENTRY_LOAD_IA32_EFER | ENTRY_IA32E_MODE | ENTRY_LOAD_DEBUG_CTLS)
#define ENTRY_FORBIDDEN ENTRY_IA32E_MODE /* set per entry from the guest's EFER.LMA */

/* vmx_entry.S: 0 after a VM exit, else VMLAUNCH / VMRESUME failed (31.2 "Conventions"). */
#define VMX_ENTER_FAIL_INVALID 1 /* VMfailInvalid (CF): no current VMCS */
#define VMX_ENTER_FAIL_VALID   2 /* VMfailValid (ZF): VM-instruction error in field 4400H */
int vmx_enter(uint64_t *gpr, int launched);
extern const char vmx_exit_point[];

/* This CPU's VMX state (skiff runs guests on the boot CPU). */
static struct {
	bool enabled;
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry;
	uint64_t ept_cap;
	unsigned int va_bits; /* linear-address width: what a WRMSR of an address checks */
	unsigned int pa_bits; /* MAXPHYADDR, the guest's too (its CPUID is the host's) */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t vmxon_pa;
	uint64_t current;	 /* the current VMCS, 0 for none */
	uint64_t vpids;		 /* bit n: VPID n in use */
	uint32_t vmwrite_failed; /* the first field a VMWRITE failed on, since the last check */
	bool vmwrite_error;
} cpu;

/*
 * The MSR areas of one vCPU (one page; 25.7.2, 25.8.2): @guest is both the VM-entry MSR-load
 * and the VM-exit MSR-store area, so the guest's values live there between runs; @host is the
 * VM-exit MSR-load area, the host's values as they were when the vCPU was created.
 */
struct vmx_msr_areas {
	struct vmx_msr_entry guest[VMX_SWITCHED_MSRS];
	struct vmx_msr_entry host[VMX_SWITCHED_MSRS];
};

struct vmx_vcpu {
	uint64_t vmcs_pa;
	uint64_t vapic_pa; /* the virtual-APIC page: the guest's CR8 is its VTPR (30.1.1) */
	uint64_t msrs_pa;  /* struct vmx_msr_areas */
	uint16_t vpid;
	bool launched;
	uint32_t proc;	  /* the primary processor-based controls in the VMCS */
	bool irq_pending; /* an interrupt was requested and is not injected yet */
	uint8_t irq_vector;
};

/* VMX instructions (vol. 3C ch. 31): each fails with CF or ZF set (31.2 "Conventions"). */
static int vmx_status(uint8_t failed)
{
	return failed ? -EIO : 0;
}

static int vmxon(uint64_t pa)
{
	uint8_t failed;

	__asm__ volatile("vmxon %1; setna %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	return vmx_status(failed);
}

static int vmclear(uint64_t pa)
{
	uint8_t failed;

	__asm__ volatile("vmclear %1; setna %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	return vmx_status(failed);
}

static int vmptrld(uint64_t pa)
{
	uint8_t failed;

	__asm__ volatile("vmptrld %1; setna %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	return vmx_status(failed);
}

static uint64_t vmread(uint32_t field)
{
	uint64_t value = 0;

	__asm__ volatile("vmread %1, %0" : "+r"(value) : "r"((uint64_t)field) : "cc");
	return value;
}

static void vmwrite(uint32_t field, uint64_t value)
{
	uint8_t failed;

	__asm__ volatile("vmwrite %1, %2; setna %0"
			 : "=qm"(failed)
			 : "r"(value), "r"((uint64_t)field)
			 : "cc");
	if (failed && !cpu.vmwrite_error) {
		cpu.vmwrite_error = true;
		cpu.vmwrite_failed = field;
	}
}

/* The VMWRITEs since the last call all succeeded: 0, else -EIO with the first field logged. */
static int vmwrite_check(const char *what)
{
	if (!cpu.vmwrite_error)
		return 0;
	cpu.vmwrite_error = false;
	log_err("vmx: %s: VMWRITE of field %#x failed: %s", what, cpu.vmwrite_failed,
		vmx_insn_error_name((uint32_t)vmread(VMCS_INSN_ERROR)));
	return -EIO;
}

/* INVEPT / INVVPID with a 128-bit descriptor (31.3). */
static void invept_all(void)
{
	const uint64_t desc[2] = { 0, 0 };

	__asm__ volatile("invept %0, %1"
			 :
			 : "m"(desc), "r"((uint64_t)INVEPT_ALL_CONTEXT)
			 : "cc", "memory");
}

static void invvpid_all(void)
{
	const uint64_t desc[2] = { 0, 0 };

	__asm__ volatile("invvpid %0, %1"
			 :
			 : "m"(desc), "r"((uint64_t)INVVPID_ALL_CONTEXT)
			 : "cc", "memory");
}

/* Each control of @conflict by name, and why vmx_ctls_adjust() refused it (@err). */
static void log_conflict(enum vmx_ctls which, const char *word, uint32_t msr, uint32_t conflict,
			 uint32_t required, int err)
{
	for (unsigned int n = 0; n < CTL_BITS; n++) {
		uint32_t bit = 1u << n;
		const char *name = vmx_ctl_name(which, bit);

		if (!(conflict & bit))
			continue;
		log_err("vmx: %s controls (MSR %#x): \"%s\" (bit %u) %s", word, msr,
			name ? name : "unnamed", n,
			err == -EINVAL ? "is both forced and not allowed" :
			required & bit ? "is required, and the CPU does not allow it" :
					 "is forced by the CPU, and skiff cannot work with it");
	}
}

static int adjust(enum vmx_ctls which, const char *name, uint64_t basic, uint32_t required,
		  uint32_t optional, uint32_t forbidden, uint32_t *ctls)
{
	uint32_t msr = vmx_ctls_msr(basic, which), conflict;
	int err = vmx_ctls_adjust(rdmsr(msr), required, optional, forbidden, ctls, &conflict);

	if (err)
		log_conflict(which, name, msr, conflict, required, err);
	return err;
}

static int check_controls(uint64_t basic)
{
	int err = adjust(VMX_CTLS_PIN, "pin-based", basic, PIN_REQUIRED, 0, 0, &cpu.pin);

	if (!err)
		err = adjust(VMX_CTLS_PROC, "processor-based", basic, PROC_REQUIRED, 0,
			     PROC_FORBIDDEN, &cpu.proc);
	if (!err)
		err = adjust(VMX_CTLS_PROC2, "secondary processor-based", basic, PROC2_REQUIRED,
			     PROC2_OPTIONAL, PROC2_FORBIDDEN, &cpu.proc2);
	if (!err)
		err = adjust(VMX_CTLS_EXIT, "VM-exit", basic, EXIT_REQUIRED, 0, EXIT_FORBIDDEN,
			     &cpu.exit);
	if (!err)
		err = adjust(VMX_CTLS_ENTRY, "VM-entry", basic, ENTRY_REQUIRED, 0, ENTRY_FORBIDDEN,
			     &cpu.entry);
	cpu.entry &= ~ENTRY_IA32E_MODE;
	cpu.proc &= ~PROC_INTR_WINDOW_EXITING;
	return err ? -ENODEV : 0;
}

static int enable_feature_control(void)
{
	uint64_t now = rdmsr(MSR_IA32_FEATURE_CONTROL), value;

	if (vmx_feature_control(now, &value)) {
		log_err("vmx: IA32_FEATURE_CONTROL %#llx is locked with VMX outside SMX disabled: "
			"enable VT-x in the firmware setup",
			(unsigned long long)now);
		return -ENODEV;
	}
	if (value != now) {
		wrmsr(MSR_IA32_FEATURE_CONTROL, value);
		log_info("vmx: IA32_FEATURE_CONTROL was %#llx: VMX outside SMX enabled and locked",
			 (unsigned long long)now);
	}
	return 0;
}

/* CR0 and CR4 as VMXON needs them (24.8 "Restrictions on VMX Operation"). */
static int fix_host_crs(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4() | X86_CR4_VMXE;
	uint64_t cr0_new = vmx_cr_fixed(cr0, cpu.cr0_fixed0, cpu.cr0_fixed1),
		 cr4_new = vmx_cr_fixed(cr4, cpu.cr4_fixed0, cpu.cr4_fixed1);

	if (!(cr4_new & X86_CR4_VMXE)) {
		log_err("vmx: IA32_VMX_CR4_FIXED1 %#llx does not allow CR4.VMXE",
			(unsigned long long)cpu.cr4_fixed1);
		return -ENODEV;
	}
	if (cr0_new != cr0)
		write_cr0(cr0_new);
	write_cr4(cr4_new);
	return 0;
}

static int check_ept(void)
{
	uint64_t eptp;

	cpu.ept_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (ept_eptp(0, EPT_MT_WB, false, cpu.ept_cap, &eptp)) {
		log_err("vmx: IA32_VMX_EPT_VPID_CAP %#llx: no 4-level walk with write-back tables",
			(unsigned long long)cpu.ept_cap);
		return -ENODEV;
	}
	return 0;
}

int vmx_enable(void)
{
	uint64_t basic;
	uint32_t size;
	int err;

	if (cpu.enabled)
		return 0;
	if (!(cpuid(CPUID_1, 0).ecx & CPUID_1_ECX_VMX)) {
		log_err("vmx: the CPU has no VMX (CPUID.1:ECX bit 5)");
		return -ENODEV;
	}
	err = enable_feature_control();
	if (err)
		return err;
	basic = rdmsr(MSR_IA32_VMX_BASIC);
	if (vmx_basic_check(basic, &cpu.revision, &size)) {
		log_err("vmx: IA32_VMX_BASIC %#llx: regions above 4 KiB or not write-back",
			(unsigned long long)basic);
		return -ENODEV;
	}
	err = check_ept();
	if (!err)
		err = check_controls(basic);
	if (err)
		return err;
	cpu.va_bits = VA_BITS_4LEVEL;
	cpu.pa_bits = PA_BITS_NO_LEAF;
	if (cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_ADDR_SIZES) {
		uint32_t sizes = cpuid(CPUID_ADDR_SIZES, 0).eax;

		cpu.va_bits = (sizes >> CPUID_VA_BITS_SHIFT) & CPUID_VA_BITS_MASK;
		cpu.pa_bits = sizes & CPUID_PA_BITS_MASK;
	}
	cpu.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	cpu.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	cpu.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	cpu.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	err = fix_host_crs();
	if (err)
		return err;
	if (page_alloc_zeroed(&cpu.vmxon_pa))
		return -ENOMEM;
	*(uint32_t *)cpu.vmxon_pa = cpu.revision;
	if (vmxon(cpu.vmxon_pa)) {
		log_err("vmx: VMXON failed (CR0 %#llx CR4 %#llx)", (unsigned long long)read_cr0(),
			(unsigned long long)read_cr4());
		pmm_free(&kernel_pmm, cpu.vmxon_pa, 1);
		return -ENODEV;
	}
	if (cpu.ept_cap & EPT_CAP_INVEPT_ALL)
		invept_all();
	cpu.enabled = true;
	log_info("vmx: enabled: VMCS revision %#x, %s controls, EPT 4-level WB%s%s, VPID %s, "
		 "unrestricted guest %s",
		 cpu.revision, basic & VMX_BASIC_TRUE_CTLS ? "TRUE" : "default",
		 cpu.ept_cap & EPT_CAP_AD ? " A/D" : "", cpu.ept_cap & EPT_CAP_1G ? " 1G" : "",
		 cpu.proc2 & PROC2_ENABLE_VPID ? "yes" : "no",
		 cpu.proc2 & PROC2_UNRESTRICTED ? "yes" : "no");
	return 0;
}

uint32_t vmx_cpu_pgt_features(void)
{
	return cpu.enabled ? cpu_pgt_features(CPU_PGT_EPT, cpu.ept_cap) : 0;
}

static int vmcs_load(struct vmx_vcpu *x)
{
	if (cpu.current == x->vmcs_pa)
		return 0;
	if (vmptrld(x->vmcs_pa)) {
		log_err("vmx: VMPTRLD %#llx failed", (unsigned long long)x->vmcs_pa);
		return -EIO;
	}
	cpu.current = x->vmcs_pa;
	return 0;
}

struct descriptor_table {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* A segment register's selector, or TR's (STR). */
#define READ_SEL(insn)                                     \
	({                                                 \
		uint16_t sel_;                             \
		__asm__ volatile(insn " %0" : "=r"(sel_)); \
		sel_;                                      \
	})

/* The base of the 64-bit TSS descriptor @tr selects in the GDT at @gdt (vol. 3A 8.2.3). */
static uint64_t tss_base(uint64_t gdt, uint16_t tr)
{
	const uint64_t *d = (const uint64_t *)(gdt + (tr & SEL_INDEX_MASK));

	return ((d[0] >> TSS_BASE_15_0) & TSS_BASE_LOW_MASK) |
	       (((d[0] >> TSS_BASE_31_24) & TSS_BASE_31_24_MASK) << TSS_BASE_HIGH_SHIFT) |
	       (d[1] << TSS_HIGH_SHIFT);
}

/* The state the CPU loads at every VM exit: skiff's own (27.2.3 checks it, 28.5 loads it). */
static void setup_host(void)
{
	struct descriptor_table gdtr, idtr;
	uint16_t tr = READ_SEL("str");

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SEL, READ_SEL("mov %%cs,"));
	vmwrite(VMCS_HOST_SS_SEL, READ_SEL("mov %%ss,"));
	vmwrite(VMCS_HOST_DS_SEL, READ_SEL("mov %%ds,"));
	vmwrite(VMCS_HOST_ES_SEL, READ_SEL("mov %%es,"));
	vmwrite(VMCS_HOST_FS_SEL, READ_SEL("mov %%fs,"));
	vmwrite(VMCS_HOST_GS_SEL, READ_SEL("mov %%gs,"));
	vmwrite(VMCS_HOST_TR_SEL, tr);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(VMCS_HOST_TR_BASE, tss_base(gdtr.base, tr));
	vmwrite(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmwrite(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmwrite(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmwrite(VMCS_HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmwrite(VMCS_HOST_RIP, (uint64_t)vmx_exit_point);
	/* HOST_RSP is written by vmx_enter() before every entry. */
}

static void setup_control(struct vcpu *v, struct vmx_vcpu *x, uint64_t eptp)
{
	vmwrite(VMCS_PIN_CTLS, cpu.pin);
	vmwrite(VMCS_PROC_CTLS, cpu.proc);
	x->proc = cpu.proc;
	vmwrite(VMCS_PROC_CTLS2, cpu.proc2);
	vmwrite(VMCS_EXIT_CTLS, cpu.exit);
	vmwrite(VMCS_ENTRY_CTLS, cpu.entry);
	vmwrite(VMCS_EXCEPTION_BITMAP, v->cfg.exception_bitmap);
	vmwrite(VMCS_PF_ERROR_MASK, 0);
	vmwrite(VMCS_PF_ERROR_MATCH, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_ADDR, x->msrs_pa + offsetof(struct vmx_msr_areas, guest));
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, VMX_SWITCHED_MSRS);
	vmwrite(VMCS_EXIT_MSR_STORE_ADDR, x->msrs_pa + offsetof(struct vmx_msr_areas, guest));
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, VMX_SWITCHED_MSRS);
	vmwrite(VMCS_EXIT_MSR_LOAD_ADDR, x->msrs_pa + offsetof(struct vmx_msr_areas, host));
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, VMX_SWITCHED_MSRS);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_EPT_POINTER, eptp);
	vmwrite(VMCS_VIRTUAL_APIC_ADDR, x->vapic_pa);
	vmwrite(VMCS_TPR_THRESHOLD, 0);
	if (x->vpid)
		vmwrite(VMCS_VPID, x->vpid);
	vmwrite(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
}

static int vpid_alloc(uint16_t *vpid)
{
	for (uint16_t id = 1; id < MAX_VPIDS; id++) {
		if (!(cpu.vpids & (1ull << id))) {
			cpu.vpids |= 1ull << id;
			*vpid = id;
			return 0;
		}
	}
	return -ENOSPC;
}

static void vmx_free(struct vmx_vcpu *x)
{
	if (x->vmcs_pa) {
		vmclear(x->vmcs_pa);
		if (cpu.current == x->vmcs_pa)
			cpu.current = 0;
		pmm_free(&kernel_pmm, x->vmcs_pa, 1);
	}
	if (x->vapic_pa)
		pmm_free(&kernel_pmm, x->vapic_pa, 1);
	if (x->msrs_pa)
		pmm_free(&kernel_pmm, x->msrs_pa, 1);
	if (x->vpid)
		cpu.vpids &= ~(1ull << x->vpid);
	free(x);
}

/* The host's values of the switched MSRs, which every VM exit loads (28.6). */
static void save_host_msrs(struct vmx_vcpu *x)
{
	struct vmx_msr_areas *m = (struct vmx_msr_areas *)x->msrs_pa;

	vmx_msr_area_init(m->guest);
	vmx_msr_area_init(m->host);
	for (unsigned int i = 0; i < VMX_SWITCHED_MSRS; i++)
		m->host[i].value = rdmsr(m->host[i].index);
}

static int vmx_create(struct vcpu *v)
{
	struct vmx_vcpu *x;
	uint64_t eptp;
	int err = vmx_enable();

	if (err)
		return err;
	if (v->mem->pgt.format != CPU_PGT_EPT)
		return -EINVAL;
	err = ept_eptp(v->mem->pgt.root, EPT_MT_WB, cpu.ept_cap & EPT_CAP_AD, cpu.ept_cap, &eptp);
	if (err)
		return err;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	if (cpu.proc2 & PROC2_ENABLE_VPID)
		err = vpid_alloc(&x->vpid);
	if (!err)
		err = page_alloc_zeroed(&x->vmcs_pa);
	if (!err)
		err = page_alloc_zeroed(&x->vapic_pa);
	if (!err)
		err = page_alloc_zeroed(&x->msrs_pa);
	if (err) {
		vmx_free(x);
		return err;
	}
	save_host_msrs(x);
	*(uint32_t *)x->vmcs_pa = cpu.revision;
	if (vmclear(x->vmcs_pa) || vmcs_load(x)) {
		vmx_free(x);
		return -EIO;
	}
	v->backend = x;
	setup_control(v, x, eptp);
	setup_host();
	err = vmwrite_check("VMCS setup");
	if (err) {
		vmx_free(x);
		v->backend = NULL;
		return err;
	}
	/* New tables and a VPID perhaps used before: drop what the TLBs hold (29.4.3.1). */
	if (cpu.ept_cap & EPT_CAP_INVEPT_ALL)
		invept_all();
	if ((cpu.ept_cap & VPID_CAP_INVVPID_ALL) && x->vpid)
		invvpid_all();
	return 0;
}

static void vmx_destroy(struct vcpu *v)
{
	if (v->backend)
		vmx_free(v->backend);
	v->backend = NULL;
}

static void set_seg(uint32_t sel, const struct vcpu_seg *s)
{
	/* Selector, limit, access rights and base fields of one register are spaced alike. */
	vmwrite(sel, s->selector);
	vmwrite(sel - VMCS_GUEST_ES_SEL + VMCS_GUEST_ES_LIMIT, s->limit);
	vmwrite(sel - VMCS_GUEST_ES_SEL + VMCS_GUEST_ES_AR, vmx_seg_ar(s->attrib));
	vmwrite(sel - VMCS_GUEST_ES_SEL + VMCS_GUEST_ES_BASE, s->base);
}

_Static_assert(VMCS_GUEST_TR_SEL - VMCS_GUEST_ES_SEL == VMCS_GUEST_TR_LIMIT - VMCS_GUEST_ES_LIMIT &&
		       VMCS_GUEST_TR_SEL - VMCS_GUEST_ES_SEL ==
			       VMCS_GUEST_TR_AR - VMCS_GUEST_ES_AR &&
		       VMCS_GUEST_TR_SEL - VMCS_GUEST_ES_SEL ==
			       VMCS_GUEST_TR_BASE - VMCS_GUEST_ES_BASE,
	       "appendix B spaces the segment fields alike");

/* Guest CR0 / CR4: the bits VMX fixes are owned by skiff (guest/host mask); the guest reads
 * its own values from the read shadow (25.6.6 "Guest/Host Masks and Read Shadows"). */
static void set_crs(const struct vcpu_state *s)
{
	uint64_t cr0_fixed0 = vmx_guest_cr0_fixed0(cpu.cr0_fixed0, cpu.proc2 & PROC2_UNRESTRICTED);

	vmwrite(VMCS_CR0_GUEST_HOST_MASK, cr0_fixed0 | ~cpu.cr0_fixed1);
	vmwrite(VMCS_CR0_READ_SHADOW, s->cr0);
	vmwrite(VMCS_GUEST_CR0, vmx_cr_fixed(s->cr0, cr0_fixed0, cpu.cr0_fixed1));
	vmwrite(VMCS_CR4_GUEST_HOST_MASK, cpu.cr4_fixed0 | ~cpu.cr4_fixed1);
	vmwrite(VMCS_CR4_READ_SHADOW, s->cr4);
	vmwrite(VMCS_GUEST_CR4, vmx_cr_fixed(s->cr4, cpu.cr4_fixed0, cpu.cr4_fixed1));
	vmwrite(VMCS_GUEST_CR3, s->cr3);
}

static int vmx_load_state(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *x = v->backend;
	int err = vmcs_load(x);

	if (err)
		return err;
	if (!(cpu.proc2 & PROC2_UNRESTRICTED) &&
	    (s->cr0 & (X86_CR0_PE | X86_CR0_PG)) != (X86_CR0_PE | X86_CR0_PG)) {
		log_err("vmx: the guest starts with paging or protection off, which needs the "
			"\"unrestricted guest\" control");
		return -EOPNOTSUPP;
	}
	set_seg(VMCS_GUEST_ES_SEL, &s->es);
	set_seg(VMCS_GUEST_CS_SEL, &s->cs);
	set_seg(VMCS_GUEST_SS_SEL, &s->ss);
	set_seg(VMCS_GUEST_DS_SEL, &s->ds);
	set_seg(VMCS_GUEST_FS_SEL, &s->fs);
	set_seg(VMCS_GUEST_GS_SEL, &s->gs);
	set_seg(VMCS_GUEST_LDTR_SEL, &s->ldtr);
	set_seg(VMCS_GUEST_TR_SEL, &s->tr);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmwrite(VMCS_GUEST_GDTR_BASE, s->gdtr.base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idtr.limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, s->idtr.base);
	set_crs(s);
	vmwrite(VMCS_GUEST_IA32_EFER, s->efer);
	vmwrite(VMCS_GUEST_DR7, DR7_RESET);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, VMX_ACTIVITY_ACTIVE);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	x->irq_pending = false;
	/* CR8 and the switched MSRs as after reset (vol. 3A 10.1.1 table 10-1). */
	((uint8_t *)x->vapic_pa)[VAPIC_VTPR] = 0;
	vmx_msr_area_init(((struct vmx_msr_areas *)x->msrs_pa)->guest);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	return vmwrite_check("guest state");
}

/* A VM entry that failed: VMLAUNCH/VMRESUME's error (VMfailValid: e->info1 holds field 4400H;
 * VMfailInvalid) or the exit reason and qualification, and the state it was given. */
static void log_entry_failure(const struct vcpu_exit *e, int rc)
{
	if (rc == VMX_ENTER_FAIL_VALID)
		log_err("vmx: VM entry failed: VM-instruction error %llu: %s",
			(unsigned long long)e->info1, e->fail.why);
	else if (rc == VMX_ENTER_FAIL_INVALID)
		log_err("vmx: VM entry failed: %s", e->fail.why);
	else
		log_err("vmx: VM entry failed: exit reason %#llx (basic %llu), qualification %#llx: "
			"%s",
			(unsigned long long)e->raw,
			(unsigned long long)(e->raw & EXIT_REASON_BASIC_MASK),
			(unsigned long long)e->info1, e->fail.why);
	log_err("vmx:   CR0 %#llx (shadow %#llx) CR3 %#llx CR4 %#llx (shadow %#llx) EFER %#llx",
		(unsigned long long)vmread(VMCS_GUEST_CR0),
		(unsigned long long)vmread(VMCS_CR0_READ_SHADOW),
		(unsigned long long)vmread(VMCS_GUEST_CR3),
		(unsigned long long)vmread(VMCS_GUEST_CR4),
		(unsigned long long)vmread(VMCS_CR4_READ_SHADOW),
		(unsigned long long)vmread(VMCS_GUEST_IA32_EFER));
	log_err("vmx:   RIP %#llx RFLAGS %#llx CS %#llx AR %#llx SS AR %#llx TR AR %#llx; controls "
		"pin %#llx proc %#llx proc2 %#llx exit %#llx entry %#llx",
		(unsigned long long)vmread(VMCS_GUEST_RIP),
		(unsigned long long)vmread(VMCS_GUEST_RFLAGS),
		(unsigned long long)vmread(VMCS_GUEST_CS_SEL),
		(unsigned long long)vmread(VMCS_GUEST_CS_AR),
		(unsigned long long)vmread(VMCS_GUEST_SS_AR),
		(unsigned long long)vmread(VMCS_GUEST_TR_AR),
		(unsigned long long)vmread(VMCS_PIN_CTLS),
		(unsigned long long)vmread(VMCS_PROC_CTLS),
		(unsigned long long)vmread(VMCS_PROC_CTLS2),
		(unsigned long long)vmread(VMCS_EXIT_CTLS),
		(unsigned long long)vmread(VMCS_ENTRY_CTLS));
}

/* The exit's information fields into @info, the guest's registers into @v, and @e decoded. */
static void read_exit(struct vcpu *v, struct vmx_exit_info *info, struct vcpu_exit *e)
{
	*info = (struct vmx_exit_info){
		.reason = (uint32_t)vmread(VMCS_EXIT_REASON),
		.qual = vmread(VMCS_EXIT_QUALIFICATION),
		.intr_info = (uint32_t)vmread(VMCS_EXIT_INTR_INFO),
		.intr_error = (uint32_t)vmread(VMCS_EXIT_INTR_ERROR),
		.insn_len = (uint32_t)vmread(VMCS_EXIT_INSN_LEN),
		.gpa = vmread(VMCS_GUEST_PHYS_ADDR),
		.idt_info = (uint32_t)vmread(VMCS_IDT_VECTORING_INFO),
	};

	v->regs.gpr[VCPU_RSP] = vmread(VMCS_GUEST_RSP);
	v->regs.rip = vmread(VMCS_GUEST_RIP);
	v->regs.rflags = vmread(VMCS_GUEST_RFLAGS);
	v->paging.cr0 = vmread(VMCS_GUEST_CR0);
	v->paging.cr3 = vmread(VMCS_GUEST_CR3);
	v->paging.cr4 = vmread(VMCS_GUEST_CR4);
	v->paging.efer = vmread(VMCS_GUEST_IA32_EFER);
	v->paging.cs_base = vmread(VMCS_GUEST_CS_BASE);
	v->paging.cs_attrib = vmx_seg_attrib((uint32_t)vmread(VMCS_GUEST_CS_AR));
	v->paging.pa_bits = (uint8_t)cpu.pa_bits;
	/* The CPL is SS.DPL (SDM vol. 3C 27.4.1 "Checks on Guest Segment Registers"). */
	v->paging.cpl = (uint8_t)((vmx_seg_attrib((uint32_t)vmread(VMCS_GUEST_SS_AR)) &
				   VCPU_SEG_DPL_MASK) >>
				  VCPU_SEG_DPL_SHIFT);
	vmx_exit_decode(info, e);
}

/*
 * An event whose delivery the exit interrupted (the IDT-vectoring information, 25.9.3, 28.2.4)
 * is injected again at the next entry (27.6), with its error code and, for a software interrupt
 * or exception, the instruction length the exit saved (vcpu_event_exit()).
 */
static void interrupted_event(struct vcpu *v, const struct vmx_exit_info *info)
{
	uint32_t error = 0;
	struct vcpu_event ev;

	if ((info->idt_info & INTR_INFO_VALID) && (info->idt_info & INTR_INFO_ERROR_VALID))
		error = (uint32_t)vmread(VMCS_IDT_VECTORING_ERROR);
	ev = vmx_event_decode(info->idt_info, error, info->insn_len);
	vcpu_event_exit(&v->events, &ev);
}

/* v->events.inject into the VM-entry event fields; VM exits clear the valid bit (25.8.3). */
static void deliver_event(const struct vcpu *v)
{
	const struct vcpu_event *ev = &v->events.inject;

	if (!ev->valid)
		return;
	if (ev->has_error)
		vmwrite(VMCS_ENTRY_EXC_ERROR, ev->error);
	if (vmx_event_has_insn_len(ev))
		vmwrite(VMCS_ENTRY_INSN_LEN, ev->insn_len);
	vmwrite(VMCS_ENTRY_INTR_INFO, vmx_entry_intr_info(ev));
}

/*
 * The requested interrupt goes into the VM-entry interruption information when the guest can
 * take it at this entry: RFLAGS.IF set, no blocking by STI or MOV SS (25.4.2; 27.3.1.5 refuses
 * an entry that injects an external interrupt otherwise) and no other event being injected.
 * Otherwise interrupt-window exiting (26.7.5) ends the guest's run as soon as it can take one,
 * and the entry after that injects it.
 */
static void deliver_interrupt(struct vcpu *v, struct vmx_vcpu *x)
{
	uint32_t proc = cpu.proc;

	if (x->irq_pending) {
		if ((v->regs.rflags & X86_RFLAGS_IF) &&
		    !(vmread(VMCS_GUEST_INTERRUPTIBILITY) &
		      (VMX_BLOCKING_BY_STI | VMX_BLOCKING_BY_MOV_SS)) &&
		    !v->events.inject.valid) {
			vmwrite(VMCS_ENTRY_INTR_INFO,
				x->irq_vector | (INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT) |
					INTR_INFO_VALID);
			x->irq_pending = false;
		} else {
			proc |= PROC_INTR_WINDOW_EXITING;
		}
	}
	if (proc != x->proc) {
		vmwrite(VMCS_PROC_CTLS, proc);
		x->proc = proc;
	}
}

/* Interrupts off around the entry and the exit's handling; RFLAGS as they were. */
static uint64_t irq_save(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static void irq_restore(uint64_t flags)
{
	if (flags & X86_RFLAGS_IF)
		irq_enable();
}

/*
 * A host NMI arrived while the guest ran and caused the exit (NMI exiting, 25.6.1; reason 0,
 * type NMI): the host's own NMI handler runs now, as if the NMI had come in the host (KVM and
 * bhyve do the same). The exit left NMIs blocked (28.5.5 "Updating Non-Register State": VM
 * exits caused by NMIs cause blocking by NMI). INT 2 calls the handler through the host's IDT
 * without changing that, and the IRET that ends the handler unblocks NMIs (vol. 3A 6.7.1): the
 * host is as after a native NMI, and an NMI arriving meanwhile waits for that IRET instead of
 * nesting. A self-IPI with NMI delivery would instead stay pending, blocked, until the host's
 * next IRET or the next VM entry (which takes the guest's blocking state, 27.3.2.5): it would
 * then exit again at once, and the host's handler would run late or never. Interrupts are off
 * from the entry to here, so no interrupt handler's IRET unblocks NMIs before the NMI's own
 * handler ran.
 */
static void host_nmi(void)
{
	__asm__ volatile("int $2" ::: "memory");
}

static int vmx_run(struct vcpu *v, struct vcpu_exit *e)
{
	struct vmx_vcpu *x = v->backend;
	struct vmx_exit_info info;
	uint64_t entry = cpu.entry, flags;
	int err = vmcs_load(x), rc;

	if (err)
		return err;
	deliver_event(v);
	deliver_interrupt(v, x);
	if (vmread(VMCS_GUEST_IA32_EFER) & X86_EFER_LMA)
		entry |= ENTRY_IA32E_MODE;
	vmwrite(VMCS_ENTRY_CTLS, entry);
	vmwrite(VMCS_GUEST_RSP, v->regs.gpr[VCPU_RSP]);
	vmwrite(VMCS_GUEST_RIP, v->regs.rip);
	vmwrite(VMCS_GUEST_RFLAGS, v->regs.rflags);
	err = vmwrite_check("entry");
	if (err)
		return err;

	flags = irq_save();
	rc = vmx_enter(v->regs.gpr, x->launched);
	if (!rc) {
		read_exit(v, &info, e);
		if (e->reason == VCPU_EXIT_NMI)
			host_nmi();
	}
	irq_restore(flags);

	if (rc) {
		uint32_t insn_error =
			rc == VMX_ENTER_FAIL_VALID ? (uint32_t)vmread(VMCS_INSN_ERROR) : 0;

		memset(e, 0, sizeof(*e));
		e->reason = VCPU_EXIT_ENTRY_FAIL;
		e->info1 = insn_error;
		e->fail.why = rc == VMX_ENTER_FAIL_VALID ? vmx_insn_error_name(insn_error) :
							   "VMfailInvalid: no current VMCS";
		log_entry_failure(e, rc);
		return 0;
	}
	if (e->reason == VCPU_EXIT_ENTRY_FAIL) {
		log_entry_failure(e, 0);
		return 0;
	}
	x->launched = true;
	interrupted_event(v, &info);
	if (e->reason == VCPU_EXIT_MSR)
		e->msr.index = (uint32_t)v->regs.gpr[VCPU_RCX];
	return 0;
}

static int vmx_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	struct vmx_vcpu *x = v->backend;

	if (x->irq_pending)
		return -EBUSY;
	x->irq_pending = true;
	x->irq_vector = vector;
	return 0;
}

/* The blocking covers one instruction, the one skiff just completed (25.4.2 table 25-3). */
static int vmx_insn_retired(struct vcpu *v)
{
	uint32_t state, retired;
	int err = vmcs_load(v->backend);

	if (err)
		return err;
	state = (uint32_t)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	retired = vmx_interruptibility_retire(state);
	if (retired != state)
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY, retired);
	return vmwrite_check("interruptibility state");
}

/*
 * The CR0 the guest sees: its read shadow in the bits the guest/host mask gives skiff, the
 * guest's CR0 in the others (SDM vol. 3C 25.6.6).
 */
static uint64_t guest_visible_cr0(void)
{
	uint64_t mask = vmread(VMCS_CR0_GUEST_HOST_MASK);

	return (vmread(VMCS_GUEST_CR0) & ~mask) | (vmread(VMCS_CR0_READ_SHADOW) & mask);
}

/*
 * EFER: the VMCS holds the guest's own (loaded at entry, saved at exit); LMA is the CPU's. The
 * write is checked against the CR0 the guest sees (vcpu_efer_write()).
 */
static int efer_msr(bool write, uint64_t *value)
{
	uint64_t efer = vmread(VMCS_GUEST_IA32_EFER), next;
	int err;

	if (!write) {
		*value = efer;
		return 0;
	}
	err = vcpu_efer_write(efer, *value, guest_visible_cr0(), &next);
	if (err)
		return err;
	vmwrite(VMCS_GUEST_IA32_EFER, next);
	return vmwrite_check("EFER");
}

/* The VMCS guest-state field of a SYSENTER MSR (25.4.1), 0 for another MSR. */
static uint32_t sysenter_field(uint32_t index)
{
	switch (index) {
	case MSR_IA32_SYSENTER_CS:
		return VMCS_GUEST_SYSENTER_CS;
	case MSR_IA32_SYSENTER_ESP:
		return VMCS_GUEST_SYSENTER_ESP;
	case MSR_IA32_SYSENTER_EIP:
		return VMCS_GUEST_SYSENTER_EIP;
	default:
		return 0;
	}
}

/*
 * The MSRs the backend virtualises: EFER and the SYSENTER MSRs in the VMCS, the switched MSRs
 * (vmx_msr.h) in the guest's MSR area, which the next entry loads. A write WRMSR would refuse
 * (vmx_msr_valid()) is -EINVAL: the VM entry loading it would fail.
 */
static int vmx_arch_msr(struct vcpu *v, uint32_t index, bool write, uint64_t *value)
{
	struct vmx_vcpu *x = v->backend;
	struct vmx_msr_entry *guest = ((struct vmx_msr_areas *)x->msrs_pa)->guest;
	uint32_t field = sysenter_field(index);
	int slot = vmx_msr_slot(index), err;

	if (index != MSR_EFER && !field && slot < 0)
		return -ENOENT;
	if (write && index != MSR_EFER && !vmx_msr_valid(index, *value, cpu.va_bits))
		return -EINVAL;
	if (slot >= 0) {
		if (write)
			guest[slot].value = *value;
		else
			*value = guest[slot].value;
		return 0;
	}
	err = vmcs_load(x);
	if (err)
		return err;
	if (index == MSR_EFER)
		return efer_msr(write, value);
	if (!write) {
		*value = vmread(field);
		return 0;
	}
	vmwrite(field, *value);
	return vmwrite_check("SYSENTER MSR");
}

const struct vcpu_ops vmx_vcpu_ops = {
	.name = "vmx",
	.hypercall_insn = HC_INSN_VMCALL,
	.create = vmx_create,
	.destroy = vmx_destroy,
	.load_state = vmx_load_state,
	.run = vmx_run,
	.insn_retired = vmx_insn_retired,
	.inject_interrupt = vmx_inject_interrupt,
	.arch_msr = vmx_arch_msr,
};
