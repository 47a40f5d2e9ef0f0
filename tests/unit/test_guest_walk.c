// SPDX-License-Identifier: MIT
/*
 * The guest's linear-to-physical walk (vmm/guest_walk.c) in every paging mode, over tables
 * written by hand into a buffer that acts as guest-physical memory 0..128 KiB. Entry formats
 * from Intel SDM vol. 3A ch. 4: 32-bit paging tables 4-4 to 4-6 (4-byte entries, 4 MiB PDE with
 * PSE-36 bits M-20:13), PAE tables 4-8 to 4-11 (PDPTE reserved bits 2:1, 8:5 and 63:M; 62:M
 * below), 4-level and 5-level paging in 4.5 (51:M reserved, PS reserved in PML4E/PML5E).
 * P = bit 0, PS = bit 7, XD = bit 63. Every read is checked for its size (4 or 8 bytes, as the
 * mode has them) and alignment and counted.
 * Sources: vmm/guest_walk.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/guest_walk.h"

#define P	 0x1ull
#define PS	 0x80ull
#define PAT_LG	 0x1000ull /* PAT of a large page (bit 12): no address bit */
#define XD	 (1ull << 63)
#define MEM_SIZE 0x20000u

static uint8_t mem[MEM_SIZE];

/* What the walk read: how many entries, of which size; an error to fail read number n with. */
static struct {
	unsigned int reads, size;
	unsigned int fail_at; /* 1-based; 0: none */
	int fail_err;
} rd;

static int read_mem(void *ctx, uint64_t gpa, unsigned int size, uint64_t *e)
{
	uint32_t v32;

	(void)ctx;
	assert_true(size == 4 || size == 8);
	assert_int_equal(gpa % size, 0);
	assert_true(rd.size == 0 || rd.size == size); /* one entry size a walk */
	rd.size = size;
	if (++rd.reads == rd.fail_at)
		return rd.fail_err;
	if (gpa + size > MEM_SIZE)
		return -EFAULT;
	if (size == 4) {
		memcpy(&v32, mem + gpa, 4);
		*e = v32;
	} else {
		memcpy(e, mem + gpa, 8);
	}
	return 0;
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(mem + gpa, &v, 4);
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(mem + gpa, &v, 8);
}

static int walk(const struct vcpu_paging *pg, uint64_t la, uint64_t *gpa)
{
	rd.reads = 0;
	rd.size = 0;
	*gpa = 0;
	return guest_walk(pg, la, read_mem, NULL, gpa);
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	memset(&rd, 0, sizeof(rd));
	return 0;
}

static void paging_off_and_no_mode(void **state)
{
	struct vcpu_paging pg = { .cr0 = X86_CR0_PE, .pa_bits = 40 };
	uint64_t gpa;

	(void)state;
	/* paging off: the low 32 bits of the linear address, nothing read */
	assert_int_equal(walk(&pg, 0xabcd00100012ull, &gpa), 0);
	assert_int_equal(gpa, 0x100012);
	assert_int_equal(rd.reads, 0);
	/* EFER.LMA without CR0.PG, or without CR4.PAE: no paging mode */
	pg.efer = X86_EFER_LME | X86_EFER_LMA;
	pg.cr4 = X86_CR4_PAE;
	assert_int_equal(walk(&pg, 0x1000, &gpa), -EOPNOTSUPP);
	pg.cr0 |= X86_CR0_PG;
	pg.cr4 = 0;
	assert_int_equal(walk(&pg, 0x1000, &gpa), -EOPNOTSUPP);
	assert_int_equal(rd.reads, 0);
	/* MAXPHYADDR outside 32..52 */
	pg = (struct vcpu_paging){ .cr0 = X86_CR0_PE, .pa_bits = 0 };
	assert_int_equal(walk(&pg, 0x1000, &gpa), -EOPNOTSUPP);
	pg.pa_bits = 31;
	assert_int_equal(walk(&pg, 0x1000, &gpa), -EOPNOTSUPP);
	pg.pa_bits = 53;
	assert_int_equal(walk(&pg, 0x1000, &gpa), -EOPNOTSUPP);
	pg.pa_bits = 52;
	assert_int_equal(walk(&pg, 0x1000, &gpa), 0);
}

