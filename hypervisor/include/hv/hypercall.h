/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall handlers. Prototypes are generated from hypercalls.def: a
 * handler takes as many unsigned long arguments as the definition says,
 * in ABI order (rdi, rsi, rdx, r10, r8), and returns 0, a negative errno
 * or a call-specific value.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/types.h>
#include <hvabi/hypercall.h>

#define HC_PARAMS_0 void
#define HC_PARAMS_1 unsigned long
#define HC_PARAMS_2 HC_PARAMS_1, unsigned long
#define HC_PARAMS_3 HC_PARAMS_2, unsigned long
#define HC_PARAMS_4 HC_PARAMS_3, unsigned long
#define HC_PARAMS_5 HC_PARAMS_4, unsigned long

#define HC_PROTO_HC_IMPL(name, nargs) long do_##name(HC_PARAMS_##nargs);
#define HC_PROTO_HC_NONE(name, nargs)
#define HC(nr, name, nargs, priv, state) HC_PROTO_##state(name, nargs)
#include <hvabi/hypercalls.def>
#undef HC

#define HC_ANY 0
#define HC_PRIV 1

struct hc_entry {
	uintptr_t fn;		/* handler, 0 = not implemented */
	uint8_t nargs;
	uint8_t priv;		/* HC_ANY or HC_PRIV */
};

extern const struct hc_entry hypercall_table[HC_NR_MAX];

struct cpu_regs;
/* Runs the hypercall in @regs (rax = number) and stores the result. */
void hypercall_dispatch(struct cpu_regs *regs);
/* The same, logged; entry.S uses it when opt_hctrace is set. */
void hypercall_traced(struct cpu_regs *regs);
extern bool opt_hctrace;

#endif
