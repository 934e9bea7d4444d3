/* SPDX-License-Identifier: MIT */
/*
 * Exception and syscall entry of the PV test kernels, the return path
 * through the iret hypercall, setjmp/longjmp and guest user-mode entry.
 *
 * A bounce frame is, from the guest RSP up: RCX, R11, [error code], RIP,
 * CS, RFLAGS, RSP, SS. The stubs of vectors without an error code insert
 * a zero one so that trap_common always sees the same layout.
 */
#define FLAT_KERNEL_CS 0xe033
#define FLAT_KERNEL_SS 0xe02b
#define FLAT_USER_CS 0xe033
#define FLAT_USER_SS 0xe02b
#define HC_IRET 23
#define USER_FAULTED 0xdead0000fa17

	.text
	.code64

/* Stub for a vector with no error code: make room for a zero one. */
.macro STUB_NOEC vec
	.p2align 4
trap_stub_\vec:
	sub	$8, %rsp		/* [?][rcx][r11][rip]... */
	push	%rax
	mov	16(%rsp), %rax
	mov	%rax, 8(%rsp)		/* [rax][rcx][rcx][r11][rip] */
	mov	24(%rsp), %rax
	mov	%rax, 16(%rsp)		/* [rax][rcx][r11][r11][rip] */
	movq	$0, 24(%rsp)		/* [rax][rcx][r11][0][rip] */
	pop	%rax
	push	$\vec
	jmp	trap_common
.endm

.macro STUB_EC vec
	.p2align 4
trap_stub_\vec:
	push	$(\vec | 0x100)		/* 0x100: the hypervisor gave an EC */
	jmp	trap_common
.endm

	STUB_NOEC 0
	STUB_NOEC 1
	STUB_NOEC 2
	STUB_NOEC 3
	STUB_NOEC 4
	STUB_NOEC 5
	STUB_NOEC 6
	STUB_NOEC 7
	STUB_EC 8
	STUB_NOEC 9
	STUB_EC 10
	STUB_EC 11
	STUB_EC 12
	STUB_EC 13
	STUB_EC 14
	STUB_NOEC 15
	STUB_NOEC 16
	STUB_EC 17
	STUB_NOEC 18
	STUB_NOEC 19
	STUB_NOEC 20
	STUB_EC 21
	STUB_NOEC 22
	STUB_NOEC 23
	STUB_NOEC 24
	STUB_NOEC 25
	STUB_NOEC 26
	STUB_NOEC 27
	STUB_NOEC 28
	STUB_EC 29
	STUB_EC 30
	STUB_NOEC 31
	STUB_NOEC 128

/*
 * Stack here: [vector][rcx][r11][ec][rip][cs][rflags][rsp][ss].
 * Save the GPRs as struct trap_regs, let C look at and edit the frame,
 * then turn the first four slots into an iret context
 * [rax][r11][rcx][flags=0] in place and return through the iret hypercall.
 */
trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	mov	%rsp, %rbp
	and	$~0xf, %rsp		/* ABI alignment for the C call */
	call	trap_dispatch
	mov	%rbp, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	mov	%rax, 0(%rsp)		/* rax */
	mov	8(%rsp), %rax		/* frame rcx */
	xchg	16(%rsp), %rax		/* rcx into slot 2, frame r11 out */
	mov	%rax, 8(%rsp)		/* r11 */
	movq	$0, 24(%rsp)		/* iret flags */
	mov	$HC_IRET, %eax
	syscall
	ud2				/* iret does not return */

	.section .rodata
	.p2align 3
	.globl trap_stub_list
trap_stub_list:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,128
	.quad \v, trap_stub_\v
	.endr
	.quad -1, 0
	.text

/* setjmp(buf) / longjmp(buf, val): callee-saved registers, rsp, rip. */
	.globl pv_setjmp
pv_setjmp:
	mov	%rbx, 0(%rdi)
	mov	%rbp, 8(%rdi)
	mov	%r12, 16(%rdi)
	mov	%r13, 24(%rdi)
	mov	%r14, 32(%rdi)
	mov	%r15, 40(%rdi)
	lea	8(%rsp), %rax
	mov	%rax, 48(%rdi)
	mov	(%rsp), %rax
	mov	%rax, 56(%rdi)
	xor	%eax, %eax
	ret

	.globl pv_longjmp
pv_longjmp:
	mov	0(%rdi), %rbx
	mov	8(%rdi), %rbp
	mov	16(%rdi), %r12
	mov	24(%rdi), %r13
	mov	32(%rdi), %r14
	mov	40(%rdi), %r15
	mov	48(%rdi), %rsp
	mov	%rsi, %rax
	jmp	*56(%rdi)

/*
 * uint64_t user_enter(rip, rsp, rdi): enter guest user mode through the
 * iret hypercall (CS with RPL 3). Returns from syscall_entry (the user's
 * rax) or from user_fault_return (USER_FAULTED).
 */
	.globl user_enter
user_enter:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, user_kernel_rsp(%rip)
	push	$FLAT_USER_SS
	push	%rsi			/* rsp */
	push	$0x2			/* rflags: IF clear keeps events masked */
	push	$FLAT_USER_CS
	push	%rdi			/* rip */
	push	$0			/* flags */
	push	$0			/* rcx */
	push	$0			/* r11 */
	push	$0			/* rax */
	mov	%rdx, %rdi
	mov	$HC_IRET, %eax
	syscall
	ud2

/* Syscall callback: frame [rcx][r11][rip][cs][rflags][rsp][ss]. */
	.globl syscall_entry
syscall_entry:
	mov	%rax, last_syscall+56(%rip)
	mov	%rdi, last_syscall+64(%rip)
	mov	%rsp, last_syscall+72(%rip)
	lea	last_syscall(%rip), %rdi
	mov	%rax, %rbx
	mov	0(%rsp), %rax
	mov	%rax, 0(%rdi)
	mov	8(%rsp), %rax
	mov	%rax, 8(%rdi)
	mov	16(%rsp), %rax
	mov	%rax, 16(%rdi)
	mov	24(%rsp), %rax
	mov	%rax, 24(%rdi)
	mov	32(%rsp), %rax
	mov	%rax, 32(%rdi)
	mov	40(%rsp), %rax
	mov	%rax, 40(%rdi)
	mov	48(%rsp), %rax
	mov	%rax, 48(%rdi)
	mov	%rbx, %rax
	jmp	user_return

	.globl user_fault_return
user_fault_return:
	movabs	$USER_FAULTED, %rax
user_return:
	mov	user_kernel_rsp(%rip), %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.data
	.p2align 3
	.globl user_kernel_rsp
user_kernel_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
