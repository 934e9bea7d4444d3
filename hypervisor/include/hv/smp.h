/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical CPUs: bring-up of the application processors
 * (arch/x86/boot/smpboot.c), IPIs and cross-CPU TLB flushes
 * (arch/x86/cpu/ipi.c), and the hypervisor lock (common/kernel/hvlock.c).
 */
#ifndef HV_SMP_H
#define HV_SMP_H

#include <hv/types.h>

struct cpu_info;

/* One bit per physical CPU (CONFIG_NR_CPUS <= 64). */
typedef uint64_t cpumask_t;
#define CPUMASK(cpu) (1ULL << (cpu))

extern unsigned int nr_cpus_online;

/* Starts every application processor; they idle answering IPIs. */
void smp_boot_aps(void);
/* Lets the application processors run guests (after the boot domains). */
void smp_release_aps(void);
/* The per-CPU data of @cpu (NULL if it is not online). */
struct cpu_info *cpu_info_of(unsigned int cpu);
/* Records the calling CPU's per-CPU data (at its start). */
void smp_cpu_online(unsigned int cpu, unsigned int apic_id);

/*
 * Interrupts @cpu: it leaves the guest or idle, runs its expired timers
 * and returns to a guest through the scheduler and event delivery.
 */
void smp_send_event_check(unsigned int cpu);
/*
 * Flushes the TLB of every CPU in @mask (the caller's at once, the others
 * by IPI) and waits for each. Returns 0, or -1 (logged) when a CPU did
 * not answer within 1 s. @pre the hypervisor lock is held.
 */
int flush_tlb_mask(cpumask_t mask);
/* Every online CPU. */
cpumask_t cpu_online_mask(void);
/* Answers this CPU's pending flush request, if any. */
void smp_poll_requests(void);
/* The IPI_CALL_VECTOR handler. */
void smp_ipi_interrupt(void);

/*
 * The hypervisor lock (docs/locking.md): held while a CPU works on guest
 * state, dropped on return to a guest and while idle.
 */
void hv_lock_enter(void);
void hv_lock_exit(void);
bool hv_lock_held(void);
/* Waits until @ticket holds the lock (entry.S's contended case). */
void hv_lock_wait(uint16_t ticket);

#endif
