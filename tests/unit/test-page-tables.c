// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-level validation in page-type.c (built unchanged on the fake
 * machine): a 4-level tree pinned and unpinned takes and releases every
 * reference, recursively; the L4's hypervisor slots are skipped and then
 * filled; linear, same-level, wrong-level and forbidden-bit entries are
 * refused with nothing leaked. The model is checked after every step.
 */
#include <stdio.h>
#include "harness.h"
#include "fake-machine.h"

static mfn_t alloc_ok(struct domain *d)
{
	mfn_t m = fm_alloc(d);

	CU_ASSERT_FATAL(mfn_x(m) != mfn_x(INVALID_MFN));
	return m;
}

static void set(mfn_t table, unsigned int slot, pgentry_t e)
{
	fm_table(table)[slot] = e;
}

static pgentry_t to(mfn_t m)
{
	return fm_pte(m, PTE_P | PTE_RW);
}

struct tree {
	mfn_t l4, l3, l2, l1, data[4];
};

#define TREE_FRAMES 8

/* L4[0] -> L3, L3[0] and L3[5] -> L2, L2[0] -> L1 -> data, tables RO. */
static void build_tree(struct tree *t, struct domain *d)
{
	t->l4 = alloc_ok(d);
	t->l3 = alloc_ok(d);
	t->l2 = alloc_ok(d);
	t->l1 = alloc_ok(d);
	for (unsigned int i = 0; i < 4; i++)
		t->data[i] = alloc_ok(d);
	set(t->l4, 0, to(t->l3));
	set(t->l3, 0, to(t->l2));
	set(t->l3, 5, to(t->l2));
	set(t->l2, 0, to(t->l1));
	for (unsigned int i = 0; i < 3; i++)
		set(t->l1, i, fm_pte(t->data[i], PTE_P | PTE_RW | PTE_U));
	set(t->l1, 3, fm_pte(t->data[3], PTE_P));
	set(t->l1, 4, fm_pte(t->l1, PTE_P));
	set(t->l1, 5, fm_pte(t->l2, PTE_P));
	set(t->l1, 6, fm_pte(t->l4, PTE_P));
}

static void release_tree(const struct tree *t)
{
	fm_release(t->l4);
	fm_release(t->l3);
	fm_release(t->l2);
	fm_release(t->l1);
	for (unsigned int i = 0; i < 4; i++)
		fm_release(t->data[i]);
}

static void assert_tree_typed(const struct tree *t, bool typed)
{
	CU_ASSERT_EQUAL(fm_page(t->l3)->type_count, typed ? 1 : 0);
	CU_ASSERT_EQUAL(fm_page(t->l2)->type_count, typed ? 2 : 0);
	CU_ASSERT_EQUAL(fm_page(t->l1)->type_count, typed ? 1 : 0);
	CU_ASSERT_EQUAL(fm_page(t->data[0])->type_count, typed ? 1 : 0);
	CU_ASSERT_EQUAL(fm_page(t->data[3])->count, typed ? 2 : 1);
	CU_ASSERT_EQUAL(fm_page(t->l4)->count, typed ? 3 : 1);
}

static void test_tree_pin_unpin(void)
{
	struct tree t;

	fm_reset();
	build_tree(&t, &fm_domu);
	CU_ASSERT_EQUAL(fm_get_type(t.l4, &fm_domu, PGT_l4), 0);
	CU_ASSERT_EQUAL(fm_page(t.l4)->type, PGT_l4);
	CU_ASSERT_EQUAL(fm_page(t.l3)->type, PGT_l3);
	CU_ASSERT_EQUAL(fm_page(t.l2)->type, PGT_l2);
	CU_ASSERT_EQUAL(fm_page(t.l1)->type, PGT_l1);
	assert_tree_typed(&t, true);
	CU_ASSERT_EQUAL(fm_calls.l4_init, 1);
	FM_CHECK();
	/* A second reference (a base pointer) keeps the tree. */
	CU_ASSERT_EQUAL(fm_get_type(t.l4, &fm_domu, PGT_l4), 0);
	fm_put_type(t.l4, PGT_l4);
	assert_tree_typed(&t, true);
	FM_CHECK();
	fm_put_type(t.l4, PGT_l4);
	assert_tree_typed(&t, false);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_calls.free_page, 0);
	release_tree(&t);
	CU_ASSERT_EQUAL(fm_calls.free_page, TREE_FRAMES);
	FM_CHECK();
}

