// SPDX-License-Identifier: GPL-2.0
/*
 * event_channel_op: allocating, binding, closing and querying ports.
 *
 * Design. A channel is a small state machine per port (private.h):
 *
 *   FREE --alloc_unbound--> UNBOUND --bind_interdomain (by the peer)-->
 *   INTERDOMAIN; FREE --bind_virq/bind_ipi--> VIRQ/IPI; close -> FREE
 *   (the peer of an INTERDOMAIN channel falls back to UNBOUND, offered to
 *   the closer again). Port 0 is RESERVED for ever.
 *
 * An INTERDOMAIN pair always points at each other: closing or resetting
 * one side rewrites the other in the same step. Domains are never freed
 * while the machine runs, so a remote domain pointer cannot dangle.
 * Locking: every op runs with interrupts off on the caller's CPU; with
 * one physical CPU that serialises all event state (docs/locking.md).
 * Errors follow Xen 4.17 for the same request.
 */
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/string.h>
#include <asm/cpu_info.h>
#include "private.h"

struct evtchn_bucket *evtchn_bucket_alloc(void)
{
	mfn_t mfn = alloc_page();

	if (mfn_x(mfn) == mfn_x(INVALID_MFN))
		return NULL;
	memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
	return mfn_to_virt(mfn);
}

int evtchn_init(struct domain *d)
{
	int port = evtchn_alloc_port(d);

	if (port < 0)
		return port;
	evtchn_from_port(d, (evtchn_port_t)port)->state = ECS_RESERVED;
	return 0;
}

/* The dummy XSM policy: a domain acts on itself, a privileged one on all. */
static bool may_target(const struct domain *d)
{
	return d == current->domain || current->domain->is_privileged;
}

int evtchn_alloc_unbound_port(struct domain *d, domid_t remote)
{
	int port = evtchn_alloc_port(d);

	if (port < 0)
		return port;
	*evtchn_from_port(d, (evtchn_port_t)port) =
		(struct evtchn){.state = ECS_UNBOUND, .remote_domid = remote};
	return port;
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	struct domain *d = domain_lookup_by_any_id(a->dom);
	int port;

	if (!d)
		return -ESRCH;
	if (!may_target(d))
		return -EPERM;
	port = evtchn_alloc_unbound_port(d, a->remote_dom == DOMID_SELF ?
						    current->domain->domid :
						    a->remote_dom);
	if (port < 0)
		return port;
	a->port = (evtchn_port_t)port;
	return 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *b)
{
	struct domain *ld = current->domain;
	struct domain *rd = domain_lookup_by_any_id(b->remote_dom);
	struct evtchn *lchn, *rchn;
	int lport;

	if (!rd)
		return -ESRCH;
	lport = evtchn_alloc_port(ld);
	if (lport < 0)
		return lport;
	if (!port_is_valid(rd, b->remote_port)) /* guest controlled */
		return -EINVAL;
	rchn = evtchn_from_port(rd, b->remote_port);
	if (rchn->state != ECS_UNBOUND || rchn->remote_domid != ld->domid)
		return -EINVAL;
	lchn = evtchn_from_port(ld, (evtchn_port_t)lport);
	*lchn = (struct evtchn){.state = ECS_INTERDOMAIN,
				.remote_domid = rd->domid,
				.remote_port = b->remote_port};
	rchn->state = ECS_INTERDOMAIN;
	rchn->remote_domid = ld->domid;
	rchn->remote_port = (evtchn_port_t)lport;
	/* Sends to the unbound port were dropped: raise the new one once. */
	evtchn_2l_set_pending(ld, (evtchn_port_t)lport);
	b->local_port = (evtchn_port_t)lport;
	return 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *b)
{
	struct domain *d = current->domain;
	int port;

	if (!domain_vcpu(d, b->vcpu))
		return -ENOENT;
	port = evtchn_alloc_port(d);
	if (port < 0)
		return port;
	*evtchn_from_port(d, (evtchn_port_t)port) =
	    (struct evtchn){.state = ECS_IPI, .notify_vcpu = (uint8_t)b->vcpu};
	b->port = (evtchn_port_t)port;
	return 0;
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn, *rchn;
	struct domain *rd;

	if (!port_is_valid(d, port)) /* guest controlled */
		return -EINVAL;
	chn = evtchn_from_port(d, port);
	switch (chn->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		return -EINVAL;
	case ECS_VIRQ:
		virq_owner(d, chn)->virq_to_evtchn[chn->remote_port] = 0;
		break;
	case ECS_INTERDOMAIN:
		rd = domain_by_id(chn->remote_domid);
		BUG_ON(!rd || !port_is_valid(rd, chn->remote_port));
		rchn = evtchn_from_port(rd, chn->remote_port);
		BUG_ON(rchn->state != ECS_INTERDOMAIN);
		rchn->state = ECS_UNBOUND;
		rchn->remote_domid = d->domid;
		break;
	}
	evtchn_free_port(d, port);
	return 0;
}

