/* SPDX-License-Identifier: MIT */
/*
 * A guest's debug registers, kept in software (Intel SDM vol. 3B 18.2, AMD APM vol. 2 13.1).
 * Every MOV to or from DR0-DR7 exits (VMX MOV-DR exiting, SVM DR read/write intercepts) and is
 * answered from this copy; the hardware debug registers stay the host's while the guest runs
 * and the guest's hardware DR7 stays at its reset value, so no breakpoint the guest sets ever
 * arms in the CPU (a guest breakpoint never fires: skiff offers no hardware debugging). #DB
 * exceptions the CPU raises in the guest (single-step, ICEBP) are intercepted and reflected
 * with their DR6 bits merged into this copy. Pure: no kernel types.
 */
#ifndef SKIFF_VMM_VCPU_DR_H
#define SKIFF_VMM_VCPU_DR_H

#include <stdbool.h>
#include <stdint.h>

#define VCPU_DR_ADDRS	 4
#define X86_DR6_RESET	 0xffff0ff0ull /* reserved bits read as 1 (SDM vol. 3B 18.2.3) */
#define X86_DR6_FIXED_1	 0xffff0ff0ull /* reads 1 (bit 16 too: skiff offers no RTM) */
#define X86_DR6_VOLATILE 0x0000e00full /* B0-B3, BD, BS, BT: set by debug exceptions */
#define X86_DR6_BD	 (1ull << 13)  /* the exception was a general-detect condition */
#define X86_DR7_RESET	 0x400ull
#define X86_DR7_FIXED_1	 (1ull << 10)
#define X86_DR7_MBZ	 0xd800ull    /* bits 11, 12, 14, 15 read as 0 */
#define X86_DR7_GD	 (1ull << 13) /* general detect: MOV DR raises #DB */
#define X86_DR_HIGH_MASK 0xffffffff00000000ull
#define X86_CR4_DE	 (1ull << 3) /* DR4/DR5 raise #UD instead of aliasing DR6/DR7 */

struct vcpu_dr {
	uint64_t addr[VCPU_DR_ADDRS]; /* DR0-DR3 */
	uint64_t dr6, dr7;
};

/* What a MOV DR does (the caller injects the exception; #GP and #DB without error code is
 * #GP(0)). */
enum vcpu_dr_result {
	VCPU_DR_DONE = 0,
	VCPU_DR_UD, /* DR4/DR5 with CR4.DE set */
	VCPU_DR_GP, /* CPL > 0, or a 1 written to bits 63:32 of DR6/DR7 */
	VCPU_DR_DB, /* DR7.GD was set: #DB with DR6.BD, GD cleared, nothing moved */
};

/* vcpu_dr_reset - the debug registers at power-up: DR0-DR3 0, DR6 FFFF0FF0h, DR7 400h. */
void vcpu_dr_reset(struct vcpu_dr *d);

/*
 * vcpu_dr_mov - MOV to (@write) or from DR@dr (0-7) at privilege level @cpl with the guest's
 * @cr4: for a write, *@value is the source; for a read, *@value gets the register. The checks
 * and their order follow the MOV DR instruction (SDM vol. 2B "MOV - Move to/from Debug
 * Registers"): CPL, CR4.DE for DR4/DR5, DR7.GD, then bits 63:32 of DR6/DR7 (64-bit operand).
 */
enum vcpu_dr_result vcpu_dr_mov(struct vcpu_dr *d, unsigned int dr, bool write, uint64_t *value,
				unsigned int cpl, uint64_t cr4);

/* vcpu_dr_debug_exception - a #DB the CPU raised in the guest: its DR6 condition bits
 * (@dr6_bits, the VMX exit qualification or the VMCB's DR6) set in the guest's DR6. */
void vcpu_dr_debug_exception(struct vcpu_dr *d, uint64_t dr6_bits);

#endif
