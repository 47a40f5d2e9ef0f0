// SPDX-License-Identifier: MIT
/*
 * vmm/vplat/guest_report.c against the port ABI in vmm/vplat/guest_report_abi.h: each field where
 * the layout puts it, every non-report word refused, the verdict rule, and one boot's stream
 * followed through every way it can go out of order.
 * Sources: vmm/vplat/guest_report.c
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/vplat/guest_report.h"

#define NR_CHECKS GUEST_CHECK_LAST

static void test_encode_layout(void **state)
{
	(void)state;
	/* 31:24 magic 0xb7, 23:20 seq 5, 19:16 RESULT 2, 15:8 check 3, 7:0 FAIL 2 */
	assert_int_equal(guest_report_encode(5, GUEST_REPORT_RESULT, GUEST_CHECK_DISK_WRITE,
					     GUEST_STATUS_FAIL),
			 0xb7520302u);
	assert_int_equal(guest_report_encode(0, GUEST_REPORT_START, 4, GUEST_REPORT_VERSION),
			 0xb7010401u);
	/* The sequence wraps at 16; excess check and status bits are dropped. */
	assert_int_equal(
		guest_report_encode(GUEST_REPORT_SEQ_MOD + 1, GUEST_REPORT_VERDICT, 0x104, 0x101),
		guest_report_encode(1, GUEST_REPORT_VERDICT, 4, 1));
}

static void test_round_trip(void **state)
{
	unsigned int seq, check, status;
	struct guest_report_word w;

	(void)state;
	for (seq = 0; seq < GUEST_REPORT_SEQ_MOD; seq++)
		for (check = 1; check <= GUEST_CHECK_LAST; check++)
			for (status = GUEST_STATUS_PASS; status <= GUEST_STATUS_SKIP; status++) {
				uint32_t word = guest_report_encode(seq, GUEST_REPORT_RESULT, check,
								    status);

				assert_int_equal(guest_report_decode(word, &w), 0);
				assert_int_equal(w.seq, seq);
				assert_int_equal(w.type, GUEST_REPORT_RESULT);
				assert_int_equal(w.check, check);
				assert_int_equal(w.status, status);
			}
}

static void expect_refused(uint32_t word)
{
	struct guest_report_word w = { .seq = 99, .type = 99, .check = 99, .status = 99 };

	assert_int_equal(guest_report_decode(word, &w), -EINVAL);
	assert_int_equal(w.seq, 99); /* untouched */
	assert_int_equal(w.type, 99);
}

static void test_decode_refusals(void **state)
{
	uint32_t good =
		guest_report_encode(0, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_PASS);

	(void)state;
	expect_refused(0);
	expect_refused(0xffffffffu);
	expect_refused(0x534b4946u); /* four console bytes */
	expect_refused(good ^ (uint32_t)GUEST_REPORT_MAGIC_MASK);
	expect_refused(guest_report_encode(0, 0, 1, GUEST_STATUS_PASS));
	expect_refused(guest_report_encode(0, GUEST_REPORT_VERDICT + 1, 1, GUEST_STATUS_PASS));
	expect_refused(guest_report_encode(0, GUEST_REPORT_RESULT, 0, GUEST_STATUS_PASS));
	expect_refused(guest_report_encode(0, GUEST_REPORT_RESULT, GUEST_CHECK_LAST + 1,
					   GUEST_STATUS_PASS));
	expect_refused(guest_report_encode(0, GUEST_REPORT_RESULT, 1, 0));
	expect_refused(guest_report_encode(0, GUEST_REPORT_RESULT, 1, GUEST_STATUS_SKIP + 1));
	expect_refused(guest_report_encode(0, GUEST_REPORT_VERDICT, 4, 0));
	expect_refused(guest_report_encode(0, GUEST_REPORT_START, 4, GUEST_REPORT_VERSION + 1));
}

