// SPDX-License-Identifier: GPL-2.0
/*
 * Page types and reference counts: the rules that keep a PV guest from
 * mapping what it does not own or writing its own page tables.
 *
 * Design note. Every machine frame has a struct page_info with an owner,
 * a general reference count and a typed reference count:
 *
 *  - count: references that keep the frame owned by its domain. The
 *    allocation itself holds one; so does every present L1 entry that
 *    maps the frame and every present L2/L3/L4 entry that points to it,
 *    every pin and every CR3 (kernel or user base pointer) using it.
 *    The frame goes back to the allocator when the count reaches 0.
 *  - type_count: references that need the frame to have one type:
 *      PGT_writable  one per present writable L1 entry mapping it;
 *      PGT_l1..l4    one per entry of the level above pointing to it,
 *                    per pin, per base pointer;
 *      PGT_seg_desc  one per GDT slot using it.
 *    A frame's type can change only while type_count is 0. When a page
 *    table or descriptor type is taken from 0 to 1 the frame is
 *    validated: every entry must be acceptable and takes its own
 *    references. When it drops to 0 the frame is devalidated: the
 *    entries' references are released (so unpinning or replacing the
 *    last CR3 of a tree releases the tree). With type_count 0 the
 *    recorded type is only history.
 *
 * Invariants that follow: a page-table or descriptor frame has no
 * writable mapping (a writable mapping holds a PGT_writable reference,
 * which excludes every other type); a guest can only reference frames it
 * owns; a frame whose type leaves PGT_writable may still be cached
 * writable in a TLB, so the TLB is flushed on that transition. Linear
 * (recursive) page tables are refused outright, so each page-table frame
 * has exactly one level and every walk is bounded by four levels.
 * Validation recurses through get_page_from_entry() at most four levels
 * deep (L4 -> L3 -> L2 -> L1); that bound is the reason the usual "no
 * recursion" rule is relaxed here.
 *
 * Locking: one vCPU per domain today, interrupts off in hypercalls; the
 * SMP work adds a per-domain page lock around every function here.
 */
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/page-type.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/pv.h>

/*
 * Bits a guest entry may not set (as Xen 4.17): the software bits 52-62
 * are the guest's, except bit 62 in an L1, which marks grant mappings
 * (_PAGE_GNTTAB: made only by grant_l1e_create(); such an entry holds no
 * references of its own, the grant's maptrack entry does, and only
 * GNTTABOP_unmap_grant_ref removes it: mod_entry() refuses to change
 * it); upper levels take no cache attributes, PSE or global.
 */
#define CACHE_ATTRS (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define L1_DISALLOW _PAGE_GNTTAB
#define UPPER_DISALLOW (_PAGE_PWT | _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL)

int get_page(struct page_info *pg, const struct domain *d)
{
	if (pg->owner != d->domid || pg->count == 0 || pg->count == UINT32_MAX)
		return -EINVAL;
	pg->count++;
	return 0;
}

void put_page(struct page_info *pg)
{
	domid_t owner;

	BUG_ON(pg->count == 0);
	if (--pg->count)
		return;
	BUG_ON(pg->type_count);
	owner = pg->owner;
	m2p[pg - frame_table] = INVALID_M2P_ENTRY;
	free_page(_mfn((uint64_t)(pg - frame_table)));
	domain_frame_freed(owner);
}

static int validate_table(struct page_info *pg, unsigned int level);
static void devalidate_table(struct page_info *pg, unsigned int level);

int get_page_type(struct page_info *pg, unsigned int type)
{
	int rc;

	if (pg->type_count) {
		if (pg->type != type)
			return type == PGT_writable ? -EBUSY : -EINVAL;
		if (pg->type_count == UINT32_MAX)
			return -EINVAL;
		pg->type_count++;
		return 0;
	}
	if (pg->type != type)	/* no stale translation of the old use */
		tlbflush_page(pg);
	pg->type = (uint8_t)type;
	pg->type_count = 1;
	if (is_pt_type(type) || type == PGT_seg_desc) {
		rc = type == PGT_seg_desc ?
			validate_desc_page(_mfn((uint64_t)(pg - frame_table))) :
			validate_table(pg, pt_level(type));
		if (rc) {
			pg->type_count = 0;
			return rc;
		}
	}
	return 0;
}

/*
 * At 0 the type is only history: with the stamp it tells get_page_type()
 * which CPUs to flush before the frame takes another type.
 */
void put_page_type(struct page_info *pg)
{
	BUG_ON(pg->type_count == 0);
	if (--pg->type_count)
		return;
	pg->tlbflush_stamp = tlbflush_stamp_now();
	if (is_pt_type(pg->type))
		devalidate_table(pg, pt_level(pg->type));
}

