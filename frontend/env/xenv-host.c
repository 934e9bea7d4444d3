// SPDX-License-Identifier: MIT
/*
 * Host test transport for the driver environment: domains are processes
 * forked from one test parent, "guest RAM" is a memfd, grant and event
 * channel tables live in a per-domain control memfd that every domain
 * maps, and each domain's upcall is an eventfd. Owns the emulation of
 * grant mapping and interdomain event channels; not xenstore.
 *
 * Shared state and who writes it:
 *   ctl->grant[ref]   owner only (grant/ungrant); peers read it once per map
 *   ctl->evtchn[port] owner, and a peer's cmpxchg on bind/close
 *   ctl->pending[]    peers set bits (notify), owner clears (pending)
 * The private page allocator and grant free hint are process-local.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include "xenv-user.h"

#define HOST_NR_GRANTS 32768U
#define HOST_NR_PORTS 1024U
#define HOST_MAX_DOMS 16U

/* Grant entry: bits 0-15 flags, 16-31 grantee, 32-63 frame. */
#define GNT_PERMIT 0x1ULL
#define GNT_RO 0x2ULL
#define GNT_DOM(g) ((xenv_domid_t)((g) >> 16))
#define GNT_FRAME(g) ((uint32_t)((g) >> 32))

/* Event channel entry: bits 0-7 state, 16-31 remote dom, 32-63 port. */
enum { EVS_FREE = 0, EVS_UNBOUND = 1, EVS_INTERDOMAIN = 2 };
#define EV_MAKE(st, dom, port)                                                 \
	((uint64_t)(st) | (uint64_t)(dom) << 16 | (uint64_t)(port) << 32)
#define EV_STATE(v) ((unsigned int)((v)&0xff))
#define EV_DOM(v) ((xenv_domid_t)((v) >> 16))
#define EV_PORT(v) ((evtchn_port_t)((v) >> 32))

struct host_ctl {
	uint64_t grant[HOST_NR_GRANTS];
	uint64_t evtchn[HOST_NR_PORTS];
	uint64_t pending[HOST_NR_PORTS / 64];
};

struct xenv_world {
	unsigned int ndoms;
	unsigned int mem_pages;
	int ctl_fd[HOST_MAX_DOMS];
	int mem_fd[HOST_MAX_DOMS];
	int ev_fd[HOST_MAX_DOMS];
};

struct host_dom {
	struct host_ctl *ctl;
	uint8_t *mem_rw;
	uint8_t *mem_ro;
	int ev_fd;
};

struct host_priv {
	struct xenv env;
	struct xenv_world *w;
	struct host_dom dom[HOST_MAX_DOMS];
	uint8_t *page_used; /* own pages, one byte each */
	unsigned int page_hint;
	unsigned int grant_hint;
};

static struct host_priv *hp(struct xenv *e)
{
	return e->priv;
}

static struct host_dom *self_dom(struct xenv *e)
{
	return &hp(e)->dom[e->self];
}

static void *host_alloc_pages(struct xenv *e, unsigned int n)
{
	struct host_priv *p = hp(e);
	unsigned int total = p->w->mem_pages, start, i, tries;

	if (n == 0 || n > total)
		return NULL;
	for (tries = 0, start = p->page_hint; tries < 2; tries++, start = 0) {
		for (; start + n <= total; start++) {
			for (i = 0; i < n && !p->page_used[start + i]; i++)
				;
			if (i == n)
				goto found;
			start += i;
		}
	}
	return NULL;
found:
	memset(p->page_used + start, 1, n);
	p->page_hint = start + n;
	memset(self_dom(e)->mem_rw + (size_t)start * XENV_PAGE_SIZE, 0,
	       (size_t)n * XENV_PAGE_SIZE);
	return self_dom(e)->mem_rw + (size_t)start * XENV_PAGE_SIZE;
}

static void host_free_pages(struct xenv *e, void *va, unsigned int n)
{
	struct host_priv *p = hp(e);
	size_t off = (uint8_t *)va - self_dom(e)->mem_rw;

	if (!va)
		return;
	memset(p->page_used + off / XENV_PAGE_SIZE, 0, n);
	if (off / XENV_PAGE_SIZE < p->page_hint)
		p->page_hint = off / XENV_PAGE_SIZE;
}

