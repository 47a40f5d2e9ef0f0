// SPDX-License-Identifier: MIT
/* The guest report port's words: encoding, decoding, and one boot's stream of them. */
#include "vmm/vplat/guest_report.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

uint32_t guest_report_encode(unsigned int seq, unsigned int type, unsigned int check,
			     unsigned int status)
{
	return (uint32_t)(FIELD_PREP(GUEST_REPORT_MAGIC_MASK, GUEST_REPORT_MAGIC) |
			  FIELD_PREP(GUEST_REPORT_SEQ_MASK, seq % GUEST_REPORT_SEQ_MOD) |
			  FIELD_PREP(GUEST_REPORT_TYPE_MASK, type) |
			  FIELD_PREP(GUEST_REPORT_CHECK_MASK, check) |
			  FIELD_PREP(GUEST_REPORT_STATUS_MASK, status));
}

static bool status_known(unsigned int status)
{
	return status == GUEST_STATUS_PASS || status == GUEST_STATUS_FAIL ||
	       status == GUEST_STATUS_SKIP;
}

int guest_report_decode(uint32_t word, struct guest_report_word *out)
{
	struct guest_report_word w = {
		.seq = (unsigned int)FIELD_GET(GUEST_REPORT_SEQ_MASK, word),
		.type = (unsigned int)FIELD_GET(GUEST_REPORT_TYPE_MASK, word),
		.check = (unsigned int)FIELD_GET(GUEST_REPORT_CHECK_MASK, word),
		.status = (unsigned int)FIELD_GET(GUEST_REPORT_STATUS_MASK, word),
	};

	if (FIELD_GET(GUEST_REPORT_MAGIC_MASK, word) != GUEST_REPORT_MAGIC)
		return -EINVAL;
	switch (w.type) {
	case GUEST_REPORT_START:
		if (w.status != GUEST_REPORT_VERSION)
			return -EINVAL;
		break;
	case GUEST_REPORT_RESULT:
		if (w.check == 0 || w.check > GUEST_CHECK_LAST || !status_known(w.status))
			return -EINVAL;
		break;
	case GUEST_REPORT_VERDICT:
		if (!status_known(w.status))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	*out = w;
	return 0;
}

unsigned int guest_report_verdict(unsigned int pass, unsigned int fail, unsigned int skip)
{
	if (fail)
		return GUEST_STATUS_FAIL;
	if (skip || !pass)
		return GUEST_STATUS_SKIP;
	return GUEST_STATUS_PASS;
}

const char *guest_report_check_name(unsigned int check)
{
	static const char *const names[GUEST_CHECK_LAST + 1] = {
		[GUEST_CHECK_MODULES] = "modules",
		[GUEST_CHECK_DISK_READ] = "disk_read",
		[GUEST_CHECK_DISK_WRITE] = "disk_write",
		[GUEST_CHECK_TFTP] = "tftp",
	};

	return check <= GUEST_CHECK_LAST && names[check] ? names[check] : "?";
}

const char *guest_report_status_name(unsigned int status)
{
	switch (status) {
	case GUEST_STATUS_PASS:
		return "PASS";
	case GUEST_STATUS_FAIL:
		return "FAIL";
	case GUEST_STATUS_SKIP:
		return "SKIP";
	default:
		return "?";
	}
}

void guest_report_stream_init(struct guest_report_stream *s)
{
	memset(s, 0, sizeof(*s));
	s->state = GUEST_REPORT_WAIT_START;
}

/* The word @w's meaning for @s in its state; false when it is out of order. */
static bool take(struct guest_report_stream *s, const struct guest_report_word *w)
{
	unsigned int reported = s->pass + s->fail + s->skip;

	switch (w->type) {
	case GUEST_REPORT_START:
		if (s->state != GUEST_REPORT_WAIT_START || w->check > GUEST_CHECK_LAST)
			return false;
		s->announced = w->check;
		s->state = GUEST_REPORT_RUNNING;
		return true;
	case GUEST_REPORT_RESULT:
		if (s->state != GUEST_REPORT_RUNNING || s->status[w->check] != 0 ||
		    reported == s->announced)
			return false;
		s->status[w->check] = (uint8_t)w->status;
		s->pass += w->status == GUEST_STATUS_PASS;
		s->fail += w->status == GUEST_STATUS_FAIL;
		s->skip += w->status == GUEST_STATUS_SKIP;
		return true;
	default: /* GUEST_REPORT_VERDICT: guest_report_decode() let no other type through */
		if (s->state != GUEST_REPORT_RUNNING || w->check != reported ||
		    reported != s->announced ||
		    w->status != guest_report_verdict(s->pass, s->fail, s->skip))
			return false;
		s->verdict = w->status;
		s->state = GUEST_REPORT_DONE;
		return true;
	}
}

int guest_report_feed(struct guest_report_stream *s, uint32_t word)
{
	struct guest_report_word w;

	if (guest_report_decode(word, &w))
		return -EINVAL;
	if (s->state == GUEST_REPORT_BROKEN || w.seq != s->next_seq || !take(s, &w)) {
		s->state = GUEST_REPORT_BROKEN;
		return -EPROTO;
	}
	s->next_seq = (s->next_seq + 1) % GUEST_REPORT_SEQ_MOD;
	return 0;
}
