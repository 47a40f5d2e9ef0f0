// SPDX-License-Identifier: MIT
/*
 * Scalable-mode PASID table entries (VT-d rev 5.0, 9.6): the encoder against golden words worked
 * out by hand from the specification's bit table (each vector's comment shows the field
 * arithmetic; none was produced by running the encoder) for every PGTT, the flags one by one,
 * the P = 0 then set-present order, malformed configurations, round trips through the decoders
 * and the decoders' refusals. The bit positions are cross-checked as test_vtd_entries.c says;
 * what the unit supports is test_vtd_pasid_validate.c's.
 *
 * Sources: iommu/vtd/vtd_entries.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_entries.h"
#include "tests/unit/vtd_entries_fixture.h"

/* ---- PASID table entry (9.6) ---- */

static void pasid_entry_second_stage(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c;

	(void)state;
	/* SSPTPTR 0x12345000 | PGTT 010b << 6 (0x80) | AW 2 << 2 (0x8) = 0x12345088;
	 * DID 0x2a | PWSNP 1 << 23 (bit 87) = 0x80002a. */
	assert_int_equal(vtd_pasid_entry_encode(&ss_basic, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x12345088, 0x80002a, 0, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* Every second-stage field at its extreme: SSPTPTR bits 51:12 set, SSADE 0x200, PGTT 0x80,
	 * SSEE 0x20, AW 3 << 2 = 0xc, FPD 0x2: low 12 bits 0x2ae -> 0x000ffffffffff2ae;
	 * DID 0xffff | PWSNP 0x800000 | PGSNP 1 << 24 (bit 88) = 0x180ffff. */
	c = (struct vtd_pasid_entry_config){
		.pgtt = VTD_PGTT_SS,
		.did = 0xffff,
		.aw = VTD_AW_57,
		.ss_root = PTR_MAX52,
		.flags = VTD_PE_FLAG_FPD | VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP |
			 VTD_PE_FLAG_SSADE | VTD_PE_FLAG_SSEE,
	};
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x000ffffffffff2ae, 0x180ffff, 0, 0, 0, 0, 0, 0 },
		     8);
	assert_pe_reserved_clear(&e);
	assert_int_equal(vtd_pasid_entry_pgtt(&e), VTD_PGTT_SS);
	assert_int_equal(vtd_pasid_entry_did(&e), 0xffff);
	assert_int_equal(vtd_pasid_entry_ss_root(&e), PTR_MAX52);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), 0);

	/* Pointer with only address bit 51: word 0 = 0x0008000000000000 | 0x80 | AW 1 << 2 (0x4). */
	c = (struct vtd_pasid_entry_config){ .pgtt = VTD_PGTT_SS,
					     .aw = VTD_AW_39,
					     .ss_root = BIT51 };
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x0008000000000084, 0, 0, 0, 0, 0, 0, 0 }, 8);
}

static void pasid_entry_first_stage(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c = {
		.pgtt = VTD_PGTT_FS,
		.did = 1,
		.fs_root = 0x23456000,
		.fs_paging = VTD_FSPM_4LEVEL,
		.flags = VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_NXE | VTD_PE_FLAG_EAFE |
			 VTD_PE_FLAG_PWSNP,
	};

	(void)state;
	/* PGTT 001b << 6 = 0x40, AW 0; DID 1 | PWSNP 0x800000 = 0x800001;
	 * FSPTPTR 0x23456000 (bits 191:140 = word 2 bits 63:12) | EAFE 0x80 (135) | NXE 0x20 (133)
	 * | WPE 0x10 (132) | FSPM 0 | SRE 0x1 (128) = 0x234560b1. */
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x40, 0x800001, 0x234560b1, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* 5-level, every first-stage flag, FSPTPTR with address bit 51, DID 0xffff, AW 3, FPD,
	 * PGSNP: word 0 = 0x40 | 0xc | 0x2 = 0x4e; word 1 = 0xffff | 0x1000000 = 0x100ffff;
	 * word 2 = 0x0008000000000000 | EAFE 0x80 | SMEP 0x40 | NXE 0x20 | WPE 0x10 | FSPM 1 << 2
	 * (0x4) | ERE 0x2 | SRE 0x1 = 0x00080000000000f7. */
	c = (struct vtd_pasid_entry_config){
		.pgtt = VTD_PGTT_FS,
		.did = 0xffff,
		.aw = VTD_AW_57,
		.fs_root = BIT51,
		.fs_paging = VTD_FSPM_5LEVEL,
		.flags = VTD_PE_FLAG_FPD | VTD_PE_FLAG_PGSNP | VTD_PE_FLAGS_FS,
	};
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val,
		     (const uint64_t[]){ 0x4e, 0x100ffff, 0x00080000000000f7, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), BIT51);
	assert_int_equal(vtd_pasid_entry_ss_root(&e), 0);
	assert_int_equal(vtd_pasid_entry_pgtt(&e), VTD_PGTT_FS);
}

