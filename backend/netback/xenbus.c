// SPDX-License-Identifier: MIT
/*
 * netback's xenbus side and service loop (toolstack-compat.md 3.5): each
 * /local/domain/<self>/backend/vif/<fe>/<devid> gets our features and
 * InitWait; when the front end has published its rings (and the hotplug
 * script, if the toolstack expects one, reported "connected") we check
 * its keys — request-rx-copy=1 is required, split event channels and
 * multiple queues were not offered — create tap vif<fe>.<devid>, connect
 * and go Connected. Closing/Closed and removal as for vbds.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netback-xb.h"

static const char *const features[][2] = {
    {"feature-sg", "1"},
    {"feature-gso-tcpv4", "0"},
    {"feature-gso-tcpv6", "0"},
    {"feature-ipv6-csum-offload", "0"},
    {"feature-rx-copy", "1"},
    {"feature-rx-flip", "0"},
    {"feature-multicast-control", "0"},
    {"feature-split-event-channels", "0"},
    {"multi-queue-max-queues", "1"},
    {"feature-ctrl-ring", "0"},
};

static void xvif_state(struct netback_xd *xd, struct netback_xvif *x,
		       enum xenbus_state st)
{
	if (x->state != st && !xb_switch(&xd->xb, x->bpath, st))
		x->state = st;
}

static void xvif_error(struct netback_xd *xd, struct netback_xvif *x, int err,
		       const char *what)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "%d %s", -err, what);
	xb_write(&xd->xb, msg, "%s/error", x->bpath);
	xvif_state(xd, x, XenbusStateClosing);
}

static int xvif_probe(struct netback_xd *xd, struct netback_xvif *x)
{
	uint64_t fe;
	char *s;
	unsigned int i;
	int rc = 0;

	if (xb_read_uint(&xd->xb, &fe, 0x7fefU, "%s/frontend-id", x->bpath))
		return -EINVAL;
	s = xb_read(&xd->xb, "%s/frontend", x->bpath);
	if (!s || strlen(s) >= sizeof(x->fpath)) {
		free(s);
		return -EINVAL;
	}
	snprintf(x->fpath, sizeof(x->fpath), "%s", s);
	free(s);
	x->fe = (xenv_domid_t)fe;
	x->vif.tap = -1;
	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		rc |= xb_write(&xd->xb, features[i][1], "%s/%s", x->bpath,
			       features[i][0]);
	if (rc || xb_watch(&xd->xb, x->fpath, x->bpath))
		return -EIO;
	xvif_state(xd, x, XenbusStateInitWait);
	return 0;
}

/* The front end's keys; errors name what was refused. */
static int xvif_connect(struct netback_xd *xd, struct netback_xvif *x)
{
	uint64_t tx, rx, port, v = 0;
	char name[16], *split;
	int rc;

	if (xb_read_uint(&xd->xb, &v, 1, "%s/request-rx-copy", x->fpath) ||
	    v != 1)
		return -EOPNOTSUPP; /* only the copy rx path exists */
	if (!xb_read_uint(&xd->xb, &v, UINT32_MAX, "%s/multi-queue-num-queues",
			  x->fpath) &&
	    v > 1)
		return -EINVAL;
	split = xb_read(&xd->xb, "%s/event-channel-tx", x->fpath);
	free(split);
	if (split)
		return -EINVAL; /* split channels were not offered */
	if (xb_read_uint(&xd->xb, &tx, UINT32_MAX, "%s/tx-ring-ref",
			 x->fpath) ||
	    xb_read_uint(&xd->xb, &rx, UINT32_MAX, "%s/rx-ring-ref",
			 x->fpath) ||
	    xb_read_uint(&xd->xb, &port, UINT32_MAX, "%s/event-channel",
			 x->fpath))
		return -EINVAL;
	if (x->vif.tap < 0) {
		snprintf(name, sizeof(name), "vif%u.%s", x->fe,
			 strrchr(x->bpath, '/') + 1);
		rc = netback_tap_open(&x->vif, name);
		if (rc)
			return rc;
	}
	return netback_connect(&x->vif, xd->env, x->fe, (grant_ref_t)tx,
			       (grant_ref_t)rx, (evtchn_port_t)port);
}

/* hotplug-status: absent = no script expected; else wait for it. */
static bool hotplug_ready(struct netback_xd *xd, struct netback_xvif *x)
{
	char *s = xb_read(&xd->xb, "%s/hotplug-status", x->bpath);
	bool ok = !s || !strcmp(s, "connected");

	free(s);
	return ok;
}

