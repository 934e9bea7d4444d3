// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the input is what a client sends. Byte 0 picks the
 * path: a privileged socket-like connection, an unprivileged domain
 * connection, or a guest ring page whose indexes and contents come from
 * the input. Everything goes through the real conn/wire/store code; any
 * crash, sanitizer report or leak is a failure.
 */
#include <stdlib.h>
#include <string.h>

#include "../daemon/ring.h"

struct feed {
	const uint8_t *p;
	size_t len, off;
};

static ssize_t feed_read(struct conn *c, void *buf, size_t len)
{
	struct feed *f = c->tp;

	if (f->off >= f->len)
		return -1;	/* input exhausted: the client hangs up */
	if (len > f->len - f->off)
		len = f->len - f->off;
	memcpy(buf, f->p + f->off, len);
	f->off += len;
	return (ssize_t)len;
}

static ssize_t sink_write(struct conn *c, const void *buf, size_t len)
{
	(void)c;
	(void)buf;
	return (ssize_t)len;
}

static void feed_close(struct conn *c)
{
	(void)c;
}

static int feed_pollfd(struct conn *c, short *events)
{
	(void)c;
	*events = 0;
	return -1;
}

static const struct transport_ops feed_ops = {
	.name = "fuzz", .read = feed_read, .write = sink_write,
	.close = feed_close, .pollfd = feed_pollfd,
};

static void nop(struct ring_conn *rc)
{
	(void)rc;
}

static void page_free(struct ring_conn *rc)
{
	free(rc->intf);
}

static const struct ring_ops fuzz_ring_ops = {
	.name = "fuzz-ring", .notify = nop, .kick = nop, .unmap = page_free,
};

static void run_stream(const uint8_t *data, size_t size, unsigned int domid)
{
	struct feed f = { data, size, 0 };
	struct conn *c = conn_new(&feed_ops, &f, domid);
	int rounds;

	if (!c)
		return;
	if (domid)
		c->domain = NULL;
	for (rounds = 0; !c->dead && rounds < 10000; rounds++)
		conn_service(c);
	conn_destroy(c);
}

static void run_ring(const uint8_t *data, size_t size)
{
	struct domain *d = domain_get(9);
	struct ring_conn *rc = calloc(1, sizeof(*rc));
	struct xenstore_domain_interface *page = calloc(1, 4096);
	int rounds;

	if (!d || !rc || !page) {
		free(rc);
		free(page);
		return;
	}
	memcpy(page, data, size < 4096 ? size : 4096);
	rc->intf = page;
	rc->ops = &fuzz_ring_ops;
	if (ring_conn_attach(d, rc)) {
		free(rc);
		free(page);
		return;
	}
	for (rounds = 0; d->conn && !d->conn->dead && rounds < 64; rounds++)
		conn_service(d->conn);
	ring_disconnect_domain(d, NULL);
	conn_reap_dead();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		xs_log_level = LOG_ERR;
		if (store_init())
			abort();
		ready = 1;
	}
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		run_stream(data + 1, size - 1, 0);
		break;
	case 1:
		run_stream(data + 1, size - 1, 5);
		break;
	default:
		run_ring(data + 1, size - 1);
		break;
	}
	return 0;
}
