// SPDX-License-Identifier: MIT
/*
 * netback: tx (front end -> tap) and rx (tap -> front end) over the netif
 * rings. Each tx packet is a chain of at most XEN_NETIF_NR_SLOTS_MIN
 * slots; every slot is copied once and checked (offset + size within the
 * page, sizes adding up to the first slot's total) before any grant is
 * mapped. A bad packet is answered NETIF_RSP_ERROR slot by slot and
 * dropped; a broken ring disconnects the vif.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "netback.h"

int netback_tap_open(struct netback_vif *v, const char *ifname)
{
	struct ifreq ifr;
	int s, rc = 0;

	v->tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (v->tap < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(v->tap, TUNSETIFF, &ifr))
		return -errno;
	snprintf(v->ifname, sizeof(v->ifname), "%s", ifr.ifr_name);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	ifr.ifr_mtu = 65535 - 14; /* tap maximum: 64 KiB frames */
	if (ioctl(s, SIOCSIFMTU, &ifr))
		rc = -errno;
	ifr.ifr_flags = IFF_UP;
	if (!rc && ioctl(s, SIOCSIFFLAGS, &ifr))
		rc = -errno;
	close(s);
	return rc;
}

int netback_connect(struct netback_vif *v, struct xenv *e, xenv_domid_t fe,
		    grant_ref_t tx_ref, grant_ref_t rx_ref, evtchn_port_t port)
{
	int rc;

	if (v->connected)
		return -EINVAL;
	v->env = e;
	v->fe = fe;
	rc = xenv_map(e, fe, &tx_ref, 1, XENV_MAP_RW, &v->tx_area);
	if (rc)
		return rc;
	rc = xenv_map(e, fe, &rx_ref, 1, XENV_MAP_RW, &v->rx_area);
	if (rc)
		goto err_tx;
	rc = xenv_evtchn_bind(e, fe, port, &v->port);
	if (rc)
		goto err_rx;
	ring_back_init(&v->tx, v->tx_area, 0, NETIF_TX_SLOT_SIZE);
	ring_back_init(&v->rx, v->rx_area, 0, NETIF_RX_SLOT_SIZE);
	v->rx_len = 0;
	v->connected = true;
	return 0;
err_rx:
	xenv_unmap(e, v->rx_area, 1);
err_tx:
	xenv_unmap(e, v->tx_area, 1);
	return rc;
}

