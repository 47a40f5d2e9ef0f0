// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the exit-instruction decoder (vmm/insn.c) fed as vcpu_run() feeds it when
 * an exit reports no length: random guest paging state (CR0.PG, CR4.PAE/PSE/LA57, EFER.LMA/NXE,
 * MAXPHYADDR, CR3, the CS base and its L and D/B bits, RIP) over random guest memory, so every
 * paging mode comes up. The code at CS:RIP is fetched through guest_walk() (vmm/guest_walk.c)
 * page by page, up to 15 bytes, as vcpu_fetch_insn() does (32-bit linear addresses outside
 * 64-bit mode), and decoded in the mode insn_mode_of() gives. Checked, beyond ASan and UBSan:
 *  - the walk, against a model written apart from it from Intel SDM vol. 3A ch. 4 (model_walk():
 *    paging off, 32-bit paging with PSE and PSE-36 (table 4-4), PAE (tables 4-8 to 4-11), 4- and
 *    5-level paging (4.5), the canonical check of vol. 1 3.3.7.1): the same error, the
 *    same entries read in the same order with the same sizes (4 or 8 bytes, aligned), and the
 *    same guest-physical address, below 2^MAXPHYADDR;
 *  - a decoded instruction: 1-15 bytes and no more than were fetched; a GPR number below 16
 *    (8-15 only with REX.R or REX.B in 64-bit mode); the kind, length, operand size, port,
 *    register, debug register and immediate an independent reading of the bytes gives (the
 *    operand-less 0F and 0F 01 forms of vol. 2D tables, WBNOINVD exactly with F3) (prefixes, REX, opcode, ModR/M, SIB,
 *    displacement, immediate: SDM vol. 2A ch. 2); the same result from exactly its own bytes,
 *    -ENODATA from any shorter prefix of them, and one byte longer with a DS prefix in front
 *    (-E2BIG at 15 bytes);
 *  - a refusal: -ENODATA only when fewer than 15 bytes were there; -EOPNOTSUPP and -E2BIG do not
 *    change when more bytes follow;
 *  - insn_reg_write() / insn_reg_read() with the decoded size: the value reads back, 4-byte
 *    writes zero bits 63:32, 1-, 2-byte and AH-BH writes keep every other bit (SDM vol. 1
 *    3.4.1.1).
 * Input: flags (1 byte: CR0.PG, CR4.PAE, EFER.LMA, CS.L, CS.D/B, CR4.PSE, CR4.LA57, EFER.NXE),
 * MAXPHYADDR (1: 30 + n % 24, so 30, 31 and 53 are refused), CR3 (8), RIP (8), CS base (4), a
 * register's old value (8) and a value to write (8), then guest memory from guest-physical 0.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_input.h"
#include "vmm/guest_walk.h"
#include "vmm/insn.h"
#include "vmm/vcpu_state.h"

#define FLAG_PG	     (1u << 0)
#define FLAG_PAE     (1u << 1)
#define FLAG_LMA     (1u << 2)
#define FLAG_CS_L    (1u << 3)
#define FLAG_CS_DB   (1u << 4)
#define FLAG_PSE     (1u << 5)
#define FLAG_LA57    (1u << 6)
#define FLAG_NXE     (1u << 7)
#define PA_BITS_LO   30u /* MAXPHYADDR from the input: 30..53 */
#define PA_BITS_SPAN 24u
#define PAGE	     0x1000ull
#define LOW32	     0xffffffffull
#define WALK_MAX     5u /* 5-level paging reads the most entries */

/* SDM vol. 2A 2.1.1 (legacy prefixes), 2.2.1 (REX), 2.1.5 (ModR/M, SIB). */
#define PFX_DS	    0x3e
#define PFX_LOCK    0xf0
#define PFX_OPSIZE  0x66
#define PFX_ADSIZE  0x67
#define PFX_REP	    0xf3
#define REX_W	    0x08
#define REX_R	    0x04
#define REX_B	    0x01
#define REX_EXT	    8u
#define MOD(m)	    ((m) >> 6)
#define REG(m)	    (((m) >> 3) & 7u)
#define RM(m)	    ((m)&7u)
#define RM_SIB	    4u
#define RM_DISP32   5u
#define SIB_NO_BASE 5u

