// SPDX-License-Identifier: MIT
/*
 * blkback's xenbus side: one struct blkback_vbd per backend directory
 * /local/domain/<self>/backend/vbd/<fe>/<devid>. Publishes features and
 * goes InitWait, connects the rings the front end published (values it
 * wrote are untrusted: each is parsed strictly and bounded), publishes the
 * disk geometry and goes Connected; follows the front end through
 * Closing/Closed and back to Initialising for a reconnect
 * (toolstack-compat.md 3.3-3.4).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blkback.h"
#include "../../frontend/env/xenbus.h"

#define BLKBACK_PHYS_SECTOR 4096U

static void vbd_error(struct blkback_vbd *v, int err, const char *what)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "%d %s", -err, what);
	xb_write(v->xb, msg, "%s/error", v->bpath);
	xb_switch(v->xb, v->bpath, XenbusStateClosing);
	v->state = XenbusStateClosing;
}

/* Features every front end reads before it allocates rings. */
static int publish_features(struct blkback_vbd *v)
{
	const struct blkback_cfg *c = &v->cfg;
	int rc = 0;

	rc |= xb_write(v->xb, "1", "%s/feature-flush-cache", v->bpath);
	rc |= xb_write(v->xb, "1", "%s/feature-barrier", v->bpath);
	rc |= xb_write(v->xb, "1", "%s/feature-persistent", v->bpath);
	rc |= xb_write_uint(v->xb, c->max_indirect,
			    "%s/feature-max-indirect-segments", v->bpath);
	rc |= xb_write_uint(v->xb, c->max_ring_order, "%s/max-ring-page-order",
			    v->bpath);
	rc |= xb_write_uint(v->xb, c->max_queues, "%s/multi-queue-max-queues",
			    v->bpath);
	rc |= xb_write(v->xb, c->discard ? "1" : "0", "%s/feature-discard",
		       v->bpath);
	if (c->discard) {
		rc |= xb_write_uint(v->xb, BLKBACK_PHYS_SECTOR,
				    "%s/discard-granularity", v->bpath);
		rc |= xb_write(v->xb, "0", "%s/discard-alignment", v->bpath);
		rc |= xb_write(v->xb, "0", "%s/discard-secure", v->bpath);
	}
	return rc ? -EIO : 0;
}

/* Toolstack keys: params, mode, discard-enable, frontend-id, frontend. */
static int read_toolstack(struct blkback_vbd *v)
{
	uint64_t fe, disc = 1;
	char *s;

	if (xb_read_uint(v->xb, &fe, 0x7fefU, "%s/frontend-id", v->bpath))
		return -EINVAL;
	v->fe = (xenv_domid_t)fe;
	s = xb_read(v->xb, "%s/frontend", v->bpath);
	if (!s || strlen(s) >= sizeof(v->fpath)) {
		free(s);
		return -EINVAL;
	}
	snprintf(v->fpath, sizeof(v->fpath), "%s", s);
	free(s);
	s = xb_read(v->xb, "%s/params", v->bpath);
	if (!s || strlen(s) >= sizeof(v->params)) {
		free(s);
		return -EINVAL;
	}
	/* "aio:/path" or "raw:/path" as qdisk writes it, or a bare path. */
	snprintf(v->params, sizeof(v->params), "%s",
		 strchr(s, ':') ? strchr(s, ':') + 1 : s);
	free(s);
	s = xb_read(v->xb, "%s/mode", v->bpath);
	v->cfg.readonly = !s || strcmp(s, "w") != 0;
	free(s);
	xb_read_uint(v->xb, &disc, 1, "%s/discard-enable", v->bpath);
	v->cfg.discard = disc && !v->cfg.readonly;
	v->cfg.path = v->params;
	return 0;
}

int blkback_vbd_probe(struct blkback_vbd *v, struct xb *xb, struct xenv *e,
		      const char *bpath, const struct blkback_cfg *tmpl)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->xb = xb;
	v->env = e;
	v->cfg = *tmpl;
	v->dev.fd = -1;
	snprintf(v->bpath, sizeof(v->bpath), "%s", bpath);
	rc = read_toolstack(v);
	if (rc)
		return rc; /* not (yet) a complete device */
	rc = blkback_dev_open(&v->dev, e, v->fe, &v->cfg);
	if (rc) {
		vbd_error(v, rc, "opening params");
		return rc;
	}
	rc = publish_features(v);
	if (!rc)
		rc = xb_watch(xb, v->fpath, v->bpath);
	if (!rc)
		rc = xb_switch(xb, bpath, XenbusStateInitWait);
	if (rc) {
		blkback_dev_close(&v->dev);
		return rc;
	}
	v->state = XenbusStateInitWait;
	return 0;
}

