/* SPDX-License-Identifier: MIT */
/*
 * netback's xenbus side and service loop (xenbus.c): every vif under
 * /local/domain/<self>/backend/vif, its handshake, and its traffic.
 */
#ifndef NETBACK_XB_H
#define NETBACK_XB_H

#include <hvabi/io/xenbus.h>
#include "netback.h"
#include "../../frontend/env/xenbus.h"

#define NETBACK_MAX_VIFS 8U

struct netback_xvif {
	char bpath[128];
	char fpath[128];
	xenv_domid_t fe;
	enum xenbus_state state;
	struct netback_vif vif;
};

struct netback_xd {
	struct xenv *env;
	struct xb xb;
	char root[64];
	struct netback_xvif *vif[NETBACK_MAX_VIFS];
};

/*
 * Connect to xenstore and watch our backend/<@type> tree: NULL for "vif";
 * e.g. "qnic" (QEMU's name for its PV nic back end) leaves vif to Linux's
 * kernel netback. -errno.
 */
int netback_xd_init(struct netback_xd *xd, struct xenv *e, const char *type);
/* Serve until @stop_fd is readable. */
int netback_xd_run(struct netback_xd *xd, int stop_fd);
void netback_xd_fini(struct netback_xd *xd);

#endif
