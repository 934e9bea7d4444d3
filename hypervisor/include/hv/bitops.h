/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Atomic bit operations on 64-bit words, usable on guest-shared memory
 * (the event bitmaps): each is one locked instruction, so it is also a
 * full barrier on x86. Bit @nr counts from the start of @addr.
 */
#ifndef HV_BITOPS_H
#define HV_BITOPS_H

#include <hv/types.h>

static inline bool test_and_set_bit(unsigned int nr, volatile void *addr)
{
	bool old;

	asm volatile("lock btsq %2, %1"
		     : "=@ccc"(old), "+m"(*(volatile uint64_t *)addr)
		     : "r"((uint64_t)nr)
		     : "memory");
	return old;
}

static inline bool test_and_clear_bit(unsigned int nr, volatile void *addr)
{
	bool old;

	asm volatile("lock btrq %2, %1"
		     : "=@ccc"(old), "+m"(*(volatile uint64_t *)addr)
		     : "r"((uint64_t)nr)
		     : "memory");
	return old;
}

static inline bool test_bit(unsigned int nr, const volatile void *addr)
{
	const volatile uint64_t *w = (const volatile uint64_t *)addr + nr / 64;

	return (*w >> (nr % 64)) & 1;
}

static inline void write_u64_atomic(volatile uint64_t *p, uint64_t v)
{
	*p = v; /* aligned 64-bit stores are atomic on x86_64 */
}

#endif