/* One ring's keys under @dir (the front dir or its queue-N). */
static int connect_ring(struct blkback_vbd *v, unsigned int q, const char *dir,
			unsigned int order)
{
	grant_ref_t refs[1U << RING_MAX_PAGE_ORDER];
	uint64_t val, port;
	unsigned int i;
	int rc;

	if (xb_read_uint(v->xb, &port, UINT32_MAX, "%s/event-channel", dir))
		return -EINVAL;
	for (i = 0; i < (1U << order); i++) {
		rc = v->has_order ? xb_read_uint(v->xb, &val, UINT32_MAX,
						 "%s/ring-ref%u", dir, i)
				  : xb_read_uint(v->xb, &val, UINT32_MAX,
						 "%s/ring-ref", dir);
		if (rc)
			return -EINVAL;
		refs[i] = (grant_ref_t)val;
	}
	return blkback_ring_connect(&v->dev, q, refs, order,
				    (evtchn_port_t)port);
}

static int connect_rings(struct blkback_vbd *v)
{
	uint64_t nq = 1, order = 0, pers;
	unsigned int q;
	char dir[200], *proto;
	int rc;

	proto = xb_read(v->xb, "%s/protocol", v->fpath);
	rc = proto && strcmp(proto, BLKIF_PROTOCOL_NATIVE) ? -EPROTONOSUPPORT
							   : 0;
	free(proto);
	if (rc)
		return rc;
	rc = xb_read_uint(v->xb, &order, v->cfg.max_ring_order,
			  "%s/ring-page-order", v->fpath);
	if (rc == -EINVAL)
		return rc;
	v->has_order = rc == 0;
	/* We offer it; the front end uses it if it says so. */
	if (xb_read_uint(v->xb, &pers, 1, "%s/feature-persistent", v->fpath))
		pers = 0;
	v->dev.cfg.persistent = pers;
	rc = xb_read_uint(v->xb, &nq, v->cfg.max_queues,
			  "%s/multi-queue-num-queues", v->fpath);
	if (rc == -EINVAL || nq == 0)
		return -EINVAL;
	for (q = 0; q < nq; q++) {
		if (rc == -ENOENT)
			snprintf(dir, sizeof(dir), "%s", v->fpath);
		else
			snprintf(dir, sizeof(dir), "%s/queue-%u", v->fpath, q);
		if (connect_ring(v, q, dir, (unsigned int)order)) {
			blkback_dev_disconnect(&v->dev);
			return -EINVAL;
		}
	}
	return 0;
}

static int do_connect(struct blkback_vbd *v)
{
	int rc = connect_rings(v);

	if (rc) {
		vbd_error(v, rc, "mapping ring-ref and event-channel");
		return rc;
	}
	rc |= xb_write_uint(v->xb, v->dev.sectors, "%s/sectors", v->bpath);
	rc |= xb_write_uint(v->xb, v->cfg.readonly ? VDISK_READONLY : 0,
			    "%s/info", v->bpath);
	rc |=
	    xb_write_uint(v->xb, BLKIF_SECTOR_SIZE, "%s/sector-size", v->bpath);
	rc |= xb_write_uint(v->xb, BLKBACK_PHYS_SECTOR,
			    "%s/physical-sector-size", v->bpath);
	rc |= xb_switch(v->xb, v->bpath, XenbusStateConnected);
	if (rc) {
		blkback_dev_disconnect(&v->dev);
		return -EIO;
	}
	v->state = XenbusStateConnected;
	return 0;
}

static void set_state(struct blkback_vbd *v, enum xenbus_state st)
{
	if (v->state != st && !xb_switch(v->xb, v->bpath, st))
		v->state = st;
}

int blkback_vbd_changed(struct blkback_vbd *v)
{
	enum xenbus_state fs = xb_state(v->xb, v->fpath);
	uint64_t online = 1;

	xb_read_uint(v->xb, &online, 1, "%s/online", v->bpath);
	switch (fs) {
	case XenbusStateInitialising:
		/* Front end restarting after a close: offer again. */
		if ((v->state == XenbusStateClosed ||
		     v->state == XenbusStateClosing) &&
		    online) {
			blkback_dev_disconnect(&v->dev);
			xb_rm(v->xb, "%s/error", v->bpath);
			set_state(v, XenbusStateInitWait);
		}
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (v->state == XenbusStateInitWait)
			do_connect(v);
		break;
	case XenbusStateClosing:
		blkback_dev_disconnect(&v->dev);
		set_state(v, XenbusStateClosing);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		blkback_dev_disconnect(&v->dev);
		set_state(v, XenbusStateClosed);
		break;
	default:
		break;
	}
	/* Toolstack removal: online=0 and a Closing request from it. */
	if (!online && (fs == XenbusStateClosed || fs == XenbusStateUnknown ||
			xb_state(v->xb, v->bpath) == XenbusStateClosing)) {
		blkback_dev_disconnect(&v->dev);
		set_state(v, XenbusStateClosed);
		return 1; /* caller may free the vbd */
	}
	return 0;
}

int blkback_vbd_service(struct blkback_vbd *v)
{
	int rc;

	if (v->state != XenbusStateConnected)
		return 0;
	rc = blkback_dev_service(&v->dev, false);
	if (rc == -EPROTO) {
		/* The ring is gone; tell the front end why and close. */
		blkback_dev_disconnect(&v->dev);
		vbd_error(v, rc, "ring protocol violation");
	}
	return rc;
}

void blkback_vbd_remove(struct blkback_vbd *v)
{
	xb_unwatch(v->xb, v->fpath, v->bpath);
	blkback_dev_close(&v->dev);
}
