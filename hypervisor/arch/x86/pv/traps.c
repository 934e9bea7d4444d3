// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery into the guest kernel: the bounce frame (Xen's x86_64 PV
 * layout) built on the guest kernel stack for exceptions, software
 * interrupts and the syscall callback, and the kernel/user mode toggle.
 *
 * Frame, lowest address first (the guest's rsp points at rcx):
 *
 *   rcx | r11 | [error code] | rip | cs + upcall mask << 32 | rflags | rsp | ss
 *
 * cs has RPL 0 when the interrupted context was guest kernel; rflags.IF
 * is the inverse of the saved evtchn_upcall_mask.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hvabi/callback.h>
#include <asm/cpu_info.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>

void pv_toggle_guest_mode(struct vcpu *v)
{
	v->arch.kernel_mode = !v->arch.kernel_mode;
	swapgs();	/* active <-> inactive guest GS base */
	write_cr3(mfn_x(v->arch.kernel_mode ? v->arch.guest_table
					    : v->arch.guest_table_user)
		  << PAGE_SHIFT);
}

/*
 * Rewrites @regs so that the guest resumes at @handler in kernel mode with
 * a bounce frame describing where it was. Returns false (domain crashed)
 * when the handler is missing or the kernel stack is unusable.
 */
static bool bounce(struct cpu_regs *regs, uint64_t handler, bool mask_events,
		   int error_code, const char *what)
{
	struct vcpu *v = current;
	struct vcpu_info *vi = v->vcpu_info;
	uint8_t saved_mask = vi->evtchn_upcall_mask;
	uint64_t frame[8], sp, cs = regs->cs, flags;
	unsigned int n = 0;

	if (!handler) {
		domain_crash(v->domain, "no handler for %s (rip %#llx)", what,
			     (unsigned long long)regs->rip);
		return false;
	}
	if (v->arch.kernel_mode) {
		sp = regs->rsp;
		cs &= ~3ULL;	/* tell the guest: kernel context */
	} else {
		pv_toggle_guest_mode(v);
		sp = v->arch.kernel_sp;
	}
	flags = regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL);
	if (!saved_mask)
		flags |= X86_EFLAGS_IF;

	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (error_code != NO_ERROR_CODE)
		frame[n++] = (uint32_t)error_code;
	frame[n++] = regs->rip;
	frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
	frame[n++] = flags;
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;
	sp = (sp & ~0xfULL) - n * 8;
	if (copy_to_guest(sp, frame, n * 8)) {
		domain_crash(v->domain,
			     "fault writing the %s bounce frame at %#llx",
			     what, (unsigned long long)sp);
		return false;
	}
	if (mask_events)
		vi->evtchn_upcall_mask = 1;
	regs->rsp = sp;
	regs->rip = handler;
	regs->cs = FLAT_KERNEL_CS;
	regs->ss = FLAT_KERNEL_SS;
	regs->rflags &= ~(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF |
			  X86_EFLAGS_NT | X86_EFLAGS_TF);
	return true;
}

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "vec9", "#TS", "#NP", "#SS", "#GP", "#PF", "vec15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

void pv_inject_hw_exception(struct cpu_regs *regs, unsigned int vector,
			    int error_code)
{
	struct vcpu *v = current;
	const struct trap_info *ti = &v->arch.trap_ctxt[vector & 0xff];
	if (!ti->address) {
		const char *name = vector < 32 && exc_names[vector] ?
			exc_names[vector] : "vector";

		if (vector == X86_EXC_PF)
			log_err("d%u: unhandled #PF[%#x] at %#llx, cr2 %#llx",
				v->domain->domid, error_code,
				(unsigned long long)regs->rip,
				(unsigned long long)v->vcpu_info->arch.cr2);
		domain_crash(v->domain, "unhandled %s (vector %u) at rip %#llx",
			     name, vector, (unsigned long long)regs->rip);
		return;
	}
	bounce(regs, ti->address, ti->flags & TI_MASK_EVENTS,
	       (X86_EXC_HAVE_EC & (1U << vector)) ? error_code : NO_ERROR_CODE,
	       "exception");
}

void pv_inject_page_fault(struct cpu_regs *regs, int error_code,
			  uint64_t cr2)
{
	struct vcpu *v = current;

	v->vcpu_info->arch.cr2 = cr2;
	/* The user bit tells guest user from guest kernel, not the CPL. */
	error_code &= ~PFEC_user;
	if (!v->arch.kernel_mode)
		error_code |= PFEC_user;
	pv_inject_hw_exception(regs, X86_EXC_PF, error_code);
}

void pv_inject_sw_interrupt(struct cpu_regs *regs, unsigned int vector)
{
	const struct trap_info *ti = &current->arch.trap_ctxt[vector & 0xff];

	bounce(regs, ti->address, ti->flags & TI_MASK_EVENTS, NO_ERROR_CODE,
	       "software interrupt");
}

void pv_bounce_syscall(struct cpu_regs *regs, bool compat)
{
	struct vcpu *v = current;
	const struct pv_callback *cb = compat ? &v->arch.syscall32_cb
					      : &v->arch.syscall_cb;

	if (compat && !cb->address) {
		/* No 32-bit syscall entry: behave as the CPU would. */
		pv_inject_hw_exception(regs, X86_EXC_UD, NO_ERROR_CODE);
		return;
	}
	bounce(regs, cb->address, cb->mask_events, NO_ERROR_CODE, "syscall");
}

/*
 * Called by return_to_guest when the current vCPU has an event upcall
 * pending and unmasked: enters the event callback with events masked.
 * Without a registered callback the upcall stays pending.
 */
void pv_deliver_event(struct cpu_regs *regs)
{
	const struct pv_callback *cb = &current->arch.event_cb;

	if (cb->address)
		bounce(regs, cb->address, true, NO_ERROR_CODE, "event");
}

/*
 * Called by return_to_guest with an NMI pending: unless the vCPU is still
 * in its NMI handler (until its next iret hypercall), enters the handler
 * of trap vector 2, as Xen does; without one the NMI is dropped.
 */
void pv_deliver_nmi(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	const struct trap_info *ti = &v->arch.trap_ctxt[X86_EXC_NMI];

	if (v->nmi_masked)
		return;
	v->nmi_pending = false;
	if (!ti->address)
		return;
	v->nmi_masked = true;
	bounce(regs, ti->address, ti->flags & TI_MASK_EVENTS, NO_ERROR_CODE,
	       "NMI");
}

/*
 * The final iretq back to the guest faulted: a selector or address in the
 * frame the guest gave us (iret hypercall, trap table) is unusable. The
 * domain is crashed; see hypercall-abi/docs/iret.md.
 */
void pv_bad_return(struct cpu_regs *regs)
{
	domain_crash(current->domain,
		     "unusable return frame (rip %#llx cs %#llx rsp %#llx ss %#llx)",
		     (unsigned long long)regs->rip, (unsigned long long)regs->cs,
		     (unsigned long long)regs->rsp, (unsigned long long)regs->ss);
}
