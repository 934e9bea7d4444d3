/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake machine the page-type tests run hypervisor/arch/x86/mm/
 * page-type.c on (unchanged): RAM frames standing in for the direct map,
 * the frame table, the M2P, three domains, one CPU, and the hooks the file
 * calls out to. Plus the reference model: fm_check() recomputes every
 * frame's expected count, type count and type from the test's own
 * references and the contents of the live page tables.
 */
#ifndef TESTS_UNIT_FAKE_MACHINE_H
#define TESTS_UNIT_FAKE_MACHINE_H

#include <hv/domain.h>
#include <hv/page-type.h>

#define FM_FRAMES 128		/* max_mfn: frames 0..127 are RAM */
#define FM_GUEST_FRAMES 120	/* 0..119 can be allocated to domains */
#define FM_IO_MFN 120		/* a hole in RAM owned by DOMID_IO */
#define FM_M2P_MFN 121		/* DOMID_XEN, PGF_xen_ro: read-only M2P */
#define FM_XEN_MFN 122		/* DOMID_XEN, hypervisor-private */
#define FM_DEV_MFN 0x80000ULL	/* device memory beyond RAM */
#define FM_LAPIC_MFN 0xfee00ULL /* kept by the hypervisor */

#define PTE_P _PAGE_PRESENT
#define PTE_RW _PAGE_RW
#define PTE_U _PAGE_USER
#define PTE_AD (_PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_GUEST_KERNEL (1ULL << 52)

/* Calls the fake machine saw since fm_reset(). */
struct fm_calls {
	unsigned int flush_tlb;	/* flush_tlb_local() and needed flushes */
	unsigned int free_page;
	unsigned int l4_init;
	unsigned int desc_validate;
	unsigned int log;
	unsigned int bug;
};
extern struct fm_calls fm_calls;
/* What validate_desc_page() returns. */
extern int fm_desc_rc;
/* Domain 0 (privileged, hardware domain), guests 1 and 2. */
extern struct domain fm_dom0, fm_domu, fm_domu2;

/* A fresh machine: all guest frames free, current = fm_domu. */
void fm_reset(void);
/* The CPU reloads CR3 (a context switch): a full flush, on the clock. */
void fm_cpu_flushed(void);
void fm_set_current(struct domain *d);
struct page_info *fm_page(mfn_t mfn);
pgentry_t *fm_table(mfn_t mfn);
/* The entry init_guest_l4_slots() writes into slot @slot. */
pgentry_t fm_hv_l4e(unsigned int slot);

/*
 * References the test holds, mirrored in the model. fm_alloc() gives a
 * zeroed frame with its allocation reference (INVALID_MFN when none is
 * left), fm_release() drops that reference (decrease_reservation).
 */
mfn_t fm_alloc(struct domain *d);
void fm_release(mfn_t mfn);
int fm_get(mfn_t mfn, const struct domain *d);
void fm_put(mfn_t mfn);
/* get_page_and_type() / put_page_and_type(): pins, base pointers. */
int fm_get_type(mfn_t mfn, const struct domain *d, unsigned int type);
void fm_put_type(mfn_t mfn, unsigned int type);
/* Test-held references of @mfn (general, and of @type). */
unsigned int fm_held(mfn_t mfn);
unsigned int fm_held_type(mfn_t mfn, unsigned int type);
bool fm_allocated(mfn_t mfn);

/*
 * The model: true if every frame's count, type_count and type match what
 * the test's references and the live tables' entries require, live tables
 * hold only acceptable entries, frames were freed exactly when their
 * count reached 0, and every domain's tot_pages is right. Mismatches are
 * printed to stderr.
 */
bool fm_check(void);
#define FM_CHECK() CU_ASSERT_TRUE(fm_check())

/* Runs @fn(@arg); true if it hit BUG_ON()/panic() (which then unwinds). */
bool fm_catch_bug(void (*fn)(void *), void *arg);

static inline pgentry_t fm_pte(mfn_t mfn, uint64_t flags)
{
	return mfn_pte(mfn, flags);
}

#endif
