// SPDX-License-Identifier: MIT
/*
 * blkfront rings and I/O: ring setup, request building (direct segments,
 * indirect descriptor pages, discard, flush) and response handling. A
 * response is trusted only after its id names a request we have in
 * flight; anything else marks the device broken (-EPROTO).
 *
 * With persistent grants (feature-persistent) data goes through bounce
 * pages that each ring slot grants once and keeps (the back end maps
 * them once): writes are copied in before the request, reads out after
 * the response. Without, the caller's pages are granted per request.
 */
#include <errno.h>
#include <string.h>
#include "blkfront.h"

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

static void release_shadow(struct blkfront *bf, struct blkfront_queue *q,
			   uint16_t id)
{
	struct blkfront_shadow *sh = &q->shadow[id];
	unsigned int i;

	for (i = 0; i < sh->ngrefs; i++)
		xenv_ungrant(bf->env, sh->gref[i]);
	for (i = 0; i < sh->nind; i++)
		xenv_ungrant(bf->env, sh->ind_ref[i]);
	sh->ngrefs = 0;
	sh->nind = 0;
	sh->read_buf = NULL;
	sh->busy = false;
	sh->io = NULL;
	q->free_ids[q->nr_free++] = id;
}

/* Grant the pages of [buf, buf+len) into @segs; @ro for writes. */
/* Bounce page @n of slot @sh, granted (writable) the first time. */
static int persistent_page(struct blkfront *bf, struct blkfront_shadow *sh,
			   unsigned int n)
{
	int rc;

	if (n < sh->nr_pp)
		return 0;
	sh->pp[n] = xenv_alloc_pages(bf->env, 1);
	if (!sh->pp[n])
		return -ENOMEM;
	rc = xenv_grant(bf->env, bf->be, sh->pp[n], 0, &sh->pp_ref[n]);
	if (rc) {
		xenv_free_pages(bf->env, sh->pp[n], 1);
		return rc;
	}
	sh->nr_pp = n + 1;
	return 0;
}

/*
 * Segment @n covering [pos, stop) of page @page: the caller's page
 * granted for this request, or (persistent) the slot's bounce page, which
 * a write fills now.
 */
static int grant_seg(struct blkfront *bf, struct blkfront_shadow *sh,
		     unsigned int n, uintptr_t page, uintptr_t pos,
		     uintptr_t stop, bool ro, grant_ref_t *ref)
{
	int rc;

	if (bf->info.persistent) {
		rc = persistent_page(bf, sh, n);
		if (rc)
			return rc;
		if (ro)
			memcpy((uint8_t *)sh->pp[n] + (pos - page),
			       (const void *)pos, stop - pos);
		*ref = sh->pp_ref[n];
		return 0;
	}
	rc = ro ? xenv_grant_ro(bf->env, bf->be, (void *)page, &sh->gref[n])
		: xenv_grant(bf->env, bf->be, (void *)page, 0, &sh->gref[n]);
	if (!rc)
		sh->ngrefs = n + 1;
	*ref = sh->gref[n];
	return rc;
}

/* A persistent read's data, from the bounce pages to the caller. */
static void copy_back(struct blkfront_shadow *sh)
{
	uintptr_t pos = (uintptr_t)sh->read_buf, end = pos + sh->read_len;

	for (unsigned int n = 0; pos < end; n++) {
		uintptr_t page = pos & ~(uintptr_t)(XENV_PAGE_SIZE - 1);
		uintptr_t stop =
		    page + XENV_PAGE_SIZE < end ? page + XENV_PAGE_SIZE : end;

		memcpy((void *)pos, (const uint8_t *)sh->pp[n] + (pos - page),
		       stop - pos);
		pos = stop;
	}
}

static int grant_segs(struct blkfront *bf, struct blkfront_shadow *sh,
		      uint8_t *buf, uint64_t len, bool ro,
		      struct blkif_request_segment *segs)
{
	uintptr_t pos = (uintptr_t)buf, end = pos + len;
	unsigned int n = 0;
	int rc;

	if (bf->info.persistent && !ro) {
		sh->read_buf = buf;
		sh->read_len = len;
	}
	while (pos < end) {
		uintptr_t page = pos & ~(uintptr_t)(XENV_PAGE_SIZE - 1);
		uintptr_t stop =
		    page + XENV_PAGE_SIZE < end ? page + XENV_PAGE_SIZE : end;

		rc = grant_seg(bf, sh, n, page, pos, stop, ro, &segs[n].gref);
		if (rc)
			return rc;
		segs[n].first_sect =
		    (uint8_t)((pos - page) / BLKIF_SECTOR_SIZE);
		segs[n].last_sect =
		    (uint8_t)((stop - page - 1) / BLKIF_SECTOR_SIZE);
		segs[n].reserved = 0;
		n++;
		pos = stop;
	}
	return 0;
}

static unsigned int pages_spanned(uintptr_t buf, uint64_t len)
{
	uintptr_t first = buf / XENV_PAGE_SIZE;
	uintptr_t last = (buf + len - 1) / XENV_PAGE_SIZE;

	return (unsigned int)(last - first + 1);
}

