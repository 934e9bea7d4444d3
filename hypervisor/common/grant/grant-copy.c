// SPDX-License-Identifier: GPL-2.0
/*
 * GNTTABOP_copy: copies up to a page between two frames, each named by
 * a grant of another domain (GNTCOPY_*_gref: the grant is pinned for the
 * copy, read-only for the source) or by a frame of the caller itself.
 * The bytes move through the hypervisor's direct map; neither guest maps
 * the other's frame. Status codes and their order as Xen 4.17.
 */
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <hv/string.h>
#include <asm/cpu_info.h>
#include "private.h"

struct copy_buf {
	struct grant_table *gt;	/* the pinned grant's table, or NULL */
	grant_ref_t ref;
	uint64_t mfn;
	bool readonly, have_frame;
};

static int16_t lock_domain(const struct gnttab_copy_ptr *p, bool gref,
			   struct domain **d)
{
	*d = domain_lookup_by_any_id(p->domid);
	if (!*d || !table_of(*d))
		return GNTST_bad_domain;
	/* Frames only as DOMID_SELF (checked second, as Xen 4.17.7 does). */
	return p->domid != DOMID_SELF && !gref ? GNTST_permission_denied
					       : GNTST_okay;
}

static int16_t claim(const struct gnttab_copy_ptr *p, bool gref,
		     struct domain *d, struct copy_buf *b)
{
	int16_t st;

	if (gref) {
		struct grant_table *gt = table_of(d);
		grant_ref_t ref = (grant_ref_t)p->u;

		if (!ref_valid(gt, ref))
			return GNTST_bad_gntref;
		st = pin_grant(gt, ref, current->domain->domid, b->readonly,
			       &b->mfn);
		if (st != GNTST_okay)
			return st;
		b->gt = gt;
		b->ref = ref;
	} else {
		b->mfn = p->u;	/* PV: the caller's frames are machine frames */
		if (!mfn_valid(_mfn(b->mfn)) ||
		    mfn_to_page(_mfn(b->mfn))->owner != d->domid)
			return GNTST_bad_page;
	}
	st = get_grant_frame(b->mfn, d, b->readonly);
	if (st == GNTST_okay)
		b->have_frame = true;
	return st;
}

static void release(struct copy_buf *b)
{
	if (b->have_frame)
		put_grant_frame(b->mfn, b->readonly);
	if (b->gt)
		unpin_grant(b->gt, b->ref, b->readonly);
}

static int16_t copy_one(struct gnttab_copy *op)
{
	struct copy_buf src = {.readonly = true}, dst = {.readonly = false};
	bool sgref = op->flags & GNTCOPY_source_gref;
	bool dgref = op->flags & GNTCOPY_dest_gref;
	struct domain *sd, *dd;
	int16_t st;

	st = lock_domain(&op->source, sgref, &sd);
	if (st == GNTST_okay)
		st = lock_domain(&op->dest, dgref, &dd);
	if (st == GNTST_okay)
		st = claim(&op->source, sgref, sd, &src);
	if (st == GNTST_okay)
		st = claim(&op->dest, dgref, dd, &dst);
	if (st == GNTST_okay && (op->source.offset + op->len > PAGE_SIZE ||
				 op->dest.offset + op->len > PAGE_SIZE))
		st = GNTST_bad_copy_arg;
	if (st == GNTST_okay)
		memmove((uint8_t *)mfn_to_virt(_mfn(dst.mfn)) + op->dest.offset,
			(const uint8_t *)mfn_to_virt(_mfn(src.mfn)) +
				op->source.offset,
			op->len);
	release(&dst);
	release(&src);
	return st;
}

long gnttab_copy(unsigned long uop, unsigned int count)
{
	return GNTTAB_BATCH(gnttab_copy, copy_one, uop, count);
}
