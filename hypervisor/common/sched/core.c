// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler core: choosing and switching vCPUs, blocking and waking, vCPU
 * timers and runstate accounting. schedule() never returns: it leaves
 * through return_to_guest with the chosen vCPU's frame, so a vCPU that
 * blocks inside a hypercall has its result stored in its frame first. A
 * CPU with nothing runnable idles in schedule() (tickless: hlt with the
 * next timer programmed) until a wake-up. As in Xen, the periodic timer
 * only ticks while its vCPU runs and catches up when it runs again.
 * Each vCPU is placed on a physical CPU when it is created (v->processor,
 * the least-loaded one); a CPU with nothing to run takes a queued vCPU
 * from another (runq_steal(): work stealing, so no CPU idles while
 * another has vCPUs waiting), unless the domain is pinned. A wake-up or
 * kick of a vCPU on another CPU is an IPI.
 * Locking: the hypervisor lock (docs/locking.md).
 */
#include <hv/arch.h>
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include "private.h"

extern void enter_guest(struct cpu_regs *regs) __noreturn;

/* Per physical CPU, under the hypervisor lock: */
static bool cpu_idling[NR_CPUS];
static unsigned int cpu_nr_vcpus[NR_CPUS];	/* placed there */
static struct timer slice_timer[NR_CPUS];
static bool slice_ready[NR_CPUS];

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

static struct vcpu *curr_of(unsigned int cpu)
{
	return cpu_info_of(cpu)->curr_vcpu;
}

/* The online CPU with the fewest vCPUs placed on it (lowest on a tie). */
static unsigned int least_loaded_cpu(void)
{
	cpumask_t online = cpu_online_mask();
	unsigned int best = 0;

	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++)
		if ((online & CPUMASK(cpu)) &&
		    cpu_nr_vcpus[cpu] < cpu_nr_vcpus[best])
			best = cpu;
	return best;
}

/* @v (not queued, not running, timers idle) belongs to @cpu from now. */
static void place_vcpu(struct vcpu *v, unsigned int cpu)
{
	if (v->singleshot_timer.fn) /* moving: the old CPU loses it */
		cpu_nr_vcpus[v->processor]--;
	cpu_nr_vcpus[cpu]++;
	v->processor = cpu;
	timer_init(&v->singleshot_timer, singleshot_timer_fn, v, cpu);
	timer_init(&v->periodic_timer, periodic_timer_fn, v, cpu);
	timer_init(&v->poll_timer, poll_timer_fn, v, cpu);
}

void sched_vcpu_init(struct vcpu *v)
{
	place_vcpu(v, least_loaded_cpu());
	v->is_up = v->vcpu_id == 0;
	v->is_initialised = v->vcpu_id == 0;
	/* PV vCPUs start with a 100 Hz tick, as on Xen; Linux stops it. */
	v->periodic_period = 10000000;
	v->periodic_next = now_ns() + v->periodic_period;
	v->runstate.state = RUNSTATE_offline;
	v->runstate.state_entry_time = now_ns();
	arch_vcpu_init_fpu(v);
	if (!v->domain->weight)
		v->domain->weight = 256;
}

static void vcpu_timers_stop(struct vcpu *v)
{
	timer_stop(&v->singleshot_timer);
	timer_stop(&v->periodic_timer);
	timer_stop(&v->poll_timer);
}

void sched_domain_pin(struct domain *d, unsigned int cpu)
{
	if (!(cpu_online_mask() & CPUMASK(cpu))) {
		log_warn("d%u: CPU%u is not online: not pinned", d->domid, cpu);
		return;
	}
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		BUG_ON(v->on_runq || curr_of(v->processor) == v);
		vcpu_timers_stop(v);
		place_vcpu(v, cpu);
		v->pinned = true;
	}
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
	    copy_to_guest(v->runstate_guest, &v->runstate, sizeof(v->runstate)))
		return; /* the guest unmapped it: its loss */
}

bool vcpu_runnable(const struct vcpu *v)
{
	return v->is_up && v->is_initialised && !v->blocked &&
	       v->domain->state == DOMAIN_RUNNING;
}

bool vcpu_is_running(const struct vcpu *v)
{
	return curr_of(v->processor) == v && !cpu_idling[v->processor];
}

/* @cpu runs schedule() before it next enters a guest. */
static void raise_resched(unsigned int cpu)
{
	cpu_info_of(cpu)->need_resched = 1;
	smp_send_event_check(cpu);
}

/* Wakes an idle CPU, if any, to look for queued vCPUs to take. */
static void kick_idle_cpu(void)
{
	cpumask_t online = cpu_online_mask();

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((online & CPUMASK(cpu)) && cpu_idling[cpu]) {
			smp_send_event_check(cpu);
			return;
		}
}

void vcpu_kick(struct vcpu *v)
{
	if (v != current && vcpu_is_running(v))
		smp_send_event_check(v->processor);
}

void vcpu_wake(struct vcpu *v)
{
	unsigned int cpu = v->processor;

	if (!vcpu_runnable(v) || v->on_runq || vcpu_is_running(v))
		return;
	vcpu_runstate_change(v, RUNSTATE_runnable);
	credit_waking(v);
	runq_insert(v, false);
	credit_start(cpu);
	if (cpu_idling[cpu] || credit_preempts(v, curr_of(cpu)))
		raise_resched(cpu);
	else
		kick_idle_cpu();	/* it may take @v */
}

