/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types for the hypervisor. Only compiler-provided freestanding
 * headers, so that pure-logic files also build on the host for unit tests.
 * Frame numbers are one-member structs so that machine, guest and
 * pseudo-physical numbers never mix silently.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;	/* machine (host-physical) address */
typedef uint64_t vaddr_t;	/* virtual address, hypervisor or guest */

#define TYPESAFE(name, base)                                                  \
	typedef struct {                                                      \
		base v;                                                       \
	} name##_t;                                                           \
	static inline name##_t _##name(base x)                               \
	{                                                                     \
		return (name##_t){ x };                                       \
	}                                                                     \
	static inline base name##_x(name##_t x)                              \
	{                                                                     \
		return x.v;                                                   \
	}

TYPESAFE(mfn, uint64_t)	/* machine frame number */
TYPESAFE(gfn, uint64_t)	/* guest (pseudo-physical) frame number */

#define INVALID_MFN _mfn(~0ULL)

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define __must_check __attribute__((warn_unused_result))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

#endif
