// SPDX-License-Identifier: MIT
/* The exit-instruction decoder: see insn.h. */
#include "vmm/insn.h"

#include <errno.h>

/* Legacy prefixes (SDM vol. 2A 2.1.1). */
#define PFX_LOCK   0xf0
#define PFX_REPNE  0xf2
#define PFX_REP	   0xf3
#define PFX_CS	   0x2e
#define PFX_SS	   0x36
#define PFX_DS	   0x3e
#define PFX_ES	   0x26
#define PFX_FS	   0x64
#define PFX_GS	   0x65
#define PFX_OPSIZE 0x66
#define PFX_ADSIZE 0x67

/* REX (2.2.1): 0100WRXB. */
#define REX_MASK 0xf0
#define REX_BASE 0x40
#define REX_W	 0x08
#define REX_R	 0x04
#define REX_B	 0x01
#define REX_EXT	 8 /* REX.R / REX.B add 8 to a register number */

/* One-byte opcodes (vol. 2D table A-2) and the 0F map (table A-3). */
#define OP_INSB	      0x6c
#define OP_INSD	      0x6d
#define OP_OUTSB      0x6e
#define OP_OUTSD      0x6f
#define OP_MOV_EB_GB  0x88
#define OP_MOV_EV_GV  0x89
#define OP_MOV_GB_EB  0x8a
#define OP_MOV_GV_EV  0x8b
#define OP_MOV_EB_IB  0xc6
#define OP_MOV_EV_IZ  0xc7
#define OP_IN_AL_IB   0xe4
#define OP_IN_EAX_IB  0xe5
#define OP_OUT_IB_AL  0xe6
#define OP_OUT_IB_EAX 0xe7
#define OP_IN_AL_DX   0xec
#define OP_IN_EAX_DX  0xed
#define OP_OUT_DX_AL  0xee
#define OP_OUT_DX_EAX 0xef
#define OP_HLT	      0xf4
#define OP_ESCAPE     0x0f
#define OP2_GRP7      0x01
#define OP2_INVD      0x08
#define OP2_WBINVD    0x09 /* WBNOINVD with F3 */
#define OP2_MOV_R_DR  0x21
#define OP2_MOV_DR_R  0x23
#define OP2_WRMSR     0x30
#define OP2_RDMSR     0x32
#define OP2_RDPMC     0x33
#define OP2_CPUID     0xa2
/* Group 7 (0F 01) forms with ModR/M.mod 11b (table A-6) */
#define GRP7_VMCALL   0xc1
#define GRP7_MONITOR  0xc8
#define GRP7_MWAIT    0xc9
#define GRP7_VMMCALL  0xd9
#define GRP7_INVLPGA  0xdf
#define GRP7_MONITORX 0xfa
#define GRP7_MWAITX   0xfb
#define GRP7_RDPRU    0xfd

/* ModR/M and SIB (2.1.5). */
#define MODRM_MOD(b)  ((b) >> 6)
#define MODRM_REG(b)  (((b) >> 3) & 7)
#define MODRM_RM(b)   ((b)&7)
#define SIB_BASE(b)   ((b)&7)
#define MOD_NO_DISP   0
#define MOD_DISP8     1
#define MOD_DISP32    2
#define MOD_REGISTER  3
#define RM_SIB	      4
#define RM_DISP32     5 /* with mod 0: disp32 (RIP-relative in 64-bit mode) */
#define SIB_BASE_NONE 5 /* with mod 0: disp32, no base */
#define HIGH8_FIRST   4 /* reg 4-7 without REX: AH, CH, DH, BH */
#define HIGH8_LAST    7
#define HIGH8_SHIFT   8

struct cursor {
	const uint8_t *code;
	unsigned int avail, pos;
};

static int next(struct cursor *c, uint8_t *b)
{
	if (c->pos >= INSN_MAX_LEN)
		return -E2BIG;
	if (c->pos >= c->avail)
		return -ENODATA;
	*b = c->code[c->pos++];
	return 0;
}

static int skip(struct cursor *c, unsigned int n)
{
	if (c->pos + n > INSN_MAX_LEN)
		return -E2BIG;
	if (c->pos + n > c->avail)
		return -ENODATA;
	c->pos += n;
	return 0;
}

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case PFX_LOCK:
	case PFX_REPNE:
	case PFX_REP:
	case PFX_CS:
	case PFX_SS:
	case PFX_DS:
	case PFX_ES:
	case PFX_FS:
	case PFX_GS:
	case PFX_OPSIZE:
	case PFX_ADSIZE:
		return true;
	default:
		return false;
	}
}

enum insn_mode insn_mode_of(bool long_mode, bool cs_l, bool cs_db)
{
	if (long_mode && cs_l)
		return INSN_MODE_64;
	return cs_db ? INSN_MODE_32 : INSN_MODE_16;
}

