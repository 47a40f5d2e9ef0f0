// SPDX-License-Identifier: MIT
/*
 * PCI configuration access through ECAM (PCI Express Base 6.0, 7.2.2) over a fake window in
 * host memory: an access outside every window, past 4 KiB or misaligned returns all ones and
 * touches nothing (the window is surrounded by inaccessible guard pages); inside, the address
 * is base + bus << 20 | device << 15 | function << 12 | offset. Enumeration finds a function
 * planted in the window, and a capability list that loops onto itself still ends.
 * Sources: drivers/pci/pci_ecam.c drivers/pci/pci_enum.c drivers/pci/pci_topology.c
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "drivers/pci/pci.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define BUS_SIZE	   (1ul << 20)
#define START_BUS	   4
#define END_BUS		   5
#define GUARD		   (1ul << 20)
#define FN_OFFSET(dev, fn) (((unsigned long)(dev) << 15) | ((unsigned long)(fn) << 12))

static uint8_t *window; /* buses START_BUS..END_BUS */
static struct mcfg_table mcfg;
static int map_calls;

/* Test doubles for what pci_ecam.c needs from the kernel. */
int mm_map_mmio(uint64_t pa, uint64_t size)
{
	map_calls++;
	assert_int_equal(pa, (uintptr_t)window);
	assert_int_equal(size, (END_BUS - START_BUS + 1) * BUS_SIZE);
	return 0;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	(void)level, (void)fmt;
}

static int setup(void **state)
{
	size_t len = GUARD + (END_BUS - START_BUS + 1) * BUS_SIZE + GUARD;
	uint8_t *area = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)state;
	assert_true(area != MAP_FAILED);
	window = area + GUARD;
	assert_int_equal(
		mprotect(window, (END_BUS - START_BUS + 1) * BUS_SIZE, PROT_READ | PROT_WRITE), 0);
	/* Empty functions read all ones, as a real ECAM window answers. */
	memset(window, 0xff, (END_BUS - START_BUS + 1) * BUS_SIZE);
	mcfg = (struct mcfg_table){ .nr_allocations = 1 };
	mcfg.allocations[0] = (struct mcfg_allocation){
		.base = (uintptr_t)window - START_BUS * BUS_SIZE, /* base addresses bus 0 */
		.segment = 0,
		.start_bus = START_BUS,
		.end_bus = END_BUS,
	};
	map_calls = 0;
	assert_int_equal(pci_ecam_init(&mcfg), 0);
	assert_int_equal(map_calls, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(window - GUARD, GUARD + (END_BUS - START_BUS + 1) * BUS_SIZE + GUARD);
	return 0;
}

static void addresses_inside_the_window(void **state)
{
	struct pci_bdf b = { 0, START_BUS + 1, 3, 2 };
	uint8_t *cfg = window + BUS_SIZE + FN_OFFSET(3, 2);

	(void)state;
	memcpy(cfg + 0x40, &(uint32_t){ 0x12345678 }, 4);
	assert_int_equal(pci_cfg_read(b, 0x40, 4), 0x12345678);
	assert_int_equal(pci_cfg_read(b, 0x42, 2), 0x1234);
	assert_int_equal(pci_cfg_read(b, 0x41, 1), 0x56);
	assert_int_equal(pci_cfg_read(b, 0xffc, 4), 0xffffffff);
	assert_int_equal(pci_cfg_write(b, 0xffc, 4, 0xcafef00d), 0);
	assert_int_equal(*(uint32_t *)(cfg + 0xffc), 0xcafef00d);
}

/* Each of these would land in a guard page (or another function) if it were not refused. */
static void accesses_outside_are_refused(void **state)
{
	const struct pci_bdf below = { 0, START_BUS - 1, 31, 7 }, above = { 0, END_BUS + 1, 0, 0 };
	const struct pci_bdf other_segment = { 1, START_BUS, 0, 0 }, in = { 0, START_BUS, 0, 0 };
	const struct pci_bdf bad_dev = { 0, START_BUS, 32, 0 }, bad_fn = { 0, START_BUS, 0, 8 };

	(void)state;
	assert_int_equal(pci_cfg_read(below, 0xffc, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(above, 0, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(other_segment, 0, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(bad_dev, 0, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(bad_fn, 0, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(in, 0x1000, 1), 0xffffffff); /* past 4 KiB */
	assert_int_equal(pci_cfg_read(in, 0xffe, 4), 0xffffffff);  /* straddles the end */
	assert_int_equal(pci_cfg_read(in, 0x41, 2), 0xffffffff);   /* misaligned */
	assert_int_equal(pci_cfg_read(in, 0x40, 3), 0xffffffff);   /* no such width */
	assert_int_equal(pci_cfg_write(above, 0, 4, 0), -EINVAL);
	assert_int_equal(pci_cfg_write(in, 0x1000, 1, 0), -EINVAL);
}

static void plant(unsigned int bus, unsigned int dev, unsigned int fn, uint16_t vendor,
		  uint16_t device, uint8_t header)
{
	uint8_t *cfg = window + (bus - START_BUS) * BUS_SIZE + FN_OFFSET(dev, fn);

	memset(cfg, 0, 0x100);
	memcpy(cfg + PCI_VENDOR_ID, &vendor, 2);
	memcpy(cfg + PCI_DEVICE_ID, &device, 2);
	memcpy(cfg + PCI_CLASS_REVISION, &(uint32_t){ 0x00ff0001 }, 4);
	cfg[PCI_HEADER_TYPE] = header;
}

static void enumeration_finds_planted_functions(void **state)
{
	static struct pci_topology t;
	uint8_t *cfg = window + FN_OFFSET(1, 0);

	(void)state;
	plant(START_BUS, 1, 0, 0x1234, 0x11e8, PCI_HEADER_NORMAL);
	/* A capability list whose only entry points at itself must not loop forever. */
	cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	cfg[PCI_CAPABILITY_LIST] = 0x40;
	cfg[0x40 + PCI_CAP_ID] = PCI_CAP_ID_MSI;
	cfg[0x40 + PCI_CAP_NEXT] = 0x40;
	plant(END_BUS, 2, 0, 0x8086, 0x1234, PCI_HEADER_NORMAL | PCI_HEADER_MULTIFUNCTION);
	plant(END_BUS, 2, 5, 0x8086, 0x1235, PCI_HEADER_NORMAL);

	assert_int_equal(pci_enumerate(&t), 0);
	assert_int_equal(t.count, 3);
	assert_int_equal(t.devices[0].bdf.bus, START_BUS);
	assert_int_equal(t.devices[0].vendor, 0x1234);
	assert_int_equal(t.devices[0].device, 0x11e8);
	assert_int_equal(t.devices[0].class_code, 0x00ff00);
	assert_int_equal(t.devices[0].cap_msi, 0x40);
	assert_int_equal(t.devices[2].bdf.fn, 5);
	assert_int_equal(pci_find(&t, (struct pci_bdf){ 0, END_BUS, 2, 5 }), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(addresses_inside_the_window, setup, teardown),
		cmocka_unit_test_setup_teardown(accesses_outside_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(enumeration_finds_planted_functions, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("pci_ecam", tests, NULL, NULL);
}
