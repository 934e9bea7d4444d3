// SPDX-License-Identifier: MIT
/*
 * netfront: frames are copied into granted tx pages, one slot per page
 * (the first slot's size is the whole frame, NETTXF_more_data chains the
 * rest); received frames arrive in posted rx pages, chained by
 * NETRXF_more_data. Ids in responses must name buffers we handed out.
 */
#include <errno.h>
#include <string.h>
#include "netfront.h"

void netfront_fini(struct netfront *nf)
{
	unsigned int i;

	if (nf->port)
		xenv_evtchn_close(nf->env, nf->port);
	for (i = 0; i < NF_BUFS; i++) {
		if (nf->tx_gref[i])
			xenv_ungrant(nf->env, nf->tx_gref[i]);
		if (nf->rx_gref[i])
			xenv_ungrant(nf->env, nf->rx_gref[i]);
	}
	if (nf->tx_ring_ref)
		xenv_ungrant(nf->env, nf->tx_ring_ref);
	if (nf->rx_ring_ref)
		xenv_ungrant(nf->env, nf->rx_ring_ref);
	xenv_free_pages(nf->env, nf->tx_pages, NF_BUFS);
	xenv_free_pages(nf->env, nf->rx_pages, NF_BUFS);
	xenv_free_pages(nf->env, nf->tx_area, 1);
	xenv_free_pages(nf->env, nf->rx_area, 1);
	memset(nf, 0, sizeof(*nf));
}

static int grant_bufs(struct netfront *nf)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < NF_BUFS && !rc; i++) {
		rc = xenv_grant_ro(nf->env, nf->be,
				   nf->tx_pages + (size_t)i * XENV_PAGE_SIZE,
				   &nf->tx_gref[i]);
		if (!rc)
			rc = xenv_grant(nf->env, nf->be,
					nf->rx_pages +
					    (size_t)i * XENV_PAGE_SIZE,
					0, &nf->rx_gref[i]);
		nf->tx_free[i] = (uint16_t)(NF_BUFS - 1 - i);
	}
	nf->nr_tx_free = NF_BUFS;
	return rc;
}

int netfront_init(struct netfront *nf, struct xenv *e, xenv_domid_t be)
{
	int rc;

	memset(nf, 0, sizeof(*nf));
	nf->env = e;
	nf->be = be;
	nf->tx_area = xenv_alloc_pages(e, 1);
	nf->rx_area = xenv_alloc_pages(e, 1);
	nf->tx_pages = xenv_alloc_pages(e, NF_BUFS);
	nf->rx_pages = xenv_alloc_pages(e, NF_BUFS);
	if (!nf->tx_area || !nf->rx_area || !nf->tx_pages || !nf->rx_pages) {
		rc = -ENOMEM;
		goto err;
	}
	ring_front_init(&nf->tx, nf->tx_area, 0, NETIF_TX_SLOT_SIZE);
	ring_front_init(&nf->rx, nf->rx_area, 0, NETIF_RX_SLOT_SIZE);
	rc = xenv_grant(e, be, nf->tx_area, 0, &nf->tx_ring_ref);
	if (!rc)
		rc = xenv_grant(e, be, nf->rx_area, 0, &nf->rx_ring_ref);
	if (!rc)
		rc = xenv_evtchn_alloc(e, be, &nf->port);
	if (!rc)
		rc = grant_bufs(nf);
	if (rc)
		goto err;
	netfront_post_rx(nf);
	return 0;
err:
	netfront_fini(nf);
	return rc;
}

void netfront_post_rx(struct netfront *nf)
{
	struct netif_rx_request *req;
	unsigned int i;

	for (i = 0; i < NF_BUFS && ring_front_free(&nf->rx); i++) {
		if (nf->rx_posted[i])
			continue;
		req = ring_front_next_req(&nf->rx);
		req->id = (uint16_t)i;
		req->reserved = 0;
		req->gref = nf->rx_gref[i];
		nf->rx_posted[i] = true;
	}
	if (ring_front_push(&nf->rx))
		xenv_evtchn_notify(nf->env, nf->port);
}

