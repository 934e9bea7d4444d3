/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's virtual address space. It lives entirely in L4 slots
 * 256..271, the hole every PV guest leaves for it:
 *
 *   slot 256  0xffff800000000000  read-only M2P, mapped for guests (U, RO)
 *   slot 261  0xffff828000000000  the hypervisor image: VA = base + PA
 *   slot 262+ 0xffff830000000000  direct map of all RAM (RW, NX)
 *
 * The image is linked at HV_IMAGE_BASE + its physical load address, so the
 * 32-bit boot code turns a symbol into a physical address by subtracting
 * HV_IMAGE_BASE.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define HV_LOAD_PHYS 0x200000
#define HV_IMAGE_BASE 0xffff828000000000
#define HV_IMAGE_SLOT 261
#define DIRECTMAP_BASE 0xffff830000000000
#define DIRECTMAP_SLOT 262
#define DIRECTMAP_SIZE (512ULL << 30)	/* one slot: 512 GiB of RAM */
#define RO_MPT_BASE 0xffff800000000000
#define RO_MPT_SLOT 256

#define STACK_SIZE (4096 << CONFIG_STACK_ORDER)

/* Hypervisor GDT selectors (entries FIRST_RESERVED_GDT_ENTRY + n). */
#define HV_CS 0xe008
#define HV_DS 0xe010
/* The ABI's flat guest selectors (hvabi/xen.h), for assembly. */
#define GUEST_CS32 0xe023
#define GUEST_DS32 0xe02b
#define GUEST_CS64 0xe033
#define HV_TSS_SEL 0xe040
#define HV_LDT_SEL 0xe050

/* Vectors the hypervisor owns. */
#define SPURIOUS_VECTOR 0xff
#define TIMER_VECTOR 0xf0
#define IPI_CALL_VECTOR 0xf1	/* smpboot.c: run the posted request */
#define INT80_VECTOR 0x80	/* DPL 3 gate: guests' int $0x80 */

/* isa-debug-exit: QEMU exits with (value << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SHUTDOWN_BASE 0x20	/* + SHUTDOWN_* reason */
#define DEBUG_EXIT_PANIC 0x7f

#endif
