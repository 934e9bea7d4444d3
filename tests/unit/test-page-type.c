// SPDX-License-Identifier: GPL-2.0
/*
 * Page types and references (hypervisor/arch/x86/mm/page-type.c, built
 * unchanged on the fake machine): get_page/put_page, type changes only at
 * type_count 0, the TLB flush when a frame leaves PGT_writable, counts
 * that refuse to overflow or underflow, descriptor pages, and L1
 * validation with its refusals (foreign frames, reserved and cache bits,
 * writable mappings of typed frames, device memory, the read-only M2P).
 * The model (fake-model.c) is checked after every step.
 */
#include "harness.h"
#include "fake-machine.h"

static mfn_t alloc_ok(struct domain *d)
{
	mfn_t m = fm_alloc(d);

	CU_ASSERT_FATAL(mfn_x(m) != mfn_x(INVALID_MFN));
	return m;
}

static void test_get_put_page(void)
{
	mfn_t a;

	fm_reset();
	a = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(fm_page(a)->count, 1);
	CU_ASSERT_EQUAL(fm_get(a, &fm_domu), 0);
	CU_ASSERT_EQUAL(fm_page(a)->count, 2);
	FM_CHECK();
	/* Only the owner, privileged or not. */
	CU_ASSERT_EQUAL(fm_get(a, &fm_domu2), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_get(a, &fm_dom0), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_get(a, &dom_xen), -HV_EINVAL);
	FM_CHECK();
	/* Given back while referenced: freed with the last reference. */
	fm_release(a);
	CU_ASSERT_EQUAL(fm_calls.free_page, 0);
	FM_CHECK();
	fm_put(a);
	CU_ASSERT_EQUAL(fm_calls.free_page, 1);
	CU_ASSERT_EQUAL(m2p[mfn_x(a)], INVALID_M2P_ENTRY);
	CU_ASSERT_EQUAL(fm_domu.tot_pages, 0);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_get(a, &fm_domu), -HV_EINVAL);
	/* Hypervisor frames hold no references to take. */
	CU_ASSERT_EQUAL(fm_get(_mfn(FM_M2P_MFN), &dom_xen), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_get(_mfn(FM_IO_MFN), &dom_io), -HV_EINVAL);
	FM_CHECK();
}

static void test_count_limits(void)
{
	struct page_info *pg;
	mfn_t a;

	fm_reset();
	a = alloc_ok(&fm_domu);
	pg = fm_page(a);
	/* A frame on its way out (count 0) cannot be revived. */
	pg->count = 0;
	CU_ASSERT_EQUAL(get_page(pg, &fm_domu), -HV_EINVAL);
	CU_ASSERT_EQUAL(pg->count, 0);
	pg->count = UINT32_MAX;
	CU_ASSERT_EQUAL(get_page(pg, &fm_domu), -HV_EINVAL);
	CU_ASSERT_EQUAL(pg->count, UINT32_MAX);
	pg->count = 1;
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_writable), 0);
	pg->type_count = UINT32_MAX;
	CU_ASSERT_EQUAL(get_page_type(pg, PGT_writable), -HV_EINVAL);
	CU_ASSERT_EQUAL(pg->type_count, UINT32_MAX);
	pg->type_count = 1;
	FM_CHECK();
}

static void do_put_page(void *pg)
{
	put_page(pg);
}

static void do_put_page_type(void *pg)
{
	put_page_type(pg);
}

