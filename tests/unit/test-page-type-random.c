// SPDX-License-Identifier: GPL-2.0
/*
 * Random sequences against page-type.c (built unchanged on the fake
 * machine): allocations, releases, pins and unpins at every level, entry
 * updates (plain, PRESERVE_AD, cmpxchg with right and stale values) with
 * good and hostile entries, raw guest writes to frames that are not live
 * tables, and the CPU setting A/D bits. The model is checked after every
 * step; at the end, with every test reference dropped, every frame must
 * be back with the allocator. Fixed seeds, so a failure repeats.
 */
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "fake-machine.h"

#define STEPS 20000
#define MAX_LIVE 48

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int pick(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static bool chance(unsigned int percent)
{
	return pick(100) < percent;
}

struct stats {
	unsigned int pins, deep_pins, mods, cmpxchg_ok, eagain, refused;
};

static struct domain *dom;
static struct stats st;

/* Mostly the domain's own frames; sometimes anything at all. */
static mfn_t any_frame(void)
{
	static const uint64_t odd[] = {FM_IO_MFN,  FM_M2P_MFN,	 FM_XEN_MFN,
				       FM_DEV_MFN, FM_LAPIC_MFN, 125};
	unsigned int start = pick(FM_GUEST_FRAMES);

	if (chance(5))
		return _mfn(odd[pick(ARRAY_LEN(odd))]);
	if (chance(5))
		return _mfn(start);
	for (unsigned int n = 0; n < FM_GUEST_FRAMES; n++) {
		unsigned int f = (start + n) % FM_GUEST_FRAMES;

		if (fm_page(_mfn(f))->owner == dom->domid)
			return _mfn(f);
	}
	return _mfn(start);
}

static pgentry_t random_entry(void)
{
	static const uint64_t rare[] = {_PAGE_PSE,  _PAGE_PCD,
					_PAGE_PWT,  _PAGE_GLOBAL,
					1ULL << 57, PTE_GUEST_KERNEL};
	pgentry_t e = fm_pte(any_frame(), 0);

	if (chance(80))
		e |= PTE_P;
	if (chance(25))
		e |= PTE_RW;
	if (chance(50))
		e |= PTE_U;
	if (chance(30))
		e |= PTE_AD;
	if (chance(20))
		e |= _PAGE_NX;
	if (chance(4))
		e |= rare[pick(ARRAY_LEN(rare))];
	return e;
}

/* A live page table of the domain: its level, or 0 if none found. */
static unsigned int live_table(mfn_t *out)
{
	unsigned int start = pick(FM_GUEST_FRAMES);

	for (unsigned int n = 0; n < FM_GUEST_FRAMES; n++) {
		unsigned int f = (start + n) % FM_GUEST_FRAMES;
		const struct page_info *pg = fm_page(_mfn(f));

		if (pg->owner == dom->domid && pg->type_count &&
		    is_pt_type(pg->type)) {
			*out = _mfn(f);
			return pt_level(pg->type);
		}
	}
	return 0;
}

static unsigned int random_slot(unsigned int level)
{
	static const unsigned int hot[] = {0, 1, 2, 3, 255, 272, 511};
	unsigned int s;

	do
		s = chance(70) ? hot[pick(ARRAY_LEN(hot))] : pick(512);
	while (level == 4 && !is_guest_l4_slot(s));
	return s;
}

static void do_mod(bool use_cmpxchg)
{
	pgentry_t *pe, before, new = random_entry();
	unsigned int level;
	mfn_t t;
	int rc;

	level = live_table(&t);
	if (!level)
		return;
	pe = &fm_table(t)[random_slot(level)];
	before = *pe;
	if (use_cmpxchg) {
		pgentry_t old = chance(75) ? before : random_entry();

		rc = mod_entry_cmpxchg(pe, old, new, level, dom);
		st.cmpxchg_ok += rc == 0;
		st.eagain += rc == -HV_EAGAIN;
		CU_ASSERT(rc != -HV_EAGAIN || old != before);
	} else {
		rc = mod_entry(pe, new, level, dom, chance(50));
	}
	if (rc) {
		st.refused++;
		CU_ASSERT_EQUAL(*pe, before);
		return;
	}
	st.mods++;
	CU_ASSERT_EQUAL(*pe & (PADDR_MASK | PTE_P | PTE_RW),
			new &(PADDR_MASK | PTE_P | PTE_RW));
}

static void do_pin(void)
{
	static const unsigned int types[] = {
	    PGT_l1, PGT_l2, PGT_l3, PGT_l4, PGT_l4, PGT_writable, PGT_seg_desc};
	unsigned int type = types[pick(ARRAY_LEN(types))];
	mfn_t m = any_frame();

	if (mfn_x(m) >= FM_GUEST_FRAMES || fm_get_type(m, dom, type))
		return;
	st.pins++;
	if (is_pt_type(type) && type > PGT_l1)
		st.deep_pins++;
}

static void do_unpin(void)
{
	unsigned int start = pick(FM_GUEST_FRAMES);

	for (unsigned int n = 0; n < FM_GUEST_FRAMES; n++) {
		mfn_t m = _mfn((start + n) % FM_GUEST_FRAMES);

		for (unsigned int ty = PGT_writable; ty <= PGT_seg_desc; ty++) {
			if (fm_held_type(m, ty)) {
				fm_put_type(m, ty);
				return;
			}
		}
	}
}

static void do_alloc_or_release(void)
{
	mfn_t m = _mfn(pick(FM_GUEST_FRAMES));

	if (fm_allocated(m)) {
		fm_release(m);
		return;
	}
	if (dom->tot_pages < MAX_LIVE)
		(void)fm_alloc(dom);
}

static void do_general_ref(void)
{
	mfn_t m = _mfn(pick(FM_GUEST_FRAMES));

	if (fm_held(m) > fm_held_type(m, PGT_writable) +
			     fm_held_type(m, PGT_l1) + fm_held_type(m, PGT_l2) +
			     fm_held_type(m, PGT_l3) + fm_held_type(m, PGT_l4) +
			     fm_held_type(m, PGT_seg_desc))
		fm_put(m); /* one not paired with a type reference */
	else
		(void)fm_get(m, dom);
}

/* The guest writes a frame it may write: not a live table. */
static void do_guest_write(void)
{
	mfn_t m = _mfn(pick(FM_GUEST_FRAMES));
	const struct page_info *pg = fm_page(m);

	if (pg->owner != dom->domid ||
	    (pg->type_count && pg->type != PGT_writable))
		return;
	fm_table(m)[random_slot(1)] = chance(40) ? 0 : random_entry();
}

/* The CPU sets accessed/dirty in a live L1: no reference changes. */
static void do_cpu_ad(void)
{
	mfn_t t;
	pgentry_t *pe;

	if (live_table(&t) != 1)
		return;
	pe = &fm_table(t)[random_slot(1)];
	if (*pe & PTE_P)
		*pe |= PTE_AD;
}

static void step(void)
{
	switch (pick(10)) {
	case 0:
		do_alloc_or_release();
		break;
	case 1:
		do_pin();
		break;
	case 2:
		do_unpin();
		break;
	case 3:
	case 4:
		do_mod(false);
		break;
	case 5:
		do_mod(true);
		break;
	case 6:
	case 7:
		do_guest_write();
		break;
	case 8:
		do_general_ref();
		break;
	default:
		do_cpu_ad();
		break;
	}
}

static void drop_everything(void)
{
	for (unsigned int f = 0; f < FM_GUEST_FRAMES; f++) {
		mfn_t m = _mfn(f);

		for (unsigned int ty = PGT_writable; ty <= PGT_seg_desc; ty++)
			while (fm_held_type(m, ty))
				fm_put_type(m, ty);
		while (fm_held(m))
			fm_put(m);
		if (fm_allocated(m))
			fm_release(m);
	}
}

static void run(struct domain *d, uint64_t seed)
{
	unsigned int i;

	fm_reset();
	dom = d;
	fm_set_current(d);
	rng = seed;
	st = (struct stats){0};
	for (i = 0; i < STEPS; i++) {
		step();
		if (!fm_check())
			break;
	}
	if (i < STEPS)
		fprintf(stderr, "\n  seed %#llx: model broke at step %u",
			(unsigned long long)seed, i);
	CU_ASSERT_EQUAL(i, STEPS);
	drop_everything();
	CU_ASSERT_TRUE(fm_check());
	CU_ASSERT_EQUAL(d->tot_pages, 0);
	for (unsigned int f = 0; f < FM_GUEST_FRAMES; f++)
		CU_ASSERT_EQUAL(fm_page(_mfn(f))->owner, OWNER_NONE);
	if (getenv("FM_VERBOSE"))
		fprintf(stderr,
			"\n  seed %#llx: %u pins (%u L2-L4), %u mods, "
			"%u cmpxchg, %u -EAGAIN, %u refused, %u frees",
			(unsigned long long)seed, st.pins, st.deep_pins,
			st.mods, st.cmpxchg_ok, st.eagain, st.refused,
			fm_calls.free_page);
	/* The sequence did reach the interesting states. */
	CU_ASSERT(st.deep_pins > 100);
	CU_ASSERT(st.mods > 300);
	CU_ASSERT(st.cmpxchg_ok > 50 && st.eagain > 30);
	CU_ASSERT(st.refused > 300);
	CU_ASSERT(fm_calls.free_page > 200);
}

static void test_random_domu(void)
{
	run(&fm_domu, 0x9e3779b97f4a7c15ULL);
}

static void test_random_dom0(void)
{
	run(&fm_dom0, 0xd1b54a32d192ed03ULL);
}

static void test_random_more(void)
{
	run(&fm_domu, 0x2545f4914f6cdd1dULL);
	run(&fm_domu2, 0x853c49e6748fea9bULL);
}

static const struct unit_test tests[] = {
    {"random sequence, domU", test_random_domu},
    {"random sequence, dom0 (device memory)", test_random_dom0},
    {"random sequences, other seeds", test_random_more},
};

bool suite_page_type_random(void)
{
	return UNIT_SUITE("page-type-random", tests);
}
