// SPDX-License-Identifier: GPL-2.0
/*
 * Proportional share by weighted virtual time, with caps by credit.
 *
 * Each vCPU's vtime grows by its run time scaled by 256 / weight (a
 * domain's weight is split among its runnable vCPUs), and the CPU runs the
 * runnable vCPU with the smallest vtime: over any interval in which a set
 * of vCPUs stays runnable, their CPU times are in the ratio of their
 * weights. A vCPU that wakes from a block is placed at most one slice
 * behind the CPU's smallest vtime, so sleeping earns a prompt wake-up but
 * no hoard; it preempts the running vCPU when it is behind it by more
 * than SCHED_WAKE_GRAN_NS (weighted).
 *
 * Caps (cap = % of one CPU): a capped vCPU gets period * cap / 100 ns of
 * credit each SCHED_PERIOD_NS, pays for its run time from it and is not
 * picked while the credit is not positive, even if the CPU would idle.
 * The period timer runs only while some vCPU of this CPU is runnable.
 * Locking: the hypervisor lock (docs/locking.md).
 */
#include <hv/bug.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include "private.h"

#define SCHED_WAKE_GRAN_NS 1000000ULL

/* Per physical CPU, under the hypervisor lock: */
static struct vcpu *runq[NR_CPUS]; /* by vtime, smallest first */
static struct timer period_timer[NR_CPUS];
static bool period_ready[NR_CPUS];
static uint64_t min_vtime[NR_CPUS]; /* never decreases */

static unsigned int vcpu_weight(const struct vcpu *v)
{
	const struct domain *d = v->domain;
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		n += vcpu_runnable(d->vcpus[i]);
	return MAX(d->weight / MAX(n, 1U), 1U);
}

static int64_t cap_budget(const struct vcpu *v)
{
	return (int64_t)(SCHED_PERIOD_NS * v->domain->cap / 100);
}

static bool capped_out(const struct vcpu *v)
{
	return v->domain->cap && v->credit <= 0;
}

static void refill_caps(struct vcpu *v)
{
	if (v->domain->cap)
		v->credit = MIN(v->credit + cap_budget(v), cap_budget(v));
}

static void period_fn(void *unused)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *curr = current;

	(void)unused;
	for (struct vcpu *v = runq[cpu]; v; v = v->rq_next)
		refill_caps(v);
	if (curr && vcpu_runnable(curr) && !curr->on_runq) {
		credit_account(curr, now_ns());
		refill_caps(curr);
	}
	get_cpu_info()->need_resched = 1; /* parked vCPUs may run now */
	timer_set(&period_timer[cpu], now_ns() + SCHED_PERIOD_NS);
}

void credit_start(unsigned int cpu)
{
	if (!period_ready[cpu]) {
		timer_init(&period_timer[cpu], period_fn, NULL, cpu);
		period_ready[cpu] = true;
	}
	if (!timer_is_active(&period_timer[cpu]))
		timer_set(&period_timer[cpu], now_ns() + SCHED_PERIOD_NS);
}

void runq_insert(struct vcpu *v, bool at_tail)
{
	unsigned int cpu = v->processor;
	struct vcpu **pp = &runq[cpu];

	if (v->on_runq)
		return;
	if (at_tail) { /* yield: behind every peer */
		for (struct vcpu *w = runq[cpu]; w; w = w->rq_next)
			v->vtime = MAX(v->vtime, w->vtime);
	}
	while (*pp && (*pp)->vtime <= v->vtime)
		pp = &(*pp)->rq_next;
	v->rq_next = *pp;
	*pp = v;
	v->on_runq = true;
}

void runq_remove(struct vcpu *v)
{
	struct vcpu **pp = &runq[v->processor];

	while (*pp && *pp != v)
		pp = &(*pp)->rq_next;
	if (*pp)
		*pp = v->rq_next;
	v->rq_next = NULL;
	v->on_runq = false;
}

struct vcpu *runq_pick(unsigned int cpu)
{
	struct vcpu *v;

	for (v = runq[cpu]; v && capped_out(v); v = v->rq_next)
		;
	if (!v) {
		if (!runq[cpu] && period_ready[cpu])
			timer_stop(&period_timer[cpu]); /* tickless idle */
		return NULL;
	}
	runq_remove(v);
	min_vtime[cpu] = MAX(min_vtime[cpu], v->vtime);
	return v;
}

bool runq_waiting(unsigned int cpu)
{
	return runq[cpu] != NULL;
}

struct vcpu *runq_steal(unsigned int cpu)
{
	cpumask_t online = cpu_online_mask();

	for (unsigned int i = 1; i < NR_CPUS; i++) {
		unsigned int from = (cpu + i) % NR_CPUS;
		const struct cpu_info *ci = cpu_info_of(from);

		if (!(online & CPUMASK(from)) || !ci)
			continue;
		for (struct vcpu *v = runq[from]; v; v = v->rq_next) {
			/* Its registers may still be loaded there (lazy). */
			if (v->pinned || capped_out(v) || ci->curr_vcpu == v)
				continue;
			runq_remove(v);
			/* The same lead over the new CPU's queue. */
			v->vtime = v->vtime - MIN(v->vtime, min_vtime[from]) +
				   min_vtime[cpu];
			return v;
		}
	}
	return NULL;
}

void credit_account(struct vcpu *v, uint64_t now)
{
	uint64_t ran = now > v->run_start ? now - v->run_start : 0;

	v->vtime += ran * 256 / vcpu_weight(v);
	if (v->domain->cap)
		v->credit -= (int64_t)ran;
	v->run_start = now;
}

void credit_waking(struct vcpu *v)
{
	uint64_t floor = min_vtime[v->processor];

	floor = floor > SCHED_SLICE_NS ? floor - SCHED_SLICE_NS : 0;
	v->vtime = MAX(v->vtime, floor);
}

uint64_t credit_slice(const struct vcpu *v)
{
	if (v->domain->cap && v->credit > 0)
		return MAX(MIN((uint64_t)v->credit, SCHED_SLICE_NS),
			   SCHED_MIN_SLICE_NS);
	return SCHED_SLICE_NS;
}

bool credit_preempts(const struct vcpu *v, struct vcpu *curr)
{
	if (!curr || !vcpu_runnable(curr) || curr->on_runq)
		return true;
	if (capped_out(v))
		return false;
	credit_account(curr, now_ns());
	return v->vtime + SCHED_WAKE_GRAN_NS < curr->vtime;
}
