// SPDX-License-Identifier: GPL-2.0
/*
 * sched_op (29): yield, block (unmask events and sleep until one), poll
 * (sleep until one of some ports is pending, or a timeout), shutdown,
 * remote_shutdown (privileged), shutdown_code and watchdog. Errors as
 * Xen 4.17 gives them for the same request.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hvabi/sched.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

#define POLL_MAX_PORTS 128 /* as Xen's limit */

static long sched_block(void)
{
	struct vcpu *v = current;

	/* Atomically (interrupts are off) unmask and block. */
	v->vcpu_info->evtchn_upcall_mask = 0;
	if (vcpu_events_need_delivery(v))
		return 0;
	v->blocked = true;
	sched_block_current();
}

static long sched_poll(unsigned long arg)
{
	struct vcpu *v = current;
	struct sched_poll p;
	evtchn_port_t g_port = 0;
	long rc;

	if (copy_from_guest(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -EINVAL;
	if (vcpu_events_need_delivery(v))
		return 0;
	for (uint32_t i = 0; i < p.nr_ports; i++) {
		if (copy_from_guest(&g_port, p.ports + i * sizeof(g_port),
				    sizeof(g_port)))
			return -EFAULT;
		rc = evtchn_poll_check(v->domain, g_port);
		if (rc)
			return rc > 0 ? 0 : rc;
	}
	v->poll_port = p.nr_ports == 1 ? g_port : 0;
	v->polling = true;
	v->blocked = true;
	if (p.timeout)
		timer_set(&v->poll_timer, p.timeout);
	sched_block_current();
}

static void watchdog_fn(void *data)
{
	struct domain *d = data;

	if (d->state != DOMAIN_RUNNING)
		return;
	log_info("d%u: watchdog timer fired", d->domid);
	domain_shutdown(d, SHUTDOWN_watchdog);
}

void sched_domain_init(struct domain *d)
{
	for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOGS; i++)
		timer_init(&d->watchdog_timer[i], watchdog_fn, d, 0);
}

/* Returns the new id (1-based) when @id is 0, else 0; errors as Xen. */
static long sched_watchdog(unsigned long arg)
{
	struct domain *d = current->domain;
	struct sched_watchdog w;
	uint64_t due;

	if (copy_from_guest(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.id > NR_DOMAIN_WATCHDOGS)
		return -EINVAL;
	due = now_ns() + w.timeout * 1000000000ULL;
	if (w.id == 0) {
		for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOGS; i++) {
			if (d->watchdog_inuse & (1U << i))
				continue;
			d->watchdog_inuse |= 1U << i;
			timer_set(&d->watchdog_timer[i], due);
			return i + 1;
		}
		return -ENOSPC;
	}
	if (!(d->watchdog_inuse & (1U << (w.id - 1))))
		return -EINVAL;
	if (w.timeout == 0) {
		timer_stop(&d->watchdog_timer[w.id - 1]);
		d->watchdog_inuse &= ~(1U << (w.id - 1));
	} else {
		timer_set(&d->watchdog_timer[w.id - 1], due);
	}
	return 0;
}

static long sched_shutdown(unsigned long arg, bool code_only)
{
	struct domain *d = current->domain;
	struct sched_shutdown s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (code_only) {
		if (d->shutdown_code < 0)
			d->shutdown_code = (uint8_t)s.reason;
		return 0;
	}
	domain_shutdown(d, (uint8_t)s.reason);
	return 0;
}

static long sched_remote_shutdown(unsigned long arg)
{
	struct sched_remote_shutdown s;
	struct domain *d;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	d = domain_lookup(s.domain_id);
	if (!d)
		return -ESRCH;
	if (!current->domain->is_privileged)
		return -EPERM;
	domain_shutdown(d, (uint8_t)s.reason);
	return 0;
}

long do_sched_op(unsigned long cmd, unsigned long arg)
{
	switch ((int)cmd) {
	case SCHEDOP_yield:
		sched_yield();
	case SCHEDOP_block:
		return sched_block();
	case SCHEDOP_poll:
		return sched_poll(arg);
	case SCHEDOP_shutdown:
		return sched_shutdown(arg, false);
	case SCHEDOP_shutdown_code:
		return sched_shutdown(arg, true);
	case SCHEDOP_remote_shutdown:
		return sched_remote_shutdown(arg);
	case SCHEDOP_watchdog:
		return sched_watchdog(arg);
	}
	return -ENOSYS;
}