static void pasid_entry_pass_through(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c = {
		.pgtt = VTD_PGTT_PT,
		.did = 0x2a,
		.aw = VTD_AW_48,
		.flags = VTD_PE_FLAG_PWSNP,
	};

	(void)state;
	/* PGTT 100b << 6 = 0x100 | AW 2 << 2 = 0x108; DID 0x2a | PWSNP = 0x80002a. */
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x108, 0x80002a, 0, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* Nothing but PGTT: word 0 = 0x100. */
	c = (struct vtd_pasid_entry_config){ .pgtt = VTD_PGTT_PT };
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x100, 0, 0, 0, 0, 0, 0, 0 }, 8);
}

static void pasid_entry_nested(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c;

	(void)state;
	/* 4-level first stage: word 0 = SSPTPTR 0x12345000 | PGTT 011b << 6 (0xc0) | AW 2 << 2
	 * (0x8) = 0x123450c8; word 1 = DID 0x2a; word 2 = FSPTPTR 0x23456000 | FSPM 0 = 0x23456000. */
	assert_int_equal(vtd_pasid_entry_encode(&nested_basic, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x123450c8, 0x2a, 0x23456000, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);
	assert_false(vtd_pasid_entry_present(&e));
	assert_int_equal(vtd_pasid_entry_pgtt(&e), VTD_PGTT_NESTED);
	assert_int_equal(vtd_pasid_entry_did(&e), 0x2a);
	assert_int_equal(vtd_pasid_entry_ss_root(&e), 0x12345000);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), 0x23456000);

	/* 5-level first stage over a 57-bit second stage: word 0 = 0x12345000 | 0xc0 | AW 3 << 2
	 * (0xc) = 0x123450cc; word 2 = 0x23456000 | FSPM 1 << 2 (0x4) = 0x23456004. */
	c = nested_basic;
	c.aw = VTD_AW_57;
	c.fs_paging = VTD_FSPM_5LEVEL;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x123450cc, 0x2a, 0x23456004, 0, 0, 0, 0, 0 }, 8);
	assert_pe_reserved_clear(&e);

	/* 5-level first stage over a 48-bit second stage is still a well-formed entry: word 0 =
	 * 0x123450c8 (AW 2), word 2 = 0x23456004 (FSPM 1). */
	c.aw = VTD_AW_48;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val, (const uint64_t[]){ 0x123450c8, 0x2a, 0x23456004, 0, 0, 0, 0, 0 }, 8);

	/* Every field at its extreme: SSPTPTR bits 51:12 (0x000ffffffffff000) | SSADE 0x200 |
	 * PGTT 0xc0 | SSEE 0x20 | AW 3 << 2 (0xc) | FPD 0x2 -> low 12 bits 0x2ee:
	 * 0x000ffffffffff2ee; word 1 = DID 0xffff | PWSNP 0x800000 | PGSNP 0x1000000 = 0x180ffff;
	 * word 2 = FSPTPTR bit 51 (0x0008000000000000) | EAFE 0x80 | SMEP 0x40 | NXE 0x20 |
	 * WPE 0x10 | FSPM 1 << 2 (0x4) | ERE 0x2 | SRE 0x1 = 0x00080000000000f7. */
	c = (struct vtd_pasid_entry_config){
		.pgtt = VTD_PGTT_NESTED,
		.did = 0xffff,
		.aw = VTD_AW_57,
		.ss_root = PTR_MAX52,
		.fs_root = BIT51,
		.fs_paging = VTD_FSPM_5LEVEL,
		.flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS,
	};
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	assert_words(e.val,
		     (const uint64_t[]){ 0x000ffffffffff2ee, 0x180ffff, 0x00080000000000f7, 0, 0, 0,
					 0, 0 },
		     8);
	assert_pe_reserved_clear(&e);
	assert_false(vtd_pasid_entry_present(&e));
	assert_int_equal(vtd_pasid_entry_ss_root(&e), PTR_MAX52);
	assert_int_equal(vtd_pasid_entry_fs_root(&e), BIT51);
}

