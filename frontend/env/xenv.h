/* SPDX-License-Identifier: MIT */
/*
 * The driver environment: everything a split driver (front or back end)
 * needs that differs between the host test transport, Linux user space
 * (/dev/xen) and a freestanding PV kernel. Grants, event channels and
 * xenstore are reached only through this interface; the protocol code in
 * frontend/ and backend/ is the same in every environment.
 */
#ifndef XENV_H
#define XENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <hvabi/errno.h>
#include <hvabi/io/ring.h>

typedef uint16_t xenv_domid_t;
typedef uint32_t evtchn_port_t;

#define XENV_PAGE_SIZE 4096U
#define XENV_MAP_RO 0x0U   /* map a peer grant read-only */
#define XENV_MAP_RW 0x1U   /* map for writing; needs a writable grant */
#define XENV_GRANT_RO 0x1U /* grant: peer may only read */

struct xenv;

struct xenv_ops {
	const char *name;
	/* Shareable memory: page-aligned, zeroed; freeing NULL does nothing. */
	void *(*alloc_pages)(struct xenv *e, unsigned int n);
	void (*free_pages)(struct xenv *e, void *va, unsigned int n);
	/* The driver's own bookkeeping, never shared: zeroed; NULL if none
	 * is left. Released with the size it was asked with. */
	void *(*mem_alloc)(struct xenv *e, size_t size);
	void (*mem_release)(struct xenv *e, void *p, size_t size);
	int (*grant)(struct xenv *e, xenv_domid_t peer, void *page,
		     unsigned int flags, grant_ref_t *ref);
	int (*ungrant)(struct xenv *e, grant_ref_t ref);
	int (*map)(struct xenv *e, xenv_domid_t peer, const grant_ref_t *refs,
		   unsigned int n, unsigned int flags, void **va);
	void (*unmap)(struct xenv *e, void *va, unsigned int n);
	int (*evtchn_alloc)(struct xenv *e, xenv_domid_t peer,
			    evtchn_port_t *port);
	int (*evtchn_bind)(struct xenv *e, xenv_domid_t peer,
			   evtchn_port_t remote, evtchn_port_t *local);
	void (*evtchn_close)(struct xenv *e, evtchn_port_t port);
	int (*evtchn_notify)(struct xenv *e, evtchn_port_t port);
	bool (*evtchn_pending)(struct xenv *e, evtchn_port_t port);
	int (*evtchn_wait)(struct xenv *e, int timeout_ms);
	int (*evtchn_fd)(struct xenv *e);
	/* Give the CPU to whoever else wants it (a peer polling or serving
	 * on the same CPU); returns at once if nobody does. */
	void (*yield)(struct xenv *e);
	void (*close)(struct xenv *e);
};

/* One xenstore connection; implementations in xenv-store.c. */
struct xenv_store;

struct xenv {
	const struct xenv_ops *ops;
	xenv_domid_t self;
	struct xenv_store *store;
	void *priv;
};

/*
 * Wrappers. Errors are negative errno values:
 *   grant:  -ENOSPC no free grant entry, -EINVAL page not shareable
 *   map:    -EINVAL bad ref / n, -EACCES grant not for us or read-only
 *           when RW asked, -ENOENT grant not active, -ESRCH unknown peer,
 *           -ENOMEM no address space
 *   evtchn_alloc: -ENOSPC; evtchn_bind: -EINVAL port not unbound for us,
 *           -ESRCH unknown peer; evtchn_notify: -EINVAL port not bound
 *   evtchn_wait: 1 woken, 0 timeout, -errno failure
 */
static inline void *xenv_alloc_pages(struct xenv *e, unsigned int n)
{
	return e->ops->alloc_pages(e, n);
}

static inline void xenv_free_pages(struct xenv *e, void *va, unsigned int n)
{
	e->ops->free_pages(e, va, n);
}

static inline void *xenv_mem_alloc(struct xenv *e, size_t size)
{
	return e->ops->mem_alloc(e, size);
}

