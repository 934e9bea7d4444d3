// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator's free map: RAM ranges rounded inward and clamped,
 * exact free counts, the single-frame scan from the hint with wrap-around,
 * first-fit runs with alignment and limit, bad sizes refused, and a
 * randomised comparison against a plain array. Builds
 * hypervisor/common/mm/frame-bitmap.c; the map is heap-allocated so the
 * sanitizer catches any access past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <hv/frame-bitmap.h>
#include "harness.h"

static struct frame_bitmap fb;

static void fb_new(uint64_t nr_bits)
{
	free(fb.bits);
	fb = (struct frame_bitmap){.nr_bits = nr_bits};
	fb.bits = calloc(nr_bits / 64, sizeof(uint64_t));
	CU_ASSERT_FATAL(fb.bits != NULL);
}

/* A map of @nr_bits frames, all RAM and free. */
static void fb_all_free(uint64_t nr_bits)
{
	fb_new(nr_bits);
	frame_bitmap_add_ram(&fb, 0, nr_bits * PAGE_SIZE);
}

static uint64_t count_free(void)
{
	uint64_t n = 0;

	for (uint64_t f = 0; f < fb.nr_bits; f++)
		n += frame_bitmap_is_free(&fb, f);
	return n;
}

static void test_add_ram(void)
{
	fb_new(256);
	/* Only whole frames inside the range: 0x2000-0x3fff. */
	frame_bitmap_add_ram(&fb, 0x1800, 0x3000);
	CU_ASSERT(!frame_bitmap_is_free(&fb, 1));
	CU_ASSERT(frame_bitmap_is_free(&fb, 2));
	CU_ASSERT(frame_bitmap_is_free(&fb, 3));
	CU_ASSERT(!frame_bitmap_is_free(&fb, 4));
	CU_ASSERT_EQUAL(fb.nr_free, 2);
	CU_ASSERT_EQUAL(fb.end, 4);
	/* Less than a frame, and empty: nothing. */
	frame_bitmap_add_ram(&fb, 0x10000, 0xfff);
	frame_bitmap_add_ram(&fb, 0x20800, 0x1000);
	frame_bitmap_add_ram(&fb, 0x30000, 0);
	CU_ASSERT_EQUAL(fb.nr_free, 2);
	CU_ASSERT_EQUAL(fb.end, 4);
	/* Reported twice (overlapping entries) counts once. */
	frame_bitmap_add_ram(&fb, 0x2000, 0x2000);
	CU_ASSERT_EQUAL(fb.nr_free, 2);
	/* A lower range does not lower the end. */
	frame_bitmap_add_ram(&fb, 0x40000, 0x1000);
	frame_bitmap_add_ram(&fb, 0x0, 0x1000);
	CU_ASSERT_EQUAL(fb.end, 0x41);
	CU_ASSERT_EQUAL(fb.nr_free, 4);
	CU_ASSERT_EQUAL(count_free(), fb.nr_free);
}

static void test_add_ram_clamped(void)
{
	fb_new(128);
	frame_bitmap_add_ram(&fb, 100 * PAGE_SIZE, 1000 * PAGE_SIZE);
	CU_ASSERT_EQUAL(fb.nr_free, 28);
	CU_ASSERT_EQUAL(fb.end, 128);
	CU_ASSERT(!frame_bitmap_is_free(&fb, 128));
	CU_ASSERT(!frame_bitmap_is_free(&fb, UINT64_MAX));
	/* Wholly above the map, and wrapping around 2^64: no change. */
	frame_bitmap_add_ram(&fb, 1ULL << 40, 1ULL << 30);
	frame_bitmap_add_ram(&fb, UINT64_MAX - 0xfff, 0x10000);
	CU_ASSERT_EQUAL(fb.nr_free, 28);
	/* Length up to the top of the address space: cut, not wrapped. */
	frame_bitmap_add_ram(&fb, PAGE_SIZE, UINT64_MAX);
	CU_ASSERT_EQUAL(fb.nr_free, 127);
	CU_ASSERT(!frame_bitmap_is_free(&fb, 0));
	CU_ASSERT_EQUAL(count_free(), fb.nr_free);
}

