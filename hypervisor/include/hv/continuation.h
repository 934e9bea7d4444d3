/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Preemptible hypercalls (style.md rule 31): a handler that has done a
 * bounded amount of work updates its arguments to describe what is left
 * and returns hypercall_continue(); the dispatcher then rewinds the
 * guest's rip onto the syscall instruction, so the call resumes after any
 * pending interrupt or event has been handled. The flag, not the value
 * -ERESTART, marks a continuation: iret may return any rax.
 */
#ifndef HV_CONTINUATION_H
#define HV_CONTINUATION_H

#include <hv/errno.h>
#include <hv/types.h>
#include <asm/cpu_info.h>

/* Work units a handler may do before it must offer to be preempted. */
#define HC_PREEMPT_BATCH 4096

/*
 * Sets argument @n (0-based, ABI order) of the current hypercall: in the
 * guest's registers, or in the multicall entry being run.
 */
static inline void hypercall_set_arg(unsigned int n, uint64_t v)
{
	struct cpu_info *ci = get_cpu_info();
	struct cpu_regs *r = &ci->guest_regs;
	uint64_t *const slot[5] = { &r->rdi, &r->rsi, &r->rdx, &r->r10,
				    &r->r8 };

	if (ci->mc_args)
		ci->mc_args[n] = v;
	else
		*slot[n] = v;
}

/* Marks the running hypercall (or multicall entry) for re-execution. */
static inline long hypercall_continue(void)
{
	get_cpu_info()->hc_continue = 1;
	return -ERESTART;
}

#endif
