/* SPDX-License-Identifier: GPL-2.0 */
/* Entry points of the PV guest machinery (arch/x86/pv/). */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <hv/types.h>
#include <asm/processor.h>
#include <asm/regs.h>

struct vcpu;

#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_NMI 2
#define X86_EXC_BP 3
#define X86_EXC_OF 4
#define X86_EXC_BR 5
#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_DF 8
#define X86_EXC_TS 10
#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MF 16
#define X86_EXC_AC 17
#define X86_EXC_MC 18
#define X86_EXC_XM 19

/* Vectors whose hardware frame carries an error code. */
#define X86_EXC_HAVE_EC                                                       \
	((1U << 8) | (1U << 10) | (1U << 11) | (1U << 12) | (1U << 13) |      \
	 (1U << 14) | (1U << 17) | (1U << 21) | (1U << 29) | (1U << 30))

#define PFEC_user (1U << 2)
#define NO_ERROR_CODE (-1)

/* Bounces @vector to the guest's trap table entry (hardware exception). */
void pv_inject_hw_exception(struct cpu_regs *regs, unsigned int vector,
			    int error_code);
/* #PF with the fault address stored in vcpu_info.arch.cr2. */
void pv_inject_page_fault(struct cpu_regs *regs, int error_code,
			  uint64_t cr2);
/* Same for a software interrupt (INT n): never an error code. */
void pv_inject_sw_interrupt(struct cpu_regs *regs, unsigned int vector);
/* Enters the registered syscall callback (user-mode syscall). */
void pv_bounce_syscall(struct cpu_regs *regs, bool compat);
/* return_to_guest: enter the event callback for a pending upcall. */
void pv_deliver_event(struct cpu_regs *regs);
/* return_to_guest: enter trap vector 2 for a pending virtual NMI. */
void pv_deliver_nmi(struct cpu_regs *regs);
/* Switches between guest kernel and user mode: page tables and GS. */
void pv_toggle_guest_mode(struct vcpu *v);

/* #GP from the guest kernel: emulate a privileged instruction. */
bool pv_emulate_privileged_op(struct cpu_regs *regs);
/* #GP: port I/O (in/out) within the guest's virtual IOPL. */
bool pv_emulate_io(struct cpu_regs *regs);
/* #UD: emulate the forced-emulation prefix (ud2; .ascii "xen"; cpuid). */
bool pv_emulate_forced_cpuid(struct cpu_regs *regs);

/*
 * A write fault on a read-only mapping of one of the guest's own L1
 * tables (writable page-table assist): emulate the store. False if not
 * applicable or refused.
 */
bool pv_ptwr_fault(struct cpu_regs *regs, uint64_t cr2);

/* Descriptor checks for GDT frames (arch/x86/pv/descriptor-tables.c). */
bool check_descriptor(uint64_t *desc);
long pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents);
int validate_desc_page(mfn_t mfn);

/* Policy CPUID for PV guests. */
void pv_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);

/* Handlers by vector for guest-mode faults (traps/pv-traps.c). */
void pv_handle_exception(struct cpu_regs *regs);
/* A faulting iretq/sysret back to the guest (bad frame): failsafe or crash. */
void pv_bad_return(struct cpu_regs *regs);

#endif
