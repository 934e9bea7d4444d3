// SPDX-License-Identifier: MIT
/*
 * blkfront rings: setup and teardown, kicks, and responses. A response
 * is trusted only after its id names a request we have in flight;
 * anything else marks the device broken (-EPROTO). Requests are built in
 * request.c.
 */
#include <errno.h>
#include <string.h>
#include "blkfront.h"
#include "request.h"

static void queue_free(struct blkfront *bf, struct blkfront_queue *q)
{
	unsigned int i, n = 1U << bf->order;

	if (q->shadow) {
		for (i = 0; i < q->r.nr; i++) {
			struct blkfront_shadow *sh = &q->shadow[i];

			while (sh->nr_pp--) {
				xenv_ungrant(bf->env, sh->pp_ref[sh->nr_pp]);
				xenv_free_pages(bf->env, sh->pp[sh->nr_pp], 1);
			}
			if (sh->ind_pref)
				xenv_ungrant(bf->env, sh->ind_pref);
			xenv_free_pages(bf->env, sh->ind_page, 1);
		}
	}
	if (q->shadow)
		xenv_mem_release(bf->env, q->shadow,
				 q->r.nr * sizeof(*q->shadow));
	if (q->free_ids)
		xenv_mem_release(bf->env, q->free_ids,
				 q->r.nr * sizeof(*q->free_ids));
	if (q->port)
		xenv_evtchn_close(bf->env, q->port);
	if (q->area) {
		for (i = 0; i < n; i++)
			if (q->ring_ref[i])
				xenv_ungrant(bf->env, q->ring_ref[i]);
		xenv_free_pages(bf->env, q->area, n);
	}
	memset(q, 0, sizeof(*q));
}

static int queue_alloc(struct blkfront *bf, struct blkfront_queue *q)
{
	unsigned int i, n = 1U << bf->order;
	int rc;

	q->area = xenv_alloc_pages(bf->env, n);
	if (!q->area)
		return -ENOMEM;
	ring_front_init(&q->r, q->area, bf->order, BLKIF_SLOT_SIZE);
	for (i = 0; i < n; i++) {
		rc = xenv_grant(bf->env, bf->be,
				(uint8_t *)q->area + i * XENV_PAGE_SIZE, 0,
				&q->ring_ref[i]);
		if (rc)
			return rc;
	}
	rc = xenv_evtchn_alloc(bf->env, bf->be, &q->port);
	if (rc)
		return rc;
	q->shadow = xenv_mem_alloc(bf->env, q->r.nr * sizeof(*q->shadow));
	q->free_ids = xenv_mem_alloc(bf->env, q->r.nr * sizeof(*q->free_ids));
	if (!q->shadow || !q->free_ids)
		return -ENOMEM;
	for (i = 0; i < q->r.nr; i++)
		q->free_ids[i] = (uint16_t)(q->r.nr - 1 - i);
	q->nr_free = q->r.nr;
	return 0;
}

int blkfront_init(struct blkfront *bf, struct xenv *e, xenv_domid_t be,
		  unsigned int nr_queues, unsigned int order)
{
	unsigned int i;
	int rc;

	if (nr_queues == 0 || nr_queues > BLKFRONT_MAX_QUEUES ||
	    order > RING_MAX_PAGE_ORDER)
		return -EINVAL;
	memset(bf, 0, sizeof(*bf));
	bf->env = e;
	bf->be = be;
	bf->nr_queues = nr_queues;
	bf->order = order;
	for (i = 0; i < nr_queues; i++) {
		rc = queue_alloc(bf, &bf->q[i]);
		if (rc) {
			blkfront_fini(bf);
			return rc;
		}
	}
	return 0;
}

void blkfront_fini(struct blkfront *bf)
{
	unsigned int i;

	for (i = 0; i < bf->nr_queues; i++)
		queue_free(bf, &bf->q[i]);
	bf->connected = false;
}

