// SPDX-License-Identifier: MIT
/*
 * VT-d fault records, FSTS_REG and fault reason names. Every record below was assembled by
 * hand from the FRCD_REG field positions (the sum is in the comment next to it), not read back
 * from any encoder: hi = bits 127:64 (SID 15:0, T2 28, PRIV 29, EXE 30, PP 31, FR 39:32,
 * PV 59:40, AT 61:60, T1 62, F 63), lo = bits 63:0 (FI 63:12).
 * Sources: iommu/vtd/vtd_fault.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_fault.h"
#include "tests/unit/vtd_units.h"

static void dma_write_without_pasid(void **state)
{
	struct vtd_fault f;

	(void)state;
	/*
	 * SID 12:1f.7 = 0x12 << 8 | 0x1f << 3 | 7 = 0x12ff; FR 0x05 << 32; F 1 << 63:
	 * hi = 0x8000000000000000 | 0x0000000500000000 | 0x12ff = 0x80000005000012ff.
	 * lo has junk in the reserved bits 11:0, which the decoder drops.
	 */
	vtd_fault_decode(0x00000000deadbeefull, 0x80000005000012ffull, &f);
	assert_true(f.fault);
	assert_int_equal(f.sid, 0x12ff);
	assert_int_equal(f.bus, 0x12);
	assert_int_equal(f.dev, 0x1f);
	assert_int_equal(f.fn, 7);
	assert_int_equal(f.reason, VTD_FR_NO_WRITE);
	assert_false(f.intr);
	assert_int_equal(f.addr, 0xdeadb000ull);
	assert_int_equal(f.access, VTD_FAULT_WRITE);
	assert_false(f.pasid_present);
	assert_int_equal(f.pasid, 0);
	assert_false(f.exe);
	assert_false(f.priv);
	assert_int_equal(f.at, 0);
}

static void dma_read_with_pasid(void **state)
{
	struct vtd_fault f;

	(void)state;
	/*
	 * F 0x8000000000000000 | T1 0x4000000000000000 | PV 0xfffff << 40 (0x0fffff0000000000)
	 * | FR 0x06 << 32 | PP 0x80000000 | SID 0xffff = 0xcfffff068000ffff
	 */
	vtd_fault_decode(0xfffffffffffff000ull, 0xcfffff068000ffffull, &f);
	assert_true(f.fault);
	assert_int_equal(f.bus, 0xff);
	assert_int_equal(f.dev, 0x1f);
	assert_int_equal(f.fn, 7);
	assert_int_equal(f.access, VTD_FAULT_READ);
	assert_true(f.pasid_present);
	assert_int_equal(f.pasid, 0xfffff);
	assert_int_equal(f.reason, VTD_FR_NO_READ);
	assert_int_equal(f.addr, 0xfffffffffffff000ull);
}

static void page_request_exec_priv(void **state)
{
	struct vtd_fault f;

	(void)state;
	/*
	 * F | AT 2 << 60 (0x2000000000000000) | FR 0x82 << 32 | EXE 0x40000000 | PRIV 0x20000000
	 * | T2 0x10000000, SID 0 = 0xa000008270000000
	 */
	vtd_fault_decode(0x0000000000042000ull, 0xa000008270000000ull, &f);
	assert_int_equal(f.access, VTD_FAULT_PAGE_REQ);
	assert_true(f.exe);
	assert_true(f.priv);
	assert_int_equal(f.at, 2);
	assert_int_equal(f.reason, VTD_FR_SM_NO_EXEC);
	assert_int_equal(f.addr, 0x42000);
	assert_false(f.pasid_present);
	/* T2 and T1 both set: AtomicOp. F | T1 | FR 0x85 << 32 | T2 = 0xc000008510000000 */
	vtd_fault_decode(0, 0xc000008510000000ull, &f);
	assert_int_equal(f.access, VTD_FAULT_ATOMIC);
	assert_int_equal(f.reason, VTD_FR_SM_NO_WRITE);
	assert_false(f.exe || f.priv);
}