/* The hypervisor services at the far end of ECS_XEN ports. */
static void (*const xen_consumers[])(struct domain *d) = {
	[XEN_CONSUMER_CONSOLE] = vcons_notify,
};

int evtchn_alloc_xen(struct domain *d, enum xen_consumer c)
{
	int port = evtchn_alloc_port(d);

	if (port < 0)
		return port;
	*evtchn_from_port(d, (evtchn_port_t)port) =
		(struct evtchn){.state = ECS_XEN, .remote_port = c};
	return port;
}

void evtchn_raise_from_xen(struct domain *d, evtchn_port_t port,
			   enum xen_consumer c)
{
	const struct evtchn *chn;

	if (!port_is_valid(d, port))
		return;
	chn = evtchn_from_port(d, port);
	if (chn->state == ECS_XEN && chn->remote_port == c)
		evtchn_2l_set_pending(d, port);
}

static long evtchn_send(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn;
	struct domain *rd;

	if (!port_is_valid(d, port)) /* guest controlled */
		return -EINVAL;
	chn = evtchn_from_port(d, port);
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		rd = domain_by_id(chn->remote_domid);
		evtchn_2l_set_pending(rd, chn->remote_port);
		return 0;
	case ECS_IPI:
		evtchn_2l_set_pending(d, port);
		return 0;
	case ECS_UNBOUND:
		return 0; /* nobody listens yet: dropped */
	case ECS_XEN:
		xen_consumers[chn->remote_port](d);
		return 0;
	}
	return -EINVAL;
}

