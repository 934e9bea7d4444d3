/* SPDX-License-Identifier: GPL-2.0 */
/* Invariant checks (style.md rule 21). No guest-controlled value may reach these. */
#ifndef HV_BUG_H
#define HV_BUG_H

#include <hv/console.h>

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c)                                                             \
	do {                                                                  \
		if (unlikely(c))                                              \
			panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); \
	} while (0)
#define ASSERT(c)                                                             \
	do {                                                                  \
		if (IS_ENABLED(CONFIG_DEBUG) && unlikely(!(c)))               \
			panic("ASSERT(%s) failed at %s:%d", #c, __FILE__,     \
			      __LINE__);                                      \
	} while (0)

#endif
