// SPDX-License-Identifier: MIT
/*
 * netfront's xenbus side (toolstack-compat.md 3.5): wait for the back
 * end's InitWait, check it offers the copy rx path, publish our rings,
 * event channel and request-rx-copy=1, go Connected and wait for the back
 * end to follow. Close through Closing/Closed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "netfront-xb.h"

#define NF_XB_TIMEOUT_MS 10000

static int read_backend(struct netfront_xb *fx)
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

static int publish(struct netfront_xb *fx)
{
	struct netfront *nf = fx->nf;
	int rc = 0;

	rc |=
	    xb_write_uint(fx->xb, nf->tx_ring_ref, "%s/tx-ring-ref", fx->fpath);
	rc |=
	    xb_write_uint(fx->xb, nf->rx_ring_ref, "%s/rx-ring-ref", fx->fpath);
	rc |= xb_write_uint(fx->xb, nf->port, "%s/event-channel", fx->fpath);
	rc |= xb_write(fx->xb, "1", "%s/request-rx-copy", fx->fpath);
	rc |= xb_write(fx->xb, "1", "%s/feature-rx-notify", fx->fpath);
	rc |= xb_write(fx->xb, "1", "%s/feature-sg", fx->fpath);
	/* Frames reach our user complete: a back end must not leave
	 * checksums blank (NETRXF_csum_blank) for us to fill. */
	rc |= xb_write(fx->xb, "1", "%s/feature-no-csum-offload", fx->fpath);
	return rc ? -EIO : 0;
}

static int connect_body(struct netfront_xb *fx)
{
	uint64_t copy = 0;
	int rc, st;

	rc = read_backend(fx);
	if (!rc)
		rc = xb_watch(fx->xb, fx->bpath, "netfront");
	if (rc)
		return rc;
	st = xb_wait_state(fx->xb, fx->bpath,
			   XB_STATE_BIT(XenbusStateInitWait) |
			       XB_STATE_BIT(XenbusStateClosing),
			   NF_XB_TIMEOUT_MS);
	if (st != XenbusStateInitWait)
		return st < 0 ? st : -ECONNREFUSED;
	if (xb_read_uint(fx->xb, &copy, 1, "%s/feature-rx-copy", fx->bpath) ||
	    !copy)
		return -EOPNOTSUPP;
	rc = netfront_init(fx->nf, fx->env, fx->be);
	if (rc)
		return rc;
	rc = publish(fx);
	if (!rc)
		rc = xb_switch(fx->xb, fx->fpath, XenbusStateConnected);
	if (!rc) {
		st = xb_wait_state(fx->xb, fx->bpath,
				   XB_STATE_BIT(XenbusStateConnected) |
				       XB_STATE_BIT(XenbusStateClosing),
				   NF_XB_TIMEOUT_MS);
		rc = st == XenbusStateConnected ? 0
		     : st < 0			? st
						: -ECONNREFUSED;
	}
	if (rc)
		netfront_fini(fx->nf);
	return rc;
}

int netfront_xb_close(struct netfront_xb *fx)
{
	int st;

	xb_switch(fx->xb, fx->fpath, XenbusStateClosing);
	st = xb_wait_state(fx->xb, fx->bpath,
			   XB_STATE_BIT(XenbusStateClosing) |
			       XB_STATE_BIT(XenbusStateClosed),
			   NF_XB_TIMEOUT_MS);
	netfront_fini(fx->nf);
	xb_switch(fx->xb, fx->fpath, XenbusStateClosed);
	xb_unwatch(fx->xb, fx->bpath, "netfront");
	return st < 0 ? st : 0;
}

int netfront_xb_connect(struct netfront_xb *fx)
{
	int rc = connect_body(fx);

	/* A failed connect leaves no watch behind. */
	if (rc && fx->bpath[0])
		xb_unwatch(fx->xb, fx->bpath, "netfront");
	return rc;
}
