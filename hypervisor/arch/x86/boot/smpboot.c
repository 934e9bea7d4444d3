// SPDX-License-Identifier: GPL-2.0
/*
 * Application processors: bring-up by INIT-SIPI-SIPI broadcast through
 * the real-mode trampoline (trampoline.S), a STACK_SIZE-aligned stack
 * with struct cpu_info per CPU, its own GDT/IDT/TSS/syscall stubs
 * (cpu_desc_init), local APIC and timer; then IPIs and the remote TLB
 * flush hook. APs run no guest yet: after bring-up they idle in hlt and
 * answer IPIs. Only CPU 0 sends requests, with interrupts off, so a
 * request cannot deadlock against another (docs/locking.md).
 */
#include <hv/console.h>
#include <hv/mm.h>
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
static unsigned int cpu_apic_id[CONFIG_NR_CPUS];
static volatile bool cpu_online[CONFIG_NR_CPUS] = {true};
static volatile uint32_t flush_pending[CONFIG_NR_CPUS];

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
	write_cr3(__pa(idle_pg_table));
	cpu_desc_init(cpu);
	ap_cpu_features();
	apic_ap_init();
	cpu_apic_id[cpu] = apic_id();
	__atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	cpu_online[cpu] = true;
	for (;;)
		asm volatile("sti; hlt; cli" ::: "memory"); /* IPIs only */
}

static int prepare_trampoline(void)
{
	size_t len = (size_t)(trampoline_end - trampoline_start);
	uint64_t *stacks = tramp_slot(tramp_stacks);

	memcpy(__va(TRAMPOLINE_PHYS), trampoline_start, len);
	*(uint64_t *)tramp_slot(tramp_cr3) = __pa(boot_l4);
	*(uint64_t *)tramp_slot(tramp_entry) = (uint64_t)ap_start64;
	*(uint32_t *)tramp_slot(tramp_next_cpu) = 1;
	for (unsigned int cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		mfn_t m = alloc_pages(STACK_SIZE >> PAGE_SHIFT);

		if (mfn_x(m) == mfn_x(INVALID_MFN))
			return -1;
		stacks[cpu] = (uint64_t)mfn_to_virt(m) + STACK_SIZE -
			      sizeof(struct cpu_info);
	}
	return 0;
}

void smp_ipi_interrupt(void)
{
	unsigned int cpu = smp_processor_id();

	if (flush_pending[cpu]) {
		flush_tlb_local();
		__atomic_store_n(&flush_pending[cpu], 0, __ATOMIC_RELEASE);
	}
	apic_eoi();
}

int smp_flush_tlb_others(void)
{
	unsigned int self = smp_processor_id();
	uint64_t t0;
	int rc = 0;

	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (cpu == self || !cpu_online[cpu])
			continue;
		flush_pending[cpu] = 1;
		apic_icr_send(cpu_apic_id[cpu], IPI_CALL_VECTOR);
	}
	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		t0 = now_ns();
		while (flush_pending[cpu] && now_ns() - t0 < 1000 * MS)
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

void smp_boot_aps(void)
{
	unsigned int seen = 1;
	uint64_t t0, last;

	if (prepare_trampoline()) {
		log_err("smp: no memory for AP stacks: CPU 0 only");
		return;
	}
	cpu_apic_id[0] = apic_id();
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
	if (nr_cpus_online > 1 && smp_flush_tlb_others())
		log_err("smp: IPI self-test failed");
	log_info("smp: %u CPU(s) up%s", nr_cpus_online,
		 nr_cpus_online > 1 ? ", IPI and remote TLB flush ok" : "");
}