int get_page_and_type(mfn_t mfn, const struct domain *d, unsigned int type)
{
	struct page_info *pg;
	int rc;

	if (!mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	rc = get_page(pg, d);
	if (rc)
		return rc;
	rc = get_page_type(pg, type);
	if (rc)
		put_page(pg);
	return rc;
}

void put_page_and_type(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	put_page_type(pg);
	put_page(pg);
}

/*
 * Frames mapped without references: device memory (not RAM, or DOMID_IO)
 * and hypervisor frames shared read-only (DOMID_XEN, never freed).
 */
static bool is_unrefcounted(mfn_t mfn)
{
	return !mfn_valid(mfn) || mfn_to_page(mfn)->owner == DOMID_IO ||
	       mfn_to_page(mfn)->owner == DOMID_XEN;
}

/* Device memory the hypervisor keeps: the local APIC and the IO-APIC. */
static bool hv_owned_mmio(mfn_t mfn)
{
	return mfn_x(mfn) == 0xfee00 || mfn_x(mfn) == 0xfec00;
}

#define _PAGE_GUEST_KERNEL (1ULL << 52)

/*
 * Xen's adjustment of a present 64-bit PV L1 entry: kernel pages (no
 * user bit) are tagged with bit 52 and made user, user pages are made
 * global. Global has no effect here: CR4.PGE stays off.
 */
static pgentry_t adjust_l1e(pgentry_t e)
{
	if (!(e & _PAGE_USER))
		e |= _PAGE_GUEST_KERNEL | _PAGE_USER;
	if (!(e & _PAGE_GUEST_KERNEL))
		e |= _PAGE_GLOBAL | _PAGE_USER;
	return e;
}

/* L1 entry: a mapping of a frame @d owns; writable only if untyped. */
static int get_page_from_l1e(pgentry_t *e, const struct domain *d)
{
	uint64_t disallow = L1_DISALLOW | (d->is_privileged ? 0 : CACHE_ATTRS);
	mfn_t mfn = pte_mfn(*e);
	struct page_info *pg;
	int rc;

	if (*e & disallow)
		return -EINVAL;
	if (mfn_valid(mfn) && mfn_to_page(mfn)->owner == DOMID_XEN) {
		/* Read-only M2P for a privileged caller naming DOMID_XEN. */
		if (d != &dom_xen || (*e & _PAGE_RW) ||
		    !(mfn_to_page(mfn)->flags & PGF_xen_ro) ||
		    !current->domain->is_privileged)
			return -EBUSY;
		*e = adjust_l1e(*e);
		return 0;
	}
	if (is_unrefcounted(mfn)) {
		/* Device memory: the hardware domain's, with no references. */
		if (!current->domain->is_hardware_domain || hv_owned_mmio(mfn))
			return -EPERM;
		/* Never cacheable: write-back becomes UC, WT/WP become UC-. */
		if (!(*e & CACHE_ATTRS))
			*e |= _PAGE_PWT | _PAGE_PCD;
		else if ((*e & (_PAGE_PWT | _PAGE_PCD)) == _PAGE_PWT)
			*e |= _PAGE_PCD;
		*e = adjust_l1e(*e);
		return 0;
	}
	pg = mfn_to_page(mfn);
	if (get_page(pg, d))
		return -EBUSY;	/* not this domain's frame */
	if (*e & _PAGE_RW) {
		rc = get_page_type(pg, PGT_writable);
		if (rc) {
			put_page(pg);
			return -EBUSY;
		}
	}
	*e = adjust_l1e(*e);	/* 64-bit PV: guest kernel runs in ring 3 */
	return 0;
}

int get_page_from_entry(pgentry_t *e, unsigned int level,
			const struct domain *d)
{
	if (!(*e & _PAGE_PRESENT))
		return 0;
	if (level == 1)
		return get_page_from_l1e(e, d);
	if (*e & UPPER_DISALLOW)
		return -EINVAL;
	/* One level down; a linear entry (same level) is a type conflict. */
	*e |= _PAGE_USER;
	return get_page_and_type(pte_mfn(*e), d, PGT_l1 + level - 2);
}

void put_page_from_entry(pgentry_t e, unsigned int level)
{
	struct page_info *pg;

	/* A grant mapping's references are its maptrack entry's. */
	if (!(e & _PAGE_PRESENT) ||
	    (level == 1 && ((e & _PAGE_GNTTAB) || is_unrefcounted(pte_mfn(e)))))
		return;
	pg = mfn_to_page(pte_mfn(e));
	if (level > 1)
		put_page_type(pg);
	else if (e & _PAGE_RW)
		put_page_type(pg);
	put_page(pg);
}

static bool slot_is_guest(unsigned int level, unsigned int i)
{
	return level != 4 || is_guest_l4_slot(i);
}

static int validate_table(struct page_info *pg, unsigned int level)
{
	mfn_t mfn = _mfn((uint64_t)(pg - frame_table));
	pgentry_t *t = mfn_to_virt(mfn);
	const struct domain *d = domain_lookup(pg->owner);
	unsigned int i;
	int rc = 0;

	for (i = 0; i < PAGETABLE_ENTRIES; i++) {
		pgentry_t e;

		if (!slot_is_guest(level, i))
			continue;
		e = t[i];
		rc = get_page_from_entry(&e, level, d);
		if (rc)
			break;
		t[i] = e;
	}
	if (!rc) {
		if (level == 4)
			init_guest_l4_slots(t);
		return 0;
	}
	log_debug("d%u: L%u table %#llx entry %u (%#llx) refused: %d",
		  d->domid, level, (unsigned long long)mfn_x(mfn), i,
		  (unsigned long long)t[i], rc);
	while (i--)
		if (slot_is_guest(level, i))
			put_page_from_entry(t[i], level);
	return rc;
}

static void devalidate_table(struct page_info *pg, unsigned int level)
{
	pgentry_t *t = mfn_to_virt(_mfn((uint64_t)(pg - frame_table)));

	for (unsigned int i = 0; i < PAGETABLE_ENTRIES; i++)
		if (slot_is_guest(level, i))
			put_page_from_entry(t[i], level);
}

/*
 * Frame and access bits decide whether references must change; cache
 * attributes go through the full check too (device memory is forced UC).
 */
static bool same_refs(pgentry_t a, pgentry_t b)
{
	const pgentry_t m = PADDR_MASK | _PAGE_PRESENT | _PAGE_RW | CACHE_ATTRS;

	return ((a ^ b) & m) == 0;
}

/* The new entry keeps the old one's references: only check its flags. */
static int flags_only(pgentry_t *new, unsigned int level,
		      const struct domain *d)
{
	uint64_t bad = level == 1 ? L1_DISALLOW |
		(d->is_privileged ? 0 : CACHE_ATTRS) : UPPER_DISALLOW;

	if (*new & bad)
		return -EINVAL;
	*new = level == 1 ? adjust_l1e(*new) : *new | _PAGE_USER;
	return 0;
}

static void write_entry(pgentry_t *pe, pgentry_t old, pgentry_t new,
			bool preserve_ad)
{
	const pgentry_t ad = _PAGE_ACCESSED | _PAGE_DIRTY;

	for (;;) {
		pgentry_t seen, val = new;

		if (preserve_ad)
			val |= old & ad;	/* keep what the CPU has set */
		seen = __sync_val_compare_and_swap(pe, old, val);
		if (seen == old)
			return;
		old = seen;	/* only the CPU changes A/D under us */
	}
}

int mod_entry(pgentry_t *pe, pgentry_t new, unsigned int level,
	      const struct domain *d, bool preserve_ad)
{
	pgentry_t old = *pe;
	int rc;

	if (level == 1 && (old & _PAGE_GNTTAB))
		return -EINVAL;	/* only GNTTABOP_unmap_grant_ref removes it */
	if ((new & _PAGE_PRESENT) && same_refs(old, new)) {
		/* Same frame and access: check the flags, keep the refs. */
		rc = flags_only(&new, level, d);
		if (!rc)
			write_entry(pe, old, new, preserve_ad);
		return rc;
	}
	rc = get_page_from_entry(&new, level, d);
	if (rc)
		return rc;
	write_entry(pe, old, new, preserve_ad);
	put_page_from_entry(old, level);
	return 0;
}

int mod_entry_cmpxchg(pgentry_t *pe, pgentry_t old, pgentry_t new,
		      unsigned int level, const struct domain *d)
{
	int rc;

	if (level == 1 && (old & _PAGE_GNTTAB))
		return -EINVAL;
	if ((new & _PAGE_PRESENT) && same_refs(old, new)) {
		rc = flags_only(&new, level, d);
		if (rc)
			return rc;
		return __sync_bool_compare_and_swap(pe, old, new) ? 0 : -EAGAIN;
	}
	rc = get_page_from_entry(&new, level, d);
	if (rc)
		return rc;
	if (!__sync_bool_compare_and_swap(pe, old, new)) {
		put_page_from_entry(new, level);
		return -EAGAIN;
	}
	put_page_from_entry(old, level);
	return 0;
}

int grant_l1e_create(pgentry_t *pe, pgentry_t new)
{
	pgentry_t old = *(volatile pgentry_t *)pe;

	if (old & _PAGE_GNTTAB)
		return -EBUSY;
	new = adjust_l1e(new | _PAGE_GNTTAB);
	if (!__sync_bool_compare_and_swap(pe, old, new))
		return -EAGAIN;	/* the CPU set A/D meanwhile: try again */
	put_page_from_entry(old, 1);
	return 0;
}

int grant_l1e_destroy(pgentry_t *pe, mfn_t mfn)
{
	pgentry_t old = *(volatile pgentry_t *)pe;

	if (!(old & _PAGE_PRESENT) || !(old & _PAGE_GNTTAB) ||
	    mfn_x(pte_mfn(old)) != mfn_x(mfn))
		return -EINVAL;
	return __sync_bool_compare_and_swap(pe, old, 0) ? 0 : -EAGAIN;
}
