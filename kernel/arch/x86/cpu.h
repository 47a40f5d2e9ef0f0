/* SPDX-License-Identifier: MIT */
/* What the boot CPU is and which virtualization features it offers. */
#ifndef SKIFF_KERNEL_ARCH_X86_CPU_H
#define SKIFF_KERNEL_ARCH_X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_VENDOR_SIZE 13
#define CPU_BRAND_SIZE	49

struct cpu_info {
	char vendor[CPU_VENDOR_SIZE]; /* "GenuineIntel", "AuthenticAMD", ... */
	char brand[CPU_BRAND_SIZE];   /* CPUID.80000002H-80000004H, "" when absent */
	uint32_t family;	      /* display family (base + extended, SDM vol. 2A CPUID) */
	uint32_t model;		      /* display model */
	uint32_t stepping;
	bool vmx;	 /* CPUID.1:ECX.VMX */
	bool ept;	 /* VMX secondary control "enable EPT" may be 1 */
	bool svm;	 /* CPUID.80000001H:ECX.SVM */
	bool npt;	 /* CPUID.8000000AH:EDX.NP */
	bool page_1g;	 /* CPUID.80000001H:EDX.Page1GB */
	bool hypervisor; /* CPUID.1:ECX bit 31: running under a hypervisor */
};

/* cpu_identify - fill @ci from CPUID (and the VMX capability MSRs when VMX is present). */
void cpu_identify(struct cpu_info *ci);

#endif
