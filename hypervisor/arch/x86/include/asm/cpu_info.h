/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data at the top of each CPU's hypervisor stack (as Xen does):
 * entry code finds it from %rsp alone, so the hypervisor never needs %gs,
 * which stays the guest's. The guest's register frame is its first member:
 * TSS.rsp0 points just past it, so hardware pushes land in it.
 */
#ifndef ASM_CPU_INFO_H
#define ASM_CPU_INFO_H

#include <asm/layout.h>
#include <asm/regs.h>

struct vcpu;

struct cpu_info {
	uint64_t pad0;			/* puts rsp0 on a 16-byte boundary */
	struct cpu_regs guest_regs;	/* the interrupted guest context */
	/* Owned by this CPU: */
	uint64_t syscall_scratch_rsp;	/* guest rsp while building a frame */
	uint64_t syscall_stack;		/* = rsp0: top of guest_regs */
	struct vcpu *curr_vcpu;
	uint64_t *mc_args;		/* arguments of the multicall entry
					   running, or NULL */
	unsigned int cpu_id;
	uint8_t need_resched;		/* run schedule() before the guest */
	uint8_t hc_continue;		/* the hypercall asked to be re-run */
	uint8_t hv_lock_held;		/* this CPU holds the hypervisor lock */
	uint8_t pad1;
	uint64_t pad2;			/* keeps the size a multiple of 16 */
};

static inline struct cpu_info *get_cpu_info(void)
{
	unsigned long sp;
	asm("mov %%rsp, %0" : "=r"(sp));
	return (struct cpu_info *)(((sp | (STACK_SIZE - 1)) + 1) -
				   sizeof(struct cpu_info));
}

static inline struct cpu_regs *guest_cpu_regs(void)
{
	return &get_cpu_info()->guest_regs;
}

#define current (get_cpu_info()->curr_vcpu)
#define smp_processor_id() (get_cpu_info()->cpu_id)

#endif
