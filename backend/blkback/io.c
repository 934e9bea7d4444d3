// SPDX-License-Identifier: MIT
/*
 * blkback request engine: turns one local copy of a ring slot into a
 * validated struct blkback_req (parse), then performs it on the backing
 * store with the front end's granted pages mapped for its duration, or
 * for good when the front end uses persistent grants (execute).
 * Everything in a slot or an indirect page is untrusted; each value is
 * read once (from the copy) and checked before use.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "blkback.h"

/*
 * The kept mapping of persistent grant @gref, mapping (writable: the
 * front end reuses these pages for reads and writes) and keeping it while
 * there is room; NULL when it is not kept (the caller maps it for the
 * request alone, as without the feature).
 */
static void *pgrant_get(struct blkback_dev *d, grant_ref_t gref)
{
	unsigned int h = (gref * 2654435761U) & (BLKBACK_PGRANT_SLOTS - 1);
	void *va;

	if (!d->cfg.persistent)
		return NULL;
	for (; d->pgrant[h].va; h = (h + 1) & (BLKBACK_PGRANT_SLOTS - 1))
		if (d->pgrant[h].gref == gref)
			return d->pgrant[h].va;
	if (d->nr_pgrants >= BLKBACK_MAX_PGRANTS ||
	    xenv_map(d->env, d->fe, &gref, 1, XENV_MAP_RW, &va))
		return NULL;
	d->pgrant[h] = (struct blkback_pgrant){.gref = gref, .va = va};
	d->nr_pgrants++;
	return va;
}

void blkback_pgrants_drop(struct blkback_dev *d)
{
	for (unsigned int h = 0; h < BLKBACK_PGRANT_SLOTS; h++) {
		if (d->pgrant[h].va)
			xenv_unmap(d->env, d->pgrant[h].va, 1);
		d->pgrant[h].va = NULL;
	}
	d->nr_pgrants = 0;
}

/* Maps @gref for one use (kept if persistent); *@kept says which. */
static int map_one(struct blkback_dev *d, grant_ref_t gref, unsigned int flags,
		   void **va, bool *kept)
{
	*va = pgrant_get(d, gref);
	*kept = *va != NULL;
	return *kept ? 0 : xenv_map(d->env, d->fe, &gref, 1, flags, va);
}

