/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler internals shared by core.c (switching, blocking, timers) and
 * credit.c (run queues and credit accounting).
 */
#ifndef SCHED_PRIVATE_H
#define SCHED_PRIVATE_H

#include <hv/domain.h>

#define SCHED_PERIOD_NS 30000000ULL /* cap accounting period */
#define SCHED_SLICE_NS 10000000ULL  /* longest run without a decision */
#define SCHED_MIN_SLICE_NS 500000ULL

/* Runnable: up, initialised, not blocked, its domain running. */
bool vcpu_runnable(const struct vcpu *v);

/* credit.c: the run queue of @v's CPU. @v is not running. */
void runq_insert(struct vcpu *v, bool at_tail);
void runq_remove(struct vcpu *v);
/*
 * Takes the vCPU to run next off the queue (smallest vtime; a capped vCPU
 * out of credit waits for the next period), or NULL: idle.
 */
struct vcpu *runq_pick(unsigned int cpu);
/* Some vCPU waits in @cpu's queue. */
bool runq_waiting(unsigned int cpu);
/*
 * For idle @cpu: takes a queued vCPU of another CPU that may move (not
 * pinned, not capped out, not still loaded there), or NULL.
 */
struct vcpu *runq_steal(unsigned int cpu);
/* @v wakes from a block: at most one slice behind the CPU's vtime. */
void credit_waking(struct vcpu *v);
/* Charges @v for the time since it was switched in. */
void credit_account(struct vcpu *v, uint64_t now);
/* How long @v may run before the next decision. */
uint64_t credit_slice(const struct vcpu *v);
/* Starts the refill timer of @cpu if it is not running. */
void credit_start(unsigned int cpu);
/* True when @v should preempt @curr. */
bool credit_preempts(const struct vcpu *v, struct vcpu *curr);

#endif