/* Skip a memory operand's SIB and displacement after ModR/M byte @modrm. */
static int skip_memory_operand(struct cursor *c, uint8_t modrm)
{
	unsigned int mod = MODRM_MOD(modrm);
	uint8_t sib;
	int err;

	if (mod == MOD_REGISTER)
		return -EOPNOTSUPP; /* not a memory access: nothing to emulate */
	if (MODRM_RM(modrm) == RM_SIB) {
		err = next(c, &sib);
		if (err)
			return err;
		if (mod == MOD_NO_DISP && SIB_BASE(sib) == SIB_BASE_NONE)
			return skip(c, 4);
	} else if (mod == MOD_NO_DISP && MODRM_RM(modrm) == RM_DISP32) {
		return skip(c, 4);
	}
	return mod == MOD_DISP8 ? skip(c, 1) : mod == MOD_DISP32 ? skip(c, 4) : 0;
}

static int read_imm(struct cursor *c, unsigned int n, uint64_t *imm)
{
	uint64_t v = 0;
	uint8_t b;
	int err;

	for (unsigned int i = 0; i < n; i++) {
		err = next(c, &b);
		if (err)
			return err;
		v |= (uint64_t)b << (8 * i);
	}
	/* Sign-extend from n bytes (imm32 with REX.W, SDM vol. 2B "MOV"). */
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ull << (8 * n);
	*imm = v;
	return 0;
}

static int decode_mov(struct cursor *c, uint8_t op, uint8_t rex, unsigned int opsize, bool lock,
		      bool addr16, struct insn *out)
{
	bool byte_form = op == OP_MOV_EB_GB || op == OP_MOV_GB_EB || op == OP_MOV_EB_IB;
	uint8_t modrm;
	int err;

	if (lock || addr16)
		return -EOPNOTSUPP;
	err = next(c, &modrm);
	if (err)
		return err;
	err = skip_memory_operand(c, modrm);
	if (err)
		return err;
	out->size = byte_form ? 1 : (uint8_t)opsize;
	out->reg = (uint8_t)(MODRM_REG(modrm) | (rex & REX_R ? REX_EXT : 0));
	out->high8 = byte_form && !rex && out->reg >= HIGH8_FIRST && out->reg <= HIGH8_LAST;
	if (op == OP_MOV_EB_IB || op == OP_MOV_EV_IZ) {
		if (MODRM_REG(modrm))
			return -EOPNOTSUPP; /* C6/C7 /0 only */
		out->kind = INSN_MOV_STORE_IMM;
		out->reg = 0;
		out->high8 = false;
		return read_imm(c, out->size == 8 ? 4 : out->size, &out->imm);
	}
	out->kind = op == OP_MOV_GB_EB || op == OP_MOV_GV_EV ? INSN_MOV_LOAD : INSN_MOV_STORE;
	return 0;
}

static const struct {
	uint8_t modrm;
	enum insn_kind kind;
} grp7[] = {
	{ GRP7_VMCALL, INSN_VMCALL },	{ GRP7_VMMCALL, INSN_VMMCALL },
	{ GRP7_MONITOR, INSN_MONITOR }, { GRP7_MWAIT, INSN_MWAIT },
	{ GRP7_INVLPGA, INSN_INVLPGA }, { GRP7_MONITORX, INSN_MONITORX },
	{ GRP7_MWAITX, INSN_MWAITX },	{ GRP7_RDPRU, INSN_RDPRU },
};

static int decode_grp7(struct cursor *c, struct insn *out)
{
	uint8_t b;
	int err = next(c, &b);

	if (err)
		return err;
	for (unsigned int i = 0; i < sizeof(grp7) / sizeof(grp7[0]); i++) {
		if (grp7[i].modrm == b) {
			out->kind = grp7[i].kind;
			return 0;
		}
	}
	return -EOPNOTSUPP;
}

/*
 * MOV from / to DRn (SDM vol. 2B "MOV - Move to/from Debug Registers", APM vol. 3 "MOV(DRn)"):
 * register to register whatever ModR/M.mod says, the debug register in ModR/M.reg (REX.R: DR8-15,
 * which raise #UD), the GPR in ModR/M.rm (REX.B: R8-R15); 64-bit operands in 64-bit mode, 32-bit
 * otherwise, whatever 66h says.
 */
static int decode_mov_dr(struct cursor *c, uint8_t op, uint8_t rex, enum insn_mode mode,
			 struct insn *out)
{
	uint8_t modrm;
	int err = next(c, &modrm);

	if (err)
		return err;
	out->kind = op == OP2_MOV_DR_R ? INSN_MOV_TO_DR : INSN_MOV_FROM_DR;
	out->dr = (uint8_t)(MODRM_REG(modrm) | (rex & REX_R ? REX_EXT : 0));
	out->reg = (uint8_t)(MODRM_RM(modrm) | (rex & REX_B ? REX_EXT : 0));
	out->size = mode == INSN_MODE_64 ? 8 : 4;
	return 0;
}

