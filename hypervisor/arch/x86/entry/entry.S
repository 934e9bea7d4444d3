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

#define ENTRY_SYSCALL 0x100
#define ENTRY_SYSCALL32 0x101
#define X86_EFLAGS_TF_BIT 0x100

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

/*
 * The hypervisor lock (common/kernel/hvlock.c) with %rsp at the guest
 * frame. HV_LOCK_ENTER takes a ticket and, if the lock is not serving it
 * yet, waits in C and reloads the hypercall argument registers from the
 * frame; it clobbers %rcx otherwise. HV_LOCK_EXIT releases it: only the
 * holder writes `serving`, so a plain increment is the release store.
 */
.macro HV_LOCK_ENTER
	mov	$1, %ecx
	lock xaddw %cx, hv_lock+SPINLOCK_next(%rip)
	cmpw	%cx, hv_lock+SPINLOCK_serving(%rip)
	jne	.Llock_wait\@
	movb	$1, CPUINFO_hv_lock_held - CPUINFO_guest_regs(%rsp)
	jmp	.Llocked\@
.Llock_wait\@:
	movzwl	%cx, %edi
	call	hv_lock_wait
	mov	REGS_rax(%rsp), %rax
	mov	REGS_rdi(%rsp), %rdi
	mov	REGS_rsi(%rsp), %rsi
	mov	REGS_rdx(%rsp), %rdx
	mov	REGS_r10(%rsp), %r10
	mov	REGS_r8(%rsp), %r8
.Llocked\@:
.endm

.macro HV_LOCK_EXIT
	movb	$0, CPUINFO_hv_lock_held - CPUINFO_guest_regs(%rsp)
	addw	$1, hv_lock+SPINLOCK_serving(%rip)
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
 * From guest kernel mode this is a hypercall, dispatched here without a
 * C wrapper: the guest's argument registers rdi, rsi, rdx, r10, r8 are
 * already the C ones but for r10 -> rcx. Interrupts stay off (SFMASK).
 */
	.globl syscall_entry
syscall_entry:
	push	%r11
	push	$GUEST_CS64
	push	%rcx
	push	$0
	movl	$ENTRY_SYSCALL, 4(%rsp)
	SAVE_ALL
	HV_LOCK_ENTER
	mov	CPUINFO_curr_vcpu - CPUINFO_guest_regs(%rsp), %rbx
	cmpb	$0, VCPU_kernel_mode(%rbx)
	je	.Luser_syscall
	cmpb	$0, opt_hctrace(%rip)
	jne	.Lhc_traced
	/* Bounds check, and an index that is 0 past it even speculatively. */
	cmp	$HC_TABLE_SIZE, %rax
	jae	.Lhc_enosys
	sbb	%r12, %r12
	and	%rax, %r12
	shl	$4, %r12
	lea	hypercall_table(%rip), %r11
	add	%r11, %r12			/* r12 = &hypercall_table[nr] */
	mov	HCENTRY_fn(%r12), %r11
	test	%r11, %r11
	jz	.Lhc_enosys
	cmpb	$0, HCENTRY_priv(%r12)
	jne	.Lhc_check_priv
.Lhc_call:
	mov	%r10, %rcx
	call	*%r11
	cmpb	$0, CPUINFO_hc_continue - CPUINFO_guest_regs(%rsp)
	jne	.Lhc_restart
	mov	%rax, REGS_rax(%rsp)
#if CONFIG_DEBUG
	/* Debug builds clobber the argument registers the call used. */
	movzbl	HCENTRY_nargs(%r12), %ecx
	mov	$0xdeadbeefdeadf00d, %rax
	cmp	$1, %ecx
	jb	1f
	mov	%rax, REGS_rdi(%rsp)
	cmp	$2, %ecx
	jb	1f
	mov	%rax, REGS_rsi(%rsp)
	cmp	$3, %ecx
	jb	1f
	mov	%rax, REGS_rdx(%rsp)
	cmp	$4, %ecx
	jb	1f
	mov	%rax, REGS_r10(%rsp)
	cmp	$5, %ecx
	jb	1f
	mov	%rax, REGS_r8(%rsp)
1:
#endif
	jmp	return_to_guest

