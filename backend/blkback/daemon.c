// SPDX-License-Identifier: MIT
/*
 * The blkback service loop: watches /local/domain/<self>/backend/vbd,
 * probes each new <fe>/<devid> directory, follows state changes, and
 * serves the rings of every connected vbd when their event channels
 * fire. One misbehaving front end only ever closes its own vbd.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "blkback.h"

int blkback_daemon_init(struct blkback_daemon *bd, struct xenv *e,
			const struct blkback_cfg *tmpl)
{
	int rc;

	memset(bd, 0, sizeof(*bd));
	bd->env = e;
	bd->tmpl = *tmpl;
	snprintf(bd->root, sizeof(bd->root), "/local/domain/%u/backend/%s",
		 e->self, tmpl->type ? tmpl->type : "vbd");
	rc = xb_open(&bd->xb);
	if (rc)
		return rc;
	rc = xb_watch(&bd->xb, bd->root, "vbd");
	if (rc)
		xb_close(&bd->xb);
	return rc;
}

static struct blkback_vbd *find_vbd(struct blkback_daemon *bd,
				    const char *bpath)
{
	unsigned int i;

	for (i = 0; i < BLKBACK_MAX_VBDS; i++)
		if (bd->vbd[i] && !strcmp(bd->vbd[i]->bpath, bpath))
			return bd->vbd[i];
	return NULL;
}

static void drop_vbd(struct blkback_daemon *bd, unsigned int i)
{
	if (!bd->vbd[i]->dead)
		blkback_vbd_remove(bd->vbd[i]);
	free(bd->vbd[i]);
	bd->vbd[i] = NULL;
}

static void probe_new(struct blkback_daemon *bd, const char *bpath)
{
	struct blkback_vbd *v;
	unsigned int i;
	int rc;

	for (i = 0; i < BLKBACK_MAX_VBDS && bd->vbd[i]; i++)
		;
	if (i == BLKBACK_MAX_VBDS)
		return;
	v = calloc(1, sizeof(*v));
	if (!v)
		return;
	rc = blkback_vbd_probe(v, &bd->xb, bd->env, bpath, &bd->tmpl);
	if (rc == -EINVAL) {
		free(v); /* incomplete: the toolstack is still writing */
		return;
	}
	v->dead = rc != 0;
	bd->vbd[i] = v;
}

/* Probe directories we have not seen. */
static void scan(struct blkback_daemon *bd)
{
	unsigned int nf, nd, f, d;
	char **fes, **devs, bpath[128];

	fes = xb_ls(&bd->xb, &nf, "%s", bd->root);
	for (f = 0; f < nf; f++) {
		devs = xb_ls(&bd->xb, &nd, "%s/%s", bd->root, fes[f]);
		for (d = 0; d < nd; d++) {
			snprintf(bpath, sizeof(bpath), "%s/%s/%s", bd->root,
				 fes[f], devs[d]);
			if (!find_vbd(bd, bpath))
				probe_new(bd, bpath);
		}
		free(devs);
	}
	free(fes);
}

/* Follow state changes; drop removed vbds. */
static void update(struct blkback_daemon *bd)
{
	unsigned int i;
	char *st;

	for (i = 0; i < BLKBACK_MAX_VBDS; i++) {
		struct blkback_vbd *v = bd->vbd[i];

		if (!v)
			continue;
		st = xb_read(&bd->xb, "%s/frontend-id", v->bpath);
		if (!st) { /* directory removed by the toolstack */
			drop_vbd(bd, i);
			continue;
		}
		free(st);
		if (!v->dead && blkback_vbd_changed(v) == 1)
			drop_vbd(bd, i);
	}
}

static struct blkback_dev *vbd_dev(unsigned int i, void *arg)
{
	struct blkback_vbd *v = ((struct blkback_daemon *)arg)->vbd[i];

	return v && !v->dead ? &v->dev : NULL;
}

/*
 * One round over every vbd; true if some ring still has work, or gets
 * some while we poll after serving.
 */
static bool serve(struct blkback_daemon *bd)
{
	unsigned int i;
	bool more = false;
	int done = 0, rc;

	for (i = 0; i < BLKBACK_MAX_VBDS; i++) {
		if (!vbd_dev(i, bd))
			continue;
		rc = blkback_vbd_service(bd->vbd[i]);
		done += rc > 0 ? rc : 0;
		more |= blkback_dev_more(&bd->vbd[i]->dev);
	}
	return more || (done && blkback_poll(vbd_dev, BLKBACK_MAX_VBDS, bd));
}

int blkback_daemon_run(struct blkback_daemon *bd, int stop_fd)
{
	struct pollfd pfd[3] = {
	    {.fd = xenv_evtchn_fd(bd->env), .events = POLLIN},
	    {.fd = xb_fd(&bd->xb), .events = POLLIN},
	    {.fd = stop_fd, .events = POLLIN},
	};

	bool more = false;

	for (;;) {
		if (poll(pfd, stop_fd >= 0 ? 3 : 2, more ? 0 : -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((pfd[0].revents & POLLIN) || more) {
			xenv_evtchn_wait(bd->env, 0);
			more = serve(bd);
		}
		if (pfd[1].revents & POLLIN) {
			while (xb_wait(&bd->xb, 0, NULL, 0) > 0)
				;
			scan(bd);
			update(bd);
		}
		if (stop_fd >= 0 && pfd[2].revents)
			return 0;
	}
}

void blkback_daemon_fini(struct blkback_daemon *bd)
{
	unsigned int i;

	for (i = 0; i < BLKBACK_MAX_VBDS; i++)
		if (bd->vbd[i])
			drop_vbd(bd, i);
	xb_unwatch(&bd->xb, bd->root, "vbd");
	xb_close(&bd->xb);
}
