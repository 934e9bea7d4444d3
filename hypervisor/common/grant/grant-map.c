// SPDX-License-Identifier: GPL-2.0
/*
 * GNTTABOP_map_grant_ref and unmap_grant_ref: one domain maps a frame
 * another (or itself) granted it. A mapping pins the grant (private.h),
 * takes a general reference on the frame and, if writable, a writable
 * type reference, so the frame can neither be freed nor become a page
 * table while mapped. The host mapping is an L1 entry marked
 * _PAGE_GNTTAB (arch/x86/mm/page-type.c): it carries no references of
 * its own and only unmap removes it. The device mapping of a PV domain
 * is just the machine address. Errors follow Xen 4.17's status codes.
 */
#include <hv/bitops.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv-mm.h>
#include <hv/grant.h>
#include "private.h"

#define PIN_RETRIES 5	/* a granter racing our cmpxchg: then we give up */

int16_t pin_grant(struct grant_table *rgt, grant_ref_t ref, domid_t ldom,
		  bool readonly, uint64_t *mfn)
{
	struct active_grant *act =
		&rgt->active[ref / GRANTS_PER_FRAME][ref % GRANTS_PER_FRAME];
	struct grant_entry_v1 *e = shared_entry(rgt, ref);
	uint32_t *word = (uint32_t *)e;	/* flags | domid << 16 */
	bool pinned = act->pin_ro || act->pin_rw;

	if (pinned && act->domid != ldom)
		return GNTST_general_error;
	if ((readonly ? act->pin_ro : act->pin_rw) == 0xffff)
		return GNTST_general_error;	/* counter would overflow */
	if (!pinned || (!readonly && !act->pin_rw)) {
		uint32_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);

		for (unsigned int tries = 0;; tries++) {
			uint32_t want = cur | GTF_reading;

			if (!pinned && ((cur & GTF_type_mask) != GTF_permit_access ||
					(cur >> 16) != ldom))
				return GNTST_general_error;
			if (!readonly) {
				if (cur & GTF_readonly)
					return GNTST_general_error;
				want |= GTF_writing;
			}
			if (__atomic_compare_exchange_n(word, &cur, want, false,
							__ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				break;
			if (tries + 1 == PIN_RETRIES)
				return GNTST_general_error;
		}
		if (!pinned) {
			act->mfn = __atomic_load_n(&e->frame, __ATOMIC_RELAXED);
			act->domid = ldom;
		}
	}
	if (readonly)
		act->pin_ro++;
	else
		act->pin_rw++;
	*mfn = act->mfn;
	return GNTST_okay;
}

void unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
	struct active_grant *act =
		&rgt->active[ref / GRANTS_PER_FRAME][ref % GRANTS_PER_FRAME];
	uint16_t *flags = &shared_entry(rgt, ref)->flags;

	if (readonly)
		act->pin_ro--;
	else
		act->pin_rw--;
	if (!act->pin_rw)
		__atomic_fetch_and(flags, (uint16_t)~GTF_writing,
				   __ATOMIC_RELEASE);
	if (!act->pin_rw && !act->pin_ro)
		__atomic_fetch_and(flags, (uint16_t)~GTF_reading,
				   __ATOMIC_RELEASE);
}

int16_t get_grant_frame(uint64_t mfn, const struct domain *rd, bool readonly)
{
	struct page_info *pg;

	if (!mfn_valid(_mfn(mfn)))
		return GNTST_general_error;
	pg = mfn_to_page(_mfn(mfn));
	if (get_page(pg, rd))
		return GNTST_general_error;	/* not the granter's frame */
	if (!readonly && get_page_type(pg, PGT_writable)) {
		put_page(pg);
		return GNTST_general_error;	/* a page table, a GDT... */
	}
	return GNTST_okay;
}

void put_grant_frame(uint64_t mfn, bool readonly)
{
	struct page_info *pg = mfn_to_page(_mfn(mfn));

	if (!readonly)
		put_page_type(pg);
	put_page(pg);
}

/*
 * The L1 entry a host mapping goes into: the PTE at a machine address
 * (GNTMAP_contains_pte: in a validated L1 of the caller; *l1pg keeps a
 * reference until the caller drops it) or the one mapping a VA in the
 * caller's current page tables.
 */
static pgentry_t *host_entry(uint64_t host_addr, uint32_t flags,
			     struct page_info **l1pg)
{
	struct domain *d = current->domain;
	mfn_t l1 = _mfn(host_addr >> PAGE_SHIFT);
	struct page_info *pg;

	*l1pg = NULL;
	if (!(flags & GNTMAP_contains_pte))
		return pv_guest_l1e(current, host_addr);
	if ((host_addr & 7) || !mfn_valid(l1))
		return NULL;
	pg = mfn_to_page(l1);
	if (get_page(pg, d))
		return NULL;
	if (pg->type != PGT_l1 || !pg->type_count) {
		put_page(pg);
		return NULL;
	}
	*l1pg = pg;
	return (pgentry_t *)((uint8_t *)mfn_to_virt(l1) +
			     (host_addr & (PAGE_SIZE - 1)));
}