static void test_verdict_rule(void **state)
{
	(void)state;
	assert_int_equal(guest_report_verdict(4, 0, 0), GUEST_STATUS_PASS);
	assert_int_equal(guest_report_verdict(3, 1, 0), GUEST_STATUS_FAIL);
	assert_int_equal(guest_report_verdict(2, 1, 1), GUEST_STATUS_FAIL);
	assert_int_equal(guest_report_verdict(3, 0, 1), GUEST_STATUS_SKIP);
	assert_int_equal(guest_report_verdict(0, 0, 4), GUEST_STATUS_SKIP);
	assert_int_equal(guest_report_verdict(0, 0, 0), GUEST_STATUS_SKIP); /* nothing ran */
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(guest_report_check_name(GUEST_CHECK_MODULES), "modules");
	assert_string_equal(guest_report_check_name(GUEST_CHECK_DISK_READ), "disk_read");
	assert_string_equal(guest_report_check_name(GUEST_CHECK_DISK_WRITE), "disk_write");
	assert_string_equal(guest_report_check_name(GUEST_CHECK_TFTP), "tftp");
	assert_string_equal(guest_report_check_name(0), "?");
	assert_string_equal(guest_report_check_name(GUEST_CHECK_LAST + 1), "?");
	assert_string_equal(guest_report_status_name(GUEST_STATUS_PASS), "PASS");
	assert_string_equal(guest_report_status_name(GUEST_STATUS_FAIL), "FAIL");
	assert_string_equal(guest_report_status_name(GUEST_STATUS_SKIP), "SKIP");
	assert_string_equal(guest_report_status_name(0), "?");
}

/* A guest program that numbers its words as the ABI says. */
struct sender {
	struct guest_report_stream s;
	unsigned int seq;
};

static int send(struct sender *g, unsigned int type, unsigned int check, unsigned int status)
{
	return guest_report_feed(&g->s, guest_report_encode(g->seq++, type, check, status));
}

static void start(struct sender *g, unsigned int checks)
{
	memset(g, 0, sizeof(*g));
	guest_report_stream_init(&g->s);
	assert_int_equal(g->s.state, GUEST_REPORT_WAIT_START);
	assert_int_equal(send(g, GUEST_REPORT_START, checks, GUEST_REPORT_VERSION), 0);
	assert_int_equal(g->s.state, GUEST_REPORT_RUNNING);
	assert_int_equal(g->s.announced, checks);
}

/* A whole boot whose checks give @statuses; returns the stream's verdict. */
static unsigned int boot(const unsigned int *statuses)
{
	struct sender g;
	unsigned int i, pass = 0, fail = 0, skip = 0;

	start(&g, NR_CHECKS);
	for (i = 0; i < NR_CHECKS; i++) {
		assert_int_equal(send(&g, GUEST_REPORT_RESULT, i + 1, statuses[i]), 0);
		assert_int_equal(g.s.status[i + 1], statuses[i]);
		pass += statuses[i] == GUEST_STATUS_PASS;
		fail += statuses[i] == GUEST_STATUS_FAIL;
		skip += statuses[i] == GUEST_STATUS_SKIP;
	}
	assert_int_equal(
		send(&g, GUEST_REPORT_VERDICT, NR_CHECKS, guest_report_verdict(pass, fail, skip)),
		0);
	assert_int_equal(g.s.state, GUEST_REPORT_DONE);
	return g.s.verdict;
}

static void test_stream_whole_boots(void **state)
{
	const unsigned int all_pass[NR_CHECKS] = { 1, 1, 1, 1 };
	const unsigned int one_fail[NR_CHECKS] = { 1, 1, 2, 1 };
	const unsigned int one_skip[NR_CHECKS] = { 1, 3, 1, 1 };

	(void)state;
	assert_int_equal(boot(all_pass), GUEST_STATUS_PASS);
	assert_int_equal(boot(one_fail), GUEST_STATUS_FAIL);
	assert_int_equal(boot(one_skip), GUEST_STATUS_SKIP);
}