static const uint8_t legacy_prefixes[] = { 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e,
					   0x26, 0x64, 0x65, 0x66, 0x67 };

static const uint8_t *mem;
static size_t mem_len;

/* The entries the last walk read. */
static uint64_t walk_addr[WALK_MAX];
static unsigned int walk_size[WALK_MAX], walk_reads;

#define require(cond)            \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

/* Bytes @size at @gpa of the input's memory: false beyond it. */
static bool mem_read(uint64_t gpa, unsigned int size, uint64_t *e)
{
	if (gpa >= mem_len || mem_len - gpa < size)
		return false;
	*e = 0;
	memcpy(e, mem + gpa, size);
	return true;
}

static int read_entry(void *ctx, uint64_t gpa, unsigned int size, uint64_t *e)
{
	(void)ctx;
	require(walk_reads < WALK_MAX && (size == 4 || size == 8) && !(gpa % size));
	walk_addr[walk_reads] = gpa;
	walk_size[walk_reads++] = size;
	return mem_read(gpa, size, e) ? 0 : -EFAULT;
}

/* Bits @hi:@lo of @v (0 when @hi < @lo: an empty field). */
static uint64_t bits(uint64_t v, unsigned int hi, unsigned int lo)
{
	if (hi < lo)
		return 0;
	return (v >> lo) & (~0ull >> (63u - (hi - lo)));
}

/* What the SDM says a walk does: the entries it reads, and its outcome. */
struct model {
	uint64_t addr[WALK_MAX + 1];
	unsigned int size[WALK_MAX + 1], reads;
	int err;
	uint64_t gpa;
};

/* Read an entry as the model's walk does; false (the walk ends with -EFAULT) beyond memory. */
static bool model_read(struct model *m, uint64_t addr, unsigned int size, uint64_t *e)
{
	m->addr[m->reads] = addr;
	m->size[m->reads++] = size;
	if (mem_read(addr, size, e))
		return true;
	m->err = -EFAULT;
	return false;
}

static void model_leaf(struct model *m, uint64_t frame, unsigned int offset_bits, uint64_t la)
{
	m->gpa = frame | bits(la, offset_bits - 1, 0);
}

/* 4- or 5-level paging (SDM 4.5): PML5E (LA57), PML4E, PDPTE, PDE, PTE. */
static void model_long(const struct vcpu_paging *pg, uint64_t la, struct model *m)
{
	unsigned int mx = pg->pa_bits, levels = pg->cr4 & X86_CR4_LA57 ? 5 : 4;
	unsigned int width = 12 + 9 * levels; /* 48 or 57 linear-address bits */
	bool nxe = pg->efer & X86_EFER_NXE;
	uint64_t table = bits(pg->cr3, mx - 1, 12) << 12, e = 0;

	/* canonical: bits 63:width-1 are copies of bit width-1 (SDM vol. 1 3.3.7.1) */
	if (bits(la, 63, width - 1) != 0 && bits(la, 63, width - 1) != bits(~0ull, 63, width - 1)) {
		m->err = -EINVAL;
		return;
	}
	for (unsigned int level = levels; level >= 1; level--) {
		unsigned int lo = 12 + 9 * (level - 1);
		bool ps;

		if (!model_read(m, table + 8 * bits(la, lo + 8, lo), 8, &e))
			return;
		if (!bits(e, 0, 0)) {
			m->err = -ENOENT;
			return;
		}
		ps = bits(e, 7, 7);
		if (bits(e, 51, mx) || (!nxe && bits(e, 63, 63)) || (level >= 4 && ps) ||
		    ((level == 2 || level == 3) && ps && bits(e, lo - 1, 13))) {
			m->err = -ERANGE;
			return;
		}
		if (level == 1 || ps) {
			model_leaf(m, bits(e, mx - 1, lo) << lo, lo, la);
			return;
		}
		table = bits(e, mx - 1, 12) << 12;
	}
}

