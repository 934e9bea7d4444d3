// SPDX-License-Identifier: MIT
/*
 * Driver environment for a freestanding PV kernel (implementation 3 of
 * xenv.h), through hypercalls only: no libc, no allocation beyond the
 * kernel's page hooks, one instance. Grants are entries of the kernel's
 * first grant frame (refs 8..511; 0-7 are reserved as on Xen), written
 * domid and frame first and flags last; a map is one
 * GNTTABOP_map_grant_ref per page at consecutive VAs; event channels
 * are ports of this domain, "pending" is the shared_info bit (taken and
 * cleared atomically), a wait is SCHEDOP_poll on the ports it bound.
 * Tested by the PV kernel tests/guest/xenv on ours and on Xen 4.17.
 */
#include <hvabi/errno.h>
#include <hvabi/event_channel.h>
#include <hvabi/grant_table.h>
#include <hvabi/hypercall.h>
#include <hvabi/sched.h>
#include <hvabi/xen.h>
#include "xenv-free.h"

#define FIRST_REF 8
#define NR_REFS (XENV_PAGE_SIZE / sizeof(struct grant_entry_v1))
#define MAX_MAPS 64		/* mapped pages at once */
#define MAX_PORTS 64		/* ports polled by evtchn_wait */
#define PTE_RW 0x67ULL		/* present, writable, user, accessed, dirty */

struct free_map {
	uintptr_t va;		/* 0: free */
	grant_handle_t handle;
};

static struct {
	struct xenv env;
	const struct xenv_free_hooks *h;
	volatile struct grant_entry_v1 *table;
	struct free_map maps[MAX_MAPS];
	evtchn_port_t ports[MAX_PORTS];
	unsigned int nr_ports;
} fe;

static long hc(unsigned int nr, uint64_t a1, const void *a2, uint64_t a3)
{
	return fe.h->hypercall3(nr, a1, (uint64_t)(uintptr_t)a2, a3);
}

static void *f_alloc_pages(struct xenv *e, unsigned int n)
{
	(void)e;
	return fe.h->pages_alloc(n);
}

static void f_free_pages(struct xenv *e, void *va, unsigned int n)
{
	(void)e;
	if (va) /* as free(NULL) */
		fe.h->pages_free(va, n);
}

static int f_grant(struct xenv *e, xenv_domid_t peer, void *page,
		   unsigned int flags, grant_ref_t *ref)
{
	(void)e;
	for (grant_ref_t r = FIRST_REF; r < NR_REFS; r++) {
		volatile struct grant_entry_v1 *g = &fe.table[r];

		if (g->flags)
			continue;
		g->domid = peer;
		g->frame = (uint32_t)fe.h->virt_to_mfn(page);
		__atomic_store_n(&g->flags,
				 (uint16_t)(GTF_permit_access |
					    (flags & XENV_GRANT_RO ?
						     GTF_readonly : 0)),
				 __ATOMIC_RELEASE);
		*ref = r;
		return 0;
	}
	return -HV_ENOSPC;
}

/* Only while the peer has it neither mapped nor being copied. */
static int f_ungrant(struct xenv *e, grant_ref_t ref)
{
	uint16_t cur;

	(void)e;
	if (ref < FIRST_REF || ref >= NR_REFS)
		return -HV_EINVAL;
	cur = fe.table[ref].flags;
	if (cur & (GTF_reading | GTF_writing))
		return -HV_EBUSY;
	return __atomic_compare_exchange_n(&fe.table[ref].flags, &cur, 0,
					   false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE) ? 0 : -HV_EBUSY;
}

static struct free_map *map_slot(uintptr_t va)
{
	for (unsigned int i = 0; i < MAX_MAPS; i++)
		if (fe.maps[i].va == va)
			return &fe.maps[i];
	return NULL;
}

static void unmap_pages(uintptr_t va, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct free_map *m = map_slot(va + i * XENV_PAGE_SIZE);
		struct gnttab_unmap_grant_ref op;

		if (!m)
			continue;
		op = (struct gnttab_unmap_grant_ref){.host_addr = m->va,
						     .handle = m->handle};
		hc(HC_NR_grant_table_op, GNTTABOP_unmap_grant_ref, &op, 1);
		m->va = 0;
	}
}

static int f_map(struct xenv *e, xenv_domid_t peer, const grant_ref_t *refs,
		 unsigned int n, unsigned int flags, void **va)
{
	uint8_t *base = fe.h->pages_alloc(n);

	(void)e;
	if (!base)
		return -HV_ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct gnttab_map_grant_ref op = {
			.host_addr = (uintptr_t)(base + i * XENV_PAGE_SIZE),
			.flags = GNTMAP_host_map |
				 (flags & XENV_MAP_RW ? 0 : GNTMAP_readonly),
			.ref = refs[i], .dom = peer};
		struct free_map *m = map_slot(0);

		if (!m || hc(HC_NR_grant_table_op, GNTTABOP_map_grant_ref,
			     &op, 1) || op.status != GNTST_okay) {
			unmap_pages((uintptr_t)base, i);
			fe.h->pages_free(base, n);
			return !m ? -HV_ENOMEM :
			       op.status == GNTST_bad_domain ? -HV_ESRCH :
			       op.status == GNTST_bad_gntref ? -HV_EINVAL :
							       -HV_EACCES;
		}
		fe.h->flush_va(op.host_addr);	/* it mapped our page before */
		*m = (struct free_map){.va = op.host_addr, .handle = op.handle};
	}
	*va = base;
	return 0;
}

