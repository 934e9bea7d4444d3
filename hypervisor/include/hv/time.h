/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time: the TSC (calibrated against the PIT at boot) is the clock; the
 * local APIC timer in one-shot mode is the only timer interrupt.
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

extern uint64_t tsc_khz;

void tsc_calibrate(void);
/* Nanoseconds since tsc_calibrate(). */
uint64_t now_ns(void);
void apic_timer_init(void);
/* Arms the one-shot timer @delta_ns from now (0 disarms). */
void apic_timer_arm(uint64_t delta_ns);
/* Timer interrupts taken since boot. */
extern uint64_t apic_timer_ticks;

#endif
