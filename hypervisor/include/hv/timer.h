/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software timers in system time (ns since boot), one sorted list per
 * physical CPU, driven by that CPU's one-shot APIC timer. Callbacks run
 * with interrupts off, from the timer interrupt or the idle loop.
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/types.h>

#define NR_CPUS 8

struct timer {
	/* Protected by interrupts off on the owning CPU (timer.c): */
	uint64_t expires;   /* system time, ns */
	struct timer *next; /* in the CPU's list, by expiry */
	bool active;
	unsigned int cpu;
	void (*fn)(void *data);
	void *data;
};

/* Prepares @t to call @fn(@data) on @cpu; @t is inactive afterwards. */
void timer_init(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu);
/* (Re)arms @t for @expires; an expiry in the past fires at the next run. */
void timer_set(struct timer *t, uint64_t expires);
void timer_stop(struct timer *t);
static inline bool timer_is_active(const struct timer *t)
{
	return t->active;
}
/* Runs every expired timer of this CPU and reprograms the APIC timer. */
void timers_run(void);
/* The earliest expiry on this CPU, or UINT64_MAX. */
uint64_t timer_next_expiry(void);

#endif
