// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall table, generated from hypercalls.def, and the one place
 * that checks a call before its handler runs: number in range (with a
 * speculation barrier), implemented, privilege. Handlers never re-check.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <asm/cpu_info.h>
#include <asm/regs.h>

#define HC_ANY 0
#define HC_PRIV 1

#define HC_CALL_0(fn, r) fn()
#define HC_CALL_1(fn, r) fn(r->rdi)
#define HC_CALL_2(fn, r) fn(r->rdi, r->rsi)
#define HC_CALL_3(fn, r) fn(r->rdi, r->rsi, r->rdx)
#define HC_CALL_4(fn, r) fn(r->rdi, r->rsi, r->rdx, r->r10)
#define HC_CALL_5(fn, r) fn(r->rdi, r->rsi, r->rdx, r->r10, r->r8)

typedef long (*hc_thunk_t)(const struct cpu_regs *r);

struct hc_entry {
	hc_thunk_t thunk;
	uint8_t nargs;
	uint8_t priv;
};

#define HC_THUNK_HC_IMPL(name, nargs)                                         \
	static long thunk_##name(const struct cpu_regs *r)                    \
	{                                                                     \
		return HC_CALL_##nargs(do_##name, r);                         \
	}
#define HC_THUNK_HC_NONE(name, nargs)
#define HC(nr, name, nargs, priv, state) HC_THUNK_##state(name, nargs)
#include <hvabi/hypercalls.def>
#undef HC

#define HC_ENTRY_HC_IMPL(nr, name, nargs, priv)                               \
	[nr] = { thunk_##name, nargs, priv },
#define HC_ENTRY_HC_NONE(nr, name, nargs, priv)
#define HC(nr, name, nargs, priv, state) HC_ENTRY_##state(nr, name, nargs, priv)
static const struct hc_entry hc_table[HC_NR_MAX] = {
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
	e = &hc_table[array_index_nospec(nr, HC_NR_MAX)];	/* guest controlled */
	if (!e->thunk) {
		regs->rax = (uint64_t)-ENOSYS;
		return;
	}
	if (e->priv == HC_PRIV && !current->domain->is_privileged) {
		regs->rax = (uint64_t)-EPERM;
		return;
	}
	ret = e->thunk(regs);
	if (ret == -ERESTART) {
		/* Continuation: re-execute the syscall with updated args. */
		regs->rip -= 2;
		regs->rax = nr;
		return;
	}
	regs->rax = (uint64_t)ret;
	if (IS_ENABLED(CONFIG_DEBUG) && nr != HC_NR_iret)
		clobber_args(regs, e->nargs);
}
