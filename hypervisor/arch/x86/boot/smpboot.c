// SPDX-License-Identifier: GPL-2.0
/*
 * Application processors: bring-up by INIT-SIPI-SIPI broadcast through
 * the real-mode trampoline (trampoline.S), a STACK_SIZE-aligned stack
 * with struct cpu_info per CPU, its own GDT/IDT/TSS/syscall stubs
 * (cpu_desc_init), local APIC and timer. After bring-up an AP idles
 * answering IPIs until CPU 0 has built the boot domains
 * (smp_release_aps()), then takes the hypervisor lock and enters the
 * scheduler, which runs the vCPUs placed on it.
 */
#include <hv/console.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/time.h>
#include <asm/cpu_info.h>
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define TRAMPOLINE_PHYS 0x8000
#define ICR_INIT_ALL_BUT_SELF 0xc4500
#define ICR_SIPI_ALL_BUT_SELF (0xc4600 | (TRAMPOLINE_PHYS >> 12))
#define MS 1000000ULL

#define HIDDEN __attribute__((visibility("hidden")))
extern const char trampoline_start[] HIDDEN, trampoline_end[] HIDDEN;
extern const char tramp_cr3[] HIDDEN, tramp_entry[] HIDDEN;
extern const char tramp_next_cpu[] HIDDEN, tramp_stacks[] HIDDEN;
extern char boot_l4[] HIDDEN;
extern const char ap_start64[] HIDDEN;
void ap_start_c(unsigned int cpu);

unsigned int nr_cpus_online = 1;
static bool aps_released;

/* Where trampoline symbol @sym lives in the copy. */
static void *tramp_slot(const char *sym)
{
	return (char *)__va(TRAMPOLINE_PHYS) + (sym - trampoline_start);
}

static void ap_cpu_features(void)
{
	struct cpuid_regs r;

	write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	asm volatile("fninit");
	cpuid_count(7, 0, &r);
	if (r.b & (1U << 7))
		write_cr4(read_cr4() | X86_CR4_SMEP);
}

void ap_start_c(unsigned int cpu)
{
	load_cr3(__pa(idle_pg_table));
	cpu_desc_init(cpu);
	ap_cpu_features();
	apic_ap_init();
	smp_cpu_online(cpu, apic_id());
	__atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&aps_released, __ATOMIC_ACQUIRE))
		asm volatile("sti; hlt; cli" ::: "memory"); /* IPIs only */
	hv_lock_enter();
	sched_cpu_start();
}

void smp_release_aps(void)
{
	__atomic_store_n(&aps_released, true, __ATOMIC_RELEASE);
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++)
		smp_send_event_check(cpu);
}

/*
 * AP stacks live in the image (head.S), like CPU 0's: the per-CPU syscall
 * stubs reach their CPU's struct cpu_info with 32-bit rip-relative offsets.
 */
extern char ap_stack_area[] HIDDEN;

static void prepare_trampoline(void)
{
	size_t len = (size_t)(trampoline_end - trampoline_start);
	uint64_t *stacks = tramp_slot(tramp_stacks);

	memcpy(__va(TRAMPOLINE_PHYS), trampoline_start, len);
	*(uint64_t *)tramp_slot(tramp_cr3) = __pa(boot_l4);
	*(uint64_t *)tramp_slot(tramp_entry) = (uint64_t)ap_start64;
	*(uint32_t *)tramp_slot(tramp_next_cpu) = 1;
	uint64_t base = ALIGN_UP((uint64_t)ap_stack_area, STACK_SIZE);

	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++)
		stacks[cpu] = base + cpu * STACK_SIZE - sizeof(struct cpu_info);
}

void smp_boot_aps(void)
{
	unsigned int seen = 1;
	uint64_t t0, last;

	prepare_trampoline();
	smp_cpu_online(0, apic_id());
	apic_icr_send(0, ICR_INIT_ALL_BUT_SELF);
	for (t0 = now_ns(); now_ns() - t0 < 10 * MS;)
		cpu_relax();
	for (unsigned int i = 0; i < 2; i++) {
		apic_icr_send(0, ICR_SIPI_ALL_BUT_SELF);
		for (t0 = now_ns(); now_ns() - t0 < MS / 5;)
			cpu_relax();
	}
	/* Wait until no new CPU has arrived for 100 ms (1 s at most). */
	for (t0 = last = now_ns();
	     now_ns() - last < 100 * MS && now_ns() - t0 < 1000 * MS;) {
		unsigned int n =
		    __atomic_load_n(&nr_cpus_online, __ATOMIC_ACQUIRE);

		if (n != seen) {
			seen = n;
			last = now_ns();
		}
		cpu_relax();
	}
	if (nr_cpus_online > 1 && flush_tlb_mask(cpu_online_mask()))
		log_err("smp: IPI self-test failed");
	log_info("smp: %u CPU(s) up%s", nr_cpus_online,
		 nr_cpus_online > 1 ? ", IPI and remote TLB flush ok" : "");
}