static void test_mark(void)
{
	fb_new(128);
	frame_bitmap_mark(&fb, 10, 20, true);
	CU_ASSERT_EQUAL(fb.nr_free, 10);
	frame_bitmap_mark(&fb, 15, 25, true);
	CU_ASSERT_EQUAL(fb.nr_free, 15);
	frame_bitmap_mark(&fb, 0, 12, false);
	CU_ASSERT_EQUAL(fb.nr_free, 13);
	frame_bitmap_mark(&fb, 0, 12, false);
	CU_ASSERT_EQUAL(fb.nr_free, 13);
	/* Empty and inverted ranges do nothing; beyond the map is ignored. */
	frame_bitmap_mark(&fb, 30, 30, true);
	frame_bitmap_mark(&fb, 40, 30, true);
	frame_bitmap_mark(&fb, 120, UINT64_MAX, true);
	CU_ASSERT_EQUAL(fb.nr_free, 21);
	CU_ASSERT(frame_bitmap_is_free(&fb, 127));
	CU_ASSERT(!frame_bitmap_is_free(&fb, 119));
	CU_ASSERT(!frame_bitmap_is_free(&fb, 11));
	CU_ASSERT(frame_bitmap_is_free(&fb, 12));
	CU_ASSERT_EQUAL(count_free(), fb.nr_free);
}

static void test_find_one(void)
{
	uint64_t f, n = 0, start;

	fb_all_free(256);
	frame_bitmap_mark(&fb, 0, 16, false);
	fb.hint = 16;
	CU_ASSERT_EQUAL(frame_bitmap_find_one(&fb), 16);
	CU_ASSERT_EQUAL(fb.hint, 17);
	/* Not taken by the scan: the caller takes it. */
	CU_ASSERT_EQUAL(fb.nr_free, 240);
	/* Wraps past the end to the first free frame. */
	frame_bitmap_mark(&fb, 250, 256, false);
	fb.hint = 250;
	CU_ASSERT_EQUAL(frame_bitmap_find_one(&fb), 16);
	/* Takes every free frame exactly once, then reports none. */
	start = fb.nr_free;
	while ((f = frame_bitmap_find_one(&fb)) != FRAME_NONE) {
		CU_ASSERT_FATAL(frame_bitmap_is_free(&fb, f));
		CU_ASSERT(fb.hint < fb.end);
		frame_bitmap_mark(&fb, f, f + 1, false);
		n++;
	}
	CU_ASSERT_EQUAL(n, start);
	CU_ASSERT_EQUAL(fb.nr_free, 0);
	CU_ASSERT_EQUAL(frame_bitmap_find_one(&fb), FRAME_NONE);
	/* One full lap: a lone free frame just behind the hint is found. */
	frame_bitmap_mark(&fb, 5, 6, true);
	fb.hint = 6;
	CU_ASSERT_EQUAL(frame_bitmap_find_one(&fb), 5);
	CU_ASSERT_EQUAL(fb.hint, 6);
}

static void test_find_one_hint_past_end(void)
{
	fb_new(256);
	frame_bitmap_add_ram(&fb, 0, 64 * PAGE_SIZE);
	frame_bitmap_mark(&fb, 0, 40, false);
	fb.hint = 200; /* beyond the RAM end: wraps, never returns >= end */
	CU_ASSERT_EQUAL(frame_bitmap_find_one(&fb), 40);
	fb_new(256); /* no RAM at all */
	CU_ASSERT_EQUAL(frame_bitmap_find_one(&fb), FRAME_NONE);
}

static void test_find_run(void)
{
	fb_all_free(64);
	frame_bitmap_mark(&fb, 3, 4, false);
	frame_bitmap_mark(&fb, 9, 11, false);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 1, 1, 0), 0);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 3, 1, 0), 0);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 1, 0), 4);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 6, 1, 0), 11);
	/* Aligned: start on a multiple of align. */
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 2, 2, 0), 0);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 4, 0), 4);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 5, 4, 0), 4);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 8, 8, 0), 16);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 2, 3, 0), 0);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 3, 3, 0), 0);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 3, 0), 3 * 4);
	/* The scan only looks; nothing is taken. */
	CU_ASSERT_EQUAL(fb.nr_free, 61);
}

