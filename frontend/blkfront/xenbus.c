// SPDX-License-Identifier: MIT
/*
 * blkfront's xenbus side (toolstack-compat.md 3.4): wait for the back end
 * to offer its features (InitWait), allocate and publish rings
 * (Initialised), wait for Connected and read the disk geometry; close
 * through Closing/Closed. Everything the back end wrote is parsed
 * strictly and bounded before use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "blkfront.h"
#include "blkfront-xb.h"

#define XB_TIMEOUT_MS 10000

static int read_backend(struct blkfront_xb *fx)
{
	uint64_t id;

	if (xb_read_buf(fx->xb, fx->bpath, sizeof(fx->bpath), "%s/backend",
			fx->fpath) <= 0)
		return -EINVAL;
	if (xb_read_uint(fx->xb, &id, 0x7fefU, "%s/backend-id", fx->fpath))
		return -EINVAL;
	fx->be = (xenv_domid_t)id;
	return 0;
}

/* Optional numeric back end key with a default; malformed is -EINVAL. */
static int opt_uint(struct blkfront_xb *fx, const char *key, uint64_t max,
		    uint64_t def, uint64_t *out)
{
	int rc = xb_read_uint(fx->xb, out, max, "%s/%s", fx->bpath, key);

	if (rc == -ENOENT) {
		*out = def;
		return 0;
	}
	return rc;
}

static int publish_ring(struct blkfront_xb *fx, struct blkfront_queue *q,
			const char *dir)
{
	unsigned int i, n = 1U << fx->bf->order;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (fx->bf->order)
			rc |= xb_write_uint(fx->xb, q->ring_ref[i],
					    "%s/ring-ref%u", dir, i);
		else
			rc |= xb_write_uint(fx->xb, q->ring_ref[i],
					    "%s/ring-ref", dir);
	}
	rc |= xb_write_uint(fx->xb, q->port, "%s/event-channel", dir);
	return rc ? -EIO : 0;
}

/* Keys of an earlier connection must not survive into this one. */
static void remove_stale(struct blkfront_xb *fx)
{
	unsigned int i;

	xb_rm(fx->xb, "%s/ring-page-order", fx->fpath);
	xb_rm(fx->xb, "%s/multi-queue-num-queues", fx->fpath);
	xb_rm(fx->xb, "%s/ring-ref", fx->fpath);
	xb_rm(fx->xb, "%s/event-channel", fx->fpath);
	for (i = 0; i < (1U << RING_MAX_PAGE_ORDER); i++)
		xb_rm(fx->xb, "%s/ring-ref%u", fx->fpath, i);
	for (i = 0; i < BLKFRONT_MAX_QUEUES; i++)
		xb_rm(fx->xb, "%s/queue-%u", fx->fpath, i);
}

static int publish(struct blkfront_xb *fx)
{
	struct blkfront *bf = fx->bf;
	char dir[200];
	unsigned int q;
	int rc = 0;

	remove_stale(fx);
	if (bf->order)
		rc |= xb_write_uint(fx->xb, bf->order, "%s/ring-page-order",
				    fx->fpath);
	if (bf->nr_queues == 1) {
		rc |= publish_ring(fx, &bf->q[0], fx->fpath);
	} else {
		rc |= xb_write_uint(fx->xb, bf->nr_queues,
				    "%s/multi-queue-num-queues", fx->fpath);
		for (q = 0; q < bf->nr_queues; q++) {
			snprintf(dir, sizeof(dir), "%s/queue-%u", fx->fpath, q);
			rc |= publish_ring(fx, &bf->q[q], dir);
		}
	}
	rc |= xb_write(fx->xb, BLKIF_PROTOCOL_NATIVE, "%s/protocol", fx->fpath);
	rc |= xb_write(fx->xb, "1", "%s/feature-persistent", fx->fpath);
	return rc ? -EIO : 0;
}

/* Geometry and features the back end publishes by Connected. */
static int read_connected(struct blkfront_xb *fx, struct blkfront_info *in)
{
	uint64_t v[7];
	int rc;

	memset(in, 0, sizeof(*in));
	if (xb_read_uint(fx->xb, &in->sectors, UINT64_MAX >> 9, "%s/sectors",
			 fx->bpath))
		return -EINVAL;
	rc = opt_uint(fx, "sector-size", 1U << 16, 512, &v[0]);
	rc |= opt_uint(fx, "info", 0xffff, 0, &v[1]);
	rc |= opt_uint(fx, "feature-flush-cache", 1, 0, &v[2]);
	rc |= opt_uint(fx, "feature-barrier", 1, 0, &v[3]);
	rc |= opt_uint(fx, "feature-discard", 1, 0, &v[4]);
	rc |= opt_uint(fx, "feature-max-indirect-segments", 1U << 20, 0, &v[5]);
	rc |= opt_uint(fx, "feature-persistent", 1, 0, &v[6]);
	if (rc)
		return -EINVAL;
	in->sector_size = (unsigned int)v[0];
	in->info = (unsigned int)v[1];
	in->flush = v[2];
	in->barrier = v[3];
	in->discard = v[4];
	in->max_indirect = (unsigned int)v[5];
	in->persistent = v[6]; /* we offer it: both ends do */
	in->max_queues = fx->bf->nr_queues;
	in->max_order = fx->bf->order;
	return 0;
}