.Lhc_check_priv:
	mov	VCPU_domain(%rbx), %rcx
	cmpb	$0, DOMAIN_is_privileged(%rcx)
	jne	.Lhc_call
	movq	$-ERR_EPERM, REGS_rax(%rsp)
	jmp	return_to_guest
.Lhc_enosys:
	movq	$-ERR_ENOSYS, REGS_rax(%rsp)
	jmp	return_to_guest
.Lhc_restart:
	/* Continuation: rax still holds the number; run the syscall again. */
	movb	$0, CPUINFO_hc_continue - CPUINFO_guest_regs(%rsp)
	subq	$2, REGS_rip(%rsp)
	jmp	return_to_guest
.Luser_syscall:
	mov	%rsp, %rdi
	call	do_syscall
	jmp	return_to_guest
.Lhc_traced:
	mov	%rsp, %rdi
	call	hypercall_traced
	jmp	return_to_guest

	.globl syscall32_entry
syscall32_entry:
	push	%r11
	push	$GUEST_CS32
	push	%rcx
	push	$0
	movl	$ENTRY_SYSCALL32, 4(%rsp)
	SAVE_ALL
	call	hv_lock_enter
	mov	%rsp, %rdi
	call	do_syscall32
	jmp	return_to_guest

/*
 * Return to the guest, interrupts off, dropping the hypervisor lock after
 * the last look at shared state. A syscall frame leaves through
 * sysretq when that is exact: flat 64-bit selectors, canonical rip (else
 * sysret faults in ring 0 on Intel), no single-step; sysretq loads rcx
 * and r11 from rip and rflags, which the hypercall ABI allows. Anything
 * else leaves through iretq.
 */
	.globl return_to_guest
return_to_guest:
	cli
	/* The scheduler asked for a switch: schedule() comes back here. */
	cmpb	$0, CPUINFO_need_resched - CPUINFO_guest_regs(%rsp)
	je	.Lno_resched
	call	schedule
.Lno_resched:
	/* A virtual NMI (VCPUOP_send_nmi) goes before event upcalls. */
	mov	CPUINFO_curr_vcpu - CPUINFO_guest_regs(%rsp), %rax
	cmpb	$0, VCPU_nmi_pending(%rax)
	je	.Lno_nmi
	mov	%rsp, %rdi
	call	pv_deliver_nmi
.Lno_nmi:
	/*
	 * Event upcall: pending and not masked in the current vcpu_info
	 * (guest-writable, read once each) -> bounce to the event callback,
	 * which masks events, so this runs at most once per return.
	 */
	mov	CPUINFO_curr_vcpu - CPUINFO_guest_regs(%rsp), %rax
	mov	VCPU_vcpu_info(%rax), %rax
	cmpb	$0, VCPUINFO_upcall_mask(%rax)
	jne	.Lno_upcall
	cmpb	$0, VCPUINFO_upcall_pending(%rax)
	je	.Lno_upcall
	mov	%rsp, %rdi
	call	pv_deliver_event
.Lno_upcall:
	HV_LOCK_EXIT
	cmpl	$ENTRY_SYSCALL, REGS_entry_vector(%rsp)
	jne	.Liret
	cmpq	$GUEST_CS64, REGS_cs(%rsp)
	jne	.Liret
	cmpq	$GUEST_DS32, REGS_ss(%rsp)
	jne	.Liret
	testl	$X86_EFLAGS_TF_BIT, REGS_rflags(%rsp)
	jnz	.Liret
	mov	REGS_rip(%rsp), %rcx
	sar	$47, %rcx			/* canonical: 0 or -1 */
	add	$1, %rcx
	cmp	$1, %rcx
	ja	.Liret
	RESTORE_ALL
	/* rsp points at the error-code slot; the hardware frame follows. */
	mov	8(%rsp), %rcx			/* rip */
	mov	24(%rsp), %r11			/* rflags */
	mov	32(%rsp), %rsp			/* guest rsp */
	sysretq
.Liret:
	RESTORE_ALL
	add	$8, %rsp
.Lguest_iretq:
	iretq

/*
 * The iretq above faulted on a frame the guest supplied. The fault
 * handler resumed here with %rsp back at the hardware frame and the
 * guest's registers live: rebuild the full frame and let C decide.
 */
.Lguest_iretq_fault:
	sub	$8, %rsp
	SAVE_ALL
	call	hv_lock_enter
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
