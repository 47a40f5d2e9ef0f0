/* SPDX-License-Identifier: MIT */
/*
 * A guest's local APIC, one per vCPU, as a pure model (Intel SDM vol. 3A ch. 11) in x2APIC mode:
 * the guest reaches it through RDMSR/WRMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE and the x2APIC
 * MSRs, interrupts reach it from the VM (MSI through IRTEs, other vCPUs' IPIs), and the vCPU takes
 * them from it. No VMCS/VMCB, no host timer, no other vCPU: the exit handlers call in with the
 * guest's TSC, turn its -EINVAL into #GP, arm a host timer at vlapic_timer_deadline(), and route
 * the IPIs it sends through the VM's callback. Nothing here assumes a single vCPU.
 *
 * What the guest sees:
 *  - out of RESET the APIC is already in x2APIC mode (IA32_APIC_BASE EN = EXTD = 1, as firmware
 *    leaves it when CPUID shows x2APIC), software-disabled (SVR 0xFF), every LVT entry masked;
 *  - the x2APIC ID is the vCPU's index; the LDR is derived from it (11.12.10.2); the version
 *    register offers 6 LVT entries (timer, thermal, PMC, LINT0, LINT1, error: no CMCI) and no
 *    EOI-broadcast suppression;
 *  - xAPIC mode is not offered: IA32_APIC_BASE may go from x2APIC to disabled (EN = EXTD = 0,
 *    which the SDM allows, every register reset), but a WRMSR that would then enter xAPIC mode
 *    raises #GP, so a disabled APIC stays disabled until the VM is reset;
 *  - #GP (11.12.1.2, 11.12.1.3): any x2APIC MSR while the APIC is disabled, addresses in
 *    800H-BFFH table 11-6 does not list (and 82FH, CMCI), RDMSR of EOI and SELF IPI, WRMSR of a
 *    read-only register (ID, version, PPR, LDR, ISR, TMR, IRR, current count), a non-zero write to
 *    EOI or ESR, any reserved bit set (bits 63:32 of all but the ICR; TPR 31:8; SVR 31:9, focus
 *    processor checking and EOI-broadcast suppression not offered; the LVT bits each entry
 *    lacks; ICR 13, 17:16, 31:20; divide configuration bit 2 and 31:4; SELF IPI 31:8;
 *    IA32_APIC_BASE 7:0, 9 and from MAXPHYADDR up),
 *    the reserved timer mode 11b, and the IA32_APIC_BASE transitions figure 11-27 forbids;
 *  - read-only bits inside writable registers (LVT delivery status and remote IRR, ICR delivery
 *    status, IA32_APIC_BASE.BSP) ignore what is written; delivery is instantaneous, so delivery
 *    status reads 0;
 *  - errors the ESR reports (11.5.3; x2APIC rules in 11.6.3.1): sending vector 0-15 (ICR fixed,
 *    SELF IPI) sets "send illegal vector" and nothing is sent; receiving one (vlapic_deliver(),
 *    an LVT entry's vector) sets "received illegal vector" and no IRR bit; a lowest-priority
 *    IPI sets "redirectable IPI" and is not sent; each error raises the error LVT's vector
 *    unless it is masked;
 *  - IPIs: fixed ones to itself are accepted at once; INIT, start-up and NMI go to the other
 *    APICs named through the VM's callback (not to itself: counted refused), INIT level
 *    de-assert is dropped as on Pentium 4 and later (11.6.1), SMI (no SMM) and the reserved
 *    delivery modes are refused; one that no APIC takes is counted, never an error;
 *  - EOI of a level-triggered vector (TMR set) sends no EOI message: the platform has no I/O APIC.
 *  - the timer counts the initial count down at timer_hz divided by the divide configuration
 *    (one-shot or periodic); TSC-deadline mode compares IA32_TSC_DEADLINE with the guest TSC.
 */
#ifndef SKIFF_VMM_VPLAT_LAPIC_H
#define SKIFF_VMM_VPLAT_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/vplat/lapic_regs.h"
#include "vmm/vplat/lapic_timer.h"

struct vlapic;

/* LVT entries offered: timer, thermal, PMC, LINT0, LINT1, error (11.5.1; no CMCI). */
#define VLAPIC_NR_LVT 6u

/* How an IPI's destination names the APICs other than its sender. */
enum vlapic_dest {
	VLAPIC_DEST_PHYSICAL, /* the APIC whose x2APIC ID is dest */
	VLAPIC_DEST_LOGICAL,  /* those vlapic_accepts() the logical dest (cluster and members) */
	VLAPIC_DEST_ALL,      /* every one (shorthands "all", X2APIC_BROADCAST) */
};

/* An interprocessor interrupt leaving a local APIC for the others (ICR, 11.6.1, 11.12.9). */
struct vlapic_ipi {
	unsigned int delivery_mode; /* LAPIC_DM_FIXED (vector 16-255), _NMI, _INIT, _STARTUP */
	uint8_t vector;		    /* fixed: the vector; start-up: the start page; else 0 */
	enum vlapic_dest dest_kind;
	uint32_t dest; /* x2APIC ID (physical) or logical destination; X2APIC_BROADCAST (all) */
};

/*
 * The VM's side. send_ipi delivers @ipi to every APIC other than @from that it names (fixed:
 * vlapic_deliver(), edge) and returns whether at least one exists; NULL when the VM has no other
 * vCPU. It must not call back into @from.
 */
struct vlapic_ops {
	bool (*send_ipi)(void *ctx, const struct vlapic *from, const struct vlapic_ipi *ipi);
	void *ctx;
};

