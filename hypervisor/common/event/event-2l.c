// SPDX-License-Identifier: GPL-2.0
/*
 * The 2-level event ABI: delivery state lives in guest-writable memory.
 *
 *   shared_info.evtchn_pending[64] / evtchn_mask[64]   one bit per port
 *   vcpu_info.evtchn_pending_sel                       one bit per word
 *   vcpu_info.evtchn_upcall_pending / _mask            one byte each
 *
 * Raising port p: set pending[p]; if it was clear and mask[p] is clear,
 * set sel bit p/64 of the notified vCPU; if that was clear, set
 * upcall_pending, and if that was clear, wake the vCPU. Each step is one
 * locked bit operation, so the guest (which clears in the reverse order)
 * never loses an event; the hypervisor never trusts what it reads back
 * beyond the bit it just changed.
 */
#include <hv/bitops.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/sched.h>
#include "private.h"

void vcpu_mark_events_pending(struct vcpu *v)
{
	if (!test_and_set_bit(0, &v->vcpu_info->evtchn_upcall_pending)) {
		vcpu_unblock(v);
		vcpu_kick(v);
	}
}

/* A vCPU of @d in SCHEDOP_poll on @port (or on several ports) wakes up. */
static void check_pollers(struct domain *d, evtchn_port_t port)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v->polling || (v->poll_port && v->poll_port != port))
			continue;
		v->polling = false;
		vcpu_unblock(v);
	}
}

void evtchn_2l_set_pending(struct domain *d, evtchn_port_t port)
{
	struct shared_info *si = d->shared_info;
	struct vcpu *v = d->vcpus[evtchn_from_port(d, port)->notify_vcpu];

	if (test_and_set_bit(port, si->evtchn_pending))
		return;
	if (!test_bit(port, si->evtchn_mask) &&
	    !test_and_set_bit(port / 64, &v->vcpu_info->evtchn_pending_sel))
		vcpu_mark_events_pending(v);
	check_pollers(d, port);
}

void evtchn_2l_unmask(struct domain *d, evtchn_port_t port)
{
	struct shared_info *si = d->shared_info;
	struct vcpu *v = d->vcpus[evtchn_from_port(d, port)->notify_vcpu];

	/* Same order as set_pending: an unmasked pending port is raised. */
	if (test_and_clear_bit(port, si->evtchn_mask) &&
	    test_bit(port, si->evtchn_pending) &&
	    !test_and_set_bit(port / 64, &v->vcpu_info->evtchn_pending_sel))
		vcpu_mark_events_pending(v);
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
	test_and_clear_bit(port, d->shared_info->evtchn_pending);
}

bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port)
{
	return test_bit(port, d->shared_info->evtchn_pending);
}

int evtchn_poll_check(struct domain *d, evtchn_port_t g_port)
{
	if (!port_is_valid(d, g_port)) /* guest controlled */
		return -EINVAL;
	return evtchn_2l_is_pending(d, g_port);
}
