/* SPDX-License-Identifier: MIT */
/* Networking: lwIP (NO_SYS) bring-up and its self-checks. */
#ifndef SKIFF_KERNEL_NET_NET_H
#define SKIFF_KERNEL_NET_NET_H

#include <stdbool.h>

/*
 * net_init - initialise lwIP once: its memory, timers and the loopback netif lo0 (127.0.0.1).
 * Needs the heap (malloc) and time_ns(); logs one line naming the lwIP version.
 * Later calls do nothing and return 0.
 * Returns 0, -ENODEV if lwIP created no loopback netif, or -ENETDOWN if it is not up.
 */
int net_init(void);

/*
 * net_selftest_udp_loopback - send one 64-byte UDP datagram from 127.0.0.1:<port A> to
 * 127.0.0.1:<port B> and receive it through the loopback netif, polling a bounded number of times.
 * Calls net_init() if it has not run. Reports the check "lwip.udp_loopback": PASS only when
 * exactly one datagram arrived with the same length and bytes from the sender's address and port;
 * otherwise FAIL with the first thing that went wrong. Frees every pcb and pbuf it used.
 * Returns the check's result (true on PASS).
 */
bool net_selftest_udp_loopback(void);

#endif