int blkfront_start(struct blkfront *bf, const struct blkfront_info *info)
{
	if (info->sector_size < BLKIF_SECTOR_SIZE ||
	    info->sector_size % BLKIF_SECTOR_SIZE || info->sectors == 0)
		return -EINVAL;
	bf->info = *info;
	if (bf->info.max_indirect > BLKFRONT_MAX_SEGS)
		bf->info.max_indirect = BLKFRONT_MAX_SEGS;
	if (bf->info.max_indirect <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		bf->info.max_indirect = 0;
	bf->connected = true;
	return 0;
}

unsigned int blkfront_free_slots(const struct blkfront *bf, unsigned int qi)
{
	return bf->q[qi].nr_free;
}


void blkfront_kick(struct blkfront *bf, unsigned int qi)
{
	struct blkfront_queue *q = &bf->q[qi];

	if (ring_front_push(&q->r))
		xenv_evtchn_notify(bf->env, q->port);
}

static int poll_queue(struct blkfront *bf, struct blkfront_queue *q)
{
	struct blkif_response rsp;
	struct blkfront_io *io;
	int n, done = 0;

	for (;;) {
		n = ring_front_final_check(&q->r);
		if (n < 0)
			return -EPROTO;
		if (n == 0)
			return done;
		while (n-- > 0) {
			ring_copy_slot(&rsp,
				       ring_front_rsp(&q->r, q->r.rsp_cons),
				       sizeof(rsp));
			q->r.rsp_cons++;
			/* As Linux's blkfront: the id is ours, the operation
			 * the request's (an indirect one's indirect_op). */
			if (rsp.id >= q->r.nr || !q->shadow[rsp.id].busy ||
			    rsp.operation != q->shadow[rsp.id].op)
				return -EPROTO;
			io = q->shadow[rsp.id].io;
			blkfront_req_done(bf, q, (uint16_t)rsp.id,
					  rsp.status == BLKIF_RSP_OKAY);
			if (rsp.status != BLKIF_RSP_OKAY &&
			    io->status == BLKIF_RSP_OKAY)
				io->status = rsp.status == BLKIF_RSP_EOPNOTSUPP
						 ? BLKIF_RSP_EOPNOTSUPP
						 : BLKIF_RSP_ERROR;
			done++;
			if (--io->pending == 0 && io->done)
				io->done(io);
		}
	}
}

int blkfront_poll(struct blkfront *bf)
{
	unsigned int i;
	int rc, total = 0;

	if (bf->broken)
		return -EPROTO;
	for (i = 0; i < bf->nr_queues; i++) {
		rc = poll_queue(bf, &bf->q[i]);
		if (rc < 0) {
			bf->broken = true;
			return rc;
		}
		total += rc;
	}
	return total;
}

int blkfront_io_sync(struct blkfront *bf, unsigned int qi, uint8_t op,
		     uint64_t sector, void *buf, uint64_t len)
{
	struct blkfront_io io = {0};
	int rc, waited = 0;

	rc = blkfront_submit(bf, qi, op, sector, buf, len, &io);
	if (rc)
		return rc;
	blkfront_kick(bf, qi);
	while (io.pending) {
		rc = blkfront_poll(bf);
		if (rc < 0)
			return rc;
		if (!io.pending)
			break;
		if (waited >= 100) {
			/* The io on our stack stays referenced by shadows. */
			bf->broken = true;
			return -ETIMEDOUT;
		}
		if (blkfront_wait(bf, 100) == 0)
			waited++;
	}
	if (io.status == BLKIF_RSP_OKAY)
		return 0;
	return io.status == BLKIF_RSP_EOPNOTSUPP ? -EOPNOTSUPP : -EIO;
}

int blkfront_wait(struct blkfront *bf, int timeout_ms)
{
	unsigned int i, spin;

	/*
	 * Poll a little before sleeping: a wakeup from another CPU costs
	 * tens of microseconds on a virtual machine, more than the back end
	 * takes to answer a queue of requests. Each round yields the CPU, so
	 * a back end sharing it runs instead of waiting for our time slice.
	 */
	for (spin = 0;; spin++) {
		for (i = 0; i < bf->nr_queues; i++)
			if (RING_READ_ONCE(bf->q[i].r.sh->rsp_prod) !=
			    bf->q[i].r.rsp_cons)
				return 1;
		if (spin == BLKFRONT_POLL_YIELDS)
			return xenv_evtchn_wait(bf->env, timeout_ms);
		xenv_yield(bf->env);
	}
}
