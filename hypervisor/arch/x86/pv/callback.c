// SPDX-License-Identifier: GPL-2.0
/*
 * How the guest kernel is entered and left: its trap table
 * (set_trap_table), callbacks (callback_op), kernel stack (stack_switch),
 * and the iret hypercall that returns to any guest context.
 */
#include <hv/console.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/string.h>
#include <hvabi/callback.h>
#include <asm/cpu_info.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>

long do_set_trap_table(unsigned long traps)
{
	struct trap_info *dst = current->arch.trap_ctxt;
	struct trap_info ti;

	if (!traps) {	/* no table: clear the whole virtual IDT */
		memset(dst, 0, 256 * sizeof(*dst));
		return 0;
	}
	for (unsigned int n = 0;; n++, traps += sizeof(ti)) {
		if (n >= HC_PREEMPT_BATCH) {
			hypercall_set_arg(0, traps);
			return hypercall_continue();
		}
		if (copy_from_guest(&ti, traps, sizeof(ti)))
			return -EFAULT;
		if (ti.address == 0)
			return 0;
		if (!is_canonical(ti.address))
			return -EINVAL;
		ti.cs |= 3;	/* force guest privilege */
		dst[ti.vector] = ti;
	}
}

static long register_callback(const struct callback_register *reg)
{
	struct arch_vcpu *a = &current->arch;
	bool mask = reg->flags & CALLBACKF_mask_events;

	if (!is_canonical(reg->address))
		return -EINVAL;
	switch (reg->type) {
	case CALLBACKTYPE_event:	/* always entered with events masked */
		a->event_cb = (struct pv_callback){ reg->address, true };
		return 0;
	case CALLBACKTYPE_failsafe:
		a->failsafe_cb = (struct pv_callback){ reg->address, mask };
		return 0;
	case CALLBACKTYPE_syscall:
		a->syscall_cb = (struct pv_callback){ reg->address, mask };
		return 0;
	case CALLBACKTYPE_syscall32:
		a->syscall32_cb = (struct pv_callback){ reg->address, mask };
		return 0;
	case CALLBACKTYPE_sysenter:	/* accepted; sysenter itself #GPs */
		return 0;
	case CALLBACKTYPE_nmi:		/* NMIs are not forwarded to guests */
		return -EINVAL;
	}
	return -ENOSYS;
}

static long unregister_callback(const struct callback_unregister *u)
{
	switch (u->type) {
	case CALLBACKTYPE_event:
	case CALLBACKTYPE_failsafe:
	case CALLBACKTYPE_syscall:
	case CALLBACKTYPE_syscall32:
	case CALLBACKTYPE_sysenter:
		return -EINVAL;	/* these can be replaced, not removed */
	case CALLBACKTYPE_nmi:
		return 0;
	}
	return -ENOSYS;
}

long do_callback_op(unsigned long cmd, unsigned long arg)
{
	struct callback_register reg;
	struct callback_unregister unreg;

	switch ((int)cmd) {
	case CALLBACKOP_register:
		if (copy_from_guest(&reg, arg, sizeof(reg)))
			return -EFAULT;
		return register_callback(&reg);
	case CALLBACKOP_unregister:
		if (copy_from_guest(&unreg, arg, sizeof(unreg)))
			return -EFAULT;
		return unregister_callback(&unreg);
	}
	return -ENOSYS;
}

long do_stack_switch(unsigned long ss, unsigned long sp)
{
	current->arch.kernel_ss = ss | 3;	/* force guest privilege */
	current->arch.kernel_sp = sp;
	return 0;
}

/*
 * Returns to the context described by the iret_context at the guest's
 * rsp. The value returned becomes the guest's rax.
 */
long do_iret(void)
{
	struct cpu_regs *regs = guest_cpu_regs();
	struct vcpu *v = current;
	struct iret_context ic;

	if (copy_from_guest(&ic, regs->rsp, sizeof(ic))) {
		domain_crash(v->domain, "iret: frame at %#llx unreadable",
			     (unsigned long long)regs->rsp);
		return 0;
	}
	if ((ic.cs & 3) == 3) {
		if (mfn_x(v->arch.guest_table_user) == mfn_x(INVALID_MFN)) {
			domain_crash(v->domain,
				     "iret to user mode with no user page table");
			return 0;
		}
		pv_toggle_guest_mode(v);
	}
	regs->rip = ic.rip;
	regs->cs = ic.cs | 3;	/* force guest privilege */
	regs->rflags = (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
		       X86_EFLAGS_IF;
	regs->rsp = ic.rsp;
	regs->ss = ic.ss | 3;	/* force guest privilege */
	if (!(ic.flags & VGCF_in_syscall)) {
		regs->entry_vector = 0;	/* full iretq: keep rcx and r11 */
		regs->r11 = ic.r11;
		regs->rcx = ic.rcx;
	}
	v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
	v->nmi_masked = false;	/* the NMI handler, if any, is done */
	return (long)ic.rax;
}