/* 32-bit paging, 4 KiB pages: PD at CR3 bits 31:12, 4-byte PDE and PTE. */
static void bit32_4k(void **state)
{
	/* CR3 bits 63:32 and its PWT/PCD are no address bits */
	struct vcpu_paging pg = { .cr0 = X86_CR0_PE | X86_CR0_PG,
				  .cr3 = 0x500000000ull | 0x1000 | 0x18,
				  .pa_bits = 40 };
	uint64_t gpa;

	(void)state;
	/* la 0x00c05abc: PDE 3, PTE 5, offset 0xabc */
	put32(0x1000 + 3 * 4, 0x2000 | 0x3);
	put32(0x1000 + 4 * 4, 0xffffffff); /* the next PDE: not part of PDE 3 */
	put32(0x2000 + 5 * 4, 0xfedcb000 | 0x1);
	put32(0x2000 + 6 * 4, 0xffffffff);
	assert_int_equal(walk(&pg, 0x00c05abcull, &gpa), 0);
	assert_int_equal(gpa, 0xfedcbabcull);
	assert_int_equal(rd.reads, 2);
	assert_int_equal(rd.size, 4);
	/* the linear address is 32 bits */
	assert_int_equal(walk(&pg, 0x7700c05abcull, &gpa), 0);
	assert_int_equal(gpa, 0xfedcbabcull);
	/* PS without CR4.PSE is ignored: PDE 3 still references a page table */
	put32(0x1000 + 3 * 4, 0x2000 | PS | 0x1);
	assert_int_equal(walk(&pg, 0x00c05abcull, &gpa), 0);
	assert_int_equal(gpa, 0xfedcbabcull);
	assert_int_equal(rd.reads, 2);
	/* not present: the PTE, then the PDE */
	assert_int_equal(walk(&pg, 0x00c07000ull, &gpa), -ENOENT);
	assert_int_equal(rd.reads, 2);
	assert_int_equal(walk(&pg, 0x01400000ull, &gpa), -ENOENT);
	assert_int_equal(rd.reads, 1);
	/* no reserved bits in 32-bit paging without PSE: all-ones entries translate */
	put32(0x1000 + 8 * 4, 0x3000 | 0xfff);
	put32(0x3000 + 1 * 4, 0xffffffff);
	assert_int_equal(walk(&pg, 0x02001123ull, &gpa), 0);
	assert_int_equal(gpa, 0xfffff123ull);
}

/* 32-bit paging, 4 MiB pages (CR4.PSE and PS): PDE bits 31:22 and, PSE-36, M-20:13. */
static void bit32_4m(void **state)
{
	struct vcpu_paging pg = {
		.cr0 = X86_CR0_PE | X86_CR0_PG, .cr3 = 0x1000, .cr4 = X86_CR4_PSE, .pa_bits = 40
	};
	uint64_t gpa;

	(void)state;
	/* la 0x01523456: PDE 5, offset 0x123456 in the 4 MiB page at 0xab_1280_0000 */
	put32(0x1000 + 5 * 4, 0x12800000 | (0xab << 13) | PAT_LG | PS | 0x1);
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12923456ull);
	assert_int_equal(rd.reads, 1);
	assert_int_equal(rd.size, 4);
	/* M = min(MAXPHYADDR, 40): at 52 still bits 20:13 only, and bit 21 reserved */
	pg.pa_bits = 52;
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12923456ull);
	put32(0x1000 + 5 * 4, 0x12800000 | (1u << 21) | PS | 0x1);
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), -ERANGE);
	/* MAXPHYADDR 36: bits 16:13 are physical bits 35:32, 21:17 reserved */
	pg.pa_bits = 36;
	put32(0x1000 + 5 * 4, 0x12800000 | (0xb << 13) | PS | 0x1);
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), 0);
	assert_int_equal(gpa, 0xb12923456ull);
	put32(0x1000 + 5 * 4, 0x12800000 | (0x1b << 13) | PS | 0x1); /* bit 17 */
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), -ERANGE);
	/* MAXPHYADDR 32: no high bits, 21:13 all reserved; PAT (bit 12) is not reserved */
	pg.pa_bits = 32;
	put32(0x1000 + 5 * 4, 0x12800000 | PAT_LG | PS | 0x1);
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), 0);
	assert_int_equal(gpa, 0x12923456ull);
	put32(0x1000 + 5 * 4, 0x12800000 | (1u << 13) | PS | 0x1);
	assert_int_equal(walk(&pg, 0x01523456ull, &gpa), -ERANGE);
	/* with PSE, a PDE without PS still references a page table */
	put32(0x1000 + 6 * 4, 0x2000 | 0x1);
	put32(0x2000 + 0x3 * 4, 0x7000 | 0x1);
	assert_int_equal(walk(&pg, 0x01803010ull, &gpa), 0);
	assert_int_equal(gpa, 0x7010);
	assert_int_equal(rd.reads, 2);
}

