// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC (xAPIC, MMIO at its architectural base, mapped uncached)
 * and its timer in one-shot mode, calibrated against the TSC. The legacy
 * PICs are masked: the hypervisor takes no ISA interrupts.
 */
#include <hv/console.h>
#include <hv/mm.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define APIC_PHYS 0xfee00000ULL
#define APIC_VIRT (HV_IMAGE_BASE + APIC_PHYS)
#define APIC_ID 0x20
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_LVT_MASKED (1U << 16)
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_ICR_BUSY (1U << 12)

static uint64_t apic_ticks_per_ms;
uint64_t apic_timer_ticks;

static void apic_write(unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_VIRT + reg) = v;
}

static uint32_t apic_read(unsigned int reg)
{
	return *(volatile uint32_t *)(APIC_VIRT + reg);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_timer_interrupt(void)
{
	apic_timer_ticks++;
	apic_eoi();
	timers_run();
}

void apic_timer_arm(uint64_t delta_ns)
{
	uint64_t ticks;

	/* Far expiries are reached in steps: timers_run() re-arms. */
	delta_ns = MIN(delta_ns, 1ULL << 32);
	ticks = delta_ns * apic_ticks_per_ms / 1000000;

	if (delta_ns && !ticks)
		ticks = 1;
	apic_write(APIC_TMICT, (uint32_t)MIN(ticks, 0xffffffffULL));
}

unsigned int apic_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

void apic_icr_send(unsigned int dest, uint32_t low)
{
	while (apic_read(APIC_ICR_LO) & APIC_ICR_BUSY)
		cpu_relax();
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, low);
}

void apic_ap_init(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1ULL << 11));
	apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR);
	apic_write(APIC_TDCR, 0x3);	/* divide by 16, as CPU 0 */
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_LVT_TIMER, TIMER_VECTOR);	/* one-shot */
}

void apic_timer_init(void)
{
	uint64_t t0;

	outb(0x21, 0xff);	/* mask both 8259s */
	outb(0xa1, 0xff);
	if (map_pages(idle_pg_table, APIC_VIRT, _mfn(APIC_PHYS >> PAGE_SHIFT),
		      1, _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT |
			      _PAGE_NX,
		      _PAGE_PRESENT | _PAGE_RW))
		panic("cannot map the local APIC");
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1ULL << 11));
	apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR);
	apic_write(APIC_TDCR, 0x3);	/* divide by 16 */
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffff);
	t0 = now_ns();
	while (now_ns() - t0 < 10000000)
		cpu_relax();
	apic_ticks_per_ms = (0xffffffffULL - apic_read(APIC_TMCCT)) / 10;
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_LVT_TIMER, TIMER_VECTOR);	/* one-shot */

	/* Prove the interrupt path before any guest depends on it. */
	apic_timer_arm(1000000);
	local_irq_enable();
	t0 = now_ns();
	while (!apic_timer_ticks && now_ns() - t0 < 1000000000ULL)
		cpu_relax();
	local_irq_disable();
	if (!apic_timer_ticks)
		panic("APIC timer interrupt never arrived");
	log_info("time: APIC %u, timer %llu ticks/ms, one-shot interrupt ok",
		 apic_read(APIC_ID) >> 24,
		 (unsigned long long)apic_ticks_per_ms);
}
