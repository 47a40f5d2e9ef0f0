// SPDX-License-Identifier: MIT
/*
 * vmm/vpci.c: the guest's view of a passthrough function through configuration mechanism #1:
 * CONFIG_ADDRESS latching, other functions absent, the header's read-only identity, the command
 * register's writable bits and what of it reaches the device, BAR0 sizing and refused moves,
 * the MSI capability's writable fields and the events they raise (none for a write that
 * changes nothing), unknown registers and odd port accesses answered with all ones and
 * dropped writes, and the MSI decoder's refusals.
 * Sources: vmm/vpci.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vpci.h"

#define BAR_GPA	 0xc0000000u
#define BAR_SIZE 0x100000u /* 1 MiB: size mask 0xfff00000 */

static const struct vpci_ident edu = {
	.vendor = 0x1234,
	.device = 0x11e8,
	.class_rev = 0x00ff0010, /* class 00ff00h, revision 10h */
	.subsys_vendor = 0x1af4,
	.subsys = 0x1100,
};

static struct vpci v;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(vpci_init(&v, &edu, BAR_GPA, BAR_SIZE), 0);
	return 0;
}

/* CONFIG_ADDRESS for bus 0, device @dev, function 0, register @reg:
 * 0x80000000 | dev << 11 | reg. */
static void select(unsigned int dev, unsigned int reg)
{
	uint32_t a = 0x80000000u | dev << 11 | reg;

	assert_int_equal(vpci_io(&v, 0xcf8, 4, false, &a), 0);
}

static uint32_t in(uint16_t port, unsigned int size, unsigned int expect_ev)
{
	uint32_t val = 0x5a5a5a5a;

	assert_int_equal(vpci_io(&v, port, size, true, &val), expect_ev);
	return val;
}

static unsigned int out(uint16_t port, unsigned int size, uint32_t val)
{
	return vpci_io(&v, port, size, false, &val);
}

static void test_init_refuses(void **state)
{
	struct vpci w;

	(void)state;
	assert_int_equal(vpci_init(&w, &edu, BAR_GPA, 0x180000), -EINVAL);	    /* not 2^n */
	assert_int_equal(vpci_init(&w, &edu, BAR_GPA + 0x1000, BAR_SIZE), -EINVAL); /* align */
	assert_int_equal(vpci_init(&w, &edu, 0x100000000ull, BAR_SIZE), -EINVAL);   /* >4G */
	assert_int_equal(vpci_init(&w, &edu, 0, 8), -EINVAL);			    /* < 16 */
	/* 0xfff00000 is what sizing reads back: a BAR there could not be told apart. */
	assert_int_equal(vpci_init(&w, &edu, 0xfff00000u, BAR_SIZE), -EINVAL);
}

static void test_config_address_latched(void **state)
{
	(void)state;
	/* Bits 30:24 and 1:0 are reserved: 0xffffffff reads back as 0x80fffffc. */
	assert_int_equal(out(0xcf8, 4, 0xffffffffu), 0);
	assert_int_equal(in(0xcf8, 4, 0), 0x80fffffcu);
	/* Byte and word accesses at 0CF8h are not CONFIG_ADDRESS (0CF9h is the reset register). */
	assert_int_equal(in(0xcf8, 1, VPCI_EV_UNKNOWN), 0xff);
	assert_int_equal(out(0xcf9, 1, 0x06), VPCI_EV_UNKNOWN);
	assert_int_equal(in(0xcf8, 4, 0), 0x80fffffcu);
}

static void test_identity_at_00_00_0(void **state)
{
	(void)state;
	select(0, 0x00);
	assert_int_equal(in(0xcfc, 4, 0), 0x11e81234u); /* device 31:16, vendor 15:0 */
	assert_int_equal(in(0xcfe, 2, 0), 0x11e8);
	assert_int_equal(in(0xcfd, 1, 0), 0x12);
	select(0, 0x08);
	assert_int_equal(in(0xcfc, 4, 0), 0x00ff0010u);
	select(0, 0x2c);
	assert_int_equal(in(0xcfc, 4, 0), 0x11001af4u);
	/* Header type 0, capability list at 40h, status bit 4 "capabilities list". */
	select(0, 0x0c);
	assert_int_equal(in(0xcfc, 4, 0), 0);
	select(0, 0x34);
	assert_int_equal(in(0xcfc, 1, 0), 0x40);
	select(0, 0x04);
	assert_int_equal(in(0xcfc, 4, 0), 0x00100000u); /* status 0010h, command 0 */
	/* Identity is read-only: the write is taken (no event) and changes nothing. */
	select(0, 0x00);
	assert_int_equal(out(0xcfc, 4, 0xdeadbeef), 0);
	assert_int_equal(in(0xcfc, 4, 0), 0x11e81234u);
}

