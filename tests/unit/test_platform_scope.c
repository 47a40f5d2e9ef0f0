// SPDX-License-Identifier: MIT
/*
 * Device scope resolution (VT-d 8.3.1-8.3.3, 8.4, 8.5, 8.8) over a hand-built PCI topology:
 * multi-hop paths through bridges (8.3.2), sub-hierarchy scopes, the INCLUDE_PCI_ALL fallback
 * of a segment, RMRRs per device, ATSR root ports and ALL_PORTS, SATC; and the bridge tree
 * (PCI-to-PCI Bridge 1.2: secondary/subordinate bus numbers).
 * Sources: kernel/platform/platform_scope.c drivers/pci/pci_topology.c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/platform/platform_scope.h"

enum { HOST, ROOT_PORT, SWITCH, NIC, GPU, USB, SEG1_DEV, NR_DEVS };

static struct pci_topology topo;
static struct dmar_table dmar;

static void add_dev(int idx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, bool bridge,
		    uint8_t secondary, uint8_t subordinate)
{
	topo.devices[idx] = (struct pci_device){
		.bdf = { seg, bus, dev, fn },
		.header_type = bridge ? PCI_HEADER_BRIDGE : PCI_HEADER_NORMAL,
		.secondary_bus = secondary,
		.subordinate_bus = subordinate,
		.parent = PCI_NO_INDEX,
		.unit = PCI_NO_INDEX,
	};
}

/* Appends a scope with @n (device, function) pairs and returns the list holding it. */
static struct dmar_scope_list add_scope(uint8_t type, uint8_t bus, unsigned int n,
					const uint8_t path[][2])
{
	struct dmar_scope *s = &dmar.scopes[dmar.nr_scopes];

	*s = (struct dmar_scope){ .type = type, .start_bus = bus, .path_len = (uint8_t)n };
	memcpy(s->path, path, n * 2);
	return (struct dmar_scope_list){ .first = dmar.nr_scopes++, .count = 1 };
}

static const uint8_t path_gpu[][2] = { { 2, 0 } };
static const uint8_t path_root_port[][2] = { { 0x1c, 0 } };
static const uint8_t path_nic[][2] = { { 0x1c, 0 }, { 0, 0 }, { 0, 0 } };
static const uint8_t path_usb[][2] = { { 0x14, 0 } };
static const uint8_t path_through_endpoint[][2] = { { 0x14, 0 }, { 0, 0 } };
static const uint8_t path_missing[][2] = { { 0x1c, 0 }, { 5, 0 } };

static int setup(void **state)
{
	(void)state;
	memset(&topo, 0, sizeof(topo));
	memset(&dmar, 0, sizeof(dmar));
	add_dev(HOST, 0, 0, 0, 0, false, 0, 0);
	add_dev(ROOT_PORT, 0, 0, 0x1c, 0, true, 1, 2);
	add_dev(SWITCH, 0, 1, 0, 0, true, 2, 2);
	add_dev(NIC, 0, 2, 0, 0, false, 0, 0);
	add_dev(GPU, 0, 0, 2, 0, false, 0, 0);
	add_dev(USB, 0, 0, 0x14, 0, false, 0, 0);
	add_dev(SEG1_DEV, 1, 0, 0, 0, false, 0, 0);
	topo.count = NR_DEVS;
	pci_link_parents(&topo);

	/* Unit 0: the GPU; unit 1: everything below the root port; unit 2: the rest of segment 0. */
	dmar.drhd[0] =
		(struct dmar_drhd){ .segment = 0,
				    .base = 0xfed90000,
				    .scopes = add_scope(DMAR_SCOPE_PCI_ENDPOINT, 0, 1, path_gpu) };
	dmar.drhd[1] = (struct dmar_drhd){ .segment = 0,
					   .base = 0xfed91000,
					   .scopes = add_scope(DMAR_SCOPE_PCI_SUB_HIERARCHY, 0, 1,
							       path_root_port) };
	dmar.drhd[2] = (struct dmar_drhd){ .flags = DRHD_FLAG_INCLUDE_PCI_ALL,
					   .segment = 0,
					   .base = 0xfed92000 };
	dmar.nr_drhd = 3;
	dmar.rmrr[0] =
		(struct dmar_rmrr){ .base = 0x8c000000,
				    .limit = 0x8c0fffff,
				    .scopes = add_scope(DMAR_SCOPE_PCI_ENDPOINT, 0, 1, path_usb) };
	dmar.rmrr[1] =
		(struct dmar_rmrr){ .base = 0x8d000000,
				    .limit = 0x8d0fffff,
				    .scopes = add_scope(DMAR_SCOPE_PCI_ENDPOINT, 0, 3, path_nic) };
	dmar.nr_rmrr = 2;
	dmar.atsr[0] = (struct dmar_atsr){ .segment = 0,
					   .scopes = add_scope(DMAR_SCOPE_PCI_SUB_HIERARCHY, 0, 1,
							       path_root_port) };
	dmar.atsr[1] = (struct dmar_atsr){ .flags = ATSR_FLAG_ALL_PORTS, .segment = 1 };
	dmar.nr_atsr = 2;
	dmar.satc[0] =
		(struct dmar_satc){ .segment = 0,
				    .scopes = add_scope(DMAR_SCOPE_PCI_ENDPOINT, 0, 1, path_gpu) };
	dmar.nr_satc = 1;
	return 0;
}