/* Fill an indirect request; its descriptors go to the shadow's page. */
static int build_indirect(struct blkfront *bf, struct blkfront_shadow *sh,
			  union blkif_request_any *slot, uint8_t *buf,
			  uint64_t len, bool write)
{
	struct blkif_request_indirect *in = &slot->indirect;
	unsigned int npages = pages_spanned((uintptr_t)buf, len);
	int rc;

	if (!sh->ind_page) {
		sh->ind_page = xenv_alloc_pages(bf->env, 1);
		if (!sh->ind_page)
			return -ENOMEM;
	}
	rc = grant_segs(bf, sh, buf, len, write, sh->ind_page);
	if (rc)
		return rc;
	if (bf->info.persistent) { /* granted once, like the data pages */
		if (!sh->ind_pref &&
		    xenv_grant(bf->env, bf->be, sh->ind_page, 0, &sh->ind_pref))
			return -ENOSPC;
		in->indirect_grefs[0] = sh->ind_pref;
	} else {
		rc = xenv_grant_ro(bf->env, bf->be, sh->ind_page,
				   &sh->ind_ref[0]);
		if (rc)
			return rc;
		sh->nind = 1;
		in->indirect_grefs[0] = sh->ind_ref[0];
	}
	in->operation = BLKIF_OP_INDIRECT;
	in->indirect_op = write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	in->nr_segments = (uint16_t)npages;
	return 0;
}

static int check_submit(struct blkfront *bf, unsigned int qi, uint8_t op,
			uint64_t sector, void *buf, uint64_t len)
{
	uint64_t secs = len / BLKIF_SECTOR_SIZE;

	if (bf->broken)
		return -EPIPE;
	if (!bf->connected || qi >= bf->nr_queues)
		return -EINVAL;
	if (len % BLKIF_SECTOR_SIZE || sector > bf->info.sectors ||
	    secs > bf->info.sectors - sector)
		return -EINVAL;
	switch (op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (!buf || len == 0 || (uintptr_t)buf % BLKIF_SECTOR_SIZE)
			return -EINVAL;
		return 0;
	case BLKIF_OP_FLUSH_DISKCACHE:
		return bf->info.flush ? 0 : -EOPNOTSUPP;
	case BLKIF_OP_DISCARD:
		return bf->info.discard ? 0 : -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* Build one ring request for [buf, buf+len) at @sector in slot @id. */
static int build_one(struct blkfront *bf, struct blkfront_queue *q, uint16_t id,
		     uint8_t op, uint64_t sector, uint8_t *buf, uint64_t len)
{
	struct blkfront_shadow *sh = &q->shadow[id];
	union blkif_request_any slot;
	bool write = op == BLKIF_OP_WRITE;
	int rc = 0;

	memset(&slot, 0, sizeof(slot));
	slot.rw.operation = op;
	slot.rw.id = id;
	slot.rw.sector_number = sector;
	if (op == BLKIF_OP_DISCARD) {
		slot.discard.nr_sectors = len / BLKIF_SECTOR_SIZE;
	} else if (len && pages_spanned((uintptr_t)buf, len) >
			      BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		rc = build_indirect(bf, sh, &slot, buf, len, write);
		slot.indirect.sector_number = sector;
		slot.indirect.id = id;
	} else if (len) {
		slot.rw.nr_segments =
		    (uint8_t)pages_spanned((uintptr_t)buf, len);
		rc = grant_segs(bf, sh, buf, len, write, slot.rw.seg);
	}
	if (rc)
		return rc;
	sh->op = op;
	memcpy(ring_front_next_req(&q->r), &slot, sizeof(slot));
	return 0;
}

/* Bytes the next request may carry starting at @buf. */
static uint64_t chunk_len(struct blkfront *bf, uintptr_t buf, uint64_t left)
{
	unsigned int maxp = bf->info.max_indirect
				? bf->info.max_indirect
				: BLKIF_MAX_SEGMENTS_PER_REQUEST;
	uint64_t room =
	    (uint64_t)maxp * XENV_PAGE_SIZE - (buf & (XENV_PAGE_SIZE - 1));

	return left < room ? left : room;
}

int blkfront_submit(struct blkfront *bf, unsigned int qi, uint8_t op,
		    uint64_t sector, void *buf, uint64_t len,
		    struct blkfront_io *io)
{
	struct blkfront_queue *q;
	uint8_t *p = buf;
	uint64_t left = len, n;
	unsigned int need = 1;
	uint16_t id;
	int rc = check_submit(bf, qi, op, sector, buf, len);

	if (rc)
		return rc;
	q = &bf->q[qi];
	if (op == BLKIF_OP_READ || op == BLKIF_OP_WRITE) {
		for (need = 0, n = 0; n < len; need++)
			n += chunk_len(bf, (uintptr_t)p + n, len - n);
	}
	if (need > q->nr_free)
		return -EAGAIN;
	io->status = BLKIF_RSP_OKAY;
	io->pending = need;
	do {
		n = (op == BLKIF_OP_READ || op == BLKIF_OP_WRITE)
			? chunk_len(bf, (uintptr_t)p, left)
			: left;
		id = q->free_ids[--q->nr_free];
		q->shadow[id].busy = true;
		q->shadow[id].io = io;
		rc = build_one(bf, q, id, op, sector, p, n);
		if (rc) {
			/* Nothing of this chunk is visible yet: undo it
			 * and fail what remains; earlier chunks complete
			 * normally and carry the error in io->status. */
			release_shadow(bf, q, id);
			io->status = BLKIF_RSP_ERROR;
			io->pending -= need;
			return rc;
		}
		need--;
		sector += n / BLKIF_SECTOR_SIZE;
		p += n;
		left -= n;
	} while (left > 0 && (op == BLKIF_OP_READ || op == BLKIF_OP_WRITE));
	return 0;
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
			if (q->shadow[rsp.id].read_buf &&
			    rsp.status == BLKIF_RSP_OKAY)
				copy_back(&q->shadow[rsp.id]);
			release_shadow(bf, q, (uint16_t)rsp.id);
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
