/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler's interface: vCPU set-up, blocking and waking, and the
 * vCPU timers it owns (singleshot, periodic, poll timeout). Today each
 * physical CPU runs one vCPU; a blocked vCPU idles its CPU with the next
 * timer programmed (tickless) until an event wakes it.
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

/*
 * Blocks the current vCPU until vcpu_unblock(): runs timers and idles
 * the CPU meanwhile. Returns with interrupts off.
 */
void sched_wait_current(void);

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
