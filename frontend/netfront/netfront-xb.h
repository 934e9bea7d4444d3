/* SPDX-License-Identifier: MIT */
/*
 * netfront's xenbus handshake (xenbus.c) for one vif directory
 * /local/domain/<self>/device/vif/<devid> written by the toolstack.
 */
#ifndef NETFRONT_XB_H
#define NETFRONT_XB_H

#include "netfront.h"
#include "../env/xenbus.h"

struct netfront_xb {
	struct netfront *nf;
	struct xenv *env;
	struct xb *xb;
	char fpath[128];
	char bpath[128];
	xenv_domid_t be;
};

/*
 * InitWait -> rings and request-rx-copy=1 -> Connected -> back end
 * Connected. Errors: -EOPNOTSUPP no feature-rx-copy, -ECONNREFUSED the
 * back end closed instead, -ETIMEDOUT, -EINVAL malformed keys.
 */
int netfront_xb_connect(struct netfront_xb *fx);
int netfront_xb_close(struct netfront_xb *fx);

#endif
