// SPDX-License-Identifier: MIT
/*
 * The VT-d interrupt remapping formats around the IRTE (VT-d rev 5.0): IRTA_REG (10.4.29),
 * remappable-format MSI address/data (5.1.2.2) and the posted-interrupt descriptor (9.12)
 * against golden words worked out by hand from the specification's bit tables (each vector's
 * comment shows the field arithmetic; none was produced by running the encoder), the refusals
 * (each distinct errno), reserved bits, and round trips decode(encode(x)) == x.
 *
 * Cross-checked against other implementations' bit positions:
 *  - QEMU hw/i386/intel_iommu_internal.h: DMAR_IRTA_REG 0xb8, VTD_IRTA_EIME bit 11,
 *    VTD_IRTA_SIZE_MASK 0xf.
 *  - Intel processor datasheets (IRTA_REG at offset B8h): IRTA 63:12, EIME 11, 10:4 reserved,
 *    S 3:0 with 2^(S+1) entries.
 *
 * Sources: iommu/vtd/vtd_irte.c iommu/vtd/vtd_caps.c tests/unit/vtd_units.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "iommu/vtd/vtd_caps.h"
#include "iommu/vtd/vtd_irte.h"
#include "tests/unit/vtd_irte_fixture.h"

/* ---- IRTA_REG ---- */

static void irta_sizes(void **state)
{
	(void)state;
	assert_int_equal(vtd_irta_entries(0), 2);      /* 2^(0 + 1) */
	assert_int_equal(vtd_irta_entries(7), 256);    /* 2^8 */
	assert_int_equal(vtd_irta_entries(15), 65536); /* 2^16 */
	assert_int_equal(vtd_irta_table_bytes(0), 32);
	assert_int_equal(vtd_irta_table_bytes(7), 4096);      /* 256 x 16: one page */
	assert_int_equal(vtd_irta_table_bytes(15), 0x100000); /* 65536 x 16 = 1 MiB */
	assert_int_equal(vtd_irta_s_for_entries(1), 0);
	assert_int_equal(vtd_irta_s_for_entries(2), 0);
	assert_int_equal(vtd_irta_s_for_entries(3), 1);
	assert_int_equal(vtd_irta_s_for_entries(256), 7);
	assert_int_equal(vtd_irta_s_for_entries(257), 8);
	assert_int_equal(vtd_irta_s_for_entries(32769), 15);
	assert_int_equal(vtd_irta_s_for_entries(65536), 15);
	assert_int_equal(vtd_irta_s_for_entries(0), -ERANGE);
	assert_int_equal(vtd_irta_s_for_entries(65537), -ERANGE);
	for (unsigned int s = 0; s <= VTD_IRTA_S_MAX; s++)
		assert_int_equal(vtd_irta_s_for_entries(vtd_irta_entries(s)), s);
}

static void irta_eime_choice(void **state)
{
	(void)state;
	assert_true(vtd_ir_eime(&gnr, true));
	assert_false(vtd_ir_eime(&gnr, false));
	assert_false(vtd_ir_eime(&qemu, true)); /* no ECAP.EIM */
}

static int irta_try(const struct vtd_irta_config *cfg, bool x2apic, const struct vtd_caps *caps,
		    unsigned int haw, uint64_t *v)
{
	*v = 0xa5a5a5a5a5a5a5a5ull;
	return vtd_irta_encode(cfg, x2apic, caps, haw, v);
}

static void irta_golden(void **state)
{
	struct vtd_irta_config cfg = { .table = 0x12345000, .s = 7 };
	uint64_t v;

	(void)state;
	/* 0x12345000 | EIME 0 | S 7 = 0x12345007. */
	assert_int_equal(irta_try(&cfg, false, &qemu, HAW, &v), 0);
	assert_int_equal(v, 0x0000000012345007ull);
	/* 4 GiB, EIME 1 << 11 = 0x800, S 15 = 0xf: 0x1_0000_080f. */
	cfg = (struct vtd_irta_config){ .table = 0x100000000ull, .s = 15, .eime = true };
	assert_int_equal(irta_try(&cfg, true, &gnr, HAW, &v), 0);
	assert_int_equal(v, 0x000000010000080full);
}

