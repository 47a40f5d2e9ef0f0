// SPDX-License-Identifier: MIT
/*
 * VMX root operation on this CPU (Intel SDM vol. 3C 24.7, 24.8, appendix A): the checks of
 * vmx_enable() (vmx.h) and the controls every VMCS starts with (vmx_internal.h's struct
 * vmx_cpu).
 */
#include "vmm/vmx/vmx.h"

#include <errno.h>
#include <stdint.h>

#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pmm.h"
#include "kernel/arch/x86/x86.h"
#include "vmm/ept.h"
#include "vmm/vmx/vmcs_fields.h"
#include "vmm/vmx/vmx_caps.h"
#include "vmm/vmx/vmx_insn.h"
#include "vmm/vmx/vmx_internal.h"

#define CPUID_1		    1u
#define CPUID_1_ECX_VMX	    (1u << 5)
#define X86_CR4_VMXE	    (1ull << 13)
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

struct vmx_cpu vmx_cpu;

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
	int err = adjust(VMX_CTLS_PIN, "pin-based", basic, PIN_REQUIRED, 0, 0, &vmx_cpu.pin);

	if (!err)
		err = adjust(VMX_CTLS_PROC, "processor-based", basic, PROC_REQUIRED, 0,
			     PROC_FORBIDDEN, &vmx_cpu.proc);
	if (!err)
		err = adjust(VMX_CTLS_PROC2, "secondary processor-based", basic, PROC2_REQUIRED,
			     PROC2_OPTIONAL, PROC2_FORBIDDEN, &vmx_cpu.proc2);
	if (!err)
		err = adjust(VMX_CTLS_EXIT, "VM-exit", basic, EXIT_REQUIRED, 0, EXIT_FORBIDDEN,
			     &vmx_cpu.exit);
	if (!err)
		err = adjust(VMX_CTLS_ENTRY, "VM-entry", basic, ENTRY_REQUIRED, 0, ENTRY_FORBIDDEN,
			     &vmx_cpu.entry);
	vmx_cpu.entry &= ~ENTRY_IA32E_MODE;
	vmx_cpu.proc &= ~PROC_INTR_WINDOW_EXITING;
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
	uint64_t cr0_new = vmx_cr_fixed(cr0, vmx_cpu.cr0_fixed0, vmx_cpu.cr0_fixed1),
		 cr4_new = vmx_cr_fixed(cr4, vmx_cpu.cr4_fixed0, vmx_cpu.cr4_fixed1);

	if (!(cr4_new & X86_CR4_VMXE)) {
		log_err("vmx: IA32_VMX_CR4_FIXED1 %#llx does not allow CR4.VMXE",
			(unsigned long long)vmx_cpu.cr4_fixed1);
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

	vmx_cpu.ept_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (ept_eptp(0, EPT_MT_WB, false, vmx_cpu.ept_cap, &eptp)) {
		log_err("vmx: IA32_VMX_EPT_VPID_CAP %#llx: no 4-level walk with write-back tables",
			(unsigned long long)vmx_cpu.ept_cap);
		return -ENODEV;
	}
	return 0;
}

int vmx_enable(void)
{
	uint64_t basic;
	uint32_t size;
	int err;

	if (vmx_cpu.enabled)
		return 0;
	if (!(cpuid(CPUID_1, 0).ecx & CPUID_1_ECX_VMX)) {
		log_err("vmx: the CPU has no VMX (CPUID.1:ECX bit 5)");
		return -ENODEV;
	}
	err = enable_feature_control();
	if (err)
		return err;
	basic = rdmsr(MSR_IA32_VMX_BASIC);
	if (vmx_basic_check(basic, &vmx_cpu.revision, &size)) {
		log_err("vmx: IA32_VMX_BASIC %#llx: regions above 4 KiB or not write-back",
			(unsigned long long)basic);
		return -ENODEV;
	}
	err = check_ept();
	if (!err)
		err = check_controls(basic);
	if (err)
		return err;
	vmx_cpu.va_bits = VA_BITS_4LEVEL;
	vmx_cpu.pa_bits = PA_BITS_NO_LEAF;
	if (cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_ADDR_SIZES) {
		uint32_t sizes = cpuid(CPUID_ADDR_SIZES, 0).eax;

		vmx_cpu.va_bits = (sizes >> CPUID_VA_BITS_SHIFT) & CPUID_VA_BITS_MASK;
		vmx_cpu.pa_bits = sizes & CPUID_PA_BITS_MASK;
	}
	vmx_cpu.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	vmx_cpu.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	vmx_cpu.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	vmx_cpu.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	err = fix_host_crs();
	if (err)
		return err;
	if (page_alloc_zeroed(&vmx_cpu.vmxon_pa))
		return -ENOMEM;
	*(uint32_t *)vmx_cpu.vmxon_pa = vmx_cpu.revision;
	if (vmx_vmxon(vmx_cpu.vmxon_pa)) {
		log_err("vmx: VMXON failed (CR0 %#llx CR4 %#llx)", (unsigned long long)read_cr0(),
			(unsigned long long)read_cr4());
		pmm_free(&kernel_pmm, vmx_cpu.vmxon_pa, 1);
		return -ENODEV;
	}
	if (vmx_cpu.ept_cap & EPT_CAP_INVEPT_ALL)
		vmx_invept_all();
	vmx_cpu.enabled = true;
	log_info("vmx: enabled: VMCS revision %#x, %s controls, EPT 4-level WB%s%s, VPID %s, "
		 "unrestricted guest %s",
		 vmx_cpu.revision, basic & VMX_BASIC_TRUE_CTLS ? "TRUE" : "default",
		 vmx_cpu.ept_cap & EPT_CAP_AD ? " A/D" : "",
		 vmx_cpu.ept_cap & EPT_CAP_1G ? " 1G" : "",
		 vmx_cpu.proc2 & PROC2_ENABLE_VPID ? "yes" : "no",
		 vmx_cpu.proc2 & PROC2_UNRESTRICTED ? "yes" : "no");
	return 0;
}

uint32_t vmx_cpu_pgt_features(void)
{
	return vmx_cpu.enabled ? cpu_pgt_features(CPU_PGT_EPT, vmx_cpu.ept_cap) : 0;
}
