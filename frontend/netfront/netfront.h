/* SPDX-License-Identifier: MIT */
/*
 * netfront: our network front end library. One tx and one rx ring (one
 * page each), one event channel, 256 persistently granted tx pages (read
 * only for the back end) and 256 rx pages (writable) posted on the rx
 * ring for the copy-based receive path. Responses from the back end are
 * checked before use.
 */
#ifndef NETFRONT_H
#define NETFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <hvabi/io/netif.h>
#include "../env/xenv.h"

#define NF_BUFS 256U
#define NF_MAX_FRAME XEN_NETIF_MAX_TX_SIZE

struct netfront {
	struct xenv *env;
	xenv_domid_t be;
	struct ring_front tx, rx;
	void *tx_area, *rx_area;
	grant_ref_t tx_ring_ref, rx_ring_ref;
	evtchn_port_t port;
	uint8_t *tx_pages, *rx_pages;
	grant_ref_t tx_gref[NF_BUFS], rx_gref[NF_BUFS];
	bool tx_busy[NF_BUFS], rx_posted[NF_BUFS];
	uint16_t tx_free[NF_BUFS];
	unsigned int nr_tx_free;
	uint64_t tx_errors;
	bool broken;
};

/* Rings, buffers, grants and the unbound event channel. -errno. */
int netfront_init(struct netfront *nf, struct xenv *e, xenv_domid_t be);
void netfront_fini(struct netfront *nf);
/* Post every free rx buffer on the rx ring (done by init too). */
void netfront_post_rx(struct netfront *nf);
/*
 * Queue one frame of @len (14..65535) bytes; @flags may hold
 * NETTXF_csum_blank / NETTXF_data_validated. Errors: -EINVAL bad length,
 * -EAGAIN no room now (reap tx and retry), -EPROTO back end broken.
 */
int netfront_send(struct netfront *nf, const void *frame, size_t len,
		  unsigned int flags);
/* Collect tx completions; count, or -EPROTO. */
int netfront_reap_tx(struct netfront *nf);
/*
 * Take one received frame into @buf (@cap bytes). Returns its length, 0
 * if none is complete yet, -EMSGSIZE if it did not fit (dropped), -EPROTO
 * if the back end broke the protocol.
 */
int netfront_recv(struct netfront *nf, void *buf, size_t cap);

#endif
