/* SPDX-License-Identifier: MIT */
/*
 * The split drivers' freestanding environment (frontend/env/xenv-free.c)
 * as a test kernel sets it up: its hooks over the kernel library (pages
 * from a fixed region, frame numbers, TLB flush, pvclock).
 */
#ifndef KENV_H
#define KENV_H

#include "../../../frontend/env/xenv-free.h"

/* Pages the region holds: ring, bookkeeping, bounce and data pages. */
#define KENV_PAGES 512

/* The environment of this kernel (domain 0), its events polled rather
 * than delivered; NULL if it cannot be set up. */
struct xenv *kenv_open(void);

#endif