static void irta_refusals(void **state)
{
	const struct vtd_irta_config good = { .table = 0x10000, .s = 0 };
	struct vtd_irta_config c;
	uint64_t v;

	(void)state;
	c = good;
	c.table = 0x10800; /* 2 KiB aligned only */
	assert_int_equal(irta_try(&c, false, &qemu, HAW, &v), -EINVAL);
	assert_int_equal(v, 0);
	c = good;
	c.s = 16;
	assert_int_equal(irta_try(&c, false, &qemu, HAW, &v), -EINVAL);
	c = good;
	c.eime = true; /* the local APICs are in xAPIC mode */
	assert_int_equal(irta_try(&c, false, &gnr, HAW, &v), -EINVAL);
	assert_int_equal(irta_try(&good, false, &qemu, 0, &v), -EINVAL);
	assert_int_equal(irta_try(&good, false, &qemu, 65, &v), -EINVAL);

	assert_int_equal(irta_try(&good, false, &noir, HAW, &v), -EOPNOTSUPP);
	assert_int_equal(irta_try(&c, true, &qemu, HAW, &v), -EOPNOTSUPP); /* EIME, no EIM */
	assert_int_equal(v, 0);

	/* The table must end below 2^HAW: 2^46 - 4 KiB holds S 0..7 (up to 4 KiB), not S 8. */
	c = good;
	c.table = HAW_LIMIT - 0x1000;
	c.s = 7;
	assert_int_equal(irta_try(&c, false, &qemu, HAW, &v), 0);
	c.s = 8; /* 512 x 16 = 8 KiB */
	assert_int_equal(irta_try(&c, false, &qemu, HAW, &v), -ERANGE);
	assert_int_equal(v, 0);

	/* Order: a misaligned table on a unit without IR is -EINVAL. */
	c = good;
	c.table = 0x10800;
	assert_int_equal(irta_try(&c, false, &noir, HAW, &v), -EINVAL);
}

static void irta_round_trip(void **state)
{
	struct vtd_irta_config in, out;
	uint64_t v;

	(void)state;
	for (unsigned int s = 0; s <= VTD_IRTA_S_MAX; s++)
		for (int eime = 0; eime <= 1; eime++) {
			in = (struct vtd_irta_config){ .table = 0x3ff000000000ull,
						       .s = (uint8_t)s,
						       .eime = eime };
			assert_int_equal(vtd_irta_encode(&in, true, &gnr, HAW, &v), 0);
			assert_int_equal(vtd_irta_decode(v, &out), 0);
			assert_int_equal(out.table, in.table);
			assert_int_equal(out.s, in.s);
			assert_int_equal(out.eime, in.eime);
		}
	/* Bits 10:4 are reserved. */
	for (unsigned int bit = 4; bit <= 10; bit++)
		assert_int_equal(vtd_irta_decode(0x10000ull | 1ull << bit, &out), -EINVAL);
}

/* ---- Remappable-format MSI ---- */

static void msi_golden(void **state)
{
	struct vtd_msi_remappable r = { .handle = 5 };
	struct vtd_msi_msg m;

	(void)state;
	/* 0xFEE << 20 = 0xFEE00000 | handle 5 << 5 = 0xa0 | IF 0x10 = 0xFEE000B0; data 0. */
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), 0);
	assert_int_equal(m.addr_lo, 0xfee000b0u);
	assert_int_equal(m.addr_hi, 0);
	assert_int_equal(m.data, 0);

	/* Handle 0x8001: 14:0 = 1 -> 1 << 5 = 0x20; bit 15 -> address bit 2 = 0x4; SHV 0x8;
	 * IF 0x10: 0xFEE00000 | 0x3c = 0xFEE0003C. */
	r = (struct vtd_msi_remappable){ .handle = 0x8001, .shv = true };
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), 0);
	assert_int_equal(m.addr_lo, 0xfee0003cu);
	assert_int_equal(m.data, 0);

	/* Handle 0x7fff: 0x7fff << 5 = 0xfffe0; | SHV 0x8 | IF 0x10 = 0xFEEFFFF8; data 3. */
	r = (struct vtd_msi_remappable){ .handle = 0x7fff, .subhandle = 3, .shv = true };
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), 0);
	assert_int_equal(m.addr_lo, 0xfeeffff8u);
	assert_int_equal(m.data, 3);
	assert_int_equal(vtd_msi_irte_index(&r), 0x8002); /* 0x7fff + 3 */

	/* Handle 0xffff: 0x7fff << 5 | 0x4 | 0x10 = 0xFEEFFFF4. */
	r = (struct vtd_msi_remappable){ .handle = 0xffff };
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), 0);
	assert_int_equal(m.addr_lo, 0xfeeffff4u);
	assert_int_equal(vtd_msi_irte_index(&r), 0xffff);
}