static void f_bit_and_stray_pasid(void **state)
{
	struct vtd_fault f;

	(void)state;
	/* F clear: FR 0x01 << 32 only. The fields still decode. */
	vtd_fault_decode(0x1000, 0x0000000100000000ull, &f);
	assert_false(f.fault);
	assert_int_equal(f.reason, VTD_FR_ROOT_NOT_PRESENT);
	assert_int_equal(f.addr, 0x1000);
	/* PV set but PP clear (F | PV 5 << 40): the PASID is not reported. */
	vtd_fault_decode(0, 0x8000050000000000ull, &f);
	assert_true(f.fault);
	assert_false(f.pasid_present);
	assert_int_equal(f.pasid, 0);
	/* Only the F bit: a write with reason 0 (reserved). */
	vtd_fault_decode(0, 0x8000000000000000ull, &f);
	assert_true(f.fault);
	assert_int_equal(f.reason, 0);
	assert_int_equal(f.sid, 0);
}

static void interrupt_remapping_fault(void **state)
{
	struct vtd_fault f;

	(void)state;
	/*
	 * FI 63:48 = interrupt index 0x1234: lo = 0x1234000000000000.
	 * hi = F | FR 0x22 << 32 | SID 00:1f.2 (0x1f << 3 | 2 = 0xfa) = 0x80000022000000fa
	 */
	vtd_fault_decode(0x1234000000000000ull, 0x80000022000000faull, &f);
	assert_true(f.fault);
	assert_true(f.intr);
	assert_int_equal(f.irte_index, 0x1234);
	assert_int_equal(f.addr, 0);
	assert_int_equal(f.reason, VTD_FR_IR_NOT_PRESENT);
	assert_int_equal(f.dev, 0x1f);
	assert_int_equal(f.fn, 2);
	/* 0x26 is the last named interrupt reason; 0x1f is not one. */
	vtd_fault_decode(0xffff000000000000ull, 0x8000002600000000ull, &f);
	assert_true(f.intr);
	assert_int_equal(f.irte_index, 0xffff);
	vtd_fault_decode(0xffff000000000000ull, 0x8000001f00000000ull, &f);
	assert_false(f.intr);
	assert_int_equal(f.addr, 0xffff000000000000ull);
}

static void register_masks(void **state)
{
	(void)state;
	assert_int_equal(VTD_FRCD_HI_T2, 0x0000000010000000ull);
	assert_int_equal(VTD_FRCD_HI_PRIV | VTD_FRCD_HI_EXE | VTD_FRCD_HI_PP, 0xe0000000ull);
	assert_int_equal(VTD_FRCD_HI_FR_MASK, 0x000000ff00000000ull);
	assert_int_equal(VTD_FRCD_HI_PV_MASK, 0x0fffff0000000000ull);
	assert_int_equal(VTD_FRCD_HI_AT_MASK, 0x3000000000000000ull);
	assert_int_equal(VTD_FRCD_HI_T1 | VTD_FRCD_HI_F, 0xc000000000000000ull);
	/* F is bit 127: bit 31 of the dword at byte 12. */
	assert_int_equal((uint64_t)VTD_FRCD_F_DW_CLEAR << 32, VTD_FRCD_HI_F);
	assert_int_equal(VTD_FRCD_F_DW_OFFSET - VTD_FRCD_HI_OFFSET, 4);
	assert_int_equal(VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_AFO | VTD_FSTS_APF, 0xf);
	assert_int_equal(VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE, 0x70);
	assert_int_equal(VTD_FSTS_FRI_MASK, 0xff00);
	assert_int_equal(VTD_FECTL_IM, 0x80000000u);
	assert_int_equal(VTD_FECTL_IP, 0x40000000u);
}

