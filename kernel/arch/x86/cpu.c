// SPDX-License-Identifier: MIT
/* CPU identification (Intel SDM vol. 2A CPUID; vol. 3D appendix A VMX capability MSRs;
 * AMD APM vol. 3 appendix E CPUID). */
#include "kernel/arch/x86/cpu.h"

#include <string.h>

#include "kernel/arch/x86/x86.h"

#define CPUID_VENDOR	   0u
#define CPUID_FEATURES	   1u
#define CPUID_EXT_MAX	   0x80000000u
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_BRAND_FIRST  0x80000002u
#define CPUID_BRAND_LEAVES 3u
#define CPUID_SVM_FEATURES 0x8000000au

#define CPUID_1_ECX_VMX	       (1u << 5)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_EXT_ECX_SVM      (1u << 2)
#define CPUID_EXT_EDX_PAGE1GB  (1u << 26)
#define CPUID_SVM_EDX_NP       (1u << 0)

#define EAX_STEPPING(a)	  ((a)&0xfu)
#define EAX_MODEL(a)	  (((a) >> 4) & 0xfu)
#define EAX_FAMILY(a)	  (((a) >> 8) & 0xfu)
#define EAX_EXT_MODEL(a)  (((a) >> 16) & 0xfu)
#define EAX_EXT_FAMILY(a) (((a) >> 20) & 0xffu)
#define FAMILY_USES_EXT	  0xfu
#define FAMILY_6	  0x6u

#define MSR_IA32_VMX_PROCBASED_CTLS  0x482u
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48bu
#define VMX_CTLS_ALLOWED1_SHIFT	     32 /* high half: controls that may be 1 */
#define PROCBASED_ACTIVATE_SECONDARY (1ull << 31)
#define PROCBASED2_ENABLE_EPT	     (1ull << 1)

static void read_brand(struct cpu_info *ci)
{
	uint32_t words[CPUID_BRAND_LEAVES * 4];
	const char *s;

	if (cpuid(CPUID_EXT_MAX, 0).eax < CPUID_BRAND_FIRST + CPUID_BRAND_LEAVES - 1)
		return;
	for (uint32_t i = 0; i < CPUID_BRAND_LEAVES; i++) {
		struct cpuid_regs r = cpuid(CPUID_BRAND_FIRST + i, 0);

		words[i * 4] = r.eax;
		words[i * 4 + 1] = r.ebx;
		words[i * 4 + 2] = r.ecx;
		words[i * 4 + 3] = r.edx;
	}
	memcpy(ci->brand, words, sizeof(words));
	ci->brand[CPU_BRAND_SIZE - 1] = '\0';
	for (s = ci->brand; *s == ' '; s++)
		;
	memmove(ci->brand, s, strlen(s) + 1);
}

void cpu_identify(struct cpu_info *ci)
{
	struct cpuid_regs r = cpuid(CPUID_VENDOR, 0), f;
	uint32_t ext_max;

	memset(ci, 0, sizeof(*ci));
	memcpy(ci->vendor, &r.ebx, 4);
	memcpy(ci->vendor + 4, &r.edx, 4);
	memcpy(ci->vendor + 8, &r.ecx, 4);

	f = cpuid(CPUID_FEATURES, 0);
	ci->family = EAX_FAMILY(f.eax);
	ci->model = EAX_MODEL(f.eax);
	if (ci->family == FAMILY_USES_EXT)
		ci->family += EAX_EXT_FAMILY(f.eax);
	if (ci->family == FAMILY_6 || ci->family >= FAMILY_USES_EXT)
		ci->model |= EAX_EXT_MODEL(f.eax) << 4;
	ci->stepping = EAX_STEPPING(f.eax);
	ci->hypervisor = f.ecx & CPUID_1_ECX_HYPERVISOR;
	ci->vmx = f.ecx & CPUID_1_ECX_VMX;
	if (ci->vmx) {
		uint64_t proc = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);

		if ((proc >> VMX_CTLS_ALLOWED1_SHIFT) & PROCBASED_ACTIVATE_SECONDARY)
			ci->ept = (rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> VMX_CTLS_ALLOWED1_SHIFT) &
				  PROCBASED2_ENABLE_EPT;
	}

	ext_max = cpuid(CPUID_EXT_MAX, 0).eax;
	if (ext_max >= CPUID_EXT_FEATURES) {
		struct cpuid_regs e = cpuid(CPUID_EXT_FEATURES, 0);

		ci->svm = e.ecx & CPUID_EXT_ECX_SVM;
		ci->page_1g = e.edx & CPUID_EXT_EDX_PAGE1GB;
	}
	if (ci->svm && ext_max >= CPUID_SVM_FEATURES)
		ci->npt = cpuid(CPUID_SVM_FEATURES, 0).edx & CPUID_SVM_EDX_NP;
	read_brand(ci);
}