/* Linux unpins its bootstrap tables after freeing them: all go at once. */
static void test_tree_freed_on_unpin(void)
{
	struct tree t;

	fm_reset();
	build_tree(&t, &fm_domu);
	CU_ASSERT_EQUAL(fm_get_type(t.l4, &fm_domu, PGT_l4), 0);
	release_tree(&t);
	CU_ASSERT_EQUAL(fm_calls.free_page, 0);
	FM_CHECK();
	fm_put_type(t.l4, PGT_l4);
	CU_ASSERT_EQUAL(fm_calls.free_page, TREE_FRAMES);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_domu.tot_pages, 0);
}

static void test_l4_hypervisor_slots(void)
{
	mfn_t l4, l3, l3b, data;
	pgentry_t *t;

	fm_reset();
	l4 = alloc_ok(&fm_domu);
	l3 = alloc_ok(&fm_domu);
	l3b = alloc_ok(&fm_domu);
	data = alloc_ok(&fm_domu);
	t = fm_table(l4);
	/* Whatever the guest left in 256-271 is neither checked nor kept. */
	t[256] = to(data);
	t[260] = to(l4);
	t[271] = ~0ULL;
	t[255] = to(l3);
	t[272] = to(l3b);
	CU_ASSERT_EQUAL(fm_get_type(l4, &fm_domu, PGT_l4), 0);
	for (unsigned int i = 256; i < 272; i++)
		CU_ASSERT_EQUAL(t[i], fm_hv_l4e(i));
	CU_ASSERT_EQUAL(fm_page(data)->count, 1);
	CU_ASSERT_EQUAL(fm_page(l3)->type_count, 1);
	CU_ASSERT_EQUAL(fm_page(l3b)->type_count, 1);
	FM_CHECK();
	fm_put_type(l4, PGT_l4);
	CU_ASSERT_EQUAL(fm_page(l3b)->type_count, 0);
	FM_CHECK();
	/* A refused L4 gets no hypervisor slots. */
	t[0] = to(l4);
	CU_ASSERT_EQUAL(fm_get_type(l4, &fm_domu, PGT_l4), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_calls.l4_init, 1);
	FM_CHECK();
}

/* Pins @m as @type expecting @rc; the model must hold either way. */
static void pin_expect_at(mfn_t m, unsigned int type, int rc, int line)
{
	int got = fm_get_type(m, &fm_domu, type);

	CU_ASSERT_EQUAL(got, rc);
	if (got != rc)
		fprintf(stderr, "\n  line %d: pin as type %u: %d, expected %d",
			line, type, got, rc);
	if (got == 0)
		fm_put_type(m, type);
	CU_ASSERT_TRUE(fm_check());
}

#define pin_expect(m, type, rc) pin_expect_at(m, type, rc, __LINE__)