static void fsts(void **state)
{
	struct vtd_fsts s;

	(void)state;
	/* Every field: bits 6:0 and FRI 0xff (bit 7, the old PRO, is not decoded). */
	vtd_fsts_decode(0x0000ffffu, &s);
	assert_true(s.pfo && s.ppf && s.afo && s.apf && s.iqe && s.ice && s.ite);
	assert_int_equal(s.fri, 0xff);
	/* PPF with FRI 3. */
	vtd_fsts_decode(0x00000302u, &s);
	assert_true(s.ppf);
	assert_false(s.pfo || s.afo || s.apf || s.iqe || s.ice || s.ite);
	assert_int_equal(s.fri, 3);
	/* IQE alone (what a reserved descriptor field earns), bits above 15 ignored. */
	vtd_fsts_decode(0xffff0010u, &s);
	assert_true(s.iqe);
	assert_false(s.ppf || s.ice || s.ite);
	assert_int_equal(s.fri, 0);
}

static void frcd_offsets(void **state)
{
	uint32_t off = 0;

	(void)state;
	/* QEMU: FRO 0x22 (bits 33:24 = 0x0000000022000000), NFR 0: one record at 0x220. */
	assert_int_equal(vtd_frcd_offset(0x0000000022000000ull, 0, &off), 0);
	assert_int_equal(off, 0x220);
	assert_int_equal(vtd_frcd_offset(0x0000000022000000ull, 1, &off), -EINVAL);
	/* FRO 0x40 (0x40 << 24) and NFR 7 (7 << 40): 8 records, 0x400 + i * 16. */
	assert_int_equal(vtd_frcd_offset(0x0000070040000000ull, 7, &off), 0);
	assert_int_equal(off, 0x470);
	assert_int_equal(vtd_frcd_offset(0x0000070040000000ull, 8, &off), -EINVAL);
	/* Granite Rapids CAP 0xf9ed008cee780c66 (vtd_units.h): FRO 0xee, NFR 0. */
	assert_int_equal(vtd_frcd_offset(VTD_UNIT_GNR_CAP, 0, &off), 0);
	assert_int_equal(off, 0xee0);
	/* FRO at its 10-bit maximum 0x3ff (0x3ff << 24 = 0x00000003ff000000), NFR 255. */
	assert_int_equal(vtd_frcd_offset(0x0000ff03ff000000ull, 255, &off), 0);
	assert_int_equal(off, 0x3ff0 + 0xff0);
}

static void reason_names(void **state)
{
	(void)state;
	assert_string_equal(vtd_fault_reason_name(0x01), "root entry not present");
	assert_string_equal(vtd_fault_reason_name(0x05), "write without write permission");
	assert_string_equal(vtd_fault_reason_name(0x0d),
			    "translation request blocked by the context entry's TT");
	assert_string_equal(vtd_fault_reason_name(0x26),
			    "interrupt blocked by source-id verification");
	assert_string_equal(vtd_fault_reason_name(0x31),
			    "request with PASID while RTADDR TTM is legacy");
	assert_string_equal(vtd_fault_reason_name(0x47),
			    "page request while the context entry's PRE is clear");
	/* QEMU 10: second-stage PGTT on a first-stage-only unit. */
	assert_non_null(strstr(vtd_fault_reason_name(0x5b), "PGTT"));
	assert_string_equal(vtd_fault_reason_name(0x71), "first-stage paging entry not present");
	assert_string_equal(vtd_fault_reason_name(0x80), "non-canonical first-stage input address");
	assert_string_equal(vtd_fault_reason_name(0x87),
			    "translated address in the interrupt range");
	assert_string_equal(vtd_fault_reason_name(0x91), "first-stage A/D bit update failed");
	/* Reserved codes, including the gaps inside each group. */
	static const uint8_t reserved[] = { 0x00, 0x0f, 0x10, 0x1f, 0x27, 0x2f, 0x33,
					    0x37, 0x3b, 0x49, 0x53, 0x5e, 0x60, 0x6f,
					    0x7d, 0x88, 0x8f, 0x92, 0xa0, 0xff };
	for (unsigned int i = 0; i < sizeof(reserved); i++)
		assert_null(vtd_fault_reason_name(reserved[i]));
}

