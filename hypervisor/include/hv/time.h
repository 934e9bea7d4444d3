/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time: the TSC (calibrated against the PIT at boot) is the clock; the
 * local APIC timer in one-shot mode is the only timer interrupt. System
 * time is nanoseconds since calibration (tsc_boot).
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

struct time_scale {
	uint32_t mul;
	int8_t shift;
};

extern uint64_t tsc_khz;
extern uint64_t tsc_boot;		/* TSC at system time 0 */
extern struct time_scale tsc_scale;	/* TSC ticks -> ns */

void tsc_calibrate(void);
uint64_t scale_delta(uint64_t delta, const struct time_scale *s);
/* Nanoseconds since tsc_calibrate(). */
uint64_t now_ns(void);
void apic_timer_init(void);
/* Arms the one-shot timer @delta_ns from now (0 disarms). */
void apic_timer_arm(uint64_t delta_ns);
/* This CPU's local APIC id. */
unsigned int apic_id(void);
/* Writes the ICR (destination APIC id, low word) once it is idle. */
void apic_icr_send(unsigned int dest, uint32_t low);
/* Local APIC and one-shot timer of an application processor. */
void apic_ap_init(void);
/* Timer interrupts taken since boot. */
extern uint64_t apic_timer_ticks;

struct vcpu;
struct domain;
/* Wallclock from the CMOS RTC, once at boot. */
void wallclock_init(void);
/* Writes the wallclock into @d's shared_info (version protocol). */
void domain_wallclock_update(struct domain *d);
/* Rewrites @v's vcpu_time_info (and its registered copy), version protocol. */
void vcpu_time_update(struct vcpu *v);

#endif