static void test_linear_refused(void)
{
	mfn_t a, b, c, pl1, pl2, pl3, w;

	fm_reset();
	a = alloc_ok(&fm_domu);
	b = alloc_ok(&fm_domu);
	c = alloc_ok(&fm_domu);
	/* Self-references at every level. */
	set(a, 7, to(a));
	pin_expect(a, PGT_l4, -HV_EINVAL);
	pin_expect(a, PGT_l3, -HV_EINVAL);
	pin_expect(a, PGT_l2, -HV_EINVAL);
	set(a, 7, 0);
	/* A cycle through a lower level: L4 -> L3 -> the L4. */
	set(a, 0, to(b));
	set(b, 0, to(a));
	pin_expect(a, PGT_l4, -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_page(b)->type_count, 0);
	set(b, 0, 0);
	/* Same level and wrong level, against pinned tables. */
	pl1 = alloc_ok(&fm_domu);
	pl2 = alloc_ok(&fm_domu);
	pl3 = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(fm_get_type(pl1, &fm_domu, PGT_l1), 0);
	CU_ASSERT_EQUAL(fm_get_type(pl2, &fm_domu, PGT_l2), 0);
	CU_ASSERT_EQUAL(fm_get_type(pl3, &fm_domu, PGT_l3), 0);
	set(c, 1, to(pl2));
	pin_expect(c, PGT_l2, -HV_EINVAL); /* same level */
	pin_expect(c, PGT_l4, -HV_EINVAL); /* L4 -> an L2 */
	pin_expect(c, PGT_l3, 0);	   /* L3 -> an L2: right */
	set(c, 1, to(pl1));
	pin_expect(c, PGT_l3, -HV_EINVAL);
	pin_expect(c, PGT_l2, 0);
	set(c, 1, to(pl3));
	pin_expect(c, PGT_l2, -HV_EINVAL); /* pointing up */
	pin_expect(c, PGT_l4, 0);
	/* Its hypervisor slots stay behind and would not pass as an L2. */
	set(c, 1, 0);
	pin_expect(c, PGT_l2, -HV_EINVAL);
	for (unsigned int i = 256; i < 272; i++)
		set(c, i, 0);
	/* A frame mapped writable somewhere cannot become a table. */
	w = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(fm_get_type(w, &fm_domu, PGT_writable), 0);
	set(c, 1, to(w));
	pin_expect(c, PGT_l2, -HV_EINVAL);
	fm_put_type(w, PGT_writable);
	pin_expect(c, PGT_l2, 0); /* untyped: validated as L1 */
	CU_ASSERT_EQUAL(fm_page(w)->type, PGT_l1);
	FM_CHECK();
}

static void test_upper_bits(void)
{
	const uint64_t bad[] = {_PAGE_PSE, _PAGE_PWT, _PAGE_PCD, _PAGE_GLOBAL};
	const uint64_t fine[] = {_PAGE_NX, _PAGE_AVAIL, PTE_AD, 0};
	mfn_t top, child, other;

	fm_reset();
	top = alloc_ok(&fm_domu);
	child = alloc_ok(&fm_domu);
	other = alloc_ok(&fm_domu2);
	for (unsigned int lvl = PGT_l2; lvl <= PGT_l4; lvl++) {
		for (unsigned int i = 0; i < ARRAY_LEN(bad); i++) {
			set(top, 3, to(child) | bad[i]);
			pin_expect(top, lvl, -HV_EINVAL);
		}
		for (unsigned int i = 0; i < ARRAY_LEN(fine); i++) {
			set(top, 3, fm_pte(child, PTE_P) | fine[i]);
			CU_ASSERT_EQUAL(fm_get_type(top, &fm_domu, lvl), 0);
			CU_ASSERT_TRUE(fm_table(top)[3] & PTE_U);
			FM_CHECK();
			fm_put_type(top, lvl);
		}
		/* Upper entries name this domain's RAM only. */
		set(top, 3, to(_mfn(FM_DEV_MFN)));
		pin_expect(top, lvl, -HV_EINVAL);
		set(top, 3, to(_mfn(FM_IO_MFN)));
		pin_expect(top, lvl, -HV_EINVAL);
		set(top, 3, to(_mfn(FM_M2P_MFN)));
		pin_expect(top, lvl, -HV_EINVAL);
		set(top, 3, to(other));
		pin_expect(top, lvl, -HV_EINVAL);
		set(top, 3, to(_mfn(110))); /* free */
		pin_expect(top, lvl, -HV_EINVAL);
	}
	FM_CHECK();
}

/*
 * Xen 4.17 leaves pte bits 52-62 to the guest (_PAGE_AVAIL_HIGH in its
 * base_disallow_mask) except bit 62 in an L1 (_PAGE_GNTTAB); hardware
 * ignores them while CR4.PKE is off. Linux uses 57 and 58 (saved-dirty,
 * devmap). Pins and updates carrying them must succeed as on Xen.
 */
