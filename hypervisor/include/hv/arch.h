/* SPDX-License-Identifier: GPL-2.0 */
/* Architecture hooks common code calls (implemented under arch/x86/). */
#ifndef HV_ARCH_H
#define HV_ARCH_H

struct domain;
struct vcpu;

/*
 * Saves @prev's (NULL: none) guest state and loads @next's on this CPU:
 * frame, FPU, selectors and bases, debug registers, CR3, GDT/LDT; then
 * @next is current. Interrupts off.
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);
/*
 * An idle CPU keeps its last vCPU's registers but no guest address space:
 * arch_idle_park() moves it to the idle page tables (so that the vCPU's
 * domain may go away), arch_idle_resume() gives @v back its own.
 */
void arch_idle_park(void);
void arch_idle_resume(struct vcpu *v);
/*
 * Domain destruction: drops every reference @d's vCPUs, pins and
 * allocations hold (arch/x86/pv/pv-destroy.c).
 */
void arch_domain_relinquish(struct domain *d);
/* The FPU/SSE state a new vCPU starts with (as after fninit). */
void arch_vcpu_init_fpu(struct vcpu *v);

/*
 * VCPUOP_initialise: loads @v's first context from the guest's
 * vcpu_guest_context at @arg. -EFAULT, -EEXIST (already initialised),
 * -EINVAL (bad address, LDT, page table or GDT frame).
 */
long arch_initialise_vcpu(struct vcpu *v, unsigned long arg);

#endif
