/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies that survive a fault: a fault on a marked instruction resumes at
 * its fixup, which returns the number of bytes not copied. Quadwords
 * first, then the tail: most guest structures are a few quadwords.
 */
	.text
/* uint64_t copy_with_fixup(void *dst, const void *src, uint64_t len) */
	.globl copy_with_fixup
copy_with_fixup:
	mov	%rdx, %rcx
	shr	$3, %rcx
	and	$7, %edx
1:	rep movsq
	mov	%rdx, %rcx
2:	rep movsb
3:	mov	%rcx, %rax
	ret
4:	lea	(%rdx, %rcx, 8), %rax		/* faulted in the quadwords */
	ret

/* uint64_t clear_with_fixup(void *dst, uint64_t len) */
	.globl clear_with_fixup
clear_with_fixup:
	mov	%rsi, %rcx
	shr	$3, %rcx
	and	$7, %esi
	xor	%eax, %eax
5:	rep stosq
	mov	%rsi, %rcx
6:	rep stosb
7:	mov	%rcx, %rax
	ret
8:	lea	(%rsi, %rcx, 8), %rax
	ret

	.section .ex_table, "a"
	.quad 1b, 4b
	.quad 2b, 3b
	.quad 5b, 8b
	.quad 6b, 7b