static void test_no_underflow(void)
{
	struct page_info *pg;
	mfn_t a;

	fm_reset();
	a = alloc_ok(&fm_domu);
	pg = fm_page(a);
	CU_ASSERT_TRUE(fm_catch_bug(do_put_page_type, pg));
	CU_ASSERT_EQUAL(pg->type_count, 0);
	fm_release(a);
	CU_ASSERT_EQUAL(fm_calls.free_page, 1);
	FM_CHECK();
	/* A second put of a freed frame stops, it does not wrap or free. */
	CU_ASSERT_TRUE(fm_catch_bug(do_put_page, pg));
	CU_ASSERT_EQUAL(pg->count, 0);
	CU_ASSERT_EQUAL(fm_calls.free_page, 1);
	FM_CHECK();
	/* The last general reference may not go while a type one stays. */
	a = alloc_ok(&fm_domu);
	pg = fm_page(a);
	CU_ASSERT_EQUAL(get_page_type(pg, PGT_writable), 0);
	CU_ASSERT_TRUE(fm_catch_bug(do_put_page, pg));
	CU_ASSERT_EQUAL(fm_calls.free_page, 1);
}

static void test_type_changes_at_zero(void)
{
	mfn_t a;

	fm_reset();
	a = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_writable), 0);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l1), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l4), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_seg_desc), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_calls.desc_validate, 0);
	CU_ASSERT_EQUAL(fm_page(a)->count, 2);
	FM_CHECK();
	fm_put_type(a, PGT_writable);
	FM_CHECK();
	/*
	 * A new type flushes when the CPU has not flushed since the frame's
	 * last use: a stale writable TLB entry may remain.
	 */
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l1), 0);
	CU_ASSERT_EQUAL(fm_calls.flush_tlb, 1);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_writable), -HV_EBUSY);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l2), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l1), 0);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 2);
	FM_CHECK();
	fm_put_type(a, PGT_l1);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l2), -HV_EINVAL);
	fm_put_type(a, PGT_l1);
	FM_CHECK();
	/*
	 * Table to table and table to writable flush too (a cached walk
	 * through the old table), unless the CPU flushed meanwhile.
	 */
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l2), 0);
	CU_ASSERT_EQUAL(fm_calls.flush_tlb, 2);
	fm_put_type(a, PGT_l2);
	fm_cpu_flushed();
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_writable), 0);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_writable), 0);
	CU_ASSERT_EQUAL(fm_calls.flush_tlb, 2);
	fm_put_type(a, PGT_writable);
	fm_put_type(a, PGT_writable);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_seg_desc), 0);
	CU_ASSERT_EQUAL(fm_calls.flush_tlb, 3);
	CU_ASSERT_EQUAL(fm_calls.desc_validate, 1);
	fm_put_type(a, PGT_seg_desc);
	fm_release(a);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_calls.free_page, 1);
}

static void test_desc_page(void)
{
	mfn_t a;

	fm_reset();
	a = alloc_ok(&fm_domu);
	fm_desc_rc = -HV_EINVAL;
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_seg_desc), -HV_EINVAL);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 0);
	CU_ASSERT_EQUAL(fm_page(a)->count, 1);
	FM_CHECK();
	fm_desc_rc = 0;
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_seg_desc), 0);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_seg_desc), 0);
	CU_ASSERT_EQUAL(fm_calls.desc_validate, 2); /* once per 0 -> 1 */
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_writable), -HV_EBUSY);
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l1), -HV_EINVAL);
	FM_CHECK();
	fm_put_type(a, PGT_seg_desc);
	fm_put_type(a, PGT_seg_desc);
	FM_CHECK();
}

