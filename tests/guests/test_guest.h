/* SPDX-License-Identifier: MIT */
/*
 * The test guest's contract with skiff (vmm/guest_selftest.c): where it is loaded, where it
 * starts, the guest-physical address it probes outside its RAM, and the bits of its verdict
 * (HC_EXIT's RBX, vmm/hypercall.h).
 */
#ifndef SKIFF_TESTS_GUESTS_TEST_GUEST_H
#define SKIFF_TESTS_GUESTS_TEST_GUEST_H

#define TEST_GUEST_LOAD	     0x100000	/* guest-physical load address and 32-bit entry point */
#define TEST_GUEST_RAM_SIZE  0x400000	/* RAM at guest-physical 0: 4 MiB */
#define TEST_GUEST_PROBE_GPA 0x80000000 /* 2 GiB: no RAM, no device */

/* Verdict bits: a set bit is a failed check. */
#define TEST_GUEST_FAIL_CPUID_SIG   (1u << 0) /* leaf 40000000h is not skiff's signature */
#define TEST_GUEST_FAIL_CPUID_BASE  (1u << 1) /* leaf 0 reports no leaf 1 */
#define TEST_GUEST_FAIL_PROBE_READ  (1u << 2) /* the probe did not read as all ones */
#define TEST_GUEST_FAIL_PROBE_WRITE (1u << 3) /* a write to the probe was not dropped */

#define TEST_GUEST_HELLO "hello from the test guest"

#endif
