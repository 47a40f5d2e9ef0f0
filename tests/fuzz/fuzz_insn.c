// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the exit-instruction decoder (vmm/insn.c) fed as vcpu_run() feeds it when
 * an exit reports no length: random guest paging state (CR0.PG, CR4.PAE, EFER.LMA, CR3, the CS
 * base and its L and D/B bits, RIP) over random guest memory. The code at CS:RIP is fetched
 * through guest_walk() (vmm/guest_walk.c) page by page, up to 15 bytes, as vcpu_fetch_insn()
 * does, and decoded in the mode insn_mode_of() gives. Checked, beyond ASan and UBSan:
 *  - the walk: paging off maps the low 32 bits of the linear address; legacy and PAE paging
 *    are refused; a long-mode walk reads 1-4 aligned entries, the first the PML4 entry CR3 and
 *    the address select, and a translation keeps the page offset of its leaf size and the leaf
 *    entry's frame (Intel SDM vol. 3A 4.5);
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
 * Input: flags (1 byte: CR0.PG, CR4.PAE, EFER.LMA, CS.L, CS.D/B), CR3 (8), RIP (8), CS base (4),
 * a register's old value (8) and a value to write (8), then guest memory from guest-physical 0.
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

#define FLAG_PG	      (1u << 0)
#define FLAG_PAE      (1u << 1)
#define FLAG_LMA      (1u << 2)
#define FLAG_CS_L     (1u << 3)
#define FLAG_CS_DB    (1u << 4)
#define PAGE	      0x1000ull
#define LOW32	      0xffffffffull
#define ENTRY_ADDR    0x000ffffffffff000ull /* bits 51:12 of CR3 and of a paging entry */
#define ENTRY_P	      (1ull << 0)
#define ENTRY_PS      (1ull << 7)
#define PHYS_LIMIT    (1ull << 52)
#define PML4_SHIFT    39
#define INDEX_MASK    0x1ffull
#define LEAF_SHIFT(n) (12u + 9u * (4u - (n))) /* the page a walk of n reads maps: 4K, 2M, 1G */
#define WALK_MAX      4u

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
static uint64_t walk_addr[WALK_MAX], walk_val[WALK_MAX];
static unsigned int walk_reads;

#define require(cond)            \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static int read_entry(void *ctx, uint64_t gpa, uint64_t *e)
{
	(void)ctx;
	require(walk_reads < WALK_MAX && !(gpa & 7));
	if (gpa >= mem_len || mem_len - gpa < sizeof(*e))
		return -EFAULT;
	memcpy(e, mem + gpa, sizeof(*e));
	walk_addr[walk_reads] = gpa;
	walk_val[walk_reads++] = *e;
	return 0;
}

static void check_walk(const struct vcpu_paging *pg, uint64_t la, int err, uint64_t gpa)
{
	unsigned int shift;

	if (!(pg->cr0 & X86_CR0_PG)) {
		require(!err && gpa == (la & LOW32) && !walk_reads);
		return;
	}
	if (!(pg->efer & X86_EFER_LMA) || !(pg->cr4 & X86_CR4_PAE)) {
		require(err == -EOPNOTSUPP && !walk_reads);
		return;
	}
	require(err == 0 || err == -ENOENT || err == -EFAULT);
	if (err == -EFAULT && !walk_reads)
		return; /* the PML4 entry is beyond the guest's memory */
	require(walk_reads >= 1 &&
		walk_addr[0] == (pg->cr3 & ENTRY_ADDR) + ((la >> PML4_SHIFT) & INDEX_MASK) * 8);
	/* Every entry but the last is present and points at the table read next. */
	for (unsigned int i = 0; i + 1 < walk_reads; i++)
		require(walk_val[i] & ENTRY_P &&
			(walk_addr[i + 1] & ENTRY_ADDR) == (walk_val[i] & ENTRY_ADDR));
	if (err == -ENOENT)
		require(!(walk_val[walk_reads - 1] & ENTRY_P));
	if (err)
		return;
	shift = LEAF_SHIFT(walk_reads);
	require(walk_val[walk_reads - 1] & ENTRY_P);
	require(walk_reads == WALK_MAX || walk_val[walk_reads - 1] & ENTRY_PS);
	require(walk_reads >= 2); /* PS in a PML4 entry is no leaf */
	require(gpa < PHYS_LIMIT);
	require((gpa & ((1ull << shift) - 1)) == (la & ((1ull << shift) - 1)));
	require((gpa >> shift) == ((walk_val[walk_reads - 1] & ENTRY_ADDR) >> shift));
}

/* Up to 15 bytes at linear @la, page by page as vcpu_fetch_insn() reads them. */
static unsigned int fetch(const struct vcpu_paging *pg, uint64_t la, uint8_t *code)
{
	unsigned int got = 0;

	while (got < INSN_MAX_LEN) {
		uint64_t gpa = 0;
		unsigned int n = (unsigned int)(PAGE - ((la + got) & (PAGE - 1)));
		int err;

		walk_reads = 0;
		err = guest_walk(pg, la + got, read_entry, NULL, &gpa);
		check_walk(pg, la + got, err, gpa);
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
	struct vcpu_paging pg = {
		.cr0 = flags & FLAG_PG ? X86_CR0_PG | X86_CR0_PE : X86_CR0_PE,
		.cr3 = fuzz_take(&in, 8),
		.cr4 = flags & FLAG_PAE ? X86_CR4_PAE : 0,
		.efer = flags & FLAG_LMA ? X86_EFER_LMA | X86_EFER_LME : 0,
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
	avail = fetch(&pg, la, code);
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
