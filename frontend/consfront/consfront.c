// SPDX-License-Identifier: MIT
/*
 * consfront: producer of the console "out" ring and consumer of the "in"
 * ring. Bytes before indexes (write barrier), indexes before bytes (read
 * barrier); the back end's indexes are read once and bounded by the ring
 * size, otherwise the console is marked broken.
 */
#include <errno.h>
#include <string.h>
#include <hvabi/io/ring.h>
#include "consfront.h"

int consfront_init(struct consfront *cf, struct xenv *e, xenv_domid_t be)
{
	int rc;

	memset(cf, 0, sizeof(*cf));
	cf->env = e;
	cf->be = be;
	cf->intf = xenv_alloc_pages(e, 1);
	if (!cf->intf)
		return -ENOMEM;
	cf->intf->connection = XENCONSOLE_DISCONNECTED;
	rc = xenv_grant(e, be, cf->intf, 0, &cf->ref);
	if (!rc)
		rc = xenv_evtchn_alloc(e, be, &cf->port);
	if (rc)
		consfront_fini(cf);
	return rc;
}

void consfront_fini(struct consfront *cf)
{
	if (cf->port)
		xenv_evtchn_close(cf->env, cf->port);
	if (cf->ref)
		xenv_ungrant(cf->env, cf->ref);
	xenv_free_pages(cf->env, cf->intf, 1);
	memset(cf, 0, sizeof(*cf));
}

int consfront_write(struct consfront *cf, const void *buf, size_t len)
{
	const char *p = buf;
	xencons_ring_idx_t cons;
	size_t n = 0;

	if (cf->broken)
		return -EPROTO;
	cons = RING_READ_ONCE(cf->intf->out_cons);
	if ((xencons_ring_idx_t)(cf->out_prod - cons) > XENCONS_OUT_SIZE) {
		cf->broken = true;
		return -EPROTO;
	}
	/* The back end's reads of old bytes finish before it moves cons. */
	ring_mb();
	while (n < len &&
	       (xencons_ring_idx_t)(cf->out_prod - cons) < XENCONS_OUT_SIZE) {
		cf->intf->out[XENCONS_MASK(cf->out_prod, XENCONS_OUT_SIZE)] =
		    p[n++];
		cf->out_prod++;
	}
	if (n) {
		/* Bytes visible before the index that publishes them. */
		ring_wmb();
		RING_WRITE_ONCE(cf->intf->out_prod, cf->out_prod);
		xenv_evtchn_notify(cf->env, cf->port);
	}
	return (int)n;
}

int consfront_read(struct consfront *cf, void *buf, size_t len)
{
	char *p = buf;
	xencons_ring_idx_t prod;
	size_t n = 0;

	if (cf->broken)
		return -EPROTO;
	prod = RING_READ_ONCE(cf->intf->in_prod);
	if ((xencons_ring_idx_t)(prod - cf->in_cons) > XENCONS_IN_SIZE) {
		cf->broken = true;
		return -EPROTO;
	}
	/* Index read before the bytes it covers. */
	ring_rmb();
	while (n < len && cf->in_cons != prod) {
		p[n++] = RING_READ_ONCE(
		    cf->intf->in[XENCONS_MASK(cf->in_cons, XENCONS_IN_SIZE)]);
		cf->in_cons++;
	}
	if (n) {
		/* Our reads complete before the back end may reuse slots. */
		ring_mb();
		RING_WRITE_ONCE(cf->intf->in_cons, cf->in_cons);
		xenv_evtchn_notify(cf->env, cf->port);
	}
	return (int)n;
}

bool consfront_connected(const struct consfront *cf)
{
	return RING_READ_ONCE(cf->intf->connection) == XENCONSOLE_CONNECTED;
}
