// SPDX-License-Identifier: GPL-2.0
/*
 * Entry updates in page-type.c (built unchanged on the fake machine):
 * mod_entry moves references from the old entry to the new one, takes the
 * fast path (no references) when only flags change, merges A/D bits for
 * PRESERVE_AD, and leaves everything as it was on a refusal;
 * mod_entry_cmpxchg does the same only while the entry still holds the
 * expected value, -EAGAIN (and nothing held) otherwise.
 */
#include "harness.h"
#include "fake-machine.h"

static mfn_t alloc_ok(struct domain *d)
{
	mfn_t m = fm_alloc(d);

	CU_ASSERT_FATAL(mfn_x(m) != mfn_x(INVALID_MFN));
	return m;
}

/* A pinned, empty table of @level for fm_domu. */
static mfn_t pinned(unsigned int level)
{
	mfn_t m = alloc_ok(&fm_domu);

	CU_ASSERT_FATAL(fm_get_type(m, &fm_domu, PGT_l1 + level - 1) == 0);
	return m;
}

static int mod(pgentry_t *pe, pgentry_t e, unsigned int level)
{
	return mod_entry(pe, e, level, &fm_domu, false);
}

static void test_l1_moves_refs(void)
{
	mfn_t l1, a, b, other;
	pgentry_t *t, keep;

	fm_reset();
	l1 = pinned(1);
	t = fm_table(l1);
	a = alloc_ok(&fm_domu);
	b = alloc_ok(&fm_domu);
	other = alloc_ok(&fm_domu2);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | PTE_RW), 1), 0);
	CU_ASSERT_EQUAL(t[0],
			fm_pte(a, PTE_P | PTE_RW | PTE_U | PTE_GUEST_KERNEL));
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 1);
	FM_CHECK();
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(b, PTE_P), 1), 0);
	CU_ASSERT_EQUAL(fm_page(a)->count, 1);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 0);
	FM_CHECK();
	/* Same frame, read-only to writable: a type reference is taken. */
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(b, PTE_P | PTE_RW), 1), 0);
	CU_ASSERT_EQUAL(fm_page(b)->type_count, 1);
	CU_ASSERT_EQUAL(fm_page(b)->count, 2);
	FM_CHECK();
	/* Refusals change nothing. */
	keep = t[0];
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(other, PTE_P), 1), -HV_EBUSY);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(l1, PTE_P | PTE_RW), 1), -HV_EBUSY);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | 1ULL << 62), 1),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | _PAGE_PCD), 1),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(t[0], keep);
	FM_CHECK();
	/* Freed exactly when the last mapping goes. */
	fm_release(b);
	CU_ASSERT_EQUAL(fm_calls.free_page, 0);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(b, PTE_RW), 1), 0); /* not present */
	CU_ASSERT_EQUAL(fm_calls.free_page, 1);
	FM_CHECK();
	CU_ASSERT_EQUAL(mod(&t[1], 0, 1), 0);
	FM_CHECK();
}

static void test_fast_path(void)
{
	mfn_t l1, l2, a, c;
	pgentry_t *t, *u;

	fm_reset();
	l1 = pinned(1);
	l2 = pinned(2);
	t = fm_table(l1);
	u = fm_table(l2);
	a = alloc_ok(&fm_domu);
	c = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P), 1), 0);
	CU_ASSERT_EQUAL(mod(&u[0], fm_pte(c, PTE_P | PTE_RW), 2), 0);
	FM_CHECK();
	/*
	 * Saturated counts make any new reference fail: a flags-only change
	 * must not need one.
	 */
	fm_page(a)->count = UINT32_MAX;
	fm_page(c)->count = UINT32_MAX;
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | _PAGE_NX | PTE_AD), 1), 0);
	CU_ASSERT_EQUAL(t[0], fm_pte(a, PTE_P | _PAGE_NX | PTE_AD | PTE_U |
					    PTE_GUEST_KERNEL));
	CU_ASSERT_EQUAL(mod(&u[0], fm_pte(c, PTE_P | PTE_RW | _PAGE_NX), 2), 0);
	CU_ASSERT_EQUAL(u[0], fm_pte(c, PTE_P | PTE_RW | _PAGE_NX | PTE_U));
	/* ...while a change of access does. */
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | PTE_RW), 1), -HV_EBUSY);
	CU_ASSERT_EQUAL(mod(&u[0], fm_pte(c, PTE_P), 2), -HV_EINVAL);
	/* The fast path still refuses forbidden bits. */
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | 1ULL << 62), 1),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(mod(&u[0], fm_pte(c, PTE_P | PTE_RW | _PAGE_GLOBAL), 2),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(mod(&u[0], fm_pte(c, PTE_P | PTE_RW | _PAGE_PSE), 2),
			-HV_EINVAL);
	fm_page(a)->count = 2;
	fm_page(c)->count = 2;
	CU_ASSERT_EQUAL(fm_page(c)->type_count, 1);
	FM_CHECK();
}

