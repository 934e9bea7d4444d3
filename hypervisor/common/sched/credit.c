// SPDX-License-Identifier: GPL-2.0
/*
 * Credit-style proportional share. Every SCHED_PERIOD_NS each runnable
 * vCPU of this CPU gets period * weight / (sum of runnable weights) ns of
 * credit (a domain's weight is split among its runnable vCPUs), clamped
 * to one share so that sleepers cannot hoard. Running costs credit ns for
 * ns. The run queue is ordered by credit, highest first; a vCPU of a
 * capped domain (cap = % of one CPU) gets at most its cap per period and
 * does not run on negative credit, so its share never exceeds the cap;
 * uncapped vCPUs keep running on negative credit when nothing better is
 * runnable (work conserving). The refill timer stops when the CPU idles.
 * Locking: interrupts off on this CPU (docs/locking.md).
 */
#include <hv/bug.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include "private.h"

#define CREDIT_FLOOR (-(int64_t)(2 * SCHED_PERIOD_NS))

/* Owned by each CPU, interrupts off: */
static struct vcpu *runq[NR_CPUS];
static struct timer refill_timer[NR_CPUS];
static bool refill_ready[NR_CPUS];

static unsigned int vcpu_weight(const struct vcpu *v)
{
	const struct domain *d = v->domain;
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		n += vcpu_runnable(d->vcpus[i]);
	return MAX(d->weight / MAX(n, 1U), 1U);
}

static int64_t vcpu_share(const struct vcpu *v, uint64_t total_weight)
{
	int64_t share = (int64_t)(SCHED_PERIOD_NS * vcpu_weight(v) /
				  MAX(total_weight, 1));

	if (v->domain->cap)
		share = MIN(share, (int64_t)(SCHED_PERIOD_NS *
					     v->domain->cap / 100));
	return share;
}

static void give_credit(struct vcpu *v, uint64_t total)
{
	int64_t share = vcpu_share(v, total);

	v->credit = MIN(v->credit + share, share);
}

static void refill(void *unused)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *curr = current, *list = NULL, *v;
	uint64_t total = 0;

	(void)unused;
	for (v = runq[cpu]; v; v = v->rq_next)
		total += vcpu_weight(v);
	if (curr && vcpu_runnable(curr) && !curr->on_runq)
		total += vcpu_weight(curr);
	/* Re-sort: take the queue apart and insert each again. */
	list = runq[cpu];
	runq[cpu] = NULL;
	while ((v = list)) {
		list = v->rq_next;
		v->on_runq = false;
		give_credit(v, total);
		runq_insert(v, false);
	}
	if (curr && vcpu_runnable(curr) && !curr->on_runq) {
		credit_account(curr, now_ns());
		give_credit(curr, total);
	}
	get_cpu_info()->need_resched = 1;	/* re-decide with new credit */
	timer_set(&refill_timer[cpu], now_ns() + SCHED_PERIOD_NS);
}

void credit_start(void)
{
	unsigned int cpu = smp_processor_id();

	if (!refill_ready[cpu]) {
		timer_init(&refill_timer[cpu], refill, NULL, cpu);
		refill_ready[cpu] = true;
	}
	if (!timer_is_active(&refill_timer[cpu]))
		timer_set(&refill_timer[cpu], now_ns() + SCHED_PERIOD_NS);
}

void runq_insert(struct vcpu *v, bool at_tail)
{
	struct vcpu **pp = &runq[smp_processor_id()];

	if (v->on_runq)
		return;
	while (*pp && (at_tail || (*pp)->credit >= v->credit))
		pp = &(*pp)->rq_next;
	v->rq_next = *pp;
	*pp = v;
	v->on_runq = true;
}

void runq_remove(struct vcpu *v)
{
	struct vcpu **pp = &runq[smp_processor_id()];

	while (*pp && *pp != v)
		pp = &(*pp)->rq_next;
	if (*pp)
		*pp = v->rq_next;
	v->rq_next = NULL;
	v->on_runq = false;
}

struct vcpu *runq_pick(void)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *v;

	for (v = runq[cpu]; v; v = v->rq_next)
		if (v->credit > 0 || !v->domain->cap)
			break;
	if (!v) {
		if (!runq[cpu] && refill_ready[cpu])
			timer_stop(&refill_timer[cpu]);	/* tickless idle */
		return NULL;
	}
	runq_remove(v);
	return v;
}

void credit_account(struct vcpu *v, uint64_t now)
{
	if (now > v->run_start)
		v->credit -= (int64_t)(now - v->run_start);
	v->credit = MAX(v->credit, CREDIT_FLOOR);
	v->run_start = now;
}

uint64_t credit_slice(const struct vcpu *v)
{
	if (v->credit <= 0)
		return SCHED_SLICE_NS;
	return MAX(MIN((uint64_t)v->credit, SCHED_SLICE_NS),
		   SCHED_MIN_SLICE_NS);
}

bool credit_preempts(const struct vcpu *v, const struct vcpu *curr)
{
	return !curr || !vcpu_runnable(curr) || v->credit > curr->credit;
}
