/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame allocator's free map (common/mm/frame-bitmap.c): one bit per
 * machine frame, set = free, with the free count and the scans that find
 * free frames. Pure logic: it never touches the frames themselves (zeroing
 * and the frame table stay in page-alloc.c), so it also builds on the host.
 */
#ifndef HV_FRAME_BITMAP_H
#define HV_FRAME_BITMAP_H

#include <hv/types.h>

#define FRAME_NONE (~0ULL)

struct frame_bitmap {
	uint64_t *bits;	  /* nr_bits / 64 words, set = free */
	uint64_t nr_bits; /* frames the map can hold, a multiple of 64 */
	uint64_t end;	  /* one past the highest RAM frame added */
	uint64_t nr_free; /* set bits */
	uint64_t hint;	  /* where frame_bitmap_find_one() starts */
};

/* True if frame @f is free; frames beyond the map are never free. */
bool frame_bitmap_is_free(const struct frame_bitmap *fb, uint64_t f);

/*
 * Marks frames [@first, @end) free or taken, keeping nr_free exact when
 * some already are; the part beyond the map is ignored.
 */
void frame_bitmap_mark(struct frame_bitmap *fb, uint64_t first, uint64_t end,
		       bool free);

/*
 * Frees the whole frames inside the RAM byte range [@base, @base + @len)
 * and raises fb->end to cover them (at most nr_bits). A range that wraps
 * around the address space is cut at its top.
 */
void frame_bitmap_add_ram(struct frame_bitmap *fb, uint64_t base, uint64_t len);

/*
 * The next free frame at or after fb->hint below fb->end, wrapping once;
 * moves the hint past it. Does not take it. FRAME_NONE if none is free.
 */
uint64_t frame_bitmap_find_one(struct frame_bitmap *fb);

/*
 * The lowest frame starting @nr free frames, itself a multiple of @align,
 * with the whole run below @limit (0 = fb->end; never past fb->end). Does
 * not take them. FRAME_NONE if there is none, or @nr or @align is 0.
 */
uint64_t frame_bitmap_find_run(const struct frame_bitmap *fb, uint64_t nr,
			       uint64_t align, uint64_t limit);

#endif