static inline void xenv_mem_release(struct xenv *e, void *p, size_t size)
{
	e->ops->mem_release(e, p, size);
}

static inline int xenv_grant(struct xenv *e, xenv_domid_t peer, void *page,
			     unsigned int flags, grant_ref_t *ref)
{
	return e->ops->grant(e, peer, page, flags, ref);
}

/*
 * A grant the peer should only read (a front end's outgoing data).
 * Environments that cannot make read-only grants (Linux user space:
 * gntalloc grants pages writable when it allocates them, see
 * xenv-linux.c) give the writable one.
 */
static inline int xenv_grant_ro(struct xenv *e, xenv_domid_t peer, void *page,
				grant_ref_t *ref)
{
	int rc = xenv_grant(e, peer, page, XENV_GRANT_RO, ref);

	/* Xen's errno values, which are Linux's: builds without a libc. */
	return rc == -HV_EOPNOTSUPP ? xenv_grant(e, peer, page, 0, ref) : rc;
}

static inline int xenv_ungrant(struct xenv *e, grant_ref_t ref)
{
	return e->ops->ungrant(e, ref);
}

static inline int xenv_map(struct xenv *e, xenv_domid_t peer,
			   const grant_ref_t *refs, unsigned int n,
			   unsigned int flags, void **va)
{
	return e->ops->map(e, peer, refs, n, flags, va);
}

static inline void xenv_unmap(struct xenv *e, void *va, unsigned int n)
{
	e->ops->unmap(e, va, n);
}

static inline int xenv_evtchn_alloc(struct xenv *e, xenv_domid_t peer,
				    evtchn_port_t *port)
{
	return e->ops->evtchn_alloc(e, peer, port);
}

static inline int xenv_evtchn_bind(struct xenv *e, xenv_domid_t peer,
				   evtchn_port_t remote, evtchn_port_t *local)
{
	return e->ops->evtchn_bind(e, peer, remote, local);
}

static inline void xenv_evtchn_close(struct xenv *e, evtchn_port_t port)
{
	e->ops->evtchn_close(e, port);
}

static inline int xenv_evtchn_notify(struct xenv *e, evtchn_port_t port)
{
	return e->ops->evtchn_notify(e, port);
}

static inline bool xenv_evtchn_pending(struct xenv *e, evtchn_port_t port)
{
	return e->ops->evtchn_pending(e, port);
}

static inline int xenv_evtchn_wait(struct xenv *e, int timeout_ms)
{
	return e->ops->evtchn_wait(e, timeout_ms);
}

static inline int xenv_evtchn_fd(struct xenv *e)
{
	return e->ops->evtchn_fd(e);
}

static inline void xenv_yield(struct xenv *e)
{
	e->ops->yield(e);
}

static inline void xenv_close(struct xenv *e)
{
	e->ops->close(e);
}

/* ---- Host test transport (xenv-host.c) ---------------------------------
 *
 * A "world" is created once by the test's parent process before it forks
 * the domains: per domain a control memfd (grant table, event-channel
 * table, pending bits), a memory memfd ("guest RAM", the only memory it can
 * grant) and an eventfd (its upcall). Each process then opens the world as
 * one domain. Peers can only touch what the owner granted: map validates
 * the owner's grant entry, read once, on every call.
 */
struct xenv_world;

struct xenv_world *xenv_world_create(unsigned int ndoms,
				     unsigned int mem_pages);
void xenv_world_destroy(struct xenv_world *w);
/* Returns NULL with errno set on failure. */
struct xenv *xenv_host_open(struct xenv_world *w, xenv_domid_t self);

/* ---- Linux user space (xenv-linux.c) -----------------------------------
 *
 * /dev/xen/{gntalloc,gntdev,evtchn}. Pages from xenv_alloc_pages() are
 * granted writable to @peer at allocation (gntalloc's model); read-only
 * grants and other peers give -EOPNOTSUPP. Untested until our Linux dom0
 * runs (tests/test_linux.c). NULL with errno set on failure.
 */
struct xenv *xenv_linux_open(xenv_domid_t self, xenv_domid_t peer);

#endif
