// SPDX-License-Identifier: MIT
/*
 * A "parallel for" for one blkback device: the serving thread hands a
 * batch of independent jobs to itself and its helper threads, which take
 * them one at a time, and it returns once every job is done.
 *
 * The protocol, all through sequentially consistent atomics:
 *  - a job is claimed by fetch_add on @next; a claim >= @nr_jobs is none;
 *  - between batches @next is POOL_CLOSED, so a late claim finds nothing;
 *  - the serving thread rewrites the batch only when no helper is inside
 *    work() (@active == 0, checked after closing), then opens @next and
 *    bumps @gen, which sleeping helpers wait on with a futex.
 * Waits poll (yielding) briefly before sleeping: under load the next
 * batch comes within microseconds, and a futex wakeup from another CPU
 * costs more than that on a virtual machine.
 */
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "blkback.h"

#define POOL_CLOSED 0x80000000U
#define POOL_SPIN_NS 20000LL

struct blkback_pool {
	unsigned int nr_helpers;
	pthread_t tid[BLKBACK_MAX_THREADS];
	_Atomic uint32_t gen;	   /* bumped per batch; helpers wait on it */
	_Atomic uint32_t next;	   /* next job to claim */
	_Atomic uint32_t nr_jobs;  /* of the open batch */
	_Atomic uint32_t done;	   /* jobs finished in the open batch */
	_Atomic uint32_t active;   /* helpers inside work() */
	_Atomic uint32_t sleepers; /* helpers in (or entering) futex wait */
	_Atomic uint32_t joiners;  /* the caller, waiting for done */
	_Atomic bool stop;
	void (*fn)(void *arg, unsigned int i);
	void *arg;
};

static void futex(_Atomic uint32_t *addr, int op, uint32_t val)
{
	syscall(SYS_futex, addr, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

/*
 * Wait while *@w is @old: yielding the CPU for up to POOL_SPIN_NS (the
 * thread we wait for may share it), then asleep on a futex; @sleepers
 * tells wakers whether the futex call is needed.
 */
static void wait_change(_Atomic uint32_t *w, uint32_t old,
			_Atomic uint32_t *sleepers)
{
	long long end = blkback_mono_ns() + POOL_SPIN_NS;

	while (*w == old) {
		if (blkback_mono_ns() < end) {
			sched_yield();
			continue;
		}
		(*sleepers)++;
		futex(w, FUTEX_WAIT, old);
		(*sleepers)--;
	}
}

static void work(struct blkback_pool *p)
{
	uint32_t i;

	while ((i = p->next++) < p->nr_jobs) {
		p->fn(p->arg, i);
		if (++p->done == p->nr_jobs && p->joiners)
			futex(&p->done, FUTEX_WAKE, 1);
	}
}

static void *helper(void *arg)
{
	struct blkback_pool *p = arg;
	uint32_t seen = 0; /* gen at creation: we may start after a wake */

	for (;;) {
		wait_change(&p->gen, seen, &p->sleepers);
		seen = p->gen;
		if (p->stop)
			return NULL;
		p->active++;
		work(p);
		p->active--;
	}
}

static void wake(struct blkback_pool *p)
{
	p->gen++;
	if (p->sleepers)
		futex(&p->gen, FUTEX_WAKE, INT_MAX);
}

struct blkback_pool *blkback_pool_create(unsigned int threads)
{
	struct blkback_pool *p;

	if (threads < 2 || threads > BLKBACK_MAX_THREADS)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->next = POOL_CLOSED;
	for (; p->nr_helpers < threads - 1; p->nr_helpers++)
		if (pthread_create(&p->tid[p->nr_helpers], NULL, helper, p))
			break;
	if (p->nr_helpers == 0) {
		free(p);
		return NULL;
	}
	return p;
}

void blkback_pool_destroy(struct blkback_pool *p)
{
	if (!p)
		return;
	p->stop = true;
	wake(p);
	while (p->nr_helpers)
		pthread_join(p->tid[--p->nr_helpers], NULL);
	free(p);
}

void blkback_pool_run(struct blkback_pool *p, unsigned int nr_jobs,
		      void (*fn)(void *arg, unsigned int i), void *arg)
{
	unsigned int i;
	uint32_t d;

	if (!p || nr_jobs < 2) {
		for (i = 0; i < nr_jobs; i++)
			fn(arg, i);
		return;
	}
	/* The last batch's claims are closed; wait out stragglers. */
	while (p->active)
		sched_yield();
	p->fn = fn;
	p->arg = arg;
	p->nr_jobs = nr_jobs;
	p->done = 0;
	p->next = 0;
	wake(p);
	work(p);
	while ((d = p->done) < nr_jobs)
		wait_change(&p->done, d, &p->joiners);
	p->next = POOL_CLOSED;
}

unsigned int blkback_threads_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4 ? 4 : (unsigned int)n;
}