static void test_upper_recursive(void)
{
	mfn_t l3, x, y, z, l2;
	pgentry_t *t;

	fm_reset();
	l3 = pinned(3);
	t = fm_table(l3);
	x = alloc_ok(&fm_domu);
	y = alloc_ok(&fm_domu);
	z = alloc_ok(&fm_domu);
	fm_table(x)[4] = fm_pte(y, PTE_P | PTE_RW);
	fm_table(y)[9] = fm_pte(z, PTE_P | PTE_RW);
	CU_ASSERT_EQUAL(mod(&t[2], fm_pte(x, PTE_P | PTE_RW), 3), 0);
	CU_ASSERT_EQUAL(fm_page(x)->type, PGT_l2);
	CU_ASSERT_EQUAL(fm_page(y)->type, PGT_l1);
	CU_ASSERT_EQUAL(fm_page(z)->type_count, 1);
	FM_CHECK();
	/* Wrong and same levels, and the table itself. */
	l2 = pinned(2);
	CU_ASSERT_EQUAL(mod(&t[3], fm_pte(y, PTE_P), 3), -HV_EINVAL);
	CU_ASSERT_EQUAL(mod(&t[3], fm_pte(l3, PTE_P), 3), -HV_EINVAL);
	CU_ASSERT_EQUAL(mod(&t[3], fm_pte(l2, PTE_P), 3), 0);
	CU_ASSERT_EQUAL(mod(&fm_table(l2)[0], fm_pte(l2, PTE_P), 2),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(t[3] & PTE_P, PTE_P);
	FM_CHECK();
	/* Unhooking the L2 releases the subtree, freeing what was given back.
	 */
	fm_release(x);
	fm_release(y);
	fm_release(z);
	CU_ASSERT_EQUAL(fm_calls.free_page, 0);
	CU_ASSERT_EQUAL(mod(&t[2], 0, 3), 0);
	CU_ASSERT_EQUAL(fm_calls.free_page, 3);
	FM_CHECK();
}

static void test_preserve_ad(void)
{
	mfn_t l1, a, b;
	pgentry_t *t;

	fm_reset();
	l1 = pinned(1);
	t = fm_table(l1);
	a = alloc_ok(&fm_domu);
	b = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | PTE_U), 1), 0);
	t[0] |= PTE_AD; /* the CPU walked and wrote through it */
	CU_ASSERT_EQUAL(mod_entry(&t[0], fm_pte(a, PTE_P | PTE_U | _PAGE_NX), 1,
				  &fm_domu, true),
			0);
	CU_ASSERT_EQUAL(t[0] & (PTE_AD | _PAGE_NX), PTE_AD | _PAGE_NX);
	CU_ASSERT_EQUAL(
	    mod_entry(&t[0], fm_pte(a, PTE_P | PTE_U), 1, &fm_domu, false), 0);
	CU_ASSERT_EQUAL(t[0] & (PTE_AD | _PAGE_NX), 0);
	/* As Xen: the bits are kept even when the frame changes. */
	t[0] |= _PAGE_DIRTY;
	CU_ASSERT_EQUAL(mod_entry(&t[0], fm_pte(b, PTE_P | PTE_RW | PTE_U), 1,
				  &fm_domu, true),
			0);
	CU_ASSERT_EQUAL(mfn_x(pte_mfn(t[0])), mfn_x(b));
	CU_ASSERT_EQUAL(t[0] & PTE_AD, _PAGE_DIRTY);
	FM_CHECK();
}