int netfront_send(struct netfront *nf, const void *frame, size_t len,
		  unsigned int flags)
{
	unsigned int slots = (unsigned int)((len + XENV_PAGE_SIZE - 1) /
					    XENV_PAGE_SIZE),
		     i;
	const uint8_t *p = frame;
	struct netif_tx_request *req;
	size_t chunk;
	uint16_t id;

	if (nf->broken)
		return -EPROTO;
	if (len < 14 || len > NF_MAX_FRAME)
		return -EINVAL;
	if (slots > nf->nr_tx_free || slots > ring_front_free(&nf->tx))
		return -EAGAIN;
	for (i = 0; i < slots; i++, p += chunk, len -= chunk) {
		chunk = len < XENV_PAGE_SIZE ? len : XENV_PAGE_SIZE;
		id = nf->tx_free[--nf->nr_tx_free];
		nf->tx_busy[id] = true;
		memcpy(nf->tx_pages + (size_t)id * XENV_PAGE_SIZE, p, chunk);
		req = ring_front_next_req(&nf->tx);
		req->gref = nf->tx_gref[id];
		req->offset = 0;
		req->id = id;
		/* First slot: total size; the rest: their own size. */
		req->size = (uint16_t)(i == 0 ? len : chunk);
		req->flags = (uint16_t)((i == 0 ? flags : 0) |
					(i + 1 < slots ? NETTXF_more_data : 0));
	}
	if (ring_front_push(&nf->tx))
		xenv_evtchn_notify(nf->env, nf->port);
	return 0;
}

int netfront_reap_tx(struct netfront *nf)
{
	struct netif_tx_response rsp;
	int n, done = 0;

	for (;;) {
		n = ring_front_final_check(&nf->tx);
		if (n < 0)
			goto broken;
		if (n == 0)
			return done;
		while (n-- > 0) {
			/* One read of the shared slot into our copy. */
			rsp = *(const volatile struct netif_tx_response *)
				  ring_front_rsp(&nf->tx, nf->tx.rsp_cons);
			nf->tx.rsp_cons++;
			if (rsp.status == NETIF_RSP_NULL)
				continue;
			if (rsp.id >= NF_BUFS || !nf->tx_busy[rsp.id])
				goto broken;
			nf->tx_busy[rsp.id] = false;
			nf->tx_free[nf->nr_tx_free++] = rsp.id;
			nf->tx_errors += rsp.status != NETIF_RSP_OKAY;
			done++;
		}
	}
broken:
	nf->broken = true;
	return -EPROTO;
}

/*
 * Copy the chain at rsp_cons into @rs (each slot read once) and check
 * it. Returns the frame length, 0 if the chain is not complete yet,
 * -EPROTO for a response that names no posted buffer or runs past its
 * page, -EIO for a chain the back end flagged as failed.
 */
static int rx_chain(struct netfront *nf, int avail,
		    struct netif_rx_response *rs, unsigned int *slots)
{
	int i, total = 0, bad = 0;

	for (i = 0; i < avail && i < (int)XEN_NETIF_NR_SLOTS_MIN; i++) {
		struct netif_rx_response *r = &rs[i];

		*r = *(const volatile struct netif_rx_response *)ring_front_rsp(
		    &nf->rx, nf->rx.rsp_cons + i);
		if (r->id >= NF_BUFS || !nf->rx_posted[r->id] ||
		    (r->status > 0 &&
		     r->offset + r->status > (int)XENV_PAGE_SIZE))
			return -EPROTO;
		if (r->flags & NETRXF_extra_info)
			return -EPROTO; /* we negotiated no GSO or hash */
		if (r->status > 0)
			total += r->status;
		else
			bad = 1;
		if (!(r->flags & NETRXF_more_data)) {
			*slots = (unsigned int)i + 1;
			return bad ? -EIO : total;
		}
	}
	return i == (int)XEN_NETIF_NR_SLOTS_MIN ? -EPROTO : 0;
}

int netfront_recv(struct netfront *nf, void *buf, size_t cap)
{
	struct netif_rx_response rs[XEN_NETIF_NR_SLOTS_MIN];
	unsigned int slots = 0, i;
	size_t got = 0;
	int n, len;

	if (nf->broken)
		return -EPROTO;
	n = ring_front_final_check(&nf->rx);
	if (n < 0)
		goto broken;
	len = n ? rx_chain(nf, n, rs, &slots) : 0;
	if (len == -EPROTO)
		goto broken;
	if (len == 0)
		return 0;
	for (i = 0; i < slots; i++) {
		if (len > 0 && got + (size_t)rs[i].status <= cap)
			memcpy((uint8_t *)buf + got,
			       nf->rx_pages +
				   (size_t)rs[i].id * XENV_PAGE_SIZE +
				   rs[i].offset,
			       (size_t)rs[i].status);
		if (len > 0)
			got += (size_t)rs[i].status;
		nf->rx_posted[rs[i].id] = false;
	}
	nf->rx.rsp_cons += slots;
	netfront_post_rx(nf);
	if (len < 0)
		return len;
	return got > cap ? -EMSGSIZE : (int)got;
broken:
	nf->broken = true;
	return -EPROTO;
}
