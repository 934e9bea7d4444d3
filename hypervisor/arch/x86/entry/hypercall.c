// SPDX-License-Identifier: GPL-2.0
/*
 * C side of the syscall entry. A syscall from guest kernel mode is a
 * hypercall (entry.S dispatches it); from guest user mode it is the
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

/* A syscall from guest user mode (hypercalls are dispatched in entry.S). */
void do_syscall(struct cpu_regs *regs)
{
	pv_bounce_syscall(regs, false);
}

void do_syscall32(struct cpu_regs *regs)
{
	/* 32-bit code has no hypercall ABI here: always the guest's own. */
	pv_bounce_syscall(regs, true);
}