static void test_cmpxchg(void)
{
	mfn_t l1, l2, a, b, c, d;
	pgentry_t *t, *u, s, stale;

	fm_reset();
	l1 = pinned(1);
	l2 = pinned(2);
	t = fm_table(l1);
	u = fm_table(l2);
	a = alloc_ok(&fm_domu);
	b = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(mod(&t[0], fm_pte(a, PTE_P | PTE_U), 1), 0);
	stale = s = t[0];
	/* Flags only. */
	CU_ASSERT_EQUAL(
	    mod_entry_cmpxchg(&t[0], s, s | _PAGE_ACCESSED, 1, &fm_domu), 0);
	CU_ASSERT_EQUAL(t[0], s | _PAGE_ACCESSED);
	s = t[0];
	CU_ASSERT_EQUAL(
	    mod_entry_cmpxchg(&t[0], stale, stale | _PAGE_DIRTY, 1, &fm_domu),
	    -HV_EAGAIN);
	CU_ASSERT_EQUAL(t[0], s);
	FM_CHECK();
	/* New frame: references move on success only. */
	CU_ASSERT_EQUAL(mod_entry_cmpxchg(&t[0], stale,
					  fm_pte(b, PTE_P | PTE_RW), 1,
					  &fm_domu),
			-HV_EAGAIN);
	CU_ASSERT_EQUAL(fm_page(b)->count, 1);
	CU_ASSERT_EQUAL(fm_page(b)->type_count, 0);
	CU_ASSERT_EQUAL(t[0], s);
	FM_CHECK();
	CU_ASSERT_EQUAL(
	    mod_entry_cmpxchg(&t[0], s, fm_pte(b, PTE_P | PTE_RW), 1, &fm_domu),
	    0);
	CU_ASSERT_EQUAL(fm_page(b)->type_count, 1);
	CU_ASSERT_EQUAL(fm_page(a)->count, 1);
	FM_CHECK();
	CU_ASSERT_EQUAL(mod_entry_cmpxchg(&t[0], t[0],
					  fm_pte(l1, PTE_P | PTE_RW), 1,
					  &fm_domu),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(mod_entry_cmpxchg(&t[5], 0, 0, 1, &fm_domu), 0);
	FM_CHECK();
	/* An L2 entry whose new L1 is validated, then dropped on -EAGAIN. */
	c = alloc_ok(&fm_domu);
	d = alloc_ok(&fm_domu);
	fm_table(c)[1] = fm_pte(d, PTE_P | PTE_RW);
	CU_ASSERT_EQUAL(
	    mod_entry_cmpxchg(&u[0], PTE_RW, fm_pte(c, PTE_P), 2, &fm_domu),
	    -HV_EAGAIN);
	CU_ASSERT_EQUAL(fm_page(c)->type_count, 0);
	CU_ASSERT_EQUAL(fm_page(d)->type_count, 0);
	CU_ASSERT_EQUAL(u[0], 0);
	FM_CHECK();
	CU_ASSERT_EQUAL(
	    mod_entry_cmpxchg(&u[0], 0, fm_pte(c, PTE_P), 2, &fm_domu), 0);
	CU_ASSERT_EQUAL(fm_page(d)->type_count, 1);
	FM_CHECK();
}

static const struct unit_test tests[] = {
    {"L1 updates move refs; refusals change nothing", test_l1_moves_refs},
    {"flags-only fast path takes no refs", test_fast_path},
    {"upper updates validate and release subtrees", test_upper_recursive},
    {"PRESERVE_AD merges A/D bits", test_preserve_ad},
    {"cmpxchg: -EAGAIN holds nothing", test_cmpxchg},
};

bool suite_mod_entry(void)
{
	return UNIT_SUITE("mod-entry", tests);
}
