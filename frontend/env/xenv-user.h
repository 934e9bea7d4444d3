/* SPDX-License-Identifier: MIT */
/*
 * What both user-space environments (xenv-host.c, xenv-linux.c) do
 * alike: bookkeeping memory from the heap, yield through the scheduler.
 */
#ifndef XENV_USER_H
#define XENV_USER_H

#include <sched.h>
#include <stdlib.h>
#include "xenv.h"

static inline void *xenv_user_mem_alloc(struct xenv *e, size_t size)
{
	(void)e;
	return calloc(1, size);
}

static inline void xenv_user_mem_release(struct xenv *e, void *p,
					 size_t size)
{
	(void)e;
	(void)size;
	free(p);
}

static inline void xenv_user_yield(struct xenv *e)
{
	(void)e;
	sched_yield();
}

#endif
