/* SPDX-License-Identifier: MIT */
/*
 * Hypercall numbers, generated from hypercalls.def, and the x86_64 PV
 * calling convention: number in rax, arguments in rdi, rsi, rdx, r10, r8,
 * result (0 or a negative HV_E* value, or a call-specific value) in rax.
 * The instruction is `syscall`, issued from guest-kernel mode; rcx and r11
 * are clobbered. A hypercall page, when the kernel asks for one, holds a
 * 32-byte stub per number that does the same.
 */
#ifndef HVABI_HYPERCALL_H
#define HVABI_HYPERCALL_H

enum hc_number {
#define HC(nr, name, nargs, priv, state) HC_NR_##name = (nr),
#include "hypercalls.def"
#undef HC
};

#define HC_NR_MAX 64	/* numbers are below this */
#define HC_PAGE_STUB_SIZE 32

#endif
