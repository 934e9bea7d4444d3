/* SPDX-License-Identifier: MIT */
/*
 * The xenstore part of the driver environment: path-formatting wrappers,
 * strict parsing of values the other end wrote, and the XenbusState
 * helpers both ends of every device use (xenbus.c), over one of two
 * stores: the standard libxenstore API (xenbus-xs.c: host tests and Linux
 * user space use our libxenstore.so.4) or a PV kernel's own client
 * (xenbus-free.c over xs-free.c). Errors are -errno.
 */
#ifndef XENV_XENBUS_H
#define XENV_XENBUS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <hvabi/io/xenbus.h>

struct xs_handle;
struct xs_free;

struct xb {
	struct xs_handle *xs;	   /* xenbus-xs.c */
	struct xs_free *xf;	   /* xenbus-free.c */
	uint64_t (*now_ns)(void); /* xenbus-free.c: the kernel's clock */
};

/* ---- The store (xenbus-xs.c or xenbus-free.c) -------------------------- */

/* @path's value, NUL-terminated, into @buf (@cap bytes with the NUL);
 * its length, -E2BIG if it does not fit, or the store's -errno. */
int xb_store_read(struct xb *xb, const char *path, char *buf, size_t cap);
int xb_store_write(struct xb *xb, const char *path, const char *val);
int xb_store_rm(struct xb *xb, const char *path);
int xb_watch(struct xb *xb, const char *path, const char *token);
int xb_unwatch(struct xb *xb, const char *path, const char *token);
/*
 * Wait up to @timeout_ms for one watch event; returns 1 and (if not NULL)
 * copies the fired path into @path (size @len), 0 on timeout, -errno.
 */
int xb_wait(struct xb *xb, int timeout_ms, char *path, size_t len);
/* A monotonic clock in ms, for deadlines. */
long xb_now_ms(struct xb *xb);

/* A PV kernel's store: the client @xf, its clock @now_ns. */
void xb_free_init(struct xb *xb, struct xs_free *xf, uint64_t (*now_ns)(void));

/* ---- Hosted only (xenbus-xs.c) ----------------------------------------- */

/* Open a connection (XENSTORED_PATH honoured). -errno on failure. */
int xb_open(struct xb *xb);
void xb_close(struct xb *xb);
int xb_fd(struct xb *xb);

/* Read a node; malloc'd NUL-terminated string or NULL (errno set). */
char *xb_read(struct xb *xb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* List the children of a directory: malloc'd vector (free it whole) of
 * *@n names, or NULL with *@n = 0 if missing. */
char **xb_ls(struct xb *xb, unsigned int *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- Any store (xenbus.c) ---------------------------------------------- */

#define XB_PATH_MAX 256
/* The formatted path into @buf (XB_PATH_MAX bytes); -ENAMETOOLONG. */
int xb_vpath(char *buf, const char *fmt, va_list ap);

/* The formatted path's value into @buf, as xb_store_read(). */
int xb_read_buf(struct xb *xb, char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
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

/* State of @dir ("<dir>/state"); XenbusStateUnknown if missing/bad. */
enum xenbus_state xb_state(struct xb *xb, const char *dir);
int xb_switch(struct xb *xb, const char *dir, enum xenbus_state st);

/*
 * Wait until "<dir>/state" is one of the states in @mask (bit per state);
 * a watch on it must be registered. Returns the state or -ETIMEDOUT.
 */
int xb_wait_state(struct xb *xb, const char *dir, unsigned int mask,
		  int timeout_ms);

#define XB_STATE_BIT(s) (1U << (s))

#endif