static void test_software_bits(void)
{
	mfn_t l1, top, child, a;

	fm_reset();
	l1 = alloc_ok(&fm_domu);
	top = alloc_ok(&fm_domu);
	child = alloc_ok(&fm_domu);
	a = alloc_ok(&fm_domu);
	for (unsigned int bit = 52; bit <= 62; bit++) {
		set(l1, 0, fm_pte(a, PTE_P) | 1ULL << bit);
		pin_expect(l1, PGT_l1, bit == 62 ? -HV_EINVAL : 0);
		for (unsigned int lvl = PGT_l2; lvl <= PGT_l4; lvl++) {
			set(top, 3, to(child) | 1ULL << bit);
			pin_expect(top, lvl, 0);
		}
		for (unsigned int i = 256; i < 272; i++)
			set(top, i, 0); /* left by the L4 pin */
	}
	set(l1, 0, 0);
	CU_ASSERT_EQUAL(fm_get_type(l1, &fm_domu, PGT_l1), 0);
	CU_ASSERT_EQUAL(mod_entry(&fm_table(l1)[1],
				  fm_pte(a, PTE_P | PTE_RW) | 1ULL << 58, 1,
				  &fm_domu, false),
			0);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 1);
	FM_CHECK();
}

/* An error deep in a tree comes back unchanged and everything unwinds. */
static void test_deep_failure(void)
{
	mfn_t l4, l3, good_l2, l2, l1, data, foreign;
	int alone;

	fm_reset();
	l4 = alloc_ok(&fm_domu);
	l3 = alloc_ok(&fm_domu);
	good_l2 = alloc_ok(&fm_domu);
	l2 = alloc_ok(&fm_domu);
	l1 = alloc_ok(&fm_domu);
	data = alloc_ok(&fm_domu);
	foreign = alloc_ok(&fm_domu2);
	set(l4, 0, to(l3));
	set(l4, 511, to(l3));
	set(l3, 0, to(good_l2));
	set(l3, 1, to(l2));
	set(good_l2, 0, to(l1)); /* shared with the bad path */
	set(l2, 0, to(l1));
	for (unsigned int i = 0; i < 300; i++)
		set(l1, i, fm_pte(data, PTE_P | (i & 1 ? 0 : PTE_RW)));
	set(l1, 300, fm_pte(foreign, PTE_P));
	alone = fm_get_type(l1, &fm_domu, PGT_l1);
	CU_ASSERT(alone < 0);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_get_type(l4, &fm_domu, PGT_l4), alone);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_page(data)->count, 1);
	CU_ASSERT_EQUAL(fm_page(good_l2)->type_count, 0);
	CU_ASSERT_EQUAL(fm_calls.l4_init, 0);
	/* Fixed, the same tree validates; the shared L1 counts twice. */
	set(l1, 300, 0);
	CU_ASSERT_EQUAL(fm_get_type(l4, &fm_domu, PGT_l4), 0);
	CU_ASSERT_EQUAL(fm_page(l3)->type_count, 2);
	CU_ASSERT_EQUAL(fm_page(l1)->type_count, 2);
	CU_ASSERT_EQUAL(fm_page(data)->type, PGT_writable);
	FM_CHECK();
	fm_put_type(l4, PGT_l4);
	FM_CHECK();
}

static const struct unit_test tests[] = {
    {"4-level tree: pin, second ref, unpin", test_tree_pin_unpin},
    {"tree freed by the unpin after release", test_tree_freed_on_unpin},
    {"L4 hypervisor slots skipped and filled", test_l4_hypervisor_slots},
    {"linear, same-level, wrong-level refused", test_linear_refused},
    {"forbidden bits and targets in L2-L4", test_upper_bits},
    {"deep validation failure unwinds", test_deep_failure},
    {"software bits 52-62 accepted as by Xen 4.17", test_software_bits},
};

bool suite_page_tables(void)
{
	return UNIT_SUITE("page-tables", tests);
}