static void test_find_run_limit(void)
{
	fb_all_free(64);
	frame_bitmap_mark(&fb, 3, 4, false);
	frame_bitmap_mark(&fb, 6, 7, false);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 4, 8), FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 4, 11), FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 4, 12), 8);
	/* A limit past the RAM end is the RAM end. */
	frame_bitmap_mark(&fb, 0, 60, false);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 1, 1000), 60);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 4, 0), 60);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 5, 1, 0), FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 1, 1, 60), FRAME_NONE);
}

static void test_find_run_bad_sizes(void)
{
	fb_all_free(128);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 0, 1, 0), FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 1, 0, 0), FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 129, 1, 0), FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, UINT64_MAX, 1, 0),
			FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 128, 1, 0), 0);
	/* A huge alignment: only frame 0 qualifies; no wrap-around. */
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 1ULL << 63, 0), 0);
	frame_bitmap_mark(&fb, 1, 2, false);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, 1ULL << 63, 0),
			FRAME_NONE);
	CU_ASSERT_EQUAL(frame_bitmap_find_run(&fb, 4, UINT64_MAX, 0),
			FRAME_NONE);
}

/* Deterministic generator (xorshift64) so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(uint64_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % bound;
}

#define MODEL_FRAMES 512

static uint64_t model_find_run(const bool *m, uint64_t nr, uint64_t align,
			       uint64_t end)
{
	for (uint64_t f = 0; f + nr <= end; f += align) {
		uint64_t i = 0;

		while (i < nr && m[f + i])
			i++;
		if (i == nr)
			return f;
	}
	return FRAME_NONE;
}

static void test_against_model(void)
{
	static bool model[MODEL_FRAMES];
	uint64_t model_free = MODEL_FRAMES, mismatches = 0;

	fb_all_free(MODEL_FRAMES);
	for (unsigned int i = 0; i < MODEL_FRAMES; i++)
		model[i] = true;
	for (unsigned int round = 0; round < 3000; round++) {
		uint64_t first = rng(MODEL_FRAMES), len = 1 + rng(24);
		bool mark_free = rng(3) == 0; /* mostly taking: runs get rare */
		uint64_t nr = 1 + rng(40), align = 1ULL << rng(6);
		uint64_t limit = rng(4) ? 0 : rng(MODEL_FRAMES + 64);
		uint64_t end =
		    limit && limit < MODEL_FRAMES ? limit : MODEL_FRAMES;

		frame_bitmap_mark(&fb, first, first + len, mark_free);
		for (uint64_t f = first; f < first + len && f < MODEL_FRAMES;
		     f++) {
			model_free += mark_free - model[f];
			model[f] = mark_free;
		}
		if (frame_bitmap_find_run(&fb, nr, align, limit) !=
		    model_find_run(model, nr, align, end))
			mismatches++;
		if (fb.nr_free != model_free)
			mismatches++;
		if (round % 256 == 255) { /* start over with everything free */
			frame_bitmap_mark(&fb, 0, MODEL_FRAMES, true);
			for (unsigned int i = 0; i < MODEL_FRAMES; i++)
				model[i] = true;
			model_free = MODEL_FRAMES;
		}
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	CU_ASSERT_EQUAL(count_free(), fb.nr_free);
}

static void test_cleanup(void)
{
	free(fb.bits);
	fb = (struct frame_bitmap){0};
}

bool suite_frame_bitmap(void)
{
	static const struct unit_test tests[] = {
	    {"RAM ranges rounded inward", test_add_ram},
	    {"RAM ranges clamped to the map", test_add_ram_clamped},
	    {"marking keeps the free count exact", test_mark},
	    {"single frames from the hint, wrapping", test_find_one},
	    {"hint past the RAM end", test_find_one_hint_past_end},
	    {"runs: first fit and alignment", test_find_run},
	    {"runs: limit and RAM end", test_find_run_limit},
	    {"runs: zero, huge and odd sizes", test_find_run_bad_sizes},
	    {"random marks against a plain array", test_against_model},
	    {"free the map", test_cleanup},
	};

	return UNIT_SUITE("frame-bitmap", tests);
}