static int host_grant(struct xenv *e, xenv_domid_t peer, void *page,
		      unsigned int flags, grant_ref_t *ref)
{
	struct host_priv *p = hp(e);
	struct host_ctl *ctl = self_dom(e)->ctl;
	size_t off = (uint8_t *)page - self_dom(e)->mem_rw;
	uint64_t g;
	unsigned int i, r;

	if ((uint8_t *)page < self_dom(e)->mem_rw ||
	    off >= (size_t)p->w->mem_pages * XENV_PAGE_SIZE ||
	    off % XENV_PAGE_SIZE)
		return -EINVAL;
	g = GNT_PERMIT | (flags & XENV_GRANT_RO ? GNT_RO : 0) |
	    (uint64_t)peer << 16 | (uint64_t)(off / XENV_PAGE_SIZE) << 32;
	/* Ref 0..7 stay reserved as in Xen (console, xenstore). */
	for (i = 0; i < HOST_NR_GRANTS; i++) {
		r = (p->grant_hint + i) % HOST_NR_GRANTS;
		if (r < 8 || ctl->grant[r])
			continue;
		/* Release: the page contents written before granting are
		 * visible to a peer that observes the entry. */
		__atomic_store_n(&ctl->grant[r], g, __ATOMIC_RELEASE);
		p->grant_hint = r + 1;
		*ref = r;
		return 0;
	}
	return -ENOSPC;
}

static int host_ungrant(struct xenv *e, grant_ref_t ref)
{
	struct host_ctl *ctl = self_dom(e)->ctl;

	if (ref >= HOST_NR_GRANTS || !ctl->grant[ref])
		return -EINVAL;
	__atomic_store_n(&ctl->grant[ref], 0, __ATOMIC_RELEASE);
	if (ref < hp(e)->grant_hint)
		hp(e)->grant_hint = ref;
	return 0;
}

/* Validate one peer grant; returns its frame or a negative errno. */
static long host_check_grant(struct xenv *e, struct host_dom *pd,
			     grant_ref_t g_ref, unsigned int flags)
{
	uint64_t g;

	if (g_ref >= HOST_NR_GRANTS)
		return -EINVAL;
	/* Guest-writable entry: read once, validate the local copy. */
	g = __atomic_load_n(&pd->ctl->grant[g_ref], __ATOMIC_ACQUIRE);
	if (!(g & GNT_PERMIT))
		return -ENOENT;
	if (GNT_DOM(g) != e->self)
		return -EACCES;
	if ((flags & XENV_MAP_RW) && (g & GNT_RO))
		return -EACCES;
	if (GNT_FRAME(g) >= hp(e)->w->mem_pages)
		return -EINVAL;
	return GNT_FRAME(g);
}

static int host_map_many(struct xenv *e, struct host_dom *pd,
			 const grant_ref_t *refs, unsigned int n,
			 unsigned int flags, void **va)
{
	int prot = PROT_READ | (flags & XENV_MAP_RW ? PROT_WRITE : 0);
	int fd = hp(e)->w->mem_fd[pd - hp(e)->dom];
	uint8_t *base;
	unsigned int i;
	long frame;

	base = mmap(NULL, (size_t)n * XENV_PAGE_SIZE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		frame = host_check_grant(e, pd, refs[i], flags);
		if (frame < 0)
			goto err_unmap;
		if (mmap(base + (size_t)i * XENV_PAGE_SIZE, XENV_PAGE_SIZE,
			 prot, MAP_SHARED | MAP_FIXED, fd,
			 (off_t)frame * XENV_PAGE_SIZE) == MAP_FAILED) {
			frame = -ENOMEM;
			goto err_unmap;
		}
	}
	*va = base;
	return 0;
err_unmap:
	munmap(base, (size_t)n * XENV_PAGE_SIZE);
	return (int)frame;
}

static int host_map(struct xenv *e, xenv_domid_t peer, const grant_ref_t *refs,
		    unsigned int n, unsigned int flags, void **va)
{
	struct host_dom *pd;
	long frame;

	if (peer >= hp(e)->w->ndoms || peer == e->self)
		return -ESRCH;
	if (n == 0 || n > 64)
		return -EINVAL;
	pd = &hp(e)->dom[peer];
	if (n > 1)
		return host_map_many(e, pd, refs, n, flags, va);
	/* One page: a view of the peer's memory with the grant's rights. */
	frame = host_check_grant(e, pd, refs[0], flags);
	if (frame < 0)
		return (int)frame;
	*va = (flags & XENV_MAP_RW ? pd->mem_rw : pd->mem_ro) +
	      (size_t)frame * XENV_PAGE_SIZE;
	return 0;
}

static void host_unmap(struct xenv *e, void *va, unsigned int n)
{
	(void)e;
	if (va && n > 1)
		munmap(va, (size_t)n * XENV_PAGE_SIZE);
}

