// SPDX-License-Identifier: MIT
/*
 * blkfront requests: a caller's I/O turned into ring requests (split at
 * what one request carries; direct segments, or indirect descriptor pages
 * past 11 pages; discard; flush) with their pages granted, or copied
 * into the slot's persistent bounce pages; and a slot's release once its
 * response came (request.h).
 *
 * With persistent grants (feature-persistent) data goes through bounce
 * pages that each ring slot grants once and keeps (the back end maps
 * them once): writes are copied in before the request, reads out after
 * the response. Without, the caller's pages are granted per request.
 */
#include <errno.h>
#include <string.h>
#include "blkfront.h"
#include "request.h"

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

void blkfront_req_done(struct blkfront *bf, struct blkfront_queue *q,
		       uint16_t id, bool ok)
{
	if (ok && q->shadow[id].read_buf)
		copy_back(&q->shadow[id]);
	release_shadow(bf, q, id);
}
