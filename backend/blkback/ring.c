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
#include <sched.h>
#include <stdlib.h>
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
	    cfg->max_ring_order > RING_MAX_PAGE_ORDER ||
	    cfg->threads > BLKBACK_MAX_THREADS)
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
	if (cfg->threads > 1)
		d->pool = blkback_pool_create(cfg->threads);
	d->nr_jobs = d->pool ? BLKBACK_BATCH : 1;
	d->job = calloc(d->nr_jobs, sizeof(*d->job));
	if (d->job)
		return 0;
	rc = -ENOMEM;
	blkback_pool_destroy(d->pool);
	d->pool = NULL;
err_close:
	close(d->fd);
	d->fd = -1;
	return rc;
}

void blkback_dev_close(struct blkback_dev *d)
{
	blkback_dev_disconnect(d);
	blkback_pool_destroy(d->pool);
	d->pool = NULL;
	free(d->job);
	d->job = NULL;
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

static void perform_job(void *arg, unsigned int i)
{
	struct blkback_dev *d = arg;
	struct blkback_job *j = &d->job[i];

	if (j->run)
		j->status = blkback_perform(d, j);
}

/*
 * Take up to d->nr_jobs of the @avail requests at req_cons (each slot
 * copied once, then parsed and its pages mapped), perform them (on all
 * threads; a request that must run alone ends the batch and runs after
 * the others), answer them in ring order. Returns how many were taken.
 */
static unsigned int serve_batch(struct blkback_ring *br, unsigned int avail)
{
	struct blkback_dev *d = br->dev;
	union blkif_request_any copy;
	struct blkback_job *j;
	unsigned int k = 0, i;
	bool alone = false;

	while (k < avail && k < d->nr_jobs && !alone) {
		j = &d->job[k++];
		ring_copy_slot(&copy, ring_back_req(&br->r, br->r.req_cons),
			       sizeof(copy));
		br->r.req_cons++;
		j->status = blkback_parse(d, &copy, &j->req);
		if (j->status == 0)
			j->status = blkback_prepare(d, j);
		j->run = j->status == 0;
		alone = j->run && blkback_ordered(&j->req);
	}
	blkback_pool_run(d->pool, alone ? k - 1 : k, perform_job, d);
	if (alone)
		perform_job(d, k - 1);
	for (i = 0; i < k; i++) {
		j = &d->job[i];
		if (j->run)
			blkback_release(d, j);
		respond(br, j->req.id, j->req.slot_op, j->status);
	}
	return k;
}

/*
 * Serve until the ring is empty and req_event is armed, or until the
 * budget is spent: a front end that keeps its ring full must not starve
 * the other rings and devices of this back end. The ring is then marked
 * "more" and served again on the next round.
 */
static int serve_ring(struct blkback_ring *br)
{
	int n, k, done = 0, unpushed = 0;
	int budget = (int)br->r.nr * BLKBACK_BUDGET_RINGS;

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
		while (n > 0) {
			k = (int)serve_batch(br, (unsigned int)n);
			n -= k;
			done += k;
			unpushed += k;
			if (n > 0 && unpushed < BLKBACK_PUSH_BATCH)
				continue;
			unpushed = 0;
			if (ring_back_push(&br->r))
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

long long blkback_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

bool blkback_poll(struct blkback_dev *(*dev)(unsigned int i, void *arg),
		  unsigned int n, void *arg)
{
	long long end = blkback_mono_ns() + BLKBACK_POLL_NS;
	struct blkback_dev *d;
	unsigned int i;

	do {
		for (i = 0; i < n; i++)
			if ((d = dev(i, arg)) && blkback_dev_pending(d))
				return true;
		sched_yield();
	} while (blkback_mono_ns() < end);
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
