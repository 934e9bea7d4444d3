/* SPDX-License-Identifier: MIT */
/*
 * User-space net back end: one struct netback_vif per vif, bridging the
 * front end's tx/rx rings to a tap device. tx: slots are mapped read-only,
 * gathered into one frame, checksummed if the front end left that to us
 * (NETTXF_csum_blank, IPv4 TCP/UDP; IPv6 is refused since we do not offer
 * feature-ipv6-csum-offload) and written to the tap. rx: frames read from
 * the tap are copied into the buffers the front end posted.
 */
#ifndef NETBACK_H
#define NETBACK_H

#include <stdbool.h>
#include <hvabi/io/netif.h>
#include "../../frontend/env/xenv.h"

#define NETBACK_FRAME_MAX 65536U
/* Packets per direction per netback_service() call. */
#define NETBACK_BUDGET 256

struct netback_vif {
	struct xenv *env;
	xenv_domid_t fe;
	int tap;
	char ifname[16];
	struct ring_back tx, rx;
	void *tx_area, *rx_area;
	evtchn_port_t port;
	bool connected, broken;
	bool more; /* budget ran out: service again soon */
	/* A frame read from the tap waiting for rx buffers. */
	uint8_t rx_pkt[NETBACK_FRAME_MAX];
	size_t rx_len;
	uint8_t tx_pkt[NETBACK_FRAME_MAX];
	uint64_t tx_pkts, tx_errs, rx_pkts, rx_drops;
};

/*
 * Create (or attach to) tap @ifname and bring it up with the largest
 * MTU (65521: 64 KiB frames).
 * Errors: -errno from /dev/net/tun and the interface ioctls.
 */
int netback_tap_open(struct netback_vif *v, const char *ifname);
/* Map both rings and bind the front end's port. -EINVAL / map errors. */
int netback_connect(struct netback_vif *v, struct xenv *e, xenv_domid_t fe,
		    grant_ref_t tx_ref, grant_ref_t rx_ref, evtchn_port_t port);
void netback_disconnect(struct netback_vif *v);
/*
 * Move traffic both ways until neither side has more for now, or the
 * budget is spent (then v->more is set: call again before sleeping). Returns
 * frames moved, or -EPROTO if the front end broke the protocol (the vif is
 * then disconnected).
 */
int netback_service(struct netback_vif *v);
/* Software checksum for a csum_blank frame; 0, or -EINVAL if refused. */
int netback_csum_fill(uint8_t *frame, size_t len);

#endif
