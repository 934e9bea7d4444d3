// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall table, generated from hypercalls.def. The checks every
 * call gets before its handler runs (number in range with a speculation
 * barrier, implemented, privilege) are done on the fast path in
 * arch/x86/entry/entry.S; hypercall_dispatch() is the same in C for
 * callers outside that path (multicall). Handlers never re-check.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <asm/cpu_info.h>
#include <asm/regs.h>

typedef long (*hc_fn_t)(unsigned long, unsigned long, unsigned long,
			unsigned long, unsigned long);

/* Read by entry.S: keep the layout in step with asm-offsets.c. */
#define HC_ENTRY_HC_IMPL(nr, name, nargs, priv)                               \
	[nr] = { (uintptr_t)do_##name, nargs, priv },
#define HC_ENTRY_HC_NONE(nr, name, nargs, priv)
#define HC(nr, name, nargs, priv, state) HC_ENTRY_##state(nr, name, nargs, priv)
const struct hc_entry hypercall_table[HC_NR_MAX] = {
#include <hvabi/hypercalls.def>
};
#undef HC

/* 0 when @idx >= @size, even under speculation. */
static inline uint64_t array_index_nospec(uint64_t idx, uint64_t size)
{
	uint64_t mask;

	asm volatile("cmp %[size], %[idx]; sbb %[mask], %[mask]"
		     : [mask] "=r"(mask)
		     : [size] "g"(size), [idx] "r"(idx)
		     : "cc");
	return idx & mask;
}

static void clobber_args(struct cpu_regs *r, unsigned int nargs)
{
	uint64_t *const slot[5] = { &r->rdi, &r->rsi, &r->rdx, &r->r10,
				    &r->r8 };

	for (unsigned int i = 0; i < nargs; i++)
		*slot[i] = 0xdeadbeefdeadf00dULL;
}

void hypercall_dispatch(struct cpu_regs *regs)
{
	uint64_t nr = regs->rax;
	const struct hc_entry *e;
	long ret;

	if (nr >= HC_NR_MAX) {
		regs->rax = (uint64_t)-ENOSYS;
		return;
	}
	e = &hypercall_table[array_index_nospec(nr, HC_NR_MAX)]; /* guest controlled */
	if (!e->fn) {
		regs->rax = (uint64_t)-ENOSYS;
		return;
	}
	if (e->priv == HC_PRIV && !current->domain->is_privileged) {
		regs->rax = (uint64_t)-EPERM;
		return;
	}
	ret = ((hc_fn_t)e->fn)(regs->rdi, regs->rsi, regs->rdx, regs->r10,
			       regs->r8);
	if (get_cpu_info()->hc_continue) {
		get_cpu_info()->hc_continue = 0;
		/* Continuation: re-execute the syscall with updated args. */
		regs->rip -= 2;
		regs->rax = nr;
		return;
	}
	regs->rax = (uint64_t)ret;
	if (IS_ENABLED(CONFIG_DEBUG) && nr != HC_NR_iret)
		clobber_args(regs, e->nargs);
}

/* "hctrace" on the command line: log every hypercall (slow path). */
bool opt_hctrace;

void hypercall_traced(struct cpu_regs *regs)
{
	struct cpu_regs in = *regs;

	hypercall_dispatch(regs);
	log_info("d%u hc %llu(%#llx, %#llx, %#llx, %#llx, %#llx) = %lld "
		 "rip %#llx", current->domain->domid,
		 (unsigned long long)in.rax, (unsigned long long)in.rdi,
		 (unsigned long long)in.rsi, (unsigned long long)in.rdx,
		 (unsigned long long)in.r10, (unsigned long long)in.r8,
		 (long long)regs->rax, (unsigned long long)in.rip);
}
