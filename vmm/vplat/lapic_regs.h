/* SPDX-License-Identifier: MIT */
/*
 * The local APIC's registers as the x2APIC MSR interface presents them (Intel SDM vol. 3A ch. 11):
 * the MSR numbers (11.12.1.2, table 11-6), IA32_APIC_BASE (11.4.4, 11.12.1) and each register's
 * fields. Facts only: the model that gives them meaning is vmm/vplat/lapic.c.
 */
#ifndef SKIFF_VMM_VPLAT_LAPIC_REGS_H
#define SKIFF_VMM_VPLAT_LAPIC_REGS_H

#include "kernel/bits.h"

/* IA32_APIC_BASE (11.4.4 figure 11-5; EXTD 11.12.1). Bits 0-7 and 9 are reserved. */
#define MSR_IA32_APIC_BASE     0x1bu
#define APIC_BASE_BSP	       GENMASK(8, 8)   /* read-only: this is the bootstrap processor */
#define APIC_BASE_EXTD	       GENMASK(10, 10) /* x2APIC mode */
#define APIC_BASE_EN	       GENMASK(11, 11) /* APIC global enable */
#define APIC_BASE_ADDR_LOW     12u	       /* the base's bits 12 .. MAXPHYADDR-1 */
#define APIC_BASE_ADDR_DEFAULT 0xfee00000u     /* after RESET (11.4.4) */

/* IA32_TSC_DEADLINE (11.5.4.1; vol. 4 table 2-2). */
#define MSR_IA32_TSC_DEADLINE 0x6e0u

/* The x2APIC MSR range (11.12.1.2): addresses in it that table 11-6 does not list are reserved. */
#define X2APIC_MSR_FIRST 0x800u
#define X2APIC_MSR_LAST	 0xbffu

/* Table 11-6, the registers the model offers (CMCI's LVT, 82FH, is not offered). */
#define X2APIC_MSR_ID	       0x802u
#define X2APIC_MSR_VERSION     0x803u
#define X2APIC_MSR_TPR	       0x808u
#define X2APIC_MSR_PPR	       0x80au
#define X2APIC_MSR_EOI	       0x80bu
#define X2APIC_MSR_LDR	       0x80du
#define X2APIC_MSR_SVR	       0x80fu
#define X2APIC_MSR_ISR0	       0x810u /* ISR bits 31:0; 0x811 bits 63:32 ... 0x817 */
#define X2APIC_MSR_TMR0	       0x818u
#define X2APIC_MSR_IRR0	       0x820u
#define X2APIC_MSR_ESR	       0x828u
#define X2APIC_MSR_LVT_CMCI    0x82fu
#define X2APIC_MSR_ICR	       0x830u /* 64 bits: the only one (11.12.9) */
#define X2APIC_MSR_LVT_TIMER   0x832u
#define X2APIC_MSR_LVT_THERMAL 0x833u
#define X2APIC_MSR_LVT_PMC     0x834u
#define X2APIC_MSR_LVT_LINT0   0x835u
#define X2APIC_MSR_LVT_LINT1   0x836u
#define X2APIC_MSR_LVT_ERROR   0x837u
#define X2APIC_MSR_TMICT       0x838u /* timer initial count */
#define X2APIC_MSR_TMCCT       0x839u /* timer current count, read-only */
#define X2APIC_MSR_TDCR	       0x83eu /* timer divide configuration */
#define X2APIC_MSR_SELF_IPI    0x83fu /* write-only */

/* The 8 32-bit words of a 256-bit vector register (ISR, TMR, IRR; 11.8.4 figure 11-20). */
#define LAPIC_VEC_WORDS	    8u
#define LAPIC_VEC_WORD_BITS 32u
/* Upper 32 bits of every x2APIC MSR except the ICR are reserved (11.12.1.2). */
#define X2APIC_MSR_HIGH GENMASK(63, 32)

/* Vectors 0-15 are illegal for interrupts (11.5.2); a vector's priority class is its 7:4. */
#define LAPIC_VECTOR_CLASS GENMASK(7, 4)
#define LAPIC_FIRST_VECTOR 16u
#define LAPIC_NR_CLASSES   16u

/* Version register (11.4.8 figure 11-7); bit 24, EOI-broadcast suppression, is not offered. */
#define LAPIC_VERSION_VERSION	 GENMASK(7, 0)
#define LAPIC_VERSION_MAX_LVT	 GENMASK(23, 16) /* number of LVT entries minus 1 */
#define LAPIC_VERSION_INTEGRATED 0x14u		 /* 1xH: an integrated APIC */

/* TPR and PPR (11.8.3.1 figures 11-18, 11-19): class 7:4, sub-class 3:0; 31:8 reserved. */
#define LAPIC_TPR_VALID GENMASK(7, 0)

/* Logical x2APIC ID in the LDR (11.12.10.2): cluster 31:16 = ID 19:4, bit (ID 3:0) of 15:0. */
#define X2APIC_LDR_CLUSTER GENMASK(31, 16)
#define X2APIC_LDR_MEMBERS GENMASK(15, 0)
#define X2APIC_ID_CLUSTER  GENMASK(19, 4)
#define X2APIC_ID_MEMBER   GENMASK(3, 0)
#define X2APIC_BROADCAST   0xffffffffu /* destination "all" in both modes (11.12.9) */

