// SPDX-License-Identifier: MIT
/*
 * xenstore access for drivers, whatever the store: formatted paths,
 * strict parsing of peer-written values, XenbusState helpers. Every value
 * read here was written by the other (untrusted) end. The store itself is
 * xenbus-xs.c (libxenstore) or xenbus-free.c (a PV kernel's xs-free).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xenbus.h"

int xb_vpath(char *buf, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, XB_PATH_MAX, fmt, ap);

	return n < 0 || n >= XB_PATH_MAX ? -ENAMETOOLONG : 0;
}

int xb_read_buf(struct xb *xb, char *buf, size_t cap, const char *fmt, ...)
{
	char path[XB_PATH_MAX];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xb_vpath(path, fmt, ap);
	va_end(ap);
	return rc ? rc : xb_store_read(xb, path, buf, cap);
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
	char path[XB_PATH_MAX], v[24];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xb_vpath(path, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = xb_store_read(xb, path, v, sizeof(v));
	if (rc < 0) /* longer than any number we take, or not there */
		return rc == -E2BIG ? -EINVAL : -ENOENT;
	return parse_uint(v, max, out);
}

static int xb_vwrite(struct xb *xb, const char *val, const char *fmt,
		     va_list ap)
{
	char path[XB_PATH_MAX];

	if (xb_vpath(path, fmt, ap))
		return -ENAMETOOLONG;
	return xb_store_write(xb, path, val);
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
	rc = xb_vpath(path, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = xb_store_rm(xb, path);
	return rc == -ENOENT ? 0 : rc;
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

int xb_wait_state(struct xb *xb, const char *dir, unsigned int mask,
		  int timeout_ms)
{
	long end = xb_now_ms(xb) + timeout_ms;
	enum xenbus_state st;

	for (;;) {
		st = xb_state(xb, dir);
		if (mask & XB_STATE_BIT(st))
			return (int)st;
		if (xb_now_ms(xb) >= end)
			return -ETIMEDOUT;
		if (xb_wait(xb, (int)(end - xb_now_ms(xb)), NULL, 0) < 0)
			return -EIO;
	}
}
