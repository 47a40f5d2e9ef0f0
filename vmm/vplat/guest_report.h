/* SPDX-License-Identifier: MIT */
/*
 * The guest report port's words (vmm/vplat/guest_report_abi.h): encoded by the guest's program,
 * decoded and followed in order by skiff's port model (and by the plain-QEMU check, from QEMU's
 * trace of the same writes). Pure: no allocation, no I/O; built into the guest program, skiff and
 * host tests alike.
 */
#ifndef SKIFF_VMM_VPLAT_GUEST_REPORT_H
#define SKIFF_VMM_VPLAT_GUEST_REPORT_H

#include <stdint.h>

#include "vmm/vplat/guest_report_abi.h"

/* One report word's fields. */
struct guest_report_word {
	unsigned int seq;    /* 0 .. GUEST_REPORT_SEQ_MOD - 1 */
	unsigned int type;   /* GUEST_REPORT_START, _RESULT or _VERDICT */
	unsigned int check;  /* a GUEST_CHECK_* id (RESULT) or a count (START, VERDICT) */
	unsigned int status; /* a GUEST_STATUS_* code, or the ABI version (START) */
};

/*
 * guest_report_encode - the report word with sequence @seq (taken mod GUEST_REPORT_SEQ_MOD),
 * @type, @check (0-255) and @status (0-255); excess bits of @check and @status are dropped.
 */
uint32_t guest_report_encode(unsigned int seq, unsigned int type, unsigned int check,
			     unsigned int status);

/*
 * guest_report_decode - split @word into @out. Returns 0, or -EINVAL when @word is no report
 * word: another magic, an unknown type, a RESULT with an unknown check or status, a VERDICT with
 * an unknown status, a START of another GUEST_REPORT_VERSION (@out is then untouched).
 */
int guest_report_decode(uint32_t word, struct guest_report_word *out);

/*
 * guest_report_verdict - the verdict of a run whose checks gave @pass PASS, @fail FAIL and
 * @skip SKIP results: GUEST_STATUS_FAIL when any failed, else GUEST_STATUS_SKIP when any was
 * skipped or there were none, else GUEST_STATUS_PASS.
 */
unsigned int guest_report_verdict(unsigned int pass, unsigned int fail, unsigned int skip);

/* guest_report_check_name - the name of check @check ("modules", "disk_read", ...) or "?". */
const char *guest_report_check_name(unsigned int check);

/* guest_report_status_name - "PASS", "FAIL", "SKIP", or "?" for anything else. */
const char *guest_report_status_name(unsigned int status);

enum guest_report_state {
	GUEST_REPORT_WAIT_START, /* no START yet */
	GUEST_REPORT_RUNNING,	 /* START seen, no VERDICT yet */
	GUEST_REPORT_DONE,	 /* a consistent VERDICT seen: verdict holds it */
	GUEST_REPORT_BROKEN,	 /* a report word out of order: nothing more is believed */
};

/* One boot's stream of report words, as the port model follows it. */
struct guest_report_stream {
	enum guest_report_state state;
	unsigned int next_seq;
	unsigned int announced; /* checks START announced */
	unsigned int pass, fail, skip;
	uint8_t status[GUEST_CHECK_LAST + 1]; /* by check id; 0 while not reported */
	unsigned int verdict;		      /* a GUEST_STATUS_*, once DONE */
};

/* guest_report_stream_init - @s before the first word of a boot (WAIT_START, sequence 0). */
void guest_report_stream_init(struct guest_report_stream *s);

/*
 * guest_report_feed - take one 32-bit write to the port into @s.
 * Returns 0 for a word taken; -EINVAL for a word that is no report word (a stray write; @s is
 * unchanged); -EPROTO for a report word out of order, after which @s is BROKEN and every later
 * word is -EPROTO: a sequence number other than the next, a RESULT or VERDICT before START, any
 * word after VERDICT, a second START, a START announcing more checks than GUEST_CHECK_LAST, a
 * check reported twice, or a VERDICT whose count is not the number of RESULTs and of checks
 * announced or whose status is not guest_report_verdict() of the RESULTs.
 */
int guest_report_feed(struct guest_report_stream *s, uint32_t word);

#endif
