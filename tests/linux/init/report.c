// SPDX-License-Identifier: MIT
/* The guest program's reports: console lines and the guest report port (report.h). */
#include "tests/linux/init/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>

#include "vmm/vplat/guest_report.h"

static bool port_ok;
static unsigned int seq, pass, fail, skip;

void report_say(const char *fmt, ...)
{
	va_list ap;

	fputs(REPORT_PREFIX, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void port_write(unsigned int type, unsigned int check, unsigned int status)
{
	uint32_t word = guest_report_encode(seq++, type, check, status);

	if (port_ok)
		outl(word, GUEST_REPORT_PORT);
}

void report_start(unsigned int checks)
{
	port_ok = ioperm(GUEST_REPORT_PORT, GUEST_REPORT_PORT_LEN, 1) == 0;
	if (!port_ok)
		report_say("ioperm(%#x, %u): %s; reporting on the console only", GUEST_REPORT_PORT,
			   GUEST_REPORT_PORT_LEN, strerror(errno));
	report_say("report port %#x, %u checks", GUEST_REPORT_PORT, checks);
	port_write(GUEST_REPORT_START, checks, GUEST_REPORT_VERSION);
}

void report_result(unsigned int check, unsigned int status, const char *detail)
{
	pass += status == GUEST_STATUS_PASS;
	fail += status == GUEST_STATUS_FAIL;
	skip += status == GUEST_STATUS_SKIP;
	report_say("check %s %s: %s", guest_report_check_name(check),
		   guest_report_status_name(status), detail);
	port_write(GUEST_REPORT_RESULT, check, status);
}

unsigned int report_verdict(void)
{
	unsigned int verdict = guest_report_verdict(pass, fail, skip);

	report_say("verdict %s (%u passed, %u failed, %u skipped)",
		   guest_report_status_name(verdict), pass, fail, skip);
	port_write(GUEST_REPORT_VERDICT, pass + fail + skip, verdict);
	return verdict;
}
