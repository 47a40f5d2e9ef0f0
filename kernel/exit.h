/* SPDX-License-Identifier: MIT */
/* How a run of skiff ends: a verdict, then QEMU's isa-debug-exit, a halt, or a reset. */
#ifndef SKIFF_KERNEL_EXIT_H
#define SKIFF_KERNEL_EXIT_H

enum verdict {
	VERDICT_PASS,
	VERDICT_FAIL,
};

/* Values written to QEMU's isa-debug-exit (port 0xf4); QEMU exits with (value << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_PASS 0x10 /* QEMU exit status 33 */
#define DEBUG_EXIT_FAIL 0x11 /* QEMU exit status 35 */

enum exit_mode {
	EXIT_AUTO, /* isa-debug-exit under QEMU (CPUID hypervisor signature), else halt */
	EXIT_DEBUG_PORT,
	EXIT_HALT,
	EXIT_RESET,
};

/* exit_set_mode - how skiff_exit() ends the run (command line "exit="). */
void exit_set_mode(enum exit_mode mode);

/* skiff_exit - print "skiff: verdict PASS|FAIL" and end the run. */
void skiff_exit(enum verdict v) __attribute__((noreturn));

#endif