/* PAE paging (SDM 4.4): tables 4-8 (PDPTE) to 4-11. */
static void model_pae(const struct vcpu_paging *pg, uint64_t la, struct model *m)
{
	unsigned int mx = pg->pa_bits;
	bool nxe = pg->efer & X86_EFER_NXE;
	uint64_t e = 0;

	if (!model_read(m, (bits(pg->cr3, 31, 5) << 5) + 8 * bits(la, 31, 30), 8, &e))
		return;
	if (!bits(e, 0, 0)) {
		m->err = -ENOENT;
		return;
	}
	if (bits(e, 2, 1) || bits(e, 8, 5) || bits(e, 63, mx)) {
		m->err = -ERANGE;
		return;
	}
	for (unsigned int lo = 21; lo >= 12; lo -= 9) {
		uint64_t table = bits(e, mx - 1, 12) << 12;
		bool ps;

		if (!model_read(m, table + 8 * bits(la, lo + 8, lo), 8, &e))
			return;
		if (!bits(e, 0, 0)) {
			m->err = -ENOENT;
			return;
		}
		ps = lo == 21 && bits(e, 7, 7);
		if (bits(e, 62, mx) || (!nxe && bits(e, 63, 63)) || (ps && bits(e, 20, 13))) {
			m->err = -ERANGE;
			return;
		}
		if (lo == 12 || ps) {
			model_leaf(m, bits(e, mx - 1, lo) << lo, lo, la);
			return;
		}
	}
}

/* 32-bit paging (SDM 4.3): tables 4-4 to 4-6, PSE-36 with M = min(MAXPHYADDR, 40). */
static void model_32bit(const struct vcpu_paging *pg, uint64_t la, struct model *m)
{
	unsigned int m40 = pg->pa_bits > 40 ? 40 : pg->pa_bits;
	uint64_t pde = 0, pte = 0;

	if (!model_read(m, (bits(pg->cr3, 31, 12) << 12) + 4 * bits(la, 31, 22), 4, &pde))
		return;
	if (!bits(pde, 0, 0)) {
		m->err = -ENOENT;
		return;
	}
	if ((pg->cr4 & X86_CR4_PSE) && bits(pde, 7, 7)) {
		/* bits 21:(M-19) reserved; (M-20):13 are physical bits (M-1):32 (none at M = 32) */
		if (bits(pde, 21, m40 - 19)) {
			m->err = -ERANGE;
			return;
		}
		model_leaf(m, bits(pde, m40 - 20, 13) << 32 | bits(pde, 31, 22) << 22, 22, la);
		return;
	}
	if (!model_read(m, (bits(pde, 31, 12) << 12) + 4 * bits(la, 21, 12), 4, &pte))
		return;
	if (!bits(pte, 0, 0)) {
		m->err = -ENOENT;
		return;
	}
	model_leaf(m, bits(pte, 31, 12) << 12, 12, la);
}

static void model_walk(const struct vcpu_paging *pg, uint64_t la, struct model *m)
{
	*m = (struct model){ 0 };
	/* MAXPHYADDR is 32 at least and 52 at most (SDM 4.1.4) */
	if (pg->pa_bits < 32 || pg->pa_bits > 52) {
		m->err = -EOPNOTSUPP;
	} else if (pg->efer & X86_EFER_LMA) {
		/* EFER.LMA is LME with CR0.PG, and CR0.PG with LME needs CR4.PAE (SDM 4.1.2) */
		if (!(pg->cr0 & X86_CR0_PG) || !(pg->cr4 & X86_CR4_PAE))
			m->err = -EOPNOTSUPP;
		else
			model_long(pg, la, m);
	} else if (!(pg->cr0 & X86_CR0_PG)) {
		m->gpa = bits(la, 31, 0);
	} else if (pg->cr4 & X86_CR4_PAE) {
		model_pae(pg, bits(la, 31, 0), m);
	} else {
		model_32bit(pg, bits(la, 31, 0), m);
	}
}