static void test_other_functions_absent(void **state)
{
	(void)state;
	select(1, 0x00); /* device 1 */
	assert_int_equal(in(0xcfc, 4, 0), 0xffffffffu);
	assert_int_equal(in(0xcfc, 2, 0), 0xffff);
	assert_int_equal(out(0xcfc, 4, 0), VPCI_EV_NO_DEVICE);
	/* Function 1 of device 0: 0x80000000 | 1 << 8. */
	{
		uint32_t a = 0x80000100u;

		vpci_io(&v, 0xcf8, 4, false, &a);
	}
	assert_int_equal(in(0xcfc, 4, 0), 0xffffffffu);
	/* Bus 1: 0x80000000 | 1 << 16. */
	{
		uint32_t a = 0x80010000u;

		vpci_io(&v, 0xcf8, 4, false, &a);
	}
	assert_int_equal(in(0xcfc, 4, 0), 0xffffffffu);
	/* CONFIG_ADDRESS not enabled: CONFIG_DATA is ordinary I/O with nothing behind it. */
	assert_int_equal(out(0xcf8, 4, 0x00000000u), 0);
	assert_int_equal(in(0xcfc, 4, VPCI_EV_UNKNOWN), 0xffffffffu);
	assert_int_equal(out(0xcfc, 4, 1), VPCI_EV_UNKNOWN);
}

static void test_command_register(void **state)
{
	(void)state;
	select(0, 0x04);
	/* 0xffff written: only I/O (0), memory (1), bus master (2) and INTx disable (10) stick:
	 * 0x0407; status is read-only. */
	assert_int_equal(out(0xcfc, 2, 0xffff), VPCI_EV_COMMAND);
	assert_int_equal(vpci_command(&v), 0x0407);
	assert_int_equal(in(0xcfc, 4, 0), 0x00100407u);
	assert_int_equal(out(0xcfe, 2, 0xffff), 0); /* status alone: no command event */
	assert_int_equal(out(0xcfc, 1, 0x06), VPCI_EV_COMMAND);
	assert_int_equal(vpci_command(&v), 0x0406);
}

/* Writes that leave the register as it was raise nothing, whatever bytes they wrote. */
static void test_unchanged_writes(void **state)
{
	(void)state;
	select(0, 0x04);
	assert_int_equal(out(0xcfc, 2, 0x0006), VPCI_EV_COMMAND);
	assert_int_equal(out(0xcfc, 2, 0x0006), 0);
	/* 0xfff8 adds only read-only bits (3-9, 11-15): the value stays 0x0006. */
	assert_int_equal(out(0xcfc, 2, 0xf9f8 | 0x0006), 0);
	assert_int_equal(vpci_command(&v), 0x0006);
	select(0, 0x44);
	assert_int_equal(out(0xcfc, 4, 0xfee00000u), VPCI_EV_MSI);
	assert_int_equal(out(0xcfc, 4, 0xfee00000u), 0);
	assert_int_equal(out(0xcfc, 4, 0xfee00003u), 0); /* bits 1:0 are read-only */
	select(0, 0x40);
	assert_int_equal(out(0xcfe, 2, 0x0001), VPCI_EV_MSI); /* enable */
	assert_int_equal(out(0xcfe, 2, 0x0001), 0);
	assert_int_equal(out(0xcfe, 2, 0x0000), VPCI_EV_MSI); /* disable */
	assert_int_equal(out(0xcfc, 4, 0x00800005u), 0);      /* the whole dword, as read */
}

/* The device keeps memory decoding whatever the guest writes; bus mastering follows the guest. */
static void test_device_command(void **state)
{
	(void)state;
	/* Reset: the guest has 0; the device 0x0007 from firmware (I/O, memory, master). */
	assert_int_equal(vpci_device_command(&v, 0x0007), 0x0403);
	select(0, 0x04);
	out(0xcfc, 2, 0x0006); /* memory and bus master */
	assert_int_equal(vpci_device_command(&v, 0x0000), 0x0406);
	out(0xcfc, 2, 0x0004);			   /* memory decoding off, bus master on */
	assert_int_equal(in(0xcfc, 2, 0), 0x0004); /* the guest reads back what it wrote */
	assert_int_equal(vpci_device_command(&v, 0x0406), 0x0406);
	out(0xcfc, 2, 0x0000);
	assert_int_equal(vpci_device_command(&v, 0x0406), 0x0402);
	/* Other device bits (SERR# enable, 8) are left alone. */
	assert_int_equal(vpci_device_command(&v, 0x0100), 0x0502);
}