static void msi_refusals(void **state)
{
	struct vtd_msi_remappable r = { .handle = 1, .subhandle = 1 };
	struct vtd_msi_msg m;

	(void)state;
	memset(&m, FILL, sizeof(m));
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), -EINVAL); /* subhandle, no SHV */
	assert_all_zero(&m, sizeof(m));
	r = (struct vtd_msi_remappable){ .handle = 0xfffe, .subhandle = 2, .shv = true };
	memset(&m, FILL, sizeof(m));
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), -ERANGE); /* index 0x10000 */
	assert_all_zero(&m, sizeof(m));
	r.subhandle = 1; /* index 0xffff, the last one */
	assert_int_equal(vtd_msi_remappable_encode(&r, &m), 0);

	/* Without SHV the subhandle does not count: index = handle. */
	r = (struct vtd_msi_remappable){ .handle = 9, .subhandle = 4 };
	assert_int_equal(vtd_msi_irte_index(&r), 9);
	r.shv = true;
	assert_int_equal(vtd_msi_irte_index(&r), 13);
	r = (struct vtd_msi_remappable){ .handle = 0xffff, .subhandle = 0xffff, .shv = true };
	assert_int_equal(vtd_msi_irte_index(&r), 0x1fffe);
}

static void msi_decode(void **state)
{
	struct vtd_msi_remappable r;
	struct vtd_msi_msg m;

	(void)state;
	m = (struct vtd_msi_msg){ .addr_lo = 0xfee0003cu };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), 0);
	assert_int_equal(r.handle, 0x8001);
	assert_true(r.shv);
	/* A compatibility-format message (interrupt format 0): 0xFEE01000, vector in data. */
	m = (struct vtd_msi_msg){ .addr_lo = 0xfee01000u, .data = 0x30 };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), -EINVAL);
	/* Outside the interrupt window, upper address set, bits 1:0 set, data 31:16 set. */
	m = (struct vtd_msi_msg){ .addr_lo = 0xfed000b0u };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), -EINVAL);
	m = (struct vtd_msi_msg){ .addr_lo = 0xfee000b0u, .addr_hi = 1 };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), -EINVAL);
	m = (struct vtd_msi_msg){ .addr_lo = 0xfee000b1u };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), -EINVAL);
	m = (struct vtd_msi_msg){ .addr_lo = 0xfee000b2u };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), -EINVAL);
	m = (struct vtd_msi_msg){ .addr_lo = 0xfee000b8u, .data = 0x10000 };
	assert_int_equal(vtd_msi_remappable_decode(&m, &r), -EINVAL);
}

static void msi_round_trip(void **state)
{
	unsigned int n = 0;

	(void)state;
	for (uint32_t h = 0; h <= 0xffff; h += 0x101) /* 0, 0x101, ..., 0xffff: both halves */
		for (int shv = 0; shv <= 1; shv++)
			for (uint32_t sub = 0; sub <= (shv ? 31u : 0u); sub++) {
				struct vtd_msi_remappable in = {
					.handle = (uint16_t)h,
					.subhandle = (uint16_t)sub,
					.shv = shv,
				};
				struct vtd_msi_remappable out;
				struct vtd_msi_msg m;

				if (h + sub > 0xffff) {
					assert_int_equal(vtd_msi_remappable_encode(&in, &m),
							 -ERANGE);
					continue;
				}
				assert_int_equal(vtd_msi_remappable_encode(&in, &m), 0);
				assert_int_equal(m.addr_lo & 0xfff00000u, 0xfee00000u);
				assert_int_equal(vtd_msi_remappable_decode(&m, &out), 0);
				assert_int_equal(out.handle, in.handle);
				assert_int_equal(out.subhandle, in.subhandle);
				assert_int_equal(out.shv, in.shv);
				assert_int_equal(vtd_msi_irte_index(&out), h + sub);
				n++;
			}
	assert_true(n > 256 * 16);
}

/* ---- Posted-interrupt descriptor ---- */

static void pid_golden(void **state)
{
	struct vtd_pid_config cfg = { .ndst = 3, .nv = 0xf2 };
	struct vtd_pid pid;

	(void)state;
	assert_int_equal(vtd_pid_encode(&cfg, false, &pid), 0);
	/* val[4]: NV 0xf2 << 16 = 0xf20000; NDST 15:8 = 3: 3 << (32 + 8) = 0x300_0000_0000;
	 * ON, SN 0. PIR (val[0..3]) and val[5..7] all 0. */
	assert_int_equal(pid.val[4], 0x0000030000f20000ull);
	for (int i = 0; i < 8; i++)
		if (i != 4)
			assert_int_equal(pid.val[i], 0);
	assert_false(vtd_pid_on(&pid));

	/* x2APIC id 0xabcdef, NV 0x20, SN: 0xabcdef << 32 | 0x20 << 16 | SN 0x2. */
	cfg = (struct vtd_pid_config){ .ndst = 0xabcdef, .nv = 0x20, .sn = true };
	assert_int_equal(vtd_pid_encode(&cfg, true, &pid), 0);
	assert_int_equal(pid.val[4], 0x00abcdef00200002ull);
}

