// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables: each domain's table of v1 grant entries, shared with it
 * in frames it maps writable (like shared_info: owned by the domain, with
 * a permanent writable type reference so they can never become page
 * tables), and the hypercall's dispatch. setup_table grows the table and
 * returns the frame MFNs, query_size and get_version report, set_version
 * accepts version 1 (version 2 is refused, so guests use v1). Mapping:
 * grant-map.c; copying: grant-copy.c; the structures: private.h.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hvabi/grant_table.h>
#include <asm/cpu_info.h>
#include <hv/grant.h>
#include "private.h"

static struct grant_table tables[MAX_DOMAINS];	/* by domid */

struct grant_table *table_of(const struct domain *d)
{
	return d->domid < ARRAY_SIZE(tables) ? &tables[d->domid] : NULL;
}

/* The domain named by @dom for the caller, or NULL with a GNTST_ status. */
static struct domain *target(uint16_t dom, int16_t *status)
{
	struct domain *d = dom == DOMID_SELF ? current->domain
					     : domain_lookup(dom);

	if (!d || !table_of(d)) {
		*status = GNTST_bad_domain;
		return NULL;
	}
	if (d != current->domain && !current->domain->is_privileged) {
		*status = GNTST_permission_denied;
		return NULL;
	}
	return d;
}

#define ACT_PAGES                                                              \
	(ALIGN_UP(GRANTS_PER_FRAME * sizeof(struct active_grant), PAGE_SIZE) >> \
	 PAGE_SHIFT)

static void free_run(const void *p, uint64_t pages)
{
	for (uint64_t i = 0; p && i < pages; i++)
		free_page(_mfn(mfn_x(virt_to_mfn(p)) + i));
}

/* Shared frames and, for each, its page(s) of active entries. */
static int grow(struct domain *d, struct grant_table *gt, unsigned int nr)
{
	const uint64_t act_pages = ACT_PAGES;

	while (gt->nr_frames < nr) {
		mfn_t m = alloc_page(), a = alloc_pages(act_pages);

		if (mfn_x(m) == mfn_x(INVALID_MFN) ||
		    mfn_x(a) == mfn_x(INVALID_MFN)) {
			if (mfn_x(m) != mfn_x(INVALID_MFN))
				free_page(m);
			for (uint64_t i = 0; mfn_x(a) != mfn_x(INVALID_MFN) &&
					     i < act_pages; i++)
				free_page(_mfn(mfn_x(a) + i));
			return -ENOMEM;
		}
		gt->active[gt->nr_frames] = mfn_to_virt(a);
		*mfn_to_page(m) = (struct page_info){ .owner = d->domid,
						      .type = PGT_writable,
						      .type_count = 1,
						      .count = 1 };
		gt->frames[gt->nr_frames++] = m;
	}
	return 0;
}

static long setup_table(unsigned long uop, unsigned int count)
{
	struct gnttab_setup_table op;
	struct grant_table *gt;
	struct domain *d;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	if (!guest_range_ok(op.frame_list, (uint64_t)op.nr_frames * 8))
		return -EFAULT;
	d = target(op.dom, &op.status);
	if (d) {
		gt = table_of(d);
		op.status = GNTST_okay;
		if (op.nr_frames > MAX_GRANT_FRAMES || grow(d, gt, op.nr_frames))
			op.status = GNTST_general_error;
		for (unsigned int i = 0; !op.status && i < op.nr_frames; i++)
			if (put_guest(gt->frames[i].v, op.frame_list + i * 8ULL))
				op.status = GNTST_bad_virt_addr;
	}
	return copy_to_guest(uop, &op, sizeof(op));
}

static long query_size(unsigned long uop, unsigned int count)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	d = target(op.dom, &op.status);
	if (d) {
		op.nr_frames = table_of(d)->nr_frames;
		op.max_nr_frames = MAX_GRANT_FRAMES;
		op.status = GNTST_okay;
	}
	return copy_to_guest(uop, &op, sizeof(op));
}

/* set_version and get_version ignore count, as in Xen. */
static long set_version(unsigned long uop)
{
	struct gnttab_set_version op;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	if (op.version != 1)
		return -ENOSYS;	/* v2 is not offered: guests stay on v1 */
	return copy_to_guest(uop, &op, sizeof(op));
}

static long get_version(unsigned long uop)
{
	struct gnttab_get_version op;
	int16_t status;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -EFAULT;
	if (!target(op.dom, &status))
		return status == GNTST_bad_domain ? -ESRCH : -EPERM;
	op.version = 1;
	return copy_to_guest(uop, &op, sizeof(op));
}

long do_grant_table_op(unsigned long cmd, unsigned long uop,
		       unsigned long count)
{
	switch ((uint32_t)cmd) {
	case GNTTABOP_map_grant_ref:
		return gnttab_map(uop, (uint32_t)count);
	case GNTTABOP_unmap_grant_ref:
		return gnttab_unmap(uop, (uint32_t)count);
	case GNTTABOP_copy:
		return gnttab_copy(uop, (uint32_t)count);
	case GNTTABOP_setup_table:
		return setup_table(uop, (uint32_t)count);
	case GNTTABOP_query_size:
		return query_size(uop, (uint32_t)count);
	case GNTTABOP_set_version:
		return set_version(uop);
	case GNTTABOP_get_version:
		return get_version(uop);
	}
	return -ENOSYS;
}

void gnttab_domain_destroy(struct domain *d)
{
	struct grant_table *gt = table_of(d);

	if (!gt)
		return;
	gnttab_release_mappings(d);
	for (unsigned int i = 0; i < gt->nr_frames; i++) {
		domain_release_xen_frame(d, gt->frames[i]);
		free_run(gt->active[i], ACT_PAGES);
	}
	free_run(gt->maptrack, MAPTRACK_PAGES);
	*gt = (struct grant_table){0};
}