static int decode_0f(struct cursor *c, uint8_t rex, bool rep, enum insn_mode mode, struct insn *out)
{
	uint8_t b;
	int err = next(c, &b);

	if (err)
		return err;
	switch (b) {
	case OP2_CPUID:
		out->kind = INSN_CPUID;
		return 0;
	case OP2_RDMSR:
		out->kind = INSN_RDMSR;
		return 0;
	case OP2_WRMSR:
		out->kind = INSN_WRMSR;
		return 0;
	case OP2_RDPMC:
		out->kind = INSN_RDPMC;
		return 0;
	case OP2_INVD:
		out->kind = INSN_INVD;
		return 0;
	case OP2_WBINVD:
		out->kind = rep ? INSN_WBNOINVD : INSN_WBINVD;
		return 0;
	case OP2_MOV_R_DR:
	case OP2_MOV_DR_R:
		return decode_mov_dr(c, b, rex, mode, out);
	case OP2_GRP7:
		return decode_grp7(c, out);
	default:
		return -EOPNOTSUPP;
	}
}

/* IN/OUT/INS/OUTS: the word/dword forms use 2 bytes with 66h (4 otherwise, REX.W ignored). */
static int decode_io(struct cursor *c, uint8_t op, unsigned int opsize, struct insn *out)
{
	bool byte_form = op == OP_INSB || op == OP_OUTSB || op == OP_IN_AL_IB ||
			 op == OP_OUT_IB_AL || op == OP_IN_AL_DX || op == OP_OUT_DX_AL;

	out->size = byte_form ? 1 : opsize == 2 ? 2 : 4;
	switch (op) {
	case OP_INSB:
	case OP_INSD:
		out->kind = INSN_INS;
		return 0;
	case OP_OUTSB:
	case OP_OUTSD:
		out->kind = INSN_OUTS;
		return 0;
	case OP_IN_AL_IB:
	case OP_IN_EAX_IB:
	case OP_OUT_IB_AL:
	case OP_OUT_IB_EAX:
		out->kind = op == OP_IN_AL_IB || op == OP_IN_EAX_IB ? INSN_IN : INSN_OUT;
		out->port_imm = true;
		return next(c, &out->port);
	default:
		out->kind = op == OP_IN_AL_DX || op == OP_IN_EAX_DX ? INSN_IN : INSN_OUT;
		return 0;
	}
}

int insn_decode(const uint8_t *code, unsigned int avail, enum insn_mode mode, struct insn *out)
{
	struct cursor c = { .code = code, .avail = avail };
	bool opsize_pfx = false, adsize_pfx = false, lock = false, rep = false, addr16;
	unsigned int opsize;
	uint8_t b, rex = 0;
	int err;

	*out = (struct insn){ 0 };
	for (;;) {
		err = next(&c, &b);
		if (err)
			return err;
		if (is_legacy_prefix(b)) {
			opsize_pfx |= b == PFX_OPSIZE;
			adsize_pfx |= b == PFX_ADSIZE;
			lock |= b == PFX_LOCK;
			rep |= b == PFX_REP;
			rex = 0; /* a REX not right before the opcode is ignored (2.2.1) */
		} else if (mode == INSN_MODE_64 && (b & REX_MASK) == REX_BASE) {
			rex = b;
		} else {
			break;
		}
	}
	if (mode == INSN_MODE_64)
		opsize = rex & REX_W ? 8 : opsize_pfx ? 2 : 4;
	else
		opsize = (mode == INSN_MODE_32) != opsize_pfx ? 4 : 2;
	addr16 = mode == INSN_MODE_16 ? !adsize_pfx : mode == INSN_MODE_32 && adsize_pfx;

	switch (b) {
	case OP_HLT:
		out->kind = INSN_HLT;
		break;
	case OP_ESCAPE:
		err = decode_0f(&c, rex, rep, mode, out);
		break;
	case OP_MOV_EB_GB:
	case OP_MOV_EV_GV:
	case OP_MOV_GB_EB:
	case OP_MOV_GV_EV:
	case OP_MOV_EB_IB:
	case OP_MOV_EV_IZ:
		err = decode_mov(&c, b, rex, opsize, lock, addr16, out);
		break;
	case OP_INSB:
	case OP_INSD:
	case OP_OUTSB:
	case OP_OUTSD:
	case OP_IN_AL_IB:
	case OP_IN_EAX_IB:
	case OP_OUT_IB_AL:
	case OP_OUT_IB_EAX:
	case OP_IN_AL_DX:
	case OP_IN_EAX_DX:
	case OP_OUT_DX_AL:
	case OP_OUT_DX_EAX:
		err = decode_io(&c, b, opsize, out);
		break;
	default:
		err = -EOPNOTSUPP;
	}
	if (err)
		return err;
	out->len = (uint8_t)c.pos;
	return 0;
}

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t insn_reg_write(uint64_t old, uint64_t value, unsigned int size, bool high8)
{
	uint64_t m;

	if (high8) {
		m = size_mask(1) << HIGH8_SHIFT;
		return (old & ~m) | ((value << HIGH8_SHIFT) & m);
	}
	if (size >= 4)
		return value & size_mask(size);
	m = size_mask(size);
	return (old & ~m) | (value & m);
}

uint64_t insn_reg_read(uint64_t reg, unsigned int size, bool high8)
{
	return high8 ? (reg >> HIGH8_SHIFT) & size_mask(1) : reg & size_mask(size);
}
