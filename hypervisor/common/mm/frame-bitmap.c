// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator's free map: bit operations and the scans for a free
 * frame or a free run. Knows nothing of what frames hold or who owns them
 * (page-alloc.c does); built unchanged into the host unit tests.
 *
 * Locking: the caller's (page-alloc.c).
 */
#include <hv/frame-bitmap.h>

bool frame_bitmap_is_free(const struct frame_bitmap *fb, uint64_t f)
{
	if (f >= fb->nr_bits)
		return false;
	return fb->bits[f / 64] & (1ULL << (f % 64));
}

void frame_bitmap_mark(struct frame_bitmap *fb, uint64_t first, uint64_t end,
		       bool free)
{
	for (uint64_t f = first; f < end && f < fb->nr_bits; f++) {
		if (frame_bitmap_is_free(fb, f) == free)
			continue;
		fb->bits[f / 64] ^= 1ULL << (f % 64);
		if (free)
			fb->nr_free++;
		else
			fb->nr_free--;
	}
}

void frame_bitmap_add_ram(struct frame_bitmap *fb, uint64_t base, uint64_t len)
{
	uint64_t top = len > UINT64_MAX - base ? UINT64_MAX : base + len;
	uint64_t first = base / PAGE_SIZE + (base % PAGE_SIZE != 0);
	uint64_t end = top / PAGE_SIZE;

	if (end <= first)
		return;
	frame_bitmap_mark(fb, first, end, true);
	end = MIN(end, fb->nr_bits);
	if (end > fb->end)
		fb->end = end;
}

uint64_t frame_bitmap_find_one(struct frame_bitmap *fb)
{
	for (uint64_t n = 0; n < fb->end; n++) {
		uint64_t f = fb->hint++;

		if (fb->hint >= fb->end)
			fb->hint = 0;
		if (frame_bitmap_is_free(fb, f))
			return f;
	}
	return FRAME_NONE;
}

/* @x rounded up to a multiple of @align, or FRAME_NONE on overflow. */
static uint64_t round_up(uint64_t x, uint64_t align)
{
	uint64_t rem = x % align;

	if (!rem)
		return x;
	return align - rem > UINT64_MAX - x ? FRAME_NONE : x + (align - rem);
}

uint64_t frame_bitmap_find_run(const struct frame_bitmap *fb, uint64_t nr,
			       uint64_t align, uint64_t limit)
{
	uint64_t end = limit && limit < fb->end ? limit : fb->end;
	uint64_t f = 0;

	if (!nr || !align || nr > end)
		return FRAME_NONE;
	while (f <= end - nr) {
		uint64_t i = 0;

		while (i < nr && frame_bitmap_is_free(fb, f + i))
			i++;
		if (i == nr)
			return f;
		/* No run can start at or before the taken frame f + i. */
		f = round_up(f + i + 1, align);
	}
	return FRAME_NONE;
}
