/* SPDX-License-Identifier: GPL-2.0 */
/* Structure offsets the assembly needs; turned into asm-offsets.h. */
#include <hv/types.h>
#include <asm/cpu_info.h>
#include <asm/regs.h>

#define OFFSET(name, str, mem)                                                \
	asm volatile("\n@@OFFSET " #name " %0" ::"i"(offsetof(str, mem)))
#define DEFINE(name, val) asm volatile("\n@@OFFSET " #name " %0" ::"i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(CPU_INFO_SIZE, sizeof(struct cpu_info));
	OFFSET(CPUINFO_guest_regs, struct cpu_info, guest_regs);
	OFFSET(CPUINFO_scratch_rsp, struct cpu_info, syscall_scratch_rsp);
	OFFSET(CPUINFO_syscall_stack, struct cpu_info, syscall_stack);
	DEFINE(REGS_SIZE, sizeof(struct cpu_regs));
	OFFSET(REGS_rax, struct cpu_regs, rax);
	OFFSET(REGS_rcx, struct cpu_regs, rcx);
	OFFSET(REGS_r11, struct cpu_regs, r11);
	OFFSET(REGS_error_code, struct cpu_regs, error_code);
	OFFSET(REGS_entry_vector, struct cpu_regs, entry_vector);
	OFFSET(REGS_rip, struct cpu_regs, rip);
	OFFSET(REGS_cs, struct cpu_regs, cs);
	OFFSET(REGS_rflags, struct cpu_regs, rflags);
	OFFSET(REGS_rsp, struct cpu_regs, rsp);
	OFFSET(REGS_ss, struct cpu_regs, ss);
}