/*
 * One flag (or pair) at a time on nested_basic (words 0x123450c8, 0x2a, 0x23456000): the word
 * each lands in, nothing else moved, and what vtd_pasid_entry_validate() says on Granite Rapids
 * (it lacks ERS).
 */
static void pasid_entry_nested_flags(void **state)
{
	const struct {
		uint32_t flags;
		uint64_t w0, w1, w2;
		int gnr_rc;
	} v[] = {
		/* none */
		{ 0, 0x123450c8, 0x2a, 0x23456000, 0 },
		/* FPD bit 1: 0x123450c8 | 0x2 */
		{ VTD_PE_FLAG_FPD, 0x123450ca, 0x2a, 0x23456000, 0 },
		/* SSADE bit 9: 0x123450c8 | 0x200 */
		{ VTD_PE_FLAG_SSADE, 0x123452c8, 0x2a, 0x23456000, 0 },
		/* SSEE bit 5: 0x123450c8 | 0x20; needs ERS */
		{ VTD_PE_FLAG_SSEE, 0x123450e8, 0x2a, 0x23456000, -EOPNOTSUPP },
		/* PWSNP bit 87 = word 1 bit 23: 0x2a | 0x800000 */
		{ VTD_PE_FLAG_PWSNP, 0x123450c8, 0x80002a, 0x23456000, 0 },
		/* PGSNP bit 88 = word 1 bit 24: 0x2a | 0x1000000 */
		{ VTD_PE_FLAG_PGSNP, 0x123450c8, 0x100002a, 0x23456000, 0 },
		/* PWSNP + PGSNP: 0x2a | 0x800000 | 0x1000000 */
		{ VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP, 0x123450c8, 0x180002a, 0x23456000, 0 },
		/* SRE bit 128 = word 2 bit 0: 0x23456000 | 0x1 */
		{ VTD_PE_FLAG_SRE, 0x123450c8, 0x2a, 0x23456001, 0 },
		/* SRE + WPE bit 132 = word 2 bit 4: 0x23456000 | 0x1 | 0x10 */
		{ VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE, 0x123450c8, 0x2a, 0x23456011, 0 },
		/* ERE bit 129 = word 2 bit 1: | 0x2; needs ERS */
		{ VTD_PE_FLAG_ERE, 0x123450c8, 0x2a, 0x23456002, -EOPNOTSUPP },
		/* NXE bit 133 = word 2 bit 5: | 0x20 */
		{ VTD_PE_FLAG_NXE, 0x123450c8, 0x2a, 0x23456020, 0 },
		/* SMEP bit 134 = word 2 bit 6: | 0x40; needs ERS */
		{ VTD_PE_FLAG_SMEP, 0x123450c8, 0x2a, 0x23456040, -EOPNOTSUPP },
		/* EAFE bit 135 = word 2 bit 7: | 0x80 */
		{ VTD_PE_FLAG_EAFE, 0x123450c8, 0x2a, 0x23456080, 0 },
		/* SSADE + SRE + WPE + EAFE + PWSNP + PGSNP, all Granite Rapids offers for both stages:
		 * word 0 0x123452c8, word 1 0x180002a, word 2 0x23456000 | 0x80 | 0x10 | 0x1. */
		{ VTD_PE_FLAG_SSADE | VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_EAFE |
			  VTD_PE_FLAG_PWSNP | VTD_PE_FLAG_PGSNP,
		  0x123452c8, 0x180002a, 0x23456091, 0 },
	};
	struct vtd_pasid_entry_config c, out;
	struct vtd_pasid_entry e;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		c = nested_basic;
		c.flags = v[i].flags;
		assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
		assert_words(e.val, (const uint64_t[]){ v[i].w0, v[i].w1, v[i].w2, 0, 0, 0, 0, 0 },
			     8);
		assert_pe_reserved_clear(&e);
		assert_false(vtd_pasid_entry_present(&e));
		assert_int_equal(vtd_pasid_entry_validate(&c, &gnr, HAW), v[i].gnr_rc);
		assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);
		assert_pe_config_equal(&out, &c);
	}
}

