// SPDX-License-Identifier: MIT
/*
 * Driver environment for Linux user space in dom0 or a guest, through
 * /dev/xen/gntalloc (share pages), /dev/xen/gntdev (map a peer's grants)
 * and /dev/xen/evtchn. Tested in dom0 by tests/test_linux.c (run by
 * tests/linux on ours and on Xen 4.17) and, with a Linux domU's
 * xen-blkfront, through hv-backendd (tests/linux run-pair).
 *
 * gntalloc grants at allocation time, so shareable pages are granted
 * (writable) to the env's default peer when allocated; xenv_grant() then
 * returns the reference made for that page and read-only grants are not
 * available (-EOPNOTSUPP), nor grants to any other peer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <hvabi/xen.h> /* domid_t, which the UAPI headers expect */
#include "xenv-user.h" /* grant_ref_t, likewise (xenv.h) */
#include <xen/evtchn.h>
#include <xen/gntalloc.h>
#include <xen/gntdev.h>

#define LNX_MAX_ALLOCS 1024U
#define LNX_MAX_MAPS 4096U
#define LNX_MAX_PORTS 4096U
#define LNX_MAX_PAGES 256U /* per allocation */

struct lnx_alloc {
	uint8_t *va;
	unsigned int n;
	uint64_t index;
	grant_ref_t *refs;
};

struct lnx_map {
	void *va;
	unsigned int n;
	uint64_t index;
};

struct lnx_priv {
	struct xenv env;
	xenv_domid_t peer;
	int gntalloc, gntdev, evtchn;
	struct lnx_alloc alloc[LNX_MAX_ALLOCS];
	struct lnx_map map[LNX_MAX_MAPS];
	uint8_t pending[LNX_MAX_PORTS / 8];
};

static struct lnx_priv *lp(struct xenv *e)
{
	return e->priv;
}

static void *lnx_alloc_pages(struct xenv *e, unsigned int n)
{
	struct lnx_priv *p = lp(e);
	struct ioctl_gntalloc_alloc_gref *req;
	struct lnx_alloc *a = NULL;
	unsigned int i;
	void *va;

	for (i = 0; i < LNX_MAX_ALLOCS && !a; i++)
		if (!p->alloc[i].va)
			a = &p->alloc[i];
	if (!a || n == 0 || n > LNX_MAX_PAGES)
		return NULL;
	req = calloc(1, sizeof(*req) + n * sizeof(req->gref_ids[0]));
	if (!req)
		return NULL;
	req->domid = p->peer;
	req->flags = GNTALLOC_FLAG_WRITABLE;
	req->count = n;
	if (ioctl(p->gntalloc, IOCTL_GNTALLOC_ALLOC_GREF, req))
		goto err_free;
	va = mmap(NULL, (size_t)n * XENV_PAGE_SIZE, PROT_READ | PROT_WRITE,
		  MAP_SHARED, p->gntalloc, (off_t)req->index);
	if (va == MAP_FAILED)
		goto err_free;
	a->refs = malloc(n * sizeof(grant_ref_t));
	if (!a->refs) {
		munmap(va, (size_t)n * XENV_PAGE_SIZE);
		goto err_free;
	}
	memcpy(a->refs, req->gref_ids, n * sizeof(grant_ref_t));
	a->va = va;
	a->n = n;
	a->index = req->index;
	free(req);
	memset(va, 0, (size_t)n * XENV_PAGE_SIZE);
	return va;
err_free:
	free(req);
	return NULL;
}

