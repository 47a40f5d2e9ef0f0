/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's architectural state in backend-neutral form (used by vmm/vcpu.h and by the pure
 * instruction decoder and guest page walker, so it carries no kernel types).
 *
 * General-purpose registers are indexed by their instruction encoding (Intel SDM vol. 2A
 * 2.1.5, table 2-2 "reg" field with REX.R/B: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI,
 * 7 RDI, 8-15 R8-R15), so a decoded register number indexes gpr[] directly. Segment attributes
 * use the 12-bit form of the AMD VMCB (APM vol. 2 table B-2): descriptor bits 47:40 in 7:0 and
 * bits 55:52 in 11:8; a VMX backend converts them to its access-rights format.
 */
#ifndef SKIFF_VMM_VCPU_STATE_H
#define SKIFF_VMM_VCPU_STATE_H

#include <stdint.h>

enum vcpu_gpr {
	VCPU_RAX = 0,
	VCPU_RCX,
	VCPU_RDX,
	VCPU_RBX,
	VCPU_RSP,
	VCPU_RBP,
	VCPU_RSI,
	VCPU_RDI,
	VCPU_R8,
	VCPU_R9,
	VCPU_R10,
	VCPU_R11,
	VCPU_R12,
	VCPU_R13,
	VCPU_R14,
	VCPU_R15,
	VCPU_NR_GPRS,
};

struct vcpu_regs {
	uint64_t gpr[VCPU_NR_GPRS];
	uint64_t rip, rflags;
};

/* Segment attribute bits (see above). */
#define VCPU_SEG_TYPE_MASK 0x000fu
#define VCPU_SEG_S	   (1u << 4)
#define VCPU_SEG_DPL_SHIFT 5
#define VCPU_SEG_DPL_MASK  (3u << VCPU_SEG_DPL_SHIFT)
#define VCPU_SEG_P	   (1u << 7)
#define VCPU_SEG_L	   (1u << 9)
#define VCPU_SEG_DB	   (1u << 10)
#define VCPU_SEG_G	   (1u << 11)

struct vcpu_seg {
	uint16_t selector;
	uint16_t attrib; /* VCPU_SEG_* */
	uint32_t limit;	 /* bytes - 1 */
	uint64_t base;
};

struct vcpu_dtable {
	uint16_t limit;
	uint64_t base;
};

/* What vcpu_load_state() sets: everything a guest needs to start in any mode. */
struct vcpu_state {
	struct vcpu_regs regs;
	uint64_t cr0, cr3, cr4, efer;
	struct vcpu_seg es, cs, ss, ds, fs, gs, ldtr, tr;
	struct vcpu_dtable gdtr, idtr;
};

/* Control registers, CS and the CPL as they were at an exit, and the guest's MAXPHYADDR: enough
 * to fetch and decode at CS:RIP (vmm/guest_walk.h) and to check an instruction's privilege. */
struct vcpu_paging {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t cs_base;
	uint16_t cs_attrib;
	uint8_t cpl;	 /* the current privilege level (SS.DPL; SVM's VMCB CPL) */
	uint8_t pa_bits; /* MAXPHYADDR as the guest's CPUID 80000008H:EAX[7:0] gives it */
};

/* Architectural bits the vCPU code needs (Intel SDM vol. 3A 2.5, AMD APM vol. 2 3.1). */
#define X86_CR0_PE	 (1ull << 0)
#define X86_CR0_ET	 (1ull << 4)
#define X86_CR0_PG	 (1ull << 31)
#define X86_CR4_PSE	 (1ull << 4)
#define X86_CR4_PAE	 (1ull << 5)
#define X86_CR4_LA57	 (1ull << 12)
#define X86_EFER_SCE	 (1ull << 0)
#define X86_EFER_LME	 (1ull << 8)
#define X86_EFER_LMA	 (1ull << 10)
#define X86_EFER_NXE	 (1ull << 11)
#define X86_RFLAGS_FIXED (1ull << 1) /* bit 1 reads as 1 */
#define X86_RFLAGS_IF	 (1ull << 9) /* interrupts enabled (SDM vol. 1 3.4.3.2) */

/* Exception vectors (SDM vol. 3A table 6-1). */
#define X86_EXC_DB 1
#define X86_EXC_UD 6
#define X86_EXC_DF 8
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_AC 17

/*
 * vcpu_state_flat32 - @s set to 32-bit protected mode with paging off: flat 4 GiB code
 * (selector 0x08) and data (0x10) segments, a busy 32-bit TSS and an LDT of null base (as VM
 * entry checks demand of TR and LDTR: Intel SDM vol. 3C 27.3.1.2, AMD APM vol. 2 15.5.1), empty
 * GDT and IDT limits 0xffff at base 0, interrupts off, execution at @rip. How skiff starts its
 * guests; the guest builds its own GDT, IDT and page tables.
 */
void vcpu_state_flat32(struct vcpu_state *s, uint64_t rip);

#endif