/* Every enum vtd_fault_reason value has a name, and nothing else does. */
static void every_reason_named(void **state)
{
	static const uint8_t named[] = {
		VTD_FR_ROOT_NOT_PRESENT,
		VTD_FR_CTX_NOT_PRESENT,
		VTD_FR_CTX_INVALID,
		VTD_FR_ADDR_BEYOND_AW,
		VTD_FR_NO_WRITE,
		VTD_FR_NO_READ,
		VTD_FR_SS_ACCESS,
		VTD_FR_ROOT_ACCESS,
		VTD_FR_CTX_ACCESS,
		VTD_FR_ROOT_RSVD,
		VTD_FR_CTX_RSVD,
		VTD_FR_SS_RSVD,
		VTD_FR_CTX_TT_BLOCKED,
		VTD_FR_INTR_ADDR,
		VTD_FR_IR_REQ_RSVD,
		VTD_FR_IR_INDEX,
		VTD_FR_IR_NOT_PRESENT,
		VTD_FR_IR_TABLE_ACCESS,
		VTD_FR_IR_IRTE_RSVD,
		VTD_FR_IR_COMPAT_BLOCKED,
		VTD_FR_IR_SID_BLOCKED,
		VTD_FR_SM_RTADDR_INVALID,
		VTD_FR_SM_TTM_PASID,
		VTD_FR_SM_TTM_PAGE_REQ,
		VTD_FR_SM_ROOT_ACCESS,
		VTD_FR_SM_ROOT_NOT_PRESENT,
		VTD_FR_SM_ROOT_RSVD,
		VTD_FR_SM_CTX_ACCESS,
		VTD_FR_SM_CTX_NOT_PRESENT,
		VTD_FR_SM_CTX_RSVD,
		VTD_FR_SM_CTX_INVALID,
		VTD_FR_SM_CTX_DTE,
		VTD_FR_SM_CTX_PASIDE,
		VTD_FR_SM_CTX_PASID_RANGE,
		VTD_FR_SM_CTX_PRE,
		VTD_FR_SM_CTX_RID_PASID,
		VTD_FR_SM_PDIR_ACCESS,
		VTD_FR_SM_PDIR_NOT_PRESENT,
		VTD_FR_SM_PDIR_RSVD,
		VTD_FR_SM_PASID_ACCESS,
		VTD_FR_SM_PASID_NOT_PRESENT,
		VTD_FR_SM_PASID_RSVD,
		VTD_FR_SM_PASID_INVALID,
		VTD_FR_SM_PASID_ERE,
		VTD_FR_SM_PASID_SRE,
		VTD_FR_SM_FS_ACCESS,
		VTD_FR_SM_FS_NOT_PRESENT,
		VTD_FR_SM_FS_RSVD,
		VTD_FR_SM_FSPTPTR,
		VTD_FR_SM_NEST_FS_AW,
		VTD_FR_SM_NEST_FS_ROOT_READ,
		VTD_FR_SM_NEST_FS_READ,
		VTD_FR_SM_NEST_FS_WRITE,
		VTD_FR_SM_SS_ACCESS,
		VTD_FR_SM_SS_PERM,
		VTD_FR_SM_SS_RSVD,
		VTD_FR_SM_SSPTPTR,
		VTD_FR_SM_SS_AD_NOSNOOP,
		VTD_FR_SM_NON_CANONICAL,
		VTD_FR_SM_USER_SUPERVISOR,
		VTD_FR_SM_NO_EXEC,
		VTD_FR_SM_ADDR_BEYOND_MAX,
		VTD_FR_SM_SS_OUT_BEYOND_MAX,
		VTD_FR_SM_NO_WRITE,
		VTD_FR_SM_NO_READ,
		VTD_FR_SM_INTR_ADDR,
		VTD_FR_SM_FS_AD_NOSNOOP,
		VTD_FR_SM_FS_AD_FAILED,
	};
	bool is_named[256] = { false };
	unsigned int count = 0;

	(void)state;
	/* 14 legacy, 7 interrupt, 47 scalable-mode codes. */
	assert_int_equal(sizeof(named), 68);
	for (unsigned int i = 0; i < sizeof(named); i++) {
		assert_false(is_named[named[i]]); /* no value listed twice */
		is_named[named[i]] = true;
	}
	for (unsigned int r = 0; r < 256; r++) {
		const char *name = vtd_fault_reason_name((uint8_t)r);

		if (is_named[r]) {
			assert_non_null(name);
			assert_true(strlen(name) > 0);
			count++;
		} else {
			assert_null(name);
		}
	}
	assert_int_equal(count, 68);
}

