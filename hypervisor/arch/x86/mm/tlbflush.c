// SPDX-License-Identifier: GPL-2.0
/*
 * The TLB flush clock (asm/tlbflush.h). The clock is 64-bit, frame stamps
 * keep its low 32 bits: a CPU needs a flush for a frame when its last
 * flush is not younger than the frame's stamp. Stamp ages are taken
 * modulo 2^32, which can only make an old stamp look young (a needless
 * flush); a CPU that has not flushed for 2^31 ticks is always flushed.
 * The clock ticks before the CR3 write, so a stamp taken meanwhile by
 * another CPU counts as not flushed (conservative).
 */
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>

static uint64_t tlbflush_clock;
static uint64_t tlbflush_time[CONFIG_NR_CPUS];	/* clock at its last flush */

void write_cr3(unsigned long cr3)
{
	uint64_t t = __atomic_add_fetch(&tlbflush_clock, 1, __ATOMIC_SEQ_CST);

	load_cr3(cr3);
	__atomic_store_n(&tlbflush_time[smp_processor_id()], t,
			 __ATOMIC_RELEASE);
}

uint32_t tlbflush_stamp_now(void)
{
	return (uint32_t)__atomic_load_n(&tlbflush_clock, __ATOMIC_SEQ_CST);
}

cpumask_t tlbflush_filter(cpumask_t mask, uint32_t stamp)
{
	uint64_t now = __atomic_load_n(&tlbflush_clock, __ATOMIC_SEQ_CST);
	uint32_t stamp_age = (uint32_t)now - stamp;

	for (cpumask_t m = mask; m; m &= m - 1) {
		unsigned int cpu = (unsigned int)__builtin_ctzll(m);
		uint64_t lag = now - __atomic_load_n(&tlbflush_time[cpu],
						     __ATOMIC_ACQUIRE);

		if (lag < stamp_age && lag < (1ULL << 31))
			mask &= ~CPUMASK(cpu); /* flushed since the stamp */
	}
	return mask;
}

void tlbflush_page(const struct page_info *pg)
{
	cpumask_t m = tlbflush_filter(cpu_online_mask(), pg->tlbflush_stamp);

	if (m)
		flush_tlb_mask(m);
}
