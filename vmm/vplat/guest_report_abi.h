/* SPDX-License-Identifier: MIT */
/*
 * The guest report port: how skiff's Linux guest program (tests/linux/init/) tells skiff what its
 * checks found. It is an I/O port of skiff's virtual platform, written from guest user mode
 * after ioperm() (guest user mode may not make hypercalls): skiff reads the verdict from these
 * writes, never from the guest's console text.
 *
 * The port: GUEST_REPORT_PORT, GUEST_REPORT_PORT_LEN ports wide, written only with 32-bit OUTs
 * (outl) of report words; a write of another width, or a read, is not a report. 0x508 lies in the
 * 0x500-0x5ff block where QEMU puts its paravirtual ports on a PC and clear of each of them:
 * isa-debug-exit (0x501-0x502 by default), pvpanic (0x505) and fw_cfg (0x510-0x511, DMA at
 * 0x514-0x51b); it is not debugcon (0x402), COM1-COM4 (0x3f8, 0x2f8, 0x3e8, 0x2e8, which Linux's
 * 8250 driver probes), PCI mechanism #1 (0xcf8-0xcff) nor the reset control (0xcf9); Linux
 * probes nothing there, and on plain QEMU's q35 no device claims it (a write there is dropped),
 * so the same guest runs unchanged with and without skiff. It is dword aligned for the outl.
 *
 * A report word (32 bits):
 *   31:24 GUEST_REPORT_MAGIC, so a stray write (0, all-ones, console bytes) is recognisable
 *   23:20 sequence: 0 for the first word of a boot, then +1 (mod 16) per word, so a lost or
 *         repeated write is seen
 *   19:16 type (GUEST_REPORT_START, _RESULT, _VERDICT)
 *   15:8  check: a GUEST_CHECK_* id (RESULT), or a count (START, VERDICT)
 *    7:0  status: a GUEST_STATUS_* code (RESULT, VERDICT), or the ABI version (START)
 *
 * A boot's words, in order:
 *   START    check = the number of checks the program will report, status = GUEST_REPORT_VERSION;
 *            skiff may take its arrival as the moment the guest's init began
 *   RESULT   one per check, each check once: its id and PASS, FAIL or SKIP
 *   VERDICT  check = the number of RESULT words sent; status = PASS when every check passed,
 *            FAIL when any failed, else SKIP (none failed, some did not run). SKIP never counts
 *            as a pass: a check whose device is absent, or whose expected value the command
 *            line did not give, is SKIP.
 * vmm/vplat/guest_report.h encodes, decodes and follows this stream.
 */
#ifndef SKIFF_VMM_VPLAT_GUEST_REPORT_ABI_H
#define SKIFF_VMM_VPLAT_GUEST_REPORT_ABI_H

#include "kernel/bits.h"

#define GUEST_REPORT_PORT     0x508u
#define GUEST_REPORT_PORT_LEN 4u /* one outl covers 0x508-0x50b */
#define GUEST_REPORT_VERSION  1u

/* Fields of a report word. */
#define GUEST_REPORT_MAGIC_MASK	 GENMASK(31, 24)
#define GUEST_REPORT_SEQ_MASK	 GENMASK(23, 20)
#define GUEST_REPORT_TYPE_MASK	 GENMASK(19, 16)
#define GUEST_REPORT_CHECK_MASK	 GENMASK(15, 8)
#define GUEST_REPORT_STATUS_MASK GENMASK(7, 0)

/* Neither 0x00 nor 0xff (a floating bus, cleared memory) nor printable ASCII. */
#define GUEST_REPORT_MAGIC 0xb7u
/* The sequence number wraps at this (4 bits). */
#define GUEST_REPORT_SEQ_MOD 16u

/* Types (0 is none: a zero word is never a report). */
#define GUEST_REPORT_START   1u
#define GUEST_REPORT_RESULT  2u
#define GUEST_REPORT_VERDICT 3u

/* Checks (0 is none). */
#define GUEST_CHECK_MODULES    1u /* every module in the image's load order loaded */
#define GUEST_CHECK_DISK_READ  2u /* the NVMe namespace's SHA-256 is the expected one */
#define GUEST_CHECK_DISK_WRITE 3u /* the pattern written to a region and synced reads back */
#define GUEST_CHECK_TFTP       4u /* a file fetched over TFTP has the expected SHA-256 */
#define GUEST_CHECK_LAST       GUEST_CHECK_TFTP

/* Statuses (0 is none). */
#define GUEST_STATUS_PASS 1u
#define GUEST_STATUS_FAIL 2u
#define GUEST_STATUS_SKIP 3u /* not run: its device is absent or it was not asked for */

#endif
