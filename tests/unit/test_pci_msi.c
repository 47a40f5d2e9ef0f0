// SPDX-License-Identifier: MIT
/*
 * MSI and MSI-X capability layout (PCI Local Bus 3.0, 6.8.1 and 6.8.2) against control words
 * worked out by hand from the capability tables: message control bit 0 enable, 3:1 MMC, 6:4 MME,
 * 7 64-bit, 8 per-vector masking; data at 08h (32-bit) or 0Ch (64-bit), mask and pending after
 * it; MSI-X control 10:0 table size - 1, 14 function mask, 15 enable; table/PBA words BIR 2:0,
 * offset 31:3. Devices: QEMU's edu (msi_init with 1 vector, 64-bit, no masking), e1000e
 * (5 MSI-X vectors, table and PBA in BAR3) and a virtio function (2 vectors in BAR1).
 * Sources: drivers/pci/pci_msi_regs.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

#include <cmocka.h>

#include "drivers/pci/pci_msi_regs.h"

#define EDU_CTRL      0x0080u /* bit 7 (64-bit), MMC 000b: one vector */
#define PVM32_4_CTRL  0x0104u /* bit 8 (PVM) | MMC 010b << 1 = 0x4: four vectors, 32-bit */
#define PVM64_32_CTRL 0x018au /* 0x100 | 0x80 | MMC 101b << 1 = 0xa: 32 vectors */
#define RSVD_MMC_CTRL 0x000cu /* MMC 110b (reserved) */
#define MSI_ADDR      0xfee00010ull
#define ABOVE_4G      0x100000000ull
#define E1000E_CTRL   0x0004u	  /* table size - 1 = 4 */
#define E1000E_TABLE  0x00000003u /* BIR 3, offset 0 */
#define E1000E_PBA    0x00002003u /* BIR 3, offset 0x2000 */
#define E1000E_BAR3   0x4000u
#define VIRTIO_CTRL   0xc001u	  /* enable | function mask | size - 1 = 1 */
#define VIRTIO_TABLE  0x00000001u /* BIR 1, offset 0 */
#define VIRTIO_PBA    0x00000801u /* BIR 1, offset 0x800 */

static void msi_layouts(void **state)
{
	struct pci_msi_layout l;

	(void)state;
	pci_msi_layout(EDU_CTRL, &l);
	assert_int_equal(l.vectors, 1);
	assert_true(l.is64);
	assert_false(l.pvm);
	assert_int_equal(l.addr_hi, 0x08);
	assert_int_equal(l.data, 0x0c);
	assert_int_equal(l.mask, 0);
	assert_int_equal(l.pending, 0);

	pci_msi_layout(PVM32_4_CTRL, &l);
	assert_int_equal(l.vectors, 4);
	assert_false(l.is64);
	assert_true(l.pvm);
	assert_int_equal(l.addr_hi, 0);
	assert_int_equal(l.data, 0x08);
	assert_int_equal(l.mask, 0x0c);
	assert_int_equal(l.pending, 0x10);

	pci_msi_layout(PVM64_32_CTRL, &l);
	assert_int_equal(l.vectors, 32);
	assert_true(l.is64 && l.pvm);
	assert_int_equal(l.data, 0x0c);
	assert_int_equal(l.mask, 0x10);
	assert_int_equal(l.pending, 0x14);

	pci_msi_layout(RSVD_MMC_CTRL, &l); /* 2^6 would exceed the format: read as 32 */
	assert_int_equal(l.vectors, 32);
}

static void msi_enable_words(void **state)
{
	uint16_t w;

	(void)state;
	/* 8 of 32 vectors: MME = 3 -> 3 << 4 = 0x30; | enable: 0x018a | 0x30 | 1 = 0x01bb. */
	assert_int_equal(pci_msi_ctrl_enable(PVM64_32_CTRL, 8, &w), 0);
	assert_int_equal(w, 0x01bb);
	assert_int_equal(pci_msi_ctrl_disable(w), PVM64_32_CTRL);
	/* A stale MME 111b is replaced: (0x01fa & ~0x70) | 1 << 4 | 1 = 0x019b. */
	assert_int_equal(pci_msi_ctrl_enable(0x01fa, 2, &w), 0);
	assert_int_equal(w, 0x019b);
	/* edu: one vector, MME 0: 0x0080 | 1 = 0x0081. */
	assert_int_equal(pci_msi_ctrl_enable(EDU_CTRL, 1, &w), 0);
	assert_int_equal(w, 0x0081);
	assert_int_equal(pci_msi_ctrl_disable(0x0081), EDU_CTRL);
}

