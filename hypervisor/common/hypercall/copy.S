/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies that survive a fault: a fault on the marked instruction resumes
 * at its fixup, which returns the number of bytes left (rcx).
 */
	.text
/* uint64_t copy_with_fixup(void *dst, const void *src, uint64_t len) */
	.globl copy_with_fixup
copy_with_fixup:
	mov	%rdx, %rcx
1:	rep movsb
2:	mov	%rcx, %rax
	ret

/* uint64_t clear_with_fixup(void *dst, uint64_t len) */
	.globl clear_with_fixup
clear_with_fixup:
	mov	%rsi, %rcx
	xor	%eax, %eax
3:	rep stosb
4:	mov	%rcx, %rax
	ret

	.section .ex_table, "a"
	.quad 1b, 2b
	.quad 3b, 4b