/* PAE paging: 4 PDPTEs at CR3 bits 31:5, 8-byte PDE (PS: 2 MiB) and PTE. */
static void pae(void **state)
{
	static const uint64_t pdpte_rsvd[] = { 1ull << 1, 1ull << 2,  1ull << 5,  PS,
					       1ull << 8, 1ull << 40, 1ull << 52, XD };
	struct vcpu_paging pg = { .cr0 = X86_CR0_PE | X86_CR0_PG,
				  .cr3 = 0x10a0 | 0x18, /* 32-byte aligned; PWT/PCD */
				  .cr4 = X86_CR4_PAE,
				  .pa_bits = 40 };
	uint64_t gpa;

	(void)state;
	/* la 0x80205678: PDPTE 2, PDE 1, PTE 5, offset 0x678 */
	put64(0x10a0 + 2 * 8, 0x2000 | 0x1);
	put64(0x2000 + 1 * 8, 0x3000 | 0x3);
	put64(0x3000 + 5 * 8, 0xab12345000ull | 0x1);
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12345678ull);
	assert_int_equal(rd.reads, 3);
	assert_int_equal(rd.size, 8);
	/* the linear address is 32 bits */
	assert_int_equal(walk(&pg, 0xffffffff80205678ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12345678ull);
	/* PDE 2 with PS: a 2 MiB page (la 0x80412345), PAT bit 12 no address bit */
	put64(0x2000 + 2 * 8, 0x1234400000ull | PAT_LG | PS | 0x1);
	assert_int_equal(walk(&pg, 0x80412345ull, &gpa), 0);
	assert_int_equal(gpa, 0x1234412345ull);
	assert_int_equal(rd.reads, 2);
	/* ... with a bit of 20:13 set: reserved */
	put64(0x2000 + 2 * 8, 0x1234400000ull | (1ull << 13) | PS | 0x1);
	assert_int_equal(walk(&pg, 0x80412345ull, &gpa), -ERANGE);
	/* CR4.PSE changes nothing in PAE paging */
	pg.cr4 |= X86_CR4_PSE;
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12345678ull);
	/* PDPTE 3 not present; PDPTE 0 present with reserved bits */
	assert_int_equal(walk(&pg, 0xc0000000ull, &gpa), -ENOENT);
	assert_int_equal(rd.reads, 1);
	for (unsigned int i = 0; i < sizeof(pdpte_rsvd) / sizeof(pdpte_rsvd[0]); i++) {
		put64(0x10a0, 0x2000 | 0x1 | pdpte_rsvd[i]);
		assert_int_equal(walk(&pg, 0x00205678ull, &gpa), -ERANGE);
		assert_int_equal(rd.reads, 1);
	}
	/* PWT, PCD and the ignored bits 11:9 of a PDPTE are not reserved */
	put64(0x10a0, 0x2000 | 0x18 | 0xe00 | 0x1);
	assert_int_equal(walk(&pg, 0x00205678ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12345678ull);
	/* below the PDPTEs bits 62:M are reserved, and XD while EFER.NXE is 0 */
	put64(0x3000 + 5 * 8, 0xab12345000ull | (1ull << 62) | 0x1);
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), -ERANGE);
	put64(0x3000 + 5 * 8, 0xab12345000ull | (1ull << 40) | 0x1);
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), -ERANGE);
	put64(0x3000 + 5 * 8, 0xab12345000ull | XD | 0x1);
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), -ERANGE);
	pg.efer = X86_EFER_NXE;
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), 0);
	assert_int_equal(gpa, 0xab12345678ull);
	/* a wider MAXPHYADDR makes bit 40 an address bit */
	put64(0x3000 + 5 * 8, 0xab12345000ull | (1ull << 40) | 0x1);
	pg.pa_bits = 41;
	assert_int_equal(walk(&pg, 0x80205678ull, &gpa), 0);
	assert_int_equal(gpa, 0x1ab12345678ull);
	/* a PTE not present */
	assert_int_equal(walk(&pg, 0x80206000ull, &gpa), -ENOENT);
	assert_int_equal(rd.reads, 3);
}

