/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlocks: a CPU takes the next ticket and waits until the lock
 * serves it, so waiters are served in arrival order (no starvation of
 * one CPU by another that keeps re-taking the lock). Callers hold them
 * with interrupts off; the order between locks is docs/locking.md.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/types.h>
#include <asm/processor.h>

typedef struct {
	uint16_t serving;	/* the ticket that holds the lock */
	uint16_t next;		/* the ticket the next taker gets */
} spinlock_t;

#define SPINLOCK_INIT {0, 0}

/* Takes the next ticket. */
static inline uint16_t spin_take_ticket(spinlock_t *l)
{
	return __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
}

/* Waits until @ticket holds @l; runs @poll (may be NULL) each round. */
static inline void spin_wait_ticket(spinlock_t *l, uint16_t ticket,
				    void (*poll)(void))
{
	while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket) {
		if (poll)
			poll();
		cpu_relax();
	}
}

static inline void spin_lock(spinlock_t *l)
{
	spin_wait_ticket(l, spin_take_ticket(l), NULL);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->serving, (uint16_t)(l->serving + 1),
			 __ATOMIC_RELEASE);
}

#endif
