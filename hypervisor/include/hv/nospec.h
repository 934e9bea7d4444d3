/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Speculation barrier for guest-controlled array indexes: after a bounds
 * check, array_index_nospec() yields the index, or 0 when it is out of
 * range even on a mispredicted path (cmp/sbb build the mask without a
 * branch).
 */
#ifndef HV_NOSPEC_H
#define HV_NOSPEC_H

static inline unsigned long array_index_mask_nospec(unsigned long index,
						    unsigned long size)
{
	unsigned long mask;

	asm volatile("cmp %2, %1; sbb %0, %0"
		     : "=r"(mask)
		     : "r"(index), "r"(size)
		     : "cc");
	return mask;
}

#define array_index_nospec(index, size)                                        \
	((index)&array_index_mask_nospec((index), (size)))

#endif
