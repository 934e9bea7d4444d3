/* SPDX-License-Identifier: GPL-2.0 */
/* Architecture hooks common code calls (implemented under arch/x86/). */
#ifndef HV_ARCH_H
#define HV_ARCH_H

struct vcpu;

/*
 * Saves @prev's (NULL: none) guest state and loads @next's on this CPU:
 * frame, FPU, selectors and bases, debug registers, CR3, GDT/LDT; then
 * @next is current. Interrupts off.
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);
/* The FPU/SSE state a new vCPU starts with (as after fninit). */
void arch_vcpu_init_fpu(struct vcpu *v);

#endif
