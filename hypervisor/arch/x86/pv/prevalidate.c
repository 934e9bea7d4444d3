// SPDX-License-Identifier: GPL-2.0
/*
 * Preemptible pinning of big page-table trees. Validating an L2, L3 or
 * L4 validates every untyped L1 below it, 512 entries each: for a large
 * tree that is too long to do with interrupts off. Before the real
 * (recursive) validation, the L1 tables below the root are typed a few
 * at a time, each held by a temporary type reference in a per-vCPU list,
 * and the hypercall is continued between batches. The real validation
 * then finds them typed and only counts references. The temporary
 * references are dropped when the pin finishes (well or not); the L1s the
 * tree uses keep their type through the tree's own references.
 *
 * The list holds one page of frames (512 L1s, 1 GiB of mappings); beyond
 * that the rest is validated in one go, as before. walk() recurses at
 * most two levels (L4 -> L3 -> L2), bounded like validation itself.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <asm/cpu_info.h>
#include <asm/pv-mm.h>

#define PREVALID_MAX (PAGE_SIZE / sizeof(mfn_t))
#define PREVALID_BATCH 16	/* L1 tables (8192 entries) per call */

/* A frame @d owns with no type references yet, or INVALID_MFN. */
static mfn_t untyped_table(pgentry_t e, const struct domain *d)
{
	mfn_t m = pte_mfn(e);

	if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || !mfn_valid(m))
		return INVALID_MFN;
	if (mfn_to_page(m)->owner != d->domid)
		return INVALID_MFN;
	return m;
}

/* Types one L1 under a temporary reference; false when the list is full. */
static bool hold_l1(struct vcpu *v, mfn_t m)
{
	if (v->arch.nr_prevalid >= PREVALID_MAX)
		return false;
	if (get_page_and_type(m, v->domain, PGT_l1) == 0)
		v->arch.prevalid[v->arch.nr_prevalid++] = m;
	return true;	/* a refused L1 is reported by the real validation */
}

/*
 * Walks the tree below @root (a level-@level table, 2..4) and types up
 * to PREVALID_BATCH untyped L1s. Returns true when nothing is left to do
 * here (all typed, or the list is full), false to be called again.
 */
static bool walk(struct vcpu *v, mfn_t root, unsigned int level,
		 unsigned int *budget)
{
	const pgentry_t *t = mfn_to_virt(root);

	for (unsigned int i = 0; i < PAGETABLE_ENTRIES; i++) {
		mfn_t m;

		if (level == 4 && !is_guest_l4_slot(i))
			continue;
		m = untyped_table(t[i], v->domain);
		if (mfn_x(m) == mfn_x(INVALID_MFN))
			continue;
		if (level > 2) {
			/* Descend only into tables not already validated. */
			if (mfn_to_page(m)->type_count)
				continue;
			if (!walk(v, m, level - 1, budget))
				return false;
			continue;
		}
		if (mfn_to_page(m)->type_count)
			continue;
		if (!*budget)
			return false;
		if (!hold_l1(v, m))
			return true;
		(*budget)--;
	}
	return true;
}

int pv_prevalidate(struct vcpu *v, mfn_t root, unsigned int level)
{
	unsigned int budget = PREVALID_BATCH;

	if (level < 2 || !mfn_valid(root) ||
	    mfn_to_page(root)->owner != v->domain->domid ||
	    mfn_to_page(root)->type_count)
		return 0;
	if (!v->arch.prevalid) {
		mfn_t page = alloc_page();

		if (mfn_x(page) == mfn_x(INVALID_MFN))
			return 0;	/* no list: validate in one go */
		v->arch.prevalid = mfn_to_virt(page);
	}
	return walk(v, root, level, &budget) ? 0 : -ERESTART;
}

void pv_prevalidate_done(struct vcpu *v)
{
	while (v->arch.nr_prevalid)
		put_page_and_type(v->arch.prevalid[--v->arch.nr_prevalid]);
}
