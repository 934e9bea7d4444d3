// SPDX-License-Identifier: MIT
/*
 * The xenbus store over libxenstore (ours, from dom0-tools): host tests
 * and Linux user space. Also what only a hosted driver needs: values
 * returned malloc'd, directory listings, the connection's descriptor.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>
#include <hvabi/io/xs_wire.h>
#include "xenbus.h"

int xb_open(struct xb *xb)
{
	xb->xs = xs_open(0);
	return xb->xs ? 0 : -(errno ? errno : EIO);
}

void xb_close(struct xb *xb)
{
	if (xb->xs)
		xs_close(xb->xs);
	xb->xs = NULL;
}

int xb_store_read(struct xb *xb, const char *path, char *buf, size_t cap)
{
	unsigned int len;
	char *v = xs_read(xb->xs, XBT_NULL, path, &len);

	if (!v)
		return -(errno ? errno : EIO);
	if (len >= cap) {
		free(v);
		return -E2BIG;
	}
	memcpy(buf, v, len + 1);
	free(v);
	return (int)len;
}

int xb_store_write(struct xb *xb, const char *path, const char *val)
{
	if (!xs_write(xb->xs, XBT_NULL, path, val, (unsigned int)strlen(val)))
		return -(errno ? errno : EIO);
	return 0;
}

int xb_store_rm(struct xb *xb, const char *path)
{
	return xs_rm(xb->xs, XBT_NULL, path) ? 0 : -(errno ? errno : EIO);
}

char *xb_read(struct xb *xb, const char *fmt, ...)
{
	char path[XB_PATH_MAX];
	unsigned int len;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xb_vpath(path, fmt, ap);
	va_end(ap);
	if (rc) {
		errno = -rc;
		return NULL;
	}
	return xs_read(xb->xs, XBT_NULL, path, &len);
}

char **xb_ls(struct xb *xb, unsigned int *n, const char *fmt, ...)
{
	char path[XB_PATH_MAX];
	char **v;
	va_list ap;
	int rc;

	*n = 0;
	va_start(ap, fmt);
	rc = xb_vpath(path, fmt, ap);
	va_end(ap);
	if (rc)
		return NULL;
	v = xs_directory(xb->xs, XBT_NULL, path, n);
	if (!v)
		*n = 0;
	return v;
}

int xb_watch(struct xb *xb, const char *path, const char *token)
{
	return xs_watch(xb->xs, path, token) ? 0 : -(errno ? errno : EIO);
}

int xb_unwatch(struct xb *xb, const char *path, const char *token)
{
	return xs_unwatch(xb->xs, path, token) ? 0 : -(errno ? errno : EIO);
}

int xb_fd(struct xb *xb)
{
	return xs_fileno(xb->xs);
}

int xb_wait(struct xb *xb, int timeout_ms, char *path, size_t len)
{
	struct pollfd pfd = {.fd = xs_fileno(xb->xs), .events = POLLIN};
	char **ev = xs_check_watch(xb->xs);
	int rc;

	if (!ev) {
		rc = poll(&pfd, 1, timeout_ms);
		if (rc < 0)
			return errno == EINTR ? 0 : -errno;
		if (rc == 0)
			return 0;
		ev = xs_check_watch(xb->xs);
		if (!ev)
			return 0;
	}
	if (path && len)
		snprintf(path, len, "%s", ev[XS_WATCH_PATH]);
	free(ev);
	return 1;
}

long xb_now_ms(struct xb *xb)
{
	struct timespec ts;

	(void)xb;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