/* A nested entry goes live only through set_present: P clear after encode, only bit 0 moves. */
static void pasid_entry_nested_present_last(void **state)
{
	struct vtd_pasid_entry table[VTD_PASID_TABLE_ENTRIES];
	struct vtd_pasid_entry e;
	unsigned int idx = vtd_pasid_table_index(0x81); /* 1 */

	(void)state;
	memset(table, 0, sizeof(table));
	assert_int_equal(vtd_pasid_entry_encode(&nested_basic, &e), 0);
	assert_int_equal(e.val[0] & 1, 0);
	assert_false(vtd_pasid_entry_present(&table[idx])); /* a free slot: caller may install */
	memcpy(&table[idx], &e, sizeof(e));
	assert_false(vtd_pasid_entry_present(&table[idx]));
	vtd_pasid_entry_set_present(&table[idx]);
	/* 0x123450c8 -> 0x123450c9; words 1 and 2 untouched. */
	assert_words(table[idx].val,
		     (const uint64_t[]){ 0x123450c9, 0x2a, 0x23456000, 0, 0, 0, 0, 0 }, 8);
	assert_true(vtd_pasid_entry_present(&table[idx])); /* occupied: caller refuses, -EBUSY */
	assert_false(vtd_pasid_entry_present(&table[idx - 1]));
	assert_false(vtd_pasid_entry_present(&table[idx + 1]));
	/* Setting P again changes nothing. */
	vtd_pasid_entry_set_present(&table[idx]);
	assert_int_equal(table[idx].val[0], 0x123450c9);
}

/* The entry goes live only through set_present, on table memory the caller filled with P = 0. */
static void pasid_entry_present_last(void **state)
{
	struct vtd_pasid_entry table[VTD_PASID_TABLE_ENTRIES];
	struct vtd_pasid_entry e;
	unsigned int idx = vtd_pasid_table_index(0x47); /* 7 */

	(void)state;
	memset(table, 0, sizeof(table));
	assert_int_equal(vtd_pasid_entry_encode(&ss_basic, &e), 0);
	assert_false(vtd_pasid_entry_present(&e));
	assert_int_equal(e.val[0] & 1, 0);
	for (int i = 7; i >= 0; i--) /* the caller's copy: any order, P still 0 */
		table[idx].val[i] = e.val[i];
	assert_false(vtd_pasid_entry_present(&table[idx]));
	vtd_pasid_entry_set_present(&table[idx]);
	/* Only P (bit 0) changed: 0x12345088 -> 0x12345089. */
	assert_words(table[idx].val, (const uint64_t[]){ 0x12345089, 0x80002a, 0, 0, 0, 0, 0, 0 },
		     8);
	assert_true(vtd_pasid_entry_present(&table[idx]));
	assert_false(vtd_pasid_entry_present(&table[idx - 1]));
	assert_false(vtd_pasid_entry_present(&table[idx + 1]));
}

