// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual IRQs: binding a VIRQ to a port, and raising one. A per-vCPU
 * VIRQ (TIMER, DEBUG, XENOPROF, XENPMU) has a binding per vCPU; a global
 * one (CONSOLE, DOM_EXC, ...) is bound once, in vCPU 0's table, and may
 * be moved to another vCPU with bind_vcpu.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/nospec.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include "private.h"

#define CONSOLE_POLL_NS 10000000ULL

static struct timer console_timer;	/* CPU 0, interrupts off */

static void console_poll(void *unused)
{
	struct domain *d = hardware_domain;

	(void)unused;
	if (!d || !d->vcpus[0]->virq_to_evtchn[VIRQ_CONSOLE])
		return;	/* unbound: stop polling */
	if (console_input_pending())
		send_guest_global_virq(d, VIRQ_CONSOLE);
	timer_set(&console_timer, now_ns() + CONSOLE_POLL_NS);
}

static void console_poll_start(void)
{
	if (!console_timer.fn)
		timer_init(&console_timer, console_poll, NULL, 0);
	if (!timer_is_active(&console_timer))
		timer_set(&console_timer, now_ns() + CONSOLE_POLL_NS);
}

long evtchn_bind_virq(struct evtchn_bind_virq *b)
{
	struct domain *d = current->domain;
	struct vcpu *v;
	unsigned int virq;
	int port;

	if (b->virq >= NR_VIRQS)
		return -EINVAL;
	virq = array_index_nospec(b->virq, NR_VIRQS);	/* guest controlled */
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
	*evtchn_from_port(d, (evtchn_port_t)port) = (struct evtchn){
		.state = ECS_VIRQ, .notify_vcpu = (uint8_t)v->vcpu_id,
		.remote_port = virq };
	v->virq_to_evtchn[virq] = (evtchn_port_t)port;
	b->port = (evtchn_port_t)port;
	if (virq == VIRQ_CONSOLE && d == hardware_domain)
		console_poll_start();
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
