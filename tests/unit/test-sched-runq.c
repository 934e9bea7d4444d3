// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler's run queue and share accounting
 * (hypervisor/common/sched/credit.c, built unchanged against a one-CPU
 * shim and a fake clock): smallest virtual time first, yield behind its
 * peers, wake-up placement, CPU time in the ratio of the weights, caps,
 * and work stealing between two CPUs.
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include <hv/time.h>
#include <hv/smp.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include "../../hypervisor/common/sched/private.h"

struct cpu_info unit_cpu_info;
static struct cpu_info cpu1_info;	/* a second CPU, for stealing */
static uint64_t fake_now;
static void (*period_cb)(void *);

uint64_t now_ns(void)
{
	return fake_now;
}

void timer_init(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->data = data;
	t->cpu = cpu;
	period_cb = fn;
}

void timer_set(struct timer *t, uint64_t expires)
{
	t->expires = expires;
	t->active = true;
}

void timer_stop(struct timer *t)
{
	t->active = false;
}

cpumask_t cpu_online_mask(void)
{
	return CPUMASK(0) | CPUMASK(1);
}

struct cpu_info *cpu_info_of(unsigned int cpu)
{
	return cpu == 0 ? &unit_cpu_info : cpu == 1 ? &cpu1_info : NULL;
}

bool vcpu_runnable(const struct vcpu *v)
{
	return v->is_up && v->is_initialised && !v->blocked &&
	       v->domain->state == DOMAIN_RUNNING;
}

static struct domain doms[3];
static struct vcpu vcpus[3];

static void make(unsigned int n, const unsigned int *weights,
		 const unsigned int *caps)
{
	memset(doms, 0, sizeof(doms));
	memset(vcpus, 0, sizeof(vcpus));
	memset(&unit_cpu_info, 0, sizeof(unit_cpu_info));
	for (unsigned int i = 0; i < n; i++) {
		doms[i].domid = (domid_t)i;
		doms[i].weight = weights[i];
		doms[i].cap = caps ? caps[i] : 0;
		doms[i].nr_vcpus = 1;
		doms[i].vcpus[0] = &vcpus[i];
		vcpus[i].domain = &doms[i];
		vcpus[i].is_up = vcpus[i].is_initialised = true;
	}
}

/* Drains the queue (the test's vCPUs only). */
static void drain(void)
{
	while (runq_pick(0))
		;
}

static void test_order(void)
{
	static const unsigned int w[3] = {256, 256, 256};

	make(3, w, NULL);
	vcpus[0].vtime = 300;
	vcpus[1].vtime = 100;
	vcpus[2].vtime = 200;
	for (unsigned int i = 0; i < 3; i++)
		runq_insert(&vcpus[i], false);
	runq_insert(&vcpus[1], false); /* twice: no-op */
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[1]);
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[2]);
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[0]);
	CU_ASSERT_PTR_NULL(runq_pick(0));
	/* Yield: behind every queued peer even with the smallest vtime. */
	vcpus[0].vtime = 0;
	runq_insert(&vcpus[1], false);
	runq_insert(&vcpus[2], false);
	runq_insert(&vcpus[0], true);
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[1]);
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[2]);
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[0]);
	runq_insert(&vcpus[2], false);
	runq_remove(&vcpus[2]);
	CU_ASSERT_FALSE(vcpus[2].on_runq);
	CU_ASSERT_PTR_NULL(runq_pick(0));
}

/* Runs the CPU for @ns in slices; returns each vCPU's CPU time. */
static void simulate(uint64_t ns, uint64_t *ran)
{
	uint64_t end = fake_now + ns, next_period = fake_now + SCHED_PERIOD_NS;

	for (unsigned int i = 0; i < 3; i++)
		if (vcpu_runnable(&vcpus[i]))
			runq_insert(&vcpus[i], false);
	while (fake_now < end) {
		struct vcpu *v = runq_pick(0);
		uint64_t slice;

		if (!v) { /* idle until the next period */
			fake_now = next_period;
		} else {
			current = v;
			v->run_start = fake_now;
			slice = MIN(credit_slice(v), next_period - fake_now);
			fake_now += slice;
			ran[v - vcpus] += slice;
			credit_account(v, fake_now);
			runq_insert(v, false);
		}
		if (fake_now >= next_period && period_cb) {
			current = NULL;
			period_cb(NULL);
			next_period += SCHED_PERIOD_NS;
		}
	}
	drain();
}

