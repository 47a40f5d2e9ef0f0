/* SPDX-License-Identifier: MIT */
/*
 * The guest program's reports: each is one console line ("skiff-init: ...", for people and for
 * the plain-QEMU check) and one word written to skiff's guest report port
 * (vmm/vplat/guest_report_abi.h), which is what skiff reads.
 */
#ifndef SKIFF_LINUX_INIT_REPORT_H
#define SKIFF_LINUX_INIT_REPORT_H

/* The prefix of every console line of the guest program. */
#define REPORT_PREFIX "skiff-init: "

/* report_say - one console line (printf-style) after REPORT_PREFIX. */
void report_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * report_start - gain access to the port (ioperm) and announce @checks checks (START). When
 * ioperm fails the console says so and later reports reach the console only.
 */
void report_start(unsigned int checks);

/* report_result - check @check (a GUEST_CHECK_*) ended with @status; @detail says how. */
void report_result(unsigned int check, unsigned int status, const char *detail);

/* report_verdict - the verdict of the results reported so far (VERDICT); returns it. */
unsigned int report_verdict(void);

#endif
