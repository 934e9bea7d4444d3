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
 */
#include <hv/smp.h>
#include <hv/spinlock.h>
#include <asm/cpu_info.h>

#define NO_OWNER UINT32_MAX

static spinlock_t hv_lock = SPINLOCK_INIT;
static uint32_t hv_lock_owner = NO_OWNER;

void hv_lock_enter(void)
{
	spin_lock_poll(&hv_lock, smp_poll_requests);
	hv_lock_owner = smp_processor_id();
}

void hv_lock_exit(void)
{
	hv_lock_owner = NO_OWNER;
	spin_unlock(&hv_lock);
}

bool hv_lock_held(void)
{
	return hv_lock_owner == smp_processor_id();
}
