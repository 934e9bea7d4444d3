/* SPDX-License-Identifier: GPL-2.0 */
/* Structure offsets the assembly needs; turned into asm-offsets.h. */
#include <hv/types.h>
#include <asm/cpu_info.h>
#include <hv/spinlock.h>
#include <asm/regs.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>

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
	OFFSET(CPUINFO_curr_vcpu, struct cpu_info, curr_vcpu);
	OFFSET(CPUINFO_hc_continue, struct cpu_info, hc_continue);
	OFFSET(CPUINFO_need_resched, struct cpu_info, need_resched);
	OFFSET(CPUINFO_hv_lock_held, struct cpu_info, hv_lock_held);
	OFFSET(SPINLOCK_serving, spinlock_t, serving);
	OFFSET(SPINLOCK_next, spinlock_t, next);
	OFFSET(VCPU_kernel_mode, struct vcpu, arch.kernel_mode);
	OFFSET(VCPU_domain, struct vcpu, domain);
	OFFSET(VCPU_vcpu_info, struct vcpu, vcpu_info);
	OFFSET(VCPU_nmi_pending, struct vcpu, nmi_pending);
	OFFSET(VCPUINFO_upcall_pending, struct vcpu_info, evtchn_upcall_pending);
	OFFSET(VCPUINFO_upcall_mask, struct vcpu_info, evtchn_upcall_mask);
	OFFSET(DOMAIN_is_privileged, struct domain, is_privileged);
	OFFSET(HCENTRY_fn, struct hc_entry, fn);
	OFFSET(HCENTRY_nargs, struct hc_entry, nargs);
	OFFSET(HCENTRY_priv, struct hc_entry, priv);
	DEFINE(HCENTRY_SIZE, sizeof(struct hc_entry));
	DEFINE(HC_TABLE_SIZE, HC_NR_MAX);
	DEFINE(ERR_ERESTART, ERESTART);
	DEFINE(ERR_ENOSYS, ENOSYS);
	DEFINE(ERR_EPERM, EPERM);
	OFFSET(REGS_rdi, struct cpu_regs, rdi);
	OFFSET(REGS_rsi, struct cpu_regs, rsi);
	OFFSET(REGS_rdx, struct cpu_regs, rdx);
	OFFSET(REGS_r10, struct cpu_regs, r10);
	OFFSET(REGS_r8, struct cpu_regs, r8);
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
