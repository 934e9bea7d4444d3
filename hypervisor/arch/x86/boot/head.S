/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry from the boot loader: multiboot v1 (QEMU -kernel) and multiboot v2
 * (GRUB). Runs in 32-bit protected mode with paging off, builds boot page
 * tables that map the first 4 GiB three times (identity, image, direct
 * map), enters long mode and calls start_hypervisor() on the high mapping.
 * Owns nothing after that: C code replaces the page tables and GDT.
 */
#include <asm/layout.h>
#include <asm-offsets.h>

#define PHYS(sym) ((sym) - HV_IMAGE_BASE)

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* align, mem, address */
#define MB2_MAGIC 0xe85250d6

#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80

	.section .text.head, "ax"
	.code32

	/* Multiboot v1 header with the a.out kludge: load the file as is. */
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long PHYS(mb1_header)		/* header_addr */
	.long PHYS(_start)		/* load_addr */
	.long PHYS(_edata)		/* load_end_addr */
	.long PHYS(_end)		/* bss_end_addr */
	.long PHYS(start32)		/* entry_addr */

	/* Multiboot v2 header: address, entry and module-alignment tags. */
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	.align 8
	.word 2, 0			/* address tag */
	.long 24
	.long PHYS(mb2_header)
	.long PHYS(_start)
	.long PHYS(_edata)
	.long PHYS(_end)
	.align 8
	.word 3, 0			/* entry address tag */
	.long 12
	.long PHYS(start32)
	.align 8
	.word 6, 0			/* modules page aligned */
	.long 8
	.align 8
	.word 0, 0			/* end tag */
	.long 8
mb2_header_end:

	.align 16
	.globl start32
start32:
	cli
	cld
	mov	$PHYS(boot_stack_top), %esp
	mov	%eax, PHYS(boot_mb_magic)
	mov	%ebx, PHYS(boot_mb_info)

	/* Long mode is required; say so on COM1 if it is missing. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode

	/* The loader zeroes bss, but do not rely on it for the tables. */
	mov	$PHYS(boot_l4), %edi
	mov	$(6 * 1024), %ecx
	xor	%eax, %eax
	rep stosl

	/* L2s: 2048 entries of 2 MiB pages, 0..4 GiB. */
	mov	$PHYS(boot_l2), %edi
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_RW | PTE_PS), %eax
	mov	%eax, (%edi, %ecx, 8)
	mov	%ecx, %eax
	shr	$11, %eax			/* bits 32+ of the address */
	mov	%eax, 4(%edi, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	1b

	/* L3: four entries, one per L2 page. */
	mov	$PHYS(boot_l3), %edi
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	add	$(PHYS(boot_l2) + PTE_P + PTE_RW), %eax
	mov	%eax, (%edi, %ecx, 8)
	movl	$0, 4(%edi, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jne	2b

	/* L4: identity, image and direct-map windows share the L3. */
	mov	$(PHYS(boot_l3) + PTE_P + PTE_RW), %eax
	mov	%eax, PHYS(boot_l4)
	mov	%eax, PHYS(boot_l4) + HV_IMAGE_SLOT * 8
	mov	%eax, PHYS(boot_l4) + DIRECTMAP_SLOT * 8

	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* PAE */
	mov	%eax, %cr4
	mov	$PHYS(boot_l4), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER: LME | NXE | SCE */
	rdmsr
	or	$((1 << 8) | (1 << 11) | (1 << 0)), %eax
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG | WP | PE */
	mov	%eax, %cr0

	lgdt	PHYS(boot_gdt_desc)
	ljmp	$0x08, $PHYS(start64_low)

no_long_mode:
	mov	$PHYS(msg_no_lm), %esi
3:	lodsb
	test	%al, %al
	jz	4f
	mov	$0x3f8, %dx
	out	%al, %dx
	jmp	3b
4:	hlt
	jmp	4b

	.code64
start64_low:
	movabs	$start64_high, %rax
	jmp	*%rax

	.text
start64_high:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	/* CPU 0's stack; struct cpu_info sits at its top. */
	lea	cpu0_stack_area + 2 * STACK_SIZE(%rip), %rsp
	and	$~(STACK_SIZE - 1), %rsp
	sub	$CPU_INFO_SIZE, %rsp
	xor	%ebp, %ebp
	mov	boot_mb_magic(%rip), %edi
	mov	boot_mb_info(%rip), %esi
	call	start_hypervisor
	ud2

	.section .rodata
msg_no_lm:
	.asciz "hypervisor: this CPU has no long mode; halting\r\n"

	.data
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff		/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
	.globl boot_mb_magic, boot_mb_info
boot_mb_magic:
	.long 0
boot_mb_info:
	.long 0

	.section .bss.page_aligned, "aw", @nobits
	.align 4096
	.globl boot_l4
boot_l4:
	.skip 4096
boot_l3:
	.skip 4096
boot_l2:
	.skip 4 * 4096
	.skip 4096
boot_stack_top:
	/* CPU 0's stack: STACK_SIZE aligned inside this area at run time. */
	.globl cpu0_stack_area
cpu0_stack_area:
	.skip 2 * STACK_SIZE
	/* The APs' stacks, the same way (smpboot.c aligns them). */
	.globl ap_stack_area
ap_stack_area:
	.skip CONFIG_NR_CPUS * STACK_SIZE