static void bridge_tree(void **state)
{
	(void)state;
	assert_int_equal(topo.devices[NIC].parent, SWITCH);
	assert_int_equal(topo.devices[SWITCH].parent, ROOT_PORT);
	assert_int_equal(topo.devices[ROOT_PORT].parent, PCI_NO_INDEX);
	assert_int_equal(topo.devices[GPU].parent, PCI_NO_INDEX);
	assert_int_equal(topo.devices[SEG1_DEV].parent, PCI_NO_INDEX);
	assert_int_equal(pci_find(&topo, (struct pci_bdf){ 0, 2, 0, 0 }), NIC);
	assert_int_equal(pci_find(&topo, (struct pci_bdf){ 1, 2, 0, 0 }), PCI_NO_INDEX);
}

static void multi_hop_path_reaches_the_endpoint(void **state)
{
	struct dmar_scope s = { .type = DMAR_SCOPE_PCI_ENDPOINT, .start_bus = 0, .path_len = 3 };

	(void)state;
	memcpy(s.path, path_nic, sizeof(path_nic));
	assert_int_equal(scope_target(&topo, 0, &s), NIC);
	assert_int_equal(scope_target(&topo, 1, &s), PCI_NO_INDEX); /* other segment */
	s.path_len = 2;
	memcpy(s.path, path_missing, sizeof(path_missing));
	assert_int_equal(scope_target(&topo, 0, &s), PCI_NO_INDEX); /* no 01:05.0 */
	memcpy(s.path, path_through_endpoint, sizeof(path_through_endpoint));
	assert_int_equal(scope_target(&topo, 0, &s), PCI_NO_INDEX); /* 00:14.0 is no bridge */
	s.type = DMAR_SCOPE_IOAPIC;
	s.path_len = 1;
	memcpy(s.path, path_usb, sizeof(path_usb));
	assert_int_equal(scope_target(&topo, 0, &s), PCI_NO_INDEX); /* not a PCI scope */
}

static void units(void **state)
{
	(void)state;
	assert_int_equal(unit_for_device(&dmar, &topo, GPU), 0);
	assert_int_equal(unit_for_device(&dmar, &topo, ROOT_PORT), 1);
	assert_int_equal(unit_for_device(&dmar, &topo, SWITCH), 1);
	assert_int_equal(unit_for_device(&dmar, &topo, NIC), 1);
	assert_int_equal(unit_for_device(&dmar, &topo, USB), 2);
	assert_int_equal(unit_for_device(&dmar, &topo, HOST), 2);
	assert_int_equal(unit_for_device(&dmar, &topo, SEG1_DEV), PCI_NO_INDEX);
}

static void include_pci_all_listed_first_still_yields_to_explicit_scopes(void **state)
{
	struct dmar_drhd all = dmar.drhd[2];

	(void)state;
	memmove(&dmar.drhd[1], &dmar.drhd[0], 2 * sizeof(dmar.drhd[0]));
	dmar.drhd[0] = all;
	assert_int_equal(unit_for_device(&dmar, &topo, GPU), 1);
	assert_int_equal(unit_for_device(&dmar, &topo, NIC), 2);
	assert_int_equal(unit_for_device(&dmar, &topo, USB), 0);
}

static void rmrrs(void **state)
{
	(void)state;
	assert_int_equal(rmrr_mask_for_device(&dmar, &topo, USB), 1u << 0);
	assert_int_equal(rmrr_mask_for_device(&dmar, &topo, NIC), 1u << 1);
	assert_int_equal(rmrr_mask_for_device(&dmar, &topo, GPU), 0);
	assert_int_equal(rmrr_mask_for_device(&dmar, &topo, SWITCH), 0); /* endpoint scope only */
}

static void ats_and_satc(void **state)
{
	(void)state;
	assert_true(ats_allowed(&dmar, &topo, NIC)); /* below the listed root port */
	assert_true(ats_allowed(&dmar, &topo, ROOT_PORT));
	assert_false(ats_allowed(&dmar, &topo, GPU));	  /* integrated, no ATSR names it */
	assert_true(ats_allowed(&dmar, &topo, SEG1_DEV)); /* ALL_PORTS on segment 1 */
	assert_true(satc_lists(&dmar, &topo, GPU));
	assert_false(satc_lists(&dmar, &topo, NIC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bridge_tree, setup),
		cmocka_unit_test_setup(multi_hop_path_reaches_the_endpoint, setup),
		cmocka_unit_test_setup(units, setup),
		cmocka_unit_test_setup(include_pci_all_listed_first_still_yields_to_explicit_scopes,
				       setup),
		cmocka_unit_test_setup(rmrrs, setup),
		cmocka_unit_test_setup(ats_and_satc, setup),
	};

	return cmocka_run_group_tests_name("platform_scope", tests, NULL, NULL);
}
