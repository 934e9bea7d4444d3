/* SPDX-License-Identifier: MIT */
/*
 * ELF note types read by the domain builder from a PV kernel's PT_NOTE
 * segments (owner name "Xen"). Numeric notes are 4 or 8 bytes; string notes
 * are NUL-terminated.
 */
#ifndef HVABI_ELFNOTE_H
#define HVABI_ELFNOTE_H

#define ELFNOTE_OWNER "Xen"

#define ELFNOTE_INFO 0			/* unused */
#define ELFNOTE_ENTRY 1			/* initial RIP (vaddr) */
#define ELFNOTE_HYPERCALL_PAGE 2	/* vaddr of a page the builder fills */
#define ELFNOTE_VIRT_BASE 3		/* vaddr pfn 0 maps to */
#define ELFNOTE_PADDR_OFFSET 4		/* p_paddr + VIRT_BASE - this = vaddr */
#define ELFNOTE_XEN_VERSION 5		/* string, informational */
#define ELFNOTE_GUEST_OS 6		/* string, informational */
#define ELFNOTE_GUEST_VERSION 7		/* string, informational */
#define ELFNOTE_LOADER 8		/* string, must be "generic" */
#define ELFNOTE_PAE_MODE 9		/* string, meaningless on x86_64 */
#define ELFNOTE_FEATURES 10		/* string: "a|!b|..." ('!' = required) */
#define ELFNOTE_BSD_SYMTAB 11		/* string "yes": load symbols */
#define ELFNOTE_HV_START_LOW 12		/* where the guest expects the hole */
#define ELFNOTE_L1_MFN_VALID 13		/* mask, value (save/restore only) */
#define ELFNOTE_SUSPEND_CANCEL 14	/* 1: copes with cancelled suspend */
#define ELFNOTE_INIT_P2M 15		/* vaddr for the initial p2m list */
#define ELFNOTE_MOD_START_PFN 16	/* 1: initrd may be passed by pfn */
#define ELFNOTE_SUPPORTED_FEATURES 17	/* bitmap of features it supports */
#define ELFNOTE_PHYS32_ENTRY 18		/* PVH entry point, ignored for PV */
#define ELFNOTE_MAX ELFNOTE_PHYS32_ENTRY

#endif
