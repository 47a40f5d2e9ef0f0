// SPDX-License-Identifier: MIT
/*
 * lwIP NO_SYS port: bring-up (net_init), the millisecond clock, and the diagnostics and random
 * numbers that arch/cc.h names.
 */
#include "kernel/net/net.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/log.h"
#include "kernel/panic.h" /* must agree with the copy of panic()'s prototype in arch/cc.h */
#include "kernel/time.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/sys.h"

int net_init(void)
{
	static bool done;
	static int result;
	struct netif *lo;

	/* lwip_init() must run only once; a second run would re-add lo0 and reset live state. */
	if (done)
		return result;
	lwip_init();
	done = true;

	lo = netif_find("lo0");
	if (!lo) {
		log_err("net: lwIP " LWIP_VERSION_STRING " created no loopback netif");
		result = -ENODEV;
	} else if (!netif_is_up(lo)) {
		log_err("net: lwIP " LWIP_VERSION_STRING ": loopback netif is down");
		result = -ENETDOWN;
	} else {
		log_info("net: lwIP " LWIP_VERSION_STRING " (NO_SYS), loopback %s up",
			 ip4addr_ntoa(netif_ip4_addr(lo)));
	}
	return result;
}

/* sys_now - lwIP's timer clock in milliseconds since boot (wraps after 49 days; lwIP copes). */
u32_t sys_now(void)
{
	return (u32_t)(time_ns() / 1000000u);
}

/* One diagnostic line being assembled; lwIP is single-threaded here (NO_SYS), so static is fine. */
static char diag_line[160];
static size_t diag_len;

void lwip_port_diag(const char *fmt, ...)
{
	va_list ap;
	char *nl;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(diag_line + diag_len, sizeof(diag_line) - diag_len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	diag_len += (size_t)n;
	if (diag_len >= sizeof(diag_line) - 1)
		diag_len = sizeof(diag_line) - 1; /* truncated: flush what fits */

	/* Emit every complete line; keep a trailing fragment for the next call. */
	while ((nl = memchr(diag_line, '\n', diag_len)) != NULL) {
		*nl = '\0';
		log_info("lwip: %s", diag_line);
		diag_len -= (size_t)(nl + 1 - diag_line);
		memmove(diag_line, nl + 1, diag_len);
	}
	if (diag_len == sizeof(diag_line) - 1) {
		diag_line[diag_len] = '\0';
		log_info("lwip: %s", diag_line);
		diag_len = 0;
	}
}

/*
 * An LCG stepped once per call and stirred with the clock: reproducible in shape, different from
 * run to run, which is all lwIP asks of it (ephemeral ports, TCP initial sequence numbers).
 */
uint32_t lwip_port_rand(void)
{
	static uint64_t state = 0x853c49e6748fea9bull;

	state = state * 6364136223846793005ull + 1442695040888963407ull + time_ns();
	return (uint32_t)(state >> 32);
}
