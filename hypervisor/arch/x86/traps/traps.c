// SPDX-License-Identifier: GPL-2.0
/*
 * Exception and interrupt dispatch. Faults in guest context go to the PV
 * handlers (emulate, or bounce to the guest); faults in the hypervisor
 * are recovered through the exception table or are fatal.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

static void guest_general_protection(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	uint32_t ec = regs->error_code;

	/* INT n through a DPL 0 gate: the IDT bit and the vector. */
	if ((ec & 3) == 2) {
		unsigned int vector = (ec >> 3) & 0xff;
		unsigned int dpl = v->arch.trap_ctxt[vector].flags & TI_DPL_MASK;

		if (dpl >= (v->arch.kernel_mode ? 1U : 3U)) {
			regs->rip += 2;
			pv_inject_sw_interrupt(regs, vector);
			return;
		}
	}
	if (ec == 0 && (pv_emulate_io(regs) ||
			(v->arch.kernel_mode && pv_emulate_privileged_op(regs))))
		return;
	pv_inject_hw_exception(regs, X86_EXC_GP, (int)ec);
}

#define PFEC_PRESENT_WRITE 0x3
#define PFEC_RSVD_FETCH 0x18

static void guest_page_fault(struct cpu_regs *regs)
{
	uint64_t cr2 = read_cr2();

	if ((regs->error_code & (PFEC_PRESENT_WRITE | PFEC_RSVD_FETCH)) ==
		    PFEC_PRESENT_WRITE &&
	    pv_ptwr_fault(regs, cr2))
		return;
	pv_inject_page_fault(regs, (int)regs->error_code, cr2);
}

static void guest_debug(struct cpu_regs *regs)
{
	uint64_t dr6;

	asm volatile("mov %%db6, %0" : "=r"(dr6));
	asm volatile("mov %0, %%db6" ::"r"(0xffff0ff0ULL));
	current->arch.debugreg[6] |= dr6;
	pv_inject_hw_exception(regs, X86_EXC_DB, NO_ERROR_CODE);
}

static void guest_device_not_available(struct cpu_regs *regs)
{
	struct vcpu *v = current;

	/* Lazy FPU: the hardware TS mirrors the guest's virtual TS. */
	clts();
	if (v->arch.fpu_ts) {
		v->arch.fpu_ts = false;
		pv_inject_hw_exception(regs, X86_EXC_NM, NO_ERROR_CODE);
	}
}

static void guest_exception(struct cpu_regs *regs)
{
	unsigned int vec = regs->entry_vector;

	switch (vec) {
	case X86_EXC_GP:
		guest_general_protection(regs);
		break;
	case X86_EXC_PF:
		guest_page_fault(regs);
		break;
	case X86_EXC_UD:
		if (!pv_emulate_forced_cpuid(regs))
			pv_inject_hw_exception(regs, vec, NO_ERROR_CODE);
		break;
	case X86_EXC_NM:
		guest_device_not_available(regs);
		break;
	case X86_EXC_DB:
		guest_debug(regs);
		break;
	case X86_EXC_NMI:
		log_warn("NMI while in d%u", current->domain->domid);
		break;
	case X86_EXC_DF:
	case X86_EXC_MC:
		fatal_trap(regs, "machine-level exception in guest context");
	default:
		pv_inject_hw_exception(regs, vec, (int)regs->error_code);
		break;
	}
}

static void hypervisor_exception(struct cpu_regs *regs)
{
	uint64_t fixup;

	switch (regs->entry_vector) {
	case X86_EXC_NMI:
		log_warn("NMI in hypervisor context at %#llx",
			 (unsigned long long)regs->rip);
		return;
	case X86_EXC_DB:
		/* A guest watchpoint hit by a copy on the guest's behalf. */
		asm volatile("mov %0, %%db6" ::"r"(0xffff0ff0ULL));
		regs->rflags &= ~X86_EFLAGS_TF;
		return;
	case X86_EXC_PF:
	case X86_EXC_GP:
		fixup = search_ex_table(regs->rip);
		if (fixup) {
			regs->rip = fixup;
			return;
		}
		break;
	}
	fatal_trap(regs, "fault in the hypervisor");
}

/*
 * From a guest: take the hypervisor lock (return_to_guest drops it). From
 * the hypervisor: the lock is already held, or this is the fault of the
 * iretq to a guest, whose fix-up path takes it (entry.S).
 */
void do_exception(struct cpu_regs *regs)
{
	if (regs_from_guest(regs)) {
		hv_lock_enter();
		guest_exception(regs);
	} else {
		hypervisor_exception(regs);
	}
}

/*
 * int $0x80 from the guest arrives through a DPL 3 gate and goes straight
 * to the guest's vector 0x80 whatever that entry's DPL (as Xen's direct
 * int80 trap); with no handler it behaves as INT through a DPL 0 gate.
 */
static void guest_int80(struct cpu_regs *regs)
{
	if (current->arch.trap_ctxt[INT80_VECTOR].address) {
		pv_inject_sw_interrupt(regs, INT80_VECTOR);
		return;
	}
	regs->rip -= 2;
	pv_inject_hw_exception(regs, X86_EXC_GP, (INT80_VECTOR << 3) | 2);
}

static void dispatch_interrupt(struct cpu_regs *regs)
{
	unsigned int vec = regs->entry_vector;

	if (vec == INT80_VECTOR && regs_from_guest(regs)) {
		guest_int80(regs);
		return;
	}
	if (vec == SPURIOUS_VECTOR)
		return;
	if (vec == TIMER_VECTOR) {
		apic_timer_interrupt();
		return;
	}
	if (vec == IPI_CALL_VECTOR) {
		smp_ipi_interrupt();
		return;
	}
	log_warn("unexpected interrupt vector %u", vec);
	apic_eoi();
}

/*
 * From a guest the hypervisor lock is taken here and dropped by
 * return_to_guest; an interrupt in the hypervisor arrives in an idle wait
 * (lock not held: taken and dropped around the handler) or while the
 * lock is held with interrupts on (boot-time self-tests).
 */
void do_interrupt(struct cpu_regs *regs)
{
	bool take = !regs_from_guest(regs) && !hv_lock_held();

	if (regs_from_guest(regs) || take)
		hv_lock_enter();
	dispatch_interrupt(regs);
	if (take)
		hv_lock_exit();
}
