/* SPDX-License-Identifier: MIT */
/*
 * A xenstore client for a freestanding PV kernel of our own: the wire
 * protocol over the store page the domain builder gave it (start_info's
 * store_mfn and store_evtchn), one request at a time, no libc. The kernel
 * supplies the event channel: @notify sends on the store port, @wait
 * blocks until the port fires or @ms pass.
 *
 * The server is not trusted: every index is read once and checked (a
 * producer more than a ring ahead, or a reply longer than the protocol's
 * 4096 bytes, is -EBADMSG and the client stays broken), a reply is taken
 * only if its request id and type match. Watch events that arrive while a
 * reply is awaited are hints: one is kept, later ones fold into it.
 * Errors are -errno with Xen's values (hvabi/errno.h), which are Linux's.
 */
#ifndef XS_FREE_H
#define XS_FREE_H

#include <stdbool.h>
#include <stdint.h>
#include <hvabi/io/xs_wire.h>

struct xs_free {
	struct xenstore_domain_interface *intf;
	void (*notify)(void *arg);
	int (*wait)(void *arg, int ms); /* 1: the port fired, 0: timeout */
	void *arg;
	int timeout_ms; /* per wait for the server; the request fails after */
	uint32_t req_id;
	bool broken;
	/* The pending watch event: "<path>\0<token>\0". */
	bool has_event;
	uint32_t event_len;
	char event[XENSTORE_PAYLOAD_MAX];
	/* Requests being built, error names, payloads nobody keeps. */
	char scratch[XENSTORE_PAYLOAD_MAX + 1];
};

void xs_free_init(struct xs_free *x, struct xenstore_domain_interface *intf,
		  void (*notify)(void *arg), int (*wait)(void *arg, int ms),
		  void *arg);

/*
 * One request (@payload of @len bytes, @tx 0 outside a transaction); the
 * reply's payload goes to @reply (at most @cap bytes). Returns its length,
 * or -errno: the server's XS_ERROR, -E2BIG if it does not fit, -ETIMEDOUT,
 * -EBADMSG.
 */
int xs_free_request(struct xs_free *x, uint32_t type, uint32_t tx,
		    const void *payload, uint32_t len, void *reply,
		    uint32_t cap);

/* @path's value as a C string in @buf (@cap bytes with its NUL); length. */
int xs_free_read(struct xs_free *x, const char *path, char *buf,
		 uint32_t cap);
int xs_free_write(struct xs_free *x, const char *path, const char *value);
int xs_free_rm(struct xs_free *x, const char *path);
int xs_free_watch(struct xs_free *x, const char *path, const char *token);
int xs_free_unwatch(struct xs_free *x, const char *path, const char *token);
/*
 * Waits up to @ms for a watch event; copies its path and token (C
 * strings, truncated to @cap bytes each). 1, 0 on timeout, -errno.
 */
int xs_free_wait_event(struct xs_free *x, char *path, char *token,
		       uint32_t cap, int ms);

#endif