static void test_stream_stray_write_ignored(void **state)
{
	struct sender g;

	(void)state;
	start(&g, 1);
	assert_int_equal(guest_report_feed(&g.s, 0), -EINVAL);
	assert_int_equal(guest_report_feed(&g.s, 0x41424344u), -EINVAL);
	assert_int_equal(g.s.state, GUEST_REPORT_RUNNING);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_PASS), 0);
	assert_int_equal(send(&g, GUEST_REPORT_VERDICT, 1, GUEST_STATUS_PASS), 0);
	assert_int_equal(g.s.state, GUEST_REPORT_DONE);
	assert_int_equal(g.s.verdict, GUEST_STATUS_PASS);
}

static void expect_broken(struct sender *g, unsigned int type, unsigned int check,
			  unsigned int status)
{
	assert_int_equal(send(g, type, check, status), -EPROTO);
	assert_int_equal(g->s.state, GUEST_REPORT_BROKEN);
	/* Nothing is believed afterwards, not even a word that would have been next. */
	assert_int_equal(
		guest_report_feed(&g->s, guest_report_encode(g->s.next_seq, GUEST_REPORT_VERDICT, 0,
							     GUEST_STATUS_SKIP)),
		-EPROTO);
	assert_int_equal(g->s.state, GUEST_REPORT_BROKEN);
}

static void test_stream_out_of_order(void **state)
{
	struct sender g;

	(void)state;
	/* A lost word: the sequence skips one. */
	start(&g, 2);
	g.seq++;
	expect_broken(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS);
	/* A sequence number used twice (the word itself would have been in order). */
	start(&g, 2);
	g.seq--;
	expect_broken(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS);
	/* A result or a verdict before START. */
	memset(&g, 0, sizeof(g));
	guest_report_stream_init(&g.s);
	expect_broken(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS);
	memset(&g, 0, sizeof(g));
	guest_report_stream_init(&g.s);
	expect_broken(&g, GUEST_REPORT_VERDICT, 0, GUEST_STATUS_SKIP);
	/* A second START. */
	start(&g, 2);
	expect_broken(&g, GUEST_REPORT_START, 2, GUEST_REPORT_VERSION);
	/* More checks announced than exist. */
	memset(&g, 0, sizeof(g));
	guest_report_stream_init(&g.s);
	expect_broken(&g, GUEST_REPORT_START, GUEST_CHECK_LAST + 1, GUEST_REPORT_VERSION);
	/* One check twice. */
	start(&g, 2);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_FAIL), 0);
	expect_broken(&g, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_PASS);
	/* More results than announced. */
	start(&g, 1);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS), 0);
	expect_broken(&g, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_PASS);
}

static void test_stream_verdict_must_agree(void **state)
{
	struct sender g;

	(void)state;
	/* A verdict before every announced check reported. */
	start(&g, 2);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS), 0);
	expect_broken(&g, GUEST_REPORT_VERDICT, 1, GUEST_STATUS_PASS);
	/* A count other than the results sent. */
	start(&g, 1);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS), 0);
	expect_broken(&g, GUEST_REPORT_VERDICT, 2, GUEST_STATUS_PASS);
	/* PASS claimed over a FAIL, and over a SKIP. */
	start(&g, 2);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_MODULES, GUEST_STATUS_PASS), 0);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_DISK_READ, GUEST_STATUS_FAIL),
			 0);
	expect_broken(&g, GUEST_REPORT_VERDICT, 2, GUEST_STATUS_PASS);
	start(&g, 1);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_SKIP), 0);
	expect_broken(&g, GUEST_REPORT_VERDICT, 1, GUEST_STATUS_PASS);
	/* Any word after the verdict. */
	start(&g, 1);
	assert_int_equal(send(&g, GUEST_REPORT_RESULT, GUEST_CHECK_TFTP, GUEST_STATUS_PASS), 0);
	assert_int_equal(send(&g, GUEST_REPORT_VERDICT, 1, GUEST_STATUS_PASS), 0);
	expect_broken(&g, GUEST_REPORT_VERDICT, 1, GUEST_STATUS_PASS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_layout),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_decode_refusals),
		cmocka_unit_test(test_verdict_rule),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_stream_whole_boots),
		cmocka_unit_test(test_stream_stray_write_ignored),
		cmocka_unit_test(test_stream_out_of_order),
		cmocka_unit_test(test_stream_verdict_must_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