static void check_walk(const struct vcpu_paging *pg, uint64_t la, int err, uint64_t gpa)
{
	struct model m;

	model_walk(pg, la, &m);
	require(err == m.err && walk_reads == m.reads);
	for (unsigned int i = 0; i < m.reads; i++)
		require(walk_addr[i] == m.addr[i] && walk_size[i] == m.size[i]);
	if (!err)
		require(gpa == m.gpa && gpa >> pg->pa_bits == 0);
}

/* Up to 15 bytes at linear @la, page by page as vcpu_fetch_insn() reads them. */
static unsigned int fetch(const struct vcpu_paging *pg, uint64_t la, bool long_la, uint8_t *code)
{
	unsigned int got = 0;

	while (got < INSN_MAX_LEN) {
		uint64_t gpa = 0, at = long_la ? la + got : (la + got) & LOW32;
		unsigned int n = (unsigned int)(PAGE - (at & (PAGE - 1)));
		int err;

		walk_reads = 0;
		err = guest_walk(pg, at, read_entry, NULL, &gpa);
		check_walk(pg, at, err, gpa);
		if (err)
			break;
		if (n > INSN_MAX_LEN - got)
			n = INSN_MAX_LEN - got;
		for (unsigned int i = 0; i < n; i++, got++) {
			if (gpa + i >= mem_len)
				return got;
			code[got] = mem[gpa + i];
		}
	}
	return got;
}

static bool is_legacy_prefix(uint8_t b)
{
	return memchr(legacy_prefixes, b, sizeof(legacy_prefixes)) != NULL;
}

/* The bytes read independently of the decoder: what it must have found. */
struct reading {
	unsigned int op;   /* index of the opcode byte */
	uint8_t rex;	   /* REX right before the opcode, else 0 */
	bool opsize, lock; /* 66h, F0h seen */
	bool rep;	   /* F3h seen */
	bool addr16;	   /* 16-bit addressing */
};

static void read_prefixes(const uint8_t *code, unsigned int len, enum insn_mode mode,
			  struct reading *r)
{
	bool adsize = false;

	memset(r, 0, sizeof(*r));
	for (; r->op < len; r->op++) {
		uint8_t b = code[r->op];

		if (is_legacy_prefix(b)) {
			r->opsize |= b == PFX_OPSIZE;
			r->lock |= b == PFX_LOCK;
			r->rep |= b == PFX_REP;
			adsize |= b == PFX_ADSIZE;
			r->rex = 0;
		} else if (mode == INSN_MODE_64 && (b >> 4) == 4) {
			r->rex = b;
		} else {
			break;
		}
	}
	r->addr16 = mode == INSN_MODE_16 ? !adsize : mode == INSN_MODE_32 && adsize;
}

static unsigned int opsize_of(const struct reading *r, enum insn_mode mode)
{
	if (mode == INSN_MODE_64)
		return r->rex & REX_W ? 8 : r->opsize ? 2 : 4;
	return (mode == INSN_MODE_32) != r->opsize ? 4 : 2;
}

/* ModR/M, SIB and displacement bytes of a memory operand (32/64-bit addressing). */
static unsigned int modrm_len(const uint8_t *code, unsigned int at, unsigned int len)
{
	uint8_t m = code[at];
	unsigned int n = 1;

	require(MOD(m) != 3);
	if (RM(m) == RM_SIB) {
		require(at + 1 < len);
		n++;
		if (MOD(m) == 0 && RM(code[at + 1]) == SIB_NO_BASE)
			return n + 4;
	} else if (MOD(m) == 0 && RM(m) == RM_DISP32) {
		return n + 4;
	}
	return n + (MOD(m) == 1 ? 1 : MOD(m) == 2 ? 4 : 0);
}

static void check_io(const struct insn *in, const uint8_t *code, const struct reading *r,
		     unsigned int opsize)
{
	uint8_t op = code[r->op];
	bool byte_form = !(op & 1), imm = op >= 0xe4 && op <= 0xe7;

	if (op == 0x6c || op == 0x6d)
		require(in->kind == INSN_INS);
	else if (op == 0x6e || op == 0x6f)
		require(in->kind == INSN_OUTS);
	else
		require(in->kind == ((op & 2) ? INSN_OUT : INSN_IN));
	require(in->size == (byte_form ? 1 : opsize == 2 ? 2 : 4));
	require(in->port_imm == imm && in->len == r->op + 1 + imm);
	require(in->port == (imm ? code[r->op + 1] : 0));
}

