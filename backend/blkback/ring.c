// SPDX-License-Identifier: MIT
/*
 * blkback rings: open the backing store, attach to the front end's rings
 * and serve them. A ring whose indexes break the protocol is disconnected
 * (the front end sees no more responses on it); every other ring and
 * device keeps running. Request parsing and I/O are in io.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "blkback.h"

static int check_cfg(const struct blkback_cfg *cfg)
{
	if (!cfg->path || cfg->max_queues == 0 ||
	    cfg->max_queues > BLKBACK_MAX_QUEUES ||
	    cfg->max_ring_order > RING_MAX_PAGE_ORDER)
		return -EINVAL;
	if (cfg->max_indirect &&
	    (cfg->max_indirect <= BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	     cfg->max_indirect > BLKBACK_MAX_INDIRECT_SEGS))
		return -EINVAL;
	return 0;
}

int blkback_dev_open(struct blkback_dev *d, struct xenv *e, xenv_domid_t fe,
		     const struct blkback_cfg *cfg)
{
	struct stat st;
	uint64_t bytes;
	int rc = check_cfg(cfg);

	if (rc)
		return rc;
	memset(d, 0, sizeof(*d));
	d->env = e;
	d->fe = fe;
	d->cfg = *cfg;
	d->fd =
	    open(cfg->path, (cfg->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0)
		return -errno;
	if (fstat(d->fd, &st)) {
		rc = -errno;
		goto err_close;
	}
	if (S_ISBLK(st.st_mode)) {
		d->is_blkdev = true;
		if (ioctl(d->fd, BLKGETSIZE64, &bytes)) {
			rc = -errno;
			goto err_close;
		}
	} else if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
	} else {
		rc = -ENOTBLK;
		goto err_close;
	}
	d->sectors = bytes / BLKIF_SECTOR_SIZE;
	return 0;
err_close:
	close(d->fd);
	d->fd = -1;
	return rc;
}

void blkback_dev_close(struct blkback_dev *d)
{
	blkback_dev_disconnect(d);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int blkback_ring_connect(struct blkback_dev *d, unsigned int q,
			 const grant_ref_t *g_refs, unsigned int order,
			 evtchn_port_t g_port)
{
	struct blkback_ring *br;
	int rc;

	if (q >= d->cfg.max_queues || order > d->cfg.max_ring_order)
		return -EINVAL;
	br = &d->ring[q];
	if (br->connected)
		return -EINVAL;
	memset(br, 0, sizeof(*br));
	br->dev = d;
	br->order = order;
	rc = xenv_map(d->env, d->fe, g_refs, 1U << order, XENV_MAP_RW,
		      &br->area);
	if (rc)
		return rc;
	rc = xenv_evtchn_bind(d->env, d->fe, g_port, &br->port);
	if (rc) {
		xenv_unmap(d->env, br->area, 1U << order);
		return rc;
	}
	ring_back_init(&br->r, br->area, order, BLKIF_SLOT_SIZE);
	br->connected = true;
	if (q + 1 > d->nr_rings)
		d->nr_rings = q + 1;
	return 0;
}

void blkback_ring_disconnect(struct blkback_ring *br)
{
	if (!br->connected)
		return;
	xenv_evtchn_close(br->dev->env, br->port);
	xenv_unmap(br->dev->env, br->area, 1U << br->order);
	br->connected = false;
}

void blkback_dev_disconnect(struct blkback_dev *d)
{
	unsigned int q;

	for (q = 0; q < d->nr_rings; q++)
		blkback_ring_disconnect(&d->ring[q]);
	d->nr_rings = 0;
	blkback_pgrants_drop(d);
}

static void respond(struct blkback_ring *br, uint64_t id, uint8_t op,
		    int status)
{
	struct blkif_response *rsp = ring_back_next_rsp(&br->r);

	rsp->id = id;
	rsp->operation = op;
	rsp->reserved = 0;
	rsp->status = (int16_t)status;
	rsp->reserved2 = 0;
	br->nr_reqs++;
	if (status != BLKIF_RSP_OKAY)
		br->nr_errors++;
}

/* Handle one request at req_cons: copy, parse, execute, answer. */
static void serve_one(struct blkback_ring *br)
{
	struct blkback_dev *d = br->dev;
	union blkif_request_any copy;
	int st;

	ring_copy_slot(&copy, ring_back_req(&br->r, br->r.req_cons),
		       sizeof(copy));
	br->r.req_cons++;
	st = blkback_parse(d, &copy, &d->req);
	if (st == 0)
		st = blkback_execute(d, &d->req);
	respond(br, d->req.id, d->req.slot_op, st);
}

/*
 * Serve until the ring is empty and req_event is armed, or until the
 * budget is spent: a front end that keeps its ring full must not starve
 * the other rings and devices of this (single-threaded) back end. The
 * ring is then marked "more" and served again on the next round.
 */
static int serve_ring(struct blkback_ring *br)
{
	int n, done = 0, budget = (int)br->r.nr * BLKBACK_BUDGET_RINGS;

	br->more = false;
	for (;;) {
		if (done >= budget) {
			br->more = true;
			return done;
		}
		n = ring_back_final_check(&br->r);
		if (n < 0) {
			br->broken = true;
			blkback_ring_disconnect(br);
			return -EPROTO;
		}
		if (n == 0)
			return done;
		/* Publish responses in groups: one wakeup of a sleeping front
		 * end then collects several, instead of one per request. */
		while (n-- > 0) {
			serve_one(br);
			done++;
			if ((n == 0 || done % BLKBACK_PUSH_BATCH == 0) &&
			    ring_back_push(&br->r))
				xenv_evtchn_notify(br->dev->env, br->port);
		}
	}
}

int blkback_dev_service(struct blkback_dev *d, bool all)
{
	unsigned int q;
	int rc, total = 0, err = 0;

	for (q = 0; q < d->nr_rings; q++) {
		struct blkback_ring *br = &d->ring[q];

		if (!br->connected)
			continue;
		if (!xenv_evtchn_pending(d->env, br->port) && !all && !br->more)
			continue;
		rc = serve_ring(br);
		if (rc < 0)
			err = rc;
		else
			total += rc;
	}
	return err ? err : total;
}

bool blkback_dev_pending(struct blkback_dev *d)
{
	unsigned int q;

	for (q = 0; q < d->nr_rings; q++)
		if (d->ring[q].connected &&
		    ring_back_unconsumed(&d->ring[q].r) != 0)
			return true;
	return false;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

bool blkback_poll(struct blkback_dev *(*dev)(unsigned int i, void *arg),
		  unsigned int n, void *arg)
{
	long long end = mono_ns() + BLKBACK_POLL_NS;
	struct blkback_dev *d;
	unsigned int i;

	do {
		for (i = 0; i < n; i++)
			if ((d = dev(i, arg)) && blkback_dev_pending(d))
				return true;
		__builtin_ia32_pause();
	} while (mono_ns() < end);
	return false;
}

bool blkback_dev_more(const struct blkback_dev *d)
{
	unsigned int q;

	for (q = 0; q < d->nr_rings; q++)
		if (d->ring[q].connected && d->ring[q].more)
			return true;
	return false;
}