static long evtchn_status(struct evtchn_status *s)
{
	struct domain *d = domain_lookup_by_any_id(s->dom);
	const struct evtchn *chn;
	static const uint32_t stat[] = {
	    [ECS_FREE] = EVTCHNSTAT_closed,
	    [ECS_RESERVED] = EVTCHNSTAT_closed,
	    [ECS_UNBOUND] = EVTCHNSTAT_unbound,
	    [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
	    [ECS_VIRQ] = EVTCHNSTAT_virq,
	    [ECS_IPI] = EVTCHNSTAT_ipi,
	    [ECS_XEN] = EVTCHNSTAT_interdomain,
	};

	if (!d)
		return -ESRCH;
	if (!port_is_valid(d, s->port)) /* guest controlled */
		return -EINVAL;
	if (!may_target(d))
		return -EPERM;
	chn = evtchn_from_port(d, s->port);
	memset(&s->u, 0, sizeof(s->u));
	s->status = stat[chn->state];
	s->vcpu = chn->notify_vcpu;
	if (chn->state == ECS_UNBOUND) {
		s->u.unbound.dom = chn->remote_domid;
	} else if (chn->state == ECS_INTERDOMAIN) {
		s->u.interdomain.dom = chn->remote_domid;
		s->u.interdomain.port = chn->remote_port;
	} else if (chn->state == ECS_XEN) {
		s->u.interdomain.dom = DOMID_XEN; /* port 0: the service */
	} else if (chn->state == ECS_VIRQ) {
		s->u.virq = chn->remote_port;
	}
	return 0;
}

static long evtchn_bind_vcpu(const struct evtchn_bind_vcpu *b)
{
	struct domain *d = current->domain;
	struct evtchn *chn;

	if (!domain_vcpu(d, b->vcpu))
		return -ENOENT;
	if (!port_is_valid(d, b->port)) /* guest controlled */
		return -EINVAL;
	chn = evtchn_from_port(d, b->port);
	switch (chn->state) {
	case ECS_VIRQ:
		if (!virq_is_global(chn->remote_port))
			return -EINVAL;
		chn->notify_vcpu = (uint8_t)b->vcpu;
		return 0;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
	case ECS_XEN:
		chn->notify_vcpu = (uint8_t)b->vcpu;
		return 0;
	}
	return -EINVAL;
}

static long evtchn_unmask(struct domain *d, evtchn_port_t port)
{
	if (!port_is_valid(d, port)) /* guest controlled */
		return -EINVAL;
	evtchn_2l_unmask(d, port);
	return 0;
}

/* Closes every port of @d (EVTCHNOP_reset); preemptible. */
void evtchn_destroy(struct domain *d)
{
	for (evtchn_port_t port = 1; port_is_valid(d, port); port++)
		if (evtchn_from_port(d, port)->state != ECS_FREE)
			evtchn_close(d, port);	/* peers' ends go unbound */
	for (unsigned int b = 0; b < EVTCHN_NR_BUCKETS; b++) {
		if (d->evtchn[b])
			free_page(virt_to_mfn(d->evtchn[b]));
		d->evtchn[b] = NULL;
	}
	d->valid_evtchns = 0;
}

static long evtchn_reset(domid_t dom)
{
	struct domain *d = domain_lookup_by_any_id(dom);

	if (!d)
		return -ESRCH;
	if (!may_target(d))
		return -EPERM;
	if (d != current->domain) /* only a paused domain, as Xen */
		return -EINVAL;
	for (evtchn_port_t port = 1; port_is_valid(d, port); port++) {
		struct evtchn *chn = evtchn_from_port(d, port);

		if (chn->state != ECS_FREE)
			evtchn_close(d, port);
	}
	return 0;
}

static long evtchn_set_priority(const struct evtchn_set_priority *p)
{
	if (!port_is_valid(current->domain, p->port)) /* guest controlled */
		return -EINVAL;
	return -ENOSYS; /* 2-level ports have no priorities (as Xen) */
}

/* Copy in, run, copy back (only on success, as Xen). */
#define EVTCHN_OP(type, fn, copy_out)                                          \
	({                                                                     \
		struct type a_;                                                \
		long rc_;                                                      \
		if (copy_from_guest(&a_, arg, sizeof(a_)))                     \
			return -EFAULT;                                        \
		rc_ = fn;                                                      \
		if (!rc_ && (copy_out) && copy_to_guest(arg, &a_, sizeof(a_))) \
			rc_ = -EFAULT;                                         \
		rc_;                                                           \
	})

long do_event_channel_op(unsigned long cmd, unsigned long arg)
{
	struct domain *d = current->domain;

	/* The hot path (notifications) before the compare chain. */
	if ((int)cmd == EVTCHNOP_send)
		return EVTCHN_OP(evtchn_send, evtchn_send(d, a_.port), 0);
	switch ((int)cmd) {
	case EVTCHNOP_alloc_unbound:
		return EVTCHN_OP(evtchn_alloc_unbound,
				 evtchn_alloc_unbound(&a_), 1);
	case EVTCHNOP_bind_interdomain:
		return EVTCHN_OP(evtchn_bind_interdomain,
				 evtchn_bind_interdomain(&a_), 1);
	case EVTCHNOP_bind_virq:
		return EVTCHN_OP(evtchn_bind_virq, evtchn_bind_virq(&a_), 1);
	case EVTCHNOP_bind_ipi:
		return EVTCHN_OP(evtchn_bind_ipi, evtchn_bind_ipi(&a_), 1);
	case EVTCHNOP_close:
		return EVTCHN_OP(evtchn_close, evtchn_close(d, a_.port), 0);
	case EVTCHNOP_status:
		return EVTCHN_OP(evtchn_status, evtchn_status(&a_), 1);
	case EVTCHNOP_bind_vcpu:
		return EVTCHN_OP(evtchn_bind_vcpu, evtchn_bind_vcpu(&a_), 0);
	case EVTCHNOP_unmask:
		return EVTCHN_OP(evtchn_unmask, evtchn_unmask(d, a_.port), 0);
	case EVTCHNOP_reset:
	case EVTCHNOP_reset_cont:
		return EVTCHN_OP(evtchn_reset, evtchn_reset(a_.dom), 0);
	case EVTCHNOP_set_priority:
		return EVTCHN_OP(evtchn_set_priority, evtchn_set_priority(&a_),
				 0);
	case EVTCHNOP_bind_pirq:    /* no physical IRQs are passed through */
	case EVTCHNOP_init_control: /* FIFO ABI: guests fall back to 2-level */
	case EVTCHNOP_expand_array:
		return -ENOSYS;
	}
	return -ENOSYS;
}