static void test_l1_validation(void)
{
	mfn_t l1, a, b;
	pgentry_t *t;

	fm_reset();
	l1 = alloc_ok(&fm_domu);
	a = alloc_ok(&fm_domu);
	b = alloc_ok(&fm_domu);
	t = fm_table(l1);
	t[0] = fm_pte(a, PTE_P);		  /* kernel, read-only */
	t[1] = fm_pte(b, PTE_P | PTE_RW | PTE_U); /* user, writable */
	t[2] = fm_pte(a, PTE_P | PTE_RW);
	t[3] = fm_pte(l1, PTE_P);		 /* itself, read-only */
	t[4] = fm_pte(_mfn(FM_XEN_MFN), PTE_RW); /* not present */
	t[511] = 0x7ff0000000000000ULL | PTE_RW; /* not present */
	CU_ASSERT_EQUAL(fm_get_type(l1, &fm_domu, PGT_l1), 0);
	CU_ASSERT_EQUAL(fm_page(a)->count, 3);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 1);
	CU_ASSERT_EQUAL(fm_page(a)->type, PGT_writable);
	CU_ASSERT_EQUAL(fm_page(b)->count, 2);
	CU_ASSERT_EQUAL(fm_page(l1)->count, 3);
	CU_ASSERT_EQUAL(fm_page(l1)->type_count, 1);
	/* 64-bit PV: kernel pages tagged and made user, user pages global. */
	CU_ASSERT_EQUAL(t[0], fm_pte(a, PTE_P | PTE_U | PTE_GUEST_KERNEL));
	CU_ASSERT_EQUAL(t[1], fm_pte(b, PTE_P | PTE_RW | PTE_U | _PAGE_GLOBAL));
	CU_ASSERT_EQUAL(t[4], fm_pte(_mfn(FM_XEN_MFN), PTE_RW));
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_get_type(a, &fm_domu, PGT_l1), -HV_EINVAL);
	/* Linux frees pages still mapped: they go with the last mapping. */
	fm_release(a);
	fm_release(b);
	CU_ASSERT_EQUAL(fm_calls.free_page, 0);
	FM_CHECK();
	fm_put_type(l1, PGT_l1);
	CU_ASSERT_EQUAL(fm_calls.free_page, 2);
	CU_ASSERT_EQUAL(fm_page(l1)->count, 1);
	FM_CHECK();
	fm_release(l1);
	CU_ASSERT_EQUAL(fm_calls.free_page, 3);
	FM_CHECK();
}

/* The single-entry calls validation and mod_entry are built on. */
static void test_entry_calls(void)
{
	mfn_t a, l1;
	pgentry_t e;

	fm_reset();
	a = alloc_ok(&fm_domu);
	l1 = alloc_ok(&fm_domu);
	e = fm_pte(a, PTE_RW | 1ULL << 62); /* not present: not looked at */
	CU_ASSERT_EQUAL(get_page_from_entry(&e, 1, &fm_domu), 0);
	CU_ASSERT_EQUAL(e, fm_pte(a, PTE_RW | 1ULL << 62));
	put_page_from_entry(e, 1);
	CU_ASSERT_EQUAL(fm_page(a)->count, 1);
	e = fm_pte(a, PTE_P | PTE_RW);
	CU_ASSERT_EQUAL(get_page_from_entry(&e, 1, &fm_domu), 0);
	CU_ASSERT_EQUAL(fm_page(a)->count, 2);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 1);
	CU_ASSERT_EQUAL(get_page_from_entry(&e, 1, &fm_domu2), -HV_EBUSY);
	put_page_from_entry(e, 1);
	CU_ASSERT_EQUAL(fm_page(a)->count, 1);
	CU_ASSERT_EQUAL(fm_page(a)->type_count, 0);
	e = fm_pte(l1, PTE_P);
	CU_ASSERT_EQUAL(get_page_from_entry(&e, 2, &fm_domu), 0);
	CU_ASSERT_EQUAL(e, fm_pte(l1, PTE_P | PTE_U));
	CU_ASSERT_EQUAL(fm_page(l1)->type, PGT_l1);
	CU_ASSERT_EQUAL(fm_page(l1)->type_count, 1);
	put_page_from_entry(e, 2);
	CU_ASSERT_EQUAL(fm_page(l1)->type_count, 0);
	CU_ASSERT_EQUAL(fm_page(l1)->count, 1);
	FM_CHECK();
}

