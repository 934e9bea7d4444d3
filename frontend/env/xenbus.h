/* SPDX-License-Identifier: MIT */
/*
 * The xenstore part of the driver environment: path-formatting wrappers
 * over the standard libxenstore API (host tests and Linux user space both
 * use our libxenstore.so.4), strict parsing of values the other end wrote,
 * and the XenbusState helpers both ends of every device use.
 */
#ifndef XENV_XENBUS_H
#define XENV_XENBUS_H

#include <stdint.h>
#include <hvabi/io/xenbus.h>

struct xs_handle;

struct xb {
	struct xs_handle *xs;
};

/* Open a connection (XENSTORED_PATH honoured). -errno on failure. */
int xb_open(struct xb *xb);
void xb_close(struct xb *xb);

/* Read a node; malloc'd NUL-terminated string or NULL (errno set). */
char *xb_read(struct xb *xb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Read an unsigned decimal value <= @max written by the other end.
 * Errors: -ENOENT missing, -EINVAL not a plain decimal or above @max.
 */
int xb_read_uint(struct xb *xb, uint64_t *out, uint64_t max, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));
/* Write @val to the formatted path. -errno on failure. */
int xb_write(struct xb *xb, const char *val, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xb_write_uint(struct xb *xb, uint64_t val, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xb_rm(struct xb *xb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* List the children of a directory: malloc'd vector (free it whole) of
 * *@n names, or NULL with *@n = 0 if missing. */
char **xb_ls(struct xb *xb, unsigned int *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* State of @dir ("<dir>/state"); XenbusStateUnknown if missing/bad. */
enum xenbus_state xb_state(struct xb *xb, const char *dir);
int xb_switch(struct xb *xb, const char *dir, enum xenbus_state st);

int xb_watch(struct xb *xb, const char *path, const char *token);
int xb_unwatch(struct xb *xb, const char *path, const char *token);
int xb_fd(struct xb *xb);
/*
 * Wait up to @timeout_ms for one watch event; returns 1 and (if not NULL)
 * copies the fired path into @path (size @len), 0 on timeout, -errno.
 */
int xb_wait(struct xb *xb, int timeout_ms, char *path, size_t len);
/*
 * Wait until "<dir>/state" is one of the states in @mask (bit per state);
 * a watch on it must be registered. Returns the state or -ETIMEDOUT.
 */
int xb_wait_state(struct xb *xb, const char *dir, unsigned int mask,
		  int timeout_ms);

#define XB_STATE_BIT(s) (1U << (s))

#endif
