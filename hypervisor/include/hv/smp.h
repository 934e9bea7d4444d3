/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical CPUs beyond CPU 0 (arch/x86/boot/smpboot.c): bring-up, IPIs
 * and the remote TLB flush hook for the memory code.
 */
#ifndef HV_SMP_H
#define HV_SMP_H

#include <hv/types.h>

extern unsigned int nr_cpus_online;

/* Starts every application processor; they idle answering IPIs. */
void smp_boot_aps(void);
/*
 * Flushes the TLB of every other online CPU and waits for each to finish.
 * Returns 0, or -1 (logged) when a CPU did not answer within 1 s.
 * @pre interrupts off; only CPU 0 calls it today.
 */
int smp_flush_tlb_others(void);
/* The IPI_CALL_VECTOR handler. */
void smp_ipi_interrupt(void);

#endif
