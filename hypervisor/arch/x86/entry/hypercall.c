// SPDX-License-Identifier: GPL-2.0
/*
 * C side of the syscall entry and of the return to the guest. A syscall
 * from guest kernel mode is a hypercall; from guest user mode it is the
 * guest's own system call and goes to its syscall callback.
 */
#include <hv/domain.h>
#include <hv/hypercall.h>
#include <hvabi/xen.h>
#include <asm/cpu_info.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

void do_syscall(struct cpu_regs *regs)
{
	if (current->arch.kernel_mode)
		hypercall_dispatch(regs);
	else
		pv_bounce_syscall(regs, false);
}

void do_syscall32(struct cpu_regs *regs)
{
	/* 32-bit code has no hypercall ABI here: always the guest's own. */
	pv_bounce_syscall(regs, true);
}

/*
 * Last work before the guest runs again (interrupts off). Event delivery
 * joins here with the events issue. Returns 1 when the frame may leave
 * through sysretq: flat 64-bit selectors, canonical rip, no single-step,
 * and a syscall frame (whose rcx/r11 the guest does not expect back).
 */
int guest_exit_work(struct cpu_regs *regs)
{
	return regs->entry_vector == ENTRY_SYSCALL &&
	       regs->cs == FLAT_KERNEL_CS && regs->ss == FLAT_KERNEL_SS &&
	       is_canonical(regs->rip) && !(regs->rflags & X86_EFLAGS_TF);
}
