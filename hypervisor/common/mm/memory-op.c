// SPDX-License-Identifier: GPL-2.0
/*
 * memory_op (12), reservation sub-ops: the frames a domain owns.
 * increase_reservation and populate_physmap allocate extents and tell
 * the guest their MFNs (PV guests keep their own P2M); populate also sets
 * the M2P. decrease_reservation gives frames back (they are freed when
 * the last mapping goes). Each returns the number of extents done;
 * long requests resume through cmd's extent field. The memory maps and
 * M2P queries are in arch/x86/mm/memory-map.c.
 */
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <hvabi/memory.h>
#include <asm/cpu_info.h>

#define MAX_EXTENT_ORDER 9	/* 2 MiB */
#define EXTENT_BATCH 512	/* extents between preemption points */
#define EXCHANGE_BATCH 16	/* exchange chunks between preemption points */
#define EXCHANGE_MAX_RATIO 64	/* extents per chunk on either side */


/* The target domain of @domid for the caller; NULL with *rc set. */
static struct domain *target_domain(domid_t domid, long *rc)
{
	struct domain *curr = current->domain, *d;

	if (domid == DOMID_SELF || domid == curr->domid)
		return curr;
	d = domain_lookup(domid);
	*rc = !d ? -ESRCH : -EPERM;
	return d && curr->is_privileged ? d : NULL;
}