static void reason_strings(void **state)
{
	char buf[VTD_FAULT_REASON_BUF];
	char small[8];

	(void)state;
	assert_string_equal(vtd_fault_reason_str(0x02, buf, sizeof(buf)),
			    "context entry not present");
	assert_string_equal(vtd_fault_reason_str(0x00, buf, sizeof(buf)), "reserved (0x00)");
	assert_string_equal(vtd_fault_reason_str(0x5e, buf, sizeof(buf)), "reserved (0x5e)");
	assert_ptr_equal(vtd_fault_reason_str(0xff, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "reserved (0xff)");
	/* A short buffer is truncated, never overrun. */
	assert_string_equal(vtd_fault_reason_str(0xab, small, sizeof(small)), "reserve");
}

static void describe(void **state)
{
	struct vtd_fault f;
	char line[160];
	int n;

	(void)state;
	vtd_fault_decode(0x00000000deadbeefull, 0x80000005000012ffull, &f);
	n = vtd_fault_describe(&f, line, sizeof(line));
	assert_string_equal(
		line, "12:1f.7 write addr 0xdeadb000 reason 0x05 (write without write permission)");
	assert_int_equal(n, (int)strlen(line));

	vtd_fault_decode(0xfffffffffffff000ull, 0xcfffff068000ffffull, &f);
	vtd_fault_describe(&f, line, sizeof(line));
	assert_string_equal(line, "ff:1f.7 read addr 0xfffffffffffff000 PASID 0xfffff reason 0x06 "
				  "(read without read permission)");

	vtd_fault_decode(0x0000000000042000ull, 0xa000008270000000ull, &f);
	vtd_fault_describe(&f, line, sizeof(line));
	assert_string_equal(line, "00:00.0 page request exec priv addr 0x42000 reason 0x82 "
				  "(execute request without execute permission)");

	vtd_fault_decode(0x1234000000000000ull, 0x80000022000000faull, &f);
	vtd_fault_describe(&f, line, sizeof(line));
	assert_string_equal(line, "00:1f.2 interrupt index 0x1234 reason 0x22 "
				  "(interrupt remapping entry not present)");

	/* A reserved reason: F | T1 | FR 0x99 << 32 | SID 0x0008 (00:01.0). */
	vtd_fault_decode(0x5000, 0xc000009900000008ull, &f);
	vtd_fault_describe(&f, line, sizeof(line));
	assert_string_equal(line, "00:01.0 read addr 0x5000 reason 0x99 (reserved (0x99))");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dma_write_without_pasid),
		cmocka_unit_test(dma_read_with_pasid),
		cmocka_unit_test(page_request_exec_priv),
		cmocka_unit_test(f_bit_and_stray_pasid),
		cmocka_unit_test(interrupt_remapping_fault),
		cmocka_unit_test(register_masks),
		cmocka_unit_test(fsts),
		cmocka_unit_test(frcd_offsets),
		cmocka_unit_test(reason_names),
		cmocka_unit_test(every_reason_named),
		cmocka_unit_test(reason_strings),
		cmocka_unit_test(describe),
	};

	return cmocka_run_group_tests_name("vtd_fault", tests, NULL, NULL);
}