/* 4-level paging: PML4E, PDPTE (PS: 1 GiB), PDE (PS: 2 MiB), PTE. */
static void four_level(void **state)
{
	struct vcpu_paging pg = { .cr0 = X86_CR0_PE | X86_CR0_PG,
				  .cr3 = 0x1000,
				  .cr4 = X86_CR4_PAE,
				  .efer = X86_EFER_LME | X86_EFER_LMA,
				  .pa_bits = 46 };
	uint64_t gpa;

	(void)state;
	put64(0x1000 + 1 * 8, 0x2000 | 1);		     /* PML4[1] -> PDPT */
	put64(0x2000 + 2 * 8, 0x3000 | 1);		     /* PDPT[2] -> PD */
	put64(0x2000 + 3 * 8, 0x40000000 | PAT_LG | PS | 1); /* PDPT[3]: 1 GiB page, PAT */
	put64(0x3000 + 3 * 8, 0x4000 | 1);		     /* PD[3] -> PT */
	put64(0x3000 + 5 * 8, 0x400000 | PAT_LG | PS | 1);   /* PD[5]: 2 MiB page, PAT */
	put64(0x4000 + 4 * 8, 0x9000 | 1);		     /* PT[4] -> 0x9000 */
	/* 1 << 39 | 2 << 30 | 3 << 21 | 4 << 12 | 0x567 */
	assert_int_equal(walk(&pg, 0x8080604567ull, &gpa), 0);
	assert_int_equal(gpa, 0x9567);
	assert_int_equal(rd.reads, 4);
	assert_int_equal(rd.size, 8);
	/* 1 << 39 | 2 << 30 | 5 << 21 | 0x12345: 2 MiB leaf */
	assert_int_equal(walk(&pg, 0x8080a12345ull, &gpa), 0);
	assert_int_equal(gpa, 0x412345);
	assert_int_equal(rd.reads, 3);
	/* 1 << 39 | 3 << 30 | 0x1234567: 1 GiB leaf */
	assert_int_equal(walk(&pg, 0x80c1234567ull, &gpa), 0);
	assert_int_equal(gpa, 0x41234567);
	assert_int_equal(rd.reads, 2);
	/* not present: PD[6], PML4[0] */
	assert_int_equal(walk(&pg, 0x8080c00000ull, &gpa), -ENOENT);
	assert_int_equal(rd.reads, 3);
	assert_int_equal(walk(&pg, 0x1000, &gpa), -ENOENT);
	assert_int_equal(rd.reads, 1);
	/* canonical: bits 63:47 equal; the upper half walks PML4[256] */
	assert_int_equal(walk(&pg, 0x0000800000000000ull, &gpa), -EINVAL);
	assert_int_equal(rd.reads, 0);
	assert_int_equal(walk(&pg, 0xfff0000000000000ull, &gpa), -EINVAL);
	assert_int_equal(walk(&pg, 0x0100000000000000ull, &gpa), -EINVAL);
	put64(0x1000 + 256 * 8, 0x2000 | 1);
	assert_int_equal(walk(&pg, 0xffff800080a12345ull, &gpa), 0);
	assert_int_equal(gpa, 0x412345);
	/* bits 62:52 are ignored, XD is reserved only while EFER.NXE is 0 */
	put64(0x3000 + 5 * 8, 0x400000 | (0x7ffull << 52) | PS | 1);
	assert_int_equal(walk(&pg, 0x8080a12345ull, &gpa), 0);
	assert_int_equal(gpa, 0x412345);
	put64(0x3000 + 5 * 8, 0x400000 | XD | PS | 1);
	assert_int_equal(walk(&pg, 0x8080a12345ull, &gpa), -ERANGE);
	pg.efer |= X86_EFER_NXE;
	assert_int_equal(walk(&pg, 0x8080a12345ull, &gpa), 0);
	/* reserved: bits 51:M (M = 46), 20:13 of a 2 MiB and 29:13 of a 1 GiB leaf, PS in a PML4E */
	put64(0x3000 + 5 * 8, 0x400000 | (1ull << 46) | PS | 1);
	assert_int_equal(walk(&pg, 0x8080a12345ull, &gpa), -ERANGE);
	put64(0x3000 + 5 * 8, 0x400000 | (1ull << 20) | PS | 1);
	assert_int_equal(walk(&pg, 0x8080a12345ull, &gpa), -ERANGE);
	put64(0x2000 + 3 * 8, 0x40000000 | (1ull << 29) | PS | 1);
	assert_int_equal(walk(&pg, 0x80c1234567ull, &gpa), -ERANGE);
	put64(0x2000 + 3 * 8, 0x40000000 | (1ull << 13) | PS | 1);
	assert_int_equal(walk(&pg, 0x80c1234567ull, &gpa), -ERANGE);
	put64(0x4000 + 4 * 8, 0x9000 | (1ull << 51) | 1);
	assert_int_equal(walk(&pg, 0x8080604567ull, &gpa), -ERANGE);
	assert_int_equal(rd.reads, 4);
	put64(0x1000 + 1 * 8, 0x2000 | PS | 1);
	assert_int_equal(walk(&pg, 0x8080604567ull, &gpa), -ERANGE);
	assert_int_equal(rd.reads, 1);
	put64(0x1000 + 1 * 8, (1ull << 39) | PS | 1); /* no leaf of 512 GiB either */
	assert_int_equal(walk(&pg, 0x8080604567ull, &gpa), -ERANGE);
	/* with MAXPHYADDR 52 bit 51 is an address bit; CR3's PCID bits are not */
	pg.pa_bits = 52;
	pg.cr3 = 0x1000 | 0xfff;
	put64(0x1000 + 1 * 8, 0x2000 | 1);
	assert_int_equal(walk(&pg, 0x8080604567ull, &gpa), 0);
	assert_int_equal(gpa, (1ull << 51) | 0x9567);
	assert_int_equal(rd.reads, 4);
}