/* Gives back the frame @mfn of @d (a guest's "gmfn" is its MFN for PV). */
static int remove_page(struct domain *d, mfn_t mfn)
{
	struct page_info *pg;

	if (!mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (get_page(pg, d))
		return -EINVAL;
	if (pg->flags & PGF_allocated) {
		pg->flags &= ~PGF_allocated;
		put_page(pg);
	}
	put_page(pg);
	return 0;
}

static int do_extent(unsigned int op, struct domain *d,
		     const struct xen_memory_reservation *r, uint64_t i,
		     uint64_t limit)
{
	uint64_t slot = r->extent_start + i * 8, in = 0, nr;
	mfn_t mfn;

	if (op != XENMEM_increase_reservation && get_guest(in, slot))
		return -EFAULT;
	nr = 1ULL << r->extent_order;
	if (op == XENMEM_decrease_reservation) {
		for (uint64_t j = 0; j < nr; j++)
			if (remove_page(d, _mfn(in + j)))
				return -EINVAL;
		return 0;
	}
	mfn = alloc_domain_pages(d, r->extent_order, limit);
	if (mfn_x(mfn) == mfn_x(INVALID_MFN))
		return -ENOMEM;
	if (op == XENMEM_populate_physmap)
		for (uint64_t j = 0; j < nr; j++)
			m2p[mfn_x(mfn) + j] = in + j;
	if (r->extent_start && put_guest(mfn.v, slot))
		return -EFAULT;
	return 0;
}

static long reservation_op(unsigned int op, uint64_t start, unsigned long arg)
{
	struct xen_memory_reservation r;
	unsigned int bits;
	struct domain *d;
	uint64_t limit = 0, i;
	long rc = 0;

	/* As Xen: a bad argument reports the extents done so far. */
	if (copy_from_guest(&r, arg, sizeof(r)))
		return (long)start;
	if (start >= r.nr_extents)
		return (long)start;
	if (r.extent_order > MAX_EXTENT_ORDER || r.nr_extents > (1ULL << 40))
		return (long)start;
	if ((r.extent_start || op != XENMEM_increase_reservation) &&
	    !guest_range_ok(r.extent_start, r.nr_extents * 8))
		return (long)start;
	bits = XENMEMF_get_address_bits(r.mem_flags);
	if (bits && bits <= PAGE_SHIFT)
		return (long)start;
	if (bits && bits < 64)
		limit = 1ULL << (bits - PAGE_SHIFT);
	d = target_domain(r.domid, &rc);
	if (!d)
		return rc;
	for (i = start; i < r.nr_extents; i++) {
		if (i > start && (i - start) % EXTENT_BATCH == 0) {
			hypercall_set_arg(0, op | (i << MEMOP_EXTENT_SHIFT));
			return hypercall_continue();
		}
		if (do_extent(op, d, &r, i, limit))
			break;
	}
	return (long)i;
}

static long reservation_query(unsigned int op, unsigned long arg)
{
	struct domain *d;
	domid_t domid;
	long rc = 0;

	if (get_guest(domid, arg))
		return -EFAULT;
	d = target_domain(domid, &rc);
	if (!d)
		return rc;
	return (long)(op == XENMEM_current_reservation ? d->tot_pages
						       : d->max_pages);
}

/* Checks one input frame of an exchange: owned, unmapped, untyped. */
static bool exchangeable(const struct domain *d, uint64_t mfn)
{
	const struct page_info *pg;

	if (!mfn_valid(_mfn(mfn)))
		return false;
	pg = mfn_to_page(_mfn(mfn));
	return pg->owner == d->domid && pg->count == 1 &&
	       (pg->flags & PGF_allocated) && !pg->type_count;
}

/*
 * One chunk of an exchange: @nin input extents of order @io (MFNs at
 * @in_list) for @nout output extents of order @oo (pfns at @out_list,
 * replaced by the new MFNs). Nothing changes if any step fails.
 */
static long exchange_chunk(struct domain *d, const struct xen_memory_exchange *x,
			   uint64_t first_in, uint64_t first_out,
			   unsigned int nin, unsigned int nout, uint64_t limit)
{
	uint64_t in[EXCHANGE_MAX_RATIO], pfn[EXCHANGE_MAX_RATIO];
	uint64_t mfn[EXCHANGE_MAX_RATIO], per_in = 1ULL << x->in.extent_order;
	unsigned int got = 0;

	for (unsigned int i = 0; i < nin; i++) {
		if (get_guest(in[i], x->in.extent_start + (first_in + i) * 8))
			return -EFAULT;
		for (uint64_t j = 0; j < per_in; j++)
			if (!exchangeable(d, in[i] + j))
				return -EINVAL;
	}
	for (unsigned int i = 0; i < nout; i++)
		if (get_guest(pfn[i], x->out.extent_start + (first_out + i) * 8))
			return -EFAULT;
	d->max_pages += nin * per_in;	/* the inputs leave just after */
	for (; got < nout; got++) {
		mfn_t m = alloc_domain_pages(d, x->out.extent_order, limit);

		if (mfn_x(m) == mfn_x(INVALID_MFN))
			break;
		mfn[got] = mfn_x(m);
	}
	d->max_pages -= nin * per_in;
	for (unsigned int i = 0; i < nout; i++)
		if (i >= got || put_guest(mfn[i], x->out.extent_start +
						      (first_out + i) * 8)) {
			for (unsigned int k = 0; k < got; k++)
				for (uint64_t j = 0; j < 1ULL << x->out.extent_order; j++)
					remove_page(d, _mfn(mfn[k] + j));
			return i >= got ? -ENOMEM : -EFAULT;
		}
	for (unsigned int i = 0; i < nout; i++)
		for (uint64_t j = 0; j < 1ULL << x->out.extent_order; j++)
			m2p[mfn[i] + j] = pfn[i] + j;
	for (unsigned int i = 0; i < nin; i++)
		for (uint64_t j = 0; j < per_in; j++)
			remove_page(d, _mfn(in[i] + j));
	return 0;
}

/*
 * XENMEM_exchange: trade frames for others (e.g. below an address
 * limit, or contiguous), in chunks of the larger order. Progress is
 * kept in nr_exchanged, which is also how the call resumes.
 */
static long memory_exchange(unsigned long arg)
{
	struct xen_memory_exchange x;
	unsigned int io, oo, big, nin, nout, bits;
	uint64_t limit = 0, done;
	struct domain *d;
	long rc = 0;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -EFAULT;
	io = x.in.extent_order;
	oo = x.out.extent_order;
	if (io > MAX_EXTENT_ORDER || oo > MAX_EXTENT_ORDER ||
	    x.in.nr_extents > (1ULL << 40) || x.out.nr_extents > (1ULL << 40) ||
	    (1U << (MAX(io, oo) - MIN(io, oo))) > EXCHANGE_MAX_RATIO ||
	    (x.in.nr_extents << io) != (x.out.nr_extents << oo) ||
	    x.nr_exchanged > x.in.nr_extents || x.in.domid != x.out.domid ||
	    !guest_range_ok(x.in.extent_start, x.in.nr_extents * 8) ||
	    !guest_range_ok(x.out.extent_start, x.out.nr_extents * 8))
		return -EINVAL;
	bits = XENMEMF_get_address_bits(x.out.mem_flags);
	if (bits && bits <= PAGE_SHIFT)
		return -EINVAL;
	if (bits && bits < 64)
		limit = 1ULL << (bits - PAGE_SHIFT);
	d = target_domain(x.in.domid, &rc);
	if (!d)
		return rc;
	big = MAX(io, oo);
	nin = 1U << (big - io);
	nout = 1U << (big - oo);
	for (done = 0; x.nr_exchanged < x.in.nr_extents; done++) {
		if (done == EXCHANGE_BATCH) {
			if (copy_to_guest(arg, &x, sizeof(x)))
				return -EFAULT;
			return hypercall_continue();
		}
		rc = exchange_chunk(d, &x, x.nr_exchanged,
				    (x.nr_exchanged >> (big - io)) << (big - oo),
				    nin, nout, limit);
		if (rc)
			break;
		x.nr_exchanged += nin;
	}
	if (copy_to_guest(arg, &x, sizeof(x)))
		return -EFAULT;
	return rc;
}

long do_memory_op(unsigned long cmd, unsigned long arg)
{
	unsigned int op = cmd & MEMOP_CMD_MASK;
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return reservation_op(op, start, arg);
	}
	switch (op) {
	case XENMEM_exchange:
		return memory_exchange(arg);
	}
	if (start)
		return -EINVAL;	/* no other sub-op continues */
	switch (op) {
	case XENMEM_maximum_ram_page:
		return (long)max_mfn;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation_query(op, arg);
	}
	return arch_memory_op(op, arg);
}
