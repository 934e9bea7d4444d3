// SPDX-License-Identifier: MIT
/*
 * The xenbus store of a PV kernel of our own: xs-free.c's client over
 * the store page the domain builder gave it, and the kernel's clock.
 * Paths are as the drivers format them (absolute, or relative to the
 * domain's home as the protocol allows).
 */
#include "xenbus.h"
#include "xs-free.h"

void xb_free_init(struct xb *xb, struct xs_free *xf, uint64_t (*now_ns)(void))
{
	*xb = (struct xb){.xf = xf, .now_ns = now_ns};
}

int xb_store_read(struct xb *xb, const char *path, char *buf, size_t cap)
{
	return xs_free_read(xb->xf, path, buf,
			    cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap);
}

int xb_store_write(struct xb *xb, const char *path, const char *val)
{
	return xs_free_write(xb->xf, path, val);
}

int xb_store_rm(struct xb *xb, const char *path)
{
	return xs_free_rm(xb->xf, path);
}

int xb_watch(struct xb *xb, const char *path, const char *token)
{
	return xs_free_watch(xb->xf, path, token);
}

int xb_unwatch(struct xb *xb, const char *path, const char *token)
{
	return xs_free_unwatch(xb->xf, path, token);
}

int xb_wait(struct xb *xb, int timeout_ms, char *path, size_t len)
{
	char fired[XB_PATH_MAX], token[XB_PATH_MAX]; /* ours are shorter */
	int rc = xs_free_wait_event(xb->xf, fired, token, sizeof(token),
				    timeout_ms);

	if (rc == 1 && path && len) {
		size_t i;

		for (i = 0; i + 1 < len && fired[i]; i++)
			path[i] = fired[i];
		path[i] = '\0';
	}
	return rc;
}

long xb_now_ms(struct xb *xb)
{
	return (long)(xb->now_ns() / 1000000);
}
