/* SPDX-License-Identifier: MIT */
/*
 * The guest ring connection shared by the host transport (ring.c: memfd +
 * eventfd) and the dom0 transport (ring-xen.c: gntdev + evtchn). The byte
 * stream consumer over struct xenstore_domain_interface is ring-conn.c.
 */
#ifndef XENSTORED_RING_H
#define XENSTORED_RING_H

#include "xenstored.h"

struct ring_conn;

struct ring_ops {
	const char *name;
	void (*notify)(struct ring_conn *rc);	/* signal the guest */
	void (*kick)(struct ring_conn *rc);	/* consume our notification */
	void (*unmap)(struct ring_conn *rc);	/* release page and channel */
};

struct ring_conn {
	/* Guest-writable: read each index once, validate the local copy. */
	struct xenstore_domain_interface *intf;
	const struct ring_ops *ops;
	int efd_in;		/* poll()ed: the guest notified us */
	int efd_out;		/* host: eventfd we signal */
	uint32_t local_port;	/* xen: bound event channel */
	struct conn *conn;
};

/* Create the connection for @d over @rc and advertise our features. */
int ring_conn_attach(struct domain *d, struct ring_conn *rc);
/* dom0 transport: grant 1 of @d, else frame @gfn; event channel @port. */
int ring_xen_connect(struct domain *d, unsigned long gfn, unsigned int port);

#endif /* XENSTORED_RING_H */
