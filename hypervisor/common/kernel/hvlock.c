// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor lock: one lock serialises all hypervisor work on guest
 * state across physical CPUs. A CPU takes it on every entry from a guest
 * (hypercall, exception, interrupt; entry.S and traps.c) and for an
 * interrupt that wakes it from idle, and drops it on the way back to the
 * guest (return_to_guest) and around the idle hlt. Guests run in
 * parallel on every CPU; hypervisor work on their behalf is short and
 * runs one CPU at a time, so the single-CPU reasoning of every handler
 * stays valid (docs/locking.md). A CPU waiting for the lock keeps
 * answering TLB flush requests, so the holder may wait for flushes.
 *
 * entry.S open-codes the uncontended take and the release on the
 * hypercall path (HV_LOCK_ENTER/HV_LOCK_EXIT) on the same fields:
 * hv_lock (a spinlock_t) and cpu_info.hv_lock_held.
 */
#include <hv/smp.h>
#include <hv/spinlock.h>
#include <asm/cpu_info.h>

spinlock_t hv_lock = SPINLOCK_INIT;

void hv_lock_wait(uint16_t ticket)
{
	spin_wait_ticket(&hv_lock, ticket, smp_poll_requests);
	get_cpu_info()->hv_lock_held = 1;
}

void hv_lock_enter(void)
{
	hv_lock_wait(spin_take_ticket(&hv_lock));
}

void hv_lock_exit(void)
{
	get_cpu_info()->hv_lock_held = 0;
	spin_unlock(&hv_lock);
}

bool hv_lock_held(void)
{
	return get_cpu_info()->hv_lock_held;
}
