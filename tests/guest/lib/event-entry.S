/* SPDX-License-Identifier: MIT */
/*
 * Event callback entry of the PV test kernels. The hypervisor enters here
 * with events masked and the frame RCX, R11, RIP, CS, RFLAGS, RSP, SS at
 * RSP. Saves the caller-saved registers, runs event_upcall() and returns
 * through the iret hypercall, which restores the upcall mask from
 * RFLAGS.IF (and may deliver the next pending upcall at once).
 */
#define HC_IRET 23

	.text
	.code64
	.globl event_callback_entry
event_callback_entry:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbp
	mov	%rsp, %rbp
	and	$~0xf, %rsp
	call	event_upcall
	mov	%rbp, %rsp
	pop	%rbp
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	/* [rcx][r11][rip]... -> iret context [rax][r11][rcx][flags=0][rip] */
	sub	$16, %rsp
	mov	%rax, 0(%rsp)
	mov	24(%rsp), %rax
	mov	%rax, 8(%rsp)
	movq	$0, 24(%rsp)
	mov	$HC_IRET, %eax
	syscall
	ud2
	.section .note.GNU-stack, "", @progbits