static void lnx_free_pages(struct xenv *e, void *va, unsigned int n)
{
	struct lnx_priv *p = lp(e);
	struct ioctl_gntalloc_dealloc_gref d;
	unsigned int i;

	for (i = 0; va && i < LNX_MAX_ALLOCS; i++) {
		struct lnx_alloc *a = &p->alloc[i];

		if (a->va != va || a->n != n)
			continue;
		munmap(a->va, (size_t)n * XENV_PAGE_SIZE);
		d.index = a->index;
		d.count = n;
		ioctl(p->gntalloc, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
		free(a->refs);
		memset(a, 0, sizeof(*a));
		return;
	}
}

static int lnx_grant(struct xenv *e, xenv_domid_t peer, void *page,
		     unsigned int flags, grant_ref_t *ref)
{
	struct lnx_priv *p = lp(e);
	uint8_t *pg = page;
	unsigned int i;

	if (peer != p->peer || (flags & XENV_GRANT_RO))
		return -EOPNOTSUPP;
	for (i = 0; i < LNX_MAX_ALLOCS; i++) {
		struct lnx_alloc *a = &p->alloc[i];

		if (a->va && pg >= a->va &&
		    pg < a->va + (size_t)a->n * XENV_PAGE_SIZE) {
			if ((size_t)(pg - a->va) % XENV_PAGE_SIZE)
				return -EINVAL;
			*ref = a->refs[(pg - a->va) / XENV_PAGE_SIZE];
			return 0;
		}
	}
	return -EINVAL;
}

static int lnx_ungrant(struct xenv *e, grant_ref_t ref)
{
	(void)e;
	(void)ref;
	return 0; /* the grant lives as long as its allocation */
}

static int lnx_map(struct xenv *e, xenv_domid_t peer, const grant_ref_t *refs,
		   unsigned int n, unsigned int flags, void **va)
{
	struct lnx_priv *p = lp(e);
	struct ioctl_gntdev_map_grant_ref *req;
	struct ioctl_gntdev_unmap_grant_ref un;
	struct lnx_map *m = NULL;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < LNX_MAX_MAPS && !m; i++)
		if (!p->map[i].va)
			m = &p->map[i];
	if (!m)
		return -ENOMEM;
	if (n == 0 || n > 64)
		return -EINVAL;
	req = calloc(1, sizeof(*req) + n * sizeof(req->refs[0]));
	if (!req)
		return -ENOMEM;
	req->count = n;
	for (i = 0; i < n; i++) {
		req->refs[i].domid = peer;
		req->refs[i].ref = refs[i];
	}
	if (ioctl(p->gntdev, IOCTL_GNTDEV_MAP_GRANT_REF, req)) {
		rc = -errno;
		goto out;
	}
	/* The hypervisor checks each grant when the pages are mapped. */
	*va = mmap(NULL, (size_t)n * XENV_PAGE_SIZE,
		   PROT_READ | (flags & XENV_MAP_RW ? PROT_WRITE : 0),
		   MAP_SHARED, p->gntdev, (off_t)req->index);
	if (*va == MAP_FAILED) {
		rc = -EACCES;
		un.index = req->index;
		un.count = n;
		ioctl(p->gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
		goto out;
	}
	m->va = *va;
	m->n = n;
	m->index = req->index;
out:
	free(req);
	return rc;
}

static void lnx_unmap(struct xenv *e, void *va, unsigned int n)
{
	struct lnx_priv *p = lp(e);
	struct ioctl_gntdev_unmap_grant_ref un;
	unsigned int i;

	for (i = 0; va && i < LNX_MAX_MAPS; i++) {
		if (p->map[i].va != va)
			continue;
		munmap(va, (size_t)n * XENV_PAGE_SIZE);
		un.index = p->map[i].index;
		un.count = p->map[i].n;
		ioctl(p->gntdev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
		memset(&p->map[i], 0, sizeof(p->map[i]));
		return;
	}
}

static int lnx_evtchn_alloc(struct xenv *e, xenv_domid_t peer,
			    evtchn_port_t *port)
{
	struct ioctl_evtchn_bind_unbound_port b = {.remote_domain = peer};
	int rc = ioctl(lp(e)->evtchn, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);

	if (rc < 0)
		return -errno;
	*port = (evtchn_port_t)rc;
	return 0;
}

static int lnx_evtchn_bind(struct xenv *e, xenv_domid_t peer,
			   evtchn_port_t remote, evtchn_port_t *local)
{
	struct ioctl_evtchn_bind_interdomain b = {.remote_domain = peer,
						  .remote_port = remote};
	int rc = ioctl(lp(e)->evtchn, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

	if (rc < 0)
		return -errno;
	*local = (evtchn_port_t)rc;
	return 0;
}

static void lnx_evtchn_close(struct xenv *e, evtchn_port_t port)
{
	struct ioctl_evtchn_unbind u = {.port = port};

	ioctl(lp(e)->evtchn, IOCTL_EVTCHN_UNBIND, &u);
}

static int lnx_evtchn_notify(struct xenv *e, evtchn_port_t port)
{
	struct ioctl_evtchn_notify nt = {.port = port};

	return ioctl(lp(e)->evtchn, IOCTL_EVTCHN_NOTIFY, &nt) ? -errno : 0;
}

static bool lnx_evtchn_pending(struct xenv *e, evtchn_port_t port)
{
	struct lnx_priv *p = lp(e);
	uint8_t bit = (uint8_t)(1U << (port % 8));
	bool was;

	if (port >= LNX_MAX_PORTS)
		return false;
	was = p->pending[port / 8] & bit;
	p->pending[port / 8] &= (uint8_t)~bit;
	return was;
}

/* Drain fired ports into our bitmap and unmask them. */
static int lnx_evtchn_wait(struct xenv *e, int timeout_ms)
{
	struct lnx_priv *p = lp(e);
	struct pollfd pfd = {.fd = p->evtchn, .events = POLLIN};
	evtchn_port_t ports[64];
	ssize_t n;
	int i, rc = poll(&pfd, 1, timeout_ms);

	if (rc <= 0)
		return rc < 0 && errno != EINTR ? -errno : 0;
	n = read(p->evtchn, ports, sizeof(ports));
	for (i = 0; i < (int)(n / (ssize_t)sizeof(ports[0])); i++) {
		if (ports[i] < LNX_MAX_PORTS)
			p->pending[ports[i] / 8] |=
			    (uint8_t)(1U << (ports[i] % 8));
	}
	if (n > 0 && write(p->evtchn, ports, (size_t)n) < 0)
		return -errno;
	return 1;
}

static int lnx_evtchn_fd(struct xenv *e)
{
	return lp(e)->evtchn;
}

static void lnx_close(struct xenv *e)
{
	struct lnx_priv *p = lp(e);

	close(p->gntalloc);
	close(p->gntdev);
	close(p->evtchn);
	free(p);
}

static const struct xenv_ops linux_ops = {
    .name = "linux",
    .alloc_pages = lnx_alloc_pages,
    .free_pages = lnx_free_pages,
    .grant = lnx_grant,
    .ungrant = lnx_ungrant,
    .map = lnx_map,
    .unmap = lnx_unmap,
    .evtchn_alloc = lnx_evtchn_alloc,
    .evtchn_bind = lnx_evtchn_bind,
    .evtchn_close = lnx_evtchn_close,
    .evtchn_notify = lnx_evtchn_notify,
    .evtchn_pending = lnx_evtchn_pending,
    .evtchn_wait = lnx_evtchn_wait,
    .evtchn_fd = lnx_evtchn_fd,
    .yield = xenv_user_yield,
    .mem_alloc = xenv_user_mem_alloc,
    .mem_release = xenv_user_mem_release,
    .close = lnx_close,
};

struct xenv *xenv_linux_open(xenv_domid_t self, xenv_domid_t peer)
{
	struct lnx_priv *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->env.priv = p;
	p->gntalloc = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	p->gntdev = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	p->evtchn = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (p->gntalloc < 0 || p->gntdev < 0 || p->evtchn < 0) {
		int err = errno;

		lnx_close(&p->env);
		errno = err;
		return NULL;
	}
	p->peer = peer;
	p->env.ops = &linux_ops;
	p->env.self = self;
	return &p->env;
}