struct vlapic_config {
	uint32_t id;		 /* x2APIC ID = vCPU index; not X2APIC_BROADCAST */
	bool bsp;		 /* IA32_APIC_BASE.BSP: vCPU 0 */
	unsigned int maxphyaddr; /* the guest's CPUID.80000008H:EAX[7:0], 32-52 */
	uint64_t tsc_hz;	 /* guest TSC frequency (Hz) */
	uint64_t timer_hz;	 /* APIC timer input clock (Hz): one-shot/periodic count rate */
	struct vlapic_ops ops;
};

/* What happened to interrupts that went nowhere (for the VM's report). */
struct vlapic_stats {
	uint64_t ipi_sent;    /* IPIs sent (ICR, SELF IPI) */
	uint64_t ipi_absent;  /* ... that no APIC took */
	uint64_t ipi_refused; /* ICR/SELF IPI writes sending nothing (see above) */
	uint64_t dropped;     /* interrupts arriving while the APIC was disabled */
};

struct vlapic {
	struct vlapic_config cfg;
	uint64_t apic_base; /* IA32_APIC_BASE */
	uint32_t tpr;
	uint32_t svr;
	uint32_t isr[LAPIC_VEC_WORDS];
	uint32_t tmr[LAPIC_VEC_WORDS];
	uint32_t irr[LAPIC_VEC_WORDS];
	uint32_t esr;	      /* as last latched by a write of 0 */
	uint32_t esr_pending; /* errors seen since */
	uint64_t icr;
	uint32_t lvt[VLAPIC_NR_LVT]; /* by MSR, from X2APIC_MSR_LVT_TIMER */
	struct lapic_timer timer;
	struct vlapic_stats stats;
};

/*
 * vlapic_init - @a as after RESET (see above) for @cfg. Returns 0, or -EINVAL for the broadcast
 * ID, a MAXPHYADDR outside 32-52, or clocks lapic_timer_init() refuses.
 */
int vlapic_init(struct vlapic *a, const struct vlapic_config *cfg);

/*
 * vlapic_init_signal - an INIT arrived (INIT IPI, 11.12.5.1): every register but the ID and
 * IA32_APIC_BASE back to its RESET value, the mode kept (x2APIC stays x2APIC, disabled stays
 * disabled).
 */
void vlapic_init_signal(struct vlapic *a);

/*
 * vlapic_msr_read - RDMSR of @msr at guest TSC @now; the 64-bit value in @value (EDX:EAX).
 * Returns 0; -EINVAL when the guest gets #GP(0) (@value untouched); -ENOENT when @msr is none of
 * the APIC's (IA32_APIC_BASE, IA32_TSC_DEADLINE, 800H-BFFH): for the caller's other MSRs.
 */
int vlapic_msr_read(struct vlapic *a, uint32_t msr, uint64_t now, uint64_t *value);

/*
 * vlapic_msr_write - WRMSR of @value to @msr at guest TSC @now. Returns 0; -EINVAL for #GP(0);
 * -EOPNOTSUPP for an IA32_APIC_BASE write entering xAPIC mode, which the SDM allows and the
 * model refuses (inject #GP(0) too; the code says why); -ENOENT as vlapic_msr_read(). A refused
 * write changes nothing.
 */
int vlapic_msr_write(struct vlapic *a, uint32_t msr, uint64_t value, uint64_t now);

/*
 * vlapic_deliver - a fixed interrupt @vector arriving (MSI/IRTE, another APIC's IPI, the VM),
 * @level when level-triggered (sets its TMR bit; edge clears it). Returns 0 (in the IRR; one
 * already pending there is the same one, 11.8.4); -EINVAL for vectors 0-15 ("received illegal
 * vector" latched, no IRR bit); -ENODEV when the APIC is disabled or software-disabled (dropped,
 * counted).
 */
int vlapic_deliver(struct vlapic *a, uint8_t vector, bool level);

/*
 * vlapic_ppr - the processor-priority register (11.8.3.1): TPR when its class is at least the
 * highest in-service vector's class, else that class with sub-class 0.
 */
uint32_t vlapic_ppr(const struct vlapic *a);

/*
 * vlapic_pending - the interrupt the APIC would dispatch now (11.8.4): the highest IRR vector,
 * if its priority class is above PPR's, in @vector. Returns whether there is one. Whether the
 * vCPU can take it (RFLAGS.IF, interrupt shadow, an event being injected) is the caller's.
 */
bool vlapic_pending(const struct vlapic *a, uint8_t *vector);

/*
 * vlapic_ack - the vCPU took @vector, which vlapic_pending() returned: it moves from IRR to
 * ISR (11.8.4). Returns 0, or -EINVAL (nothing changes) when @vector is not the pending one.
 */
int vlapic_ack(struct vlapic *a, uint8_t vector);

/*
 * vlapic_timer_deadline - the guest TSC value at which the timer next needs
 * vlapic_timer_expire(), or 0 when it needs none (stopped, disarmed, or LVT timer masked: a
 * masked expiry is taken at the next timer register access or unmask).
 */
uint64_t vlapic_timer_deadline(const struct vlapic *a);

/*
 * vlapic_timer_expire - the guest TSC is @now: take the timer expiries due (11.5.4), raising the
 * LVT timer vector once if any was due and the entry is unmasked. Returns whether it raised it.
 */
bool vlapic_timer_expire(struct vlapic *a, uint64_t now);

/*
 * vlapic_accepts - whether @a is named by an IPI or message to @dest, logical when @logical
 * (11.12.10.2: cluster equal and a member bit in common) else physical; X2APIC_BROADCAST names
 * every APIC. For the VM's send_ipi.
 */
bool vlapic_accepts(const struct vlapic *a, uint32_t dest, bool logical);

#endif
