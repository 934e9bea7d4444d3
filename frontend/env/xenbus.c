// SPDX-License-Identifier: MIT
/*
 * xenstore access for drivers over libxenstore: formatted paths, strict
 * parsing of peer-written values, watches and XenbusState helpers. Every
 * value read here was written by the other (untrusted) end.
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

#define XB_PATH_MAX 256

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

static int vpath(char *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, XB_PATH_MAX, fmt, ap);

	return n < 0 || n >= XB_PATH_MAX ? -ENAMETOOLONG : 0;
}

static char *xb_vread(struct xb *xb, const char *fmt, va_list ap)
{
	char path[XB_PATH_MAX];
	unsigned int len;

	if (vpath(path, fmt, ap)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return xs_read(xb->xs, XBT_NULL, path, &len);
}

char *xb_read(struct xb *xb, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xb_vread(xb, fmt, ap);
	va_end(ap);
	return v;
}

/* Plain decimal only: no sign, no spaces, no hex, no overflow. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s || strlen(s) > 20)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int xb_read_uint(struct xb *xb, uint64_t *out, uint64_t max, const char *fmt,
		 ...)
{
	va_list ap;
	char *v;
	int rc;

	va_start(ap, fmt);
	v = xb_vread(xb, fmt, ap);
	va_end(ap);
	if (!v)
		return -ENOENT;
	rc = parse_uint(v, max, out);
	free(v);
	return rc;
}

static int xb_vwrite(struct xb *xb, const char *val, const char *fmt,
		     va_list ap)
{
	char path[XB_PATH_MAX];

	if (vpath(path, fmt, ap))
		return -ENAMETOOLONG;
	if (!xs_write(xb->xs, XBT_NULL, path, val, (unsigned int)strlen(val)))
		return -(errno ? errno : EIO);
	return 0;
}

int xb_write(struct xb *xb, const char *val, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xb_vwrite(xb, val, fmt, ap);
	va_end(ap);
	return rc;
}

int xb_write_uint(struct xb *xb, uint64_t val, const char *fmt, ...)
{
	char num[24];
	va_list ap;
	int rc;

	snprintf(num, sizeof(num), "%llu", (unsigned long long)val);
	va_start(ap, fmt);
	rc = xb_vwrite(xb, num, fmt, ap);
	va_end(ap);
	return rc;
}

int xb_rm(struct xb *xb, const char *fmt, ...)
{
	char path[XB_PATH_MAX];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(path, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	if (!xs_rm(xb->xs, XBT_NULL, path) && errno != ENOENT)
		return -(errno ? errno : EIO);
	return 0;
}

char **xb_ls(struct xb *xb, unsigned int *n, const char *fmt, ...)
{
	char path[XB_PATH_MAX];
	char **v;
	va_list ap;
	int rc;

	*n = 0;
	va_start(ap, fmt);
	rc = vpath(path, fmt, ap);
	va_end(ap);
	if (rc)
		return NULL;
	v = xs_directory(xb->xs, XBT_NULL, path, n);
	if (!v)
		*n = 0;
	return v;
}

enum xenbus_state xb_state(struct xb *xb, const char *dir)
{
	uint64_t v;

	if (xb_read_uint(xb, &v, XENBUS_STATE_MAX, "%s/state", dir))
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

int xb_switch(struct xb *xb, const char *dir, enum xenbus_state st)
{
	return xb_write_uint(xb, (uint64_t)st, "%s/state", dir);
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

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int xb_wait_state(struct xb *xb, const char *dir, unsigned int mask,
		  int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	enum xenbus_state st;

	for (;;) {
		st = xb_state(xb, dir);
		if (mask & XB_STATE_BIT(st))
			return (int)st;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		if (xb_wait(xb, (int)(end - now_ms()), NULL, 0) < 0)
			return -EIO;
	}
}