static void test_bar_sizing_and_moves(void **state)
{
	(void)state;
	select(0, 0x10);
	assert_int_equal(in(0xcfc, 4, 0), BAR_GPA); /* memory, 32-bit, not prefetchable: 0000b */
	/* Sizing: all ones in, the size mask out (1 MiB -> 0xfff00000), then restored. */
	assert_int_equal(out(0xcfc, 4, 0xffffffffu), 0);
	assert_int_equal(in(0xcfc, 4, 0), 0xfff00000u);
	assert_int_equal(out(0xcfc, 4, BAR_GPA), 0);
	assert_int_equal(in(0xcfc, 4, 0), BAR_GPA);
	/* Another address is refused and the BAR stays where gmem maps it. */
	assert_int_equal(out(0xcfc, 4, 0xd0000000u), VPCI_EV_BAR_REFUSED);
	assert_int_equal(in(0xcfc, 4, 0), BAR_GPA);
	/* BARs 1-5 and the expansion ROM are unimplemented: 0, sizing included. */
	select(0, 0x14);
	assert_int_equal(out(0xcfc, 4, 0xffffffffu), 0);
	assert_int_equal(in(0xcfc, 4, 0), 0);
	select(0, 0x30);
	assert_int_equal(out(0xcfc, 4, 0xffffffffu), 0);
	assert_int_equal(in(0xcfc, 4, 0), 0);
}

static void test_msi_capability(void **state)
{
	struct vpci_msi m;

	(void)state;
	select(0, 0x40);
	/* ID 05h, next 00h, control 0080h (64-bit, MMC 0, disabled). */
	assert_int_equal(in(0xcfc, 4, 0), 0x00800005u);
	/* Address 0xfee01003: bits 1:0 are read-only 0 -> 0xfee01000. */
	select(0, 0x44);
	assert_int_equal(out(0xcfc, 4, 0xfee01003u), VPCI_EV_MSI);
	assert_int_equal(in(0xcfc, 4, 0), 0xfee01000u);
	select(0, 0x4c);
	assert_int_equal(out(0xcfc, 2, 0x0041), VPCI_EV_MSI);
	assert_int_equal(in(0xcfc, 4, 0), 0x41); /* 4Eh-4Fh read 0 */
	/* Enable: MME (6:4), MMC and the 64-bit bit are read-only: 0xffff -> 0x0081. */
	select(0, 0x40);
	assert_int_equal(out(0xcfe, 2, 0xffff), VPCI_EV_MSI);
	assert_int_equal(in(0xcfe, 2, 0), 0x0081);
	vpci_msi_get(&v, &m);
	assert_true(m.enabled);
	assert_int_equal(m.addr, 0xfee01000u);
	assert_int_equal(m.data, 0x41);
	/* The capability ID and next pointer are read-only. */
	assert_int_equal(out(0xcfc, 1, 0x11), 0);
	assert_int_equal(in(0xcfc, 2, 0), 0x0005);
}

static void test_unknown_registers(void **state)
{
	(void)state;
	/* 50h lies past the only capability: all ones, writes dropped. */
	select(0, 0x50);
	assert_int_equal(in(0xcfc, 4, VPCI_EV_UNKNOWN), 0xffffffffu);
	assert_int_equal(out(0xcfc, 4, 0), VPCI_EV_UNKNOWN);
	assert_int_equal(in(0xcfc, 4, VPCI_EV_UNKNOWN), 0xffffffffu);
	select(0, 0xfc);
	assert_int_equal(in(0xcff, 1, VPCI_EV_UNKNOWN), 0xff);
	/* A word at 0CFFh would cross the dword. */
	select(0, 0x00);
	assert_int_equal(in(0xcff, 2, VPCI_EV_UNKNOWN), 0xffff);
	assert_int_equal(vpci_cfg_read(&v, 0x02, 4, &(uint32_t){ 0 }), VPCI_EV_UNKNOWN);
	assert_int_equal(vpci_cfg_write(&v, 0x04, 3, 0), VPCI_EV_UNKNOWN);
}

static void test_msi_decode(void **state)
{
	uint8_t dest = 0, vec = 0;
	struct vpci_msi m = { .enabled = true, .addr = 0xfee01000u, .data = 0x0041 };

	(void)state;
	/* 0xfee01000: destination ID 19:12 = 01h; data 0041h: fixed, edge, vector 41h. */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), 0);
	assert_int_equal(dest, 1);
	assert_int_equal(vec, 0x41);
	m.data = 0x000f; /* vector 15 is reserved */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
	m.data = 0x0141; /* delivery mode 001b: lowest priority */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
	m.data = 0xc041; /* level-triggered */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
	m.data = 0x0041;
	m.addr = 0xfee01004u; /* DM: logical destination */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
	m.addr = 0xfee01008u; /* RH */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
	m.addr = 0xfed01000u; /* not the interrupt window */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
	m.addr = 0x1fee01000ull; /* an upper address */
	assert_int_equal(vpci_msi_decode(&m, &dest, &vec), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_refuses),
		cmocka_unit_test_setup(test_config_address_latched, setup),
		cmocka_unit_test_setup(test_identity_at_00_00_0, setup),
		cmocka_unit_test_setup(test_other_functions_absent, setup),
		cmocka_unit_test_setup(test_command_register, setup),
		cmocka_unit_test_setup(test_unchanged_writes, setup),
		cmocka_unit_test_setup(test_device_command, setup),
		cmocka_unit_test_setup(test_bar_sizing_and_moves, setup),
		cmocka_unit_test_setup(test_msi_capability, setup),
		cmocka_unit_test_setup(test_unknown_registers, setup),
		cmocka_unit_test(test_msi_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