static void f_unmap(struct xenv *e, void *va, unsigned int n)
{
	(void)e;
	unmap_pages((uintptr_t)va, n);
	/* The pages' own frames went with the grant mappings: not reused. */
}

static int f_evtchn_alloc(struct xenv *e, xenv_domid_t peer,
			  evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = peer};
	long rc = hc(HC_NR_event_channel_op, EVTCHNOP_alloc_unbound, &a, 0);

	(void)e;
	if (rc)
		return (int)rc;
	*port = a.port;
	if (fe.nr_ports < MAX_PORTS)
		fe.ports[fe.nr_ports++] = a.port;
	return 0;
}

static int f_evtchn_bind(struct xenv *e, xenv_domid_t peer,
			 evtchn_port_t remote, evtchn_port_t *local)
{
	struct evtchn_bind_interdomain b = {.remote_dom = peer,
					    .remote_port = remote};
	long rc = hc(HC_NR_event_channel_op, EVTCHNOP_bind_interdomain, &b, 0);

	(void)e;
	if (rc)
		return (int)rc;
	*local = b.local_port;
	if (fe.nr_ports < MAX_PORTS)
		fe.ports[fe.nr_ports++] = b.local_port;
	return 0;
}

static void f_evtchn_close(struct xenv *e, evtchn_port_t port)
{
	struct evtchn_close c = {.port = port};

	(void)e;
	hc(HC_NR_event_channel_op, EVTCHNOP_close, &c, 0);
	for (unsigned int i = 0; i < fe.nr_ports; i++)
		if (fe.ports[i] == port)
			fe.ports[i] = fe.ports[--fe.nr_ports];
}

static int f_evtchn_notify(struct xenv *e, evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	(void)e;
	return (int)hc(HC_NR_event_channel_op, EVTCHNOP_send, &s, 0);
}

static bool f_evtchn_pending(struct xenv *e, evtchn_port_t port)
{
	uint64_t bit = 1ULL << (port % 64);

	(void)e;
	return __atomic_fetch_and(&fe.h->evtchn_pending[port / 64], ~bit,
				  __ATOMIC_ACQ_REL) & bit;
}

static bool any_pending(void)
{
	for (unsigned int i = 0; i < fe.nr_ports; i++) {
		evtchn_port_t p = fe.ports[i];

		if (fe.h->evtchn_pending[p / 64] & (1ULL << (p % 64)))
			return true;
	}
	return false;
}

static int f_evtchn_wait(struct xenv *e, int timeout_ms)
{
	struct sched_poll p = {
		.ports = (uintptr_t)fe.ports, .nr_ports = fe.nr_ports,
		.timeout = timeout_ms < 0 ? 0 :
			   fe.h->now_ns() + (uint64_t)timeout_ms * 1000000};

	(void)e;
	if (!any_pending() && fe.nr_ports)
		hc(HC_NR_sched_op, SCHEDOP_poll, &p, 0);
	return any_pending() ? 1 : 0;
}

static int f_evtchn_fd(struct xenv *e)
{
	(void)e;
	return -1;	/* nothing to poll(2) here */
}

static void f_close(struct xenv *e)
{
	(void)e;
	while (fe.nr_ports)
		f_evtchn_close(e, fe.ports[0]);
}

/* A kernel of ours has pages, not a heap: bookkeeping takes whole ones. */
static unsigned int pages_for(size_t size)
{
	return (unsigned int)((size + XENV_PAGE_SIZE - 1) / XENV_PAGE_SIZE);
}

static void *f_mem_alloc(struct xenv *e, size_t size)
{
	return f_alloc_pages(e, pages_for(size));
}

static void f_mem_release(struct xenv *e, void *p, size_t size)
{
	f_free_pages(e, p, pages_for(size));
}

static void f_yield(struct xenv *e)
{
	(void)e;
	hc(HC_NR_sched_op, SCHEDOP_yield, NULL, 0);
}

static const struct xenv_ops free_ops = {
	.name = "freestanding",
	.alloc_pages = f_alloc_pages, .free_pages = f_free_pages,
	.mem_alloc = f_mem_alloc, .mem_release = f_mem_release,
	.grant = f_grant, .ungrant = f_ungrant,
	.map = f_map, .unmap = f_unmap,
	.evtchn_alloc = f_evtchn_alloc, .evtchn_bind = f_evtchn_bind,
	.evtchn_close = f_evtchn_close, .evtchn_notify = f_evtchn_notify,
	.evtchn_pending = f_evtchn_pending, .evtchn_wait = f_evtchn_wait,
	.evtchn_fd = f_evtchn_fd, .yield = f_yield, .close = f_close,
};

struct xenv *xenv_free_open(const struct xenv_free_hooks *h,
			    xenv_domid_t self)
{
	uint64_t frame = 0;
	struct gnttab_setup_table s = {.dom = DOMID_SELF, .nr_frames = 1,
				       .frame_list = (uintptr_t)&frame};
	void *win;

	fe.h = h;
	win = h->pages_alloc(1);
	if (!win || hc(HC_NR_grant_table_op, GNTTABOP_setup_table, &s, 1) ||
	    s.status != GNTST_okay ||
	    hc(HC_NR_update_va_mapping, (uintptr_t)win,
	       (void *)(uintptr_t)((frame << 12) | PTE_RW), UVMF_INVLPG))
		return NULL;
	fe.table = win;
	fe.env = (struct xenv){.ops = &free_ops, .self = self};
	return &fe.env;
}
