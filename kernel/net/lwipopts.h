/* SPDX-License-Identifier: MIT */
/*
 * lwIP configuration for skiff: no threads (NO_SYS), IPv4 with UDP, TCP and ICMP, the loopback
 * netif, memory from newlib's heap. Anything not set here keeps lwIP's default (lwip/opt.h).
 */
#ifndef SKIFF_KERNEL_NET_LWIPOPTS_H
#define SKIFF_KERNEL_NET_LWIPOPTS_H

/* Threading: skiff has no scheduler; lwIP runs from the main loop and is never entered from an
 * interrupt handler, so it needs neither an OS port nor critical sections. */
#define NO_SYS		     1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET	     0 /* needs threads */
#define LWIP_NETCONN	     0 /* needs threads */

/* Memory: malloc()/free() from newlib for the heap and for every pool, rather than lwIP's own
 * statically sized arrays that would sit in .data/.bss and bloat the EFI image. */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT	8 /* x86-64: keeps u64_t and pointers in pbufs naturally aligned */

/* Protocols. */
#define LWIP_IPV4     1
#define LWIP_IPV6     0 /* not needed yet; adds core/ipv6/ and nd6 timers */
#define LWIP_UDP      1
#define LWIP_TCP      1 /* later issues build on it */
#define LWIP_ICMP     1 /* echo replies and port-unreachable: cheap and handy for debugging */
#define LWIP_RAW      0
#define LWIP_ARP      1 /* Ethernet NICs come later; etharp.c and ethernet.c are small */
#define LWIP_ETHERNET 1
#define LWIP_DHCP     0 /* static addresses for now */
#define LWIP_AUTOIP   0
#define LWIP_IGMP     0
#define LWIP_DNS      0

/* TCP sized for a fast virtual link; the buffers are only allocated per connection. */
#define TCP_MSS	    1460
#define TCP_WND	    (8 * TCP_MSS)
#define TCP_SND_BUF (8 * TCP_MSS)

/* Loopback: lwip_init() adds "lo0" at 127.0.0.1, and packets sent to a local address are queued
 * on the netif until netif_poll_all() delivers them (there is no thread to do it). */
#define LWIP_HAVE_LOOPIF	1
#define LWIP_NETIF_LOOPBACK	1
#define LWIP_LOOPBACK_MAX_PBUFS 64 /* bound the queue if nobody polls */

/* Checksums: generated and checked in software on every protocol; no NIC offload is used yet,
 * and on loopback this exercises the checksum code. Integer-only, so fine without SSE. */
#define CHECKSUM_GEN_IP	    1
#define CHECKSUM_GEN_UDP    1
#define CHECKSUM_GEN_TCP    1
#define CHECKSUM_GEN_ICMP   1
#define CHECKSUM_CHECK_IP   1
#define CHECKSUM_CHECK_UDP  1
#define CHECKSUM_CHECK_TCP  1
#define CHECKSUM_CHECK_ICMP 1

/* Statistics: counters cost .bss and code; skiff's checks look at behaviour instead. */
#define LWIP_STATS 0

#endif