/* 5-level paging (CR4.LA57): a PML5 table above the PML4, 57-bit canonical addresses. */
static void five_level(void **state)
{
	struct vcpu_paging pg = { .cr0 = X86_CR0_PE | X86_CR0_PG,
				  .cr3 = 0x1000,
				  .cr4 = X86_CR4_PAE | X86_CR4_LA57,
				  .efer = X86_EFER_LME | X86_EFER_LMA,
				  .pa_bits = 52 };
	uint64_t gpa;

	(void)state;
	/* la 3 << 48 | 256 << 39 | 1 << 30 | 2 << 21 | 7 << 12 | 0xabc = 0x3800040407abc */
	put64(0x1000 + 3 * 8, 0x2000 | 1);   /* PML5[3] -> PML4 */
	put64(0x2000 + 256 * 8, 0x3000 | 1); /* PML4[256] -> PDPT */
	put64(0x3000 + 1 * 8, 0x4000 | 1);   /* PDPT[1] -> PD */
	put64(0x4000 + 2 * 8, 0x5000 | 1);   /* PD[2] -> PT */
	put64(0x5000 + 7 * 8, 0xfedcba9876000ull | 1);
	assert_int_equal(walk(&pg, 0x0003800040407abcull, &gpa), 0);
	assert_int_equal(gpa, 0xfedcba9876abcull);
	assert_int_equal(rd.reads, 5);
	/* bit 47 set is canonical here (not in 4-level paging); bits 63:56 must equal */
	assert_int_equal(walk(&pg, 0x0100000000000000ull, &gpa), -EINVAL);
	assert_int_equal(walk(&pg, 0xfe00000000000000ull, &gpa), -EINVAL);
	assert_int_equal(rd.reads, 0);
	/* the upper half: PML5[511] */
	put64(0x1000 + 511 * 8, 0x2000 | 1);
	assert_int_equal(walk(&pg, 0xffff800040407abcull, &gpa), 0);
	assert_int_equal(gpa, 0xfedcba9876abcull);
	/* a 1 GiB leaf under the PML5 */
	put64(0x3000 + 2 * 8, 0xc0000000 | PS | 1);
	assert_int_equal(walk(&pg, 0x0003800080000010ull, &gpa), 0);
	assert_int_equal(gpa, 0xc0000010);
	assert_int_equal(rd.reads, 3);
	/* PS in a PML5E is reserved; a PML5E not present */
	put64(0x1000 + 3 * 8, 0x2000 | PS | 1);
	assert_int_equal(walk(&pg, 0x0003800040407abcull, &gpa), -ERANGE);
	assert_int_equal(rd.reads, 1);
	put64(0x1000 + 3 * 8, PS | 1);
	assert_int_equal(walk(&pg, 0x0003800040407abcull, &gpa), -ERANGE);
	assert_int_equal(walk(&pg, 0x0004000000000000ull, &gpa), -ENOENT);
	/* LA57 outside long mode changes nothing: PAE paging, 32-bit addresses */
	pg.efer = 0;
	pg.cr3 = 0x6000;
	put64(0x6000, 0x7000 | 1);
	put64(0x7000, 0x200000 | PS | 1);
	assert_int_equal(walk(&pg, 0x0003800000012345ull, &gpa), 0);
	assert_int_equal(gpa, 0x212345);
	assert_int_equal(rd.reads, 2);
}