static int xvif_changed(struct netback_xd *xd, struct netback_xvif *x)
{
	enum xenbus_state fs = xb_state(&xd->xb, x->fpath);
	uint64_t online = 1;
	int rc;

	xb_read_uint(&xd->xb, &online, 1, "%s/online", x->bpath);
	if ((fs == XenbusStateInitialised || fs == XenbusStateConnected) &&
	    x->state == XenbusStateInitWait && hotplug_ready(xd, x)) {
		rc = xvif_connect(xd, x);
		if (rc)
			xvif_error(xd, x, rc, "connecting the vif");
		else
			xvif_state(xd, x, XenbusStateConnected);
	} else if (fs == XenbusStateInitialising && online &&
		   (x->state == XenbusStateClosed ||
		    x->state == XenbusStateClosing)) {
		netback_disconnect(&x->vif);
		xvif_state(xd, x, XenbusStateInitWait);
	} else if (fs == XenbusStateClosing) {
		netback_disconnect(&x->vif);
		xvif_state(xd, x, XenbusStateClosing);
	} else if (fs == XenbusStateClosed || fs == XenbusStateUnknown) {
		netback_disconnect(&x->vif);
		xvif_state(xd, x, XenbusStateClosed);
	}
	return !online && x->state == XenbusStateClosed;
}

int netback_xd_init(struct netback_xd *xd, struct xenv *e, const char *type)
{
	int rc;

	memset(xd, 0, sizeof(*xd));
	xd->env = e;
	snprintf(xd->root, sizeof(xd->root), "/local/domain/%u/backend/%s",
		 e->self, type ? type : "vif");
	rc = xb_open(&xd->xb);
	return rc ? rc : xb_watch(&xd->xb, xd->root, "vif");
}

static void xd_drop(struct netback_xd *xd, unsigned int i)
{
	struct netback_xvif *x = xd->vif[i];

	netback_disconnect(&x->vif);
	if (x->vif.tap >= 0)
		close(x->vif.tap);
	xb_unwatch(&xd->xb, x->fpath, x->bpath);
	free(x);
	xd->vif[i] = NULL;
}

static void xd_add(struct netback_xd *xd, const char *bpath)
{
	unsigned int i, slot = NETBACK_MAX_VIFS;

	for (i = 0; i < NETBACK_MAX_VIFS; i++) {
		if (xd->vif[i] && !strcmp(xd->vif[i]->bpath, bpath))
			return;
		if (!xd->vif[i] && slot == NETBACK_MAX_VIFS)
			slot = i;
	}
	if (slot == NETBACK_MAX_VIFS)
		return;
	xd->vif[slot] = calloc(1, sizeof(*xd->vif[slot]));
	if (!xd->vif[slot])
		return;
	snprintf(xd->vif[slot]->bpath, sizeof(xd->vif[slot]->bpath), "%s",
		 bpath);
	if (xvif_probe(xd, xd->vif[slot])) {
		free(xd->vif[slot]); /* incomplete: retried later */
		xd->vif[slot] = NULL;
	}
}

static void xd_scan(struct netback_xd *xd)
{
	unsigned int nf, nd, f, d;
	char **fes = xb_ls(&xd->xb, &nf, "%s", xd->root), **devs, bp[128];
	char *v;

	for (f = 0; f < nf; f++) {
		devs = xb_ls(&xd->xb, &nd, "%s/%s", xd->root, fes[f]);
		for (d = 0; d < nd; d++) {
			snprintf(bp, sizeof(bp), "%s/%s/%s", xd->root, fes[f],
				 devs[d]);
			xd_add(xd, bp);
		}
		free(devs);
	}
	free(fes);
	for (f = 0; f < NETBACK_MAX_VIFS; f++) {
		if (!xd->vif[f])
			continue;
		v = xb_read(&xd->xb, "%s/frontend-id", xd->vif[f]->bpath);
		if (!v || xvif_changed(xd, xd->vif[f]))
			xd_drop(xd, f);
		free(v);
	}
}

int netback_xd_run(struct netback_xd *xd, int stop_fd)
{
	struct pollfd p[3 + NETBACK_MAX_VIFS];
	unsigned int i, n;
	bool more = false;

	for (;;) {
		p[0] = (struct pollfd){.fd = xenv_evtchn_fd(xd->env),
				       .events = POLLIN};
		p[1] = (struct pollfd){.fd = xb_fd(&xd->xb), .events = POLLIN};
		p[2] = (struct pollfd){.fd = stop_fd, .events = POLLIN};
		for (i = 0, n = 3; i < NETBACK_MAX_VIFS; i++)
			if (xd->vif[i] && xd->vif[i]->vif.connected)
				p[n++] =
				    (struct pollfd){.fd = xd->vif[i]->vif.tap,
						    .events = POLLIN};
		if (poll(p, n, more ? 0 : -1) < 0 && errno != EINTR)
			return -errno;
		if (p[2].revents)
			return 0;
		if (p[1].revents & POLLIN) {
			while (xb_wait(&xd->xb, 0, NULL, 0) > 0)
				;
			xd_scan(xd);
		}
		xenv_evtchn_wait(xd->env, 0);
		for (i = 0, more = false; i < NETBACK_MAX_VIFS; i++) {
			struct netback_xvif *x = xd->vif[i];

			if (!x || !x->vif.connected)
				continue;
			if (netback_service(&x->vif) == -EPROTO)
				xvif_error(xd, x, -EPROTO,
					   "ring protocol violation");
			more |= x->vif.more;
		}
	}
}

void netback_xd_fini(struct netback_xd *xd)
{
	unsigned int i;

	for (i = 0; i < NETBACK_MAX_VIFS; i++)
		if (xd->vif[i])
			xd_drop(xd, i);
	xb_close(&xd->xb);
}
