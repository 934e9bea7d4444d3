/* SPDX-License-Identifier: GPL-2.0 */
/* Exception entry points called from entry.S, and the fatal-trap dump. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <hv/types.h>
#include <asm/regs.h>

void do_exception(struct cpu_regs *regs);
void do_interrupt(struct cpu_regs *regs);
void do_syscall(struct cpu_regs *regs);
void do_syscall32(struct cpu_regs *regs);

/* Prints the frame, the registers and a backtrace, then stops the machine. */
__noreturn void fatal_trap(const struct cpu_regs *regs, const char *why);
/* Prints a backtrace following frame pointers from @rbp. */
void show_backtrace(uint64_t rip, uint64_t rbp);

void apic_timer_interrupt(void);
void apic_eoi(void);

#endif
