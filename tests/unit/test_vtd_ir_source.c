// SPDX-License-Identifier: MIT
/*
 * The source an IRTE validates for a PCI function (VT-d rev 5.0, 9.10): over a hand-built
 * topology whose parent links pci_link_parents() computes, a root-bus device and a PCIe
 * endpoint under a root port keep their own requester id (SVT 01b), a device behind a
 * PCIe-to-PCI bridge gets that bridge's bus range (SVT 10b, also through a conventional bridge
 * further down), and a device behind a conventional PCI-to-PCI bridge on a root bus gets the
 * bridge's requester id (what QEMU's pci_requester_id() and Linux's DMA aliases use).
 * vtd_dma_aliases() over the same topology: the own id first, then one alias per bridge that
 * takes ownership on the way up (all of them, not only the topmost), each id once.
 * Sources: iommu/vtd/vtd_ir_source.c iommu/vtd/vtd_irte.c drivers/pci/pci_topology.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"
#include "iommu/vtd/vtd_ir_source.h"

#define EXP_TYPE_ROOT_PORT 0x4u /* PCIe 6.0 7.5.3.2 */

enum {
	EDU,	    /* 00:01.0, root bus */
	ROOT_PORT,  /* 00:1c.0, PCIe root port, buses 01-04 */
	NVME,	    /* 01:00.0, PCIe endpoint */
	PCIE_PCI,   /* 00:1d.0 PCIe-to-PCI bridge, buses 05-07 */
	OLD_NIC,    /* 05:03.1 behind it */
	CONV_BELOW, /* 05:04.0 conventional bridge below the PCIe-to-PCI bridge, buses 06-07 */
	DEEP,	    /* 07:02.0 behind both */
	CONV_ROOT,  /* 00:1e.0 conventional bridge on the root bus (QEMU pci-bridge), bus 08 */
	LEGACY,	    /* 08:05.2 behind it */
	RP_BRIDGE,  /* 02:00.0 PCIe-to-PCI bridge under the root port, buses 03-04 */
	RP_DEEP,    /* 04:01.0 behind it */
	AT_ALIAS,   /* 05:00.0 behind PCIE_PCI: its own id is the bridge's alias */
	REVERSE,    /* 00:1f.0 PCI/PCI-X-to-PCIe bridge, bus 0a */
	REV_CHILD,  /* 0a:00.0 behind it */
	NR_DEVS
};

static struct pci_topology topo;

static void add(int i, uint8_t bus, uint8_t dev, uint8_t fn, bool bridge, uint8_t sec, uint8_t sub,
		bool pcie, uint8_t exp_type)
{
	topo.devices[i] = (struct pci_device){
		.bdf = { 0, bus, dev, fn },
		.header_type = bridge ? PCI_HEADER_BRIDGE : PCI_HEADER_NORMAL,
		.secondary_bus = sec,
		.subordinate_bus = sub,
		.cap_exp = pcie ? 0x40 : 0,
		.exp_type = exp_type,
		.parent = PCI_NO_INDEX,
		.unit = PCI_NO_INDEX,
	};
}

static int setup(void **state)
{
	(void)state;
	add(EDU, 0x00, 0x01, 0, false, 0, 0, false, 0);
	add(ROOT_PORT, 0x00, 0x1c, 0, true, 0x01, 0x04, true, EXP_TYPE_ROOT_PORT);
	add(NVME, 0x01, 0x00, 0, false, 0, 0, true, 0);
	add(PCIE_PCI, 0x00, 0x1d, 0, true, 0x05, 0x07, true, VTD_PCI_EXP_TYPE_PCI_BRIDGE);
	add(OLD_NIC, 0x05, 0x03, 1, false, 0, 0, false, 0);
	add(CONV_BELOW, 0x05, 0x04, 0, true, 0x06, 0x07, false, 0);
	add(DEEP, 0x07, 0x02, 0, false, 0, 0, false, 0);
	add(CONV_ROOT, 0x00, 0x1e, 0, true, 0x08, 0x08, false, 0);
	add(LEGACY, 0x08, 0x05, 2, false, 0, 0, false, 0);
	add(RP_BRIDGE, 0x02, 0x00, 0, true, 0x03, 0x04, true, VTD_PCI_EXP_TYPE_PCI_BRIDGE);
	add(RP_DEEP, 0x04, 0x01, 0, false, 0, 0, false, 0);
	add(AT_ALIAS, 0x05, 0x00, 0, false, 0, 0, false, 0);
	add(REVERSE, 0x00, 0x1f, 0, true, 0x0a, 0x0a, true, VTD_PCI_EXP_TYPE_PCIE_BRIDGE);
	add(REV_CHILD, 0x0a, 0x00, 0, false, 0, 0, true, 0);
	topo.count = NR_DEVS;
	pci_link_parents(&topo);
	return 0;
}

static void assert_source(int dev, uint8_t svt, uint16_t sid)
{
	struct vtd_irte_source s = vtd_ir_source_for(&topo, dev);

	assert_int_equal(s.svt, svt);
	assert_int_equal(s.sq, VTD_SQ_ALL_BITS);
	assert_int_equal(s.sid, sid);
	assert_int_equal(vtd_irte_source_validate(&s), 0);
}

/* Nothing above a device changes its requester id: SVT 01b, SID = bus << 8 | dev << 3 | fn. */
static void own_requester_id(void **state)
{
	(void)state;
	assert_source(EDU, VTD_SVT_SID, 0x0008);       /* 0x00 << 8 | 0x01 << 3 | 0 */
	assert_source(NVME, VTD_SVT_SID, 0x0100);      /* 0x01 << 8 | 0 */
	assert_source(ROOT_PORT, VTD_SVT_SID, 0x00e0); /* 0x1c << 3 = 0xe0 */
	assert_source(PCIE_PCI, VTD_SVT_SID, 0x00e8);  /* the bridge's own interrupts: 0x1d << 3 */
}