static void msi_enable_refusals(void **state)
{
	static const unsigned int bad[] = { 0, 3, 6, 64 };
	uint16_t w;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		w = 0;
		assert_int_equal(pci_msi_ctrl_enable(PVM64_32_CTRL, bad[i], &w), -EINVAL);
		assert_int_equal(w, PVM64_32_CTRL);
	}
	assert_int_equal(pci_msi_ctrl_enable(EDU_CTRL, 2, &w), -EINVAL); /* MMC offers one */
	assert_int_equal(pci_msi_ctrl_enable(PVM32_4_CTRL, 8, &w), -EINVAL);
}

static void msi_message_fit(void **state)
{
	struct pci_msi_layout l32, l64;

	(void)state;
	pci_msi_layout(PVM32_4_CTRL, &l32);
	pci_msi_layout(EDU_CTRL, &l64);
	assert_int_equal(pci_msi_message_fits(&l32, MSI_ADDR, 0), 0);
	assert_int_equal(pci_msi_message_fits(&l32, MSI_ADDR, 0xffff), 0);
	assert_int_equal(pci_msi_message_fits(&l32, ABOVE_4G, 0), -ERANGE);
	assert_int_equal(pci_msi_message_fits(&l64, ABOVE_4G, 0), 0);
	assert_int_equal(pci_msi_message_fits(&l64, MSI_ADDR, 0x10000), -ERANGE);
	assert_int_equal(pci_msi_message_fits(&l64, MSI_ADDR | 2, 0), -EINVAL);
}

static void msix_layouts(void **state)
{
	struct pci_msix_layout l;

	(void)state;
	assert_int_equal(pci_msix_layout(E1000E_CTRL, E1000E_TABLE, E1000E_PBA, &l), 0);
	assert_int_equal(l.size, 5);
	assert_int_equal(l.table_bir, 3);
	assert_int_equal(l.pba_bir, 3);
	assert_int_equal(l.table_offset, 0);
	assert_int_equal(l.pba_offset, 0x2000);
	assert_int_equal(pci_msix_table_bytes(&l), 80); /* 5 * 16 */
	assert_int_equal(pci_msix_table_fits(&l, E1000E_BAR3), 0);
	assert_int_equal(pci_msix_table_fits(&l, 0x40), -ERANGE);

	/* Enable and function mask do not leak into the size: 0xc001 & 0x7ff = 1 -> 2. */
	assert_int_equal(pci_msix_layout(VIRTIO_CTRL, VIRTIO_TABLE, VIRTIO_PBA, &l), 0);
	assert_int_equal(l.size, 2);
	assert_int_equal(l.table_bir, 1);
	assert_int_equal(l.pba_offset, 0x800);

	/* The largest table: 0x7ff + 1 = 2048 entries, 32 KiB. */
	assert_int_equal(pci_msix_layout(0x07ff, 0x8 | 2, 0, &l), 0);
	assert_int_equal(l.size, 2048);
	assert_int_equal(l.table_offset, 8);
	assert_int_equal(pci_msix_table_bytes(&l), 0x8000);
	assert_int_equal(pci_msix_table_fits(&l, 0x8008), 0);
	assert_int_equal(pci_msix_table_fits(&l, 0x8000), -ERANGE);

	assert_int_equal(pci_msix_entry_offset(0), 0);
	assert_int_equal(pci_msix_entry_offset(3), 48);
}

static void msix_reserved_bir(void **state)
{
	struct pci_msix_layout l;

	(void)state;
	assert_int_equal(pci_msix_layout(0, 6, 0, &l), -EINVAL);
	assert_int_equal(l.table_bir, 6);
	assert_int_equal(pci_msix_layout(0, 0, 0x1007, &l), -EINVAL);
	assert_int_equal(l.pba_bir, 7);
	assert_int_equal(l.pba_offset, 0x1000);
	assert_int_equal(pci_msix_layout(0, 5, 5, &l), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msi_layouts),	       cmocka_unit_test(msi_enable_words),
		cmocka_unit_test(msi_enable_refusals), cmocka_unit_test(msi_message_fit),
		cmocka_unit_test(msix_layouts),	       cmocka_unit_test(msix_reserved_bir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
