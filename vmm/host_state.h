/* SPDX-License-Identifier: MIT */
/*
 * The host state a guest must never change: the local APIC's task priority (CR8), the debug
 * registers, the SYSCALL / SYSENTER / segment-base MSRs, PAT, EFER and, where the CPU has
 * them, TSC_AUX and IA32_XSS. Taken before a guest runs and compared after it stopped, so a
 * backend that lets any of it through (a guest write reaching the host's register, or a
 * register the exit does not switch back) is seen by name. Kernel only.
 */
#ifndef SKIFF_VMM_HOST_STATE_H
#define SKIFF_VMM_HOST_STATE_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_STATE_FIELDS 20

struct host_state {
	unsigned int n;
	const char *name[HOST_STATE_FIELDS];
	uint64_t value[HOST_STATE_FIELDS];
};

/* host_state_save - read every field this CPU has into @s. */
void host_state_save(struct host_state *s);

/*
 * host_state_diff - compare @after with @before; for each field that differs, "NAME
 * before->after" is appended to @buf (@size bytes, always terminated). Returns the number of
 * fields that differ.
 */
unsigned int host_state_diff(const struct host_state *before, const struct host_state *after,
			     char *buf, unsigned int size);

/*
 * host_irq_alive - enable interrupts, send this CPU a self-IPI and wait up to
 * @timeout_us for it: false when it never arrives (the TPR or a lost EOI blocks the host).
 */
bool host_irq_alive(unsigned int timeout_us);

#endif