static int host_port_alloc(struct host_ctl *ctl, uint64_t val,
			   evtchn_port_t *port)
{
	uint64_t expect;
	unsigned int i;

	for (i = 1; i < HOST_NR_PORTS; i++) {
		expect = 0;
		if (__atomic_compare_exchange_n(&ctl->evtchn[i], &expect, val,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			*port = i;
			return 0;
		}
	}
	return -ENOSPC;
}

static int host_evtchn_alloc(struct xenv *e, xenv_domid_t peer,
			     evtchn_port_t *port)
{
	if (peer >= hp(e)->w->ndoms)
		return -ESRCH;
	return host_port_alloc(self_dom(e)->ctl, EV_MAKE(EVS_UNBOUND, peer, 0),
			       port);
}

static int host_evtchn_bind(struct xenv *e, xenv_domid_t peer,
			    evtchn_port_t g_remote, evtchn_port_t *local)
{
	struct host_ctl *pctl;
	uint64_t v;
	evtchn_port_t lp;
	int rc;

	if (peer >= hp(e)->w->ndoms || peer == e->self)
		return -ESRCH;
	if (g_remote == 0 || g_remote >= HOST_NR_PORTS)
		return -EINVAL;
	pctl = hp(e)->dom[peer].ctl;
	v = __atomic_load_n(&pctl->evtchn[g_remote], __ATOMIC_SEQ_CST);
	if (EV_STATE(v) != EVS_UNBOUND || EV_DOM(v) != e->self)
		return -EINVAL;
	rc = host_port_alloc(self_dom(e)->ctl,
			     EV_MAKE(EVS_INTERDOMAIN, peer, g_remote), &lp);
	if (rc)
		return rc;
	if (!__atomic_compare_exchange_n(&pctl->evtchn[g_remote], &v,
					 EV_MAKE(EVS_INTERDOMAIN, e->self, lp),
					 false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&self_dom(e)->ctl->evtchn[lp], 0,
				 __ATOMIC_SEQ_CST);
		return -EINVAL;
	}
	*local = lp;
	return 0;
}

static void host_evtchn_close(struct xenv *e, evtchn_port_t port)
{
	uint64_t v, expect;
	struct host_ctl *pctl;

	if (port == 0 || port >= HOST_NR_PORTS)
		return;
	v = __atomic_exchange_n(&self_dom(e)->ctl->evtchn[port], 0,
				__ATOMIC_SEQ_CST);
	__atomic_and_fetch(&self_dom(e)->ctl->pending[port / 64],
			   ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
	if (EV_STATE(v) != EVS_INTERDOMAIN || EV_DOM(v) >= hp(e)->w->ndoms)
		return;
	/* The peer's end becomes unbound again, as after a Xen close. */
	pctl = hp(e)->dom[EV_DOM(v)].ctl;
	expect = EV_MAKE(EVS_INTERDOMAIN, e->self, port);
	if (EV_PORT(v) < HOST_NR_PORTS)
		__atomic_compare_exchange_n(&pctl->evtchn[EV_PORT(v)], &expect,
					    EV_MAKE(EVS_UNBOUND, e->self, 0),
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
}

static int host_evtchn_notify(struct xenv *e, evtchn_port_t port)
{
	static const uint64_t one = 1;
	struct host_dom *pd;
	evtchn_port_t rp;
	uint64_t v;

	if (port == 0 || port >= HOST_NR_PORTS)
		return -EINVAL;
	v = __atomic_load_n(&self_dom(e)->ctl->evtchn[port], __ATOMIC_SEQ_CST);
	if (EV_STATE(v) != EVS_INTERDOMAIN || EV_DOM(v) >= hp(e)->w->ndoms ||
	    EV_PORT(v) >= HOST_NR_PORTS)
		return -EINVAL;
	pd = &hp(e)->dom[EV_DOM(v)];
	rp = EV_PORT(v);
	/* Pending bit before the wakeup: a woken peer always finds it. */
	__atomic_or_fetch(&pd->ctl->pending[rp / 64], 1ULL << (rp % 64),
			  __ATOMIC_SEQ_CST);
	if (write(pd->ev_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

static bool host_evtchn_pending(struct xenv *e, evtchn_port_t port)
{
	uint64_t bit = 1ULL << (port % 64), old;

	if (port >= HOST_NR_PORTS)
		return false;
	old = __atomic_fetch_and(&self_dom(e)->ctl->pending[port / 64], ~bit,
				 __ATOMIC_SEQ_CST);
	return old & bit;
}

static int host_evtchn_wait(struct xenv *e, int timeout_ms)
{
	struct pollfd pfd = {.fd = self_dom(e)->ev_fd, .events = POLLIN};
	uint64_t cnt;
	int rc;

	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	if (rc == 0)
		return 0;
	if (read(pfd.fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return -errno;
	return 1;
}

static int host_evtchn_fd(struct xenv *e)
{
	return self_dom(e)->ev_fd;
}

static void host_close(struct xenv *e)
{
	struct host_priv *p = hp(e);
	size_t memsz = (size_t)p->w->mem_pages * XENV_PAGE_SIZE;
	unsigned int d;

	for (d = 0; d < p->w->ndoms; d++) {
		munmap(p->dom[d].ctl, sizeof(struct host_ctl));
		munmap(p->dom[d].mem_rw, memsz);
		munmap(p->dom[d].mem_ro, memsz);
	}
	free(p->page_used);
	free(p);
}

static const struct xenv_ops host_ops = {
    .name = "host",
    .alloc_pages = host_alloc_pages,
    .free_pages = host_free_pages,
    .grant = host_grant,
    .ungrant = host_ungrant,
    .map = host_map,
    .unmap = host_unmap,
    .evtchn_alloc = host_evtchn_alloc,
    .evtchn_bind = host_evtchn_bind,
    .evtchn_close = host_evtchn_close,
    .evtchn_notify = host_evtchn_notify,
    .evtchn_pending = host_evtchn_pending,
    .evtchn_wait = host_evtchn_wait,
    .evtchn_fd = host_evtchn_fd,
    .yield = xenv_user_yield,
    .mem_alloc = xenv_user_mem_alloc,
    .mem_release = xenv_user_mem_release,
    .close = host_close,
};

struct xenv_world *xenv_world_create(unsigned int ndoms, unsigned int mem_pages)
{
	struct xenv_world *w;
	unsigned int d;

	if (ndoms == 0 || ndoms > HOST_MAX_DOMS || mem_pages == 0) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->ndoms = ndoms;
	w->mem_pages = mem_pages;
	for (d = 0; d < ndoms; d++) {
		w->ctl_fd[d] = memfd_create("xenv-ctl", 0);
		w->mem_fd[d] = memfd_create("xenv-mem", 0);
		w->ev_fd[d] = eventfd(0, EFD_NONBLOCK);
		if (w->ctl_fd[d] < 0 || w->mem_fd[d] < 0 || w->ev_fd[d] < 0 ||
		    ftruncate(w->ctl_fd[d], sizeof(struct host_ctl)) ||
		    ftruncate(w->mem_fd[d],
			      (off_t)mem_pages * XENV_PAGE_SIZE)) {
			w->ndoms = d + 1;
			xenv_world_destroy(w);
			return NULL;
		}
	}
	return w;
}

void xenv_world_destroy(struct xenv_world *w)
{
	unsigned int d;

	if (!w)
		return;
	for (d = 0; d < w->ndoms; d++) {
		close(w->ctl_fd[d]);
		close(w->mem_fd[d]);
		close(w->ev_fd[d]);
	}
	free(w);
}

static int host_map_dom(struct xenv_world *w, unsigned int d,
			struct host_dom *hd)
{
	size_t memsz = (size_t)w->mem_pages * XENV_PAGE_SIZE;

	hd->ctl = mmap(NULL, sizeof(struct host_ctl), PROT_READ | PROT_WRITE,
		       MAP_SHARED, w->ctl_fd[d], 0);
	hd->mem_rw = mmap(NULL, memsz, PROT_READ | PROT_WRITE, MAP_SHARED,
			  w->mem_fd[d], 0);
	hd->mem_ro = mmap(NULL, memsz, PROT_READ, MAP_SHARED, w->mem_fd[d], 0);
	hd->ev_fd = w->ev_fd[d];
	if (hd->ctl == MAP_FAILED || hd->mem_rw == MAP_FAILED ||
	    hd->mem_ro == MAP_FAILED)
		return -ENOMEM;
	return 0;
}

struct xenv *xenv_host_open(struct xenv_world *w, xenv_domid_t self)
{
	struct host_priv *p;
	unsigned int d;

	if (!w || self >= w->ndoms) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->page_used = calloc(w->mem_pages, 1);
	if (!p->page_used) {
		free(p);
		return NULL;
	}
	p->w = w;
	p->grant_hint = 8;
	for (d = 0; d < w->ndoms; d++) {
		if (host_map_dom(w, d, &p->dom[d])) {
			p->env.priv = p;
			host_close(&p->env);
			errno = ENOMEM;
			return NULL;
		}
	}
	p->env.ops = &host_ops;
	p->env.self = self;
	p->env.priv = p;
	return &p->env;
}
