/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLB flush clock (arch/x86/mm/tlbflush.c). CR4.PGE is off, so every
 * CR3 write flushes all guest translations; each one ticks a global clock
 * and records the tick as the CPU's last flush. A frame that stops being
 * mapped or typed is stamped with the clock; before it is used in a way
 * a stale translation could abuse (a new page type, a new owner), only
 * the CPUs that have not flushed since the stamp are flushed.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <hv/mm.h>
#include <hv/smp.h>

/* The clock now, as a frame stamp. */
uint32_t tlbflush_stamp_now(void);
/* The CPUs of @mask that may still hold a translation older than @stamp. */
cpumask_t tlbflush_filter(cpumask_t mask, uint32_t stamp);
/* Flushes every CPU that may hold a stale translation via @pg. */
void tlbflush_page(const struct page_info *pg);

#endif
