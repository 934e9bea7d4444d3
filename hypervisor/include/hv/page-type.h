/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frame references and page types (arch/x86/mm/page-type.c has the
 * design note). Every function returns 0 or a negative errno, matching
 * the errors Xen 4.17 gives a PV guest for the same request.
 */
#ifndef HV_PAGE_TYPE_H
#define HV_PAGE_TYPE_H

#include <hv/mm.h>

struct domain;

/* A general reference on a frame owned by @d: -EINVAL if not owned. */
int __must_check get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);

/*
 * A type reference: the frame becomes @type (validating it for page
 * tables and descriptor pages) if it has no type references, else it
 * must already be @type. -EINVAL on a type conflict (-EBUSY for
 * PGT_writable on a typed frame); a failed validation returns the
 * refused entry's own error.
 */
int __must_check get_page_type(struct page_info *pg, unsigned int type);
void put_page_type(struct page_info *pg);

int __must_check get_page_and_type(mfn_t mfn, const struct domain *d,
				   unsigned int type);
void put_page_and_type(mfn_t mfn);

/* Validates @e as a new entry of a level-@level table of @d. */
int __must_check get_page_from_entry(pgentry_t *e, unsigned int level,
				     const struct domain *d);
void put_page_from_entry(pgentry_t e, unsigned int level);

/*
 * Replaces the entry at @pe (an entry of a validated level-@level table)
 * with @new, whose frames must belong to @d (the page owner: the caller,
 * or a foreign domain for privileged callers): takes its references, swaps
 * atomically (merging hardware A/D bits when @preserve_ad), drops the
 * old entry's references.
 */
int __must_check mod_entry(pgentry_t *pe, pgentry_t new, unsigned int level,
			   const struct domain *d, bool preserve_ad);

/*
 * As mod_entry(), but only if the entry still holds @old: -EAGAIN (and no
 * change) when it does not, so that read-modify-write emulation can retry.
 */
int __must_check mod_entry_cmpxchg(pgentry_t *pe, pgentry_t old,
				   pgentry_t new, unsigned int level,
				   const struct domain *d);

/* L1 entries made by grant mappings (common/grant), as Xen's bit 62. */
#define _PAGE_GNTTAB (1ULL << 62)

/*
 * grant_l1e_create - put grant mapping @new (frame and access bits; the
 * caller holds its references) into L1 entry @pe, releasing the entry it
 * replaces. -EBUSY if @pe already holds a grant mapping, -EAGAIN if the
 * entry changed under us (retry).
 */
int __must_check grant_l1e_create(pgentry_t *pe, pgentry_t new);
/* Clears @pe if it is a grant mapping of @mfn: 0, -EINVAL or -EAGAIN. */
int __must_check grant_l1e_destroy(pgentry_t *pe, mfn_t mfn);

static inline bool is_pt_type(unsigned int type)
{
	return type >= PGT_l1 && type <= PGT_l4;
}

static inline unsigned int pt_level(unsigned int type)
{
	return type - PGT_l1 + 1;
}

/* L4 slots a guest may use (everything but the hypervisor's). */
static inline bool is_guest_l4_slot(unsigned int slot)
{
	return slot < 256 || slot > 271;
}

#endif