/* Pins an L1 whose slots 0-9 are good and slot 10 is @bad: returns rc. */
static int pin_l1_with(struct domain *d, pgentry_t bad)
{
	mfn_t l1 = alloc_ok(d), a = alloc_ok(d);
	pgentry_t *t = fm_table(l1);
	unsigned int logs = fm_calls.log;
	int rc;

	for (unsigned int i = 0; i < 10; i++)
		t[i] = fm_pte(a, PTE_P | (i & 1 ? PTE_RW : 0));
	t[10] = bad;
	rc = fm_get_type(l1, d, PGT_l1);
	if (rc) {
		CU_ASSERT(fm_calls.log > logs); /* refusals are logged */
		CU_ASSERT_EQUAL(fm_page(a)->count, 1);
		CU_ASSERT_EQUAL(fm_page(a)->type_count, 0);
		CU_ASSERT_EQUAL(fm_page(l1)->count, 1);
		CU_ASSERT_EQUAL(fm_page(l1)->type_count, 0);
	} else {
		fm_put_type(l1, PGT_l1);
	}
	CU_ASSERT_TRUE(fm_check());
	fm_release(l1);
	fm_release(a);
	return rc;
}

static void test_l1_refused(void)
{
	mfn_t other, pinned, desc, w;

	fm_reset();
	other = alloc_ok(&fm_domu2);
	pinned = alloc_ok(&fm_domu);
	desc = alloc_ok(&fm_domu);
	CU_ASSERT_EQUAL(fm_get_type(pinned, &fm_domu, PGT_l1), 0);
	CU_ASSERT_EQUAL(fm_get_type(desc, &fm_domu, PGT_seg_desc), 0);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(other, PTE_P)), -HV_EBUSY);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(_mfn(100), PTE_P)),
			-HV_EBUSY); /* a free frame */
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P | PTE_RW)),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(desc, PTE_P | PTE_RW)),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P)), 0);
	CU_ASSERT_EQUAL(
	    pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P | 1ULL << 62)),
	    -HV_EINVAL); /* Xen's grant-mapping marker */
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P | _PAGE_NX)),
			0);
	/* Cache attributes: the privileged domain only. */
	CU_ASSERT_EQUAL(
	    pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P | _PAGE_PCD)),
	    -HV_EINVAL);
	CU_ASSERT_EQUAL(
	    pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P | _PAGE_PWT)),
	    -HV_EINVAL);
	CU_ASSERT_EQUAL(
	    pin_l1_with(&fm_domu, fm_pte(pinned, PTE_P | _PAGE_PAT)),
	    -HV_EINVAL);
	w = alloc_ok(&fm_dom0);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_dom0, fm_pte(w, PTE_P | _PAGE_PCD)), 0);
	/* Hypervisor frames and device memory, for a domU. */
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(_mfn(FM_M2P_MFN), PTE_P)),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(_mfn(FM_XEN_MFN), PTE_P)),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(_mfn(FM_DEV_MFN), PTE_P)),
			-HV_EPERM);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_domu, fm_pte(_mfn(FM_IO_MFN), PTE_P)),
			-HV_EPERM);
	FM_CHECK();
}

