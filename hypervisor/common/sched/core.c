// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler core: vCPU timers, blocking and waking, runstate accounting.
 * Today a physical CPU runs one vCPU: a blocked vCPU idles its CPU
 * (tickless: hlt with the next timer programmed) until an event, a timer
 * or a poll timeout wakes it. As in Xen, the periodic timer only ticks
 * while its vCPU runs and catches up when it runs again.
 * Locking: interrupts off on the vCPU's CPU (docs/locking.md).
 */
#include <hv/bug.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

static void singleshot_timer_fn(void *data)
{
	send_guest_vcpu_virq(data, VIRQ_TIMER);
}

/* Raises VIRQ_TIMER if a period is due, and arms the timer for the next. */
static void periodic_work(struct vcpu *v)
{
	uint64_t now = now_ns();

	if (!v->periodic_period)
		return;
	if (now >= v->periodic_next) {
		send_guest_vcpu_virq(v, VIRQ_TIMER);
		v->periodic_next = now + v->periodic_period;
	}
	timer_set(&v->periodic_timer, v->periodic_next);
}

static void periodic_timer_fn(void *data)
{
	periodic_work(data);
}

static void poll_timer_fn(void *data)
{
	struct vcpu *v = data;

	if (v->polling) {
		v->polling = false;
		vcpu_unblock(v);
	}
}

void sched_vcpu_init(struct vcpu *v)
{
	v->processor = 0;
	v->is_up = v->vcpu_id == 0;
	v->is_initialised = v->vcpu_id == 0;
	timer_init(&v->singleshot_timer, singleshot_timer_fn, v, v->processor);
	timer_init(&v->periodic_timer, periodic_timer_fn, v, v->processor);
	timer_init(&v->poll_timer, poll_timer_fn, v, v->processor);
	/* PV vCPUs start with a 100 Hz tick, as on Xen; Linux stops it. */
	v->periodic_period = 10000000;
	v->periodic_next = now_ns() + v->periodic_period;
	v->runstate.state = v->is_up ? RUNSTATE_running : RUNSTATE_offline;
	v->runstate.state_entry_time = now_ns();
	if (v->is_up)
		timer_set(&v->periodic_timer, v->periodic_next);
}

void vcpu_set_singleshot_timer(struct vcpu *v, uint64_t expires)
{
	timer_set(&v->singleshot_timer, expires);
}

void vcpu_stop_singleshot_timer(struct vcpu *v)
{
	timer_stop(&v->singleshot_timer);
}

void vcpu_set_periodic_timer(struct vcpu *v, uint64_t period_ns)
{
	timer_stop(&v->periodic_timer);
	v->periodic_period = period_ns;
	if (period_ns) {
		/* A first tick at once, then one per period (as Xen). */
		v->periodic_next = 0;
		periodic_work(v);
	}
}

void vcpu_runstate_change(struct vcpu *v, unsigned int state)
{
	uint64_t now = now_ns();
	struct vcpu_runstate_info *rs = &v->runstate;

	if (now > rs->state_entry_time)
		rs->time[rs->state] += now - rs->state_entry_time;
	rs->state = state;
	rs->state_entry_time = now;
	vcpu_runstate_publish(v);
}

/*
 * Best effort, as Xen: the area is a guest VA of the running vCPU's
 * address space; a copy that faults is skipped.
 */
void vcpu_runstate_publish(struct vcpu *v)
{
	if (v->runstate_guest && v == current &&
	    copy_to_guest(v->runstate_guest, &v->runstate,
			  sizeof(v->runstate)))
		return;	/* the guest unmapped it: its loss */
}

void vcpu_unblock(struct vcpu *v)
{
	if (!v->blocked)
		return;
	v->blocked = false;
	v->polling = false;
	timer_stop(&v->poll_timer);
}

void sched_wait_current(void)
{
	struct vcpu *v = current;

	if (!v->blocked)
		return;
	timer_stop(&v->periodic_timer);
	vcpu_runstate_change(v, RUNSTATE_blocked);
	while (v->blocked)
		asm volatile("sti; hlt; cli" ::: "memory");	/* tickless idle */
	vcpu_runstate_change(v, RUNSTATE_running);
	vcpu_time_update(v);
	periodic_work(v);
}