static void check_mov(const struct insn *in, const uint8_t *code, const struct reading *r,
		      unsigned int opsize)
{
	uint8_t op = code[r->op], m = code[r->op + 1];
	bool byte_form = !(op & 1), store_imm = op == 0xc6 || op == 0xc7;
	unsigned int size = byte_form ? 1 : opsize,
		     imm_len = store_imm ? (size == 8 ? 4 : size) : 0;
	unsigned int len = r->op + 1 + modrm_len(code, r->op + 1, in->len) + imm_len;
	uint64_t imm = 0;

	require(!r->lock && !r->addr16);
	require(in->kind == (store_imm	? INSN_MOV_STORE_IMM :
			     op >= 0x8a ? INSN_MOV_LOAD :
					  INSN_MOV_STORE));
	require(in->size == size && in->len == len);
	if (store_imm) {
		require(REG(m) == 0 && in->reg == 0 && !in->high8);
		for (unsigned int i = 0; i < imm_len; i++)
			imm |= (uint64_t)code[len - imm_len + i] << (8 * i);
		if (imm_len < 8 && (imm >> (8 * imm_len - 1)) & 1)
			imm |= ~0ull << (8 * imm_len);
		require(in->imm == imm);
		return;
	}
	require(in->reg == (REG(m) | (r->rex & REX_R ? 8 : 0)));
	require(in->high8 == (byte_form && !r->rex && in->reg >= 4 && in->reg <= 7));
	require(in->imm == 0);
}

static bool is_mov(const struct insn *in)
{
	return in->kind == INSN_MOV_LOAD || in->kind == INSN_MOV_STORE ||
	       in->kind == INSN_MOV_STORE_IMM;
}

static bool is_mov_dr(const struct insn *in)
{
	return in->kind == INSN_MOV_FROM_DR || in->kind == INSN_MOV_TO_DR;
}

/* Does @in move data (I/O, MOV, MOV DR), so that it has an operand size? */
static bool has_operand(const struct insn *in)
{
	return in->kind == INSN_IN || in->kind == INSN_OUT || in->kind == INSN_INS ||
	       in->kind == INSN_OUTS || is_mov(in) || is_mov_dr(in);
}

/* 0F 01 group 7 (SDM vol. 2D table A-6; APM vol. 3): the third byte of each form. */
static const struct {
	enum insn_kind kind;
	uint8_t modrm;
} grp7[] = {
	{ INSN_VMCALL, 0xc1 }, { INSN_VMMCALL, 0xd9 }, { INSN_MONITOR, 0xc8 },
	{ INSN_MWAIT, 0xc9 },  { INSN_INVLPGA, 0xdf }, { INSN_MONITORX, 0xfa },
	{ INSN_MWAITX, 0xfb }, { INSN_RDPRU, 0xfd },
};

/* 0F xx with no operand (table A-3): the second byte of each. */
static const struct {
	enum insn_kind kind;
	uint8_t op2;
} two_byte[] = {
	{ INSN_CPUID, 0xa2 }, { INSN_RDMSR, 0x32 },  { INSN_WRMSR, 0x30 },    { INSN_RDPMC, 0x33 },
	{ INSN_INVD, 0x08 },  { INSN_WBINVD, 0x09 }, { INSN_WBNOINVD, 0x09 },
};

/* An operand-less 0F or 0F 01 instruction: its bytes after the prefixes. */
static void check_plain(const struct insn *in, const uint8_t *code, const struct reading *r)
{
	require(code[r->op] == 0x0f);
	for (unsigned int i = 0; i < sizeof(two_byte) / sizeof(two_byte[0]); i++)
		if (two_byte[i].kind == in->kind) {
			require(in->len == r->op + 2 && code[r->op + 1] == two_byte[i].op2);
			if (in->kind == INSN_WBINVD || in->kind == INSN_WBNOINVD)
				require(r->rep == (in->kind == INSN_WBNOINVD));
			return;
		}
	for (unsigned int i = 0; i < sizeof(grp7) / sizeof(grp7[0]); i++)
		if (grp7[i].kind == in->kind) {
			require(in->len == r->op + 3 && code[r->op + 1] == 0x01 &&
				code[r->op + 2] == grp7[i].modrm);
			return;
		}
	require(false);
}