static void pasid_entry_malformed(void **state)
{
	struct vtd_pasid_entry e;
	struct vtd_pasid_entry_config c;
	const struct vtd_pasid_entry_config fs = { .pgtt = VTD_PGTT_FS, .fs_root = 0x1000 };
	const struct vtd_pasid_entry_config pt = { .pgtt = VTD_PGTT_PT };

	(void)state;
	c = ss_basic;
	c.pgtt = (enum vtd_pgtt)0;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c.pgtt = (enum vtd_pgtt)5;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Second stage: AW 1..3, no first-stage field or flag. */
	c = ss_basic;
	c.aw = 0;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c.aw = 4;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.fs_root = 0x1000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.fs_paging = VTD_FSPM_5LEVEL;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.flags |= VTD_PE_FLAG_SRE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = ss_basic;
	c.ss_root = 0x12345008;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* First stage: no second-stage field or flag, FSPM 0..1, AW 0..3, WPE only with SRE. */
	c = fs;
	c.ss_root = 0x2000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.flags = VTD_PE_FLAG_SSADE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.fs_paging = (enum vtd_fspm)2;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.aw = 4;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.fs_root = 0x1800;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = fs;
	c.flags = VTD_PE_FLAG_WPE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c.flags = VTD_PE_FLAG_WPE | VTD_PE_FLAG_SRE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
	c = fs;
	c.flags = 1u << 11;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Pass-through: no table, no stage flag. */
	c = pt;
	c.ss_root = 0x1000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = pt;
	c.fs_root = 0x1000;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = pt;
	c.flags = VTD_PE_FLAG_SSADE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c.flags = VTD_PE_FLAG_NXE;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Nested: AW 1..3, FSPM 0..1, both pointers 4 KiB aligned, WPE only with SRE. */
	c = nested_basic;
	c.aw = 0;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c.aw = 4;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.fs_paging = (enum vtd_fspm)2;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.ss_root = 0x12345800;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.fs_root = 0x23456008;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	c = nested_basic;
	c.flags = VTD_PE_FLAG_WPE;
	memset(&e, FILL, sizeof(e));
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	assert_all_zero(&e, sizeof(e));
	c.flags = 1u << 11;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), -EINVAL);
	/* Every defined flag is allowed in a nested entry. */
	c.flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS;
	assert_int_equal(vtd_pasid_entry_encode(&c, &e), 0);
}

static void pasid_entry_round_trip(void **state)
{
	const struct vtd_pasid_entry_config cfgs[] = {
		ss_basic,
		{ .pgtt = VTD_PGTT_SS,
		  .did = 0xffff,
		  .aw = VTD_AW_57,
		  .ss_root = PTR_MAX52,
		  .flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS },
		{ .pgtt = VTD_PGTT_FS,
		  .did = 0x8000,
		  .fs_root = BIT51,
		  .fs_paging = VTD_FSPM_5LEVEL,
		  .flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_FS },
		{ .pgtt = VTD_PGTT_FS, .aw = VTD_AW_48, .fs_root = 0x7000 },
		{ .pgtt = VTD_PGTT_PT, .did = 0x1234, .aw = VTD_AW_39, .flags = VTD_PE_FLAG_FPD },
		nested_basic,
		{ .pgtt = VTD_PGTT_NESTED,
		  .did = 0xffff,
		  .aw = VTD_AW_57,
		  .ss_root = PTR_MAX52,
		  .fs_root = BIT51,
		  .fs_paging = VTD_FSPM_5LEVEL,
		  .flags = VTD_PE_FLAGS_COMMON | VTD_PE_FLAGS_SS | VTD_PE_FLAGS_FS },
		{ .pgtt = VTD_PGTT_NESTED,
		  .did = 7,
		  .aw = VTD_AW_39,
		  .ss_root = 0x1000,
		  .fs_root = 0x7ffffff000,
		  .flags = VTD_PE_FLAG_SRE | VTD_PE_FLAG_WPE | VTD_PE_FLAG_SSADE },
	};
	struct vtd_pasid_entry_config out;
	struct vtd_pasid_entry e;

	(void)state;
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		assert_int_equal(vtd_pasid_entry_encode(&cfgs[i], &e), 0);
		assert_pe_reserved_clear(&e);
		assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);
		assert_pe_config_equal(&out, &cfgs[i]);
		vtd_pasid_entry_set_present(&e);
		assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);
		assert_pe_config_equal(&out, &cfgs[i]);
		/* and back: the decoded config encodes to the same words, P clear again */
		struct vtd_pasid_entry again;

		assert_int_equal(vtd_pasid_entry_encode(&out, &again), 0);
		assert_false(vtd_pasid_entry_present(&again));
		again.val[0] |= 1; /* P, bit 0: the only difference from the live entry */
		assert_words(again.val, e.val, 8);
	}
}

