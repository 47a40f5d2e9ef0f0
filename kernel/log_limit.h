/* SPDX-License-Identifier: MIT */
/*
 * A rate limit for log lines that something outside skiff's control - a guest, a device - can
 * trigger at will: at most @burst lines in each window of LOG_LIMIT_WINDOW_NS; the lines past
 * that are counted and not shown, and the first line shown in a later window comes with their
 * number, for the caller to report ("N lines not shown") before it. The VT-d fault log
 * (iommu/vtd/vtd_fault_event.c, may_log()) limits its lines the same way. Pure: the caller
 * passes the time.
 */
#ifndef SKIFF_KERNEL_LOG_LIMIT_H
#define SKIFF_KERNEL_LOG_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define LOG_LIMIT_WINDOW_NS 1000000000ull /* one second */

struct log_limit {
	unsigned int burst;    /* lines a window may show */
	bool started;	       /* @window_start is set */
	uint64_t window_start; /* ns */
	unsigned int shown;    /* lines shown in this window */
	uint64_t pending;      /* lines not shown since the last line shown */
	uint64_t suppressed;   /* lines not shown in all */
};

/* log_limit_init - @l empty, allowing @burst lines a window. */
void log_limit_init(struct log_limit *l, unsigned int burst);

/*
 * log_limit_allow - may a line be shown at @now_ns? true: show it, after reporting *@missed lines
 * that were not shown before it (0: none; the count starts again); false: it is not shown and is
 * counted. A window starts at the first line and at the first line LOG_LIMIT_WINDOW_NS or more
 * after the current window's start.
 */
bool log_limit_allow(struct log_limit *l, uint64_t now_ns, uint64_t *missed);

/* log_limit_flush - the lines not shown since the last line shown (the caller reports them
 * when it is done, e.g. at the end of a guest's run); the count starts again. */
uint64_t log_limit_flush(struct log_limit *l);

#endif
