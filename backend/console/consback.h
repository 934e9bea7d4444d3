/* SPDX-License-Identifier: MIT */
/*
 * Console back end (xenconsoled-style, toolstack-compat.md 3.6): for each
 * guest console it maps the ring page, binds the event channel, opens a
 * pty whose slave path it publishes in "<frontend>/tty", copies the "out"
 * ring to the pty (and an optional log file) and the pty to the "in" ring.
 */
#ifndef CONSBACK_H
#define CONSBACK_H

#include <stdbool.h>
#include <hvabi/io/console.h>
#include "../../frontend/env/xenv.h"
#include "../../frontend/env/xenbus.h"

#define CONSBACK_MAX 16U

struct consback_con {
	xenv_domid_t dom;
	char bpath[96];
	char fpath[96];
	struct xencons_interface *intf;
	evtchn_port_t port;
	int master, slave, log_fd;
	char tty[64];
	/* Private copies of the indexes we own. */
	xencons_ring_idx_t out_cons, in_prod;
	bool connected, broken;
	/* Secondary consoles (devid >= 1) have a xenbus state: ours. */
	bool xenbus;
	enum xenbus_state state;
};

struct consback {
	struct xenv *env;
	struct xb xb;
	char root[64];
	const char *log_dir; /* NULL: no log files */
	struct consback_con *con[CONSBACK_MAX];
};

/* Watch /local/domain/<self>/backend/console; logs to @log_dir/<d>.log. */
int consback_init(struct consback *cb, struct xenv *e, const char *log_dir);
/* Serve until @stop_fd is readable. */
int consback_run(struct consback *cb, int stop_fd);
void consback_fini(struct consback *cb);

/* Move bytes both ways for one console; -EPROTO on bad indexes. */
int consback_pump(struct consback *cb, struct consback_con *c);

#endif
