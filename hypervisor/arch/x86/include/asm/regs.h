/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register frame every entry path builds: general registers pushed by
 * the entry code, then the vector/error-code slot, then the hardware
 * interrupt frame. Its layout is the ABI's struct cpu_user_regs up to ss.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <hv/types.h>

struct cpu_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint32_t error_code;
	uint32_t entry_vector;	/* vector, or ENTRY_SYSCALL */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* entry_vector of a frame built by the syscall entry path. */
#define ENTRY_SYSCALL 0x100
#define ENTRY_SYSCALL32 0x101

/* x86 register number (0 = rax ... 15 = r15) to its slot in the frame. */
static inline uint64_t *regs_gpr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};
	return map[n & 15];
}

static inline bool regs_from_guest(const struct cpu_regs *r)
{
	return (r->cs & 3) == 3;
}

#endif
