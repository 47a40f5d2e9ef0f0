// SPDX-License-Identifier: MIT
/* The host state a guest must never change: see host_state.h. */
#include "vmm/host_state.h"

#include <stdio.h>

#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/time.h"
#include "kernel/arch/x86/x86.h"

#define CPUID_EXT_FEATURES     0x80000001u
#define CPUID_EXT_EDX_RDTSCP   (1u << 27)
#define CPUID_XSAVE_LEAF       0xdu
#define CPUID_XSAVE_SUB_EXT    1u
#define CPUID_XSAVE_EAX_XSAVES (1u << 3)
#define CPUID_MAX_LEAF	       0u
#define CPUID_EXT_MAX	       0x80000000u
#define ALIVE_POLL_US	       10

static void add(struct host_state *s, const char *name, uint64_t value)
{
	if (s->n < HOST_STATE_FIELDS) {
		s->name[s->n] = name;
		s->value[s->n++] = value;
	}
}

void host_state_save(struct host_state *s)
{
	s->n = 0;
	add(s, "CR8", read_cr8());
	add(s, "APIC.TPR", apic_tpr());
	add(s, "DR0", read_dr0());
	add(s, "DR1", read_dr1());
	add(s, "DR2", read_dr2());
	add(s, "DR3", read_dr3());
	add(s, "DR6", read_dr6());
	add(s, "DR7", read_dr7());
	add(s, "EFER", rdmsr(MSR_EFER));
	add(s, "PAT", rdmsr(MSR_IA32_PAT));
	add(s, "STAR", rdmsr(MSR_STAR));
	add(s, "LSTAR", rdmsr(MSR_LSTAR));
	add(s, "CSTAR", rdmsr(MSR_CSTAR));
	add(s, "SFMASK", rdmsr(MSR_SFMASK));
	add(s, "KERNEL_GS_BASE", rdmsr(MSR_KERNEL_GS_BASE));
	if (cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_EXT_FEATURES &&
	    (cpuid(CPUID_EXT_FEATURES, 0).edx & CPUID_EXT_EDX_RDTSCP))
		add(s, "TSC_AUX", rdmsr(MSR_TSC_AUX));
	if (cpuid(CPUID_MAX_LEAF, 0).eax >= CPUID_XSAVE_LEAF &&
	    (cpuid(CPUID_XSAVE_LEAF, CPUID_XSAVE_SUB_EXT).eax & CPUID_XSAVE_EAX_XSAVES))
		add(s, "IA32_XSS", rdmsr(MSR_IA32_XSS));
}

unsigned int host_state_diff(const struct host_state *before, const struct host_state *after,
			     char *buf, unsigned int size)
{
	unsigned int differ = 0, len = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < before->n && i < after->n; i++) {
		if (before->value[i] == after->value[i])
			continue;
		differ++;
		if (len < size)
			len += (unsigned int)snprintf(buf + len, size - len, "%s%s %#llx->%#llx",
						      len ? ", " : "", before->name[i],
						      (unsigned long long)before->value[i],
						      (unsigned long long)after->value[i]);
	}
	return differ;
}

static void on_probe(void *arg)
{
	(*(volatile unsigned int *)arg)++;
}

bool host_irq_alive(unsigned int timeout_us)
{
	static volatile unsigned int arrived;
	int vector = irq_alloc(on_probe, (void *)&arrived);
	unsigned int before = arrived;
	bool alive = false;

	if (vector < 0)
		return false;
	irq_enable();
	apic_self_ipi((uint8_t)vector);
	for (unsigned int t = 0; t <= timeout_us && !alive; t += ALIVE_POLL_US) {
		alive = arrived != before;
		if (!alive)
			time_delay_us(ALIVE_POLL_US);
	}
	irq_free(vector);
	return alive;
}