/* MOV DRn (SDM vol. 2B): 0F 21 / 0F 23, ModR/M always register-direct whatever its mod. */
static void check_mov_dr(const struct insn *in, const uint8_t *code, const struct reading *r,
			 enum insn_mode mode)
{
	uint8_t m = code[r->op + 2];

	require(code[r->op] == 0x0f && in->len == r->op + 3);
	require(code[r->op + 1] == (in->kind == INSN_MOV_TO_DR ? 0x23 : 0x21));
	require(in->dr == (REG(m) | (r->rex & REX_R ? REX_EXT : 0)));
	require(in->reg == (RM(m) | (r->rex & REX_B ? REX_EXT : 0)));
	require(in->size == (mode == INSN_MODE_64 ? 8 : 4) && !in->high8 && in->imm == 0);
}

/* A decoded instruction against the independent reading of @code. */
static void check_decoded(const struct insn *in, const uint8_t *code, unsigned int avail,
			  enum insn_mode mode)
{
	struct reading r;
	unsigned int opsize;
	uint8_t op;

	require(in->len >= 1 && in->len <= INSN_MAX_LEN && in->len <= avail);
	require(in->kind < INSN_NR_KINDS && in->reg < 16);
	require(in->size != 8 || mode == INSN_MODE_64);
	require(in->reg < 8 || mode == INSN_MODE_64);
	read_prefixes(code, in->len, mode, &r);
	require(r.op < in->len);
	opsize = opsize_of(&r, mode);
	op = code[r.op];
	switch (in->kind) {
	case INSN_HLT:
		require(op == 0xf4 && in->len == r.op + 1);
		break;
	case INSN_MOV_FROM_DR:
	case INSN_MOV_TO_DR:
		check_mov_dr(in, code, &r, mode);
		break;
	case INSN_IN:
	case INSN_OUT:
	case INSN_INS:
	case INSN_OUTS:
		require((op >= 0x6c && op <= 0x6f) || (op >= 0xe4 && op <= 0xe7) || op >= 0xec);
		check_io(in, code, &r, opsize);
		break;
	case INSN_MOV_LOAD:
	case INSN_MOV_STORE:
	case INSN_MOV_STORE_IMM:
		require(op == 0x88 || op == 0x89 || op == 0x8a || op == 0x8b || op == 0xc6 ||
			op == 0xc7);
		check_mov(in, code, &r, opsize);
		break;
	default:
		check_plain(in, code, &r);
	}
	if (!is_mov(in) && !is_mov_dr(in))
		require(in->reg == 0 && !in->high8 && in->imm == 0);
	if (!is_mov_dr(in))
		require(in->dr == 0);
	if (has_operand(in))
		require(in->size == 1 || in->size == 2 || in->size == 4 || in->size == 8);
	else
		require(in->size == 0);
	if (in->kind != INSN_IN && in->kind != INSN_OUT)
		require(!in->port_imm && in->port == 0);
}

/* The decoder reads only its instruction's bytes, and counts each of them. */
static void check_own_bytes(const struct insn *in, const uint8_t *code, enum insn_mode mode)
{
	uint8_t longer[INSN_MAX_LEN + 1];
	struct insn again;

	require(insn_decode(code, in->len, mode, &again) == 0 && !memcmp(&again, in, sizeof(*in)));
	for (unsigned int k = 0; k < in->len; k++)
		require(insn_decode(code, k, mode, &again) == -ENODATA);
	longer[0] = PFX_DS;
	memcpy(longer + 1, code, in->len);
	if (in->len == INSN_MAX_LEN) {
		require(insn_decode(longer, in->len + 1, mode, &again) == -E2BIG);
		return;
	}
	require(insn_decode(longer, in->len + 1, mode, &again) == 0);
	require(again.len == in->len + 1);
	again.len = in->len;
	require(!memcmp(&again, in, sizeof(*in)));
}

