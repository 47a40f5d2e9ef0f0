// SPDX-License-Identifier: MIT
/* A rate limit for log lines: see log_limit.h. */
#include "kernel/log_limit.h"

void log_limit_init(struct log_limit *l, unsigned int burst)
{
	*l = (struct log_limit){ .burst = burst };
}

bool log_limit_allow(struct log_limit *l, uint64_t now_ns, uint64_t *missed)
{
	if (!l->started || now_ns - l->window_start >= LOG_LIMIT_WINDOW_NS) {
		l->started = true;
		l->window_start = now_ns;
		l->shown = 0;
	}
	if (l->shown >= l->burst) {
		l->pending++;
		l->suppressed++;
		return false;
	}
	l->shown++;
	*missed = log_limit_flush(l);
	return true;
}

uint64_t log_limit_flush(struct log_limit *l)
{
	uint64_t n = l->pending;

	l->pending = 0;
	return n;
}