/* Behind a PCIe-to-PCI bridge: its secondary..subordinate buses, SID = sec << 8 | sub. */
static void behind_pcie_to_pci_bridge(void **state)
{
	(void)state;
	assert_int_equal(topo.devices[OLD_NIC].parent, PCIE_PCI);
	assert_source(OLD_NIC, VTD_SVT_BUS, 0x0507);
	/* Through a conventional bridge below it: the topmost bridge (buses 05-07) decides. */
	assert_int_equal(topo.devices[DEEP].parent, CONV_BELOW);
	assert_source(DEEP, VTD_SVT_BUS, 0x0507);
	/* The conventional bridge's own interrupts also pass the PCIe-to-PCI bridge. */
	assert_source(CONV_BELOW, VTD_SVT_BUS, 0x0507);
	/* Under a PCIe root port (which changes nothing): the bridge's buses 03-04. */
	assert_int_equal(topo.devices[RP_DEEP].parent, RP_BRIDGE);
	assert_source(RP_DEEP, VTD_SVT_BUS, 0x0304);
}

/* Behind a conventional bridge on the root bus: the bridge's requester id 00:1e.0. */
static void behind_conventional_bridge(void **state)
{
	(void)state;
	assert_int_equal(topo.devices[LEGACY].parent, CONV_ROOT);
	assert_source(LEGACY, VTD_SVT_SID, 0x00f0); /* 0x1e << 3 = 0xf0 */
}

/* A parent loop (corrupt links) ends the walk after at most count steps. */
static void parent_loop_ends(void **state)
{
	struct pci_topology *t = &topo;

	(void)state;
	t->devices[CONV_ROOT].parent = LEGACY;
	t->devices[LEGACY].parent = CONV_ROOT;
	assert_source(LEGACY, VTD_SVT_SID, 0x00f0);
	t->devices[CONV_ROOT].parent = PCI_NO_INDEX;
}

/* vtd_dma_aliases(@dev) gives exactly the @n ids of @want, in that order. */
static void assert_aliases(int dev, unsigned int n, const uint16_t *want)
{
	uint16_t rid[VTD_DMA_ALIASES_MAX] = { 0 };

	assert_int_equal(vtd_dma_aliases(&topo, dev, rid, VTD_DMA_ALIASES_MAX), (int)n);
	assert_memory_equal(rid, want, n * sizeof(*want));
}

/* No bridge that takes ownership above: the own id only (root ports change nothing). */
static void dma_alias_none(void **state)
{
	(void)state;
	assert_aliases(EDU, 1, (const uint16_t[]){ 0x0008 });
	assert_aliases(NVME, 1, (const uint16_t[]){ 0x0100 });
}

/* PCIe-to-PCI bridge with secondary bus 05: alias 05:00.0 = 0x0500. */
static void dma_alias_pcie_to_pci(void **state)
{
	(void)state;
	/* 05:03.1: 0x05 << 8 | 0x03 << 3 | 1 = 0x0519 */
	assert_aliases(OLD_NIC, 2, (const uint16_t[]){ 0x0519, 0x0500 });
	/* Under a root port, secondary bus 03: 04:01.0 = 0x0408, alias 0x0300 */
	assert_aliases(RP_DEEP, 2, (const uint16_t[]){ 0x0408, 0x0300 });
	/* 05:00.0 is its own alias: listed once */
	assert_aliases(AT_ALIAS, 1, (const uint16_t[]){ 0x0500 });
}

/* 07:02.0 (0x0710) behind conventional 05:04.0 (0x0520) behind the PCIe-to-PCI bridge
 * (0x0500): every bridge on the path adds its alias, the topmost last. */
static void dma_alias_every_bridge(void **state)
{
	(void)state;
	assert_aliases(DEEP, 3, (const uint16_t[]){ 0x0710, 0x0520, 0x0500 });
	/* 08:05.2 = 0x082a behind the conventional bridge 00:1e.0 = 0xf0 */
	assert_aliases(LEGACY, 2, (const uint16_t[]){ 0x082a, 0x00f0 });
	/* 0a:00.0 = 0x0a00 behind the PCI-X-to-PCIe bridge 00:1f.0 = 0x1f << 3 = 0xf8 */
	assert_aliases(REV_CHILD, 2, (const uint16_t[]){ 0x0a00, 0x00f8 });
}

/* Too little room is -ENOSPC (nothing partial counted), none at all -EINVAL; a loop ends. */
static void dma_alias_limits(void **state)
{
	uint16_t rid[2];

	(void)state;
	assert_int_equal(vtd_dma_aliases(&topo, DEEP, rid, 2), -ENOSPC);
	assert_int_equal(vtd_dma_aliases(&topo, DEEP, rid, 0), -EINVAL);
	topo.devices[CONV_ROOT].parent = LEGACY;
	topo.devices[LEGACY].parent = CONV_ROOT;
	assert_aliases(LEGACY, 2, (const uint16_t[]){ 0x082a, 0x00f0 });
	topo.devices[CONV_ROOT].parent = PCI_NO_INDEX;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_requester_id),
		cmocka_unit_test(behind_pcie_to_pci_bridge),
		cmocka_unit_test(behind_conventional_bridge),
		cmocka_unit_test(parent_loop_ends),
		cmocka_unit_test(dma_alias_none),
		cmocka_unit_test(dma_alias_pcie_to_pci),
		cmocka_unit_test(dma_alias_every_bridge),
		cmocka_unit_test(dma_alias_limits),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
