// SPDX-License-Identifier: GPL-2.0
/*
 * The first PV MMU operations: update_va_mapping (14) on existing L1
 * tables and the mmuext_op (26) commands that need no page-type changes
 * (user base pointer, TLB and INVLPG flushes). Page-table pinning,
 * mmu_update and reference counting arrive with the memory issue; until
 * then no new page table can appear, so the checks below (owner, type of
 * the target frame, forbidden bits) are complete for what a guest can do.
 */
#include <hv/console.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

#define MMU_UPDATE_PREEMPTED (1U << 31)
/* Bits a guest L1 entry may never set: 52-62 (software/protection keys). */
#define L1_FORBIDDEN 0x7ff0000000000000ULL
#define L1_CACHE_ATTRS (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)

/* The L1 entry mapping @va in the vCPU's kernel tables, or NULL. */
static pgentry_t *guest_l1e(struct vcpu *v, vaddr_t va)
{
	pgentry_t *t = mfn_to_virt(v->arch.guest_table);

	for (unsigned int level = 4; level > 1; level--) {
		pgentry_t e = t[pt_index(va, level)];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE) ||
		    !mfn_valid(pte_mfn(e)))
			return NULL;
		t = mfn_to_virt(pte_mfn(e));
	}
	if (mfn_to_page(virt_to_mfn(t))->type != PGT_l1 ||
	    mfn_to_page(virt_to_mfn(t))->owner != v->domain->domid)
		return NULL;
	return &t[pt_index(va, 1)];
}

/* Validates a new L1 entry for domain @d; returns the entry to store. */
static long check_l1e(const struct domain *d, pgentry_t *e)
{
	const struct page_info *pg;
	mfn_t mfn = pte_mfn(*e);

	if (!(*e & _PAGE_PRESENT))
		return 0;
	if (*e & L1_FORBIDDEN)
		return -EINVAL;
	if ((*e & L1_CACHE_ATTRS) && !d->is_privileged)
		return -EINVAL;
	if (!mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (pg->owner != d->domid)
		return -EINVAL;	/* not this domain's frame */
	if ((*e & _PAGE_RW) && pg->type != PGT_writable &&
	    pg->type != PGT_shared)
		return -EINVAL;	/* no writable mapping of a page table */
	*e |= _PAGE_USER;	/* 64-bit PV: kernel and user are ring 3 */
	return 0;
}

static void flush_after(unsigned long flags, vaddr_t va)
{
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		flush_tlb_local();
		break;
	case UVMF_INVLPG:
		invlpg(va);
		break;
	}
}

long do_update_va_mapping(unsigned long va, unsigned long val,
			  unsigned long flags)
{
	struct vcpu *v = current;
	pgentry_t e = val, *l1e;
	long rc;

	if (!guest_range_ok(va, 1))
		return -EINVAL;
	l1e = guest_l1e(v, va);
	if (!l1e)
		return -EINVAL;
	rc = check_l1e(v->domain, &e);
	if (rc)
		return rc;
	*l1e = e;
	flush_after(flags, va);
	return 0;
}

static long new_user_baseptr(struct vcpu *v, uint64_t mfn)
{
	const struct page_info *pg;

	if (mfn == 0) {
		v->arch.guest_table_user = INVALID_MFN;
		return 0;
	}
	if (!mfn_valid(_mfn(mfn)))
		return -EINVAL;
	pg = mfn_to_page(_mfn(mfn));
	if (pg->owner != v->domain->domid || pg->type != PGT_l4)
		return -EINVAL;
	v->arch.guest_table_user = _mfn(mfn);
	return 0;
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
	switch (op->cmd) {
	case MMUEXT_NEW_USER_BASEPTR:
		return new_user_baseptr(v, op->arg1.mfn);
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:	/* one vCPU per domain for now */
	case MMUEXT_TLB_FLUSH_ALL:
		flush_tlb_local();
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		if (guest_range_ok(op->arg1.linear_addr, 1))
			invlpg(op->arg1.linear_addr);
		return 0;
	}
	return -ENOSYS;
}

long do_mmuext_op(unsigned long ops, unsigned long count, unsigned long pdone,
		  unsigned long foreigndom)
{
	struct vcpu *v = current;
	uint32_t n = (uint32_t)count, done = 0, i;
	struct mmuext_op op;
	long rc = 0;

	if ((domid_t)foreigndom != DOMID_SELF &&
	    (domid_t)foreigndom != v->domain->domid)
		return -ESRCH;	/* foreign page owners: memory issue */
	if (n & MMU_UPDATE_PREEMPTED) {
		n &= ~MMU_UPDATE_PREEMPTED;
		if (pdone && get_guest(done, pdone))
			return -EFAULT;
	}
	for (i = 0; i < n; i++) {
		if (i && i % HC_PREEMPT_BATCH == 0) {
			hypercall_set_arg(0, ops + i * sizeof(op));
			hypercall_set_arg(1, (n - i) | MMU_UPDATE_PREEMPTED);
			done += i;
			if (pdone && put_guest(done, pdone))
				return -EFAULT;
			return -ERESTART;
		}
		if (copy_from_guest(&op, ops + i * sizeof(op), sizeof(op))) {
			rc = -EFAULT;
			break;
		}
		rc = mmuext_one(v, &op);
		if (rc)
			break;
	}
	done += i;
	if (pdone && put_guest(done, pdone))
		return -EFAULT;
	return rc;
}
