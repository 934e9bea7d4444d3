/* SPDX-License-Identifier: MIT */
/*
 * The freestanding driver environment (xenv-free.c), for a PV kernel of
 * our own: grants in the kernel's own grant table, mappings and event
 * channels through hypercalls. The kernel supplies what only it knows.
 */
#ifndef XENV_FREE_H
#define XENV_FREE_H

#include "xenv.h"

struct xenv_free_hooks {
	/* The hypercall instruction: hypercall @nr with three arguments. */
	long (*hypercall3)(unsigned int nr, uint64_t a1, uint64_t a2,
			   uint64_t a3);
	/* @n contiguous zeroed pages mapped writable by present L1 entries. */
	void *(*pages_alloc)(unsigned int n);
	void (*pages_free)(void *va, unsigned int n);
	uint64_t (*virt_to_mfn)(const void *va);
	/* Drops this CPU's TLB entry for @va (MMUEXT_INVLPG_LOCAL). */
	void (*flush_va)(uintptr_t va);
	/* shared_info's evtchn_pending bitmap (64 words). */
	volatile uint64_t *evtchn_pending;
	/* System time in ns (pvclock), for SCHEDOP_poll's deadline. */
	uint64_t (*now_ns)(void);
};

/*
 * The environment (one per kernel) of domain @self: sets up one grant
 * frame. NULL if the grant table cannot be set up.
 */
struct xenv *xenv_free_open(const struct xenv_free_hooks *h,
			    xenv_domid_t self);

#endif
