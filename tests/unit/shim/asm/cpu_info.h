/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for the hypervisor's asm/cpu_info.h, found first on the
 * include path of the scheduler unit test: one CPU whose per-CPU data
 * is a plain variable the test controls.
 */
#ifndef ASM_CPU_INFO_H
#define ASM_CPU_INFO_H

#include <hv/types.h>

struct vcpu;

struct cpu_info {
	struct vcpu *curr_vcpu;
	uint8_t need_resched;
	unsigned int cpu_id;
};

extern struct cpu_info unit_cpu_info;

static inline struct cpu_info *get_cpu_info(void)
{
	return &unit_cpu_info;
}

#define current (get_cpu_info()->curr_vcpu)
#define smp_processor_id() 0U

#endif
