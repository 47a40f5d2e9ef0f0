/* SPDX-License-Identifier: MIT */
/*
 * A minimal x86 instruction decoder for exits that report no instruction length (SVM without
 * next-RIP save, e.g. QEMU's TCG) and for MMIO emulation (neither SVM without decode assists
 * nor VMX reports the register of an access that faulted in the nested tables).
 * It knows the instructions a guest exits on: IN/OUT (E4-E7, EC-EF), INS/OUTS (6C-6F), CPUID
 * (0F A2), RDMSR (0F 32), WRMSR (0F 30), VMMCALL (0F 01 D9), VMCALL (0F 01 C1), HLT (F4), MOV
 * from and to a debug register (0F 21, 0F 23), the instructions skiff intercepts to refuse or
 * emulate - INVD (0F 08), WBINVD (0F 09), WBNOINVD (F3 0F 09), RDPMC (0F 33), MONITOR (0F 01
 * C8), MWAIT (0F 01 C9), INVLPGA (0F 01 DF), MONITORX (0F 01 FA), MWAITX (0F 01 FB), RDPRU (0F
 * 01 FD) -, and the MOV forms of an MMIO access: 88/89 (store register), 8A/8B (load register),
 * C6/C7 (store immediate). Layout: Intel SDM vol. 2A ch. 2 (prefixes 2.1.1, REX 2.2.1, ModR/M
 * and SIB 2.1.5, RIP-relative addressing 2.2.1.6) and the opcode map of vol. 2D appendix A
 * (tables, group 7), AMD APM vol. 3 (MONITORX, MWAITX, RDPRU, INVLPGA, WBNOINVD);
 * 16-bit addressing is not supported. Pure: runs on the host under tests.
 */
#ifndef SKIFF_VMM_INSN_H
#define SKIFF_VMM_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define INSN_MAX_LEN 15 /* SDM vol. 2A 2.3.11 */

enum insn_kind {
	INSN_IN = 0,
	INSN_OUT,
	INSN_INS,
	INSN_OUTS,
	INSN_CPUID,
	INSN_RDMSR,
	INSN_WRMSR,
	INSN_VMMCALL,
	INSN_VMCALL,
	INSN_HLT,
	INSN_MOV_LOAD,	    /* register <- memory */
	INSN_MOV_STORE,	    /* memory <- register */
	INSN_MOV_STORE_IMM, /* memory <- immediate */
	INSN_MOV_FROM_DR,   /* register <- debug register */
	INSN_MOV_TO_DR,	    /* debug register <- register */
	INSN_INVD,
	INSN_WBINVD,
	INSN_WBNOINVD,
	INSN_RDPMC,
	INSN_MONITOR,
	INSN_MONITORX,
	INSN_MWAIT,
	INSN_MWAITX,
	INSN_RDPRU,
	INSN_INVLPGA,
	INSN_NR_KINDS,
};

/* The code size of the segment the instruction runs in (CS.L, CS.D; SDM vol. 3A 5.2.1). */
enum insn_mode {
	INSN_MODE_16 = 0,
	INSN_MODE_32,
	INSN_MODE_64,
};

struct insn {
	enum insn_kind kind;
	uint8_t len;   /* bytes, prefixes included */
	uint8_t size;  /* operand size in bytes: 1, 2, 4 or 8 (IN/OUT: the port access size) */
	uint8_t reg;   /* MOV, MOV DR: the register operand's GPR number (0-15), vmm/vcpu_state.h */
	uint8_t dr;    /* MOV DR: the debug register (ModR/M reg, REX.R: 0-15; 8-15 raise #UD) */
	bool high8;    /* MOV byte forms without REX: reg 4-7 mean AH, CH, DH, BH */
	uint8_t port;  /* IN/OUT imm8 forms: the port; 0 for the DX forms */
	bool port_imm; /* the port is an immediate (E4-E7) rather than DX */
	uint64_t imm;  /* INSN_MOV_STORE_IMM: the immediate, sign-extended to 64 bits */
};

/*
 * insn_decode - decode the instruction at @code (@avail bytes available, which may run past the
 * instruction) in @mode. Returns 0 and fills @out, -ENODATA when the bytes end before the
 * instruction does, -E2BIG when it would be longer than 15 bytes, -EOPNOTSUPP for any other
 * instruction or form (16-bit addressing, LOCK on a MOV).
 */
int insn_decode(const uint8_t *code, unsigned int avail, enum insn_mode mode, struct insn *out);

/*
 * insn_mode_of - the code size from the guest's EFER.LMA (@long_mode) and the CS attribute's
 * L and D/B bits (@cs_l, @cs_db): 64-bit when LMA and L, else 32-bit when D, else 16-bit.
 */
enum insn_mode insn_mode_of(bool long_mode, bool cs_l, bool cs_db);

/*
 * insn_reg_write - the new value of a 64-bit register holding @old after an instruction writes
 * @value with operand @size (SDM vol. 1 3.4.1.1): 4 bytes zero-extend to 64 bits, 1 and 2 bytes
 * keep the other bits; @high8 writes bits 15:8 (AH-BH).
 */
uint64_t insn_reg_write(uint64_t old, uint64_t value, unsigned int size, bool high8);

/* insn_reg_read - the @size-byte operand (or AH-BH with @high8) held in register value @reg. */
uint64_t insn_reg_read(uint64_t reg, unsigned int size, bool high8);

#endif
