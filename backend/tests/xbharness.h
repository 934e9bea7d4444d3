/* SPDX-License-Identifier: MIT */
/*
 * xenstore test environment: a private xenstored (the one dom0-tools
 * builds, $XENSTORED), a world of host domains, the front end domain 1 in
 * this process with its xenstore connection, the blkback service loop in
 * a forked domain 0, and the toolstack's part (device keys as libxl
 * writes them, removal as libxl does it).
 */
#ifndef XBHARNESS_H
#define XBHARNESS_H

#include <sys/types.h>
#include "../blkback/blkback.h"

struct xs_env {
	char dir[64];
	pid_t xenstored;
	pid_t backend;
	int stop_fd;
	struct xenv_world *w;
	struct xenv *fe;
	struct xb xb;
};

int xs_env_start(struct xs_env *x, unsigned int ndoms);
int xs_env_start_blkback(struct xs_env *x);
/* Stops the back end and the daemon; non-zero if either failed. */
int xs_env_stop(struct xs_env *x);
/* Fork a child running fn(x, arg) as domain @dom; returns its pid. */
pid_t xs_env_fork(struct xs_env *x, int (*fn)(struct xs_env *, void *),
		  void *arg);

/* libxl's vbd keys for front end @fe, device @devid, disk @path. */
int ts_add_vbd(struct xs_env *x, unsigned int fe, unsigned int devid,
	       const char *path, const char *mode);
/* libxl's removal; returns the back end state reached (6 = Closed). */
int ts_remove(struct xs_env *x, const char *bpath);

#endif
