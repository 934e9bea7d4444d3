/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application-processor start-up code, copied by smpboot.c to
 * TRAMPOLINE_PHYS (below 1 MiB) and entered in real mode by the SIPI at
 * CS:IP = TRAMPOLINE_PHYS >> 4 : 0. Goes to protected mode, then long
 * mode on the boot page tables (boot_l4: identity-maps low memory), takes
 * a CPU number and its stack from the data at the end, and jumps to
 * ap_start64 in the image. Only the bytes between trampoline_start and
 * trampoline_end are copied; addresses are computed for the copy.
 */
#define TRAMPOLINE_PHYS 0x8000
#define T(sym) (TRAMPOLINE_PHYS + (sym) - trampoline_start)

	.section .rodata, "a"
	.code16
	.globl trampoline_start, trampoline_end
	.globl tramp_cr3, tramp_entry, tramp_next_cpu, tramp_stacks
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdt_desc - trampoline_start
	mov	%cr0, %eax
	or	$1, %eax			/* PE */
	mov	%eax, %cr0
	ljmpl	$0x18, $T(tramp32)

	.code32
tramp32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* PAE */
	mov	%eax, %cr4
	mov	T(tramp_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER: LME | NXE | SCE */
	rdmsr
	or	$((1 << 8) | (1 << 11) | (1 << 0)), %eax
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG | WP | PE */
	mov	%eax, %cr0
	ljmp	$0x08, $T(tramp64)

	.code64
tramp64:
	mov	$1, %eax
	lock xadd %eax, tramp_next_cpu(%rip)	/* this CPU's number */
	mov	%eax, %edi
	lea	tramp_stacks(%rip), %rsi
	mov	(%rsi, %rax, 8), %rsp
	jmp	*tramp_entry(%rip)

	.align 8
tramp_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff		/* 0x10: data */
	.quad 0x00cf9a000000ffff		/* 0x18: 32-bit code */
tramp_gdt_end:
tramp_gdt_desc:
	.word tramp_gdt_end - tramp_gdt - 1
	.long T(tramp_gdt)
	.align 8
tramp_cr3:
	.quad 0
tramp_entry:
	.quad 0
tramp_next_cpu:
	.long 1
	.long 0
tramp_stacks:
	.skip 8 * 8				/* CONFIG_NR_CPUS entries */
trampoline_end:

/* The first code in the image an AP runs: %edi = its CPU number. */
	.text
	.code64
	.globl ap_start64
ap_start64:
	xor	%ebp, %ebp
	call	ap_start_c
	ud2

	.section .note.GNU-stack, "", @progbits