void netback_disconnect(struct netback_vif *v)
{
	if (!v->connected)
		return;
	xenv_evtchn_close(v->env, v->port);
	xenv_unmap(v->env, v->tx_area, 1);
	xenv_unmap(v->env, v->rx_area, 1);
	v->connected = false;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

int netback_csum_fill(uint8_t *f, size_t len)
{
	size_t ihl, l4len, off;
	uint32_t sum;
	uint8_t pseudo[4];

	if (len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00)
		return -EINVAL; /* IPv4 only: no ipv6-csum-offload */
	ihl = (size_t)(f[14] & 0xf) * 4;
	if (ihl < 20 || 14 + ihl > len)
		return -EINVAL;
	l4len = len - 14 - ihl;
	if (f[23] == 6)
		off = 16; /* TCP */
	else if (f[23] == 17)
		off = 6; /* UDP */
	else
		return -EINVAL;
	if (l4len < off + 2)
		return -EINVAL;
	f[14 + ihl + off] = f[14 + ihl + off + 1] = 0;
	sum = csum_add(0, f + 26, 8); /* source and destination */
	pseudo[0] = 0;
	pseudo[1] = f[23];
	pseudo[2] = (uint8_t)(l4len >> 8);
	pseudo[3] = (uint8_t)l4len;
	sum = csum_add(sum, pseudo, 4);
	sum = csum_add(sum, f + 14 + ihl, l4len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	if (f[23] == 17 && sum == 0)
		sum = 0xffff;
	f[14 + ihl + off] = (uint8_t)(sum >> 8);
	f[14 + ihl + off + 1] = (uint8_t)sum;
	return 0;
}

static void tx_respond(struct netback_vif *v, uint16_t id, int16_t status)
{
	struct netif_tx_response *r = ring_back_next_rsp(&v->tx);

	r->id = id;
	r->status = status;
}

/*
 * Copy the slots of the packet at req_cons into @s. Returns the slot
 * count, 0 if the chain is not all there yet, -EPROTO if it is longer
 * than a packet may be.
 */
static int tx_gather(struct netback_vif *v, int avail, union netif_tx_slot *s)
{
	int i;
	bool more = true, extra = false;

	for (i = 0; i < avail && (more || extra); i++) {
		if (i == (int)XEN_NETIF_NR_SLOTS_MIN)
			return -EPROTO;
		/* 12-byte slot, read once into our copy. */
		s[i] = *(const volatile union netif_tx_slot *)ring_back_req(
		    &v->tx, v->tx.req_cons + (ring_idx_t)i);
		if (extra) {
			extra = s[i].extra.flags & XEN_NETIF_EXTRA_FLAG_MORE;
			continue;
		}
		more = s[i].req.flags & NETTXF_more_data;
		extra = i == 0 && (s[i].req.flags & NETTXF_extra_info);
	}
	return more || extra ? 0 : i;
}

/* Check and copy the packet's data; its length or -EINVAL. */
static int tx_build(struct netback_vif *v, union netif_tx_slot *s, int n)
{
	size_t total = s[0].req.size, got = 0, frag;
	int i;
	void *va;

	if (total < 14 || total > XEN_NETIF_MAX_TX_SIZE)
		return -EINVAL;
	/* We offer no GSO, multicast control or hashing: no extras. */
	if (s[0].req.flags & NETTXF_extra_info)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct netif_tx_request *r = &s[i].req;

		frag = i == 0 ? 0 : r->size;
		if (i == 0) {
			/* First fragment: total minus the rest. */
			size_t rest = 0;
			int j;

			for (j = 1; j < n; j++)
				rest += s[j].req.size;
			if (rest >= total)
				return -EINVAL;
			frag = total - rest;
		}
		if (r->offset + frag > XENV_PAGE_SIZE || got + frag > total)
			return -EINVAL;
		if (xenv_map(v->env, v->fe, &r->gref, 1, XENV_MAP_RO, &va))
			return -EINVAL;
		memcpy(v->tx_pkt + got, (uint8_t *)va + r->offset, frag);
		xenv_unmap(v->env, va, 1);
		got += frag;
	}
	if ((s[0].req.flags & NETTXF_csum_blank) &&
	    netback_csum_fill(v->tx_pkt, total))
		return -EINVAL;
	return (int)total;
}

static int service_tx(struct netback_vif *v)
{
	union netif_tx_slot s[XEN_NETIF_NR_SLOTS_MIN];
	int avail, n, len, i, done = 0;
	bool extra;

	v->more = false;
	for (;;) {
		if (done >= NETBACK_BUDGET) {
			/* Let other vifs run; we come back at once. */
			v->more = true;
			return done;
		}
		avail = ring_back_final_check(&v->tx);
		if (avail < 0)
			return -EPROTO;
		n = avail ? tx_gather(v, avail, s) : 0;
		if (n < 0)
			return n;
		if (n == 0)
			return done;
		len = tx_build(v, s, n);
		if (len > 0 && write(v->tap, v->tx_pkt, (size_t)len) != len)
			len = -EIO;
		v->tx.req_cons += (ring_idx_t)n;
		for (i = 0, extra = false; i < n; i++) {
			/* Extra-info slots get a NULL response. */
			extra = i == 1 && (s[0].req.flags & NETTXF_extra_info);
			tx_respond(v, extra ? 0 : s[i].req.id,
				   extra     ? NETIF_RSP_NULL
				   : len > 0 ? NETIF_RSP_OKAY
					     : NETIF_RSP_ERROR);
		}
		if (len > 0)
			v->tx_pkts++;
		else
			v->tx_errs++;
		done++;
		if (ring_back_push(&v->tx))
			xenv_evtchn_notify(v->env, v->port);
	}
}

/* Copy the pending frame into posted buffers; 1 done, 0 no room. */
static int rx_deliver(struct netback_vif *v, int avail)
{
	unsigned int slots = (unsigned int)((v->rx_len + XENV_PAGE_SIZE - 1) /
					    XENV_PAGE_SIZE),
		     i;
	struct netif_rx_request req;
	struct netif_rx_response *rsp;
	size_t off = 0, chunk;
	void *va;
	int16_t st;

	if ((unsigned int)avail < slots)
		return 0;
	for (i = 0; i < slots; i++, off += chunk) {
		chunk = v->rx_len - off < XENV_PAGE_SIZE ? v->rx_len - off
							 : XENV_PAGE_SIZE;
		req = *(const volatile struct netif_rx_request *)ring_back_req(
		    &v->rx, v->rx.req_cons++);
		st = (int16_t)chunk;
		if (xenv_map(v->env, v->fe, &req.gref, 1, XENV_MAP_RW, &va)) {
			st = NETIF_RSP_ERROR;
		} else {
			memcpy(va, v->rx_pkt + off, chunk);
			xenv_unmap(v->env, va, 1);
		}
		rsp = ring_back_next_rsp(&v->rx);
		rsp->id = req.id;
		rsp->offset = 0;
		rsp->flags = i + 1 < slots ? NETRXF_more_data : 0;
		rsp->status = st;
	}
	v->rx_pkts++;
	v->rx_len = 0;
	if (ring_back_push(&v->rx))
		xenv_evtchn_notify(v->env, v->port);
	return 1;
}

static int service_rx(struct netback_vif *v)
{
	int avail, done = 0;
	ssize_t n;

	for (;;) {
		if (done >= NETBACK_BUDGET) {
			v->more = true;
			return done;
		}
		if (!v->rx_len) {
			n = read(v->tap, v->rx_pkt, sizeof(v->rx_pkt));
			if (n <= 0)
				return done;
			v->rx_len = (size_t)n;
		}
		avail = ring_back_final_check(&v->rx);
		if (avail < 0)
			return -EPROTO;
		if (!rx_deliver(v, avail))
			return done; /* wait for the front end to post */
		done++;
	}
}

int netback_service(struct netback_vif *v)
{
	int t, r;

	if (!v->connected)
		return 0;
	t = service_tx(v);
	r = t < 0 ? 0 : service_rx(v);
	if (t < 0 || r < 0) {
		v->broken = true;
		netback_disconnect(v);
		return -EPROTO;
	}
	return t + r;
}
