// SPDX-License-Identifier: GPL-2.0
/*
 * multicall (13): runs a list of hypercalls, storing each result in its
 * entry. Stops at the first entry it cannot read or whose result it
 * cannot write (-EFAULT). A preempted entry is written back with its
 * updated arguments and the multicall continues from it. An entry that
 * blocks or yields (sched_op, vcpu_op) may deschedule the vCPU, which then
 * resumes the multicall at the next entry. iret ends the list (the guest
 * resumes where iret says); a nested multicall fails with -EINVAL.
 */
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/nospec.h>
#include <hv/string.h>
#include <hvabi/xen.h>
#include <asm/cpu_info.h>

#define MULTICALL_BATCH 64	/* entries between preemption points */

typedef long (*hc_fn_t)(unsigned long, unsigned long, unsigned long,
			unsigned long, unsigned long);

static long call_one(struct multicall_entry *e)
{
	const struct hc_entry *h;

	if (e->op >= HC_NR_MAX)
		return -ENOSYS;
	h = &hypercall_table[array_index_nospec(e->op, HC_NR_MAX)]; /* guest controlled */
	if (!h->fn)
		return -ENOSYS;
	if (h->priv == HC_PRIV && !current->domain->is_privileged)
		return -EPERM;
	return ((hc_fn_t)h->fn)(e->args[0], e->args[1], e->args[2],
				e->args[3], e->args[4]);
}

/* Continue later from the entry at @list, @left entries to go. */
static long multicall_continue(unsigned long list, uint32_t left)
{
	hypercall_set_arg(0, list);
	hypercall_set_arg(1, left);
	return hypercall_continue();
}

/* Calls that may deschedule the vCPU and never come back here. */
static bool may_deschedule(uint64_t op)
{
	return op == HC_NR_sched_op || op == HC_NR_vcpu_op;
}

/*
 * Before such a call, the entry's result (0, what a blocked call returns)
 * is stored and the guest frame made into a continuation of the multicall
 * from the next entry: if the vCPU is descheduled, it resumes there.
 */
static int arm_deschedule(unsigned long list, uint32_t left)
{
	struct cpu_regs *r = guest_cpu_regs();
	uint64_t zero = 0;

	if (copy_to_guest(list + offsetof(struct multicall_entry, result),
			  &zero, sizeof(zero)))
		return -EFAULT;
	r->rip -= 2;
	r->rax = HC_NR_multicall;
	r->rdi = list + sizeof(struct multicall_entry);
	r->rsi = left;
	return 0;
}

static void disarm_deschedule(const struct cpu_regs *saved)
{
	struct cpu_regs *r = guest_cpu_regs();

	r->rip = saved->rip;
	r->rax = saved->rax;
	r->rdi = saved->rdi;
	r->rsi = saved->rsi;
}

long do_multicall(unsigned long list, unsigned long nr)
{
	struct cpu_info *ci = get_cpu_info();
	uint32_t n = (uint32_t)nr;
	struct multicall_entry e;
	struct cpu_regs saved = { 0 };

	if (ci->mc_args)
		return -EINVAL;	/* no multicall inside a multicall */
	if (!guest_range_ok(list, (uint64_t)n * sizeof(e)))
		return -EFAULT;
	for (uint32_t i = 0; i < n; i++, list += sizeof(e)) {
		bool armed;

		if (i && i % MULTICALL_BATCH == 0)
			return multicall_continue(list, n - i);
		if (copy_from_guest(&e, list, sizeof(e)))
			return -EFAULT;
		armed = may_deschedule(e.op);
		if (armed) {
			saved = ci->guest_regs;
			if (arm_deschedule(list, n - i - 1))
				return -EFAULT;
		}
		ci->mc_args = e.args;
		e.result = (uint64_t)call_one(&e);
		ci->mc_args = NULL;
		if (armed)
			disarm_deschedule(&saved);
		if (e.op == HC_NR_iret)
			return (long)e.result;	/* the frame is replaced */
		if (ci->hc_continue) {
			/* The entry now holds its own continuation. */
			ci->hc_continue = 0;
			if (copy_to_guest(list, &e, sizeof(e)))
				return -EFAULT;
			return multicall_continue(list, n - i);
		}
		if (copy_to_guest(list + offsetof(struct multicall_entry,
						  result),
				  &e.result, sizeof(e.result)))
			return -EFAULT;
	}
	return 0;
}
