/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every way into and out of the hypervisor: exceptions and interrupts
 * (IDT stubs), syscall from a guest (via the per-CPU LSTAR/CSTAR stubs
 * built by syscall_stubs_init()), and the return to the guest with iretq,
 * or sysretq for the common hypercall return. C handlers get a
 * struct cpu_regs * in %rdi; the frame is laid out in asm/regs.h.
 */
#include <asm/layout.h>
#include <asm-offsets.h>

.macro SAVE_ALL
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rcx
	push	%rax
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
.endm

.macro RESTORE_ALL
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rax
	pop	%rcx
	pop	%rdx
	pop	%rsi
	pop	%rdi
.endm

/* Exceptions 0-31: a stub each pushes the error-code slot and vector. */
.macro EXC vec, has_ec
	.align 16
exc_\vec:
	.if \has_ec == 0
	push	$0
	.endif
	movl	$\vec, 4(%rsp)
	jmp	common_exception
.endm

	.text
	.align 16
	.globl exception_stubs
exception_stubs:
	EXC 0, 0
	EXC 1, 0
	EXC 2, 0
	EXC 3, 0
	EXC 4, 0
	EXC 5, 0
	EXC 6, 0
	EXC 7, 0
	EXC 8, 1
	EXC 9, 0
	EXC 10, 1
	EXC 11, 1
	EXC 12, 1
	EXC 13, 1
	EXC 14, 1
	EXC 15, 0
	EXC 16, 0
	EXC 17, 1
	EXC 18, 0
	EXC 19, 0
	EXC 20, 0
	EXC 21, 1
	EXC 22, 0
	EXC 23, 0
	EXC 24, 0
	EXC 25, 0
	EXC 26, 0
	EXC 27, 0
	EXC 28, 0
	EXC 29, 1
	EXC 30, 1
	EXC 31, 0

/* Interrupts 32-255: 16-byte stubs, the IDT is built from their address. */
	.align 16
	.globl irq_stubs
irq_stubs:
	vec = 32
	.rept 224
	.align 16
	push	$0
	movl	$vec, 4(%rsp)
	jmp	common_interrupt
	vec = vec + 1
	.endr

common_exception:
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_exception
	jmp	return_from_trap

common_interrupt:
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_interrupt
	jmp	return_from_trap

/* Back to whoever was interrupted: the hypervisor, or the guest. */
return_from_trap:
	testb	$3, REGS_cs(%rsp)
	jnz	return_to_guest
	RESTORE_ALL
	add	$8, %rsp
	iretq

/*
 * syscall from a guest. The per-CPU stub has switched to this CPU's stack
 * and pushed ss and the guest rsp; rcx = guest rip, r11 = guest rflags.
 */
	.globl syscall_entry
syscall_entry:
	push	%r11
	push	$GUEST_CS64
	push	%rcx
	push	$0
	movl	$0x100, 4(%rsp)		/* ENTRY_SYSCALL */
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_syscall
	jmp	return_to_guest

	.globl syscall32_entry
syscall32_entry:
	push	%r11
	push	$GUEST_CS32
	push	%rcx
	push	$0
	movl	$0x101, 4(%rsp)		/* ENTRY_SYSCALL32 */
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_syscall32
	jmp	return_to_guest

/*
 * Return to the guest. Interrupts off from here: guest_exit_work()
 * delivers pending events into the frame, then the frame is restored.
 * The hypercall return uses sysretq when the frame allows it: flat 64-bit
 * selectors, a canonical rip, no TF (sysret would clobber rcx/r11 anyway,
 * which the hypercall ABI allows).
 */
	.globl return_to_guest
return_to_guest:
	cli
	mov	%rsp, %rdi
	call	guest_exit_work
	test	%eax, %eax
	jnz	1f
	RESTORE_ALL
	add	$8, %rsp
.Lguest_iretq:
	iretq
1:	RESTORE_ALL
	/* rsp points at the error-code slot; the hardware frame follows. */
	mov	8(%rsp), %rcx			/* rip */
	mov	24(%rsp), %r11			/* rflags */
	mov	32(%rsp), %rsp			/* guest rsp */
	sysretq

/*
 * The iretq above faulted on a frame the guest supplied. The fault
 * handler resumed here with %rsp back at the hardware frame and the
 * guest's registers live: rebuild the full frame and let C decide.
 */
.Lguest_iretq_fault:
	sub	$8, %rsp
	SAVE_ALL
	mov	%rsp, %rdi
	call	pv_bad_return
	jmp	return_to_guest

	.section .ex_table, "a"
	.quad .Lguest_iretq, .Lguest_iretq_fault
	.previous

/* First entry into a guest: the frame at the top of this stack is ready. */
	.globl enter_guest
enter_guest:
	mov	%rdi, %rsp
	jmp	return_to_guest