static void pid_refusals_and_decode(void **state)
{
	struct vtd_pid_config cfg = { .ndst = 0x100, .nv = 0x40 };
	struct vtd_pid pid;

	(void)state;
	memset(&pid, FILL, sizeof(pid));
	assert_int_equal(vtd_pid_encode(&cfg, false, &pid), -ERANGE);
	assert_all_zero(&pid, sizeof(pid));
	cfg.nv = 15;
	memset(&pid, FILL, sizeof(pid));
	assert_int_equal(vtd_pid_encode(&cfg, true, &pid), -EINVAL);
	assert_all_zero(&pid, sizeof(pid));
	cfg.nv = 16;
	assert_int_equal(vtd_pid_encode(&cfg, true, &pid), 0);

	/* Decode: ON and PIR bits are state, not configuration. */
	cfg = (struct vtd_pid_config){ .ndst = 7, .nv = 0xf2 };
	assert_int_equal(vtd_pid_encode(&cfg, false, &pid), 0);
	pid.val[4] |= VTD_PID_W4_ON;
	pid.val[1] |= 1;	  /* vector 64 */
	pid.val[3] |= 1ull << 63; /* vector 255 */
	assert_true(vtd_pid_on(&pid));
	assert_true(vtd_pid_pir_test(&pid, 64));
	assert_true(vtd_pid_pir_test(&pid, 255));
	assert_false(vtd_pid_pir_test(&pid, 63));
	assert_false(vtd_pid_pir_test(&pid, 0x30));
	assert_int_equal(vtd_pid_decode(&pid, false, &cfg), 0);
	assert_int_equal(cfg.ndst, 7);
	assert_int_equal(cfg.nv, 0xf2);
	/* Reserved: 271:258 (val[4] 15:2), 287:280 (31:24), 511:320 (val[5..7]), xAPIC NDST. */
	for (unsigned int bit = 2; bit < 64; bit++) {
		struct vtd_pid r = pid;
		bool rsvd = (bit >= 2 && bit <= 15) || (bit >= 24 && bit <= 31) ||
			    (bit >= 32 && bit <= 39) || bit >= 48;

		r.val[4] |= 1ull << bit;
		assert_int_equal(vtd_pid_decode(&r, false, &cfg), rsvd ? -EINVAL : 0);
	}
	for (int w = 5; w < 8; w++) {
		struct vtd_pid r = pid;

		r.val[w] = 1;
		assert_int_equal(vtd_pid_decode(&r, true, &cfg), -EINVAL);
	}
}

static void pid_round_trip(void **state)
{
	(void)state;
	for (int eime = 0; eime <= 1; eime++) {
		const uint32_t *ids = eime ? x2apic_ids : xapic_ids;
		size_t nids = eime ? sizeof(x2apic_ids) / sizeof(x2apic_ids[0]) :
				     sizeof(xapic_ids) / sizeof(xapic_ids[0]);

		for (size_t i = 0; i < nids; i++)
			for (size_t v = 0; v < sizeof(vectors); v++)
				for (int sn = 0; sn <= 1; sn++) {
					struct vtd_pid_config in = { ids[i], vectors[v], sn }, out;
					struct vtd_pid pid;

					assert_int_equal(vtd_pid_encode(&in, eime, &pid), 0);
					assert_int_equal(vtd_pid_decode(&pid, eime, &out), 0);
					assert_int_equal(out.ndst, in.ndst);
					assert_int_equal(out.nv, in.nv);
					assert_int_equal(out.sn, in.sn);
				}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(irta_sizes),
		cmocka_unit_test(irta_eime_choice),
		cmocka_unit_test(irta_golden),
		cmocka_unit_test(irta_refusals),
		cmocka_unit_test(irta_round_trip),
		cmocka_unit_test(msi_golden),
		cmocka_unit_test(msi_refusals),
		cmocka_unit_test(msi_decode),
		cmocka_unit_test(msi_round_trip),
		cmocka_unit_test(pid_golden),
		cmocka_unit_test(pid_refusals_and_decode),
		cmocka_unit_test(pid_round_trip),
	};

	return cmocka_run_group_tests(tests, irte_setup, NULL);
}
