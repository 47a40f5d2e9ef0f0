// SPDX-License-Identifier: MIT
/*
 * skiff-guest-report: follow one boot's writes to the guest report port
 * (vmm/vplat/guest_report_abi.h) as skiff's port model will, from their values: the plain-QEMU
 * check (tests/linux/run-qemu-plain.sh) reads them from QEMU's trace of port writes.
 *
 *   skiff-guest-report WORD...      each WORD a 32-bit value, e.g. 0xb7010401
 *
 * Prints one line per word ("start: 4 checks", "result: disk_read PASS", "verdict: PASS", or
 * "stray: 0x... (not a report word)") and ends with "report: verdict PASS|FAIL|SKIP" when the
 * stream ended with a consistent verdict, else "report: no verdict (why)".
 * Exit status: 0 for a PASS verdict, 1 for FAIL or SKIP, 2 for no verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmm/vplat/guest_report.h"

static void describe(uint32_t word)
{
	struct guest_report_word w;

	guest_report_decode(word, &w);
	switch (w.type) {
	case GUEST_REPORT_START:
		printf("start: %u checks (seq %u)\n", w.check, w.seq);
		break;
	case GUEST_REPORT_RESULT:
		printf("result: %s %s (seq %u)\n", guest_report_check_name(w.check),
		       guest_report_status_name(w.status), w.seq);
		break;
	default:
		printf("verdict: %s after %u results (seq %u)\n",
		       guest_report_status_name(w.status), w.check, w.seq);
		break;
	}
}

int main(int argc, char **argv)
{
	struct guest_report_stream s;
	int i, err;

	guest_report_stream_init(&s);
	for (i = 1; i < argc; i++) {
		char *end;
		unsigned long v = strtoul(argv[i], &end, 0);

		if (*argv[i] == '\0' || *end != '\0' || v > UINT32_MAX) {
			fprintf(stderr, "%s: '%s' is not a 32-bit value\n", argv[0], argv[i]);
			return 2;
		}
		err = guest_report_feed(&s, (uint32_t)v);
		if (err == -EINVAL) {
			printf("stray: %#lx (not a report word)\n", v);
			continue;
		}
		describe((uint32_t)v);
		if (err) {
			printf("report: no verdict (word %d, %#lx, is out of order)\n", i, v);
			return 2;
		}
	}
	if (s.state != GUEST_REPORT_DONE) {
		printf("report: no verdict (%s)\n", s.state == GUEST_REPORT_WAIT_START ?
							    "no start" :
							    "the stream stopped early");
		return 2;
	}
	printf("report: verdict %s\n", guest_report_status_name(s.verdict));
	return s.verdict == GUEST_STATUS_PASS ? 0 : 1;
}