static void test_weights(void)
{
	static const unsigned int w[3] = {128, 256, 512};
	uint64_t ran[3] = {0}, total;

	make(3, w, NULL);
	credit_start(0);
	simulate(10000000000ULL, ran);
	total = ran[0] + ran[1] + ran[2];
	/* 1:2:4 within 2 % of each ideal share. */
	for (unsigned int i = 0; i < 3; i++) {
		double ideal = (double)w[i] / 896.0,
		       got = (double)ran[i] / total;

		CU_ASSERT(got > ideal * 0.98 && got < ideal * 1.02);
	}
}

static void test_cap(void)
{
	static const unsigned int w[3] = {256, 256, 256}, cap[3] = {20, 0, 0};
	uint64_t ran[3] = {0}, total;

	make(2, w, cap);
	vcpus[2].is_up = false;
	credit_start(0);
	simulate(3000000000ULL, ran);
	total = ran[0] + ran[1];
	CU_ASSERT(ran[0] * 100 <= total * 21); /* at most its 20 % */
	CU_ASSERT(ran[0] * 100 >= total * 15);
	/* Alone, a capped vCPU leaves the CPU idle past its cap. */
	memset(ran, 0, sizeof(ran));
	vcpus[1].is_up = false;
	simulate(3000000000ULL, ran);
	CU_ASSERT(ran[0] * 100 <= 3000000000ULL * 21);
	CU_ASSERT_EQUAL(ran[1], 0);
}

static void test_wake_placement(void)
{
	static const unsigned int w[3] = {256, 256, 256};

	make(2, w, NULL);
	/* Beyond any earlier test's: the CPU's vtime never goes back. */
	vcpus[0].vtime = 1ULL << 50;
	runq_insert(&vcpus[0], false);
	CU_ASSERT_PTR_EQUAL(runq_pick(0), &vcpus[0]); /* CPU vtime now 2^50 */
	vcpus[1].vtime = 0;			     /* slept a long time */
	credit_waking(&vcpus[1]);
	CU_ASSERT_EQUAL(vcpus[1].vtime, (1ULL << 50) - SCHED_SLICE_NS);
	/* It preempts the running vCPU, which is ahead of it. */
	current = &vcpus[0];
	vcpus[0].run_start = fake_now;
	CU_ASSERT_TRUE(credit_preempts(&vcpus[1], &vcpus[0]));
	vcpus[1].vtime = vcpus[0].vtime;
	CU_ASSERT_FALSE(credit_preempts(&vcpus[1], &vcpus[0]));
	current = NULL;
}

static void test_steal(void)
{
	static const unsigned int w[3] = {256, 256, 256};

	make(3, w, NULL);
	memset(&cpu1_info, 0, sizeof(cpu1_info));
	for (unsigned int i = 0; i < 3; i++) {
		vcpus[i].processor = 1;
		vcpus[i].vtime = 1000 * i;
		runq_insert(&vcpus[i], false);
	}
	/* Not the one CPU 1 still has loaded, not a pinned one. */
	cpu1_info.curr_vcpu = &vcpus[0];
	vcpus[1].pinned = true;
	CU_ASSERT_PTR_EQUAL(runq_steal(0), &vcpus[2]);
	CU_ASSERT_FALSE(vcpus[2].on_runq);
	CU_ASSERT_PTR_NULL(runq_steal(0));
	/* CPU 1 keeps its own. */
	CU_ASSERT_PTR_EQUAL(runq_pick(1), &vcpus[0]);
	CU_ASSERT_PTR_EQUAL(runq_pick(1), &vcpus[1]);
	CU_ASSERT_PTR_NULL(runq_pick(1));
}

bool suite_sched_runq(void)
{
	static const struct unit_test tests[] = {
	    {"order_and_yield", test_order},
	    {"weights_1_2_4", test_weights},
	    {"cap", test_cap},
	    {"wake_placement", test_wake_placement},
	    {"steal", test_steal},
	};

	return UNIT_SUITE("sched_runq", tests);
}