/* The read callback's error comes back unchanged, at every level of every mode. */
static void read_errors(void **state)
{
	static const struct {
		struct vcpu_paging pg;
		uint64_t la;
		unsigned int reads;
	} cases[] = {
		{ { .cr0 = X86_CR0_PG, .cr3 = 0x1000, .pa_bits = 40 }, 0x00400000, 2 },
		{ { .cr0 = X86_CR0_PG, .cr3 = 0x1000, .cr4 = X86_CR4_PAE, .pa_bits = 40 },
		  0x00000000,
		  3 },
		{ { .cr0 = X86_CR0_PG,
		    .cr3 = 0x1000,
		    .cr4 = X86_CR4_PAE,
		    .efer = X86_EFER_LMA,
		    .pa_bits = 40 },
		  0,
		  4 },
		{ { .cr0 = X86_CR0_PG,
		    .cr3 = 0x1000,
		    .cr4 = X86_CR4_PAE | X86_CR4_LA57,
		    .efer = X86_EFER_LMA,
		    .pa_bits = 40 },
		  0,
		  5 },
	};
	uint64_t gpa;

	(void)state;
	/* one chain of tables at 0x1000, 0x2000, ...: entry 0 (32-bit: PDE 1) -> the next page */
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (unsigned int t = 0; t < 5; t++)
			put64(0x1000 + t * 0x1000, (0x2000 + t * 0x1000) | 1);
		if (i == 0) {
			put32(0x1000, 0);
			put32(0x1000 + 4, 0x2000 | 1);
			put32(0x2000, 0x3000 | 1);
		}
		rd.fail_at = 0;
		assert_int_equal(walk(&cases[i].pg, cases[i].la, &gpa), 0);
		assert_int_equal(rd.reads, cases[i].reads);
		assert_int_equal(gpa, 0x1000 + cases[i].reads * 0x1000);
		rd.fail_err = -EIO;
		for (rd.fail_at = 1; rd.fail_at <= cases[i].reads; rd.fail_at++) {
			assert_int_equal(walk(&cases[i].pg, cases[i].la, &gpa), -EIO);
			assert_int_equal(rd.reads, rd.fail_at);
		}
		rd.fail_at = 0;
	}
	/* a table outside the guest's memory: the callback's -EFAULT */
	put64(0x4000, 0x800000 | 1);
	assert_int_equal(walk(&cases[3].pg, 0, &gpa), -EFAULT);
	assert_int_equal(rd.reads, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(paging_off_and_no_mode, setup),
		cmocka_unit_test_setup(bit32_4k, setup),
		cmocka_unit_test_setup(bit32_4m, setup),
		cmocka_unit_test_setup(pae, setup),
		cmocka_unit_test_setup(four_level, setup),
		cmocka_unit_test_setup(five_level, setup),
		cmocka_unit_test_setup(read_errors, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
