/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler's interface: vCPU set-up, blocking and waking, and the
 * vCPU timers it owns (singleshot, periodic, poll timeout). A physical CPU
 * runs its runnable vCPUs by credit (common/sched/credit.c) and idles with
 * the next timer programmed (tickless) when none is runnable.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/domain.h>

/* Timers and runstate of a new vCPU; @v is offline unless it is vCPU 0. */
void sched_vcpu_init(struct vcpu *v);
/* Watchdog timers of a new domain. */
void sched_domain_init(struct domain *d);

/*
 * Ends a SCHEDOP_block/poll wait of @v (a no-op if @v is not blocked).
 * Called with interrupts off from event and timer code.
 */
void vcpu_unblock(struct vcpu *v);

/* @v is on a physical CPU now (not queued, not idling there). */
bool vcpu_is_running(const struct vcpu *v);
/* @v became runnable (up, unblocked): queue it, preempt if it should. */
void vcpu_wake(struct vcpu *v);
/*
 * @v has an event or NMI to take: if it is running on another CPU, that
 * CPU re-enters the hypervisor so that it is delivered now.
 */
void vcpu_kick(struct vcpu *v);
/*
 * Places every vCPU of a domain not yet running on physical CPU @cpu
 * (boot-time pinning; logged and ignored if @cpu is not online).
 */
void sched_domain_pin(struct domain *d, unsigned int cpu);
/* Takes every vCPU of @d off the CPU (shutdown): not run again. */
void sched_domain_stop(struct domain *d);
/*
 * Last step of destroying @d (shut down, sched_domain_stop() done): no CPU
 * refers to its vCPUs any more. -EAGAIN while a CPU is still switching
 * away from one of them (retry after dropping the hypervisor lock).
 */
int sched_domain_release(struct domain *d);
/* First vCPU of this CPU at boot: current, accounted as running. */
void sched_start(struct vcpu *v);
/* An application processor starts scheduling (hypervisor lock held). */
__noreturn void sched_cpu_start(void);

/*
 * Each leaves through return_to_guest with the vCPU chosen to run and
 * never returns. schedule() re-decides (current may go on); sched_yield()
 * queues current behind its peers; sched_block_current() sets current's
 * hypercall result to 0 and runs others until vcpu_unblock() (current
 * must be marked blocked, interrupts off).
 */
__noreturn void schedule(void);
__noreturn void sched_yield(void);
__noreturn void sched_block_current(void);

/* Arms @v's singleshot timer (VIRQ_TIMER at @expires, system time). */
void vcpu_set_singleshot_timer(struct vcpu *v, uint64_t expires);
void vcpu_stop_singleshot_timer(struct vcpu *v);
/* @period_ns 0 stops the periodic timer. */
void vcpu_set_periodic_timer(struct vcpu *v, uint64_t period_ns);

/* Runstate bookkeeping: @v enters @state (RUNSTATE_*) now. */
void vcpu_runstate_change(struct vcpu *v, unsigned int state);
/* Copies @v's runstate to its registered guest area, if any. */
void vcpu_runstate_publish(struct vcpu *v);

#endif