/* A refusal that the bytes seen decided stays when more bytes follow (here: 0xff). */
static void check_refusal(int err, const uint8_t *code, unsigned int avail, enum insn_mode mode)
{
	uint8_t full[INSN_MAX_LEN];
	struct insn again;

	require(err == -ENODATA || err == -E2BIG || err == -EOPNOTSUPP);
	if (err == -ENODATA) {
		require(avail < INSN_MAX_LEN);
		return;
	}
	memset(full, 0xff, sizeof(full));
	memcpy(full, code, avail);
	require(insn_decode(full, sizeof(full), mode, &again) == err);
}

static uint64_t mask_of(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* SDM vol. 1 3.4.1.1: what a write of @size bytes (or AH-BH) does to the rest of a register. */
static void check_reg_write(uint64_t old, uint64_t value, unsigned int size, bool high8)
{
	uint64_t w = insn_reg_write(old, value, size, high8), keep;

	if (high8) {
		keep = ~(mask_of(1) << 8);
		require(insn_reg_read(w, 1, true) == (value & mask_of(1)));
	} else {
		keep = size >= 4 ? 0 : ~mask_of(size);
		require(insn_reg_read(w, size, false) == (value & mask_of(size)));
		require(size != 4 || w >> 32 == 0);
	}
	require((w & keep) == (old & keep));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	unsigned int flags = (unsigned int)fuzz_take(&in, 1);
	unsigned int pa_bits = PA_BITS_LO + (unsigned int)fuzz_take(&in, 1) % PA_BITS_SPAN;
	struct vcpu_paging pg = {
		.cr0 = flags & FLAG_PG ? X86_CR0_PG | X86_CR0_PE : X86_CR0_PE,
		.cr3 = fuzz_take(&in, 8),
		.cr4 = (flags & FLAG_PAE ? X86_CR4_PAE : 0) | (flags & FLAG_PSE ? X86_CR4_PSE : 0) |
		       (flags & FLAG_LA57 ? X86_CR4_LA57 : 0),
		.efer = (flags & FLAG_LMA ? X86_EFER_LMA | X86_EFER_LME : 0) |
			(flags & FLAG_NXE ? X86_EFER_NXE : 0),
		.pa_bits = (uint8_t)pa_bits,
	};
	uint64_t rip = fuzz_take(&in, 8), la, old, value;
	enum insn_mode mode;
	uint8_t code[INSN_MAX_LEN] = { 0 };
	unsigned int avail;
	struct insn out;
	int err;

	pg.cs_base = fuzz_take(&in, 4);
	pg.cs_attrib = (uint16_t)((flags & FLAG_CS_L ? VCPU_SEG_L : 0) |
				  (flags & FLAG_CS_DB ? VCPU_SEG_DB : 0));
	old = fuzz_take(&in, 8);
	value = fuzz_take(&in, 8);
	mem = in.p;
	mem_len = in.n;

	mode = insn_mode_of(pg.efer & X86_EFER_LMA, pg.cs_attrib & VCPU_SEG_L,
			    pg.cs_attrib & VCPU_SEG_DB);
	require(mode == ((flags & FLAG_LMA) && (flags & FLAG_CS_L) ? INSN_MODE_64 :
			 flags & FLAG_CS_DB			   ? INSN_MODE_32 :
								     INSN_MODE_16));
	la = mode == INSN_MODE_64 ? rip : (rip + pg.cs_base) & LOW32;
	avail = fetch(&pg, la, mode == INSN_MODE_64, code);
	err = insn_decode(code, avail, mode, &out);
	if (err) {
		check_refusal(err, code, avail, mode);
		return 0;
	}
	check_decoded(&out, code, avail, mode);
	check_own_bytes(&out, code, mode);
	if (has_operand(&out))
		check_reg_write(old, value, out.size, out.high8);
	return 0;
}