static int connect_body(struct blkfront_xb *fx, unsigned int want_queues,
			unsigned int want_order)
{
	struct blkfront_info info;
	uint64_t maxq, maxo;
	int rc, st;

	rc = read_backend(fx);
	if (rc)
		return rc;
	rc = xb_watch(fx->xb, fx->bpath, "blkfront");
	if (rc)
		return rc;
	st = xb_wait_state(fx->xb, fx->bpath,
			   XB_STATE_BIT(XenbusStateInitWait) |
			       XB_STATE_BIT(XenbusStateClosing),
			   XB_TIMEOUT_MS);
	if (st != XenbusStateInitWait)
		return st < 0 ? st : -ECONNREFUSED;
	if (opt_uint(fx, "multi-queue-max-queues", BLKFRONT_MAX_QUEUES, 1,
		     &maxq) ||
	    opt_uint(fx, "max-ring-page-order", RING_MAX_PAGE_ORDER, 0, &maxo))
		return -EINVAL;
	if (maxq == 0)
		maxq = 1;
	rc = blkfront_init(fx->bf, fx->env, fx->be,
			   want_queues < maxq ? want_queues : (unsigned)maxq,
			   want_order < maxo ? want_order : (unsigned)maxo);
	if (rc)
		return rc;
	rc = publish(fx);
	if (!rc)
		rc = xb_switch(fx->xb, fx->fpath, XenbusStateInitialised);
	if (rc)
		goto err_fini;
	st = xb_wait_state(fx->xb, fx->bpath,
			   XB_STATE_BIT(XenbusStateConnected) |
			       XB_STATE_BIT(XenbusStateClosing) |
			       XB_STATE_BIT(XenbusStateClosed),
			   XB_TIMEOUT_MS);
	if (st != XenbusStateConnected) {
		rc = st < 0 ? st : -ECONNREFUSED;
		goto err_fini;
	}
	rc = read_connected(fx, &info);
	if (!rc)
		rc = blkfront_start(fx->bf, &info);
	if (!rc)
		rc = xb_switch(fx->xb, fx->fpath, XenbusStateConnected);
	if (rc)
		goto err_fini;
	return 0;
err_fini:
	blkfront_fini(fx->bf);
	return rc;
}

int blkfront_xb_close(struct blkfront_xb *fx)
{
	int st;

	xb_switch(fx->xb, fx->fpath, XenbusStateClosing);
	st = xb_wait_state(fx->xb, fx->bpath,
			   XB_STATE_BIT(XenbusStateClosing) |
			       XB_STATE_BIT(XenbusStateClosed),
			   XB_TIMEOUT_MS);
	/* Rings are unmapped by the back end before it reports Closing. */
	blkfront_fini(fx->bf);
	xb_switch(fx->xb, fx->fpath, XenbusStateClosed);
	xb_unwatch(fx->xb, fx->bpath, "blkfront");
	return st < 0 ? st : 0;
}

int blkfront_xb_reopen(struct blkfront_xb *fx, unsigned int want_queues,
		       unsigned int want_order)
{
	int rc;

	/* The back end must have finished the last close first. */
	rc = xb_watch(fx->xb, fx->bpath, "blkfront");
	if (!rc &&
	    xb_wait_state(fx->xb, fx->bpath, XB_STATE_BIT(XenbusStateClosed),
			  XB_TIMEOUT_MS) < 0)
		rc = -ETIMEDOUT;
	xb_unwatch(fx->xb, fx->bpath, "blkfront");
	if (!rc)
		rc = xb_switch(fx->xb, fx->fpath, XenbusStateInitialising);
	return rc ? rc : blkfront_xb_connect(fx, want_queues, want_order);
}

int blkfront_xb_connect(struct blkfront_xb *fx, unsigned int want_queues,
			unsigned int want_order)
{
	int rc = connect_body(fx, want_queues, want_order);

	/* A failed connect leaves no watch behind. */
	if (rc && fx->bpath[0])
		xb_unwatch(fx->xb, fx->bpath, "blkfront");
	return rc;
}