/* Spurious-interrupt vector register (11.9 figure 11-23). */
#define LAPIC_SVR_VECTOR       GENMASK(7, 0)
#define LAPIC_SVR_ENABLE       GENMASK(8, 8)   /* APIC software enable */
#define LAPIC_SVR_FOCUS_OFF    GENMASK(9, 9)   /* not offered: reserved here */
#define LAPIC_SVR_EOI_SUPPRESS GENMASK(12, 12) /* not offered: reserved here */
#define LAPIC_SVR_RESET	       0xffu

/*
 * Error status register (11.5.3 figure 11-9). Bits 3:0 are P6/Pentium bus errors; bit 7, illegal
 * register address, is never set in x2APIC mode, where such an access raises #GP (11.6.3.1).
 */
#define LAPIC_ESR_REDIRECTABLE_IPI GENMASK(4, 4) /* lowest-priority IPI refused */
#define LAPIC_ESR_SEND_ILLEGAL	   GENMASK(5, 5)
#define LAPIC_ESR_RECV_ILLEGAL	   GENMASK(6, 6)

/* Local vector table entries (11.5.1 figure 11-8). */
#define LAPIC_LVT_VECTOR	  GENMASK(7, 0)
#define LAPIC_LVT_DELIVERY_MODE	  GENMASK(10, 8)  /* LINT0/1, thermal, PMC, CMCI */
#define LAPIC_LVT_DELIVERY_STATUS GENMASK(12, 12) /* read-only */
#define LAPIC_LVT_POLARITY	  GENMASK(13, 13) /* LINT0/1 */
#define LAPIC_LVT_REMOTE_IRR	  GENMASK(14, 14) /* LINT0/1, read-only */
#define LAPIC_LVT_TRIGGER	  GENMASK(15, 15) /* LINT0/1: 1 level */
#define LAPIC_LVT_MASK		  GENMASK(16, 16)
#define LAPIC_LVT_TIMER_MODE	  GENMASK(18, 17) /* timer */
#define LAPIC_TIMER_ONE_SHOT	  0u
#define LAPIC_TIMER_PERIODIC	  1u
#define LAPIC_TIMER_TSC_DEADLINE  2u /* 3 is reserved */
#define LAPIC_LVT_RESET		  LAPIC_LVT_MASK

/* Interrupt command register, x2APIC layout (11.6.1 figure 11-12, 11.12.9 figure 11-28). */
#define LAPIC_ICR_VECTOR	GENMASK(7, 0)
#define LAPIC_ICR_DELIVERY_MODE GENMASK(10, 8)
#define LAPIC_ICR_LOGICAL	GENMASK(11, 11) /* destination mode */
#define LAPIC_ICR_STATUS	GENMASK(12, 12) /* delivery status: ignored, reads 0 */
#define LAPIC_ICR_LEVEL		GENMASK(14, 14) /* 1 assert */
#define LAPIC_ICR_TRIGGER	GENMASK(15, 15) /* 1 level */
#define LAPIC_ICR_SHORTHAND	GENMASK(19, 18)
#define LAPIC_ICR_DEST		GENMASK(63, 32) /* x2APIC ID, or cluster and members */
#define LAPIC_ICR_RESERVED	(GENMASK(13, 13) | GENMASK(17, 16) | GENMASK(31, 20))
#define LAPIC_SHORTHAND_NONE	0u
#define LAPIC_SHORTHAND_SELF	1u
#define LAPIC_SHORTHAND_ALL	2u /* all including self */
#define LAPIC_SHORTHAND_OTHERS	3u /* all excluding self */

/* Delivery modes (ICR 10:8, LVT 10:8; 11.6.1). 3 and 7 in the ICR are reserved. */
#define LAPIC_DM_FIXED	 0u
#define LAPIC_DM_LOWEST	 1u
#define LAPIC_DM_SMI	 2u
#define LAPIC_DM_NMI	 4u
#define LAPIC_DM_INIT	 5u
#define LAPIC_DM_STARTUP 6u
#define LAPIC_DM_EXTINT	 7u /* LVT LINT0/1 only */

/* SELF IPI register (11.12.11): vector 7:0, 31:8 reserved. */
#define X2APIC_SELF_IPI_VECTOR GENMASK(7, 0)

/* Divide configuration register (11.5.4 figure 11-10): bits 3, 1:0; bit 2 and 31:4 reserved. */
#define LAPIC_TDCR_LOW	 GENMASK(1, 0)
#define LAPIC_TDCR_HIGH	 GENMASK(3, 3)
#define LAPIC_TDCR_VALID (LAPIC_TDCR_LOW | LAPIC_TDCR_HIGH)
#define LAPIC_TDCR_BY_1	 0xbu /* 1011b; 0000b is divide by 2, ... 1010b by 128 */

#endif
