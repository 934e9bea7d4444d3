/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 PV state of a domain and of a vCPU: the guest kernel's registered
 * entry points, its page-table bases, the virtual control and debug
 * registers, and whether it is in kernel or user mode (both run in ring 3;
 * the hypervisor tracks the difference).
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <hv/types.h>
#include <hvabi/xen.h>
#include <asm/regs.h>

struct pv_callback {
	uint64_t address;	/* 0 = not registered */
	bool mask_events;	/* set evtchn_upcall_mask on entry */
};

struct arch_vcpu {
	/* Saved by the context switch while the vCPU is not running: */
	uint8_t fpu_ctxt[512] __aligned(16);	/* fxsave image */
	struct cpu_regs user_regs;		/* its guest frame */
	uint16_t sel_ds, sel_es, sel_fs, sel_gs;	/* data selectors */
	/* Owned by the vcpu (changed only by its own hypercalls): */
	struct trap_info trap_ctxt[256];
	struct pv_callback event_cb, failsafe_cb, syscall_cb, syscall32_cb;
	uint64_t kernel_ss, kernel_sp;	/* stack_switch */
	mfn_t guest_table;		/* kernel L4 */
	mfn_t guest_table_user;		/* user L4, INVALID_MFN = none */
	bool kernel_mode;		/* guest kernel (vs user) mode */
	bool fpu_ts;			/* virtual CR0.TS */
	unsigned int iopl;		/* virtual IOPL, physdev_op set_iopl */
	uint64_t iobmp;			/* guest VA of the I/O bitmap, */
	unsigned int iobmp_limit;	/* covering ports below this */
	uint64_t cr4;			/* virtual CR4 */
	uint64_t debugreg[8];
	mfn_t gdt_frames[FIRST_RESERVED_GDT_PAGE];	/* set_gdt */
	unsigned int nr_gdt_frames, gdt_ents;
	mfn_t ldt_frames[16];				/* MMUEXT_SET_LDT */
	unsigned int nr_ldt_frames, ldt_ents;
	mfn_t *prevalid;				/* pv/prevalidate.c */
	unsigned int nr_prevalid;
	uint64_t fs_base, gs_base_kernel, gs_base_user;	/* when switched out */
};

struct arch_domain {
	uint64_t vm_assist;		/* VMASST_TYPE_* bits */
};

#endif