/* Installs (@mfn valid) or removes the host mapping; a GNTST_ code. */
static int16_t host_mapping(uint64_t host_addr, uint32_t flags, uint64_t mfn,
			    bool install)
{
	struct page_info *l1pg;
	pgentry_t *pe = host_entry(host_addr, flags, &l1pg);
	pgentry_t pte = (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED |
			_PAGE_DIRTY | _PAGE_NX;
	int rc = -EINVAL;

	if (!(flags & GNTMAP_readonly))
		pte |= _PAGE_RW;
	if (flags & GNTMAP_application_map)
		pte |= _PAGE_USER;
	for (unsigned int tries = 0; pe && tries < 8; tries++) {
		rc = install ? grant_l1e_create(pe, pte)
			     : grant_l1e_destroy(pe, _mfn(mfn));
		if (rc != -EAGAIN)
			break;
	}
	if (l1pg)
		put_page(l1pg);
	if (rc)
		return GNTST_general_error;
	/* The old translation may be cached by any CPU running the domain. */
	pv_flush_vcpus(~0ULL, !(flags & GNTMAP_contains_pte), host_addr);
	return GNTST_okay;
}

static struct maptrack *maptrack_get(struct grant_table *gt, uint32_t *handle)
{
	struct maptrack *m;

	if (!gt->maptrack) {
		mfn_t mfn = alloc_pages(MAPTRACK_PAGES);

		if (mfn_x(mfn) == mfn_x(INVALID_MFN))
			return NULL;
		gt->maptrack = mfn_to_virt(mfn);
		for (uint32_t i = 0; i < MAPTRACK_ENTRIES; i++)
			gt->maptrack[i].ref = i + 1;	/* free list */
		gt->maptrack_free = 0;
	}
	if (gt->maptrack_free >= MAPTRACK_ENTRIES)
		return NULL;
	*handle = gt->maptrack_free;
	m = &gt->maptrack[*handle];
	gt->maptrack_free = m->ref;
	gt->nr_mappings++;
	return m;
}

static void maptrack_put(struct grant_table *gt, uint32_t handle)
{
	gt->maptrack[handle] = (struct maptrack){.ref = gt->maptrack_free};
	gt->maptrack_free = handle;
	gt->nr_mappings--;
}

static int16_t map_one(struct gnttab_map_grant_ref *op)
{
	struct grant_table *lgt = table_of(current->domain), *rgt;
	bool ro = op->flags & GNTMAP_readonly;
	struct domain *rd;
	struct maptrack *m;
	uint64_t mfn;
	int16_t st;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
		return GNTST_bad_gntref;
	rd = domain_lookup(op->dom);	/* as Xen: DOMID_SELF is not a granter */
	rgt = rd ? table_of(rd) : NULL;
	if (!rgt || !lgt)
		return GNTST_bad_domain;
	m = maptrack_get(lgt, &op->handle);
	if (!m)
		return GNTST_no_space;
	st = ref_valid(rgt, op->ref) ? GNTST_okay : GNTST_bad_gntref;
	if (st == GNTST_okay)
		st = pin_grant(rgt, op->ref, current->domain->domid, ro, &mfn);
	if (st != GNTST_okay) {
		maptrack_put(lgt, op->handle);
		return st;
	}
	st = get_grant_frame(mfn, rd, ro);
	if (st == GNTST_okay && (op->flags & GNTMAP_host_map)) {
		st = host_mapping(op->host_addr, op->flags, mfn, true);
		if (st != GNTST_okay)
			put_grant_frame(mfn, ro);
	}
	if (st != GNTST_okay) {
		unpin_grant(rgt, op->ref, ro);
		maptrack_put(lgt, op->handle);
		return st;
	}
	*m = (struct maptrack){.host_addr = op->host_addr, .mfn = mfn,
			       .ref = op->ref, .granter = rd->domid,
			       .flags = (uint16_t)(op->flags & 0x1f)};
	op->dev_bus_addr = (op->flags & GNTMAP_device_map) ?
				   mfn << PAGE_SHIFT : 0;
	return GNTST_okay;
}

/* Drops a mapping: references, pin, handle. */
static void release(struct grant_table *lgt, uint32_t handle)
{
	struct maptrack *m = &lgt->maptrack[handle];
	bool ro = m->flags & GNTMAP_readonly;
	const struct domain *rd = domain_lookup(m->granter);
	struct grant_table *rgt = rd ? table_of(rd) : NULL;

	put_grant_frame(m->mfn, ro);
	if (rgt)
		unpin_grant(rgt, m->ref, ro);
	maptrack_put(lgt, handle);
}

static int16_t unmap_one(const struct gnttab_unmap_grant_ref *op)
{
	struct grant_table *lgt = table_of(current->domain);
	struct maptrack *m;
	int16_t st;

	if (!lgt || !lgt->maptrack || op->handle >= MAPTRACK_ENTRIES ||
	    !lgt->maptrack[op->handle].flags)
		return GNTST_bad_handle;
	m = &lgt->maptrack[op->handle];
	if (op->dev_bus_addr && (m->flags & GNTMAP_device_map) &&
	    op->dev_bus_addr != m->mfn << PAGE_SHIFT)
		return GNTST_bad_dev_addr;
	if (op->host_addr && (m->flags & GNTMAP_host_map)) {
		st = host_mapping(op->host_addr, m->flags, m->mfn, false);
		if (st != GNTST_okay)
			return st;
		m->flags &= (uint16_t)~GNTMAP_host_map;
	}
	if (op->dev_bus_addr)
		m->flags &= (uint16_t)~GNTMAP_device_map;
	if (!(m->flags & (GNTMAP_host_map | GNTMAP_device_map)))
		release(lgt, op->handle);
	return GNTST_okay;
}

void gnttab_release_mappings(struct domain *d)
{
	struct grant_table *gt = table_of(d);

	for (uint32_t h = 0; gt && gt->maptrack && gt->nr_mappings &&
			     h < MAPTRACK_ENTRIES; h++)
		if (gt->maptrack[h].flags)
			release(gt, h);	/* its PTEs go with its page tables */
}

long gnttab_map(unsigned long uop, unsigned int count)
{
	return GNTTAB_BATCH(gnttab_map_grant_ref, map_one, uop, count);
}

long gnttab_unmap(unsigned long uop, unsigned int count)
{
	return GNTTAB_BATCH(gnttab_unmap_grant_ref, unmap_one, uop, count);
}
