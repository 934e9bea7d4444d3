// SPDX-License-Identifier: GPL-2.0
/*
 * Inter-processor interrupts. One vector (IPI_CALL_VECTOR) serves two
 * requests: "event check" (the target re-enters the hypervisor, runs its
 * expired timers and goes back through the scheduler and event delivery,
 * which is all a wake-up, a kick or a remote timer needs) and "flush
 * your TLB" (flush_pending[] set by the requester, cleared by the target
 * when done). Only the holder of the hypervisor lock sends flush requests
 * and waits for them; every other CPU answers them even while it spins
 * for that lock (smp_poll_requests()), so the wait cannot deadlock.
 */
#include <hv/console.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define FLUSH_TIMEOUT_NS 1000000000ULL

static struct cpu_info *cpu_infos[CONFIG_NR_CPUS];
static unsigned int cpu_apic_id[CONFIG_NR_CPUS];
static volatile uint32_t flush_pending[CONFIG_NR_CPUS];
static cpumask_t online_mask;

void smp_cpu_online(unsigned int cpu, unsigned int apic_id)
{
	cpu_apic_id[cpu] = apic_id;
	__atomic_store_n(&cpu_infos[cpu], get_cpu_info(), __ATOMIC_RELEASE);
	__atomic_or_fetch(&online_mask, CPUMASK(cpu), __ATOMIC_RELEASE);
}

struct cpu_info *cpu_info_of(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS ? cpu_infos[cpu] : NULL;
}

cpumask_t cpu_online_mask(void)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE);
}

void smp_send_event_check(unsigned int cpu)
{
	if (cpu_info_of(cpu) && cpu != smp_processor_id())
		apic_icr_send(cpu_apic_id[cpu], IPI_CALL_VECTOR);
}

void smp_poll_requests(void)
{
	unsigned int cpu = smp_processor_id();

	if (__atomic_load_n(&flush_pending[cpu], __ATOMIC_ACQUIRE)) {
		flush_tlb_local();
		__atomic_store_n(&flush_pending[cpu], 0, __ATOMIC_RELEASE);
	}
}

void smp_ipi_interrupt(void)
{
	smp_poll_requests();
	apic_eoi();
	timers_run();	/* a remote timer_set() may have a new head here */
}

int flush_tlb_mask(cpumask_t mask)
{
	unsigned int self = smp_processor_id();
	int rc = 0;

	if (mask & CPUMASK(self))
		flush_tlb_local();
	mask &= ~CPUMASK(self) & cpu_online_mask();
	if (!mask)
		return 0;
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!(mask & CPUMASK(cpu)))
			continue;
		__atomic_store_n(&flush_pending[cpu], 1, __ATOMIC_RELEASE);
		apic_icr_send(cpu_apic_id[cpu], IPI_CALL_VECTOR);
	}
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		uint64_t t0 = now_ns();

		if (!(mask & CPUMASK(cpu)))
			continue;
		while (__atomic_load_n(&flush_pending[cpu], __ATOMIC_ACQUIRE) &&
		       now_ns() - t0 < FLUSH_TIMEOUT_NS)
			cpu_relax();
		if (flush_pending[cpu]) {
			log_err("smp: CPU%u did not answer a TLB flush IPI",
				cpu);
			flush_pending[cpu] = 0;
			rc = -1;
		}
	}
	return rc;
}