static void pasid_entry_decode_refusals(void **state)
{
	struct vtd_pasid_entry_config out;
	struct vtd_pasid_entry e;

	(void)state;
	assert_int_equal(vtd_pasid_entry_encode(&ss_basic, &e), 0);
	assert_int_equal(vtd_pasid_entry_decode(&e, &out), 0);

	const struct {
		unsigned int word;
		uint64_t bit;
		int err;
	} flips[] = {
		{ 0, 1ull << 10, -EINVAL },	/* bit 10 reserved */
		{ 0, 1ull << 11, -EINVAL },	/* bit 11 reserved */
		{ 1, 1ull << 16, -EINVAL },	/* bit 80 reserved */
		{ 1, 1ull << 22, -EINVAL },	/* bit 86 reserved */
		{ 2, 1ull << 8, -EINVAL },	/* bit 136 reserved */
		{ 2, 1ull << 11, -EINVAL },	/* bit 139 reserved */
		{ 3, 1ull << 0, -EINVAL },	/* bit 192 reserved */
		{ 7, 1ull << 63, -EINVAL },	/* bit 511 reserved */
		{ 1, 1ull << 25, -EOPNOTSUPP }, /* CD, bit 89 */
		{ 1, 1ull << 32, -EOPNOTSUPP }, /* PAT, bit 96 */
		{ 1, 1ull << 63, -EOPNOTSUPP }, /* PAT, bit 127 */
	};
	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		struct vtd_pasid_entry bad = e;

		bad.val[flips[i].word] |= flips[i].bit;
		assert_int_equal(vtd_pasid_entry_decode(&bad, &out), flips[i].err);
	}

	/* PGTT 000b and 101b are reserved (bits 8:6); FSPM 10b too (bits 131:130). */
	struct vtd_pasid_entry bad = e;

	bad.val[0] &= ~(7ull << 6);
	assert_int_equal(vtd_pasid_entry_decode(&bad, &out), -EINVAL);
	assert_int_equal(out.pgtt, 0);
	bad.val[0] |= 5ull << 6;
	assert_int_equal(vtd_pasid_entry_decode(&bad, &out), -EINVAL);
	assert_int_equal(vtd_pasid_entry_pgtt(&bad), 5);
	bad = e;
	bad.val[2] |= 2ull << 2;
	assert_int_equal(vtd_pasid_entry_decode(&bad, &out), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pasid_entry_second_stage),
		cmocka_unit_test(pasid_entry_first_stage),
		cmocka_unit_test(pasid_entry_pass_through),
		cmocka_unit_test(pasid_entry_nested),
		cmocka_unit_test(pasid_entry_nested_flags),
		cmocka_unit_test(pasid_entry_nested_present_last),
		cmocka_unit_test(pasid_entry_present_last),
		cmocka_unit_test(pasid_entry_malformed),
		cmocka_unit_test(pasid_entry_round_trip),
		cmocka_unit_test(pasid_entry_decode_refusals),
	};

	return cmocka_run_group_tests(tests, entries_setup, NULL);
}
