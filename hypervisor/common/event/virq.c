// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual IRQs: binding a VIRQ to a port, and raising one. A per-vCPU
 * VIRQ (TIMER, DEBUG, XENOPROF, XENPMU) has a binding per vCPU; a global
 * one (CONSOLE, DOM_EXC, ...) is bound once, in vCPU 0's table, and may
 * be moved to another vCPU with bind_vcpu.
 */
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/nospec.h>
#include <asm/cpu_info.h>
#include "private.h"

long evtchn_bind_virq(struct evtchn_bind_virq *b)
{
	struct domain *d = current->domain;
	struct vcpu *v;
	unsigned int virq;
	int port;

	if (b->virq >= NR_VIRQS)
		return -EINVAL;
	virq = array_index_nospec(b->virq, NR_VIRQS); /* guest controlled */
	if (virq_is_global(virq) && b->vcpu != 0)
		return -EINVAL;
	v = domain_vcpu(d, b->vcpu);
	if (!v)
		return -ENOENT;
	if (v->virq_to_evtchn[virq])
		return -EEXIST;
	port = evtchn_alloc_port(d);
	if (port < 0)
		return port;
	*evtchn_from_port(d, (evtchn_port_t)port) =
	    (struct evtchn){.state = ECS_VIRQ,
			    .notify_vcpu = (uint8_t)v->vcpu_id,
			    .remote_port = virq};
	v->virq_to_evtchn[virq] = (evtchn_port_t)port;
	b->port = (evtchn_port_t)port;
	return 0;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
	evtchn_port_t port = v->virq_to_evtchn[virq];

	if (port)
		evtchn_2l_set_pending(v->domain, port);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
	evtchn_port_t port;

	if (!d || !d->nr_vcpus)
		return;
	port = d->vcpus[0]->virq_to_evtchn[virq];
	if (port)
		evtchn_2l_set_pending(d, port);
}
