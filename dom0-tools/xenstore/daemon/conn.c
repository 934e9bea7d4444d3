// SPDX-License-Identifier: MIT
/*
 * Connections: one per socket client or guest ring, behind struct
 * transport_ops. Owns message framing (header, payload bound 4096: a
 * larger one drops the connection), the bounded output queue (a client
 * that never reads its watch events is dropped once the queue exceeds
 * conn_out_max; a client that never reads replies stops being read, and
 * so does a guest over its "outstanding" or "memory" quota), and the
 * teardown of a connection's watches and transactions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

struct conn *conn_list;
size_t conn_out_max = 256 * 1024;
static unsigned int conn_serial;

struct conn *conn_new(const struct transport_ops *ops, void *tp,
		      unsigned int domid)
{
	struct conn *c = xs_zalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->ops = ops;
	c->tp = tp;
	c->id = ++conn_serial;
	c->domid = domid;
	c->priv = domid == 0;
	c->out_tail = &c->out_head;
	c->next = conn_list;
	conn_list = c;
	xs_log(LOG_INFO, "conn %u: new %s connection, domain %u", c->id,
	       ops->name, domid);
	return c;
}

int conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
	      const void *data, size_t len, bool is_event)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id,
		.len = (uint32_t)len,
	};
	size_t total = sizeof(hdr) + len;
	struct outbuf *b;

	if (c->dead)
		return -EPIPE;
	if (is_event && c->out_bytes + total > conn_out_max) {
		xs_log(LOG_WARN, "conn %u: domain %u does not read its watch events, dropping it",
		       c->id, c->domid);
		c->dead = true;
		return -ENOSPC;
	}
	b = malloc(sizeof(*b) + total);
	if (!b) {
		c->dead = true;
		return -ENOMEM;
	}
	memcpy(b->data, &hdr, sizeof(hdr));
	memcpy(b->data + sizeof(hdr), data, len);
	b->len = total;
	b->done = 0;
	b->is_event = is_event;
	b->next = NULL;
	*c->out_tail = b;
	c->out_tail = &b->next;
	c->out_bytes += total;
	domain_out_acct(c, total, 1);
	return 0;
}

static void conn_flush(struct conn *c)
{
	while (c->out_head && !c->dead) {
		struct outbuf *b = c->out_head;
		ssize_t n = c->ops->write(c, b->data + b->done,
					  b->len - b->done);

		if (n < 0) {
			c->dead = true;
			return;
		}
		if (n == 0)
			return;
		b->done += (size_t)n;
		if (b->done < b->len)
			continue;
		c->out_head = b->next;
		if (!c->out_head)
			c->out_tail = &c->out_head;
		c->out_bytes -= b->len;
		domain_out_acct(c, b->len, -1);
		free(b);
	}
}

void conn_flush_all(void)
{
	struct conn *c;

	for (c = conn_list; c; c = c->next)
		conn_flush(c);
}

/*
 * Read what the current message still needs. 1 = complete, 0 = wait.
 * Reads repeat while they make progress: a ring hands out a message that
 * wraps around its end in two pieces, with one notification.
 */
static int conn_read_msg(struct conn *c)
{
	size_t hlen = sizeof(c->hdr);
	ssize_t n = 0;

	while (c->in_used < hlen) {
		n = c->ops->read(c, (char *)&c->hdr + c->in_used,
				 hlen - c->in_used);
		if (n <= 0)
			goto out;
		c->in_used += (size_t)n;
	}
	if (c->hdr.len > XENSTORE_PAYLOAD_MAX) {
		xs_log(LOG_WARN, "conn %u: domain %u sent %u byte payload, dropping it",
		       c->id, c->domid, c->hdr.len);
		c->error = XENSTORE_ERROR_PROTO;
		c->dead = true;
		return 0;
	}
	while (c->in_used < hlen + c->hdr.len) {
		n = c->ops->read(c, c->in + (c->in_used - hlen),
				 hlen + c->hdr.len - c->in_used);
		if (n <= 0)
			goto out;
		c->in_used += (size_t)n;
	}
	c->in[c->hdr.len] = '\0';
	return 1;
out:
	if (n < 0)
		c->dead = true;
	return 0;
}

void conn_service(struct conn *c)
{
	while (!c->dead) {
		conn_flush(c);
		/* Back-pressure: stop reading while replies pile up. */
		c->stalled = domain_stalled(c);
		if (c->out_bytes > conn_out_max || c->stalled)
			return;
		if (conn_read_msg(c) <= 0)
			return;
		c->in_used = 0;
		wire_process(c, &c->hdr, c->in);
		if (persist_flush() < 0)
			xs_log(LOG_ERR, "journal write failed");
	}
}

static void out_free(struct conn *c)
{
	struct outbuf *b, *next;

	for (b = c->out_head; b; b = next) {
		next = b->next;
		domain_out_acct(c, b->len, -1);
		free(b);
	}
	c->out_head = NULL;
	c->out_tail = &c->out_head;
	c->out_bytes = 0;
}

void conn_reset(struct conn *c)
{
	txn_free_all(c);
	watch_free_all(c);
	out_free(c);
	c->in_used = 0;
}

void conn_destroy(struct conn *c)
{
	struct conn **pp;

	for (pp = &conn_list; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	xs_log(LOG_INFO, "conn %u: closed (domain %u)", c->id, c->domid);
	conn_reset(c);
	if (c->domain)
		domain_conn_gone(c->domain);
	c->ops->close(c);
	free(c);
}

void conn_reap_dead(void)
{
	struct conn *c, *next;

	for (c = conn_list; c; c = next) {
		next = c->next;
		if (c->dead)
			conn_destroy(c);
	}
}
