// SPDX-License-Identifier: GPL-2.0
/*
 * mmuext_op (26): pinning and unpinning page tables, switching the
 * kernel and user base pointers, TLB and cache maintenance, the LDT and
 * page copy/clear. Errors follow Xen 4.17 (hypercall-abi/docs/mmuext_op.md).
 */
#include <hv/console.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/page-type.h>
#include <hv/string.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv-mm.h>

static long pin(mfn_t mfn, unsigned int type, struct domain *pg_owner)
{
	struct vcpu *v = current;
	struct page_info *pg;
	long rc;

	if (pg_owner == v->domain &&
	    pv_prevalidate(v, mfn, pt_level(type)) == -ERESTART)
		return hypercall_continue();	/* this op runs again */
	rc = get_page_and_type(mfn, pg_owner, type);
	pv_prevalidate_done(v);
	if (rc)
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (pg->flags & PGF_pinned) {
		put_page_and_type(mfn);
		return -EINVAL;	/* already pinned */
	}
	pg->flags |= PGF_pinned;
	return 0;
}

static long unpin(mfn_t mfn, struct domain *pg_owner)
{
	struct page_info *pg;

	if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner != pg_owner->domid)
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (!(pg->flags & PGF_pinned))
		return -EINVAL;
	pg->flags &= ~PGF_pinned;
	put_page_and_type(mfn);
	return 0;
}

/* Replaces the base pointer in @slot by @mfn (INVALID_MFN = none). */
static long set_baseptr(struct vcpu *v, mfn_t *slot, mfn_t mfn)
{
	mfn_t old = *slot;

	if (mfn_x(mfn) != mfn_x(INVALID_MFN) &&
	    get_page_and_type(mfn, v->domain, PGT_l4))
		return -EINVAL;
	*slot = mfn;
	pv_load_cr3(v);
	if (mfn_x(old) != mfn_x(INVALID_MFN))
		put_page_and_type(old);
	return 0;
}

static long copy_or_clear(const struct mmuext_op *op, struct domain *d)
{
	mfn_t dst = _mfn(op->arg1.mfn), src = _mfn(op->arg2.src_mfn);
	long rc;

	if (!mfn_valid(dst) || get_page(mfn_to_page(dst), d))
		return -EINVAL;
	rc = get_page_type(mfn_to_page(dst), PGT_writable);
	if (rc) {
		put_page(mfn_to_page(dst));
		return -EINVAL;
	}
	if (op->cmd == MMUEXT_CLEAR_PAGE) {
		memset(mfn_to_virt(dst), 0, PAGE_SIZE);
	} else if (!mfn_valid(src) || get_page(mfn_to_page(src), d)) {
		rc = -EINVAL;
	} else {
		memcpy(mfn_to_virt(dst), mfn_to_virt(src), PAGE_SIZE);
		put_page(mfn_to_page(src));
	}
	put_page_and_type(dst);
	return rc;
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op,
		       struct domain *pg_owner)
{
	bool self = pg_owner == v->domain;
	mfn_t mfn = _mfn(op->arg1.mfn);
	uint64_t mask;

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return pin(mfn, PGT_l1 + op->cmd - MMUEXT_PIN_L1_TABLE,
			   pg_owner);
	case MMUEXT_UNPIN_TABLE:
		return unpin(mfn, pg_owner);
	}
	if (!self)
		return -EPERM;	/* the rest act on the caller only */
	switch (op->cmd) {
	case MMUEXT_NEW_BASEPTR:
		return set_baseptr(v, &v->arch.guest_table, mfn);
	case MMUEXT_NEW_USER_BASEPTR:
		return set_baseptr(v, &v->arch.guest_table_user,
				   op->arg1.mfn ? mfn : INVALID_MFN);
	case MMUEXT_TLB_FLUSH_LOCAL:
		flush_tlb_local();
		return 0;
	case MMUEXT_INVLPG_LOCAL:
		invlpg(op->arg1.linear_addr);
		return 0;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		if (get_guest(mask, op->arg2.vcpumask))
			return -EINVAL;
		pv_flush_vcpus(mask, op->cmd == MMUEXT_INVLPG_MULTI,
			       op->arg1.linear_addr);
		return 0;
	case MMUEXT_TLB_FLUSH_ALL:
	case MMUEXT_INVLPG_ALL:
		pv_flush_vcpus(~0ULL, op->cmd == MMUEXT_INVLPG_ALL,
			       op->arg1.linear_addr);
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		if (!v->domain->is_privileged)
			return -EACCES;
		asm volatile("wbinvd" ::: "memory");
		return 0;
	case MMUEXT_SET_LDT:
		return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
	case MMUEXT_CLEAR_PAGE:
	case MMUEXT_COPY_PAGE:
		return copy_or_clear(op, v->domain);
	case MMUEXT_MARK_SUPER:
	case MMUEXT_UNMARK_SUPER:
		return -EOPNOTSUPP;	/* superpage tracking: gone in Xen too */
	}
	return -ENOSYS;
}

static long mmuext_item(const void *item, void *pg_owner)
{
	return mmuext_one(current, item, pg_owner);
}

long do_mmuext_op(unsigned long ops, unsigned long count, unsigned long pdone,
		  unsigned long foreigndom)
{
	struct domain *pg_owner;
	long rc = 0;

	if (!guest_range_ok(ops, (uint64_t)((uint32_t)count &
					    ~MMU_UPDATE_PREEMPTED) *
					 sizeof(struct mmuext_op)))
		return -EFAULT;
	pg_owner = pv_pg_owner((domid_t)foreigndom, &rc);
	if (!pg_owner)
		return rc;
	return pv_batch(ops, count, pdone, sizeof(struct mmuext_op),
			mmuext_item, pg_owner);
}
