// SPDX-License-Identifier: MIT
/* Self-checks of the lwIP stack that need no NIC: a UDP datagram through the loopback netif. */
#include "kernel/net/net.h"

#include <stdint.h>
#include <string.h>

#include "kernel/check.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"

#define UDP_CHECK   "lwip.udp_loopback"
#define UDP_TX_PORT 40001
#define UDP_RX_PORT 40002
#define UDP_LEN	    64
/* Each netif_poll_all() delivers everything queued, so one poll should do; the rest would show
 * a duplicate or a late datagram. */
#define UDP_POLLS 8

/* What the receive callback saw: the first datagram in full, and how many arrived. */
struct udp_rx {
	unsigned int count;
	u16_t len; /* total length of the first datagram */
	u8_t data[2 * UDP_LEN];
	ip_addr_t src;
	u16_t src_port;
};

static void udp_rx_cb(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		      u16_t port)
{
	struct udp_rx *rx = arg;

	(void)pcb;
	if (rx->count++ == 0) {
		rx->len = p->tot_len;
		pbuf_copy_partial(p, rx->data, sizeof(rx->data), 0);
		ip_addr_copy(rx->src, *addr);
		rx->src_port = port;
	}
	pbuf_free(p);
}

static u8_t udp_pattern(unsigned int i)
{
	return (u8_t)(i * 37u + 0x5a); /* every byte differs from its neighbours; no 0x00 runs */
}

/* udp_verdict - report the check from what arrived; the first problem found is the reason. */
static bool udp_verdict(const struct udp_rx *rx, const ip_addr_t *lo)
{
	unsigned int i;

	if (rx->count == 0)
		return check(false, UDP_CHECK, "nothing received after %d polls", UDP_POLLS);
	if (rx->count != 1)
		return check(false, UDP_CHECK, "%u datagrams received, expected 1", rx->count);
	if (rx->len != UDP_LEN)
		return check(false, UDP_CHECK, "wrong length %u, expected %d", rx->len, UDP_LEN);
	for (i = 0; i < UDP_LEN; i++) {
		if (rx->data[i] != udp_pattern(i))
			return check(false, UDP_CHECK,
				     "mismatch at byte %u: 0x%02x, expected 0x%02x", i, rx->data[i],
				     udp_pattern(i));
	}
	if (rx->src_port != UDP_TX_PORT)
		return check(false, UDP_CHECK, "source port %u, expected %u", rx->src_port,
			     UDP_TX_PORT);
	if (!ip_addr_cmp(&rx->src, lo))
		return check(false, UDP_CHECK, "source address %s, expected 127.0.0.1",
			     ipaddr_ntoa(&rx->src));
	return check(true, UDP_CHECK, "ok");
}

bool net_selftest_udp_loopback(void)
{
	ip_addr_t lo = IPADDR4_INIT_BYTES(127, 0, 0, 1);
	struct udp_pcb *rx_pcb = NULL, *tx_pcb = NULL;
	struct udp_rx rx;
	struct pbuf *p;
	unsigned int i;
	bool ok;
	err_t err;
	int ret;

	memset(&rx, 0, sizeof(rx));
	ret = net_init();
	if (ret < 0)
		return check(false, UDP_CHECK, "net_init failed: %d", ret);

	rx_pcb = udp_new();
	tx_pcb = udp_new();
	if (!rx_pcb || !tx_pcb) {
		ok = check(false, UDP_CHECK, "udp_new failed (out of memory)");
		goto out;
	}
	err = udp_bind(rx_pcb, &lo, UDP_RX_PORT);
	if (err == ERR_OK)
		err = udp_bind(tx_pcb, &lo, UDP_TX_PORT);
	if (err != ERR_OK) {
		ok = check(false, UDP_CHECK, "bind failed: lwIP error %d", err);
		goto out;
	}
	udp_recv(rx_pcb, udp_rx_cb, &rx);

	p = pbuf_alloc(PBUF_TRANSPORT, UDP_LEN, PBUF_RAM);
	if (!p) {
		ok = check(false, UDP_CHECK, "pbuf alloc failed");
		goto out;
	}
	for (i = 0; i < UDP_LEN; i++)
		((u8_t *)p->payload)[i] = udp_pattern(i); /* PBUF_RAM: one contiguous buffer */
	err = udp_sendto(tx_pcb, p, &lo, UDP_RX_PORT);
	pbuf_free(p); /* udp_sendto() never takes the caller's reference */
	if (err != ERR_OK) {
		ok = check(false, UDP_CHECK, "udp_sendto failed: lwIP error %d", err);
		goto out;
	}

	/* NO_SYS: loopback delivery happens only when polled; timers run in the same loop. */
	for (i = 0; i < UDP_POLLS; i++) {
		netif_poll_all();
		sys_check_timeouts();
	}
	ok = udp_verdict(&rx, &lo);
out:
	if (tx_pcb)
		udp_remove(tx_pcb);
	if (rx_pcb)
		udp_remove(rx_pcb);
	return ok;
}
