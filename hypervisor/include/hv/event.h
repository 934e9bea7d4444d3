/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels as the rest of the hypervisor sees them: per-domain
 * set-up, raising virtual IRQs and the checks the scheduler needs.
 * The channel table itself is private to common/event/.
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <hv/domain.h>

/*
 * Gives @d its first bucket of channels with port 0 reserved.
 * Returns 0 or -ENOMEM.
 */
int __must_check evtchn_init(struct domain *d);
/*
 * Domain destruction: closes every port of @d (the far end of each
 * interdomain channel goes back to unbound, as on Xen) and frees its
 * channel table.
 */
void evtchn_destroy(struct domain *d);

/* Raises per-vCPU @virq (TIMER, DEBUG...) on @v if the guest bound it. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Raises global @virq (CONSOLE, DOM_EXC...) on @d if bound. */
void send_guest_global_virq(struct domain *d, unsigned int virq);

/*
 * Sets @v's upcall_pending; a blocked @v is woken when the flag goes from
 * clear to set.
 */
void vcpu_mark_events_pending(struct vcpu *v);

/* True when @v has an upcall pending and not masked. */
static inline bool vcpu_events_need_delivery(const struct vcpu *v)
{
	const volatile struct vcpu_info *vi = v->vcpu_info;

	return vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask;
}

/*
 * For SCHEDOP_poll: 1 if @g_port of @d is pending, 0 if not, -EINVAL if
 * the port is not valid.
 */
int evtchn_poll_check(struct domain *d, evtchn_port_t g_port);

/* A new port of @d offered to domain @remote; the port or -errno. */
int evtchn_alloc_unbound_port(struct domain *d, domid_t remote);

/* Hypervisor services that own the far end of a guest's port. */
enum xen_consumer { XEN_CONSUMER_CONSOLE };

/* A new port of @d whose sends call service @c; the port or -errno. */
int evtchn_alloc_xen(struct domain *d, enum xen_consumer c);
/* Raises @port of @d if the guest has not closed or rebound it. */
void evtchn_raise_from_xen(struct domain *d, evtchn_port_t port,
			   enum xen_consumer c);

#endif
