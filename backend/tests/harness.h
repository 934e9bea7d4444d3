/* SPDX-License-Identifier: MIT */
/*
 * Multi-process block test harness: the test process is the front end
 * domain (domid 1, or 2 for a second guest); a forked child is the back
 * end domain 0 running blkback on one or more devices. Devices are
 * attached either directly (this file's control socket carries ring refs
 * and ports, for tests that isolate the I/O engine) or through xenstore
 * (xb-harness in the xenbus tests).
 */
#ifndef BLK_HARNESS_H
#define BLK_HARNESS_H

#include <sys/types.h>
#include "../blkback/blkback.h"
#include "../../frontend/blkfront/blkfront.h"

#define H_MAX_DEVS 4U
#define H_MEM_PAGES 65536U /* 256 MiB of sparse "guest RAM" per domain */

struct h_backend {
	struct xenv_world *w;
	pid_t pid;
	int sock;
};

/* Start / stop / kill the back end child (it owns domid 0). */
int h_backend_start(struct h_backend *hb, struct xenv_world *w);
int h_backend_stop(struct h_backend *hb);
void h_backend_kill(struct h_backend *hb);

/*
 * Attach device @dev (0..H_MAX_DEVS-1) for front end @fe_dom with @cfg to
 * the rings @bf already allocated; fills @info with what the back end
 * offers. Returns 0 or the back end's negative errno.
 */
int h_attach(struct h_backend *hb, unsigned int dev, xenv_domid_t fe_dom,
	     const struct blkback_cfg *cfg, struct blkfront *bf,
	     struct blkfront_info *info);
int h_detach(struct h_backend *hb, unsigned int dev);
/* Per-device counters from the back end: requests, errors, broken. */
int h_stats(struct h_backend *hb, unsigned int dev, uint64_t out[3]);

/* A temporary backing file of @bytes filled with a pattern; path out. */
int h_make_disk(char *path, size_t pathlen, uint64_t bytes);
/* Deterministic fill: byte i of the stream seeded by @seed. */
void h_fill(void *buf, size_t len, uint64_t seed);
/* Front end env + blkfront connected directly to device @dev. */
int h_front_connect(struct h_backend *hb, struct xenv *fe, unsigned int dev,
		    const struct blkback_cfg *cfg, unsigned int nq,
		    unsigned int order, struct blkfront *bf);

#endif
