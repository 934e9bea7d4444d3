/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The channel table of a domain: buckets of EVTCHNS_PER_BUCKET channels,
 * allocated on demand up to the 2-level limit of 4096 ports.
 *
 *   d->evtchn[] --> bucket 0: [0 reserved][1][2]...[511]
 *                   bucket 1: [512]...[1023]
 *                   ...         (NULL until a port in it is needed)
 *
 * A port below d->valid_evtchns has a bucket and is "valid" whatever its
 * state; operations on a valid free port fail with -EINVAL, as beyond.
 */
#ifndef EVENT_PRIVATE_H
#define EVENT_PRIVATE_H

#include <hv/domain.h>

enum evtchn_state {
	ECS_FREE,
	ECS_RESERVED,	 /* port 0 */
	ECS_UNBOUND,	 /* u.remote_domid may bind it */
	ECS_INTERDOMAIN, /* u.remote_domid:remote_port */
	ECS_VIRQ,	 /* virq */
	ECS_IPI,
	ECS_XEN,	 /* far end is hypervisor service remote_port */
};

struct evtchn {
	uint8_t state;	      /* enum evtchn_state */
	uint8_t notify_vcpu;  /* vCPU that gets the upcall */
	domid_t remote_domid; /* UNBOUND, INTERDOMAIN */
	uint32_t remote_port; /* INTERDOMAIN; VIRQ number; XEN: consumer */
};

#define EVTCHNS_PER_BUCKET (PAGE_SIZE / sizeof(struct evtchn))
#define EVTCHN_MAX_PORTS EVTCHN_2L_NR_CHANNELS

struct evtchn_bucket {
	struct evtchn chn[EVTCHNS_PER_BUCKET];
};

static inline bool port_is_valid(const struct domain *d, evtchn_port_t port)
{
	return port < d->valid_evtchns;
}

/* @port must be valid. */
static inline struct evtchn *evtchn_from_port(const struct domain *d,
					      evtchn_port_t port)
{
	return &d->evtchn[port / EVTCHNS_PER_BUCKET]
		    ->chn[port % EVTCHNS_PER_BUCKET];
}

/* A zeroed bucket (all ECS_FREE), or NULL when memory is short. */
struct evtchn_bucket *evtchn_bucket_alloc(void);

/* Port allocation (ports.c): the lowest free port, or -ENOSPC/-ENOMEM. */
int evtchn_alloc_port(struct domain *d);
/* Back to ECS_FREE; clears the pending bit. */
void evtchn_free_port(struct domain *d, evtchn_port_t port);

/* 2-level delivery (event-2l.c). */
void evtchn_2l_set_pending(struct domain *d, evtchn_port_t port);
void evtchn_2l_unmask(struct domain *d, evtchn_port_t port);
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port);

int evtchn_close(struct domain *d, evtchn_port_t port);

/* Per-vCPU VIRQs are bound on each vCPU; the others once, on vCPU 0. */
static inline bool virq_is_global(unsigned int virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
	       virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* The vCPU whose virq_to_evtchn[] holds the binding of @chn (ECS_VIRQ). */
static inline struct vcpu *virq_owner(const struct domain *d,
				      const struct evtchn *chn)
{
	return d
	    ->vcpus[virq_is_global(chn->remote_port) ? 0 : chn->notify_vcpu];
}

/* virq.c */
long evtchn_bind_virq(struct evtchn_bind_virq *b);

#endif