static void test_device_memory(void)
{
	const uint64_t cache = _PAGE_PWT | _PAGE_PCD | _PAGE_PAT;
	mfn_t l1, dev = _mfn(FM_DEV_MFN);
	pgentry_t *t;

	fm_reset();
	fm_set_current(&fm_dom0);
	l1 = alloc_ok(&fm_dom0);
	t = fm_table(l1);
	t[0] = fm_pte(dev, PTE_P | PTE_RW);
	t[1] = fm_pte(_mfn(FM_DEV_MFN + 1), PTE_P | _PAGE_PWT);
	t[2] = fm_pte(_mfn(FM_DEV_MFN + 2), PTE_P | _PAGE_PCD);
	t[3] = fm_pte(_mfn(FM_IO_MFN), PTE_P | PTE_RW);
	t[4] = fm_pte(_mfn(FM_DEV_MFN + 3), PTE_P | _PAGE_PAT | _PAGE_PWT);
	CU_ASSERT_EQUAL(fm_get_type(l1, &fm_dom0, PGT_l1), 0);
	/* Never cacheable: write-back and write-through become uncached. */
	CU_ASSERT_EQUAL(t[0] & cache, _PAGE_PWT | _PAGE_PCD);
	CU_ASSERT_EQUAL(t[1] & cache, _PAGE_PWT | _PAGE_PCD);
	CU_ASSERT_EQUAL(t[2] & cache, _PAGE_PCD);
	CU_ASSERT_EQUAL(t[3] & cache, _PAGE_PWT | _PAGE_PCD);
	CU_ASSERT_EQUAL(t[4] & cache, cache);
	CU_ASSERT_EQUAL(mfn_x(pte_mfn(t[0])), FM_DEV_MFN);
	FM_CHECK(); /* no references on the DOMID_IO frame */
	CU_ASSERT_EQUAL(
	    pin_l1_with(&fm_dom0, fm_pte(_mfn(FM_LAPIC_MFN), PTE_P)),
	    -HV_EPERM);
	CU_ASSERT_EQUAL(pin_l1_with(&fm_dom0, fm_pte(_mfn(0xfec00), PTE_P)),
			-HV_EPERM);
	fm_put_type(l1, PGT_l1);
	fm_release(l1);
	FM_CHECK();
	CU_ASSERT_EQUAL(fm_calls.free_page, 5);
}

static void test_m2p_mapping(void)
{
	const mfn_t m2p_mfn = _mfn(FM_M2P_MFN);
	mfn_t l1;
	pgentry_t *t;

	fm_reset();
	fm_set_current(&fm_dom0);
	l1 = alloc_ok(&fm_dom0);
	t = fm_table(l1);
	CU_ASSERT_EQUAL(fm_get_type(l1, &fm_dom0, PGT_l1), 0);
	/* Read-only, for a privileged caller naming DOMID_XEN. */
	CU_ASSERT_EQUAL(
	    mod_entry(&t[0], fm_pte(m2p_mfn, PTE_P), 1, &dom_xen, false), 0);
	CU_ASSERT_EQUAL(t[0],
			fm_pte(m2p_mfn, PTE_P | PTE_U | PTE_GUEST_KERNEL));
	FM_CHECK();
	CU_ASSERT_EQUAL(mod_entry(&t[1], fm_pte(m2p_mfn, PTE_P | PTE_RW), 1,
				  &dom_xen, false),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(mod_entry(&t[1], fm_pte(_mfn(FM_XEN_MFN), PTE_P), 1,
				  &dom_xen, false),
			-HV_EBUSY);
	CU_ASSERT_EQUAL(
	    mod_entry(&t[1], fm_pte(m2p_mfn, PTE_P), 1, &fm_dom0, false),
	    -HV_EBUSY);
	fm_set_current(&fm_domu);
	CU_ASSERT_EQUAL(
	    mod_entry(&t[1], fm_pte(m2p_mfn, PTE_P), 1, &dom_xen, false),
	    -HV_EBUSY);
	CU_ASSERT_EQUAL(t[1], 0);
	FM_CHECK();
	CU_ASSERT_EQUAL(mod_entry(&t[0], 0, 1, &fm_dom0, false), 0);
	FM_CHECK();
	fm_put_type(l1, PGT_l1);
	fm_release(l1);
	FM_CHECK();
}

static const struct unit_test tests[] = {
    {"get_page/put_page: owner only, freed at 0", test_get_put_page},
    {"counts refuse to overflow", test_count_limits},
    {"puts never underflow (BUG_ON)", test_no_underflow},
    {"type changes only at type_count 0; flush", test_type_changes_at_zero},
    {"descriptor pages validated once", test_desc_page},
    {"get/put_page_from_entry", test_entry_calls},
    {"L1 validation takes and releases refs", test_l1_validation},
    {"L1 entries refused", test_l1_refused},
    {"device memory: no refs, uncached", test_device_memory},
    {"read-only M2P via DOMID_XEN", test_m2p_mapping},
};

bool suite_page_type(void)
{
	return UNIT_SUITE("page-type", tests);
}
