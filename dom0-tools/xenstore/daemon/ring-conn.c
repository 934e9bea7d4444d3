// SPDX-License-Identifier: MIT
/*
 * Ring consumer and producer over the shared xenstore page, used as the
 * transport_ops of every guest connection whatever maps the page. Handles
 * the RECONNECT request (reset ring, watches and transactions), index
 * validation and the error field. Barriers: we read a producer index
 * before the bytes it covers (acquire) and publish our index only after
 * we finished with the bytes (release); the guest sees the same order.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define SERVER_FEATURES (XENSTORE_SERVER_FEATURE_RECONNECTION | \
			 XENSTORE_SERVER_FEATURE_ERROR | \
			 XENSTORE_SERVER_FEATURE_WATCHDEPTH | \
			 XENSTORE_SERVER_FEATURE_DOMID_ANY)

static void ring_fail(struct conn *c, uint32_t err)
{
	struct ring_conn *rc = c->tp;

	c->error = err;
	WRITE_ONCE(rc->intf->error, err);
	rc->ops->notify(rc);
}

/* The guest asked for a reset: 1 if it was handled. */
static int check_reconnect(struct conn *c)
{
	struct ring_conn *rc = c->tp;
	struct xenstore_domain_interface *intf = rc->intf;

	if (READ_ONCE(intf->connection) != XENSTORE_RECONNECT)
		return 0;
	xs_log(LOG_INFO, "conn %u: domain %u asked for reconnection", c->id,
	       c->domid);
	conn_reset(c);
	WRITE_ONCE(intf->req_cons, 0);
	WRITE_ONCE(intf->req_prod, 0);
	WRITE_ONCE(intf->rsp_cons, 0);
	WRITE_ONCE(intf->rsp_prod, 0);
	WRITE_ONCE(intf->error, XENSTORE_ERROR_NONE);
	/* Indexes are reset before the guest may see CONNECTED. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(intf->connection, XENSTORE_CONNECTED);
	rc->ops->notify(rc);
	return 1;
}

static ssize_t ring_read(struct conn *c, void *buf, size_t len)
{
	struct ring_conn *rc = c->tp;
	struct xenstore_domain_interface *intf = rc->intf;
	XENSTORE_RING_IDX cons, prod;
	size_t off, n;

	if (check_reconnect(c) || c->error)
		return c->error ? -1 : 0;
	cons = READ_ONCE(intf->req_cons);
	prod = READ_ONCE(intf->req_prod);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* data after prod */
	if (prod - cons > XENSTORE_RING_SIZE) {		/* guest controlled */
		ring_fail(c, XENSTORE_ERROR_RINGIDX);
		return -1;
	}
	n = prod - cons;
	if (!n)
		return 0;
	off = MASK_XENSTORE_IDX(cons);
	if (n > XENSTORE_RING_SIZE - off)
		n = XENSTORE_RING_SIZE - off;
	if (n > len)
		n = len;
	memcpy(buf, intf->req + off, n);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* copied before cons */
	WRITE_ONCE(intf->req_cons, cons + (XENSTORE_RING_IDX)n);
	rc->ops->notify(rc);
	return (ssize_t)n;
}

static ssize_t ring_write(struct conn *c, const void *buf, size_t len)
{
	struct ring_conn *rc = c->tp;
	struct xenstore_domain_interface *intf = rc->intf;
	XENSTORE_RING_IDX cons, prod;
	size_t off, n;

	if (c->error)
		return -1;
	cons = READ_ONCE(intf->rsp_cons);
	prod = READ_ONCE(intf->rsp_prod);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* space after cons */
	if (prod - cons > XENSTORE_RING_SIZE) {		/* guest controlled */
		ring_fail(c, XENSTORE_ERROR_RINGIDX);
		return -1;
	}
	n = XENSTORE_RING_SIZE - (prod - cons);
	if (!n)
		return 0;
	off = MASK_XENSTORE_IDX(prod);
	if (n > XENSTORE_RING_SIZE - off)
		n = XENSTORE_RING_SIZE - off;
	if (n > len)
		n = len;
	memcpy(intf->rsp + off, buf, n);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* data before prod */
	WRITE_ONCE(intf->rsp_prod, prod + (XENSTORE_RING_IDX)n);
	rc->ops->notify(rc);
	return (ssize_t)n;
}

static void ring_close(struct conn *c)
{
	struct ring_conn *rc = c->tp;

	if (c->error)
		ring_fail(c, c->error);
	rc->ops->unmap(rc);
	free(rc);
}

static int ring_pollfd(struct conn *c, short *events)
{
	struct ring_conn *rc = c->tp;

	*events = POLLIN;
	return rc->efd_in;
}

static void ring_kick(struct conn *c)
{
	struct ring_conn *rc = c->tp;

	rc->ops->kick(rc);
}

static const struct transport_ops ring_transport = {
	.name = "ring",
	.read = ring_read,
	.write = ring_write,
	.close = ring_close,
	.pollfd = ring_pollfd,
	.kick = ring_kick,
};

int ring_conn_attach(struct domain *d, struct ring_conn *rc)
{
	struct conn *c = conn_new(&ring_transport, rc, d->domid);
	uint32_t features = d->features ? d->features : SERVER_FEATURES;

	if (!c)
		return -ENOMEM;
	c->priv = d->domid == xs_priv_domid;	/* dom0's own ring too */
	c->domain = d;
	d->conn = c;
	rc->conn = c;
	WRITE_ONCE(rc->intf->server_features, features & SERVER_FEATURES);
	rc->ops->notify(rc);
	return 0;
}

void ring_disconnect_domain(struct domain *d, const struct conn *busy)
{
	struct conn *c = d->conn;

	if (!c)
		return;
	d->conn = NULL;
	if (c == busy) {	/* its own request: destroyed when reaped */
		c->domain = NULL;
		c->dead = true;
		return;
	}
	/* Now: the page and the channel are free when RELEASE answers, and
	 * a new INTRODUCE may bind the same remote port again at once. */
	conn_destroy(c);
}
