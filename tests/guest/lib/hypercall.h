/* SPDX-License-Identifier: MIT */
/*
 * Hypercall wrappers for the PV test kernels: `syscall` from guest-kernel
 * mode with the number in rax and arguments in rdi, rsi, rdx, r10, r8.
 * Every argument register, rcx and r11 are treated as clobbered.
 */
#ifndef PVTEST_HYPERCALL_H
#define PVTEST_HYPERCALL_H

#include <stdint.h>
#include <hvabi/xen.h>
#include <hvabi/hypercall.h>

static inline long hypercall5(uint64_t nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 asm("r10") = a4;
	register uint64_t r8 asm("r8") = a5;
	uint64_t rax = nr;

	asm volatile("syscall"
		     : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
		       "+r"(r8)
		     :
		     : "rcx", "r11", "r9", "memory");
	return (long)rax;
}

static inline long hypercall0(uint64_t nr)
{
	return hypercall5(nr, 0, 0, 0, 0, 0);
}

static inline long hypercall1(uint64_t nr, uint64_t a1)
{
	return hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline long hypercall2(uint64_t nr, uint64_t a1, uint64_t a2)
{
	return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall3(uint64_t nr, uint64_t a1, uint64_t a2,
			      uint64_t a3)
{
	return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long hypercall4(uint64_t nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4)
{
	return hypercall5(nr, a1, a2, a3, a4, 0);
}

/* Typed wrappers; pointer arguments are guest virtual addresses. */
#define HV_PTR(p) ((uint64_t)(uintptr_t)(p))

static inline long hv_console_io(unsigned int cmd, uint64_t count,
				 const void *buf)
{
	return hypercall3(HC_NR_console_io, cmd, count, HV_PTR(buf));
}

static inline long hv_xen_version(unsigned int cmd, void *arg)
{
	return hypercall2(HC_NR_xen_version, cmd, HV_PTR(arg));
}

static inline long hv_sched_op(unsigned int cmd, void *arg)
{
	return hypercall2(HC_NR_sched_op, cmd, HV_PTR(arg));
}

static inline long hv_set_trap_table(const void *table)
{
	return hypercall1(HC_NR_set_trap_table, HV_PTR(table));
}

static inline long hv_callback_op(unsigned int cmd, const void *arg)
{
	return hypercall2(HC_NR_callback_op, cmd, HV_PTR(arg));
}

static inline long hv_stack_switch(uint64_t ss, uint64_t sp)
{
	return hypercall2(HC_NR_stack_switch, ss, sp);
}

static inline long hv_fpu_taskswitch(int set)
{
	return hypercall1(HC_NR_fpu_taskswitch, (uint64_t)set);
}

static inline long hv_set_segment_base(unsigned int which, uint64_t base)
{
	return hypercall2(HC_NR_set_segment_base, which, base);
}

static inline long hv_mmuext_op(void *ops, unsigned int count,
				unsigned int *done, domid_t dom)
{
	return hypercall4(HC_NR_mmuext_op, HV_PTR(ops), count, HV_PTR(done),
			  dom);
}

static inline long hv_update_va_mapping(uint64_t va, uint64_t pte,
					uint64_t flags)
{
	return hypercall3(HC_NR_update_va_mapping, va, pte, flags);
}

static inline long hv_vm_assist(unsigned int cmd, unsigned int type)
{
	return hypercall2(HC_NR_vm_assist, cmd, type);
}

static inline long hv_set_debugreg(unsigned int reg, uint64_t val)
{
	return hypercall2(HC_NR_set_debugreg, reg, val);
}

static inline long hv_get_debugreg(unsigned int reg)
{
	return hypercall1(HC_NR_get_debugreg, reg);
}

static inline long hv_event_channel_op(unsigned int cmd, void *arg)
{
	return hypercall2(HC_NR_event_channel_op, cmd, HV_PTR(arg));
}

static inline long hv_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(HC_NR_vcpu_op, cmd, vcpu, HV_PTR(arg));
}

static inline long hv_set_timer_op(uint64_t timeout)
{
	return hypercall1(HC_NR_set_timer_op, timeout);
}

static inline long hv_mmu_update(const void *reqs, unsigned int count,
				 unsigned int *done, unsigned int dom)
{
	return hypercall4(HC_NR_mmu_update, HV_PTR(reqs), count, HV_PTR(done),
			  dom);
}

static inline long hv_update_va_mapping_otherdomain(uint64_t va,
						    uint64_t pte,
						    uint64_t flags,
						    domid_t dom)
{
	return hypercall4(HC_NR_update_va_mapping_otherdomain, va, pte, flags,
			  dom);
}

static inline long hv_memory_op(unsigned int cmd, void *arg)
{
	return hypercall2(HC_NR_memory_op, cmd, HV_PTR(arg));
}

static inline long hv_multicall(void *calls, unsigned int count)
{
	return hypercall2(HC_NR_multicall, HV_PTR(calls), count);
}

/* maddr: machine address of the 8-byte descriptor. */
static inline long hv_update_descriptor(uint64_t maddr, uint64_t desc)
{
	return hypercall2(HC_NR_update_descriptor, maddr, desc);
}

static inline long hv_set_gdt(const uint64_t *frames, unsigned int entries)
{
	return hypercall2(HC_NR_set_gdt, HV_PTR(frames), entries);
}

#endif