void vcpu_unblock(struct vcpu *v)
{
	if (!v->blocked)
		return;
	v->blocked = false;
	v->polling = false;
	timer_stop(&v->poll_timer);
	vcpu_wake(v);
}

void sched_domain_stop(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (v->on_runq)
			runq_remove(v);
		vcpu_timers_stop(v);
		if (vcpu_is_running(v))
			raise_resched(v->processor);
	}
}

static void slice_timer_fn(void *unused)
{
	(void)unused;
	get_cpu_info()->need_resched = 1;
}

/* @next starts (or goes on) running on this CPU now. */
static void switch_in(struct vcpu *next)
{
	unsigned int cpu = smp_processor_id();

	if (!slice_ready[cpu]) {
		timer_init(&slice_timer[cpu], slice_timer_fn, NULL, cpu);
		slice_ready[cpu] = true;
	}
	next->run_start = now_ns();
	if (next->runstate.state != RUNSTATE_running)
		vcpu_runstate_change(next, RUNSTATE_running);
	vcpu_time_update(next);
	periodic_work(next);
	timer_set(&slice_timer[cpu], now_ns() + credit_slice(next));
	credit_start(cpu);
}

void sched_start(struct vcpu *v)
{
	get_cpu_info()->curr_vcpu = v;
	switch_in(v);
}

/*
 * @v (queued elsewhere a moment ago, not loaded anywhere) moves to this
 * CPU. Only its singleshot timer can be pending: the periodic one runs
 * while it runs, the poll one while it blocks.
 */
static void migrate_here(struct vcpu *v)
{
	bool armed = timer_is_active(&v->singleshot_timer);
	uint64_t expires = v->singleshot_timer.expires;

	timer_stop(&v->singleshot_timer);
	timer_stop(&v->periodic_timer);
	place_vcpu(v, smp_processor_id());
	if (armed)
		timer_set(&v->singleshot_timer, expires);
}

/* The next vCPU for @cpu: its own queue first, then another CPU's. */
static struct vcpu *pick_next(unsigned int cpu)
{
	struct vcpu *v = runq_pick(cpu);

	if (!v && (v = runq_steal(cpu)))
		migrate_here(v);
	return v;
}

/*
 * Waits with interrupts enabled until something is runnable; sets
 * *@parked if it left the last vCPU's address space meanwhile.
 */
static struct vcpu *idle_until_runnable(bool *parked)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *next;

	cpu_idling[cpu] = true;
	timer_stop(&slice_timer[cpu]);
	*parked = false;
	while (!(next = pick_next(cpu))) {
		if (!*parked)
			arch_idle_park();	/* before others see it idle */
		*parked = true;
		hv_lock_exit();
		asm volatile("sti; hlt; cli" ::: "memory"); /* tickless */
		hv_lock_enter();
	}
	cpu_idling[cpu] = false;
	return next;
}

/*
 * @next runs here now. current may have changed while this CPU idled
 * (sched_domain_release() forgets a dead domain's vCPU).
 */
static void __noreturn run_next(struct vcpu *next, bool parked)
{
	struct vcpu *prev = current;

	if (next != prev)
		arch_context_switch(prev, next);
	else if (parked)
		arch_idle_resume(next);
	switch_in(next);
	enter_guest(guest_cpu_regs());
}

void sched_cpu_start(void)
{
	bool parked;
	struct vcpu *next = idle_until_runnable(&parked);

	run_next(next, parked);
}

int sched_domain_release(struct domain *d)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct cpu_info *ci = cpu_info_of(cpu);

		if (!ci || !ci->curr_vcpu || ci->curr_vcpu->domain != d)
			continue;
		if (!cpu_idling[cpu])
			return -EAGAIN; /* it is still leaving that vCPU */
		ci->curr_vcpu = NULL;	/* parked: nothing of it is loaded */
	}
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		cpu_nr_vcpus[d->vcpus[i]->processor]--;
	return 0;
}

static void deschedule(struct vcpu *prev, bool yielded)
{
	credit_account(prev, now_ns());
	timer_stop(&prev->periodic_timer);
	if (vcpu_runnable(prev)) {
		runq_insert(prev, yielded);
		vcpu_runstate_change(prev, RUNSTATE_runnable);
	} else if (prev->runstate.state == RUNSTATE_running) {
		vcpu_runstate_change(prev, prev->blocked ? RUNSTATE_blocked
							 : RUNSTATE_offline);
	}
}

static void __noreturn do_schedule(bool yielded)
{
	struct cpu_info *ci = get_cpu_info();
	struct vcpu *prev = current, *next;
	bool parked = false;

	ci->need_resched = 0;
	ci->mc_args = NULL; /* a multicall entry never comes back */
	deschedule(prev, yielded);
	next = pick_next(smp_processor_id());
	if (!next)
		next = idle_until_runnable(&parked);
	ci->need_resched = 0;
	if (runq_waiting(smp_processor_id()))
		kick_idle_cpu();	/* an idle CPU may take one */
	run_next(next, parked);
}

void schedule(void)
{
	do_schedule(false);
}

/* Inside a multicall the frame is already the multicall's continuation. */
static void set_return_zero(void)
{
	if (!get_cpu_info()->mc_args)
		guest_cpu_regs()->rax = 0;
}

void sched_yield(void)
{
	set_return_zero();
	do_schedule(true);
}

/* Blocks the current vCPU; its hypercall returns 0 when it runs again. */
void sched_block_current(void)
{
	set_return_zero();
	do_schedule(false);
}