/* Check segments and sum their sectors; 0 or BLKIF_RSP_ERROR. */
static int parse_segs(struct blkback_dev *d, struct blkback_req *req)
{
	unsigned int i;
	uint64_t total = 0;

	for (i = 0; i < req->nr_segs; i++) {
		const struct blkif_request_segment *s = &req->seg[i];

		if (s->first_sect > s->last_sect ||
		    s->last_sect >= BLKIF_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		total += s->last_sect - s->first_sect + 1U;
	}
	req->nr_sectors = total;
	/* Overflow-safe: sector + total <= disk size. */
	if (req->sector > d->sectors || total > d->sectors - req->sector)
		return BLKIF_RSP_ERROR;
	return 0;
}

/* Copy the segment list out of the indirect pages, one read each. */
static int parse_indirect(struct blkback_dev *d,
			  const struct blkif_request_indirect *in,
			  struct blkback_req *req)
{
	unsigned int nseg = in->nr_segments, pages, p, n, done = 0;
	bool kept;
	void *va;

	/* Answered with the inner operation, as Linux's blkfront expects. */
	req->slot_op = in->indirect_op;
	if (in->indirect_op != BLKIF_OP_READ &&
	    in->indirect_op != BLKIF_OP_WRITE)
		return BLKIF_RSP_ERROR;
	if (d->cfg.max_indirect == 0)
		return BLKIF_RSP_EOPNOTSUPP;
	if (nseg == 0 || nseg > d->cfg.max_indirect)
		return BLKIF_RSP_ERROR;
	pages = (nseg + BLKIF_SEGS_PER_INDIRECT_FRAME - 1) /
		BLKIF_SEGS_PER_INDIRECT_FRAME;
	for (p = 0; p < pages; p++) {
		if (map_one(d, in->indirect_grefs[p], XENV_MAP_RO, &va, &kept))
			return BLKIF_RSP_ERROR;
		n = nseg - done;
		if (n > BLKIF_SEGS_PER_INDIRECT_FRAME)
			n = BLKIF_SEGS_PER_INDIRECT_FRAME;
		ring_copy_slot(&req->seg[done], va,
			       n * sizeof(struct blkif_request_segment));
		if (!kept)
			xenv_unmap(d->env, va, 1);
		done += n;
	}
	req->op = in->indirect_op;
	req->nr_segs = nseg;
	req->sector = in->sector_number;
	return parse_segs(d, req);
}

int blkback_parse(struct blkback_dev *d, const union blkif_request_any *slot,
		  struct blkback_req *req)
{
	const struct blkif_request *rw = &slot->rw;

	req->id = rw->id;
	req->slot_op = rw->operation;
	req->op = rw->operation;
	req->nr_segs = 0;
	req->nr_sectors = 0;
	req->secure = false;
	switch (rw->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (rw->nr_segments == 0 ||
		    rw->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return BLKIF_RSP_ERROR;
		/* fall through */
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		if (rw->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return BLKIF_RSP_ERROR;
		req->nr_segs = rw->nr_segments;
		req->sector = rw->sector_number;
		memcpy(req->seg, rw->seg, req->nr_segs * sizeof(rw->seg[0]));
		return parse_segs(d, req);
	case BLKIF_OP_DISCARD:
		if (!d->cfg.discard)
			return BLKIF_RSP_EOPNOTSUPP;
		req->sector = slot->discard.sector_number;
		req->nr_sectors = slot->discard.nr_sectors;
		req->secure = slot->discard.flag & BLKIF_DISCARD_SECURE;
		if (req->sector > d->sectors ||
		    req->nr_sectors > d->sectors - req->sector)
			return BLKIF_RSP_ERROR;
		return 0;
	case BLKIF_OP_INDIRECT:
		return parse_indirect(d, &slot->indirect, req);
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

static void unmap_segs(struct blkback_dev *d, struct blkback_job *j,
		       unsigned int n)
{
	while (n--)
		if (!j->seg_kept[n])
			xenv_unmap(d->env, j->seg_va[n], 1);
}

/* Map every segment and build the iovec; 0 or BLKIF_RSP_ERROR. */
static int map_segs(struct blkback_dev *d, struct blkback_job *j,
		    unsigned int flags)
{
	unsigned int i;

	for (i = 0; i < j->req.nr_segs; i++) {
		const struct blkif_request_segment *s = &j->req.seg[i];

		if (map_one(d, s->gref, flags, &j->seg_va[i],
			    &j->seg_kept[i])) {
			unmap_segs(d, j, i);
			return BLKIF_RSP_ERROR;
		}
		j->iov[i].iov_base =
		    (uint8_t *)j->seg_va[i] + s->first_sect * BLKIF_SECTOR_SIZE;
		j->iov[i].iov_len =
		    (s->last_sect - s->first_sect + 1U) * BLKIF_SECTOR_SIZE;
	}
	return 0;
}

/* Whole-transfer preadv/pwritev, restarting on short transfers. */
static int do_rw(const struct blkback_dev *d, struct blkback_job *j, bool write)
{
	off_t off = (off_t)j->req.sector * BLKIF_SECTOR_SIZE;
	struct iovec *iov = j->iov;
	int cnt = (int)j->req.nr_segs;
	ssize_t n;

	while (cnt > 0) {
		int batch = cnt > IOV_MAX ? IOV_MAX : cnt;

		n = write ? pwritev(d->fd, iov, batch, off)
			  : preadv(d->fd, iov, batch, off);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return BLKIF_RSP_ERROR;
		}
		off += n;
		while (cnt > 0 && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt > 0 && n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return BLKIF_RSP_OKAY;
}

static int do_discard(const struct blkback_dev *d,
		      const struct blkback_req *req)
{
	uint64_t range[2] = {req->sector * BLKIF_SECTOR_SIZE,
			     req->nr_sectors * BLKIF_SECTOR_SIZE};

	if (req->nr_sectors == 0)
		return BLKIF_RSP_OKAY;
	if (d->is_blkdev)
		return ioctl(d->fd, BLKDISCARD, range) ? BLKIF_RSP_ERROR
						       : BLKIF_RSP_OKAY;
	/* Punched ranges read back as zeroes; the size is unchanged. */
	if (fallocate(d->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)range[0], (off_t)range[1]))
		return errno == EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP
					   : BLKIF_RSP_ERROR;
	return BLKIF_RSP_OKAY;
}

bool blkback_ordered(const struct blkback_req *req)
{
	return req->op != BLKIF_OP_READ && req->op != BLKIF_OP_WRITE;
}

int blkback_prepare(struct blkback_dev *d, struct blkback_job *j)
{
	const struct blkback_req *req = &j->req;
	bool writes = req->op != BLKIF_OP_READ;

	/* Whatever writes (data, or a discard) needs a writable disk. */
	if (d->cfg.readonly && writes &&
	    (req->nr_segs || req->op == BLKIF_OP_DISCARD))
		return BLKIF_RSP_ERROR;
	/* A read fills the front end's pages: we need them writable. */
	return map_segs(d, j, writes ? XENV_MAP_RO : XENV_MAP_RW);
}

void blkback_release(struct blkback_dev *d, struct blkback_job *j)
{
	unmap_segs(d, j, j->req.nr_segs);
}

int blkback_perform(const struct blkback_dev *d, struct blkback_job *j)
{
	int rc;

	switch (j->req.op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		return do_rw(d, j, j->req.op == BLKIF_OP_WRITE);
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		/* Preflush, the optional data, then make it durable. */
		if (fdatasync(d->fd))
			return BLKIF_RSP_ERROR;
		if (j->req.nr_segs == 0)
			return BLKIF_RSP_OKAY;
		rc = do_rw(d, j, true);
		if (rc == BLKIF_RSP_OKAY && fdatasync(d->fd))
			rc = BLKIF_RSP_ERROR;
		return rc;
	case BLKIF_OP_DISCARD:
		return do_discard(d, &j->req);
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}
