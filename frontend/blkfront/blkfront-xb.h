/* SPDX-License-Identifier: MIT */
/*
 * blkfront's xenbus handshake (xenbus.c): one device directory
 * /local/domain/<self>/device/vbd/<devid> written by the toolstack.
 */
#ifndef BLKFRONT_XB_H
#define BLKFRONT_XB_H

#include "blkfront.h"
#include "../env/xenbus.h"

struct blkfront_xb {
	struct blkfront *bf;
	struct xenv *env;
	struct xb *xb;
	char fpath[128]; /* our device directory */
	char bpath[128]; /* read from <fpath>/backend */
	xenv_domid_t be;
};

/*
 * Full connect: InitWait -> publish rings -> Initialised -> Connected.
 * Errors: -EINVAL malformed back end keys, -ECONNREFUSED the back end
 * closed instead, -ETIMEDOUT (10 s), blkfront_init/xenstore errors.
 */
int blkfront_xb_connect(struct blkfront_xb *fx, unsigned int want_queues,
			unsigned int want_order);
/* Closing -> (back end Closing/Closed) -> Closed; frees the rings. */
int blkfront_xb_close(struct blkfront_xb *fx);
/* After a close: Initialising again and a full connect. */
int blkfront_xb_reopen(struct blkfront_xb *fx, unsigned int want_queues,
		       unsigned int want_order);

#endif
