/* SPDX-License-Identifier: MIT */
/*
 * consfront: the guest end of the PV console (struct xencons_interface).
 * Writes go to the "out" ring, reads come from the "in" ring; the back
 * end's indexes are checked on every use.
 */
#ifndef CONSFRONT_H
#define CONSFRONT_H

#include <stddef.h>
#include <hvabi/io/console.h>
#include "../env/xenv.h"

struct consfront {
	struct xenv *env;
	xenv_domid_t be;
	struct xencons_interface *intf;
	grant_ref_t ref;
	evtchn_port_t port;
	/* Private copies of the indexes we own. */
	xencons_ring_idx_t out_prod, in_cons;
	bool broken;
};

/* Allocate and grant the ring page, allocate the event channel. */
int consfront_init(struct consfront *cf, struct xenv *e, xenv_domid_t be);
void consfront_fini(struct consfront *cf);
/*
 * Queue up to @len bytes; returns how many fit (0 if the ring is full),
 * or -EPROTO if the back end's out_cons is impossible.
 */
int consfront_write(struct consfront *cf, const void *buf, size_t len);
/* Take up to @len received bytes; count, or -EPROTO. */
int consfront_read(struct consfront *cf, void *buf, size_t len);
/* Whether the back end has declared itself connected. */
bool consfront_connected(const struct consfront *cf);

#endif
