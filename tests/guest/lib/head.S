/* SPDX-License-Identifier: MIT */
/*
 * Boot stub of the PV test kernels: the Xen ELF notes the domain builder
 * reads, and the entry point. The builder enters _start in guest-kernel
 * mode (ring 3) on its own page tables with %rsi = start_info (VA) and a
 * one-page boot stack; we move to our own stack and call lib_start().
 */
#include <hvabi/elfnote.h>

#define VIRT_BASE 0xffffffff80000000

/* ELFNOTE type, descriptor-directive, value */
.macro ELFNOTE type, desc:vararg
	.pushsection .note.xen, "a"
	.p2align 2
	.long 2f - 1f		/* namesz */
	.long 4f - 3f		/* descsz */
	.long \type
1:	.asciz "Xen"
2:	.p2align 2
3:	\desc
4:	.p2align 2
	.popsection
.endm

	ELFNOTE ELFNOTE_ENTRY, .quad _start
	ELFNOTE ELFNOTE_VIRT_BASE, .quad VIRT_BASE
	ELFNOTE ELFNOTE_PADDR_OFFSET, .quad 0
	ELFNOTE ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
	ELFNOTE ELFNOTE_GUEST_OS, .asciz "pvtest"
	ELFNOTE ELFNOTE_GUEST_VERSION, .asciz "1"
	ELFNOTE ELFNOTE_LOADER, .asciz "generic"
	ELFNOTE ELFNOTE_FEATURES, .asciz "writable_page_tables|pae_pgdir_above_4gb"
	/* Bit 11 (dom0): Xen refuses to build a dom0 without it. */
	ELFNOTE ELFNOTE_SUPPORTED_FEATURES, .long (1 << 11)
	/* No HYPERCALL_PAGE: hypercalls are `syscall` (see guest/hcpage). */

	.section .text.head, "ax"
	.code64
	.globl _start
_start:
	/* Keep the entry state for the boot conformance kernel. */
	mov	%rax, boot_entry+0(%rip)
	mov	%rbx, boot_entry+8(%rip)
	mov	%rcx, boot_entry+16(%rip)
	mov	%rdx, boot_entry+24(%rip)
	mov	%rsi, boot_entry+32(%rip)
	mov	%rdi, boot_entry+40(%rip)
	mov	%rbp, boot_entry+48(%rip)
	mov	%rsp, boot_entry+56(%rip)
	mov	%r8, boot_entry+64(%rip)
	mov	%r9, boot_entry+72(%rip)
	mov	%r10, boot_entry+80(%rip)
	mov	%r11, boot_entry+88(%rip)
	mov	%r12, boot_entry+96(%rip)
	mov	%r13, boot_entry+104(%rip)
	mov	%r14, boot_entry+112(%rip)
	mov	%r15, boot_entry+120(%rip)
	mov	%cs, boot_entry+128(%rip)
	mov	%ss, boot_entry+136(%rip)
	mov	%ds, boot_entry+144(%rip)
	mov	%es, boot_entry+152(%rip)
	mov	%fs, boot_entry+160(%rip)
	mov	%gs, boot_entry+168(%rip)
	pushf				/* 8 bytes of the builder's stack */
	popq	boot_entry+176(%rip)
	cld
	lea	boot_stack_top(%rip), %rsp
	mov	%rsi, %rdi
	call	lib_start
	ud2			/* lib_start never returns */

	.data
	.p2align 3
	.globl boot_entry
boot_entry:
	.fill 23, 8, 0xffffffffffffffff	/* see struct boot_entry */

	.section .bss.page_aligned, "aw", @nobits
	.p2align 12
boot_stack:
	.skip 4 * 4096
	.globl boot_stack_top
boot_stack_top:
	/* Stack the hypervisor bounces to on entry from guest user mode. */
	.skip 2 * 4096
	.globl user_entry_stack_top
user_entry_stack_top:

	.section .note.GNU-stack, "", @progbits
